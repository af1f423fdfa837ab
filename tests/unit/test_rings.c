/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * health/rings.c: the group's rings walked from outside (made-up config and
 * page file in a temp dir): every ring on the RTE_RING tailq with its
 * producer and consumer head/tail; an enqueue or dequeue left unfinished
 * and unchanged across two snapshots is stuck, one in flight (moving) or
 * finished is not; a looping or broken tailq ends the walk.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "dpdk_config.h"
#include "helpers.h"
#include "health/rings.h"

static unsigned char cfg[TC_SIZE];
static int page = -1;   /* pfxmap_0 */

static void put(uint64_t va, const void *data, size_t len)
{
	assert_int_equal(pwrite(page, data, len, (off_t)(va - TC_BASE)), (ssize_t)len);
}

/* A tailq entry at entry naming a ring at ring, next entry next. */
static void ring(uint64_t entry, uint64_t next, uint64_t ring, const char *name,
		 uint32_t ph, uint32_t pt, uint32_t ch, uint32_t ct)
{
	uint64_t e[3] = { next, 0, ring };
	put(entry, e, sizeof(e));
	put(ring, name, strlen(name) + 1);
	uint32_t p[2] = { ph, pt }, c[2] = { ch, ct };
	put(ring + 128, p, sizeof(p));
	put(ring + 256, c, sizeof(c));
}

static int setup(void **state)
{
	if (tr_tmp_setup(state) < 0)
		return -1;
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/pfxmap_0", tr_tmp);
	page = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	if (page < 0 || ftruncate(page, (off_t)TC_PAGE) < 0)
		return -1;
	tc_config(cfg);
	tc_u64(cfg, TC_RING_HEAD - 16, TC_BASE + 0x1000);
	return 0;
}

static int teardown(void **state)
{
	close(page);
	return tr_tmp_teardown(state);
}

static void read_rings(struct tr_rings *r)
{
	struct tr_dpdk_mem m;
	assert_true(tr_dpdk_mem_parse(cfg, sizeof(cfg), tr_tmp, "pfx", &m));
	tr_rings_read(&m, r);
}

static void test_walk_and_stuck(void **state)
{
	(void)state;
	ring(TC_BASE + 0x1000, TC_BASE + 0x1100, TC_BASE + 0x2000, "MP_mb_pool_0", 512, 510, 300, 300);
	ring(TC_BASE + 0x1100, 0, TC_BASE + 0x3000, "tr_ring_1", 7, 7, 7, 7);
	struct tr_rings a, b;
	read_rings(&a);
	assert_int_equal(a.n, 2);
	assert_string_equal(a.r[0].name, "MP_mb_pool_0");
	assert_int_equal(a.r[0].prod_head, 512);
	assert_int_equal(a.r[0].prod_tail, 510);
	assert_string_equal(a.r[1].name, "tr_ring_1");
	char why[256];
	/* one snapshot: nothing can be said yet */
	struct tr_rings none = { 0 };
	assert_false(tr_rings_stuck(&none, &a, why, sizeof(why)));
	/* the same a probe later: stuck */
	read_rings(&b);
	assert_true(tr_rings_stuck(&a, &b, why, sizeof(why)));
	assert_string_equal(why, "ring MP_mb_pool_0: an enqueue never finished (head 512, tail 510)");
	/* in flight: it moved in between */
	ring(TC_BASE + 0x1000, TC_BASE + 0x1100, TC_BASE + 0x2000, "MP_mb_pool_0", 600, 598, 300, 300);
	read_rings(&b);
	assert_false(tr_rings_stuck(&a, &b, why, sizeof(why)));
	/* a dequeue stuck on the consumer side */
	ring(TC_BASE + 0x1100, 0, TC_BASE + 0x3000, "tr_ring_1", 7, 7, 9, 5);
	read_rings(&a);
	read_rings(&b);
	assert_true(tr_rings_stuck(&a, &b, why, sizeof(why)));
	assert_string_equal(why, "ring MP_mb_pool_0: an enqueue never finished (head 600, tail 598), ring tr_ring_1: a dequeue never finished (head 9, tail 5)");
}

static void test_hostile(void **state)
{
	(void)state;
	/* a tailq that loops on itself: the walk stops at TR_RINGS_MAX */
	ring(TC_BASE + 0x1000, TC_BASE + 0x1000, TC_BASE + 0x2000, "loop\x01", 1, 1, 1, 1);
	struct tr_rings a;
	read_rings(&a);
	assert_int_equal(a.n, TR_RINGS_MAX);
	assert_string_equal(a.r[0].name, "loop?");
	/* an entry pointing outside the group's memory: nothing */
	uint64_t e[3] = { 0, 0, UINT64_C(0xdead0000) };
	put(TC_BASE + 0x1000, e, sizeof(e));
	read_rings(&a);
	assert_int_equal(a.n, 0);
	tc_u64(cfg, TC_RING_HEAD - 16, UINT64_C(0x10));
	read_rings(&a);
	assert_int_equal(a.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_walk_and_stuck, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
	};
	return cmocka_run_group_tests_name("rings", tests, NULL, NULL);
}
