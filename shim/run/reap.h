/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reclaiming what dead members left. Everything works from the ledger's
 * leases: a lease records the tenant's runtime dir, hugepage dir and
 * whether its hugetlbfs was mounted by tenantrt, so reap needs no config
 * and never touches a dir the ledger does not name.
 */
#ifndef TR_RUN_REAP_H
#define TR_RUN_REAP_H

#include "host/admit.h"

/*
 * With the ledger locked: drop every stale lease; a tenant left with no
 * live member (and no DPDK primary still holding its config lock, e.g. an
 * app that outlived its shim) is reclaimed whole. A tenant that cannot be
 * reclaimed now (a busy mount) keeps its leases for a later reap and is
 * reported through note and counted in *kept (may be NULL); it never
 * blocks the others. Returns the number of tenants reclaimed.
 */
int tr_reap_stale(struct tr_ledger *lg, const struct tr_lease *leases,
		  unsigned n, tr_note_fn note, void *ctx, unsigned *kept);

/* Reclaim one tenant's files, mount and isolation (no lease files).
 * 0 done, 1 kept because its DPDK primary still runs, -1 with err. */
int tr_reap_tenant(const struct tr_lease *l, tr_note_fn note, void *ctx,
		   struct tr_error *err);

#endif
