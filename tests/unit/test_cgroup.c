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

static void test_setup_hybrid_writes_limits(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	put("unified/cgroup.controllers", "hugetlb\n");
	put("unified/cgroup.subtree_control", "");
	v2_group("unified/tenantrt");
	v2_group("unified/tenantrt/acme");
	put("unified/tenantrt/acme/hugetlb.2MB.max", "max\n");
	put("unified/tenantrt/acme/hugetlb.2MB.rsvd.max", "max\n");
	put("cpuset/tasks", "");
	put("cpuset/cpuset.cpus", "0-3\n");
	put("cpuset/cpuset.mems", "0-1\n");
	put("cpuset/tenantrt/cpuset.cpus", "");
	put("cpuset/tenantrt/cpuset.mems", "");
	put("cpuset/tenantrt/acme/cpuset.cpus", "");
	put("cpuset/tenantrt/acme/cpuset.mems", "");
	put("cpuset/tenantrt/acme/cgroup.procs", "");
	assert_false(tr_cgroup_is_hard("acme", TR_CG_HUGETLB));

	struct tr_cpuset cpus = tr_test_cpus("2-3");
	int r = tr_cgroup_setup("acme", UINT64_C(2) << 20, UINT64_C(192) << 20,
				&cpus, 0x2, &err);
	assert_int_equal(r, 0);
	assert_string_equal(get("unified/cgroup.subtree_control"), "+hugetlb");
	assert_string_equal(get("unified/tenantrt/cgroup.subtree_control"),
			    "+hugetlb");
	assert_string_equal(get("unified/tenantrt/acme/hugetlb.2MB.max"),
			    "201326592");
	assert_string_equal(get("unified/tenantrt/acme/hugetlb.2MB.rsvd.max"),
			    "201326592");
	/* v1: the parent group gets its parent's cpus and mems first. */
	assert_string_equal(get("cpuset/tenantrt/cpuset.cpus"), "0-3");
	assert_string_equal(get("cpuset/tenantrt/cpuset.mems"), "0-1");
	assert_string_equal(get("cpuset/tenantrt/acme/cpuset.cpus"), "2-3");
	assert_string_equal(get("cpuset/tenantrt/acme/cpuset.mems"), "1");
	assert_true(tr_cgroup_is_hard("acme", TR_CG_HUGETLB));
	assert_true(tr_cgroup_is_hard("acme", TR_CG_CPUSET));

	/* join writes "0" (the writer) into each hierarchy's group. */
	put("unified/tenantrt/acme/cgroup.procs", "");
	assert_int_equal(tr_cgroup_join("acme", &err), 0);
	assert_string_equal(get("unified/tenantrt/acme/cgroup.procs"), "0");
	assert_string_equal(get("cpuset/tenantrt/acme/cgroup.procs"), "0");
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
	put("cpuset/tenantrt/globex/cpuset.cpus", "");
	put("cpuset/tenantrt/globex/cpuset.mems", "");
	/* No cpus, no NUMA plan: a v1 group takes no task with empty
	 * cpus/mems, so both come from the parent. */
	assert_int_equal(tr_cgroup_setup("globex", UINT64_C(2) << 20,
					 UINT64_C(64) << 20, &none, 0, &err), 0);
	assert_string_equal(get("cpuset/tenantrt/globex/cpuset.cpus"), "0-1");
	assert_string_equal(get("cpuset/tenantrt/globex/cpuset.mems"), "0");
}

static void test_setup_nothing_is_soft(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	struct tr_cpuset none;
	tr_cpuset_zero(&none);
	assert_int_equal(tr_cgroup_setup("acme", UINT64_C(2) << 20,
					 UINT64_C(64) << 20, &none, 0, &err), 0);
	assert_false(tr_cgroup_is_hard("acme", TR_CG_HUGETLB));
	assert_false(tr_cgroup_is_hard("acme", TR_CG_CPUSET));
	assert_int_equal(tr_cgroup_join("acme", &err), 0);
	assert_int_equal(tr_cgroup_remove("acme", &err), 0);
}

static void test_bad_tenant_name(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	struct tr_cpuset none;
	tr_cpuset_zero(&none);
	assert_int_equal(tr_cgroup_setup("../x", 2 << 20, 64 << 20, &none, 0,
					 &err), -1);
	assert_int_equal(err.code, EX_SOFTWARE);
	assert_string_equal(err.msg,
			    "tenant name \"../x\" cannot name a cgroup");
}

static void test_size_names(void **state)
{
	(void)state;
	char b[16];
	tr_cgroup_hugetlb_size_name(UINT64_C(2) << 20, b, sizeof(b));
	assert_string_equal(b, "2MB");
	tr_cgroup_hugetlb_size_name(UINT64_C(1) << 30, b, sizeof(b));
	assert_string_equal(b, "1GB");
	tr_cgroup_hugetlb_size_name(UINT64_C(64) << 10, b, sizeof(b));
	assert_string_equal(b, "64KB");
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
		T(test_bad_tenant_name),
		cmocka_unit_test(test_size_names),
	};
	return cmocka_run_group_tests_name("cgroup", tests, NULL, NULL);
}
