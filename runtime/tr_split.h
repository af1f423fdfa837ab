/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How a group's work is spread over queues and lcores: how many queue
 * pairs the primary configures, which queues each lcore of each member
 * polls and sends on, and which primary lcore drains which member lcore's
 * return ring. No DPDK state and no syscalls, so the unit tests
 * (rt_test_split) cover every case directly.
 *
 * The rules, for a group of M members (member 0 is the primary) whose
 * primary has L0 lcores:
 *  - Queue pair q of every port belongs to member q % M. With the default
 *    queues=0 the primary configures M x L0 pairs (capped by the device), so
 *    each member has L0 of them.
 *  - symmetric: lcore j of member m polls its member's pairs t = j, j + L,
 *    j + 2L, ... (L = its lcores) and sends on the first of them; an lcore
 *    left without a pair does not run.
 *  - distribute: the primary's lcores share the RX queues of every port
 *    (as many as the TX queues: net_tap takes nothing else; with tx=ring,
 *    L0 of each): with at least L0 RX queues, lcore i takes queue i, i + L0,
 *    ... of every port, else the (queue, port) units round-robin. Each
 *    lcore sends on a TX queue of its own (its member's pairs; all pairs
 *    with tx=ring, where members send nothing). A member lcore drains its own ring and
 *    sends on its member's j-th pair (none with tx=ring: it returns bursts
 *    to the primary through its out ring); an lcore without a pair does
 *    not run. One RX queue is polled by one lcore, so a flow (one queue,
 *    by RSS) reaches one ring in order.
 */
#ifndef TR_SPLIT_H
#define TR_SPLIT_H

#include <stdbool.h>
#include <stdint.h>

#include "tenantrt.h"

/* Queue pairs per port tenantrt configures at most. */
#define TR_MAX_QUEUES 64
/* RX units (port, queue) one lcore may poll. */
#define TR_MAX_UNITS (TR_MAX_PORTS * TR_MAX_QUEUES)

/* What the primary knows when it configures the ports. */
struct tr_split_conf {
	enum tr_dp_mode mode;
	bool tx_ring;        /* distribute: members return bursts */
	unsigned members;    /* M, 1..TR_MAX_MEMBERS */
	unsigned n_ports;
	unsigned rxq, txq;   /* queues per port, from tr_split_queues() */
};

/* One RX queue an lcore polls. */
struct tr_unit {
	uint16_t port;       /* index in the tenant's ports */
	uint16_t queue;
};

/* The work of one lcore. */
struct tr_lcore_work {
	bool runs;           /* false: nothing for it (too few queues) */
	bool ring;           /* distribute member: drains its in ring */
	int txq;             /* its TX queue on every port, -1: none (tx=ring) */
	unsigned n_units;
	struct tr_unit unit[TR_MAX_UNITS];
};

/*
 * Queues per port for a group of members whose primary has l0 lcores:
 * want (TENANTRT_DATAPATH queues=, 0 = the default above), dev_rx/dev_tx
 * the device's maxima (min over the ports). Sets *rxq and *txq.
 * @return 0, or -1 when the device cannot give every member a queue pair
 *   where the mode needs one (symmetric; distribute with tx=own).
 */
int tr_split_queues(enum tr_dp_mode mode, bool tx_ring, unsigned members,
		    unsigned l0, unsigned want, unsigned dev_rx, unsigned dev_tx,
		    unsigned *rxq, unsigned *txq);

/*
 * The work of lcore j (0 = main) of member m, which has n_lcores lcores.
 * @return 0, -1 for arguments out of range.
 */
int tr_split_lcore(const struct tr_split_conf *c, unsigned m, unsigned n_lcores,
		   unsigned j, struct tr_lcore_work *out);

/* How many of member m's n_lcores lcores run (have work). Those that run
 * are always lcores 0..n-1. */
unsigned tr_split_running(const struct tr_split_conf *c, unsigned m,
			  unsigned n_lcores);

/* distribute, tx=ring: the primary lcore (of l0 running) that drains the
 * out ring of lcore j of member m. */
static inline unsigned tr_split_drainer(unsigned m, unsigned j, unsigned l0)
{
	return l0 ? (m + j) % l0 : 0;
}

#endif
