/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shim <-> library protocol (runtime/proto.c, tenantrt_proto.h): the
 * names of modes, tx choices and member states, and TENANTRT_DATAPATH as
 * the shim's plan formats it and tr_init() parses it. No EAL, no DPDK.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tenantrt_proto.h"

#define DIM(a) (sizeof(a) / sizeof((a)[0]))

static const enum tr_dp_mode modes[] = {TR_DP_MODE_DISTRIBUTE, TR_DP_MODE_SYMMETRIC};
static const enum tr_dp_tx txs[] = {TR_DP_TX_AUTO, TR_DP_TX_OWN, TR_DP_TX_RING};

static void names_are_the_documented_words(void **state)
{
	enum tr_dp_mode m = TR_DP_MODE_SYMMETRIC;
	(void)state;

	assert_string_equal(tr_dp_mode_name(TR_DP_MODE_DISTRIBUTE), "distribute");
	assert_string_equal(tr_dp_mode_name(TR_DP_MODE_SYMMETRIC), "symmetric");
	assert_string_equal(tr_dp_mode_name((enum tr_dp_mode)2), "?");
	assert_string_equal(tr_dp_tx_name(TR_DP_TX_AUTO), "auto");
	assert_string_equal(tr_dp_tx_name(TR_DP_TX_OWN), "own");
	assert_string_equal(tr_dp_tx_name(TR_DP_TX_RING), "ring");
	assert_string_equal(tr_dp_tx_name((enum tr_dp_tx)3), "?");
	assert_string_equal(tr_member_state_name(TR_MEMBER_FREE), "free");
	assert_string_equal(tr_member_state_name(TR_MEMBER_JOINING), "joining");
	assert_string_equal(tr_member_state_name(TR_MEMBER_ACTIVE), "active");
	assert_string_equal(tr_member_state_name(TR_MEMBER_LEAVING), "leaving");
	assert_string_equal(tr_member_state_name(TR_MEMBER_DEAD), "dead");
	assert_string_equal(tr_member_state_name((enum tr_member_state)5), "?");

	assert_int_equal(tr_dp_mode_parse("distribute", &m), 0);
	assert_int_equal(m, TR_DP_MODE_DISTRIBUTE);
	assert_int_equal(tr_dp_mode_parse("symmetric", &m), 0);
	assert_int_equal(m, TR_DP_MODE_SYMMETRIC);
	assert_int_equal(tr_dp_mode_parse("Symmetric", &m), -1);
	assert_int_equal(tr_dp_mode_parse("", &m), -1);
	assert_int_equal(m, TR_DP_MODE_SYMMETRIC); /* untouched on error */
}

static void conf_defaults(void **state)
{
	struct tr_dp_conf c;
	(void)state;
	assert_int_equal(tr_dp_conf_parse(NULL, &c), 0);
	assert_int_equal(c.mode, TR_DP_MODE_DISTRIBUTE);
	assert_int_equal(c.burst, 32);
	assert_int_equal(c.ring_size, 1024);
	assert_int_equal(c.queues, 0);
	assert_int_equal(c.tx, TR_DP_TX_AUTO);
	assert_int_equal(tr_dp_conf_parse("", &c), 0);
	assert_int_equal(c.burst, 32);
}

static void conf_as_the_planner_writes_it(void **state)
{
	struct tr_dp_conf c;
	(void)state;
	assert_int_equal(tr_dp_conf_parse("mode=symmetric,burst=64,ring=2048,queues=3", &c), 0);
	assert_int_equal(c.mode, TR_DP_MODE_SYMMETRIC);
	assert_int_equal(c.burst, 64);
	assert_int_equal(c.ring_size, 2048);
	assert_int_equal(c.queues, 3);
	assert_int_equal(tr_dp_conf_parse("mode=distribute,burst=32,ring=1024,queues=0,tx=ring", &c), 0);
	assert_int_equal(c.mode, TR_DP_MODE_DISTRIBUTE);
	assert_int_equal(c.tx, TR_DP_TX_RING);
}

static void conf_rejects(void **state)
{
	static const char *const bad[] = {
		"mode=fast", "burst=0", "burst=513", "burst=", "burst=-1",
		"burst=32x", "ring=1000", "ring=32", "ring=131072", "queues=17",
		"tx=maybe", "speed=1", "mode", "=1", "mode=distribute,,burst=1x",
	};
	struct tr_dp_conf c = {.burst = 7};
	(void)state;
	for (unsigned i = 0; i < DIM(bad); i++) {
		int rc = tr_dp_conf_parse(bad[i], &c);
		if (rc != -EINVAL)
			fail_msg("\"%s\" gave %d, expected -EINVAL", bad[i], rc);
	}
	assert_int_equal(c.burst, 7); /* untouched on error */
}

/* What the shim writes, the library reads: every mode and tx value, with
 * the smallest, default and largest burst, ring and queues. */
static void conf_round_trips(void **state)
{
	static const unsigned bursts[] = {TR_DP_BURST_MIN, TR_DP_BURST_DEFAULT, TR_DP_BURST_MAX};
	static const unsigned rings[] = {TR_DP_RING_MIN, 128, TR_DP_RING_DEFAULT, TR_DP_RING_MAX};
	static const unsigned queues[] = {0, 1, TR_MAX_MEMBERS};
	unsigned checked = 0;
	(void)state;

	for (unsigned m = 0; m < DIM(modes); m++)
	for (unsigned t = 0; t < DIM(txs); t++)
	for (unsigned b = 0; b < DIM(bursts); b++)
	for (unsigned r = 0; r < DIM(rings); r++)
	for (unsigned q = 0; q < DIM(queues); q++) {
		const struct tr_dp_conf in = {
			.mode = modes[m], .burst = bursts[b], .ring_size = rings[r],
			.queues = queues[q], .tx = txs[t],
		};
		struct tr_dp_conf out;
		char buf[128];
		int n = tr_dp_conf_format(&in, buf, sizeof(buf));

		assert_true(n > 0 && (size_t)n == strlen(buf));
		memset(&out, 0xa5, sizeof(out));
		if (tr_dp_conf_parse(buf, &out) != 0)
			fail_msg("\"%s\" was refused", buf);
		assert_int_equal(out.mode, in.mode);
		assert_int_equal(out.burst, in.burst);
		assert_int_equal(out.ring_size, in.ring_size);
		assert_int_equal(out.queues, in.queues);
		assert_int_equal(out.tx, in.tx);
		checked++;
	}
	assert_int_equal(checked, 2 * 3 * 3 * 4 * 3);
}

static void conf_format_reads_as_documented(void **state)
{
	struct tr_dp_conf c;
	char buf[128];
	(void)state;

	tr_dp_conf_default(&c);
	assert_int_equal(tr_dp_conf_format(&c, buf, sizeof(buf)),
			 (int)strlen("mode=distribute,burst=32,ring=1024,queues=0"));
	assert_string_equal(buf, "mode=distribute,burst=32,ring=1024,queues=0");
	c = (struct tr_dp_conf){.mode = TR_DP_MODE_SYMMETRIC, .burst = 1,
				.ring_size = 65536, .queues = 16, .tx = TR_DP_TX_OWN};
	tr_dp_conf_format(&c, buf, sizeof(buf));
	assert_string_equal(buf, "mode=symmetric,burst=1,ring=65536,queues=16,tx=own");
	c.tx = TR_DP_TX_RING;
	tr_dp_conf_format(&c, buf, sizeof(buf));
	assert_string_equal(buf, "mode=symmetric,burst=1,ring=65536,queues=16,tx=ring");

	/* Too small a buffer: snprintf's answer, never a longer write. */
	memset(buf, 'x', sizeof(buf));
	assert_true(tr_dp_conf_format(&c, buf, 10) >= 10);
	assert_int_equal(strlen(buf), 9);
	assert_int_equal(buf[10], 'x');
}

/* One field just past its bound, the rest valid: formatted as the shim
 * would, and refused by the parser, which leaves its output alone. */
static void conf_out_of_range_is_refused(void **state)
{
	static const struct {
		const char *what;
		struct tr_dp_conf c;
	} bad[] = {
		{"burst 0", {.burst = TR_DP_BURST_MIN - 1, .ring_size = 1024}},
		{"burst 513", {.burst = TR_DP_BURST_MAX + 1, .ring_size = 1024}},
		{"ring 32", {.burst = 32, .ring_size = TR_DP_RING_MIN / 2}},
		{"ring 63", {.burst = 32, .ring_size = TR_DP_RING_MIN - 1}},
		{"ring 96", {.burst = 32, .ring_size = 96}},
		{"ring 65537", {.burst = 32, .ring_size = TR_DP_RING_MAX + 1}},
		{"ring 131072", {.burst = 32, .ring_size = TR_DP_RING_MAX * 2}},
		{"queues 17", {.burst = 32, .ring_size = 1024, .queues = TR_MAX_MEMBERS + 1}},
		{"mode 2", {.mode = (enum tr_dp_mode)2, .burst = 32, .ring_size = 1024}},
		{"tx 3", {.burst = 32, .ring_size = 1024, .tx = (enum tr_dp_tx)3}},
	};
	(void)state;

	for (unsigned i = 0; i < DIM(bad); i++) {
		struct tr_dp_conf out = {.burst = 7, .ring_size = 77};
		char buf[128];
		int rc;

		tr_dp_conf_format(&bad[i].c, buf, sizeof(buf));
		rc = tr_dp_conf_parse(buf, &out);
		if (rc != -EINVAL)
			fail_msg("%s: \"%s\" gave %d, expected -EINVAL", bad[i].what,
				 buf, rc);
		assert_int_equal(out.burst, 7);
		assert_int_equal(out.ring_size, 77);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_are_the_documented_words),
		cmocka_unit_test(conf_defaults),
		cmocka_unit_test(conf_as_the_planner_writes_it),
		cmocka_unit_test(conf_rejects),
		cmocka_unit_test(conf_round_trips),
		cmocka_unit_test(conf_format_reads_as_documented),
		cmocka_unit_test(conf_out_of_range_is_refused),
	};
	return cmocka_run_group_tests_name("rt_test_proto", tests, NULL, NULL);
}
