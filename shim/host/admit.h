/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 5, admit: the ledger's rules (DPDK checks none of them), checked
 * under the ledger lock against every running member of every tenant that
 * shares the runtimeRoot:
 *   - a NIC belongs to at most one running tenant;
 *   - cpus of an exclusive tenant overlap no other running tenant's cpus;
 *   - one primary per tenant; no new primary while a secondary of the old
 *     one still runs; a secondary needs a live primary;
 *   - at most maxSecondaries secondaries, each in its own member slot (and
 *     so with its own lcore ids, which the plan derives from it);
 *   - the tenant's hugepage quota fits the free pool (see tr_admit).
 * What a member asks for is its plan's (tr_admit_req_from_plan): admission
 * never computes a quota or a path of its own.
 */
#ifndef TR_HOST_ADMIT_H
#define TR_HOST_ADMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/error.h"
#include "host/dynuid.h"
#include "host/ledger.h"
#include "plan/plan.h"

/* Run under the ledger lock when the member is its tenant's first (no
 * other live member), after its lease is written: what the whole tenant
 * holds while it runs, e.g. its network namespace. A failure refuses the
 * member (the hook undoes its own half-work). */
struct tr_admit_hook {
	int (*first)(void *ctx, struct tr_error *err);
	void *ctx;
};

struct tr_admit_req {
	const char *tenant;
	enum tr_role role;
	unsigned member;                /* the plan's member slot */
	unsigned max_secondaries;
	bool primary_lock_held;         /* DPDK's config lock, seen just now */
	pid_t primary_lock_pid;
	uint64_t free_pages;            /* host facts: free pages of our size */
	bool reread_free_pages;         /* read sysfs again under the lock
					   (the shim; tests give free_pages) */
	struct tr_lease lease;          /* what the member will hold
					   (member, alive, file ignored) */
	const struct tr_reclaimer *reclaim;  /* for stale state (may be NULL) */
	/* The host's own uids as the plan's inputs read them (may be NULL:
	 * read here): a dynamic uid is checked against them again, and
	 * against the ledger's records and leases under the lock. */
	struct tr_host_uids *host_uids;
	const struct tr_admit_hook *hook;    /* may be NULL */
};

/* The request for plan p: its claims, lcores, cpus and dirs; config is the
 * file it came from (recorded for status). */
void tr_admit_req_from_plan(struct tr_admit_req *req, const struct tr_plan *p,
			    const char *config);

/* The first member slot 1..max_secondaries that no live lease of tenant
 * holds; else one a dead member's reclaim holds (admission waits for it);
 * 1 when all are held: admission then says so. */
unsigned tr_admit_free_member(const struct tr_lease *v, unsigned n,
			      const char *tenant, unsigned max_secondaries);

struct tr_admission {
	int fd;                         /* the held lease, -1 when none */
	struct tr_lease lease;
	bool first;                     /* no other live member of the tenant */
	bool retry;                     /* refused because the group changed
					   since the role was decided (another
					   primary won the race, the slot was
					   taken): decide and plan again */
	bool replan;                    /* refused because the plan's dynamic
					   uid went to another tenant: plan
					   again, whatever the role asked */
	pid_t sweeper;                  /* the detached child giving back
					   what admission found stale, or 0 */
	bool left_behind;               /* set before release when the
					   member's processes would not die:
					   the lease stays, stale, for a later
					   sweep */
};

/*
 * Admit a member under the ledger lock: claim stale state (host/sweep.h),
 * check the rules, write and hold the lease. A refusal is -1 with
 * EX_UNAVAILABLE and one line naming the holder (tenant, pid).
 *
 * Claimed state is given back after the lock: in a detached child
 * (adm->sweeper), except what this admission needs back itself (its own
 * tenant's previous run, its member slot; NICs, cpus or pages a tenant being
 * reclaimed still holds), which it gives back or waits for, up to 15 s, and
 * then tries again.
 *
 * Hugepage quota: the new primary's quota must fit in the pool's free pages
 * minus what running tenants are promised but have not faulted in yet
 * (their quota minus the pages in their hugetlbfs dirs). Pages already
 * used are gone from free_pages, so they are not counted twice.
 */
int tr_admit(struct tr_ledger *lg, const struct tr_admit_req *req,
	     struct tr_admission *adm, struct tr_error *err);

/* Rewrite the held lease (e.g. the mount, the app pid). */
int tr_admission_update(struct tr_ledger *lg, struct tr_admission *adm,
			struct tr_error *err);

/*
 * Give the lease back (at the member's end): under the ledger lock, drop
 * the lease, or, when no live member of the tenant is left, claim the
 * tenant's state with it; then, without the lock, reclaim it (r) and what
 * others left. A reclaim that fails leaves the lease stale for later.
 */
int tr_admission_release(struct tr_ledger *lg, struct tr_admission *adm,
			 const struct tr_reclaimer *r, struct tr_error *err);

#endif
