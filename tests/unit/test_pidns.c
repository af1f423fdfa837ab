/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * host/pidns.c: one PID namespace per group, on real files and real
 * flocks read back through this host's /proc/locks, and from child PID
 * namespaces (root).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "host/pidns.h"

/* --- a made-up /proc and /sys ---------------------------------------------- */

static char tree[PATH_MAX];

static int tree_setup(void **state)
{
	(void)state;
	snprintf(tree, sizeof(tree), "/tmp/tenantrt-host.XXXXXX");
	return mkdtemp(tree) ? 0 : -1;
}

static int tree_teardown(void **state)
{
	(void)state;
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_lock_holders(void **state)
{
	(void)state;
	const char *locks =
		"1: POSIX  ADVISORY  WRITE 77 fe:01:1234 0 EOF\n"
		"2: FLOCK  ADVISORY  READ 0 fe:01:1234 0 EOF\n"
		"3: FLOCK  ADVISORY  READ 42 fe:01:1234 0 EOF\n"
		"3: -> FLOCK  ADVISORY  WRITE 43 fe:01:1234 0 EOF\n"
		"4: FLOCK  ADVISORY  WRITE 99 fe:02:1234 0 EOF\n"
		"5: OFDLCK ADVISORY  READ -1 00:05:9 0 EOF\n";
	pid_t pids[4];
	unsigned n = tr_pidns_lock_holders(locks, makedev(0xfe, 0x01), 1234, pids, 4);
	assert_int_equal(n, 2);   /* POSIX, blocked waiter, other dev ignored */
	assert_int_equal(pids[0], 0);
	assert_int_equal(pids[1], 42);
	assert_int_equal(tr_pidns_lock_holders(locks, makedev(0xfe, 0x01), 1235, pids, 4), 0);
}

/* Real files, real flocks, this host's /proc/locks. */
static void test_pid_namespace(void **state)
{
	(void)state;
	char dir[PATH_MAX + 32], f[PATH_MAX + 96];
	struct tr_error err = { 0 };
	snprintf(dir, sizeof(dir), "%s/dpdk/acme", tree);
	char cmd[PATH_MAX * 2];
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", dir);
	assert_int_equal(system(cmd), 0);

	/* no dir at all: no member yet */
	assert_int_equal(tr_pidns_check_group("/nonexistent/dpdk/acme",
						    "/proc/locks", &err), 0);

	/* our own file, held by us under our own pid: one namespace */
	snprintf(f, sizeof(f), "%s/fbarray_memseg-2048k-0-0_%d", dir, (int)getpid());
	int fd = open(f, O_CREAT | O_RDWR, 0600);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_SH), 0);
	assert_int_equal(tr_pidns_check_group(dir, "/proc/locks", &err), 0);

	/* a stale file of a dead member, held by nobody: DPDK reuses it */
	snprintf(f, sizeof(f), "%s/fbarray_memseg-2048k-0-0_2", dir);
	int stale = open(f, O_CREAT | O_RDWR, 0600);
	assert_true(stale >= 0);
	close(stale);
	assert_int_equal(tr_pidns_check_group(dir, "/proc/locks", &err), 0);

	/* a file named after pid 2 but held by a process we see as another
	 * pid: its holder named it in another PID namespace */
	int held = open(f, O_RDWR);
	assert_true(held >= 0);
	assert_int_equal(flock(held, LOCK_SH), 0);
	assert_int_equal(tr_pidns_check_group(dir, "/proc/locks", &err), -1);
	assert_int_equal(err.code, EX_UNAVAILABLE);
	char want[TR_ERR_MSG_MAX];
	snprintf(want, sizeof(want), "%s/fbarray_memseg-2048k-0-0_2 is "
		 "held by a group member seen here under another pid, so this "
		 "member is in another PID namespace and DPDK's pid-named files "
		 "would clash; run the group in one PID namespace (pod "
		 "shareProcessNamespace: true, compose pid: \"service:<primary>\", "
		 "podman --pid container:<primary>)", dir);
	assert_string_equal(err.msg, want);
	close(held);

	/* A holder this namespace cannot see (a member of another container):
	 * check from a child PID namespace with its own /proc, whose
	 * /proc/locks leaves our lock out. unshare needs root. */
	if (geteuid() != 0) {
		close(fd);
		return;
	}
	pid_t c = fork();
	assert_true(c >= 0);
	if (c == 0) {
		if (unshare(CLONE_NEWPID | CLONE_NEWNS) < 0)
			_exit(10);
		pid_t g = fork();
		if (g == 0) {
			char proc[PATH_MAX + 16], locks[PATH_MAX + 32];
			snprintf(proc, sizeof(proc), "%s/proc-ns", tree);
			snprintf(locks, sizeof(locks), "%s/locks", proc);
			if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
			    mkdir(proc, 0700) < 0 || mount("proc", proc, "proc", 0, NULL) < 0)
				_exit(11);
			struct tr_error e = { 0 };
			int r = tr_pidns_check_group(dir, locks, &e);
			_exit(r == -1 && e.code == EX_UNAVAILABLE &&
			      strstr(e.msg, "held by a group member this PID namespace "
				     "cannot see") ? 0 : 12);
		}
		int ws;
		if (g < 0 || waitpid(g, &ws, 0) < 0)
			_exit(13);
		_exit(WIFEXITED(ws) ? WEXITSTATUS(ws) : 14);
	}
	int ws;
	assert_int_equal(waitpid(c, &ws, 0), c);
	assert_true(WIFEXITED(ws));
	assert_int_equal(WEXITSTATUS(ws), 0);
	/* and with our lock gone, the same view finds nothing to refuse */
	close(fd);
	c = fork();
	assert_true(c >= 0);
	if (c == 0) {
		if (unshare(CLONE_NEWPID | CLONE_NEWNS) < 0)
			_exit(10);
		pid_t g = fork();
		if (g == 0) {
			char proc[PATH_MAX + 16], locks[PATH_MAX + 32];
			snprintf(proc, sizeof(proc), "%s/proc-ns", tree);
			snprintf(locks, sizeof(locks), "%s/locks", proc);
			if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
			    mount("proc", proc, "proc", 0, NULL) < 0)
				_exit(11);
			struct tr_error e = { 0 };
			_exit(tr_pidns_check_group(dir, locks, &e) == 0 ? 0 : 12);
		}
		int ws2;
		if (g < 0 || waitpid(g, &ws2, 0) < 0)
			_exit(13);
		_exit(WIFEXITED(ws2) ? WEXITSTATUS(ws2) : 14);
	}
	assert_int_equal(waitpid(c, &ws, 0), c);
	assert_true(WIFEXITED(ws));
	assert_int_equal(WEXITSTATUS(ws), 0);
}

/* The primary's fcntl lock on config, held by a helper process. */
static void test_primary_visible(void **state)
{
	(void)state;
	char dir[PATH_MAX + 32], cfgpath[PATH_MAX + 64];
	struct tr_error err = { 0 };
	snprintf(dir, sizeof(dir), "%s/dpdk/globex", tree);
	snprintf(cfgpath, sizeof(cfgpath), "%s/config", dir);
	char cmd[PATH_MAX * 2];
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && : > '%s'", dir, cfgpath);
	assert_int_equal(system(cmd), 0);

	/* no primary: nothing to say */
	assert_int_equal(tr_pidns_check_primary_visible(dir, &err), 0);

	int ready[2];
	assert_int_equal(pipe(ready), 0);
	pid_t helper = fork();
	assert_true(helper >= 0);
	if (helper == 0) {
		int fd = open(cfgpath, O_RDWR);
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		if (fd < 0 || fcntl(fd, F_SETLK, &fl) < 0)
			_exit(1);
		(void)!write(ready[1], "x", 1);
		pause();
		_exit(0);
	}
	char x;
	assert_int_equal(read(ready[0], &x, 1), 1);
	/* a primary we can see */
	assert_int_equal(tr_pidns_check_primary_visible(dir, &err), 0);

	if (geteuid() == 0) {
		/* from a child PID namespace the holder is pid 0 */
		pid_t c = fork();
		assert_true(c >= 0);
		if (c == 0) {
			if (unshare(CLONE_NEWPID) < 0)
				_exit(10);
			pid_t g = fork();
			if (g == 0) {
				struct tr_error e = { 0 };
				char want[PATH_MAX * 2];
				snprintf(want, sizeof(want), "its primary "
					 "holds %s from a PID namespace this one cannot see",
					 cfgpath);
				_exit(tr_pidns_check_primary_visible(dir, &e) == -1 &&
				      e.code == EX_UNAVAILABLE &&
				      strncmp(e.msg, want, strlen(want)) == 0 ? 0 : 12);
			}
			int ws;
			if (g < 0 || waitpid(g, &ws, 0) < 0)
				_exit(13);
			_exit(WIFEXITED(ws) ? WEXITSTATUS(ws) : 14);
		}
		int ws;
		assert_int_equal(waitpid(c, &ws, 0), c);
		assert_true(WIFEXITED(ws));
		assert_int_equal(WEXITSTATUS(ws), 0);
	}
	kill(helper, SIGKILL);
	waitpid(helper, NULL, 0);
	close(ready[0]);
	close(ready[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_holders),
		cmocka_unit_test(test_pid_namespace),
		cmocka_unit_test(test_primary_visible),
	};
	return cmocka_run_group_tests_name("pidns", tests, tree_setup, tree_teardown);
}
