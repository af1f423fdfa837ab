/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 3, validate: pure whole-file rules on a parsed and resolved config
 * against the host's facts. Every problem goes to diags; returns 0 when no
 * error was found (warnings allowed), else -1.
 */
#ifndef TR_CONFIG_VALIDATE_H
#define TR_CONFIG_VALIDATE_H

#include "common/error.h"
#include "config/diag.h"
#include "config/model.h"

int tr_config_validate(const struct tr_config *cfg,
		       const struct tr_host_facts *facts,
		       struct tr_diags *diags);

/* Is name usable as a DPDK --file-prefix and a directory name? On no,
 * why[] says what is wrong. */
bool tr_name_is_valid(const char *name, char *why, size_t why_len);

/*
 * The EAL options tenantrt owns and refuses in a tenant's `eal` list, and
 * pairs of options that cannot go together (DPDK's CONFLICTING_OPTIONS
 * idea). Exposed for the plan and tests.
 */
extern const char *const tr_owned_eal_options[];

/*
 * The EAL options a user writes before the app's "--" on the command line
 * (APP [EAL options] -- [app options]), read as EAL reads them. Returns 0
 * when EAL may have every one, else -1 with EX_USAGE and one line: an
 * option tenantrt owns names the setting of tenants.yaml that owns it; a
 * word that is no 22.11 EAL option says app options go after "--".
 */
int tr_eal_user_args_check(char *const *args, unsigned n, struct tr_error *err);

#endif
