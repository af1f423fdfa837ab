/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NUMA memory policy of a tenant's process (set_mempolicy(2)): MPOL_BIND
 * to the nodes of the tenant's socketMb.
 *
 * The policy is what the app's ordinary memory follows; DPDK sets its own
 * preferred node around each hugepage it allocates, so the hard limit for
 * hugepages is the cpuset cgroup's cpuset.mems (cgroup.c), set to the same
 * nodes.
 */
#ifndef TR_ISOLATE_NUMA_H
#define TR_ISOLATE_NUMA_H

#include <stdint.h>

#include "common/error.h"

/* Bind the calling process's memory to nodes (bit n = node n); 0 = leave
 * the policy alone. No printing (safe after fork). EX_CONFIG when a node
 * does not exist. */
int tr_numa_bind(uint64_t nodes, struct tr_error *err);

#endif
