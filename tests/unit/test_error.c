/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * common/error.c: the error contract's out-parameter: code and message,
 * a position in tenants.yaml, errno's words appended, context prefixed
 * once, bounded text, and NULL for "the caller does not want it".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "common/error.h"

static void test_err_fills_and_returns_minus_one(void **state)
{
	(void)state;
	struct tr_error err;
	memset(&err, 'x', sizeof(err));
	assert_int_equal(tr_err(&err, EX_USAGE, "bad %s %d", "value", 3), -1);
	assert_int_equal(err.code, EX_USAGE);
	assert_int_equal(err.sys_errno, 0);
	assert_string_equal(err.where, "");
	assert_string_equal(err.msg, "bad value 3");
	/* nobody asked: still -1, nothing written */
	assert_int_equal(tr_err(NULL, EX_USAGE, "x"), -1);
	assert_int_equal(tr_err_at(NULL, EX_USAGE, "f", 1, 2, "x"), -1);
	assert_int_equal(tr_err_sys(NULL, EX_OSERR, EIO, "x"), -1);
	assert_int_equal(tr_err_wrap(NULL, "ctx"), -1);
	tr_err_clear(NULL);
}

static void test_err_at_and_sys(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	tr_err_at(&err, EX_DATAERR, "t.yaml", 7, 9, "cpus %s overlap", "1-2");
	assert_string_equal(err.where, "t.yaml:7:9");
	assert_string_equal(err.msg, "cpus 1-2 overlap");
	/* the next error has no position of its own */
	tr_err_sys(&err, EX_OSERR, ENOENT, "cannot open %s", "/x");
	assert_string_equal(err.where, "");
	assert_int_equal(err.sys_errno, ENOENT);
	assert_string_equal(err.msg, "cannot open /x: No such file or directory");
	tr_err_clear(&err);
	assert_int_equal(err.code, 0);
	assert_int_equal(err.sys_errno, 0);
	assert_string_equal(err.msg, "");
}

static void test_wrap_prefixes_once(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	tr_err(&err, EX_OSERR, "cannot join cgroup");
	assert_int_equal(tr_err_wrap(&err, "isolate %s", "acme"), -1);
	assert_string_equal(err.msg, "isolate acme: cannot join cgroup");
	assert_int_equal(err.code, EX_OSERR);
}

/* A message longer than the buffer is cut, never overrun; errno's words
 * are not appended to a cut message. */
static void test_bounded(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	char big[TR_ERR_MSG_MAX * 2];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	tr_err_sys(&err, EX_OSERR, EIO, "%s", big);
	assert_int_equal(strlen(err.msg), TR_ERR_MSG_MAX - 1);
	assert_null(strstr(err.msg, "I/O error"));
	tr_err_wrap(&err, "context");
	assert_int_equal(strlen(err.msg), TR_ERR_MSG_MAX - 1);
	assert_memory_equal(err.msg, "context: aaa", 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err_fills_and_returns_minus_one),
		cmocka_unit_test(test_err_at_and_sys),
		cmocka_unit_test(test_wrap_prefixes_once),
		cmocka_unit_test(test_bounded),
	};
	return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
