/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Giving a dead tenant's state back: what still runs in its cgroup, its
 * hugepage files and mount, DPDK's runtime files, its dirs and its
 * isolation (cgroups). Everything works
 * from the lease, which records the tenant's runtime dir, hugepage dir and
 * whether tenantrt mounted its hugetlbfs, so reap needs no config and never
 * touches a dir the ledger does not name. The ledger (host/ledger.h)
 * decides when a tenant is dead; this is the reclaimer it calls.
 */
#ifndef TR_RUN_REAP_H
#define TR_RUN_REAP_H

#include "host/ledger.h"

/* Reclaim one tenant: kill what still runs in its cgroup, then its
 * files, mount and cgroups (no lease files). 0 done, 1 kept because its
 * DPDK primary still runs outside its cgroup, -1 with err. */
int tr_reap_tenant(const struct tr_lease *l, tr_note_fn note, void *ctx,
		   struct tr_error *err);

/* Reclaim one dead member of a tenant that has live ones: kill what still
 * runs in its leaf and remove the leaf. 0 done, -1 with err. */
int tr_reap_member(const struct tr_lease *l, tr_note_fn note, void *ctx,
		   struct tr_error *err);

/* The reclaimer for the ledger: tr_reap_tenant, telling note. */
struct tr_reclaimer tr_reap_reclaimer(tr_note_fn note, void *ctx);

#endif
