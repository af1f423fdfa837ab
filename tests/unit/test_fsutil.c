/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * common/fsutil.c: the small file helpers against what a tenant could
 * plant where the shim reads (a FIFO, a symlink), and the environment and
 * field helpers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/fsutil.h"
#include "helpers.h"

static void test_read_text(void **state)
{
	(void)state;
	char p[PATH_MAX + 8], q[PATH_MAX + 8], buf[64];
	snprintf(p, sizeof(p), "%s/f", tr_tmp);
	tr_put(tr_tmp, "f", "0-3 \n\n");
	assert_int_equal(tr_read_text(p, buf, sizeof(buf)), 3);
	assert_string_equal(buf, "0-3");
	/* cut to the buffer, never past it */
	assert_int_equal(tr_read_text(p, buf, 3), 2);
	assert_string_equal(buf, "0-");
	/* a symlink planted in its place is not followed */
	snprintf(q, sizeof(q), "%s/link", tr_tmp);
	assert_int_equal(symlink(p, q), 0);
	assert_int_equal(tr_read_text(q, buf, sizeof(buf)), -1);
	assert_int_equal(errno, ELOOP);
	/* a FIFO does not hang the reader */
	snprintf(q, sizeof(q), "%s/fifo", tr_tmp);
	assert_int_equal(mkfifo(q, 0600), 0);
	assert_int_equal(tr_read_text(q, buf, sizeof(buf)), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(tr_read_text("/nonexistent/x", buf, sizeof(buf)), -1);
	assert_int_equal(errno, ENOENT);
}

static void test_env_and_copy(void **state)
{
	(void)state;
	char *env[] = { "A=1", "AB=2", "B=", NULL };
	assert_string_equal(tr_env_get(env, "A"), "1");
	assert_string_equal(tr_env_get(env, "AB"), "2");
	assert_string_equal(tr_env_get(env, "B"), "");
	assert_null(tr_env_get(env, "C"));
	assert_null(tr_env_get(NULL, "A"));
	char out[4];
	tr_copy_field(out, sizeof(out), "abcdef", 6);
	assert_string_equal(out, "abc");
	tr_copy_field(out, sizeof(out), "abcdef", 2);
	assert_string_equal(out, "ab");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_text, tr_tmp_setup, tr_tmp_teardown),
		cmocka_unit_test(test_env_and_copy),
	};
	return cmocka_run_group_tests_name("fsutil", tests, NULL, NULL);
}
