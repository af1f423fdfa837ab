/* SPDX-License-Identifier: BSD-3-Clause */
#include "cmd_root.h"

#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "cmd.h"
#include "config.h"

int tr_cmd_runtime_root(const char *cmd, const char *config, const char *root_opt,
			char *out, size_t len)
{
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

