/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tenantrt plan [--config FILE] --tenant T [--role primary|secondary]
 *               [--member N] [--json] [-- APP [EAL options --] [ARGS...]]
 *
 * A dry run: the exact argv, environment and isolation one member of a
 * tenant would get, for a file that validates on this host.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli/cmd.h"
#include "cli/inputs.h"
#include "common/exits.h"
#include "common/report.h"
#include "config/parse.h"
#include "host/inputs.h"
#include "host/reach.h"
#include "plan/plan.h"

extern char **environ;

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tenantrt plan [--config FILE] --tenant NAME [--role primary|secondary]\n"
		"                     [--member N] [--json] [-- APP [EAL options --] [ARGS...]]\n"
		"\n"
		"Show the exact argv, environment and isolation plan a tenant's process\n"
		"gets, without starting anything. The file must validate on this host.\n"
		"\n"
		"  -c, --config FILE   the tenants file (default: $TENANTRT_CONFIG, else\n"
		"                      /etc/tenantrt/tenants.yaml)\n"
		"  -t, --tenant NAME   the tenant (required)\n"
		"  -r, --role ROLE     primary (default) or secondary\n"
		"  -n, --member N      which member: 0 for the primary, 1..maxSecondaries for\n"
		"                      a secondary (default 0, or 1 with --role secondary)\n"
		"  -j, --json          print JSON (argv, eal, app_args, env, lcores, isolation)\n"
		"  -h, --help          this help\n"
		"  -- APP [EAL options --] [ARGS...]\n"
		"                      the app, as the shim would get it (default: the\n"
		"                      placeholder APP): words before a \"--\" after APP are\n"
		"                      EAL options (those tenants.yaml owns are refused),\n"
		"                      the rest the app's; without that \"--\" all are the app's\n");
	if (out == stdout)
		tr_exits_print(out);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "tenantrt plan: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "; see 'tenantrt plan --help'\n");
	return EX_USAGE;
}

int tr_cmd_plan(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "tenant", required_argument, NULL, 't' },
		{ "role", required_argument, NULL, 'r' },
		{ "member", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL, *tenant = NULL, *member_arg = NULL, *role_arg = NULL;
	enum tr_role role = TR_ROLE_PRIMARY;
	bool json = false;
	int c, rc = 0;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:c:t:r:n:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			rc = tr_cmd_once("plan", "--config", &path, optarg);
			break;
		case 't':
			rc = tr_cmd_once("plan", "--tenant", &tenant, optarg);
			break;
		case 'r':
			if ((rc = tr_cmd_once("plan", "--role", &role_arg, optarg)) != 0)
				break;
			if (strcmp(optarg, "primary") == 0)
				role = TR_ROLE_PRIMARY;
			else if (strcmp(optarg, "secondary") == 0)
				role = TR_ROLE_SECONDARY;
			else
				return usage_error("--role \"%s\" is neither primary nor secondary",
						   optarg);
			break;
		case 'n':
			rc = tr_cmd_once("plan", "--member", &member_arg, optarg);
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return tr_cmd_bad_option("plan", c, argv);
		}
		if (rc)
			return rc;
	}
	/* getopt stops at "--" (consumed) or at the first non-option. */
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0)
		return usage_error("unexpected argument \"%s\"; put the app after --",
				   argv[optind]);
	if (tenant == NULL)
		return usage_error("%s--tenant NAME is required", "");
	unsigned member = role == TR_ROLE_SECONDARY ? 1 : 0;
	if (member_arg) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(member_arg, &end, 10);
		if (errno || end == member_arg || *end || member_arg[0] == '-' ||
		    v > 1000000)
			return usage_error("--member \"%s\" is not a member number",
					   member_arg);
		member = (unsigned)v;
	}
	char *placeholder[] = { "APP", NULL };
	char **app_argv = optind < argc ? argv + optind : placeholder;
	int app_argc = optind < argc ? argc - optind : 1;
	if (path == NULL)
		path = tr_default_config_path();

	struct tr_loaded *l = tr_cmd_load(path, environ, "plan", tenant);
	if (l == NULL)
		return EX_OSERR;
	rc = l->status;
	if (rc != 0)
		goto out;
	const struct tr_tenant *t = tr_config_find(&l->cfg, tenant);
	if (t == NULL) {
		char names[512] = "";
		size_t n = 0;
		for (unsigned i = 0; i < l->cfg.n_tenants && n < sizeof(names); i++)
			n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s",
					      i ? ", " : "", l->cfg.tenants[i].name);
		fprintf(stderr,
			"tenantrt plan: no tenant \"%s\" in %s (it has: %s)\n",
			tenant, path, n ? names : "none");
		rc = EX_USAGE;
		goto out;
	}
	/* The inputs the shim would gather here, and the same function. */
	struct tr_plan *p = calloc(1, sizeof(*p));
	struct tr_inputs *in = calloc(1, sizeof(*in));
	struct tr_plan_input pi;
	struct tr_error err = { 0 };
	if (p == NULL || in == NULL) {
		rc = EX_OSERR;
	} else if (tr_inputs_gather(in, &l->cfg, t, role, app_argv[0], environ,
				    TR_INPUTS_SHOW, &err) < 0) {
		rc = tr_report("tenantrt plan", t->name, &err);
	} else {
		tr_inputs_for_plan(&pi, in, &l->cfg, t, &l->facts, role, member, app_argv,
				   app_argc);
		if (tr_plan_build(p, &pi, &err) < 0) {
			rc = tr_report("tenantrt plan", t->name, &err);
		} else {
			for (unsigned i = 0; i < p->n_notes; i++)
				tr_report_note("tenantrt plan", t->name, p->notes[i]);
			if (json)
				tr_plan_print_json(p, t, stdout);
			else
				tr_plan_print(p, t, stdout);
			/* Shown whole, and refused as the shim would refuse it. */
			if (tr_net_plan_refusal(&p->iso.net, &err) < 0 ||
			    tr_reach_check(&p->iso, in->have_elf ? in->elf.path : NULL, &err) < 0)
				rc = tr_report("tenantrt plan", t->name, &err);
			tr_plan_free(p);
		}
		tr_inputs_free(in);
	}
	free(in);
	free(p);
out:
	tr_cmd_unload(l);
	return rc;
}
