/* SPDX-License-Identifier: BSD-3-Clause */
#include "isolate/numa.h"

#include <errno.h>
#include <numa.h>
#include <numaif.h>

int tr_numa_bind(uint64_t nodes, struct tr_error *err)
{
	if (nodes == 0)
		return 0;
	if (numa_available() < 0) {
		/* A kernel without NUMA has node 0 only: nothing to bind. */
		if (nodes == 1)
			return 0;
		return tr_err(err, EX_CONFIG,
			      "NUMA binding to nodes 0x%llx planned, but this "
			      "kernel has no NUMA support; plan memory on "
			      "node 0 only (memory.totalMb)",
			      (unsigned long long)nodes);
	}
	int max = numa_max_node();
	for (int n = 0; n < 64; n++)
		if ((nodes & (UINT64_C(1) << n)) && n > max)
			return tr_err(err, EX_CONFIG,
				      "NUMA node %d is planned but the host "
				      "has nodes 0-%d only; fix memory.socketMb",
				      n, max);
	/* The raw call, not numa_set_membind(): libnuma prints its errors,
	 * and this runs in the child where only err may speak. The kernel
	 * reads maxnode-1 bits, hence 65 for a 64-bit mask. */
	unsigned long mask[1] = { (unsigned long)nodes };
	if (set_mempolicy(MPOL_BIND, mask, 65) < 0)
		return tr_err_sys(err, EX_OSERR, errno,
				  "cannot bind memory to NUMA nodes 0x%llx",
				  (unsigned long long)nodes);
	return 0;
}
