/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * host/container.c: what a container or pod gives, as ceilings on
 * tenants.yaml. Parsers on text as the kernel and the kubelet write it;
 * the probe on a made-up /proc and /sys tree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "host/container.h"

static void test_cpus_allowed(void **state)
{
	(void)state;
	const char *status = "Name:\ttenantrt-shim\nCpus_allowed:\t000c\n"
			     "Cpus_allowed_list:\t2-3,6\nMems_allowed:\t1\n";
	struct tr_cpuset s;
	char why[64];
	assert_int_equal(tr_container_parse_cpus_allowed(status, &s, why, sizeof(why)), 0);
	assert_cpus(&s, "2-3,6");

	assert_int_equal(tr_container_parse_cpus_allowed("Name:\tx\n", &s, why, sizeof(why)), -1);
	assert_string_equal(why, "no Cpus_allowed_list line");
	/* "Cpus_allowed:" (the mask) must not be taken for the list */
	assert_int_equal(tr_container_parse_cpus_allowed("Cpus_allowed:\tff\n", &s, why,
						   sizeof(why)), -1);
}

static void test_hugetlb_value(void **state)
{
	(void)state;
	bool limited;
	uint64_t b;
	assert_int_equal(tr_container_parse_hugetlb_value("max\n", &limited, &b), 0);
	assert_false(limited);
	assert_int_equal(tr_container_parse_hugetlb_value("134217728\n", &limited, &b), 0);
	assert_true(limited);
	assert_int_equal(b, 134217728);
	assert_int_equal(tr_container_parse_hugetlb_value("0\n", &limited, &b), 0);
	assert_true(limited);
	assert_int_equal(b, 0);
	/* cgroup v1's "no limit" for 2M pages */
	assert_int_equal(tr_container_parse_hugetlb_value("9223372036854771712\n", &limited, &b), 0);
	assert_false(limited);
	assert_int_equal(tr_container_parse_hugetlb_value("maximum", &limited, &b), -1);
	assert_int_equal(tr_container_parse_hugetlb_value("12 MB", &limited, &b), -1);
	assert_int_equal(tr_container_parse_hugetlb_value("", &limited, &b), -1);
	assert_int_equal(tr_container_parse_hugetlb_value("-1", &limited, &b), -1);
}

static void test_quantity(void **state)
{
	(void)state;
	uint64_t b;
	assert_int_equal(tr_container_parse_quantity("268435456", &b), 0);
	assert_int_equal(b, 268435456);
	assert_int_equal(tr_container_parse_quantity("256Mi", &b), 0);
	assert_int_equal(b, 268435456);
	assert_int_equal(tr_container_parse_quantity("1Gi\n", &b), 0);
	assert_int_equal(b, UINT64_C(1) << 30);
	assert_int_equal(tr_container_parse_quantity("512Ki", &b), 0);
	assert_int_equal(b, 524288);
	/* decimal SI suffixes are not what the downward API prints */
	assert_int_equal(tr_container_parse_quantity("256M", &b), -1);
	assert_int_equal(tr_container_parse_quantity("", &b), -1);
	assert_int_equal(tr_container_parse_quantity("Mi", &b), -1);
	assert_int_equal(tr_container_parse_quantity("99999999999999999999", &b), -1);
	assert_int_equal(tr_container_parse_quantity("17179869184Gi", &b), -1);
}

static void test_proc_cgroup(void **state)
{
	(void)state;
	char v2[256], v1[256];
	/* a hybrid host: v1 controllers plus the unified tree */
	tr_container_parse_proc_cgroup("9:name=systemd:/a\n5:devices:/a\n"
				 "3:cpu,hugetlb:/kubepods/pod1/c1\n0::/kubepods/pod1/c1\n",
				 v2, sizeof(v2), v1, sizeof(v1));
	assert_string_equal(v2, "/kubepods/pod1/c1");
	assert_string_equal(v1, "/kubepods/pod1/c1");
	/* pure v2, private cgroup namespace */
	tr_container_parse_proc_cgroup("0::/\n", v2, sizeof(v2), v1, sizeof(v1));
	assert_string_equal(v2, "/");
	assert_string_equal(v1, "");
	/* "hugetlbx" is not the hugetlb controller; 10:: is not v2 */
	tr_container_parse_proc_cgroup("4:hugetlbx:/z\n10::/y", v2, sizeof(v2), v1, sizeof(v1));
	assert_string_equal(v2, "");
	assert_string_equal(v1, "");
}

/* --- a made-up /proc and /sys (in tr_tmp) ------------------------------------ */

static void put(const char *rel, const char *text)
{
	tr_put(tr_tmp, rel, text);
}

static void test_probe_v2_path_min(void **state)
{
	(void)state;
	put("proc/self/status", "Name:\tx\nCpus_allowed_list:\t2-3\n");
	put("proc/self/cgroup", "0::/kubepods/pod1/ctr\n");
	/* the pod level is tighter than the container: the pod's bites */
	put("sys/fs/cgroup/kubepods/pod1/ctr/hugetlb.2MB.max", "268435456\n");
	put("sys/fs/cgroup/kubepods/pod1/hugetlb.2MB.max", "134217728\n");
	put("sys/fs/cgroup/kubepods/hugetlb.2MB.max", "max\n");
	put("sys/fs/cgroup/kubepods/pod1/hugetlb.1GB.max", "0\n");
	struct tr_container_facts lim;
	struct tr_error err = { 0 };
	char *env[] = { "PATH=/bin", NULL };
	assert_int_equal(tr_container_probe(&lim, tr_tmp, TR_PAGE_2M, env, &err), 0);
	assert_true(lim.has_cpus);
	assert_cpus(&lim.cpus, "2-3");
	assert_true(lim.has_huge_limit);
	assert_int_equal(lim.huge_limit_bytes, 134217728);
	assert_string_equal(lim.huge_from, "/sys/fs/cgroup/kubepods/pod1/hugetlb.2MB.max");

	/* the downward API may be tighter still */
	char *env2[] = { "TENANTRT_HUGEPAGES_LIMIT=67108864", NULL };
	assert_int_equal(tr_container_probe(&lim, tr_tmp, TR_PAGE_2M, env2, &err), 0);
	assert_int_equal(lim.huge_limit_bytes, 67108864);
	assert_string_equal(lim.huge_from, "TENANTRT_HUGEPAGES_LIMIT");

	/* 1G pages: limit 0 means none may be used */
	assert_int_equal(tr_container_probe(&lim, tr_tmp, TR_PAGE_1G, env, &err), 0);
	assert_true(lim.has_huge_limit);
	assert_int_equal(lim.huge_limit_bytes, 0);

	char *bad[] = { "TENANTRT_HUGEPAGES_LIMIT=lots", NULL };
	assert_int_equal(tr_container_probe(&lim, tr_tmp, TR_PAGE_2M, bad, &err), -1);
	assert_int_equal(err.code, EX_CONFIG);
	assert_string_equal(err.msg, "TENANTRT_HUGEPAGES_LIMIT=\"lots\" is not a byte "
			    "count; fill it from resourceFieldRef "
			    "limits.hugepages-2Mi with divisor 1");
}

static void test_probe_hybrid_and_v1(void **state)
{
	(void)state;
	put("proc/self/status", "Cpus_allowed_list:\t0-7\n");
	put("proc/self/cgroup", "7:hugetlb:/docker/abc\n1:name=systemd:/x\n0::/docker/abc\n");
	put("sys/fs/cgroup/unified/docker/abc/hugetlb.2MB.max", "max\n");
	put("sys/fs/cgroup/hugetlb/docker/abc/hugetlb.2MB.limit_in_bytes", "201326592\n");
	put("sys/fs/cgroup/hugetlb/hugetlb.2MB.limit_in_bytes", "9223372036854771712\n");
	struct tr_container_facts lim;
	struct tr_error err = { 0 };
	char *env[] = { NULL };
	assert_int_equal(tr_container_probe(&lim, tr_tmp, TR_PAGE_2M, env, &err), 0);
	assert_int_equal(lim.huge_limit_bytes, 201326592);
	assert_string_equal(lim.huge_from,
			    "/sys/fs/cgroup/hugetlb/docker/abc/hugetlb.2MB.limit_in_bytes");

	/* no limit anywhere: no ceiling, not an error */
	put("sys/fs/cgroup/hugetlb/docker/abc/hugetlb.2MB.limit_in_bytes", "9223372036854771712\n");
	assert_int_equal(tr_container_probe(&lim, tr_tmp, TR_PAGE_2M, env, &err), 0);
	assert_false(lim.has_huge_limit);

	put("sys/fs/cgroup/unified/docker/hugetlb.2MB.max", "lots\n");
	assert_int_equal(tr_container_probe(&lim, tr_tmp, TR_PAGE_2M, env, &err), -1);
	assert_int_equal(err.code, EX_OSFILE);
	assert_string_equal(err.msg, "/sys/fs/cgroup/unified/docker/hugetlb.2MB.max "
			    "holds \"lots\", not a limit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpus_allowed),
		cmocka_unit_test(test_hugetlb_value),
		cmocka_unit_test(test_quantity),
		cmocka_unit_test(test_proc_cgroup),
		cmocka_unit_test_setup_teardown(test_probe_v2_path_min, tr_tmp_setup,
						tr_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_probe_hybrid_and_v1, tr_tmp_setup,
						tr_tmp_teardown),
	};
	return cmocka_run_group_tests_name("container", tests, NULL, NULL);
}
