/* SPDX-License-Identifier: BSD-3-Clause */
#include "isolate/numa.h"

#include <errno.h>
#include <linux/mempolicy.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host/hostfacts.h"

int tr_numa_bind(uint64_t nodes, struct tr_error *err)
{
	if (nodes == 0)
		return 0;
	struct tr_cpuset online;
	if (tr_host_numa_nodes(&online) < 0) {
		/* A kernel without NUMA has node 0 only: nothing to bind. */
		if (nodes == 1)
			return 0;
		return tr_err(err, EX_CONFIG,
			      "NUMA binding to nodes 0x%llx planned, but this "
			      "kernel has no NUMA support; plan memory on "
			      "node 0 only (memory.totalMb)",
			      (unsigned long long)nodes);
	}
	for (int n = 0; n < 64; n++)
		if ((nodes & (UINT64_C(1) << n)) && !tr_cpuset_isset(&online, (unsigned)n)) {
			char list[256];
			tr_cpuset_format(&online, list, sizeof(list));
			return tr_err(err, EX_CONFIG,
				      "NUMA node %d is planned but the host "
				      "has nodes %s only; fix memory.socketMb",
				      n, list);
		}
	/* The raw system call (libnuma is not linked: see host/hostfacts.c);
	 * it runs in the child where only err may speak. The kernel reads
	 * maxnode-1 bits, hence 65 for a 64-bit mask. */
	unsigned long mask[1] = { (unsigned long)nodes };
	if (syscall(SYS_set_mempolicy, MPOL_BIND, mask, 65UL) < 0)
		return tr_err_sys(err, EX_OSERR, errno,
				  "cannot bind memory to NUMA nodes 0x%llx",
				  (unsigned long long)nodes);
	return 0;
}
