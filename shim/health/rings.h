/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The group's rte_rings, read from outside (health/dpdkmem.h): every ring is
 * on the RTE_RING tailq (struct rte_tailq_entry {next, prev, data}), mempool
 * rings included. In 22.11 a ring's producer and consumer head/tail pairs
 * are at bytes 128 and 256 of struct rte_ring (name at 0); an enqueue moves
 * the producer head, copies, then the tail; a dequeue the same with the
 * consumer's. A process killed between the two leaves head != tail for
 * good, and every other process that needs the ring spins in it forever:
 * the stuck group the health research measured most (a testpmd secondary
 * killed during its start-up, the mbuf pool's ring "MP_mb_pool_0"; 12 of
 * 42 tries). Seen twice the same across a probe period, it is not an
 * operation in flight.
 */
#ifndef TR_HOST_RINGS_H
#define TR_HOST_RINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "health/dpdkmem.h"

#define TR_RINGS_MAX 64

struct tr_ring_state {
	uint64_t addr;
	char name[32];
	uint32_t prod_head, prod_tail, cons_head, cons_tail;
};

struct tr_rings {
	unsigned n;
	struct tr_ring_state r[TR_RINGS_MAX];
};

/* Walk the ring tailq (at most TR_RINGS_MAX entries). */
void tr_rings_read(const struct tr_dpdk_mem *m, struct tr_rings *out);

/*
 * Rings with an unfinished enqueue or dequeue in both snapshots, unchanged
 * in between: true, and why names them ("ring MP_mb_pool_0: an enqueue
 * never finished (head 512, tail 137)"). Pure.
 */
bool tr_rings_stuck(const struct tr_rings *before, const struct tr_rings *now, char *why,
		    size_t len);

#endif
