/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The inputs the CLI's commands read: `validate` and `plan` load a tenants
 * file through parse -> resolve -> validate against this host's probed
 * facts (diagnostics printed to stderr); `status` and `reap` only need the
 * runtimeRoot. And the one-line usage error they all print.
 */
#ifndef TR_CLI_INPUTS_H
#define TR_CLI_INPUTS_H

#include <stddef.h>

#include "config/diag.h"
#include "config/model.h"

struct tr_loaded {
	struct tr_config cfg;
	struct tr_host_facts facts;
	struct tr_diags diags;
	int status;   /* 0 valid, else the exit status (65, 66, 72, ...) */
};

/* NULL only when memory runs out. Diagnostics and errors are printed.
 * only: resolve just that tenant and show its warnings, not the others'
 * (`tenantrt plan --tenant T`); NULL: the whole file. */
struct tr_loaded *tr_cmd_load(const char *path, char *const envp[],
			      const char *cmd, const char *only);
void tr_cmd_unload(struct tr_loaded *l);

/* The runtimeRoot for `status` and `reap`: root_opt (--runtime-root) if
 * set, else the host section of the config (config, else the default
 * path). Only parses the file: a config that no longer validates must not
 * stop a status or a reap. Returns 0, or an exit status after printing why. */
int tr_cmd_runtime_root(const char *cmd, const char *config, const char *root_opt,
			char *out, size_t len);

/* An option that takes one value, given twice, is refused (the last one
 * silently winning hides a mistake): *slot gets value the first time;
 * 0, or EX_USAGE after one line on stderr. */
int tr_cmd_once(const char *cmd, const char *name, const char **slot,
		const char *value);

/* After the options: an argument left over is refused in one line
 * (EX_USAGE); 0 when there is none. */
int tr_cmd_no_args(const char *cmd, int argc, char **argv);

/* getopt_long's '?' or ':' as one line on stderr; returns EX_USAGE. */
int tr_cmd_bad_option(const char *cmd, int c, char **argv);

#endif
