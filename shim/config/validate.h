/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 3, validate: pure whole-file rules on a parsed and resolved config
 * against the host's facts. Every problem goes to diags; returns 0 when no
 * error was found (warnings allowed), else -1.
 */
#ifndef TR_CONFIG_VALIDATE_H
#define TR_CONFIG_VALIDATE_H

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

#endif
