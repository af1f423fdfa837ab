/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tenantrt-fwd's MAC rewrite (runtime/apps/fwd/rewrite.h): the SSE form
 * against the scalar one and against what the rewrite means, on random
 * frames of random lengths at random offsets, one output port per burst and
 * a port per frame, swap and fixed destination. No EAL: the mbufs are plain
 * memory.
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
		b->mb[i].data_len = (uint16_t)(1 + rnd() % 128);
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

static void same_as_scalar(void **state, bool swap)
{
	static struct burst orig, a, b;
	struct fwd_rw rw;
	const struct fwd_rw_impl *sse = fwd_rw_pick(NULL);
	(void)state;
	if (strcmp(sse->name, "sse") != 0)
		skip();
	for (int round = 0; round < 2000; round++) {
		unsigned ports = 1 + rnd() % FWD_RW_PORTS;
		unsigned n = 1 + rnd() % N;
		int one = rnd() % 2;
		config(&rw, swap, ports);
		fill(&orig, n, ports, one);
		copy(&a, &orig);
		copy(&b, &orig);
		if (one) {
			uint16_t out = rw.out[orig.mb[0].port];
			fwd_rw_scalar_impl.all(&rw, a.p, (uint16_t)n, out);
			sse->all(&rw, b.p, (uint16_t)n, out);
			for (unsigned i = 0; i < n; i++) {
				check_meaning(&rw, &orig, &a, i, out);
				/* the one-port form writes no mbuf field */
				assert_int_equal(a.mb[i].port, orig.mb[i].port);
				assert_int_equal(b.mb[i].port, orig.mb[i].port);
			}
		} else {
			fwd_rw_scalar_impl.each(&rw, a.p, (uint16_t)n);
			sse->each(&rw, b.p, (uint16_t)n);
			for (unsigned i = 0; i < n; i++) {
				uint16_t out = rw.out[orig.mb[i].port];
				check_meaning(&rw, &orig, &a, i, out);
				assert_int_equal(a.mb[i].port, out);
				assert_int_equal(b.mb[i].port, out);
			}
		}
		assert_memory_equal(a.buf, b.buf, sizeof(a.buf));
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

static void ports_without_pair_are_left_alone(void **state)
{
	static struct burst orig, a;
	struct fwd_rw rw;
	uint8_t src[FWD_RW_PORTS][6] = {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11, 12}};
	uint16_t out[FWD_RW_PORTS] = {1, 0};
	(void)state;
	fwd_rw_init(&rw, true, src[0], src, out, 2);
	assert_int_equal(rw.out[2], FWD_RW_DROP);
	fill(&orig, 8, 2, 0);
	orig.mb[3].port = 5; /* not one of the tenant's ports */
	copy(&a, &orig);
	fwd_rw_pick(NULL)->each(&rw, a.p, 8);
	assert_int_equal(a.mb[3].port, FWD_RW_DROP);
	assert_memory_equal(a.buf[3], orig.buf[3], BUF);
	assert_int_equal(fwd_rw_pick("scalar"), &fwd_rw_scalar_impl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sse_equals_scalar_swap),
		cmocka_unit_test(sse_equals_scalar_fixed_dst),
		cmocka_unit_test(ports_without_pair_are_left_alone),
	};
	return cmocka_run_group_tests_name("rt_test_rewrite", tests, NULL, NULL);
}
