/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The adaptive polling schedule (tr_idle.h): spin, pause, then sleeps that
 * double up to the cap and never past it (the cap bounds the wake-up
 * latency), or interrupt waits; any work starts it over.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tr_idle.h"

/* Turns until the first sleep or wait. */
static unsigned to_first_sleep(struct tr_idle *s, uint32_t *us)
{
	unsigned turns = 0;
	enum tr_idle_act a;

	while ((a = tr_idle_next(s, us)) == TR_IDLE_SPIN || a == TR_IDLE_PAUSE) {
		/* spinning first, then pausing: never back */
		assert_true(a == TR_IDLE_SPIN ? s->empty < TR_IDLE_SPIN_TURNS :
			    s->empty >= TR_IDLE_SPIN_TURNS);
		turns++;
		assert_true(turns < 100000);
	}
	return turns;
}

static void spins_pauses_then_sleeps_capped(void **state)
{
	struct tr_idle s;
	uint32_t us = 0, expect = TR_IDLE_SLEEP_MIN_US;
	(void)state;
	tr_idle_init(&s, 0, false, 0);
	assert_int_equal(to_first_sleep(&s, &us), TR_IDLE_PAUSE_TURNS - 1);
	assert_int_equal(us, TR_IDLE_SLEEP_MIN_US);
	/* 10, 20, 40, 80, then the default cap of 100 for ever */
	for (int i = 0; i < 1000; i++) {
		expect = expect * 2 < TR_IDLE_SLEEP_MAX_US ? expect * 2 : TR_IDLE_SLEEP_MAX_US;
		assert_int_equal(tr_idle_next(&s, &us), TR_IDLE_SLEEP);
		assert_int_equal(us, expect);
	}
	assert_int_equal(TR_IDLE_SLEEP_MAX_US, 100);
}

static void work_starts_over(void **state)
{
	struct tr_idle s;
	uint32_t us = 0;
	(void)state;
	tr_idle_init(&s, 0, false, 0);
	to_first_sleep(&s, &us);
	for (int i = 0; i < 10; i++)
		tr_idle_next(&s, &us);
	tr_idle_reset(&s);
	assert_int_equal(tr_idle_next(&s, &us), TR_IDLE_SPIN);
	assert_int_equal(to_first_sleep(&s, &us), TR_IDLE_PAUSE_TURNS - 2);
	assert_int_equal(us, TR_IDLE_SLEEP_MIN_US);
}

static void cap_is_a_bound(void **state)
{
	struct tr_idle s;
	uint32_t us = 0, max = 0;
	(void)state;
	/* a custom cap, not a power of two times the first sleep */
	tr_idle_init(&s, 500, false, 0);
	to_first_sleep(&s, &us);
	for (int i = 0; i < 100; i++) {
		assert_int_equal(tr_idle_next(&s, &us), TR_IDLE_SLEEP);
		assert_true(us <= 500);
		max = us > max ? us : max;
	}
	assert_int_equal(max, 500);
	/* a cap below the first sleep is raised to it */
	tr_idle_init(&s, 3, false, 0);
	to_first_sleep(&s, &us);
	assert_int_equal(tr_idle_next(&s, &us), TR_IDLE_SLEEP);
	assert_int_equal(us, TR_IDLE_SLEEP_MIN_US);
}

static void interrupts_wait_instead(void **state)
{
	struct tr_idle s;
	uint32_t us = 0;
	(void)state;
	tr_idle_init(&s, 0, true, 10000);
	assert_int_equal(to_first_sleep(&s, &us), TR_IDLE_PAUSE_TURNS - 1);
	assert_int_equal(us, 10000);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(tr_idle_next(&s, &us), TR_IDLE_WAIT);
		assert_int_equal(us, 10000);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spins_pauses_then_sleeps_capped),
		cmocka_unit_test(work_starts_over),
		cmocka_unit_test(cap_is_a_bound),
		cmocka_unit_test(interrupts_wait_instead),
	};
	return cmocka_run_group_tests_name("rt_test_idle", tests, NULL, NULL);
}
