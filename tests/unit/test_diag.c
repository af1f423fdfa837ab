/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Diagnostics: how a value from the file is shown inside one, and that
 * they print one line each, sorted by position.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static void test_show_escapes(void **state)
{
	(void)state;
	assert_string_equal(TR_SHOW("plain 0-3,8"), "plain 0-3,8");
	assert_string_equal(TR_SHOW("a\"b\\c"), "a\\\"b\\\\c");
	assert_string_equal(TR_SHOW("a\nb\x7f"), "a\\x0ab\\x7f");
	assert_string_equal(TR_SHOW(""), "");
}

static void test_show_bounded(void **state)
{
	(void)state;
	char s[TR_SHOW_MAX + 2];
	memset(s, 'x', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	/* Exactly TR_SHOW_MAX characters: whole. One more: cut. */
	s[TR_SHOW_MAX] = '\0';
	assert_int_equal(strlen(TR_SHOW(s)), TR_SHOW_MAX);
	s[TR_SHOW_MAX] = 'x';
	const char *cut = TR_SHOW(s);
	assert_int_equal(strlen(cut), TR_SHOW_MAX + 3);
	assert_string_equal(cut + TR_SHOW_MAX, "...");
	/* Every character escaped still fits TR_SHOW_LEN. */
	memset(s, '\n', sizeof(s) - 1);
	assert_int_equal(strlen(TR_SHOW(s)), TR_SHOW_MAX * 4 + 3);
	/* A small buffer is never overrun. */
	char small[8];
	assert_string_equal(tr_diag_show("abcdefghij", small, sizeof(small)),
			    "abc...");
}

static void test_print_sorted_one_line_each(void **state)
{
	(void)state;
	static struct tr_diags d;
	tr_diags_init(&d, "f.yaml");
	tr_diag_warn(&d, ((struct tr_mark){ 3, 1 }), "later\nline");
	tr_diag_err(&d, ((struct tr_mark){ 0, 0 }), "no position");
	tr_diag_err(&d, ((struct tr_mark){ 2, 7 }), "earlier");
	assert_int_equal(d.n_errors, 2);
	assert_diags(&d, "f.yaml: no position\n"
			 "f.yaml:2:7: earlier\n"
			 "f.yaml:3:1: warning: later line\n");
	tr_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_show_escapes),
		cmocka_unit_test(test_show_bounded),
		cmocka_unit_test(test_print_sorted_one_line_each),
	};
	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
