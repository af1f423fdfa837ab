/* SPDX-License-Identifier: BSD-3-Clause */
/* Queues and lcores: who polls and sends on what (tr_split.h). */
#include <stddef.h>
#include <string.h>

#include "tr_split.h"

static unsigned min2(unsigned a, unsigned b)
{
	return a < b ? a : b;
}

static unsigned min3(unsigned a, unsigned b, unsigned c)
{
	return min2(min2(a, b), c);
}

int tr_split_queues(enum tr_dp_mode mode, bool tx_ring, unsigned members,
		    unsigned l0, unsigned want, unsigned dev_rx, unsigned dev_tx,
		    unsigned *rxq, unsigned *txq)
{
	unsigned per_member = want ? want : members * (l0 ? l0 : 1);
	unsigned rx_only = want ? want : (l0 ? l0 : 1);

	/* As many RX as TX queues (net_tap, for one, takes nothing else):
	 * in distribute mode the primary's lcores poll the extra RX ones. */
	if (mode == TR_DP_MODE_SYMMETRIC || !tx_ring) {
		*rxq = *txq = min3(per_member, min2(dev_rx, dev_tx), TR_MAX_QUEUES);
		return *rxq >= members && *rxq > 0 ? 0 : -1;
	}
	*rxq = *txq = min3(rx_only, min2(dev_rx, dev_tx), TR_MAX_QUEUES);
	return *rxq > 0 ? 0 : -1;
}

/* Queue pairs of member m among q pairs: m, m + M, m + 2M, ... */
static unsigned owned(unsigned q, unsigned members, unsigned m)
{
	return m < q ? (q - m + members - 1) / members : 0;
}

/* distribute: how many primary lcores poll RX (each needs a TX queue). */
static unsigned primary_running(const struct tr_split_conf *c, unsigned n)
{
	unsigned tx = c->tx_ring ? c->txq : owned(c->txq, c->members, 0);
	unsigned units = c->rxq * c->n_ports;

	return min3(n, tx, units);
}

unsigned tr_split_running(const struct tr_split_conf *c, unsigned m,
			  unsigned n_lcores)
{
	if (c->mode == TR_DP_MODE_SYMMETRIC)
		return min2(n_lcores, owned(c->rxq, c->members, m));
	if (m == 0)
		return primary_running(c, n_lcores);
	return c->tx_ring ? n_lcores : min2(n_lcores, owned(c->txq, c->members, m));
}

int tr_split_lcore(const struct tr_split_conf *c, unsigned m, unsigned n_lcores,
		   unsigned j, struct tr_lcore_work *w)
{
	unsigned run;

	if (m >= c->members || j >= n_lcores || n_lcores > TR_MAX_LCORES_PER_MEMBER ||
	    c->n_ports > TR_MAX_PORTS || c->rxq > TR_MAX_QUEUES ||
	    c->txq > TR_MAX_QUEUES)
		return -1;
	memset(w, 0, offsetof(struct tr_lcore_work, unit));
	w->txq = -1;
	run = tr_split_running(c, m, n_lcores);
	if (j >= run)
		return 0;
	w->runs = true;
	if (c->mode == TR_DP_MODE_SYMMETRIC) {
		/* Member m's t-th pair is m + t*M; lcore j takes t = j (mod run). */
		for (unsigned t = j; t < owned(c->rxq, c->members, m); t += run)
			for (unsigned p = 0; p < c->n_ports; p++)
				w->unit[w->n_units++] = (struct tr_unit){
					.port = (uint16_t)p,
					.queue = (uint16_t)(m + t * c->members),
				};
		w->txq = (int)(m + j * c->members);
		return 0;
	}
	if (m != 0) {
		w->ring = true;
		if (!c->tx_ring)
			w->txq = (int)(m + j * c->members);
		return 0;
	}
	w->txq = (int)(c->tx_ring ? j : j * c->members);
	for (unsigned q = 0; q < c->rxq; q++)
		for (unsigned p = 0; p < c->n_ports; p++) {
			unsigned owner = c->rxq >= run ? q % run :
						   (q * c->n_ports + p) % run;
			if (owner == j)
				w->unit[w->n_units++] = (struct tr_unit){
					.port = (uint16_t)p, .queue = (uint16_t)q,
				};
		}
	return 0;
}
