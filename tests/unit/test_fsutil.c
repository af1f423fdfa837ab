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

/*
 * Set-up opens its dirs component by component without following a link:
 * a link anywhere on the path, a component another user owns, or one others
 * may write without the sticky bit, is refused (EPERM, the component
 * named); missing ones are made; the last one loses group/other write.
 */
static void test_open_dir_safe(void **state)
{
	(void)state;
	char top[] = "/tmp/tr-safe.XXXXXX", path[256], bad[256];
	assert_non_null(mkdtemp(top));
	assert_int_equal(chmod(top, 0755), 0);
	snprintf(path, sizeof(path), "%s/a/b", top);
	int fd = tr_open_dir_safe(path, true, bad, sizeof(bad));
	assert_true(fd >= 0);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	close(fd);
	/* without create, a missing dir is ENOENT */
	snprintf(path, sizeof(path), "%s/a/nope", top);
	assert_int_equal(tr_open_dir_safe(path, false, bad, sizeof(bad)), -1);
	assert_int_equal(errno, ENOENT);
	/* a link on the way */
	char link[256];
	snprintf(link, sizeof(link), "%s/l", top);
	assert_int_equal(symlink("/etc", link), 0);
	snprintf(path, sizeof(path), "%s/l/x", top);
	assert_int_equal(tr_open_dir_safe(path, true, bad, sizeof(bad)), -1);
	assert_int_equal(errno, ENOTDIR);
	/* a component another user owns */
	snprintf(path, sizeof(path), "%s/a", top);
	assert_int_equal(chown(path, 1234, 1234), 0);
	snprintf(path, sizeof(path), "%s/a/b", top);
	assert_int_equal(tr_open_dir_safe(path, false, bad, sizeof(bad)), -1);
	assert_int_equal(errno, EPERM);
	snprintf(path, sizeof(path), "%s/a", top);
	assert_string_equal(bad, path);
	assert_int_equal(chown(path, 0, 0), 0);
	/* world-writable without the sticky bit: refused; with it (/tmp): fine */
	assert_int_equal(chmod(path, 0777), 0);
	snprintf(path, sizeof(path), "%s/a/b", top);
	assert_int_equal(tr_open_dir_safe(path, false, bad, sizeof(bad)), -1);
	snprintf(path, sizeof(path), "%s/a", top);
	assert_int_equal(chmod(path, 01777), 0);
	snprintf(path, sizeof(path), "%s/a/b", top);
	fd = tr_open_dir_safe(path, false, bad, sizeof(bad));
	assert_true(fd >= 0);
	close(fd);
	/* the last one, root's and writable by others, is made 0755 (set-up
	 * only: a reader is refused) */
	assert_int_equal(chmod(path, 0777), 0);
	assert_int_equal(tr_open_dir_safe(path, false, bad, sizeof(bad)), -1);
	fd = tr_open_dir_safe(path, true, bad, sizeof(bad));
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	close(fd);
	/* "." and ".." are no components */
	snprintf(path, sizeof(path), "%s/a/../a/b", top);
	assert_int_equal(tr_open_dir_safe(path, false, bad, sizeof(bad)), -1);
	assert_int_equal(errno, EINVAL);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
	assert_int_equal(system(cmd), 0);
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

static void test_path_below(void **state)
{
	(void)state;
	const char *rel = NULL;
	assert_true(tr_path_below("/run/tenantrt/hugepages", "/run/tenantrt", &rel));
	assert_string_equal(rel, "hugepages");
	assert_true(tr_path_below("/run/tenantrt/a/b", "/run/tenantrt", NULL));
	/* The same dir, a sibling sharing the prefix, one above: not below. */
	assert_false(tr_path_below("/run/tenantrt", "/run/tenantrt", &rel));
	assert_false(tr_path_below("/run/tenantrt2/x", "/run/tenantrt", &rel));
	assert_false(tr_path_below("/run", "/run/tenantrt", &rel));
	assert_false(tr_path_below("/run/tenantrt", "/", &rel));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_text, tr_tmp_setup, tr_tmp_teardown),
		cmocka_unit_test(test_env_and_copy),
		cmocka_unit_test(test_path_below),
		cmocka_unit_test(test_open_dir_safe),
	};
	return cmocka_run_group_tests_name("fsutil", tests, NULL, NULL);
}
