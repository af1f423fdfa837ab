/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tenantrt reap [--config F | --runtime-root DIR]
 *
 * Reclaims what dead tenants left under a runtimeRoot: stale leases, and
 * for a tenant with no live member its hugepage files, mount, runtime dir
 * and isolation. Only what the ledger names is touched. Prints each thing
 * removed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/inputs.h"
#include "common/exits.h"
#include "common/report.h"
#include "host/ledger.h"
#include "host/sweep.h"
#include "run/reap.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tenantrt reap [--config FILE | --runtime-root DIR]\n"
		"Reclaim what dead tenants left: stale leases, hugepage files and mounts,\n"
		"runtime dirs. Tenants with a live member are left alone.\n");
	if (out == stdout)
		tr_exits_print(out);
}

static void note_stdout(void *ctx, const char *what)
{
	unsigned *count = ctx;
	(*count)++;
	printf("%s\n", what);
}

int tr_cmd_reap(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "runtime-root", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *root_opt = NULL;
	int c, rc = 0;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:c:R:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': rc = tr_cmd_once("reap", "--config", &config, optarg); break;
		case 'R': rc = tr_cmd_once("reap", "--runtime-root", &root_opt, optarg); break;
		case 'h': usage(stdout); return 0;
		default: return tr_cmd_bad_option("reap", c, argv);
		}
		if (rc)
			return rc;
	}
	rc = tr_cmd_no_args("reap", argc, argv);
	if (rc)
		return rc;
	char root[4096];
	rc = tr_cmd_runtime_root("reap", config, root_opt, root, sizeof(root));
	if (rc)
		return rc;

	struct tr_ledger lg;
	struct tr_error err = { 0 };
	if (tr_ledger_open(&lg, root, false, &err) < 0) {
		if (err.code == EX_NOINPUT) {
			printf("nothing to reap under %s\n", root);
			return 0;
		}
		return tr_report("tenantrt reap", NULL, &err);
	}
	struct tr_lease *v = NULL;
	unsigned n = 0, said = 0, kept = 0;
	struct tr_sweep_claims claims = { 0 };
	const struct tr_reclaimer r = tr_reap_reclaimer(note_stdout, &said);
	rc = 0;
	/* Claimed under the lock, reclaimed without it: admissions go on
	 * meanwhile (host/sweep.h). */
	if (tr_ledger_lock(&lg, true, &err) < 0 || tr_ledger_scan(&lg, &v, &n, &err) < 0) {
		rc = tr_report("tenantrt reap", NULL, &err);
	} else {
		tr_sweep_claim(&lg, v, n, TR_SWEEP_NOW, &r, &claims);
		const char *told = "";
		for (unsigned i = 0; i < n; i++)
			if (v[i].alive && v[i].reclaiming && v[i].reclaiming != getpid() &&
			    strcmp(told, v[i].tenant) != 0) {
				printf("tenant \"%s\": being reclaimed by pid %d\n", v[i].tenant,
				       (int)v[i].reclaiming);
				told = v[i].tenant;
				said++;
			}
	}
	tr_ledger_unlock(&lg);
	kept = tr_sweep_reclaim_all(&lg, &claims, &r);
	tr_sweep_free(&claims);
	/* What could not be reclaimed now was said on stdout. */
	if (rc == 0 && kept > 0)
		rc = EX_TEMPFAIL;
	tr_ledger_close(&lg);
	free(v);
	if (rc == 0 && said == 0)
		printf("nothing to reap under %s\n", root);
	return rc;
}
