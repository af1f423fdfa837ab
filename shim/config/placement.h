/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Placement: which cpu each lcore of each member of a tenant runs on. A
 * pure function of the tenant's lcores settings and the cpus it is given,
 * so that validate (its warning), plan (the member's --lcores), `tenantrt
 * plan` (the whole group's table) and the tests agree.
 *
 * Lcore ids are unique across the group: the primary has 0..perPrimary-1,
 * secondary k has the perSecondary ids from perPrimary+(k-1)*perSecondary.
 * A member's first id is its main lcore (22.11 makes the lowest enabled id
 * the main one).
 *
 * The cpus: every member whose role draws from the same cpus (the tenant's,
 * or lcores.primaryCpus / secondaryCpus) is in one pool. In a pool, the
 * lcores are dealt round-robin over its cpus in this order: every member's
 * main lcore (primary first, then secondary 1, 2, ...), then every worker
 * lcore (the primary's, then secondary 1's, ...). So each member's main
 * lcore has a cpu of its own while the pool has cpus to spare, workers go
 * on the cpus that remain, and when lcores outnumber cpus no cpu carries
 * more than one lcore above another. DPDK lcores busy-poll: two on one cpu
 * each get part of it, hence the warning (tr_place_sharing).
 */
#ifndef TR_CONFIG_PLACEMENT_H
#define TR_CONFIG_PLACEMENT_H

#include <stdbool.h>

#include "common/cpuset.h"
#include "config/model.h"

struct tr_placement {
	unsigned n_lcores;
	unsigned ids[TR_MAX_MEMBER_LCORES];   /* ids[0] is the main lcore */
	unsigned cpus[TR_MAX_MEMBER_LCORES];
};

/* The cpus member m's role draws from: lcores.primaryCpus/secondaryCpus,
 * else cpus (the tenant's, as the caller narrowed them). */
const struct tr_cpuset *tr_place_pool(const struct tr_tenant *t,
				      const struct tr_cpuset *cpus, unsigned member);

/*
 * Member m's lcores (0 = the primary, 1..maxSecondaries). Returns 0, or -1
 * when the member has no lcores or its pool no cpus (validate refuses
 * both).
 */
int tr_place_member(const struct tr_tenant *t, const struct tr_cpuset *cpus,
		    unsigned member, struct tr_placement *out);

/* Where the whole group's lcores pile up. */
struct tr_sharing {
	unsigned lcores;          /* the group's lcores */
	struct tr_cpuset used;    /* cpus any of them runs on */
	struct tr_cpuset stacked; /* cpus two or more run on */
	struct tr_cpuset shared;  /* cpus lcores of two or more members run on */
	unsigned most;            /* the most lcores on one cpu */
	bool mains_share;         /* two members' main lcores on one cpu */
};

/*
 * Returns true when lcores of different members share a cpu: members then
 * take cpu time from each other, which is what placement is for. A member
 * whose own lcores outnumber its cpus (often a main lcore that only
 * controls, beside a worker that polls) is in `stacked` only: its own
 * choice, shown by `tenantrt plan`, not warned about.
 */
bool tr_place_sharing(const struct tr_tenant *t, const struct tr_cpuset *cpus,
		      struct tr_sharing *out);

/* "0@0,1@1" into buf. */
void tr_place_format(const struct tr_placement *pl, char *buf, size_t len);

#endif
