/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The hook for extra per-member columns in `tenantrt status`, e.g. packet
 * counters that libtenantrt keeps in the group's shared memory. The default
 * (status_extra.c) adds nothing; the data-path work replaces that file
 * with one that reads its stats for the member's tenant and pid. It must
 * not link DPDK (the CLI stays light): read the shared memory file
 * directly from the tenant's runtime/hugepage dir.
 */
#ifndef TR_CLI_STATUS_COUNTERS_H
#define TR_CLI_STATUS_COUNTERS_H

#include <stdbool.h>
#include <stdio.h>

#include "host/ledger.h"

/* Header cells of the extra columns for the table (each "  %-Ns"), or
 * nothing. */
void tr_status_extra_header(FILE *out);
/* The member's cells, in the same order; in JSON, extra fields each
 * written as `, "key": value` inside the member's object. */
void tr_status_extra_member(const struct tr_lease *l, bool json, FILE *out);

#endif
