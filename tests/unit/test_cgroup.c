/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * isolate/cgroup.c on made-up /sys/fs/cgroup trees (pure v2, hybrid with
 * v2 hugetlb and v1 cpuset, v1 only, none): where each controller is
 * found, which files setup writes and with what, soft when nothing offers
 * one. Real cgroups: tests/integration/suite_isolation.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/cleanup.h"
#include "helpers.h"

/* The made-up cgroup root is tr_tmp, fresh for each test (tr_cgroot_setup). */
static void put(const char *rel, const char *val)
{
	tr_put(tr_tmp, rel, val);
}

/* What setup wrote into rel, or NULL when there is no such file. */
static char *get(const char *rel)
{
	static char buf[256];
	char p[PATH_MAX * 2];
	snprintf(p, sizeof(p), "%s/%s", tr_tmp, rel);
	return tr_slurp(p, buf, sizeof(buf)) < 0 ? NULL : buf;
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
	assert_string_equal(w.root + strlen(tr_tmp), "/unified");
	tr_cgroup_locate(TR_CG_CPUSET, &w);
	assert_true(w.found);
	assert_false(w.v2);
	assert_string_equal(w.root + strlen(tr_tmp), "/cpuset");
}

static void test_locate_pure_v2(void **state)
{
	(void)state;
	struct tr_cg_where w;
	put("cgroup.controllers", "cpuset cpu io memory hugetlb pids\n");
	tr_cgroup_locate(TR_CG_HUGETLB, &w);
	assert_true(w.found && w.v2);
	assert_string_equal(w.root, tr_tmp);
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
	assert_string_equal(w.root + strlen(tr_tmp), "/hugetlb");
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
	put("cpuset/" G "/m0/tasks", "");
	put("pids/tasks", "");
	put("pids/" G "/pids.max", "max");
	put("pids/" G "/m0/cgroup.procs", "");
	put("pids/" G "/m0/tasks", "");
	put("memory/tasks", "");
	/* Made-up files keep what a shorter write does not cover: "max"
	 * stands for v1's unlimited (a LONG_MAX multiple). */
	put("memory/" G "/memory.limit_in_bytes", "max");
	put("memory/" G "/memory.memsw.limit_in_bytes", "max");
	put("memory/" G "/m0/cgroup.procs", "");
	put("memory/" G "/m0/tasks", "");
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
	 * hierarchy, the v2 one included (its cgroup.kill kills): v2's
	 * cgroup.procs, v1's tasks (the one thread of a forked child, without
	 * the write lock cgroup.procs takes). */
	assert_int_equal(tr_cgroup_join(G, 0, 0, &err), 0);
	assert_string_equal(get("unified/" G "/m0/cgroup.procs"), "0");
	assert_string_equal(get("cpuset/" G "/m0/tasks"), "0");
	assert_string_equal(get("pids/" G "/m0/tasks"), "0");
	assert_string_equal(get("memory/" G "/m0/tasks"), "0");
	assert_string_equal(get("memory/" G "/m0/cgroup.procs"), "");

	/* Born in the v2 leaf (clone3 into the fd setup's leaf gives): the
	 * v1 leaves only. */
	int fd = tr_cgroup_open_v2_leaf(G, 0);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(tr_cgroup_open_v2_leaf(G, 7), -ENOENT);
	put("unified/" G "/m0/cgroup.procs", "");
	put("pids/" G "/m0/tasks", "");
	assert_int_equal(tr_cgroup_join(G, 0, TR_CG_JOIN_IN_V2, &err), 0);
	assert_string_equal(get("unified/" G "/m0/cgroup.procs"), "");
	assert_string_equal(get("pids/" G "/m0/tasks"), "0");
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
	snprintf(p, sizeof(p), "%s/" G "/m2", tr_tmp);
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
	assert_int_equal(tr_cgroup_open_v2_leaf(G, 0), -ENOENT);
	assert_int_equal(tr_cgroup_join(G, 0, 0, &err), 0);
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

#define T(f) cmocka_unit_test_setup_teardown(f, tr_cgroot_setup, tr_cgroot_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_locate_hybrid),
		T(test_locate_pure_v2),
		T(test_locate_v1_hugetlb),
		T(test_setup_hybrid_writes_limits),
		T(test_setup_v1_mems_inherited),
		T(test_setup_nothing_is_soft),
		T(test_setup_pure_v2_enables_all),
		T(test_kill_v2_writes_cgroup_kill),
		T(test_kill_v1_freezes_kills_thaws),
		T(test_bad_group_name),
		cmocka_unit_test(test_group_names),
		cmocka_unit_test(test_size_names),
	};
	return cmocka_run_group_tests_name("cgroup", tests, NULL, NULL);
}
