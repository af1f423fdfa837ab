/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 6, isolate: what the kernel enforces around a tenant's processes.
 *
 * The shim calls, in this order:
 *   tr_isolate_tenant_setup()     parent, after admission, before fork:
 *                                 the tenant's cgroups (hugetlb limit,
 *                                 cpuset), idempotent across members
 *   tr_isolate_child()            child, after fork, before exec: join the
 *                                 cgroups, NUMA memory policy, its own
 *                                 mount and IPC namespaces (mountns.h),
 *                                 then drop privileges in one fixed order
 *                                 (securebits for uid 0, bounding set,
 *                                 keep-caps, ids, capset, no_new_privs,
 *                                 seccomp last)
 *   tr_isolate_tenant_teardown()  when the tenant's last member is gone
 *
 * The runtime dir and the per-tenant hugetlbfs mount are tenantfs.c's.
 */
#ifndef TR_ISOLATE_ISOLATE_H
#define TR_ISOLATE_ISOLATE_H

#include <stdbool.h>

#include "common/error.h"
#include "plan/plan.h"

int tr_isolate_tenant_setup(const struct tr_plan *p, const char *tenant,
			    struct tr_error *err);
/* Runs in the forked child: no allocation-heavy work, no printing. */
int tr_isolate_child(const struct tr_plan *p, const char *tenant,
		     struct tr_error *err);
int tr_isolate_tenant_teardown(const char *tenant, struct tr_error *err);
/* Is the tenant's hugepage quota enforced by a hugetlb cgroup? (status) */
bool tr_isolate_quota_is_hard(const char *tenant);
/* Is the tenant held to its cpus by a cpuset cgroup? (status) */
bool tr_isolate_cpus_are_hard(const char *tenant);

struct tr_seccomp_opts;
/* The holes the default seccomp profile opens for the planned NICs. */
void tr_isolate_seccomp_opts(const struct tr_plan *p,
			     struct tr_seccomp_opts *o);

#endif
