/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 6, isolate: what the kernel enforces around a tenant's processes.
 *
 * The shim calls, in this order:
 *   tr_isolate_tenant_setup()     parent, after admission, before fork:
 *                                 the tenant's cgroups (hugetlb, cpuset,
 *                                 pids and memory limits) and the member's
 *                                 leaf, idempotent across members
 *   tr_isolate_cgroup_fd()        parent, before fork: the member's v2
 *                                 leaf, for the child to be born in
 *   tr_isolate_child()            child, after fork, before exec: inherit
 *                                 nothing (fds, terminal: inherit.h), join
 *                                 the member's cgroups (those it was not
 *                                 born in), NUMA memory policy,
 *                                 its network namespace (netns.h), its own
 *                                 view of the host (mountns.h: mount and
 *                                 IPC namespaces, while still root in the
 *                                 host's user namespace), its user
 *                                 namespace, then drop privileges in one
 *                                 fixed order (securebits for uid 0,
 *                                 bounding set, keep-caps, ids, capset,
 *                                 no_new_privs, seccomp last)
 *   tr_isolate_member_stop()      when the member's app has exited: every
 *                                 process left in its leaf is killed
 *   tr_isolate_tenant_kill(), _teardown()
 *                                 when the tenant is reclaimed: every
 *                                 process of the tenant killed, its groups
 *                                 removed
 *
 * The runtime dir and the per-tenant hugetlbfs mount are tenantfs.c's.
 */
#ifndef TR_ISOLATE_ISOLATE_H
#define TR_ISOLATE_ISOLATE_H

#include <stdbool.h>

#include "common/error.h"
#include "plan/plan.h"

int tr_isolate_tenant_setup(const struct tr_plan *p, struct tr_error *err);
/* An fd of the member's cgroup v2 leaf (close-on-exec) to fork the child
 * into (run/forkcg.h), or -1 when there is none: the child then joins it. */
int tr_isolate_cgroup_fd(const struct tr_plan *p);
/* Runs in the forked child: no allocation-heavy work, no printing. in_v2:
 * it was born in its v2 leaf (tr_isolate_cgroup_fd). */
int tr_isolate_child(const struct tr_plan *p, bool in_v2, struct tr_error *err);
/* Kill what is left in a member's leaf and remove it. -1 with EX_TEMPFAIL
 * when a process would not die. */
int tr_isolate_member_stop(const char *cgroup, unsigned member,
			   struct tr_error *err);
/* Kill every process of the tenant (its whole group). */
int tr_isolate_tenant_kill(const char *cgroup, struct tr_error *err);
/* Remove the tenant's groups (after the kill). */
int tr_isolate_tenant_teardown(const char *cgroup, struct tr_error *err);
/* Is the tenant's hugepage quota enforced by a hugetlb cgroup? (status) */
bool tr_isolate_quota_is_hard(const char *cgroup);
/* Is the tenant held to its cpus by a cpuset cgroup? (status) */
bool tr_isolate_cpus_are_hard(const char *cgroup);

struct tr_seccomp_opts;
/* The holes the default seccomp profile opens for the planned NICs. */
void tr_isolate_seccomp_opts(const struct tr_plan *p,
			     struct tr_seccomp_opts *o);

#endif
