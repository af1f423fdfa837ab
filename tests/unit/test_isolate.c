/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Isolation pieces that need no root:
 *  - cgroup.c on made-up /sys/fs/cgroup trees (pure v2, hybrid with v2
 *    hugetlb and v1 cpuset, v1 only, none): where each controller is found,
 *    which files setup writes and with what, soft when nothing offers one;
 *  - seccomp.c: the profile file format's errors, exactly, and filters
 *    loaded for real in a forked child (seccomp needs no privilege once
 *    no_new_privs is set): default denies keyctl/ptrace/unshare with EPERM,
 *    unconfined does not, a profile's `allow` wins over `deny @default`;
 *  - the seccomp holes planned from the device list.
 * The kernel side (real cgroups, capabilities, uids, DPDK under the
 * filter) is tests/integration/suite_isolation.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/caps.h"
#include "isolate/cgroup.h"
#include "isolate/isolate.h"
#include "isolate/privs.h"
#include "isolate/seccomp.h"

static char tmpl[] = "/tmp/tr-test-isolate.XXXXXX";
static const char *root;

static void put(const char *rel, const char *val)
{
	char p[1024];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	char *slash = strrchr(p, '/');
	*slash = '\0';
	char cmd[1200];
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", p);
	assert_int_equal(system(cmd), 0);
	*slash = '/';
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(val, f);
	fclose(f);
}

static char *get(const char *rel)
{
	static char buf[256];
	char p[1024];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	FILE *f = fopen(p, "r");
	if (f == NULL)
		return NULL;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int setup_tree(void **state)
{
	(void)state;
	snprintf(tmpl, sizeof(tmpl), "/tmp/tr-test-isolate.XXXXXX");
	root = mkdtemp(tmpl);
	assert_non_null(root);
	tr_cgroup_set_fsroot(root);
	return 0;
}

static int teardown_tree(void **state)
{
	(void)state;
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
	tr_cgroup_set_fsroot("/sys/fs/cgroup");
	return 0;
}

/* The files the kernel would create in a new group, made by hand: a
 * made-up tree has no kernel behind it. */
static void v2_group(const char *dir)
{
	char rel[512];
	snprintf(rel, sizeof(rel), "%s/cgroup.procs", dir);
	put(rel, "");
	snprintf(rel, sizeof(rel), "%s/cgroup.subtree_control", dir);
	put(rel, "");
}

static void test_locate_hybrid(void **state)
{
	(void)state;
	struct tr_cg_where w;
	put("unified/cgroup.controllers", "hugetlb\n");
	put("cpuset/tasks", "");
	tr_cgroup_locate(TR_CG_HUGETLB, &w);
	assert_true(w.found);
	assert_true(w.v2);
	assert_string_equal(w.root + strlen(root), "/unified");
	tr_cgroup_locate(TR_CG_CPUSET, &w);
	assert_true(w.found);
	assert_false(w.v2);
	assert_string_equal(w.root + strlen(root), "/cpuset");
}

static void test_locate_pure_v2(void **state)
{
	(void)state;
	struct tr_cg_where w;
	put("cgroup.controllers", "cpuset cpu io memory hugetlb pids\n");
	tr_cgroup_locate(TR_CG_HUGETLB, &w);
	assert_true(w.found && w.v2);
	assert_string_equal(w.root, root);
	tr_cgroup_locate(TR_CG_CPUSET, &w);
	assert_true(w.found && w.v2);
}

static void test_locate_v1_hugetlb(void **state)
{
	(void)state;
	struct tr_cg_where w;
	/* v2 offers no hugetlb (a v1 hierarchy holds it): v1 is used. */
	put("unified/cgroup.controllers", "\n");
	put("hugetlb/tasks", "");
	tr_cgroup_locate(TR_CG_HUGETLB, &w);
	assert_true(w.found);
	assert_false(w.v2);
	assert_string_equal(w.root + strlen(root), "/hugetlb");
}

#define G "tenantrt/0000abcd-acme"

static struct tr_cg_limits limits(const struct tr_cpuset *cpus, uint64_t mems)
{
	return (struct tr_cg_limits){
		.page_bytes = UINT64_C(2) << 20,
		.huge_limit_bytes = UINT64_C(192) << 20,
		.cpus = cpus,
		.mems_mask = mems,
		.pids_max = 256,
		.memory_max_bytes = UINT64_C(512) << 20,
	};
}

static void test_setup_hybrid_writes_limits(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	struct tr_cpuset cpus;
	char why[64];
	put("unified/cgroup.controllers", "hugetlb\n");
	put("unified/cgroup.subtree_control", "");
	v2_group("unified/tenantrt");
	v2_group("unified/" G);
	v2_group("unified/" G "/m0");
	put("unified/" G "/hugetlb.2MB.max", "max\n");
	put("unified/" G "/hugetlb.2MB.rsvd.max", "max\n");
	put("cpuset/tasks", "");
	put("cpuset/cpuset.cpus", "0-3\n");
	put("cpuset/cpuset.mems", "0-1\n");
	put("cpuset/tenantrt/cpuset.cpus", "");
	put("cpuset/tenantrt/cpuset.mems", "");
	put("cpuset/" G "/cpuset.cpus", "");
	put("cpuset/" G "/cpuset.mems", "");
	put("cpuset/" G "/m0/cpuset.cpus", "");
	put("cpuset/" G "/m0/cpuset.mems", "");
	put("cpuset/" G "/m0/cgroup.procs", "");
	put("pids/tasks", "");
	put("pids/" G "/pids.max", "max");
	put("pids/" G "/m0/cgroup.procs", "");
	put("memory/tasks", "");
	/* Made-up files keep what a shorter write does not cover: "max"
	 * stands for v1's unlimited (a LONG_MAX multiple). */
	put("memory/" G "/memory.limit_in_bytes", "max");
	put("memory/" G "/memory.memsw.limit_in_bytes", "max");
	put("memory/" G "/m0/cgroup.procs", "");
	assert_false(tr_cgroup_is_hard(G, TR_CG_HUGETLB));
	assert_false(tr_cgroup_is_hard(G, TR_CG_PIDS));
	assert_false(tr_cgroup_is_hard(G, TR_CG_MEMORY));

	assert_int_equal(tr_cpuset_parse(&cpus, "2-3", why, sizeof(why)), 0);
	struct tr_cg_limits lim = limits(&cpus, 0x2);
	int r = tr_cgroup_setup(G, 0, &lim, &err);
	if (r < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(get("unified/cgroup.subtree_control"), "+hugetlb");
	assert_string_equal(get("unified/tenantrt/cgroup.subtree_control"),
			    "+hugetlb");
	assert_string_equal(get("unified/" G "/hugetlb.2MB.max"), "201326592");
	assert_string_equal(get("unified/" G "/hugetlb.2MB.rsvd.max"),
			    "201326592");
	/* v1: the parent group gets its parent's cpus and mems first, the
	 * member's leaf the tenant's. */
	assert_string_equal(get("cpuset/tenantrt/cpuset.cpus"), "0-3");
	assert_string_equal(get("cpuset/tenantrt/cpuset.mems"), "0-1");
	assert_string_equal(get("cpuset/" G "/cpuset.cpus"), "2-3");
	assert_string_equal(get("cpuset/" G "/cpuset.mems"), "1");
	assert_string_equal(get("cpuset/" G "/m0/cpuset.cpus"), "2-3");
	assert_string_equal(get("cpuset/" G "/m0/cpuset.mems"), "1");
	/* pids and memory where they are (v1 here), on the tenant's group. */
	assert_string_equal(get("pids/" G "/pids.max"), "256");
	assert_string_equal(get("memory/" G "/memory.limit_in_bytes"), "536870912");
	assert_string_equal(get("memory/" G "/memory.memsw.limit_in_bytes"), "536870912");
	assert_true(tr_cgroup_is_hard(G, TR_CG_HUGETLB));
	assert_true(tr_cgroup_is_hard(G, TR_CG_CPUSET));
	assert_true(tr_cgroup_is_hard(G, TR_CG_PIDS));
	assert_true(tr_cgroup_is_hard(G, TR_CG_MEMORY));

	/* join writes "0" (the writer) into the member's leaf of each
	 * hierarchy, the v2 one included (its cgroup.kill kills). */
	assert_int_equal(tr_cgroup_join(G, 0, &err), 0);
	assert_string_equal(get("unified/" G "/m0/cgroup.procs"), "0");
	assert_string_equal(get("cpuset/" G "/m0/cgroup.procs"), "0");
	assert_string_equal(get("pids/" G "/m0/cgroup.procs"), "0");
	assert_string_equal(get("memory/" G "/m0/cgroup.procs"), "0");
}

static void test_setup_pure_v2_enables_all(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	put("cgroup.controllers", "cpuset cpu io memory hugetlb pids\n");
	put("cgroup.subtree_control", "cpuset cpu io memory hugetlb pids\n");
	v2_group("tenantrt");
	put("tenantrt/cgroup.subtree_control", "memory\n");
	v2_group(G);
	put(G "/hugetlb.2MB.max", "max\n");
	put(G "/pids.max", "max");
	put(G "/memory.max", "max");
	put(G "/memory.swap.max", "");
	struct tr_cg_limits lim = limits(NULL, 0);
	assert_int_equal(tr_cgroup_setup(G, 2, &lim, &err), 0);
	/* One write per controller not yet enabled (a made-up file keeps
	 * them overlaid: the last one, memory, shows first). */
	assert_int_equal(strncmp(get("tenantrt/cgroup.subtree_control"), "+memory", 7), 0);
	assert_string_equal(get(G "/pids.max"), "256");
	assert_string_equal(get(G "/memory.max"), "536870912");
	assert_string_equal(get(G "/memory.swap.max"), "0");
	struct stat st;
	char p[1024];
	snprintf(p, sizeof(p), "%s/" G "/m2", root);
	assert_int_equal(stat(p, &st), 0);
}

static void test_kill_v2_writes_cgroup_kill(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	put("unified/cgroup.controllers", "hugetlb\n");
	v2_group("unified/" G "/m1");
	put("unified/" G "/m1/cgroup.kill", "");
	put("unified/" G "/m1/cgroup.events", "populated 0\nfrozen 0\n");
	assert_int_equal(tr_cgroup_kill(G, 1, 100, &err), 0);
	assert_string_equal(get("unified/" G "/m1/cgroup.kill"), "1");
	/* Still populated when the wait ends: EX_TEMPFAIL, named. */
	put("unified/" G "/m1/cgroup.events", "populated 1\nfrozen 0\n");
	assert_int_equal(tr_cgroup_kill(G, 1, 20, &err), -1);
	assert_int_equal(err.code, EX_TEMPFAIL);
	/* No group at all: nothing to kill. */
	assert_int_equal(tr_cgroup_kill(G, 7, 20, &err), 0);
}

static void test_kill_v1_freezes_kills_thaws(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	/* No v2 at all: the v1 freezer kills. */
	put("freezer/tasks", "");
	pid_t victim = fork();
	assert_true(victim >= 0);
	if (victim == 0) {
		pause();
		_exit(0);
	}
	char procs[32];
	snprintf(procs, sizeof(procs), "%d\n", (int)victim);
	put("freezer/" G "/freezer.state", "");
	put("freezer/" G "/cgroup.procs", "");
	put("freezer/" G "/m3/cgroup.procs", procs);
	/* The whole tenant: its leaves' tasks too. A made-up file keeps
	 * listing the pid, hence EX_TEMPFAIL; the kill is what counts. */
	assert_int_equal(tr_cgroup_kill(G, TR_CG_ALL, 30, &err), -1);
	int st;
	assert_int_equal(waitpid(victim, &st, 0), victim);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
	assert_string_equal(get("freezer/" G "/freezer.state"), "THAWED");
}

static void test_setup_v1_mems_inherited(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	struct tr_cpuset none;
	tr_cpuset_zero(&none);
	put("cpuset/tasks", "");
	put("cpuset/cpuset.cpus", "0-1\n");
	put("cpuset/cpuset.mems", "0\n");
	put("cpuset/tenantrt/cpuset.cpus", "");
	put("cpuset/tenantrt/cpuset.mems", "");
	put("cpuset/" G "/cpuset.cpus", "");
	put("cpuset/" G "/cpuset.mems", "");
	put("cpuset/" G "/m0/cpuset.cpus", "");
	put("cpuset/" G "/m0/cpuset.mems", "");
	/* No cpus, no NUMA plan: a v1 group takes no task with empty
	 * cpus/mems, so both come from the parent. */
	struct tr_cg_limits lim = limits(&none, 0);
	assert_int_equal(tr_cgroup_setup(G, 0, &lim, &err), 0);
	assert_string_equal(get("cpuset/" G "/cpuset.cpus"), "0-1");
	assert_string_equal(get("cpuset/" G "/cpuset.mems"), "0");
	assert_string_equal(get("cpuset/" G "/m0/cpuset.cpus"), "0-1");
}

static void test_setup_nothing_is_soft(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	struct tr_cg_limits lim = limits(NULL, 0);
	assert_int_equal(tr_cgroup_setup(G, 0, &lim, &err), 0);
	assert_false(tr_cgroup_is_hard(G, TR_CG_HUGETLB));
	assert_false(tr_cgroup_is_hard(G, TR_CG_CPUSET));
	assert_int_equal(tr_cgroup_join(G, 0, &err), 0);
	assert_int_equal(tr_cgroup_kill(G, 0, 10, &err), 0);
	assert_int_equal(tr_cgroup_remove(G, TR_CG_ALL, &err), 0);
}

static void test_bad_group_name(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	struct tr_cg_limits lim = limits(NULL, 0);
	assert_int_equal(tr_cgroup_setup("tenantrt/../x", 0, &lim, &err), -1);
	assert_int_equal(err.code, EX_SOFTWARE);
	assert_string_equal(err.msg,
			    "\"tenantrt/../x\" is not a tenantrt cgroup name");
	assert_int_equal(tr_cgroup_kill("/", TR_CG_ALL, 10, &err), -1);
	assert_int_equal(tr_cgroup_remove("tenantrt", TR_CG_ALL, &err), -1);
}

static void test_group_names(void **state)
{
	(void)state;
	char a[TR_CGROUP_NAME_MAX], b[TR_CGROUP_NAME_MAX];
	/* The same tenant under two runtimeRoots: two groups. */
	tr_cg_group_name(a, sizeof(a), "/run/tenantrt", "acme");
	tr_cg_group_name(b, sizeof(b), "/tmp/other-root", "acme");
	assert_string_not_equal(a, b);
	assert_int_equal(strncmp(a, "tenantrt/", 9), 0);
	assert_string_equal(a + strlen(a) - 5, "-acme");
	/* Stable: a test or an operator can predict it. */
	tr_cg_group_name(b, sizeof(b), "/run/tenantrt", "acme");
	assert_string_equal(a, b);
	assert_true(tr_cg_group_name_ok(a));
	static const char *const bad[] = {
		"", "tenantrt", "tenantrt/", "tenantrt/..", "tenantrt/a/b",
		"tenantrt/../x", "other/acme", "tenantrt/A", "tenantrt/a b",
		"tenantrt/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	for (size_t i = 0; i < TR_ARRAY_SIZE(bad); i++)
		if (tr_cg_group_name_ok(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
}

static void test_size_names(void **state)
{
	(void)state;
	char b[64];
	tr_cg_hugetlb_size_name(UINT64_C(2) << 20, b, sizeof(b));
	assert_string_equal(b, "2MB");
	tr_cg_hugetlb_size_name(UINT64_C(1) << 30, b, sizeof(b));
	assert_string_equal(b, "1GB");
	tr_cg_hugetlb_size_name(UINT64_C(64) << 10, b, sizeof(b));
	assert_string_equal(b, "64KB");
	tr_cg_hugetlb_limit_file(b, sizeof(b), UINT64_C(2) << 20, true, false);
	assert_string_equal(b, "hugetlb.2MB.max");
	tr_cg_hugetlb_limit_file(b, sizeof(b), UINT64_C(1) << 30, false, true);
	assert_string_equal(b, "hugetlb.1GB.rsvd.limit_in_bytes");
}

/* --- seccomp ------------------------------------------------------------ */

static char profile_path[128];

static void write_profile(const char *text)
{
	snprintf(profile_path, sizeof(profile_path),
		 "/tmp/tr-test-seccomp.%d", (int)getpid());
	FILE *f = fopen(profile_path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void check_profile_error(const char *text, const char *expect_tail)
{
	struct tr_error err = { 0 };
	char expect[512];
	write_profile(text);
	assert_int_equal(tr_seccomp_check_profile(profile_path, &err), -1);
	assert_int_equal(err.code, EX_CONFIG);
	snprintf(expect, sizeof(expect), "%s:%s", profile_path, expect_tail);
	assert_string_equal(err.msg, expect);
	unlink(profile_path);
}

static void test_profile_errors(void **state)
{
	(void)state;
	check_profile_error("# mine\ndeny ptrace\ndeny no_such_call\n",
			    "3: unknown syscall \"no_such_call\"");
	check_profile_error("default maybe\n",
			    "1: \"default maybe\": expected \"default allow\" "
			    "or \"default deny\"");
	check_profile_error("\n\nforbid ptrace\n",
			    "3: unknown directive \"forbid\": expected allow, "
			    "deny or default");
	check_profile_error("deny ptrace keyctl\n",
			    "1: expected \"allow NAME\", \"deny NAME\" or "
			    "\"default allow|deny\"");
	check_profile_error("deny\n",
			    "1: expected \"allow NAME\", \"deny NAME\" or "
			    "\"default allow|deny\"");
}

static void test_profile_missing(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	assert_int_equal(tr_seccomp_check_profile("/nonexistent/p", &err), -1);
	assert_int_equal(err.code, EX_CONFIG);
	assert_string_equal(err.msg, "seccomp profile /nonexistent/p cannot "
				     "be read: No such file or directory");
}

static void test_profile_good(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	write_profile("default allow   # the default\n"
		      "deny @default\n"
		      "allow keyctl    # later lines win\n"
		      "deny socketcall # not on x86_64: no effect\n");
	assert_int_equal(tr_seccomp_check_profile(profile_path, &err), 0);
	unlink(profile_path);
}

/* Apply a filter in a child, make the calls, report errnos by exit code:
 * bit 0 keyctl denied with EPERM, bit 1 ptrace, bit 2 unshare, bit 3
 * clone(CLONE_NEWUTS), bit 4 a plain fork() still works. */
static int probe_child(enum tr_seccomp_kind kind, const char *profile)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct tr_error err = { 0 };
		struct tr_seccomp_opts o = { 0 };
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(100);
		if (tr_seccomp_apply(kind, profile, &o, &err) < 0)
			_exit(101);
		int bits = 0;
		errno = 0;
		if (syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
			    KEY_SPEC_SESSION_KEYRING, 0) < 0 && errno == EPERM)
			bits |= 1;
		errno = 0;
		if (ptrace(PTRACE_PEEKDATA, getppid(), NULL, NULL) < 0 &&
		    errno == EPERM)
			bits |= 2;
		errno = 0;
		if (unshare(CLONE_NEWUTS) < 0 && errno == EPERM)
			bits |= 4;
		errno = 0;
		long c = syscall(SYS_clone, CLONE_NEWUTS | SIGCHLD, NULL, NULL,
				 NULL, 0);
		if (c == 0)
			_exit(0);
		if (c > 0)
			waitpid((pid_t)c, NULL, 0);
		if (c < 0 && errno == EPERM)
			bits |= 8;
		/* Plain threads and children still work (clone3 -> ENOSYS,
		 * glibc falls back to clone without CLONE_NEW*). */
		pid_t plain = fork();
		if (plain == 0)
			_exit(0);
		if (plain > 0 && waitpid(plain, NULL, 0) == plain)
			bits |= 16;
		_exit(bits);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void test_default_filter_denies(void **state)
{
	(void)state;
	assert_int_equal(probe_child(TR_SECCOMP_DEFAULT, NULL),
			 1 | 2 | 4 | 8 | 16);
}

static void test_unconfined_keyctl_allowed(void **state)
{
	(void)state;
	/* keyctl works without a filter; ptrace of a non-tracee and unshare
	 * may fail for other reasons, so only keyctl's bit is asserted. */
	int bits = probe_child(TR_SECCOMP_UNCONFINED, NULL);
	assert_int_equal(bits & 1, 0);
	assert_int_equal(bits & 16, 16);
}

static void test_profile_allow_wins(void **state)
{
	(void)state;
	write_profile("deny @default\nallow keyctl\n");
	int bits = probe_child(TR_SECCOMP_PROFILE, profile_path);
	unlink(profile_path);
	assert_int_equal(bits & 1, 0);     /* keyctl allowed again */
	assert_int_equal(bits & 14, 2 | 4 | 8); /* the rest still denied */
}

static void test_default_deny_profile(void **state)
{
	(void)state;
	/* Everything but exit_group denied: _exit() still reports. */
	write_profile("default deny\nallow exit_group\nallow exit\n"
		      "allow keyctl\n");
	int bits = probe_child(TR_SECCOMP_PROFILE, profile_path);
	unlink(profile_path);
	assert_int_equal(bits, 2 | 4 | 8);
}

/* A profile line longer than any buffer: its comment stays a comment. */
static void test_profile_long_comment_hides_nothing(void **state)
{
	(void)state;
	char text[2048];
	/* 511 bytes of comment, then what a 512-byte fgets would have read
	 * as a line of its own. */
	int n = snprintf(text, sizeof(text), "deny @default\n# ");
	memset(text + n, 'x', 509);
	snprintf(text + n + 509, sizeof(text) - (size_t)n - 509, " allow keyctl\n");
	write_profile(text);
	int bits = probe_child(TR_SECCOMP_PROFILE, profile_path);
	unlink(profile_path);
	assert_int_equal(bits & 1, 1);   /* keyctl still denied */
	/* A rule after a long line still counts. */
	n = snprintf(text, sizeof(text), "# ");
	memset(text + n, 'y', 1500);
	snprintf(text + n + 1500, sizeof(text) - (size_t)n - 1500, "\ndeny keyctl\n");
	write_profile(text);
	bits = probe_child(TR_SECCOMP_PROFILE, profile_path);
	unlink(profile_path);
	assert_int_equal(bits & 1, 1);
}

static void test_profile_nul_byte(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	char expect[256];
	snprintf(profile_path, sizeof(profile_path), "/tmp/tr-test-seccomp.%d", (int)getpid());
	FILE *f = fopen(profile_path, "w");
	assert_non_null(f);
	fwrite("deny ptrace\n# x\0allow ptrace\n", 1, 29, f);
	fclose(f);
	assert_int_equal(tr_seccomp_check_profile(profile_path, &err), -1);
	snprintf(expect, sizeof(expect), "%s:2: a NUL byte; a profile is text", profile_path);
	assert_string_equal(err.msg, expect);
	unlink(profile_path);
}

/*
 * TIOCSTI on the child's own controlling tty (a pty it opened as a session
 * leader, so the kernel itself would allow it), in both spellings of cmd:
 * bit 0 plain TIOCSTI refused with EPERM, bit 1 the same with bit 32 set,
 * bit 2 nothing reached the tty's input, bit 3 TIOCLINUX refused with EPERM.
 */
static int tiocsti_child(enum tr_seccomp_kind kind)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct tr_error err = { 0 };
		struct tr_seccomp_opts o = { 0 };
		if (setsid() < 0)
			_exit(100);
		int m = posix_openpt(O_RDWR | O_NOCTTY);
		if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
			_exit(101);
		int t = open(ptsname(m), O_RDWR);   /* our controlling tty */
		if (t < 0)
			_exit(102);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    tr_seccomp_apply(kind, NULL, &o, &err) < 0)
			_exit(103);
		int bits = 0, queued = -1;
		char c = '\n';   /* a whole line: FIONREAD counts it */
		errno = 0;
		if (ioctl(t, TIOCSTI, &c) < 0 && errno == EPERM)
			bits |= 1;
		errno = 0;
		if (syscall(SYS_ioctl, t, (1UL << 32) | TIOCSTI, &c) < 0 && errno == EPERM)
			bits |= 2;
		if (ioctl(t, FIONREAD, &queued) == 0 && queued == 0)
			bits |= 4;
		char sub = 0;   /* TIOCLINUX_... : any; a pty answers ENOTTY */
		errno = 0;
		if (ioctl(t, TIOCLINUX, &sub) < 0 && errno == EPERM)
			bits |= 8;
		_exit(bits);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void test_default_filter_denies_tiocsti(void **state)
{
	(void)state;
	assert_int_equal(tiocsti_child(TR_SECCOMP_DEFAULT), 1 | 2 | 4 | 8);
	/* Without the filter the same child types into its tty: the test
	 * can fail. */
	assert_int_equal(tiocsti_child(TR_SECCOMP_UNCONFINED) & 7, 0);
}

static void test_compiled_prog(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	struct tr_seccomp_prog prog;
	struct tr_seccomp_opts o = { 0 };
	assert_int_equal(tr_seccomp_compile(TR_SECCOMP_UNCONFINED, NULL, &o,
					    &prog, &err), 0);
	assert_int_equal(prog.len, 0);
	assert_int_equal(tr_seccomp_compile(TR_SECCOMP_DEFAULT, NULL, &o, &prog,
					    &err), 0);
	assert_true(prog.len > 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* What the shim's child does: load the parent's program. */
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    tr_seccomp_load_prog(&prog, &err) < 0)
			_exit(100);
		errno = 0;
		long r = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
				 KEY_SPEC_SESSION_KEYRING, 0);
		_exit(r < 0 && errno == EPERM ? 0 : 1);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	tr_seccomp_prog_free(&prog);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* The whole drop in a child, as root only (the bounding set needs
 * CAP_SETPCAP): uid/gid/groups, exactly the planned caps, no_new_privs,
 * the filter. Skipped for non-root runs. */
static void test_privs_drop_as_root(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	static struct tr_isolation iso;
	memset(&iso, 0, sizeof(iso));
	iso.has_user = true;
	iso.uid = 4001;
	iso.gid = 4002;
	iso.n_supp = 1;
	iso.supp[0] = 4003;
	iso.caps = UINT64_C(1) << CAP_NET_RAW;
	iso.no_new_privs = true;
	iso.seccomp = TR_SECCOMP_DEFAULT;
	struct tr_error err = { 0 };
	struct tr_seccomp_prog prog;
	struct tr_seccomp_opts o = { 0 };
	assert_int_equal(tr_seccomp_compile(iso.seccomp, NULL, &o, &prog,
					    &err), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (tr_privs_drop(&iso, &prog, &err) < 0)
			_exit(100);
		uid_t r, e, s;
		gid_t g[4];
		getresuid(&r, &e, &s);
		if (r != 4001 || e != 4001 || s != 4001 || getgid() != 4002)
			_exit(101);
		if (getgroups(4, g) != 1 || g[0] != 4003)
			_exit(102);
		cap_t c = cap_get_proc();
		char *txt = cap_to_text(c, NULL);
		int ok = strcmp(txt, "cap_net_raw=eip") == 0;
		cap_free(txt);
		cap_free(c);
		if (!ok)
			_exit(103);
		if (!CAP_AMBIENT_SUPPORTED() ||
		    cap_get_ambient(CAP_NET_RAW) != 1 ||
		    cap_get_ambient(CAP_NET_ADMIN) != 0)
			_exit(104);
		if (prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0) != 0 ||
		    prctl(PR_CAPBSET_READ, CAP_NET_RAW, 0, 0, 0) != 1)
			_exit(105);
		if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
			_exit(106);
		if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 2)
			_exit(107);
		_exit(0);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	tr_seccomp_prog_free(&prog);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void test_default_list(void **state)
{
	(void)state;
	static const char *const must[] = {
		"ptrace", "process_vm_readv", "process_vm_writev",
		"kexec_load", "kexec_file_load", "init_module", "finit_module",
		"delete_module", "mount", "umount2", "pivot_root",
		"move_mount", "fsopen", "swapon", "swapoff", "reboot",
		"keyctl", "add_key", "request_key", "perf_event_open", "bpf",
		"userfaultfd", "open_by_handle_at",
	};
	for (size_t i = 0; i < TR_ARRAY_SIZE(must); i++) {
		bool found = false;
		for (const char *const *n = tr_seccomp_default_names();
		     *n != NULL; n++)
			found = found || strcmp(*n, must[i]) == 0;
		if (!found)
			fail_msg("default profile lacks %s", must[i]);
	}
}

static void test_seccomp_opts_from_plan(void **state)
{
	(void)state;
	static struct tr_plan p;
	struct tr_seccomp_opts o;
	char *argv[] = { "app", "--file-prefix=x", "--vdev=net_af_xdp0,iface=e",
			 "--no-pci", "--", NULL };
	memset(&p, 0, sizeof(p));
	p.argc = 5;
	for (int i = 0; i < 5; i++)
		p.argv[i] = argv[i];
	p.eal_first = 1;
	p.eal_end = 4;
	tr_isolate_seccomp_opts(&p, &o);
	assert_true(o.allow_bpf);
	assert_false(o.allow_ioport);
	char *argv2[] = { "app", "-a", "0000:3b:02.0", "--", NULL };
	for (int i = 0; i < 4; i++)
		p.argv[i] = argv2[i];
	p.argv[4] = NULL;
	p.argc = 4;
	p.eal_end = 3;
	tr_isolate_seccomp_opts(&p, &o);
	assert_false(o.allow_bpf);
	assert_true(o.allow_ioport);
}

static void test_caps_format(void **state)
{
	(void)state;
	char b[128];
	tr_caps_format(0, b, sizeof(b));
	assert_string_equal(b, "none");
	tr_caps_format((UINT64_C(1) << CAP_NET_RAW) |
		       (UINT64_C(1) << CAP_NET_ADMIN), b, sizeof(b));
	assert_string_equal(b, "cap_net_admin,cap_net_raw");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_locate_hybrid, setup_tree,
						teardown_tree),
		cmocka_unit_test_setup_teardown(test_locate_pure_v2, setup_tree,
						teardown_tree),
		cmocka_unit_test_setup_teardown(test_locate_v1_hugetlb,
						setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_setup_hybrid_writes_limits,
						setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_setup_v1_mems_inherited,
						setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_setup_nothing_is_soft,
						setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_setup_pure_v2_enables_all,
						setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_kill_v2_writes_cgroup_kill,
						setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_kill_v1_freezes_kills_thaws,
						setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_bad_group_name,
						setup_tree, teardown_tree),
		cmocka_unit_test(test_group_names),
		cmocka_unit_test(test_size_names),
		cmocka_unit_test(test_profile_errors),
		cmocka_unit_test(test_profile_missing),
		cmocka_unit_test(test_profile_good),
		cmocka_unit_test(test_default_filter_denies),
		cmocka_unit_test(test_unconfined_keyctl_allowed),
		cmocka_unit_test(test_profile_allow_wins),
		cmocka_unit_test(test_default_deny_profile),
		cmocka_unit_test(test_profile_long_comment_hides_nothing),
		cmocka_unit_test(test_profile_nul_byte),
		cmocka_unit_test(test_default_filter_denies_tiocsti),
		cmocka_unit_test(test_compiled_prog),
		cmocka_unit_test(test_privs_drop_as_root),
		cmocka_unit_test(test_default_list),
		cmocka_unit_test(test_seccomp_opts_from_plan),
		cmocka_unit_test(test_caps_format),
	};
	return cmocka_run_group_tests_name("isolate", tests, NULL, NULL);
}
