/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A tenant's cgroups: its group (common/cgnames.h: tenantrt/<root-id>-<tenant>)
 * under every hierarchy that holds a controller it uses, and one leaf per
 * member (<group>/m<N>) where that member's processes live. Limits are set on
 * the group, so they hold the whole tenant; the leaves let one member be
 * killed without its group.
 *
 *   hugetlb  the only limit that also stops hugepages taken through memfd
 *            (`--in-memory`), which no hugetlbfs `size=` sees. Where the
 *            kernel has `hugetlb.<size>.rsvd.*`, the reservation is limited
 *            too, so an mmap past the quota fails with ENOMEM instead of a
 *            SIGBUS at first touch.
 *   cpuset   holds the tenant's threads to its cpus (and memory to its NUMA
 *            nodes): EAL re-pins itself to its `-l` cores, so affinity set
 *            from outside is no limit.
 *   pids     pids.max: a fork bomb stops at it (fork: EAGAIN).
 *   memory   memory.max (v2) or memory.limit_in_bytes (v1): the kernel
 *            OOM-kills inside the group, nothing outside it. Hugepages are
 *            not charged here (hugetlb is their limit). No swap on top: v2
 *            memory.swap.max 0, v1 memory.memsw.limit_in_bytes = the limit,
 *            where those files exist.
 *
 * Killing: every non-root cgroup v2 group has cgroup.kill (5.14+), whatever
 * controllers it holds, so the group is also made in the v2 hierarchy when
 * there is one (on a hybrid host: /sys/fs/cgroup/unified), only for that.
 * Without v2, the v1 freezer does it: freeze, SIGKILL every task (nothing
 * can fork meanwhile), thaw. Without either, every listed task is signalled
 * until none is left.
 *
 * Where a controller lives: cgroup v2 first (the host's v2 root,
 * /sys/fs/cgroup on a pure v2 host or /sys/fs/cgroup/unified on a hybrid
 * one, when it lists the controller in cgroup.controllers; `+ctrl` is
 * written to cgroup.subtree_control on the way down to the group), else a v1
 * hierarchy mounted at /sys/fs/cgroup/<ctrl>. A controller can be in one
 * hierarchy only, so at most one of them offers it.
 *
 * When no hierarchy offers a controller, or the cgroup filesystem is not
 * ours to write (read-only in a container, EACCES/EPERM/EROFS), setup
 * succeeds without it: the limit is then soft (tr_cgroup_is_hard() says
 * so, `tenantrt status` shows it). Every other failure is an error.
 */
#ifndef TR_ISOLATE_CGROUP_H
#define TR_ISOLATE_CGROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "common/cgnames.h"
#include "common/cpuset.h"
#include "common/error.h"

enum tr_cg_ctrl {
	TR_CG_HUGETLB = 0,
	TR_CG_CPUSET,
	TR_CG_PIDS,
	TR_CG_MEMORY,
	TR_CG_FREEZER,      /* v1 only, and only where v2 is absent */
	TR_CG_NCTRL
};

/* Every member of a tenant: tr_cgroup_kill / tr_cgroup_remove. */
#define TR_CG_ALL (-1)

/* Where a controller is: its hierarchy's root dir, and whether it is v2. */
struct tr_cg_where {
	bool found;
	bool v2;
	char root[512];
};

/* What setup writes into the tenant's group. */
struct tr_cg_limits {
	uint64_t page_bytes;
	uint64_t huge_limit_bytes;     /* hugetlb (and rsvd) limit */
	const struct tr_cpuset *cpus;  /* NULL or empty: the parent's */
	uint64_t mems_mask;            /* NUMA nodes; 0: the parent's */
	uint64_t pids_max;             /* 0: no limit */
	uint64_t memory_max_bytes;     /* 0: no limit */
};

/* Tests point this at a made-up tree; default "/sys/fs/cgroup". */
void tr_cgroup_set_fsroot(const char *fsroot);

/* Find the hierarchy holding ctrl (no allocation: safe after fork). */
void tr_cgroup_locate(enum tr_cg_ctrl ctrl, struct tr_cg_where *w);

/*
 * Create the group where each controller is, set its limits, and create
 * the member's leaf. Idempotent: a second member of the tenant finds the
 * group and rewrites the same limits. EX_TEMPFAIL when the tenant already
 * uses more than a new limit, EX_OSERR on other failures.
 */
int tr_cgroup_setup(const char *group, unsigned member,
		    const struct tr_cg_limits *lim, struct tr_error *err);

/*
 * An O_DIRECTORY fd of the member's leaf in the v2 hierarchy, for
 * clone3(CLONE_INTO_CGROUP): the child is then born in it. -ENOENT when
 * there is no v2 hierarchy or setup made no leaf there (soft), else -errno.
 */
int tr_cgroup_open_v2_leaf(const char *group, unsigned member);

/* tr_cgroup_join flags: the caller was born in its v2 leaf. */
#define TR_CG_JOIN_IN_V2 0x1u

/*
 * Move the calling process into the member's leaf of every hierarchy
 * (after fork, before exec; no allocation). The caller must be single
 * threaded, as a just-forked child is: on v1 its thread is moved (tasks),
 * which is the whole process. With TR_CG_JOIN_IN_V2 the v2 hierarchy is
 * left alone.
 */
int tr_cgroup_join(const char *group, unsigned member, unsigned flags,
		   struct tr_error *err);

/*
 * SIGKILL every process in the member's leaf (member >= 0) or in the whole
 * group (TR_CG_ALL) and wait up to timeout_ms until none is left. 0 when
 * none is left (also when there is no group), -1 with EX_TEMPFAIL when some
 * still are (a task in uninterruptible sleep) or EX_OSERR.
 */
int tr_cgroup_kill(const char *group, int member, unsigned timeout_ms,
		   struct tr_error *err);

/* rmdir the member's leaf (member >= 0) or the group with every leaf
 * (TR_CG_ALL); missing ones are fine. EX_TEMPFAIL if one still has
 * processes. */
int tr_cgroup_remove(const char *group, int member, struct tr_error *err);

/* Does a controller hold the tenant? For hugetlb, pids and memory: is a
 * limit set? For cpuset: are cpus set? */
bool tr_cgroup_is_hard(const char *group, enum tr_cg_ctrl ctrl);

#endif
