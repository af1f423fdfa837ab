/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The admission ledger: which tenant processes run on this host and what
 * they hold, across shims and config files that share one runtimeRoot.
 *
 * Layout under <runtimeRoot>/.ledger/:
 *   lock                       flock(LOCK_EX) around every read-modify-write
 *   <tenant>.<member>.lease    one per running member, key=value text;
 *                              its shim holds flock(LOCK_EX) on it for life
 *
 * A lease whose flock can be taken has no live shim: it is stale (the shim
 * exited without cleaning, or was kill -9'd) and is reclaimed under the
 * ledger lock by the next admission, the last shim of the tenant, or
 * `tenantrt reap`. No pid files, no pid reuse races: the kernel drops the
 * flock when the shim's last fd goes.
 *
 * Rules checked at admission (DPDK checks none of them):
 *   - a NIC belongs to at most one running tenant;
 *   - cpus of an exclusive tenant overlap no other running tenant's cpus;
 *   - one primary per tenant; no new primary while a secondary of the old
 *     one still runs; a secondary needs a live primary;
 *   - at most maxSecondaries secondaries, each with its own member index
 *     (and so its own lcore ids, which the plan derives from it);
 *   - the tenant's hugepage quota fits the free pool (see tr_admit).
 */
#ifndef TR_HOST_ADMIT_H
#define TR_HOST_ADMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/cpuset.h"
#include "common/error.h"
#include "config/model.h"
#include "plan/plan.h"

#define TR_LEASE_PATH_MAX 4096
#define TR_NIC_ID_MAX 160

struct tr_lease {
	char tenant[TR_NAME_MAX];
	unsigned member;
	enum tr_role role;
	pid_t shim_pid;
	pid_t app_pid;                  /* 0 until forked */
	long long since;                /* unix time of admission */
	bool exclusive;                 /* cpuPolicy exclusive */
	struct tr_cpuset cpus;          /* the tenant's cpus */
	struct tr_cpuset member_cpus;   /* cpus this member's lcores run on */
	char lcores[256];               /* lcore ids, "2,3" */
	unsigned n_nics;
	char nics[TR_MAX_NICS][TR_NIC_ID_MAX];  /* NIC identities */
	uint64_t quota_pages;           /* hugepage quota, whole pages */
	uint64_t page_bytes;
	bool huge_mounted;              /* the shim mounted the tenant's hugetlbfs */
	char runtime_dir[TR_LEASE_PATH_MAX];
	char huge_dir[TR_LEASE_PATH_MAX];
	char config[TR_LEASE_PATH_MAX];

	/* Filled by tr_ledger_scan, not stored. */
	bool alive;
	char file[TR_LEASE_PATH_MAX];
};

struct tr_ledger {
	int lock_fd;
	char root[TR_LEASE_PATH_MAX];   /* runtimeRoot */
	char dir[TR_LEASE_PATH_MAX];    /* <runtimeRoot>/.ledger */
};

/* Open (create when create is true) the ledger of a runtimeRoot. Without
 * create, a missing ledger is -1 with EX_NOINPUT. */
int tr_ledger_open(struct tr_ledger *lg, const char *runtime_root, bool create,
		   struct tr_error *err);
void tr_ledger_close(struct tr_ledger *lg);
int tr_ledger_lock(struct tr_ledger *lg, bool exclusive, struct tr_error *err);
void tr_ledger_unlock(struct tr_ledger *lg);

/* Every lease, with alive set. *out is malloc'd (free it), sorted by
 * tenant then member. Call with the ledger locked. */
int tr_ledger_scan(struct tr_ledger *lg, struct tr_lease **out, unsigned *n,
		   struct tr_error *err);

/* The identity under which a NIC is exclusive: the BDF; for a vdev bound
 * to a kernel interface its "iface=X"; else the vdev's name, shown by
 * status but not leased (such a vdev exists only inside its process). */
void tr_nic_identity(const struct tr_nic *nic, char *buf, size_t len);

/* Hears each thing a reclaim removed (one line, no newline). */
typedef void (*tr_note_fn)(void *ctx, const char *what);

struct tr_admit_req {
	const char *tenant;
	enum tr_role role;
	unsigned max_secondaries;
	bool primary_lock_held;         /* DPDK's config lock, seen just now */
	pid_t primary_lock_pid;
	uint64_t free_pages;            /* host facts: free pages of our size */
	bool reread_free_pages;         /* read sysfs again under the lock
					   (the shim; tests give free_pages) */
	struct tr_lease lease;          /* what the new member will hold
					   (member, alive, file ignored) */
	tr_note_fn note;                /* told what stale state was reclaimed */
	void *note_ctx;
};

struct tr_admission {
	int fd;                         /* the held lease, -1 when none */
	struct tr_lease lease;
	bool first;                     /* no other live member of the tenant */
	bool lost_primary_race;         /* refused as primary: another primary
					   holds the tenant (role auto may join
					   it as a secondary instead) */
};

/*
 * Admit a member under the ledger lock: reclaim stale state, check the
 * rules, pick the member index, write and hold the lease. A refusal is -1
 * with EX_UNAVAILABLE and one line naming the holder (tenant, pid).
 *
 * Hugepage quota: the new primary's quota must fit in the pool's free pages
 * minus what running tenants are promised but have not faulted in yet
 * (their quota minus the pages in their hugetlbfs dirs). Pages already
 * used are gone from free_pages, so they are not counted twice.
 */
int tr_admit(struct tr_ledger *lg, const struct tr_admit_req *req,
	     struct tr_admission *adm, struct tr_error *err);

/* Rewrite the held lease (e.g. the lcores from the plan, the app pid). */
int tr_admission_update(struct tr_ledger *lg, struct tr_admission *adm,
			struct tr_error *err);

/*
 * Give the lease back (at the member's end): under the ledger lock, drop
 * the lease; when no live member of the tenant is left, reclaim the
 * tenant's state at once. note (may be NULL) hears each thing removed.
 */
int tr_admission_release(struct tr_ledger *lg, struct tr_admission *adm,
			 tr_note_fn note, void *ctx, struct tr_error *err);

/* Serialise / parse one lease (exposed for tests). */
int tr_lease_format(const struct tr_lease *l, char *buf, size_t len);
int tr_lease_parse(struct tr_lease *l, const char *text);

#endif
