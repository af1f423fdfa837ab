/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * common/timing.c: TENANTRT_SHIM_TIMING's one stderr line, its shape and
 * that its numbers add up; nothing at all when it is off.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <regex.h>
#include <time.h>

#include "common/timing.h"
#include "helpers.h"

static char *printed(const struct tr_timing *tm)
{
	struct tr_capture c;
	tr_capture_stderr(&c);
	tr_timing_print(tm, "tenantrt-shim");
	return tr_capture_end(&c);
}

static void assert_silent(const struct tr_timing *tm)
{
	char *out = printed(tm);
	assert_string_equal(out, "");
	free(out);
}

static void test_off_is_silent(void **state)
{
	(void)state;
	static const char *const off[] = { NULL, "", "0" };
	for (size_t i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
		struct tr_timing tm;
		tr_timing_start(&tm, off[i]);
		assert_false(tm.on);
		tr_timing_mark(&tm, "config");
		assert_int_equal(tm.n, 0);
		assert_silent(&tm);
	}
}

static void test_line_shape_and_sum(void **state)
{
	(void)state;
	struct tr_timing tm;
	tr_timing_start(&tm, "1");
	assert_true(tm.on);
	assert_int_equal(tm.n, 1);
	assert_string_equal(tm.label[0], "main");
	struct timespec ms20 = { 0, 20 * 1000 * 1000 };
	nanosleep(&ms20, NULL);
	tr_timing_mark(&tm, "config");
	tr_timing_mark(&tm, "admit");
	char *out = printed(&tm);

	regex_t re;
	assert_int_equal(regcomp(&re, "^tenantrt-shim: timing \\(usec\\): config ([0-9]+) "
				      "admit ([0-9]+); main to app exec ([0-9]+)\n$",
				 REG_EXTENDED),
			 0);
	regmatch_t m[4];
	if (regexec(&re, out, 4, m, 0) != 0)
		fail_msg("timing line: %s", out);
	regfree(&re);
	long config = strtol(out + m[1].rm_so, NULL, 10);
	long admit = strtol(out + m[2].rm_so, NULL, 10);
	long total = strtol(out + m[3].rm_so, NULL, 10);
	free(out);
	assert_true(config >= 20000);             /* the 20 ms slept */
	assert_true(admit < 20000);
	/* each stage rounded on its own: the sum is within a microsecond each */
	assert_true(labs(config + admit - total) <= 2);
}

/* One mark: no stage has ended, nothing to say. */
static void test_no_stage_no_line(void **state)
{
	(void)state;
	struct tr_timing tm;
	tr_timing_start(&tm, "yes");
	assert_true(tm.on);
	assert_silent(&tm);
}

/* Marks past the 16 it has room for are dropped, not written past it. */
static void test_marks_bounded(void **state)
{
	(void)state;
	struct tr_timing tm;
	tr_timing_start(&tm, "1");
	for (int i = 0; i < 40; i++)
		tr_timing_mark(&tm, "x");
	assert_int_equal(tm.n, 16);
	char *out = printed(&tm);
	size_t stages = 0;
	for (const char *p = out; (p = strstr(p, " x ")) != NULL; p++)
		stages++;
	free(out);
	assert_int_equal(stages, 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_off_is_silent),
		cmocka_unit_test(test_line_shape_and_sum),
		cmocka_unit_test(test_no_stage_no_line),
		cmocka_unit_test(test_marks_bounded),
	};
	return cmocka_run_group_tests_name("timing", tests, NULL, NULL);
}
