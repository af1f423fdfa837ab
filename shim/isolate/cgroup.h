/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A tenant's cgroups: `tenantrt/<tenant>` under the hierarchy that holds
 * each controller.
 *
 *   hugetlb  the only limit that also stops hugepages taken through memfd
 *            (`--in-memory`), which no hugetlbfs `size=` sees. Where the
 *            kernel has `hugetlb.<size>.rsvd.*`, the reservation is limited
 *            too, so an mmap past the quota fails with ENOMEM instead of a
 *            SIGBUS at first touch.
 *   cpuset   holds the tenant's threads to its cpus (and memory to its NUMA
 *            nodes): EAL re-pins itself to its `-l` cores, so affinity set
 *            from outside is no limit.
 *
 * Where a controller lives: cgroup v2 first (the host's v2 root,
 * /sys/fs/cgroup on a pure v2 host or /sys/fs/cgroup/unified on a hybrid
 * one, when it lists the controller in cgroup.controllers; `+ctrl` is
 * written to cgroup.subtree_control on the way down), else a v1 hierarchy
 * mounted at /sys/fs/cgroup/<ctrl>. A controller can be in one hierarchy
 * only, so at most one of them offers it.
 *
 * When no hierarchy offers a controller, or the cgroup filesystem is not
 * ours to write (read-only in a container, EACCES/EPERM/EROFS), setup
 * succeeds without it: the quota is then soft (tr_cgroup_is_hard() says
 * so, and `tenantrt status` shows it). Every other failure is an error.
 */
#ifndef TR_ISOLATE_CGROUP_H
#define TR_ISOLATE_CGROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "common/cpuset.h"
#include "common/error.h"

#define TR_CGROUP_PARENT "tenantrt"

enum tr_cg_ctrl {
	TR_CG_HUGETLB = 0,
	TR_CG_CPUSET = 1,
	TR_CG_NCTRL
};

/* Where a controller is: its hierarchy's root dir, and whether it is v2. */
struct tr_cg_where {
	bool found;
	bool v2;
	char root[512];
};

/* Tests point this at a made-up tree; default "/sys/fs/cgroup". */
void tr_cgroup_set_fsroot(const char *fsroot);

/* Find the hierarchy holding ctrl (no allocation: safe after fork). */
void tr_cgroup_locate(enum tr_cg_ctrl ctrl, struct tr_cg_where *w);

/* Kernel's name of a hugepage size in hugetlb file names: "2MB", "1GB". */
void tr_cgroup_hugetlb_size_name(uint64_t page_bytes, char *buf,
				 unsigned len);

/*
 * Create tenantrt/<tenant> where each controller is and set its limits:
 * hugetlb (and rsvd) = limit_bytes for page_bytes pages; cpuset.cpus =
 * cpus (all of the parent's when empty), cpuset.mems = nodes in mems_mask
 * (the parent's when 0). Idempotent: a second member of the tenant finds
 * the groups and rewrites the same limits. EX_OSERR/EX_NOPERM on failure.
 */
int tr_cgroup_setup(const char *tenant, uint64_t page_bytes,
		    uint64_t limit_bytes, const struct tr_cpuset *cpus,
		    uint64_t mems_mask, struct tr_error *err);

/* Move the calling process into the tenant's groups (after fork). */
int tr_cgroup_join(const char *tenant, struct tr_error *err);

/* rmdir the tenant's groups; missing ones are fine. EX_TEMPFAIL if a
 * group still has processes. */
int tr_cgroup_remove(const char *tenant, struct tr_error *err);

/* Does a controller hold the tenant? For hugetlb: is a limit set? */
bool tr_cgroup_is_hard(const char *tenant, enum tr_cg_ctrl ctrl);

#endif
