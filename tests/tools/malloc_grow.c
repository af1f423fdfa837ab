/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A DPDK app whose memory grows at run time until DPDK says no:
 *
 *   malloc_grow <EAL args> [-- STEP_MB]
 *
 * After EAL init it calls rte_malloc() for STEP_MB (default 8) at a time
 * until it returns NULL, then prints
 *   "malloc_grow: got N MiB, then rte_malloc returned NULL"
 * and proves it still runs by freeing it all and allocating one step again:
 *   "malloc_grow: still running"
 * Exit 0 when growth ended in a clean NULL; 1 when EAL init failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#define MAX_CHUNKS 4096

int main(int argc, char **argv)
{
	static void *chunks[MAX_CHUNKS];
	int n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "malloc_grow: EAL init failed: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	argc -= n;
	argv += n;
	unsigned long step = argc > 1 ? strtoul(argv[1], NULL, 10) : 8;
	unsigned got = 0;
	while (got < MAX_CHUNKS) {
		void *p = rte_malloc("malloc_grow", step << 20, 0);
		if (p == NULL)
			break;
		/* Touch it: the quota must hold for memory really used. */
		memset(p, 0xa5, step << 20);
		chunks[got++] = p;
	}
	/* rte_malloc() does not always set rte_errno on failure (22.11):
	 * NULL is the whole answer. */
	printf("malloc_grow: got %lu MiB, then rte_malloc returned NULL\n",
	       got * step);
	for (unsigned i = 0; i < got; i++)
		rte_free(chunks[i]);
	void *again = rte_malloc("malloc_grow_again", step << 20, 0);
	if (again != NULL) {
		rte_free(again);
		printf("malloc_grow: still running\n");
	}
	fflush(stdout);
	rte_eal_cleanup();
	return 0;
}
