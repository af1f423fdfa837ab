/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sending a handled burst (the data path's turns, and the primary taking
 * back a gone member's returned bursts in group.c). A full TX queue drops
 * and counts, it never stalls the loop; the one-port case is inline in
 * tr_rt.h (tr__tx_port).
 */
#include <rte_branch_prediction.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "tr_rt.h"

/* A burst for several ports (or with drops): sort it into per-port bins. */
static void __rte_noinline tx_mixed(struct tr_rt *rt, struct rte_mbuf **pkts,
				    uint16_t n, uint16_t txq,
				    struct tr_shm_lcore *cnt)
{
	struct rte_mbuf *bin[TR_MAX_PORTS][TR_MAX_BURST];
	struct rte_mbuf *drop[TR_MAX_BURST];
	uint16_t nb[TR_MAX_PORTS] = {0}, nd = 0;
	unsigned np = rt->n_ports;

	for (uint16_t i = 0; i < n; i++) {
		uint16_t p = pkts[i]->port;
		if (likely(p < np))
			bin[p][nb[p]++] = pkts[i];
		else
			drop[nd++] = pkts[i];
	}
	for (unsigned p = 0; p < np; p++)
		if (nb[p] != 0)
			tr__tx_port(rt, bin[p], nb[p], (uint16_t)p, txq, cnt);
	if (unlikely(nd)) {
		rte_pktmbuf_free_bulk(drop, nd);
		cnt->handler_drop += nd;
	}
}

void tr__tx_burst(struct tr_rt *rt, struct rte_mbuf **pkts, uint16_t n,
		  uint16_t txq, struct tr_shm_lcore *cnt)
{
	uint16_t p, i;

	if (unlikely(n == 0))
		return;
	/* Usually a whole burst leaves by one port: send it as it is. */
	p = pkts[0]->port;
	for (i = 1; i < n && pkts[i]->port == p; i++)
		;
	if (unlikely(i < n || p >= rt->n_ports)) {
		tx_mixed(rt, pkts, n, txq, cnt);
		return;
	}
	tr__tx_port(rt, pkts, n, p, txq, cnt);
}
