/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libtenantrt's data path without an EAL: distribute's symmetric flow hash
 * and bucket -> sink table (tr_flow.h, flow.c), and the registry's layout
 * (tr_shm.h).
 * TENANTRT_DATAPATH itself is rt_test_proto's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "tenantrt.h"
#include "tr_flow.h"
#include <rte_ethdev.h>

#include "tr_shm.h"

/* An Ethernet + IPv4 + UDP/TCP frame, or IPv6 when v6 is set. */
static unsigned frame(uint8_t *f, int v6, uint8_t proto, uint32_t a, uint32_t b,
		      uint16_t pa, uint16_t pb)
{
	unsigned l3 = 14, l4;

	memset(f, 0, 128);
	memcpy(f, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
	if (!v6) {
		f[12] = 0x08, f[13] = 0x00;
		f[l3] = 0x45;
		f[l3 + 9] = proto;
		memcpy(f + l3 + 12, &a, 4);
		memcpy(f + l3 + 16, &b, 4);
		l4 = l3 + 20;
	} else {
		f[12] = 0x86, f[13] = 0xdd;
		f[l3] = 0x60;
		f[l3 + 6] = proto;
		memcpy(f + l3 + 8 + 12, &a, 4);  /* low bits of src */
		memcpy(f + l3 + 24 + 12, &b, 4); /* low bits of dst */
		f[l3 + 8] = 0x20, f[l3 + 24] = 0x20;
		l4 = l3 + 40;
	}
	pa = (uint16_t)(pa >> 8 | pa << 8);
	pb = (uint16_t)(pb >> 8 | pb << 8);
	memcpy(f + l4, &pa, 2);
	memcpy(f + l4 + 2, &pb, 2);
	return l4 + 8;
}

static void hash_is_symmetric(void **state)
{
	uint8_t f[128], r[128];
	(void)state;
	for (int v6 = 0; v6 <= 1; v6++) {
		for (uint32_t i = 0; i < 2000; i++) {
			uint32_t a = 0x0a000001 + i * 7919, b = 0xc0a80001 + i * 104729;
			uint16_t pa = (uint16_t)(1024 + i), pb = (uint16_t)(80 + i % 3);
			uint8_t proto = i % 2 ? 6 : 17;
			unsigned n = frame(f, v6, proto, a, b, pa, pb);
			frame(r, v6, proto, b, a, pb, pa);
			assert_int_equal(tr_flow_hash(f, n), tr_flow_hash(r, n));
		}
	}
}

static void hash_separates_flows(void **state)
{
	uint8_t f[128];
	unsigned hits[TR_SHM_BUCKETS] = {0}, used = 0;
	(void)state;
	/* 4096 UDP flows differing only in the source port must spread over
	 * the buckets (else distribute mode would load one member). */
	for (uint32_t i = 0; i < 4096; i++) {
		unsigned n = frame(f, 0, 17, 0x0a000001, 0x0a000002,
				   (uint16_t)(10000 + i), 53);
		hits[tr_flow_hash(f, n) & (TR_SHM_BUCKETS - 1)]++;
	}
	for (unsigned b = 0; b < TR_SHM_BUCKETS; b++) {
		used += hits[b] != 0;
		assert_true(hits[b] < 64); /* mean 16 */
	}
	assert_true(used > 240);
	/* Different ports, different hash; a reply equals its request. */
	unsigned n = frame(f, 0, 17, 1, 2, 1000, 2000);
	uint32_t h1 = tr_flow_hash(f, n);
	frame(f, 0, 17, 1, 2, 1000, 2001);
	assert_int_not_equal(h1, tr_flow_hash(f, n));
}

static void hash_short_and_non_ip(void **state)
{
	uint8_t f[128] = {0}, r[128] = {0};
	(void)state;
	assert_int_equal(tr_flow_hash(f, 0), 0);
	assert_int_equal(tr_flow_hash(f, 13), 0);
	/* ARP: by the MAC pair, still symmetric. */
	memset(f, 0, sizeof(f));
	memcpy(f, "\x02\xaa\xaa\xaa\xaa\x01\x02\xbb\xbb\xbb\xbb\x02\x08\x06", 14);
	memcpy(r, "\x02\xbb\xbb\xbb\xbb\x02\x02\xaa\xaa\xaa\xaa\x01\x08\x06", 14);
	assert_int_equal(tr_flow_hash(f, 60), tr_flow_hash(r, 60));
	/* Ports cut off by the segment length: hashed as port 0, not read. */
	frame(f, 0, 17, 1, 2, 3, 4);
	unsigned n = frame(r, 0, 17, 1, 2, 0, 0);
	assert_int_equal(tr_flow_hash(f, 14 + 20 + 2), tr_flow_hash(r, n));
	assert_int_not_equal(tr_flow_hash(f, n), tr_flow_hash(r, n));
}

/* Buckets of member m (any of its lcores). */
static unsigned count(const uint8_t *t, unsigned m)
{
	unsigned c = 0;
	for (unsigned b = 0; b < TR_SHM_BUCKETS; b++)
		c += TR_SINK_MEMBER(t[b]) == m;
	return c;
}

/* Buckets of lcore j of member m. */
static unsigned count_sink(const uint8_t *t, unsigned m, unsigned j)
{
	unsigned c = 0;
	for (unsigned b = 0; b < TR_SHM_BUCKETS; b++)
		c += t[b] == TR_SINK(m, j);
	return c;
}

/* The table of the members in mask, one lcore each. */
static void build(uint8_t *t, uint32_t mask)
{
	uint8_t lc[TR_MAX_MEMBERS] = {0};
	for (unsigned m = 0; m < TR_MAX_MEMBERS; m++)
		lc[m] = (mask >> m) & 1;
	tr_table_build(t, lc);
}

static void table_empty_goes_to_primary(void **state)
{
	uint8_t t[TR_SHM_BUCKETS];
	(void)state;
	memset(t, 0xff, sizeof(t));
	build(t, 0);
	assert_int_equal(count_sink(t, 0, 0), TR_SHM_BUCKETS);
}

static void table_only_active_members(void **state)
{
	uint8_t t[TR_SHM_BUCKETS];
	(void)state;
	build(t, (1u << 1) | (1u << 2));
	assert_int_equal(count_sink(t, 1, 0) + count_sink(t, 2, 0), TR_SHM_BUCKETS);
	/* Rendezvous spreads evenly enough: each gets 50% +- 15%. */
	assert_in_range(count(t, 1), 90, 166);
	build(t, 1u << 5);
	assert_int_equal(count_sink(t, 5, 0), TR_SHM_BUCKETS);
}

static void table_death_moves_only_its_buckets(void **state)
{
	uint8_t before[TR_SHM_BUCKETS], after[TR_SHM_BUCKETS];
	(void)state;
	build(before, 0x1e); /* members 1..4 */
	build(after, 0x16);  /* member 3 died */
	assert_int_equal(count(after, 3), 0);
	for (unsigned b = 0; b < TR_SHM_BUCKETS; b++)
		if (TR_SINK_MEMBER(before[b]) != 3)
			assert_int_equal(before[b], after[b]);
	/* Joining again takes back exactly what it had. */
	build(after, 0x1e);
	assert_memory_equal(before, after, sizeof(before));
}

static void table_join_takes_a_share(void **state)
{
	uint8_t before[TR_SHM_BUCKETS], after[TR_SHM_BUCKETS];
	unsigned moved = 0;
	(void)state;
	build(before, 0x06);  /* members 1, 2 */
	build(after, 0x0e);   /* 3 joins */
	for (unsigned b = 0; b < TR_SHM_BUCKETS; b++) {
		if (before[b] != after[b]) {
			assert_int_equal(after[b], TR_SINK(3, 0)); /* only to it */
			moved++;
		}
	}
	assert_in_range(moved, 50, 120); /* about a third of 256 */
}

/* Members with several lcores: a share per lcore, each lcore of a member
 * a bucket set of its own, and a death still moves only the dead's. */
static void table_multi_lcore_members(void **state)
{
	uint8_t lc[TR_MAX_MEMBERS] = {0}, t[TR_SHM_BUCKETS], u[TR_SHM_BUCKETS];
	(void)state;
	lc[1] = 2;
	lc[2] = 1;
	tr_table_build(t, lc);
	/* 3 sinks: member 1 about two thirds, split over its two lcores. */
	assert_in_range(count(t, 1), 130, 210);
	assert_in_range(count_sink(t, 1, 0), 50, 120);
	assert_in_range(count_sink(t, 1, 1), 50, 120);
	assert_int_equal(count_sink(t, 1, 2), 0);
	assert_int_equal(count(t, 1) + count(t, 2), TR_SHM_BUCKETS);
	for (unsigned b = 0; b < TR_SHM_BUCKETS; b++)
		assert_true(TR_SINK_LCORE(t[b]) < lc[TR_SINK_MEMBER(t[b])]);
	/* Member 1 (two lcores) dies: member 2 takes its buckets, nothing
	 * else moves. */
	lc[1] = 0;
	tr_table_build(u, lc);
	assert_int_equal(count_sink(u, 2, 0), TR_SHM_BUCKETS);
	/* Member 3 with four lcores joins member 2: buckets move only to it,
	 * about four fifths of them, over all four of its lcores. */
	lc[3] = 4;
	tr_table_build(t, lc);
	for (unsigned b = 0; b < TR_SHM_BUCKETS; b++)
		if (t[b] != u[b])
			assert_int_equal(TR_SINK_MEMBER(t[b]), 3);
	assert_in_range(count(t, 3), 170, 240);
	for (unsigned j = 0; j < 4; j++)
		assert_in_range(count_sink(t, 3, j), 25, 80);
	/* Sixteen lcores of one member: every one of them gets buckets. */
	memset(lc, 0, sizeof(lc));
	lc[7] = 16;
	tr_table_build(t, lc);
	for (unsigned j = 0; j < 16; j++)
		assert_true(count_sink(t, 7, j) > 0);
}

static void registry_layout(void **state)
{
	(void)state;
	/* Each writer has its own cache lines (tr_shm.h). */
	assert_int_equal(offsetof(struct tr_shm_registry, hdr) % RTE_CACHE_LINE_SIZE, 0);
	assert_int_equal(offsetof(struct tr_shm_registry, port) % RTE_CACHE_LINE_SIZE, 0);
	assert_int_equal(offsetof(struct tr_shm_registry, member) % RTE_CACHE_LINE_SIZE, 0);
	assert_int_equal(sizeof(struct tr_shm_port) % RTE_CACHE_LINE_SIZE, 0);
	assert_int_equal(sizeof(struct tr_shm_member) % RTE_CACHE_LINE_SIZE, 0);
	assert_int_equal(offsetof(struct tr_shm_member, pri) % RTE_CACHE_LINE_SIZE, 0);
	assert_int_equal(offsetof(struct tr_shm_member, lc) % RTE_CACHE_LINE_SIZE, 0);
	/* Each lcore's counters and hand record: lines of their own. */
	assert_int_equal(sizeof(struct tr_shm_lcore) % RTE_CACHE_LINE_SIZE, 0);
	assert_true(offsetof(struct tr_shm_member, lc) -
		    offsetof(struct tr_shm_member, pri) >= sizeof(struct tr_shm_member_pri));
	/* The link word is read and written as one 64-bit atomic. */
	assert_int_equal(offsetof(struct tr_shm_port, link) % 8, 0);
	assert_int_equal(sizeof(struct rte_eth_link), 8);
	assert_int_equal(TR_SHM_MAGIC, 0x54524e54);
	assert_true(TR_MAX_MEMBERS <= 32); /* active is a 32-bit mask */
	/* table entries are sinks, member and lcore in a byte */
	assert_true(TR_MAX_MEMBERS <= 16 && TR_MAX_LCORES_PER_MEMBER <= 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_is_symmetric),
		cmocka_unit_test(hash_separates_flows),
		cmocka_unit_test(hash_short_and_non_ip),
		cmocka_unit_test(table_empty_goes_to_primary),
		cmocka_unit_test(table_only_active_members),
		cmocka_unit_test(table_death_moves_only_its_buckets),
		cmocka_unit_test(table_join_takes_a_share),
		cmocka_unit_test(table_multi_lcore_members),
		cmocka_unit_test(registry_layout),
	};
	return cmocka_run_group_tests_name("rt_test_datapath", tests, NULL, NULL);
}
