/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * common/cpuset.c: cpu lists as Linux writes them ("0-3,8"), parsed and
 * refused with the reason, formatted back in ranges, and the set algebra
 * validation and planning use.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"

static void test_parse_and_format(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} good[] = {
		{ "0", "0" },
		{ "0-3", "0-3" },
		{ "3,1,2", "1-3" },
		{ "0-1,1-2", "0-2" },
		{ "5,7-8,10", "5,7-8,10" },
		{ "1023", "1023" },
		{ "4-4", "4" },
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct tr_cpuset s = tr_test_cpus(good[i].in);
		assert_cpus(&s, good[i].out);
	}
}

static void test_parse_refuses(void **state)
{
	(void)state;
	static const struct {
		const char *in, *why;
	} bad[] = {
		{ "", "empty cpulist" },
		{ "a", "expected a cpu number at \"a\"" },
		{ "1,", "expected a cpu number at \"\"" },
		{ "-1", "expected a cpu number at \"-1\"" },
		{ "3-1", "range 3-1 is reversed" },
		{ "1024", "cpu 1024 is beyond 1023" },
		{ "0-99999999999999999999", "cpu 99999999999999999999 is beyond 1023" },
		{ "1 ", "unexpected ' '" },
		{ "1;2", "unexpected ';'" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tr_cpuset s;
		char why[128] = "";
		if (tr_cpuset_parse(&s, bad[i].in, why, sizeof(why)) != -1)
			fail_msg("\"%s\" taken for a cpu list", bad[i].in);
		assert_string_equal(why, bad[i].why);
	}
}

/* Formatting is bounded by the buffer and says how long the list is. */
static void test_format_bounded(void **state)
{
	(void)state;
	struct tr_cpuset s = tr_test_cpus("0,2,4,6,8");
	char buf[6];
	assert_int_equal(tr_cpuset_format(&s, buf, sizeof(buf)), 9);
	assert_string_equal(buf, "0,2,4");
	struct tr_cpuset none;
	tr_cpuset_zero(&none);
	assert_int_equal(tr_cpuset_format(&none, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

static void test_set_algebra(void **state)
{
	(void)state;
	struct tr_cpuset a = tr_test_cpus("1-4,70"), b = tr_test_cpus("3-8"), out;
	assert_int_equal(tr_cpuset_count(&a), 5);
	assert_true(tr_cpuset_and(&out, &a, &b));
	assert_cpus(&out, "3-4");
	struct tr_cpuset c = tr_test_cpus("9");
	assert_false(tr_cpuset_and(&out, &a, &c));
	assert_true(tr_cpuset_empty(&out));
	assert_true(tr_cpuset_subset(&out, &a));        /* the empty set */
	struct tr_cpuset d = tr_test_cpus("2,70");
	assert_true(tr_cpuset_subset(&d, &a));
	assert_false(tr_cpuset_subset(&a, &d));
	assert_int_equal(tr_cpuset_first(&a), 1);
	assert_int_equal(tr_cpuset_nth(&a, 3), 4);
	assert_int_equal(tr_cpuset_nth(&a, 4), 70);
	assert_int_equal(tr_cpuset_nth(&a, 5), -1);
	assert_int_equal(tr_cpuset_first(&out), -1);
	/* out of range: ignored, never set */
	tr_cpuset_set(&out, TR_MAX_CPUS);
	assert_true(tr_cpuset_empty(&out));
	assert_false(tr_cpuset_isset(&out, TR_MAX_CPUS + 5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_format),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_format_bounded),
		cmocka_unit_test(test_set_algebra),
	};
	return cmocka_run_group_tests_name("cpuset", tests, NULL, NULL);
}
