/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What `tenantrt validate` and `tenantrt plan` share: read a tenants file
 * through parse -> resolve -> validate against this host's probed facts,
 * printing the diagnostics to stderr, and the one-line usage error.
 */
#ifndef TR_CMD_LOAD_H
#define TR_CMD_LOAD_H

#include "diag.h"
#include "model.h"

struct tr_loaded {
	struct tr_config cfg;
	struct tr_host_facts facts;
	struct tr_diags diags;
	int status;   /* 0 valid, else the exit status (65, 66, 72, ...) */
};

/* NULL only when memory runs out. Diagnostics and errors are printed. */
struct tr_loaded *tr_cmd_load(const char *path, char *const envp[],
			      const char *cmd);
void tr_cmd_unload(struct tr_loaded *l);

/* getopt_long's '?' or ':' as one line on stderr; returns EX_USAGE. */
int tr_cmd_bad_option(const char *cmd, int c, char **argv);

#endif
