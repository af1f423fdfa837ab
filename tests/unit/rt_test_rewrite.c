/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tenantrt-fwd's MAC rewrite (runtime/apps/fwd/rewrite.h): the SSE form
 * against the scalar one and against what the rewrite means, on random
 * frames of random lengths at random offsets, bursts from one RX port and
 * from several (some without a pair), swap and fixed destination. No EAL:
 * the mbufs are plain memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../runtime/apps/fwd/rewrite.h"

#define N 64
#define BUF 192

struct burst {
	struct rte_mbuf mb[N];
	struct rte_mbuf *p[N];
	uint8_t buf[N][BUF];
};

static uint32_t seed = 12345;
static uint32_t rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

/* n random frames (lengths 1..128, offsets 0..63) from random RX ports. */
static void fill(struct burst *b, unsigned n, unsigned ports, int one_port)
{
	unsigned p0 = rnd() % ports;
	memset(b->mb, 0, sizeof(b->mb));
	for (unsigned i = 0; i < n; i++) {
		for (unsigned k = 0; k < BUF; k++)
			b->buf[i][k] = (uint8_t)rnd();
		b->mb[i].buf_addr = b->buf[i];
		b->mb[i].data_off = (uint16_t)(rnd() % 64);
		/* mostly 16 bytes or more (the SSE path), some shorter */
		b->mb[i].data_len = (uint16_t)(rnd() % 8 ? 16 + rnd() % 112 : 1 + rnd() % 15);
		b->mb[i].port = (uint16_t)(one_port ? p0 : rnd() % ports);
		b->p[i] = &b->mb[i];
	}
}

static void copy(struct burst *to, const struct burst *from)
{
	memcpy(to->buf, from->buf, sizeof(to->buf));
	for (unsigned i = 0; i < N; i++) {
		to->mb[i] = from->mb[i];
		to->mb[i].buf_addr = to->buf[i];
		to->p[i] = &to->mb[i];
	}
}

static void config(struct fwd_rw *rw, bool swap, unsigned ports)
{
	uint8_t src[FWD_RW_PORTS][6], dst[6];
	uint16_t out[FWD_RW_PORTS];
	for (unsigned p = 0; p < FWD_RW_PORTS; p++) {
		for (unsigned k = 0; k < 6; k++)
			src[p][k] = (uint8_t)rnd();
		/* pairs 0<->1, 2<->3; an odd last port back to itself */
		out[p] = (uint16_t)((p ^ 1) < ports ? p ^ 1 : p);
	}
	for (unsigned k = 0; k < 6; k++)
		dst[k] = (uint8_t)rnd();
	fwd_rw_init(rw, swap, dst, src, out, ports);
}

/* What the rewrite means, byte by byte, for frame i of before -> after. */
static void check_meaning(const struct fwd_rw *rw, const struct burst *before,
			  const struct burst *after, unsigned i, uint16_t out)
{
	const uint8_t *o = before->buf[i] + before->mb[i].data_off;
	const uint8_t *r = after->buf[i] + after->mb[i].data_off;
	assert_memory_equal(r, rw->swap ? o + 6 : rw->dst, 6);
	assert_memory_equal(r + 6, rw->src[out], 6);
	/* nothing else of the buffer changed */
	assert_memory_equal(after->buf[i], before->buf[i], before->mb[i].data_off);
	assert_memory_equal(r + 12, o + 12, BUF - before->mb[i].data_off - 12);
}

/* Random bursts: one RX port, or several (some without a pair), or a
 * first port without a pair. */
static void same_as_scalar(void **state, bool swap)
{
	static struct burst orig, a, b;
	struct fwd_rw rw;
	const struct fwd_rw_impl *sse = fwd_rw_pick(NULL);
	(void)state;
	if (strcmp(sse->name, "sse") != 0)
		skip();
	for (int round = 0; round < 4000; round++) {
		unsigned ports = 1 + rnd() % FWD_RW_PORTS;
		unsigned n = 1 + rnd() % N;
		int one = rnd() % 2;
		uint16_t ra, rb;
		config(&rw, swap, ports);
		/* RX ports up to ports + 1: the last has no pair (-> dropped) */
		fill(&orig, n, ports + (ports < FWD_RW_PORTS && rnd() % 4 == 0), one);
		copy(&a, &orig);
		copy(&b, &orig);
		/* the RX port told (a burst from one queue) or to be read */
		uint16_t rx = one && rnd() % 2 ? orig.mb[0].port : FWD_RW_MIXED;
		ra = fwd_rw_scalar_impl.burst(&rw, a.p, (uint16_t)n, rx);
		rb = sse->burst(&rw, b.p, (uint16_t)n, rx);
		assert_int_equal(ra, rb);
		assert_memory_equal(a.buf, b.buf, sizeof(a.buf));
		for (unsigned i = 0; i < n; i++) {
			uint16_t out = orig.mb[i].port < FWD_RW_PORTS ?
				rw.out[orig.mb[i].port] : FWD_RW_DROP;
			assert_int_equal(a.mb[i].port, b.mb[i].port);
			if (ra != FWD_RW_DROP) {
				/* one port: its pair, and no mbuf written */
				assert_int_equal(ra, out);
				assert_int_equal(a.mb[i].port, orig.mb[i].port);
			} else {
				assert_int_equal(a.mb[i].port, out);
			}
			/* (a frame to be dropped may have been rewritten) */
			if (out != FWD_RW_DROP)
				check_meaning(&rw, &orig, &a, i, out);
		}
	}
}

static void sse_equals_scalar_swap(void **state)
{
	same_as_scalar(state, true);
}

static void sse_equals_scalar_fixed_dst(void **state)
{
	same_as_scalar(state, false);
}

static void ports_without_pair_are_dropped(void **state)
{
	static struct burst orig, a;
	struct fwd_rw rw;
	uint8_t src[FWD_RW_PORTS][6] = {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11, 12}};
	uint16_t out[FWD_RW_PORTS] = {1, 0};
	(void)state;
	fwd_rw_init(&rw, true, src[0], src, out, 2);
	assert_int_equal(rw.out[2], FWD_RW_DROP);
	fill(&orig, 8, 2, 1);
	orig.mb[3].port = 5; /* not one of the tenant's ports */
	copy(&a, &orig);
	assert_int_equal(fwd_rw_pick(NULL)->burst(&rw, a.p, 8, FWD_RW_MIXED), FWD_RW_DROP);
	assert_int_equal(a.mb[3].port, FWD_RW_DROP);
	assert_int_equal(a.mb[0].port, rw.out[orig.mb[0].port]);
	check_meaning(&rw, &orig, &a, 0, rw.out[orig.mb[0].port]);
	/* a burst whose first frame has no pair: the others still right */
	fill(&orig, 8, 2, 0);
	orig.mb[0].port = 6;
	copy(&a, &orig);
	assert_int_equal(fwd_rw_pick(NULL)->burst(&rw, a.p, 8, FWD_RW_MIXED), FWD_RW_DROP);
	assert_int_equal(a.mb[0].port, FWD_RW_DROP);
	for (unsigned i = 1; i < 8; i++) {
		assert_int_equal(a.mb[i].port, rw.out[orig.mb[i].port]);
		check_meaning(&rw, &orig, &a, i, rw.out[orig.mb[i].port]);
	}
	assert_int_equal(fwd_rw_pick("scalar"), &fwd_rw_scalar_impl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sse_equals_scalar_swap),
		cmocka_unit_test(sse_equals_scalar_fixed_dst),
		cmocka_unit_test(ports_without_pair_are_dropped),
	};
	return cmocka_run_group_tests_name("rt_test_rewrite", tests, NULL, NULL);
}
