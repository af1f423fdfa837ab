/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The admission ledger's storage: which tenant processes run on this host
 * and what they hold, across shims and config files that share one
 * runtimeRoot. The rules are host/admit.h's.
 *
 * Layout under <runtimeRoot>/.ledger/ (root's, mode 0700):
 *   lock                       flock(LOCK_EX) around every read-modify-write
 *   <tenant>.<member>.lease    one per running member (host/lease.h); its
 *                              shim holds flock(LOCK_EX) on it for life
 *   <tenant>.uid               the tenant's dynamic uid (host/dynuid.h)
 *   <tenant>.group             its group record (host/manifest.h)
 *
 * A lease whose flock can be taken has no live shim: it is stale (the shim
 * exited without cleaning, or was kill -9'd) and is swept (host/sweep.h)
 * by the next admission, the last shim of the tenant, or `tenantrt reap`:
 * claimed under the ledger lock, reclaimed without it. No pid files, no
 * pid reuse races: the kernel drops the flock when the shim's last fd
 * goes.
 */
#ifndef TR_HOST_LEDGER_H
#define TR_HOST_LEDGER_H

#include <stdbool.h>

#include "common/error.h"
#include "host/lease.h"

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

/* Rewrite a held lease file (fd) with l. */
int tr_lease_write(int fd, const struct tr_lease *l, struct tr_error *err);

/* With the ledger locked, once a tenant was reclaimed whole: drop its group
 * record and hand its dynamic uid back; clean when its cgroups were killed
 * and removed (host/dynuid.h). */
void tr_ledger_forget_tenant(struct tr_ledger *lg, const char *tenant, bool clean);

/* Hears each thing a reclaim removed (one line, no newline). */
typedef void (*tr_note_fn)(void *ctx, const char *what);

/*
 * Who gives a dead tenant's state back: what still runs in its cgroup, its
 * files, mount and isolation (the run stage's tr_reap_tenant; tests give
 * their own). reclaim returns 0 when done, 1 when kept because its DPDK
 * primary still runs, -1 with err. reclaim_member (may be NULL) gives back
 * one dead member of a tenant that has live ones: 0 or -1 with err.
 */
struct tr_reclaimer {
	int (*reclaim)(const struct tr_lease *l, tr_note_fn note, void *ctx,
		       struct tr_error *err);
	int (*reclaim_member)(const struct tr_lease *l, tr_note_fn note,
			      void *ctx, struct tr_error *err);
	tr_note_fn note;
	void *ctx;
};

#endif
