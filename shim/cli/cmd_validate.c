/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tenantrt validate [--config FILE]
 *
 * parse -> resolve (with this process's environment) -> validate against
 * this host's facts. Every problem goes to stderr as FILE:LINE:COL: ...;
 * exit 65 when there is an error, else 0 with a one-line summary.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/inputs.h"
#include "common/exits.h"
#include "config/parse.h"
#include "config/resolve.h"
#include "config/validate.h"
#include "host/hostfacts.h"

extern char **environ;

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tenantrt validate [--config FILE]\n"
		"\n"
		"Check a tenants.yaml against this host (cpus, NUMA nodes, hugepage pool)\n"
		"and print every problem as FILE:LINE:COL: message.\n"
		"\n"
		"  -c, --config FILE   the tenants file (default: $TENANTRT_CONFIG, else\n"
		"                      /etc/tenantrt/tenants.yaml)\n"
		"  -h, --help          this help\n");
	if (out == stdout)
		tr_exits_print(out);
}

int tr_cmd_validate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (tr_cmd_once("validate", "--config", &path, optarg))
				return EX_USAGE;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return tr_cmd_bad_option("validate", c, argv);
		}
	}
	int rc = tr_cmd_no_args("validate", argc, argv);
	if (rc)
		return rc;
	if (path == NULL)
		path = tr_default_config_path();

	struct tr_loaded *l = tr_cmd_load(path, environ, "validate", NULL);
	if (l == NULL)
		return EX_OSERR;
	rc = l->status;
	if (rc == 0) {
		unsigned warnings = l->diags.n - l->diags.n_errors;
		printf("%s: %u tenant%s, valid", path, l->cfg.n_tenants,
		       l->cfg.n_tenants == 1 ? "" : "s");
		if (warnings)
			printf(" (%u warning%s)", warnings, warnings == 1 ? "" : "s");
		printf("\n");
	}
	tr_cmd_unload(l);
	return rc;
}
