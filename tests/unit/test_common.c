/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * shim/common: DPDK's file layout and its primary lock (real files, a real
 * fcntl lock held by another process), the small file helpers against
 * what a tenant could plant (a FIFO, a symlink), JSON escaping, capability
 * names, and the exit-code table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/caps.h"
#include "common/dpdkfs.h"
#include "common/exits.h"
#include "common/fsutil.h"
#include "common/json.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/tenantrt-common.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_dpdk_file_pid(void **state)
{
	(void)state;
	assert_int_equal(tr_dpdk_file_pid("fbarray_memseg-2048k-0-0_42"), 42);
	assert_int_equal(tr_dpdk_file_pid("fbarray_memseg-1048576k-1-3_2"), 2);
	/* the primary's own lists carry no pid */
	assert_int_equal(tr_dpdk_file_pid("fbarray_memseg-2048k-0-0"), -1);
	assert_int_equal(tr_dpdk_file_pid("fbarray_memzone"), -1);
	assert_int_equal(tr_dpdk_file_pid("fbarray_memseg-2048k-0-0_"), -1);
	assert_int_equal(tr_dpdk_file_pid("fbarray_memseg-2048k-0-0_4x"), -1);
	assert_int_equal(tr_dpdk_file_pid("mp_socket_42_1234"), -1);
	assert_int_equal(tr_dpdk_file_pid("fbarray_memseg-2048k-0-0_99999999999"), -1);
}

static void test_dpdk_paths(void **state)
{
	(void)state;
	char buf[256];
	tr_dpdk_path("/run/tenantrt/acme", "acme", NULL, buf, sizeof(buf));
	assert_string_equal(buf, "/run/tenantrt/acme/dpdk/acme");
	tr_dpdk_path("/run/tenantrt/acme", "acme", TR_DPDK_CONFIG, buf, sizeof(buf));
	assert_string_equal(buf, "/run/tenantrt/acme/dpdk/acme/config");
	assert_true(tr_dpdk_is_hugefile("acmemap_0", "acme"));
	assert_false(tr_dpdk_is_hugefile("acmexmap_0", "acme"));
	assert_false(tr_dpdk_is_hugefile("globexmap_0", "acme"));
}

/* DPDK's primary lock: held by another process, seen with its pid; a FIFO
 * in its place is no lock and does not hang the reader. */
static void test_dpdk_primary_lock(void **state)
{
	(void)state;
	char d[128], cfg[160];
	snprintf(d, sizeof(d), "%s/dpdk/acme", dir);
	snprintf(cfg, sizeof(cfg), "%s/config", d);
	assert_int_equal(tr_mkdir_p(d, 0700), 0);
	pid_t holder = -1;
	assert_false(tr_dpdk_primary_lock(dir, "acme", &holder));
	assert_int_equal(holder, 0);
	int fd = open(cfg, O_CREAT | O_RDWR, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_false(tr_dpdk_primary_lock(dir, "acme", NULL));

	int ready[2];
	assert_int_equal(pipe(ready), 0);
	pid_t c = fork();
	assert_true(c >= 0);
	if (c == 0) {
		int f = open(cfg, O_RDWR);
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		if (f < 0 || fcntl(f, F_SETLK, &fl) < 0)
			_exit(1);
		(void)!write(ready[1], "x", 1);
		pause();
		_exit(0);
	}
	char x;
	assert_int_equal(read(ready[0], &x, 1), 1);
	assert_true(tr_dpdk_primary_lock(dir, "acme", &holder));
	assert_int_equal(holder, c);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	assert_false(tr_dpdk_primary_lock(dir, "acme", &holder));

	unlink(cfg);
	assert_int_equal(mkfifo(cfg, 0600), 0);
	assert_false(tr_dpdk_primary_lock(dir, "acme", &holder));
	close(ready[0]);
	close(ready[1]);
}

static void test_read_text(void **state)
{
	(void)state;
	char p[128], q[128], buf[64];
	snprintf(p, sizeof(p), "%s/f", dir);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs("0-3 \n\n", f);
	fclose(f);
	assert_int_equal(tr_read_text(p, buf, sizeof(buf)), 3);
	assert_string_equal(buf, "0-3");
	/* cut to the buffer, never past it */
	assert_int_equal(tr_read_text(p, buf, 3), 2);
	assert_string_equal(buf, "0-");
	/* a symlink planted in its place is not followed */
	snprintf(q, sizeof(q), "%s/link", dir);
	assert_int_equal(symlink(p, q), 0);
	assert_int_equal(tr_read_text(q, buf, sizeof(buf)), -1);
	assert_int_equal(errno, ELOOP);
	/* a FIFO does not hang the reader */
	snprintf(q, sizeof(q), "%s/fifo", dir);
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

static void test_json_and_caps(void **state)
{
	(void)state;
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	assert_non_null(m);
	tr_json_str(m, "a\"b\\c\n\x01");
	char *v[] = { "x", "y" };
	tr_json_str_array(m, v, 0, 2);
	fclose(m);
	assert_string_equal(out, "\"a\\\"b\\\\c\\n\\u0001\"[\"x\", \"y\"]");
	free(out);

	char b[128];
	tr_caps_format(0, b, sizeof(b));
	assert_string_equal(b, "none");
	uint64_t mask = (UINT64_C(1) << CAP_NET_RAW) | (UINT64_C(1) << CAP_NET_ADMIN);
	tr_caps_format(mask, b, sizeof(b));
	assert_string_equal(b, "cap_net_admin,cap_net_raw");
	tr_caps_format_upper(mask, b, sizeof(b));
	assert_string_equal(b, "CAP_NET_ADMIN CAP_NET_RAW");
}

/* Every code the table lists appears once; --help prints them all. */
static void test_exit_table(void **state)
{
	(void)state;
	int seen[256] = { 0 };
	unsigned n = 0;
	for (const struct tr_exit_code *e = tr_exit_codes; e->name; e++, n++)
		if (e->code >= 0)
			assert_int_equal(seen[e->code]++, 0);
	assert_true(n >= 15);
	assert_int_equal(seen[EX_USAGE], 1);
	assert_int_equal(seen[EX_TEMPFAIL], 1);
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	tr_exits_print(m);
	fclose(m);
	assert_non_null(strstr(out, "  75   EX_TEMPFAIL"));
	assert_non_null(strstr(out, "  127"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpdk_file_pid),
		cmocka_unit_test(test_dpdk_paths),
		cmocka_unit_test(test_dpdk_primary_lock),
		cmocka_unit_test(test_open_dir_safe),
		cmocka_unit_test(test_read_text),
		cmocka_unit_test(test_env_and_copy),
		cmocka_unit_test(test_json_and_caps),
		cmocka_unit_test(test_exit_table),
	};
	return cmocka_run_group_tests_name("common", tests, setup, teardown);
}
