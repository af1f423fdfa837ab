/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sweeping stale leases without holding the ledger lock through a reclaim.
 *
 * A reclaim can be slow: killing what a tenant left and waiting for it to
 * die, unmounting its hugetlbfs, removing its cgroups; one stuck tenant (a
 * busy mount, a task in uninterruptible sleep) takes seconds. Done under
 * the ledger lock, that time was added to every admission of every tenant
 * (2.04 s instead of 0.016 s). So a sweep has two halves:
 *
 *   claim    under the lock (fast): for each tenant with no live member,
 *            take the flock of each of its stale leases and write
 *            "reclaiming=<pid>" into them; for a dead member of a tenant
 *            that still runs, the same for that one lease. A claimed lease
 *            is alive again (its flock is held), so nobody else claims it,
 *            and what it holds (NICs, cpus, pages) still counts as held
 *            until it is given back.
 *   reclaim  without the lock: the reclaimer runs; then, under the lock
 *            for a moment, the leases of what was given back are removed,
 *            and the others are marked "reclaim_failed=<time>" and let go.
 *
 * A reclaimer that dies in between (kill -9, a container stopped) drops its
 * flocks with its last fd: the leases are stale again and the next sweep
 * claims them. A failed tenant is not claimed again by admissions for
 * TR_SWEEP_BACKOFF_S seconds; `tenantrt reap` tries it at once.
 *
 * Admission reclaims in a detached child what it claimed (tr_sweep_detach),
 * except what it waits for itself: its own tenant's previous run, its
 * member slot, or a tenant whose NICs, cpus or pages it needs
 * (host/admit.c).
 */
#ifndef TR_HOST_SWEEP_H
#define TR_HOST_SWEEP_H

#include <stdbool.h>
#include <sys/types.h>

#include "host/ledger.h"

#define TR_SWEEP_BACKOFF_S 10

enum tr_sweep_pace {
	TR_SWEEP_PACED,    /* skip what failed less than BACKOFF_S ago */
	TR_SWEEP_NOW,      /* try everything (`tenantrt reap`) */
};

/* One claimed tenant (whole) or member, with the leases held for it. */
struct tr_claim {
	struct tr_lease lease;   /* what the reclaimer works from */
	bool whole;
	bool own;                /* fd[0] is the last member's own lease */
	unsigned n;
	int fd[TR_MAX_MEMBERS + 1];
	char file[TR_MAX_MEMBERS + 1][TR_LEASE_PATH_MAX];
};

struct tr_sweep_claims {
	unsigned n, cap;
	struct tr_claim *v;
};

/*
 * With the ledger locked, after tr_ledger_scan(): claim what is stale into
 * out (appended). v[] is updated to what the ledger now says: a claimed
 * lease is alive with reclaiming set. A lease too broken to name a tenant
 * is removed at once. Says what it removed through r->note (r may be NULL).
 */
void tr_sweep_claim(struct tr_ledger *lg, struct tr_lease *v, unsigned n,
		    enum tr_sweep_pace pace, const struct tr_reclaimer *r,
		    struct tr_sweep_claims *out);

/*
 * With the ledger locked: claim tenant's state for its last member, whose
 * lease is held on own_fd (own is that lease): the tenant's stale leases
 * and the member's own. The claim takes own_fd over.
 */
int tr_sweep_claim_own(struct tr_ledger *lg, struct tr_lease *v, unsigned n,
		       const struct tr_lease *own, int own_fd,
		       struct tr_sweep_claims *out);

/* The claim in c that holds the lease file, or -1. */
int tr_sweep_find(const struct tr_sweep_claims *c, const char *file);

/*
 * Without the lock: reclaim claim i, then settle its leases under the lock.
 * Returns 0 when given back, 1 when kept (its primary still runs), -1 when
 * it failed (err says why; also told through r->note).
 */
int tr_sweep_reclaim_one(struct tr_ledger *lg, struct tr_sweep_claims *c,
			 unsigned i, const struct tr_reclaimer *r,
			 struct tr_error *err);

/* Every claim of c in turn; returns how many failed (a tenant kept
 * because its primary still runs is no failure). */
unsigned tr_sweep_reclaim_all(struct tr_ledger *lg, struct tr_sweep_claims *c,
			      const struct tr_reclaimer *r);

/*
 * Every claim of c in a detached child (its own session), which holds the
 * claims' flocks from now on; c is emptied. Returns the child's pid, 0 when
 * there was nothing to do, -1 when fork failed (the claims are let go:
 * stale again, for a later sweep).
 */
pid_t tr_sweep_detach(struct tr_ledger *lg, struct tr_sweep_claims *c,
		      const struct tr_reclaimer *r);

/* Let go of what is still claimed (stale again, untouched) and free. */
void tr_sweep_free(struct tr_sweep_claims *c);

#endif
