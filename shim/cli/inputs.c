/* SPDX-License-Identifier: BSD-3-Clause */
#include "cli/inputs.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "config/parse.h"
#include "config/resolve.h"
#include "config/validate.h"
#include "host/hostfacts.h"
#include "host/reach.h"

struct tr_loaded *tr_cmd_load(const char *path, char *const envp[],
			      const char *cmd, const char *only)
{
	struct tr_loaded *l = calloc(1, sizeof(*l));
	if (l == NULL) {
		fprintf(stderr, "tenantrt %s: out of memory\n", cmd);
		return NULL;
	}
	struct tr_error err = { 0 };
	tr_diags_init(&l->diags, path);
	if (tr_config_load(&l->cfg, path, &l->diags, &err) < 0) {
		if (err.code != 0) {
			fprintf(stderr, "tenantrt %s: %s\n", cmd, err.msg);
			l->status = err.code;
			return l;
		}
		/* Parse errors: stop here, validating a half-read file only
		 * adds noise (a mistyped key would also be "missing"). */
		tr_diags_print(&l->diags, stderr);
		l->status = EX_DATAERR;
		return l;
	}
	/* One tenant's plan resolves only that tenant, as its shim does:
	 * other tenants' device-plugin variables are not in its container. */
	int bad = (only ? tr_config_resolve_tenant(&l->cfg, only, envp, true, &l->diags)
			: tr_config_resolve(&l->cfg, envp, &l->diags)) < 0;
	if (tr_host_facts_probe(&l->facts, &err) < 0) {
		tr_diags_print(&l->diags, stderr);
		fprintf(stderr, "tenantrt %s: host facts: %s\n", cmd, err.msg);
		l->status = err.code ? err.code : EX_OSFILE;
		return l;
	}
	bad |= tr_config_validate(&l->cfg, &l->facts, &l->diags) < 0;
	/* validate warns of a runtimeRoot a tenant's uid cannot reach; a
	 * plan refuses it in its last line, as the shim would. */
	if (only == NULL && !bad)
		tr_reach_warn(&l->cfg, &l->diags);
	tr_diags_print_for(&l->diags, only, stderr);
	l->status = bad || l->diags.n_errors ? EX_DATAERR : 0;
	return l;
}

void tr_cmd_unload(struct tr_loaded *l)
{
	if (l == NULL)
		return;
	tr_diags_free(&l->diags);
	tr_config_free(&l->cfg);
	free(l);
}

int tr_cmd_bad_option(const char *cmd, int c, char **argv)
{
	char shrt[3] = { '-', (char)optopt, '\0' };
	/* A missing value: the option is the last argument read. An unknown
	 * option: optopt names a short one (maybe bundled), 0 for a long one. */
	const char *arg = c != ':' && optopt ? shrt : argv[optind - 1];
	if (c == ':')
		fprintf(stderr,
			"tenantrt %s: option \"%s\" needs a value; see 'tenantrt %s --help'\n",
			cmd, arg, cmd);
	else
		fprintf(stderr,
			"tenantrt %s: unknown option \"%s\"; see 'tenantrt %s --help'\n",
			cmd, arg, cmd);
	return EX_USAGE;
}

int tr_cmd_no_args(const char *cmd, int argc, char **argv)
{
	if (optind >= argc)
		return 0;
	fprintf(stderr, "tenantrt %s: unexpected argument \"%s\"; see 'tenantrt %s --help'\n", cmd,
		argv[optind], cmd);
	return EX_USAGE;
}

int tr_cmd_once(const char *cmd, const char *name, const char **slot,
		const char *value)
{
	if (*slot == NULL) {
		*slot = value;
		return 0;
	}
	fprintf(stderr, "tenantrt %s: %s is given twice (\"%s\", then \"%s\"); give it once\n",
		cmd, name, *slot, value);
	return EX_USAGE;
}

int tr_cmd_runtime_root(const char *cmd, const char *config, const char *root_opt,
			char *out, size_t len)
{
	if (root_opt && config) {
		fprintf(stderr, "tenantrt %s: give --config or --runtime-root, not both (the runtimeRoot would be ambiguous)\n",
			cmd);
		return EX_USAGE;
	}
	if (root_opt && root_opt[0] != '/') {
		fprintf(stderr, "tenantrt %s: --runtime-root \"%s\" is not an absolute path; give it as in host.runtimeRoot\n",
			cmd, root_opt);
		return EX_USAGE;
	}
	if (root_opt) {
		snprintf(out, len, "%s", root_opt);
		return 0;
	}
	static struct tr_config cfg;
	struct tr_diags *diags = calloc(1, sizeof(*diags));
	struct tr_error err = { 0 };
	if (diags == NULL)
		return EX_OSERR;
	const char *path = config ? config : tr_default_config_path();
	tr_diags_init(diags, path);
	int rc = 0;
	if (tr_config_load(&cfg, path, diags, &err) < 0) {
		tr_diags_print(diags, stderr);
		if (err.code)
			fprintf(stderr, "tenantrt %s: %s\n", cmd, err.msg);
		rc = err.code ? err.code : EX_DATAERR;
	} else {
		snprintf(out, len, "%s", tr_host_runtime_root(&cfg.host));
	}
	tr_config_free(&cfg);
	tr_diags_free(diags);
	free(diags);
	return rc;
}

