/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * health/liveness.c, the verdict on a member from its probes: starting until
 * it is up, stuck when it is not up in time; running while no sign of a
 * stuck group shows and its heartbeat moves; stuck once a sign lasts
 * `stall` seconds (`lock_hold` when the only sign is a held EAL lock),
 * since the moment it began; running again when it goes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "health/liveness.h"

static const struct tr_live_policy policy = { .startup = 60, .stall = 5, .lock_hold = 10 };

/* A sample at t: up, with the heartbeat hb (0: none). */
static struct tr_live_sample at(double t, bool up, uint64_t hb)
{
	struct tr_live_sample s = { .t = t, .up = up, .has_heartbeat = hb != 0, .heartbeat = hb };
	snprintf(s.why, sizeof(s.why), "probe at %.0f", t);
	return s;
}

static enum tr_health_state feed(struct tr_liveness *lv, struct tr_live_sample s)
{
	/* wall clock = 1000 + monotonic, so "since" can be checked */
	return tr_liveness_feed(lv, &policy, &s, 1000 + (long long)s.t);
}

static void test_starting_then_running(void **state)
{
	(void)state;
	struct tr_liveness lv;
	tr_liveness_init(&lv, 0, 1000);
	assert_int_equal(feed(&lv, at(1, false, 0)), TR_HEALTH_STARTING);
	assert_non_null(strstr(lv.why, "starting: probe at 1"));
	assert_int_equal(feed(&lv, at(2, true, 0)), TR_HEALTH_RUNNING);
	assert_int_equal(lv.state_wall, 1002);
	assert_string_equal(lv.why, "up: probe at 2");
	/* Without a heartbeat, a member with no sign stays running. */
	for (int t = 3; t < 30; t++)
		assert_int_equal(feed(&lv, at(t, true, 0)), TR_HEALTH_RUNNING);
}

static void test_not_up_in_time(void **state)
{
	(void)state;
	struct tr_liveness lv;
	tr_liveness_init(&lv, 0, 1000);
	assert_int_equal(feed(&lv, at(59, false, 0)), TR_HEALTH_STARTING);
	assert_int_equal(feed(&lv, at(60, false, 0)), TR_HEALTH_STUCK);
	assert_string_equal(lv.why, "not up 60 s after its start: probe at 60");
	struct tr_health h;
	tr_liveness_record(&lv, NULL, 7, 1060, &h);
	assert_int_equal(h.stuck_at, 1060);
}

static void test_heartbeat_stops(void **state)
{
	(void)state;
	struct tr_liveness lv;
	tr_liveness_init(&lv, 0, 1000);
	uint64_t hb = 100;
	assert_int_equal(feed(&lv, at(1, true, hb)), TR_HEALTH_RUNNING);
	for (int t = 2; t <= 10; t++)
		assert_int_equal(feed(&lv, at(t, true, ++hb)), TR_HEALTH_RUNNING);
	/* The loop stops: the heartbeat stands at hb from t = 11 on. */
	for (int t = 11; t < 15; t++)
		assert_int_equal(feed(&lv, at(t, true, hb)), TR_HEALTH_RUNNING);
	assert_int_equal(feed(&lv, at(16, true, hb)), TR_HEALTH_STUCK);
	assert_int_equal(lv.state_wall, 1011);   /* since the stall began */
	assert_int_equal(lv.stuck_wall, 1016);   /* found so now */
	assert_string_equal(lv.why, "its heartbeat has not moved (probe at 16), for 5 s");
	assert_int_equal(feed(&lv, at(17, true, hb)), TR_HEALTH_STUCK);
	assert_int_equal(lv.state_wall, 1011);
	/* It moves again: running. */
	assert_int_equal(feed(&lv, at(18, true, hb + 1)), TR_HEALTH_RUNNING);
	assert_int_equal(lv.state_wall, 1018);
}

static void test_blocked_and_brief(void **state)
{
	(void)state;
	struct tr_liveness lv;
	tr_liveness_init(&lv, 0, 1000);
	feed(&lv, at(1, true, 0));
	struct tr_live_sample b = at(2, true, 0);
	b.blocked = true;
	snprintf(b.why, sizeof(b.why), "ring MP_x: an enqueue never finished");
	/* A sign that goes away within the stall is forgotten. */
	assert_int_equal(feed(&lv, b), TR_HEALTH_RUNNING);
	assert_int_equal(feed(&lv, at(3, true, 0)), TR_HEALTH_RUNNING);
	for (int t = 4; t < 9; t++) {
		b.t = t;
		assert_int_equal(feed(&lv, b), TR_HEALTH_RUNNING);
	}
	b.t = 9;
	assert_int_equal(feed(&lv, b), TR_HEALTH_STUCK);
	assert_string_equal(lv.why, "ring MP_x: an enqueue never finished, for 5 s");
	assert_int_equal(lv.state_wall, 1004);
}

static void test_lock_hold_bound(void **state)
{
	(void)state;
	struct tr_liveness lv;
	tr_liveness_init(&lv, 0, 1000);
	feed(&lv, at(1, true, 0));
	struct tr_live_sample l = at(2, true, 0);
	l.lock_held = true;
	snprintf(l.why, sizeof(l.why), "EAL lock memory_hotplug_lock (memory maps) held by 1 reader");
	for (int t = 2; t < 12; t++) {
		l.t = t;
		assert_int_equal(feed(&lv, l), TR_HEALTH_RUNNING);   /* < 10 s */
	}
	l.t = 12;
	assert_int_equal(feed(&lv, l), TR_HEALTH_STUCK);
	/* A lock and then another sign: the shorter bound from the stall's start. */
	tr_liveness_init(&lv, 0, 1000);
	feed(&lv, at(1, true, 0));
	l.t = 2;
	feed(&lv, l);
	struct tr_live_sample b = at(3, true, 0);
	b.blocked = true;
	assert_int_equal(feed(&lv, b), TR_HEALTH_RUNNING);
	b.t = 7;
	assert_int_equal(feed(&lv, b), TR_HEALTH_STUCK);
}

static void test_record(void **state)
{
	(void)state;
	struct tr_liveness lv;
	tr_liveness_init(&lv, 0, 1000);
	struct tr_live_sample s = at(1, true, 0);
	s.have_packets = true;
	s.rx = 7, s.tx = 6, s.drops = 1;
	feed(&lv, s);
	struct tr_health h;
	tr_liveness_record(&lv, &s, 42, 1001, &h);
	assert_int_equal(h.state, TR_HEALTH_RUNNING);
	assert_int_equal(h.since, 1001);
	assert_int_equal(h.probed, 1001);
	assert_int_equal(h.app_pid, 42);
	assert_true(h.have_packets);
	assert_int_equal(h.rx, 7);
	assert_int_equal(h.drops, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_starting_then_running),
		cmocka_unit_test(test_not_up_in_time),
		cmocka_unit_test(test_heartbeat_stops),
		cmocka_unit_test(test_blocked_and_brief),
		cmocka_unit_test(test_lock_hold_bound),
		cmocka_unit_test(test_record),
	};
	return cmocka_run_group_tests_name("liveness", tests, NULL, NULL);
}
