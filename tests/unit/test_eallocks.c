/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * health/eallocks.c: the EAL's shared lock words read from the bytes of a
 * made-up 22.11 config (tests/unit/dpdk_config.h): none held in a healthy
 * one; each rwlock, the timer lock and a heap's lock named when set, with
 * 22.11's rwlock bits (2 a writer, 4 a reader, 1 a writer waiting); a
 * config of another DPDK version (or not done with its init) not read; a
 * burst keeps only what every read saw.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "dpdk_config.h"
#include "health/eallocks.h"

static unsigned char cfg[TC_SIZE];

static void describe(char *buf, size_t len)
{
	struct tr_eal_locks l;
	tr_eal_locks_parse(cfg, sizeof(cfg), &l);
	assert_true(l.readable);
	tr_eal_locks_describe(&l, buf, len);
}

static void test_healthy(void **state)
{
	(void)state;
	tc_config(cfg);
	struct tr_eal_locks l;
	tr_eal_locks_parse(cfg, sizeof(cfg), &l);
	assert_true(l.readable);
	assert_int_equal(l.n_held, 0);
}

static void test_held(void **state)
{
	(void)state;
	char why[512];
	tc_config(cfg);
	tc_u32(cfg, 32, 4);   /* a secondary killed in rte_eal_memory_init */
	describe(why, sizeof(why));
	assert_string_equal(why, "EAL lock memory_hotplug_lock (memory maps) held by 1 reader");
	tc_u32(cfg, 32, 5);   /* ... and then a writer came */
	describe(why, sizeof(why));
	assert_string_equal(why, "EAL lock memory_hotplug_lock (memory maps) held by 1 reader, a writer waiting");
	tc_config(cfg);
	tc_u32(cfg, 24, 2);
	tc_u32(cfg, TC_HEAP, 1);
	describe(why, sizeof(why));
	assert_string_equal(why, "EAL lock mplock (mempools) held by a writer, EAL lock heap socket_0 (rte_malloc) held");
	tc_config(cfg);
	tc_u32(cfg, 16, 8);
	tc_u32(cfg, 20, 2);
	tc_u32(cfg, 28, 1);
	describe(why, sizeof(why));
	assert_string_equal(why, "EAL lock mlock (memzones) held by 2 readers, EAL lock qlock (tailqs) held by a writer, EAL lock tlock (timers) held");
}

static void test_not_read(void **state)
{
	(void)state;
	struct tr_eal_locks l;
	tc_config(cfg);
	tc_u32(cfg, 32, 4);
	tc_u32(cfg, 0, 0);   /* the primary's EAL init not done */
	tr_eal_locks_parse(cfg, sizeof(cfg), &l);
	assert_false(l.readable);
	assert_int_equal(l.n_held, 0);
	tc_config(cfg);
	tc_u32(cfg, 4, 0x17070000u);   /* 23.07: another layout */
	tc_u32(cfg, 32, 4);
	tr_eal_locks_parse(cfg, sizeof(cfg), &l);
	assert_false(l.readable);
	tr_eal_locks_parse(cfg, 10, &l);
	assert_false(l.readable);
}

static void test_burst(void **state)
{
	(void)state;
	struct tr_eal_locks a, b;
	tc_config(cfg);
	tc_u32(cfg, 24, 4);
	tc_u32(cfg, 32, 4);
	tr_eal_locks_parse(cfg, sizeof(cfg), &a);
	tc_u32(cfg, 24, 0);   /* mplock was a healthy reader, gone now */
	tr_eal_locks_parse(cfg, sizeof(cfg), &b);
	tr_eal_locks_intersect(&a, &b);
	assert_int_equal(a.n_held, 1);
	assert_string_equal(a.held[0].name, "memory_hotplug_lock");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_held),
		cmocka_unit_test(test_not_read),
		cmocka_unit_test(test_burst),
	};
	return cmocka_run_group_tests_name("eallocks", tests, NULL, NULL);
}
