/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A member's own view of the host: a mount namespace (and an IPC
 * namespace) made in the forked child, as root, before the privilege
 * drop, when the plan says so (iso.mount_ns: the shim holds
 * CAP_SYS_ADMIN). In it:
 *
 *   - the host is read-only and nosuid, recursively: /etc, /usr, /tmp,
 *     /dev/shm, /proc/sys, /sys and the cgroup fs included (device nodes
 *     still work: /dev/null, /dev/vfio/N);
 *   - the runtimeRoot (and the hugepageDir, when it lies elsewhere) is
 *     covered by an empty read-only tmpfs holding only this tenant's
 *     runtime dir and hugetlbfs, writable, at their usual paths: .ledger
 *     and the other tenants' dirs are not there at all;
 *   - the other tenants' runtime dirs and hugetlbfs mounts, copied into
 *     the namespace by unshare, are detached: its mountinfo names none;
 *   - /proc: a member that is not uid 0 gets it writable again (EAL names
 *     its threads through /proc/self/task/N/comm) except /proc/sys,
 *     /proc/sysrq-trigger, /proc/irq, /proc/bus, /proc/fs; a uid 0 member
 *     keeps all of /proc read-only, as it owns every root process's
 *     /proc files (oom_score_adj, coredump_filter);
 *   - SysV IPC and POSIX message queues are its own (they ignore a
 *     read-only fs); DPDK's multi-process channel is a unix socket in
 *     the runtime dir, which the members of a group share.
 *
 * The namespace holds for uid 0 with any capability but CAP_SYS_ADMIN,
 * which no member keeps (plan.c, validate.c). Host mounts are slaves:
 * an unmount on the host reaches the member, nothing goes back.
 *
 * Without CAP_SYS_ADMIN (a container) nothing happens here: the
 * container's own namespaces and read-only mounts are the view, and plan
 * and status say which.
 */
#ifndef TR_ISOLATE_MOUNTNS_H
#define TR_ISOLATE_MOUNTNS_H

#include "common/error.h"
#include "plan/plan.h"

/* In the child, before tr_privs_drop. No allocation, no printing.
 * in_own_ns: the child made a mount namespace already (its netns's sysfs,
 * isolate/netns.h), with the host's mounts as slaves: it is used, not
 * copied again (a copy of every mount, 0.1 ms). */
int tr_mountns_enter(const struct tr_isolation *iso, const char *tenant, bool in_own_ns,
		     struct tr_error *err);

#endif
