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

#include <sched.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>

#include "common/fsutil.h"
#include "helpers.h"
#include "host/pidns.h"

/* Runs fn(arg) as pid 1 of a new PID namespace (and mount namespace: fn
 * may mount a /proc of its own) and returns its exit status; 10 and up:
 * the set-up failed. Needs root. */
static int in_child_pidns(int (*fn)(const char *), const char *arg)
{
	pid_t c = fork();
	assert_true(c >= 0);
	if (c == 0) {
		if (unshare(CLONE_NEWPID | CLONE_NEWNS) < 0)
			_exit(10);
		pid_t g = fork();
		if (g == 0)
			_exit(fn(arg));
		int ws;
		if (g < 0 || waitpid(g, &ws, 0) < 0)
			_exit(13);
		_exit(WIFEXITED(ws) ? WEXITSTATUS(ws) : 14);
	}
	return tr_child_exit(c);
}

/* In the child namespace: a /proc of its own at tr_tmp/proc-ns, whose
 * locks file leaves out what holders outside it hold. */
static int mount_own_proc(char *locks, size_t len)
{
	char proc[PATH_MAX + 16];
	snprintf(proc, sizeof(proc), "%s/proc-ns", tr_tmp);
	snprintf(locks, len, "%s/locks", proc);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    (mkdir(proc, 0700) < 0 && errno != EEXIST) ||
	    mount("proc", proc, "proc", 0, NULL) < 0)
		return -1;
	return 0;
}

/* dir's files are held by a member this namespace cannot see: refused. */
static int refused_as_unseen(const char *dir)
{
	char locks[PATH_MAX + 32];
	struct tr_error e = { 0 };
	if (mount_own_proc(locks, sizeof(locks)) < 0)
		return 11;
	if (tr_pidns_check_group(dir, locks, &e) != -1 || e.code != EX_UNAVAILABLE)
		return 12;
	return strstr(e.msg, "held by a group member this PID namespace cannot see") ? 0 : 12;
}

/* Nothing in dir is held: nothing to refuse. */
static int nothing_to_refuse(const char *dir)
{
	char locks[PATH_MAX + 32];
	struct tr_error e = { 0 };
	if (mount_own_proc(locks, sizeof(locks)) < 0)
		return 11;
	return tr_pidns_check_group(dir, locks, &e) == 0 ? 0 : 12;
}

/* The primary's config lock is held from outside: its holder shows as pid
 * 0, and the check says so. */
static int primary_unseen(const char *dir)
{
	struct tr_error e = { 0 };
	char want[PATH_MAX * 2];
	snprintf(want, sizeof(want),
		 "its primary holds %s/config from a PID namespace this one cannot see", dir);
	if (tr_pidns_check_primary_visible(dir, &e) != -1 || e.code != EX_UNAVAILABLE)
		return 12;
	return strncmp(e.msg, want, strlen(want)) == 0 ? 0 : 12;
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
	snprintf(dir, sizeof(dir), "%s/dpdk/acme", tr_tmp);
	assert_int_equal(tr_mkdir_p(dir, 0700), 0);

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
	assert_int_equal(in_child_pidns(refused_as_unseen, dir), 0);
	/* and with our lock gone, the same view finds nothing to refuse */
	close(fd);
	assert_int_equal(in_child_pidns(nothing_to_refuse, dir), 0);
}

/* The primary's fcntl lock on config, held by a helper process. */
static void test_primary_visible(void **state)
{
	(void)state;
	char dir[PATH_MAX + 32];
	struct tr_error err = { 0 };
	snprintf(dir, sizeof(dir), "%s/dpdk/globex", tr_tmp);
	tr_put(dir, "config", "");

	/* no primary: nothing to say */
	assert_int_equal(tr_pidns_check_primary_visible(dir, &err), 0);

	char cfgpath[PATH_MAX + 64];
	snprintf(cfgpath, sizeof(cfgpath), "%s/config", dir);
	pid_t helper = tr_hold_fcntl_lock(cfgpath);
	/* a primary we can see */
	assert_int_equal(tr_pidns_check_primary_visible(dir, &err), 0);
	/* from a child PID namespace the holder is pid 0 */
	if (geteuid() == 0)
		assert_int_equal(in_child_pidns(primary_unseen, dir), 0);
	tr_child_kill(helper);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_holders),
		cmocka_unit_test(test_pid_namespace),
		cmocka_unit_test(test_primary_visible),
	};
	return cmocka_run_group_tests_name("pidns", tests, tr_tmp_setup, tr_tmp_teardown);
}
