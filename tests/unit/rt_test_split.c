/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Who polls and sends on what (tr_split.h): queue counts per mode, each
 * lcore's RX queues and TX queue, and the whole-group properties the data
 * path relies on — every RX queue polled by exactly one lcore of the
 * group, no TX queue shared by two lcores — over many group shapes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "tr_split.h"

#define SYM TR_DP_MODE_SYMMETRIC
#define DIST TR_DP_MODE_DISTRIBUTE

static void queue_counts(void **state)
{
	unsigned rx, tx;
	(void)state;
	/* symmetric: members x primary lcores, capped by the device */
	assert_int_equal(tr_split_queues(SYM, false, 2, 1, 0, 64, 64, &rx, &tx), 0);
	assert_int_equal(rx, 2);
	assert_int_equal(tx, 2);
	assert_int_equal(tr_split_queues(SYM, false, 2, 2, 0, 64, 64, &rx, &tx), 0);
	assert_int_equal(rx, 4);
	assert_int_equal(tr_split_queues(SYM, false, 3, 8, 0, 16, 16, &rx, &tx), 0);
	assert_int_equal(rx, 16); /* net_tap's 16 */
	/* queues= wins; fewer than the members cannot work */
	assert_int_equal(tr_split_queues(SYM, false, 2, 4, 3, 64, 64, &rx, &tx), 0);
	assert_int_equal(rx, 3);
	assert_int_equal(tr_split_queues(SYM, false, 4, 1, 3, 64, 64, &rx, &tx), -1);
	assert_int_equal(tr_split_queues(SYM, false, 2, 1, 0, 1, 1, &rx, &tx), -1);
	/* distribute, members on their own TX queues: a TX queue per lcore
	 * of every member, and as many RX queues (net_tap wants equal counts;
	 * the primary's lcores poll them all) */
	assert_int_equal(tr_split_queues(DIST, false, 3, 1, 0, 64, 64, &rx, &tx), 0);
	assert_int_equal(rx, 3);
	assert_int_equal(tx, 3);
	assert_int_equal(tr_split_queues(DIST, false, 2, 2, 0, 64, 64, &rx, &tx), 0);
	assert_int_equal(rx, 4);
	assert_int_equal(tx, 4);
	assert_int_equal(tr_split_queues(DIST, false, 3, 1, 0, 64, 2, &rx, &tx), -1);
	assert_int_equal(tr_split_queues(DIST, false, 3, 1, 0, 1, 64, &rx, &tx), -1);
	/* tx=ring: only the primary sends; a one-queue device is enough */
	assert_int_equal(tr_split_queues(DIST, true, 3, 2, 0, 1, 1, &rx, &tx), 0);
	assert_int_equal(rx, 1);
	assert_int_equal(tx, 1);
	assert_int_equal(tr_split_queues(DIST, true, 3, 2, 0, 64, 64, &rx, &tx), 0);
	assert_int_equal(rx, 2);
	assert_int_equal(tx, 2);
	/* never past TR_MAX_QUEUES */
	assert_int_equal(tr_split_queues(SYM, false, 16, 16, 0, 1024, 1024, &rx, &tx), 0);
	assert_int_equal(rx, TR_MAX_QUEUES);
}

static struct tr_split_conf conf(enum tr_dp_mode mode, bool ring, unsigned members,
				 unsigned ports, unsigned rxq, unsigned txq)
{
	return (struct tr_split_conf){.mode = mode, .tx_ring = ring,
		.members = members, .n_ports = ports, .rxq = rxq, .txq = txq};
}

static void has_unit(const struct tr_lcore_work *w, unsigned p, unsigned q)
{
	for (unsigned i = 0; i < w->n_units; i++)
		if (w->unit[i].port == p && w->unit[i].queue == q)
			return;
	fail_msg("no unit port %u queue %u", p, q);
}

static void symmetric_lcores(void **state)
{
	struct tr_split_conf c = conf(SYM, false, 2, 2, 4, 4);
	struct tr_lcore_work w;
	(void)state;
	/* member 0, two lcores: pairs 0 and 2, one each */
	assert_int_equal(tr_split_lcore(&c, 0, 2, 0, &w), 0);
	assert_true(w.runs);
	assert_false(w.ring);
	assert_int_equal(w.n_units, 2);
	has_unit(&w, 0, 0);
	has_unit(&w, 1, 0);
	assert_int_equal(w.txq, 0);
	assert_int_equal(tr_split_lcore(&c, 0, 2, 1, &w), 0);
	assert_int_equal(w.n_units, 2);
	has_unit(&w, 0, 2);
	has_unit(&w, 1, 2);
	assert_int_equal(w.txq, 2);
	/* member 1, one lcore: both its pairs */
	assert_int_equal(tr_split_lcore(&c, 1, 1, 0, &w), 0);
	assert_int_equal(w.n_units, 4);
	has_unit(&w, 0, 1);
	has_unit(&w, 1, 3);
	assert_int_equal(w.txq, 1);
	/* three lcores for two pairs: the third has nothing */
	assert_int_equal(tr_split_running(&c, 1, 3), 2);
	assert_int_equal(tr_split_lcore(&c, 1, 3, 2, &w), 0);
	assert_false(w.runs);
	assert_int_equal(w.n_units, 0);
	/* out of range */
	assert_int_equal(tr_split_lcore(&c, 2, 1, 0, &w), -1);
	assert_int_equal(tr_split_lcore(&c, 0, 2, 2, &w), -1);
}

static void distribute_lcores(void **state)
{
	struct tr_split_conf c = conf(DIST, false, 2, 2, 2, 4);
	struct tr_lcore_work w;
	(void)state;
	/* primary, two lcores, two RX queues: queue i of every port each */
	assert_int_equal(tr_split_running(&c, 0, 2), 2);
	assert_int_equal(tr_split_lcore(&c, 0, 2, 0, &w), 0);
	assert_int_equal(w.n_units, 2);
	has_unit(&w, 0, 0);
	has_unit(&w, 1, 0);
	assert_int_equal(w.txq, 0);
	assert_int_equal(tr_split_lcore(&c, 0, 2, 1, &w), 0);
	has_unit(&w, 0, 1);
	has_unit(&w, 1, 1);
	assert_int_equal(w.txq, 2);
	/* a member lcore drains its ring and sends on its member's pairs */
	assert_int_equal(tr_split_lcore(&c, 1, 2, 1, &w), 0);
	assert_true(w.runs);
	assert_true(w.ring);
	assert_int_equal(w.n_units, 0);
	assert_int_equal(w.txq, 3);
	/* one RX queue per port (af_packet): the ports are shared out */
	c = conf(DIST, true, 2, 2, 1, 1);
	assert_int_equal(tr_split_running(&c, 0, 3), 1); /* one TX queue */
	c = conf(DIST, true, 2, 2, 1, 2);
	assert_int_equal(tr_split_running(&c, 0, 3), 2);
	assert_int_equal(tr_split_lcore(&c, 0, 3, 0, &w), 0);
	assert_int_equal(w.n_units, 1);
	has_unit(&w, 0, 0);
	assert_int_equal(tr_split_lcore(&c, 0, 3, 1, &w), 0);
	has_unit(&w, 1, 0);
	assert_int_equal(w.txq, 1);
	assert_int_equal(tr_split_lcore(&c, 0, 3, 2, &w), 0);
	assert_false(w.runs);
	/* tx=ring: every member lcore runs, none has a TX queue */
	assert_int_equal(tr_split_running(&c, 1, 5), 5);
	assert_int_equal(tr_split_lcore(&c, 1, 5, 4, &w), 0);
	assert_true(w.ring);
	assert_int_equal(w.txq, -1);
	/* own TX, fewer queues than a member's lcores: as many run as it
	 * has TX queues (member 0: 0 and 3, but one RX queue to poll) */
	c = conf(DIST, false, 3, 1, 1, 4);
	assert_int_equal(tr_split_running(&c, 0, 4), 1);
	assert_int_equal(tr_split_running(&c, 1, 4), 1);
	assert_int_equal(tr_split_running(&c, 2, 4), 1);
	c = conf(DIST, false, 3, 1, 1, 6);
	assert_int_equal(tr_split_running(&c, 1, 4), 2);
	assert_int_equal(tr_split_drainer(3, 1, 2), 0);
	assert_int_equal(tr_split_drainer(3, 2, 2), 1);
}

/* Over many shapes: each RX queue of the group polled by exactly one
 * lcore, no TX queue used by two lcores, every TX queue in range. */
static void every_queue_once(void **state)
{
	(void)state;
	for (int mode = 0; mode <= 1; mode++)
	for (int ring = 0; ring <= (mode == DIST); ring++)
	for (unsigned members = 1; members <= 5; members++)
	for (unsigned l0 = 1; l0 <= 4; l0++)
	for (unsigned ports = 1; ports <= 3; ports++)
	for (unsigned dev = 1; dev <= 16; dev += 3)
	for (unsigned lm = 1; lm <= 3; lm++) {
		unsigned rxq, txq;
		if (tr_split_queues((enum tr_dp_mode)mode, ring, members, l0, 0,
				    dev, dev, &rxq, &txq) < 0)
			continue;
		struct tr_split_conf c = conf((enum tr_dp_mode)mode, ring,
					      members, ports, rxq, txq);
		unsigned polled[TR_MAX_PORTS][TR_MAX_QUEUES] = {{0}};
		unsigned txuse[TR_MAX_QUEUES] = {0};
		for (unsigned m = 0; m < members; m++) {
			unsigned nl = m == 0 ? l0 : lm;
			unsigned run = tr_split_running(&c, m, nl);
			assert_true(run >= 1);
			for (unsigned j = 0; j < nl; j++) {
				struct tr_lcore_work w;
				assert_int_equal(tr_split_lcore(&c, m, nl, j, &w), 0);
				assert_int_equal(w.runs, j < run);
				if (!w.runs)
					continue;
				for (unsigned i = 0; i < w.n_units; i++) {
					assert_true(w.unit[i].port < ports);
					assert_true(w.unit[i].queue < rxq);
					polled[w.unit[i].port][w.unit[i].queue]++;
				}
				if (w.txq >= 0) {
					assert_true((unsigned)w.txq < txq);
					txuse[w.txq]++;
				} else {
					assert_true(ring && m > 0);
				}
				/* distribute: only the primary polls RX */
				if (mode == DIST)
					assert_true(m == 0 ? w.n_units > 0 :
						    w.n_units == 0 && w.ring);
			}
		}
		for (unsigned p = 0; p < ports; p++)
			for (unsigned q = 0; q < rxq; q++)
				if (polled[p][q] != 1)
					fail_msg("mode %d ring %d M %u l0 %u ports %u "
						 "dev %u: port %u queue %u polled by %u",
						 mode, ring, members, l0, ports, dev,
						 p, q, polled[p][q]);
		for (unsigned q = 0; q < txq; q++)
			assert_true(txuse[q] <= 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(queue_counts),
		cmocka_unit_test(symmetric_lcores),
		cmocka_unit_test(distribute_lcores),
		cmocka_unit_test(every_queue_once),
	};
	return cmocka_run_group_tests_name("rt_test_split", tests, NULL, NULL);
}
