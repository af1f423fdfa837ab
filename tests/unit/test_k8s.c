/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * shim/k8s.c: what a container or pod gives us, as ceilings on tenants.yaml.
 * Parsers on text as the kernel and the kubelet write it; the probe on a
 * made-up /proc and /sys tree; the PID-namespace check on real files and
 * real flocks read back through this host's /proc/locks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sysexits.h>
#include <unistd.h>

#include "host/container.h"
#include "config/model.h"

static struct tr_cpuset cpus(const char *list)
{
	struct tr_cpuset s;
	char why[64];
	assert_int_equal(tr_cpuset_parse(&s, list, why, sizeof(why)), 0);
	return s;
}

static void assert_cpus(const struct tr_cpuset *s, const char *want)
{
	char buf[128];
	tr_cpuset_format(s, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_cpus_allowed(void **state)
{
	(void)state;
	const char *status = "Name:\ttenantrt-shim\nCpus_allowed:\t000c\n"
			     "Cpus_allowed_list:\t2-3,6\nMems_allowed:\t1\n";
	struct tr_cpuset s;
	char why[64];
	assert_int_equal(tr_k8s_parse_cpus_allowed(status, &s, why, sizeof(why)), 0);
	assert_cpus(&s, "2-3,6");

	assert_int_equal(tr_k8s_parse_cpus_allowed("Name:\tx\n", &s, why, sizeof(why)), -1);
	assert_string_equal(why, "no Cpus_allowed_list line");
	/* "Cpus_allowed:" (the mask) must not be taken for the list */
	assert_int_equal(tr_k8s_parse_cpus_allowed("Cpus_allowed:\tff\n", &s, why,
						   sizeof(why)), -1);
}

static void test_hugetlb_value(void **state)
{
	(void)state;
	bool limited;
	uint64_t b;
	assert_int_equal(tr_k8s_parse_hugetlb_value("max\n", &limited, &b), 0);
	assert_false(limited);
	assert_int_equal(tr_k8s_parse_hugetlb_value("134217728\n", &limited, &b), 0);
	assert_true(limited);
	assert_int_equal(b, 134217728);
	assert_int_equal(tr_k8s_parse_hugetlb_value("0\n", &limited, &b), 0);
	assert_true(limited);
	assert_int_equal(b, 0);
	/* cgroup v1's "no limit" for 2M pages */
	assert_int_equal(tr_k8s_parse_hugetlb_value("9223372036854771712\n", &limited, &b), 0);
	assert_false(limited);
	assert_int_equal(tr_k8s_parse_hugetlb_value("maximum", &limited, &b), -1);
	assert_int_equal(tr_k8s_parse_hugetlb_value("12 MB", &limited, &b), -1);
	assert_int_equal(tr_k8s_parse_hugetlb_value("", &limited, &b), -1);
	assert_int_equal(tr_k8s_parse_hugetlb_value("-1", &limited, &b), -1);
}

static void test_quantity(void **state)
{
	(void)state;
	uint64_t b;
	assert_int_equal(tr_k8s_parse_quantity("268435456", &b), 0);
	assert_int_equal(b, 268435456);
	assert_int_equal(tr_k8s_parse_quantity("256Mi", &b), 0);
	assert_int_equal(b, 268435456);
	assert_int_equal(tr_k8s_parse_quantity("1Gi\n", &b), 0);
	assert_int_equal(b, UINT64_C(1) << 30);
	assert_int_equal(tr_k8s_parse_quantity("512Ki", &b), 0);
	assert_int_equal(b, 524288);
	/* decimal SI suffixes are not what the downward API prints */
	assert_int_equal(tr_k8s_parse_quantity("256M", &b), -1);
	assert_int_equal(tr_k8s_parse_quantity("", &b), -1);
	assert_int_equal(tr_k8s_parse_quantity("Mi", &b), -1);
	assert_int_equal(tr_k8s_parse_quantity("99999999999999999999", &b), -1);
	assert_int_equal(tr_k8s_parse_quantity("17179869184Gi", &b), -1);
}

static void test_proc_cgroup(void **state)
{
	(void)state;
	char v2[256], v1[256];
	/* a hybrid host: v1 controllers plus the unified tree */
	tr_k8s_parse_proc_cgroup("9:name=systemd:/a\n5:devices:/a\n"
				 "3:cpu,hugetlb:/kubepods/pod1/c1\n0::/kubepods/pod1/c1\n",
				 v2, sizeof(v2), v1, sizeof(v1));
	assert_string_equal(v2, "/kubepods/pod1/c1");
	assert_string_equal(v1, "/kubepods/pod1/c1");
	/* pure v2, private cgroup namespace */
	tr_k8s_parse_proc_cgroup("0::/\n", v2, sizeof(v2), v1, sizeof(v1));
	assert_string_equal(v2, "/");
	assert_string_equal(v1, "");
	/* "hugetlbx" is not the hugetlb controller; 10:: is not v2 */
	tr_k8s_parse_proc_cgroup("4:hugetlbx:/z\n10::/y", v2, sizeof(v2), v1, sizeof(v1));
	assert_string_equal(v2, "");
	assert_string_equal(v1, "");
}

/* As the SR-IOV device plugin writes it (device-info spec v1.1.0). */
static const char info_json[] =
	"{\"0000:3b:02.0\":{\"generic\":{\"deviceID\":\"0000:3b:02.0\"},"
	"\"vfio\":{\"mount\":\"/dev/vfio/vfio\",\"dev-mount\":\"/dev/vfio/42\"}},"
	" \"0000:3b:02.1\" : { \"generic\" : {\"deviceID\":\"0000:3b:02.1\","
	"\"note\":\"a } and \\\" inside\"} } }";

static void test_info_dev_mount(void **state)
{
	(void)state;
	char node[64];
	assert_int_equal(tr_k8s_info_dev_mount(info_json, "0000:3b:02.0", node,
					       sizeof(node)), 1);
	assert_string_equal(node, "/dev/vfio/42");
	/* a netdevice VF: listed, no vfio */
	assert_int_equal(tr_k8s_info_dev_mount(info_json, "0000:3b:02.1", node,
					       sizeof(node)), 0);
	assert_int_equal(tr_k8s_info_dev_mount(info_json, "0000:3b:02.2", node,
					       sizeof(node)), -1);
	/* the BDF only as a value inside another entry is not an entry */
	assert_int_equal(tr_k8s_info_dev_mount("{\"a\":{\"x\":\"0000:3b:02.0\"}}",
					       "0000:3b:02.0", node, sizeof(node)), -1);
	assert_int_equal(tr_k8s_info_dev_mount("{\"0000:3b:02.0\":{", "0000:3b:02.0",
					       node, sizeof(node)), -1);
	assert_int_equal(tr_k8s_info_dev_mount("[]", "0000:3b:02.0", node,
					       sizeof(node)), -1);
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
	unsigned n = tr_k8s_lock_holders(locks, makedev(0xfe, 0x01), 1234, pids, 4);
	assert_int_equal(n, 2);   /* POSIX, blocked waiter, other dev ignored */
	assert_int_equal(pids[0], 0);
	assert_int_equal(pids[1], 42);
	assert_int_equal(tr_k8s_lock_holders(locks, makedev(0xfe, 0x01), 1235, pids, 4), 0);
}

static void test_dpdk_file_pid(void **state)
{
	(void)state;
	assert_int_equal(tr_k8s_dpdk_file_pid("fbarray_memseg-2048k-0-0_42"), 42);
	assert_int_equal(tr_k8s_dpdk_file_pid("fbarray_memseg-1048576k-1-3_2"), 2);
	/* the primary's own lists carry no pid */
	assert_int_equal(tr_k8s_dpdk_file_pid("fbarray_memseg-2048k-0-0"), -1);
	assert_int_equal(tr_k8s_dpdk_file_pid("fbarray_memzone"), -1);
	assert_int_equal(tr_k8s_dpdk_file_pid("fbarray_memseg-2048k-0-0_"), -1);
	assert_int_equal(tr_k8s_dpdk_file_pid("fbarray_memseg-2048k-0-0_4x"), -1);
	assert_int_equal(tr_k8s_dpdk_file_pid("mp_socket_42_1234"), -1);
	assert_int_equal(tr_k8s_dpdk_file_pid("fbarray_memseg-2048k-0-0_99999999999"), -1);
}

/* --- a made-up /proc and /sys ---------------------------------------------- */

static char tree[PATH_MAX];

static void put(const char *rel, const char *text)
{
	char path[PATH_MAX * 2], cmd[PATH_MAX * 3];
	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(cmd), 0);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int tree_setup(void **state)
{
	(void)state;
	snprintf(tree, sizeof(tree), "/tmp/tenantrt-k8s.XXXXXX");
	return mkdtemp(tree) ? 0 : -1;
}

static int tree_teardown(void **state)
{
	(void)state;
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
	return system(cmd) == 0 ? 0 : -1;
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
	struct tr_k8s_limits lim;
	struct tr_error err = { 0 };
	char *env[] = { "PATH=/bin", NULL };
	assert_int_equal(tr_k8s_probe(&lim, tree, TR_PAGE_2M, env, &err), 0);
	assert_true(lim.has_cpus);
	assert_cpus(&lim.cpus, "2-3");
	assert_true(lim.has_huge_limit);
	assert_int_equal(lim.huge_limit_bytes, 134217728);
	assert_string_equal(lim.huge_from, "/sys/fs/cgroup/kubepods/pod1/hugetlb.2MB.max");

	/* the downward API may be tighter still */
	char *env2[] = { "TENANTRT_HUGEPAGES_LIMIT=67108864", NULL };
	assert_int_equal(tr_k8s_probe(&lim, tree, TR_PAGE_2M, env2, &err), 0);
	assert_int_equal(lim.huge_limit_bytes, 67108864);
	assert_string_equal(lim.huge_from, "TENANTRT_HUGEPAGES_LIMIT");

	/* 1G pages: limit 0 means none may be used */
	assert_int_equal(tr_k8s_probe(&lim, tree, TR_PAGE_1G, env, &err), 0);
	assert_true(lim.has_huge_limit);
	assert_int_equal(lim.huge_limit_bytes, 0);

	char *bad[] = { "TENANTRT_HUGEPAGES_LIMIT=lots", NULL };
	assert_int_equal(tr_k8s_probe(&lim, tree, TR_PAGE_2M, bad, &err), -1);
	assert_int_equal(err.code, EX_CONFIG);
	assert_string_equal(err.msg, "TENANTRT_HUGEPAGES_LIMIT=\"lots\" is not a byte "
			    "count; fill it from resourceFieldRef "
			    "limits.hugepages-2Mi with divisor 1");
}

static void test_probe_hybrid_and_v1(void **state)
{
	(void)state;
	char cmd[PATH_MAX + 32];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'/*", tree);
	assert_int_equal(system(cmd), 0);
	put("proc/self/status", "Cpus_allowed_list:\t0-7\n");
	put("proc/self/cgroup", "7:hugetlb:/docker/abc\n1:name=systemd:/x\n0::/docker/abc\n");
	put("sys/fs/cgroup/unified/docker/abc/hugetlb.2MB.max", "max\n");
	put("sys/fs/cgroup/hugetlb/docker/abc/hugetlb.2MB.limit_in_bytes", "201326592\n");
	put("sys/fs/cgroup/hugetlb/hugetlb.2MB.limit_in_bytes", "9223372036854771712\n");
	struct tr_k8s_limits lim;
	struct tr_error err = { 0 };
	char *env[] = { NULL };
	assert_int_equal(tr_k8s_probe(&lim, tree, TR_PAGE_2M, env, &err), 0);
	assert_int_equal(lim.huge_limit_bytes, 201326592);
	assert_string_equal(lim.huge_from,
			    "/sys/fs/cgroup/hugetlb/docker/abc/hugetlb.2MB.limit_in_bytes");

	/* no limit anywhere: no ceiling, not an error */
	put("sys/fs/cgroup/hugetlb/docker/abc/hugetlb.2MB.limit_in_bytes", "9223372036854771712\n");
	assert_int_equal(tr_k8s_probe(&lim, tree, TR_PAGE_2M, env, &err), 0);
	assert_false(lim.has_huge_limit);

	put("sys/fs/cgroup/unified/docker/hugetlb.2MB.max", "lots\n");
	assert_int_equal(tr_k8s_probe(&lim, tree, TR_PAGE_2M, env, &err), -1);
	assert_int_equal(err.code, EX_OSFILE);
	assert_string_equal(err.msg, "/sys/fs/cgroup/unified/docker/hugetlb.2MB.max "
			    "holds \"lots\", not a limit");
}

/* --- checks against the tenant --------------------------------------------- */

static void acme(struct tr_config *cfg, struct tr_tenant **t)
{
	memset(cfg, 0, sizeof(*cfg));
	tr_host_defaults(&cfg->host);
	cfg->file = "tenants.yaml";
	cfg->n_tenants = 1;
	*t = &cfg->tenants[0];
	tr_tenant_defaults(*t);
	snprintf((*t)->name, sizeof((*t)->name), "acme");
	(*t)->has_cpus = true;
	(*t)->cpus = cpus("1-2");
	(*t)->cpus_mark = (struct tr_mark){ 14, 10 };
	(*t)->memory.has_total = true;
	(*t)->memory.total_mb = 128;
	(*t)->memory.has_limit = true;
	(*t)->memory.limit_mb = 192;
	(*t)->memory.limit_mark = (struct tr_mark){ 13, 16 };
}

static void test_apply_limits(void **state)
{
	(void)state;
	struct tr_config cfg;
	struct tr_tenant *t;
	struct tr_error err = { 0 };
	struct tr_k8s_limits lim = { .has_cpus = true, .cpus_from = "Cpus_allowed_list" };

	acme(&cfg, &t);
	lim.cpus = cpus("2-3");
	struct tr_cpuset mine = t->cpus;
	assert_int_equal(tr_k8s_apply_limits(&cfg, t, &mine, &lim, true, &err), 0);
	assert_cpus(&t->cpus, "2");

	acme(&cfg, &t);
	lim.cpus = cpus("4-5");
	mine = t->cpus;
	assert_int_equal(tr_k8s_apply_limits(&cfg, t, &mine, &lim, true, &err), -1);
	assert_int_equal(err.code, EX_CONFIG);
	assert_string_equal(err.msg, "tenant \"acme\": its cpus 1-2 (tenants.yaml:14:10) "
			    "and this container's cpus 4-5 (Cpus_allowed_list) do not "
			    "overlap; give the tenant the cpus the container gets (CPU "
			    "manager, --cpuset-cpus) or run it where its cpus are");

	/* a ceiling of exactly the limit is fine, one page less is not */
	acme(&cfg, &t);
	lim.cpus = cpus("0-3");
	lim.has_huge_limit = true;
	lim.huge_limit_bytes = UINT64_C(192) << 20;
	snprintf(lim.huge_from, sizeof(lim.huge_from), "TENANTRT_HUGEPAGES_LIMIT");
	mine = t->cpus;
	assert_int_equal(tr_k8s_apply_limits(&cfg, t, &mine, &lim, true, &err), 0);
	lim.huge_limit_bytes = UINT64_C(190) << 20;
	assert_int_equal(tr_k8s_apply_limits(&cfg, t, &mine, &lim, true, &err), -1);
	/* a secondary allocates no pages: its own ceiling does not matter */
	assert_int_equal(tr_k8s_apply_limits(&cfg, t, &mine, &lim, false, &err), 0);
	assert_int_equal(tr_k8s_apply_limits(&cfg, t, &mine, &lim, true, &err), -1);
	assert_string_equal(err.msg, "tenant \"acme\": its hugepage limit 192 MiB "
			    "(tenants.yaml:13:16) is above this container's 190 MiB "
			    "(TENANTRT_HUGEPAGES_LIMIT); set resources.limits."
			    "hugepages-2Mi to 192Mi or lower the tenant's memory");
}

static void test_device_info(void **state)
{
	(void)state;
	struct tr_config cfg;
	struct tr_tenant *t;
	struct tr_error err = { 0 };
	acme(&cfg, &t);
	t->n_nics = 2;
	t->nics[0] = (struct tr_nic){ .kind = TR_NIC_PCI, .spec = "0000:3b:02.0",
				      .from_env = "PCIDEVICE_INTEL_COM_SRIOV",
				      .mark = { 20, 9 } };
	t->nics[1] = (struct tr_nic){ .kind = TR_NIC_VDEV, .spec = "net_null0" };

	/* no _INFO (an older device plugin): nothing to check */
	char *none[] = { "PCIDEVICE_INTEL_COM_SRIOV=0000:3b:02.0", NULL };
	assert_int_equal(tr_k8s_check_device_info(&cfg, t, "", none, &err), 0);

	/* /dev/null stands in for the vfio group node: a real char device */
	char *good[] = { "PCIDEVICE_INTEL_COM_SRIOV_INFO={\"0000:3b:02.0\":{\"vfio\":"
			 "{\"dev-mount\":\"/dev/null\"}}}", NULL };
	assert_int_equal(tr_k8s_check_device_info(&cfg, t, "", good, &err), 0);

	char *gone[] = { "PCIDEVICE_INTEL_COM_SRIOV_INFO={\"0000:3b:02.0\":{\"vfio\":"
			 "{\"dev-mount\":\"/dev/vfio/no-such-group\"}}}", NULL };
	assert_int_equal(tr_k8s_check_device_info(&cfg, t, "", gone, &err), -1);
	assert_int_equal(err.code, EX_CONFIG);
	assert_string_equal(err.msg, "tenant \"acme\": NIC 0000:3b:02.0 from "
			    "PCIDEVICE_INTEL_COM_SRIOV (tenants.yaml:20:9) needs "
			    "/dev/vfio/no-such-group (PCIDEVICE_INTEL_COM_SRIOV_INFO) "
			    "in the container: No such file or directory");

	char *other[] = { "PCIDEVICE_INTEL_COM_SRIOV_INFO={\"0000:3b:02.7\":{}}", NULL };
	assert_int_equal(tr_k8s_check_device_info(&cfg, t, "", other, &err), -1);
	assert_string_equal(err.msg, "tenant \"acme\": NIC 0000:3b:02.0 from "
			    "PCIDEVICE_INTEL_COM_SRIOV (tenants.yaml:20:9) is not "
			    "described in PCIDEVICE_INTEL_COM_SRIOV_INFO; the device "
			    "plugin's variables disagree, recreate the pod");
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
	assert_int_equal(tr_k8s_check_pid_namespace("acme", "/nonexistent/dpdk/acme",
						    "/proc/locks", &err), 0);

	/* our own file, held by us under our own pid: one namespace */
	snprintf(f, sizeof(f), "%s/fbarray_memseg-2048k-0-0_%d", dir, (int)getpid());
	int fd = open(f, O_CREAT | O_RDWR, 0600);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_SH), 0);
	assert_int_equal(tr_k8s_check_pid_namespace("acme", dir, "/proc/locks", &err), 0);

	/* a stale file of a dead member, held by nobody: DPDK reuses it */
	snprintf(f, sizeof(f), "%s/fbarray_memseg-2048k-0-0_2", dir);
	int stale = open(f, O_CREAT | O_RDWR, 0600);
	assert_true(stale >= 0);
	close(stale);
	assert_int_equal(tr_k8s_check_pid_namespace("acme", dir, "/proc/locks", &err), 0);

	/* a file named after pid 2 but held by a process we see as another
	 * pid: its holder named it in another PID namespace */
	int held = open(f, O_RDWR);
	assert_true(held >= 0);
	assert_int_equal(flock(held, LOCK_SH), 0);
	assert_int_equal(tr_k8s_check_pid_namespace("acme", dir, "/proc/locks", &err), -1);
	assert_int_equal(err.code, EX_UNAVAILABLE);
	char want[TR_ERR_MSG_MAX];
	snprintf(want, sizeof(want), "tenant \"acme\": %s/fbarray_memseg-2048k-0-0_2 is "
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
			int r = tr_k8s_check_pid_namespace("acme", dir, locks, &e);
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
			_exit(tr_k8s_check_pid_namespace("acme", dir, locks, &e) == 0 ? 0 : 12);
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
	assert_int_equal(tr_k8s_check_primary_visible("globex", dir, &err), 0);

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
	assert_int_equal(tr_k8s_check_primary_visible("globex", dir, &err), 0);

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
				snprintf(want, sizeof(want), "tenant \"globex\": its primary "
					 "holds %s from a PID namespace this one cannot see",
					 cfgpath);
				_exit(tr_k8s_check_primary_visible("globex", dir, &e) == -1 &&
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
		cmocka_unit_test(test_cpus_allowed),
		cmocka_unit_test(test_hugetlb_value),
		cmocka_unit_test(test_quantity),
		cmocka_unit_test(test_proc_cgroup),
		cmocka_unit_test(test_info_dev_mount),
		cmocka_unit_test(test_lock_holders),
		cmocka_unit_test(test_dpdk_file_pid),
		cmocka_unit_test(test_probe_v2_path_min),
		cmocka_unit_test(test_probe_hybrid_and_v1),
		cmocka_unit_test(test_apply_limits),
		cmocka_unit_test(test_device_info),
		cmocka_unit_test(test_pid_namespace),
		cmocka_unit_test(test_primary_visible),
	};
	return cmocka_run_group_tests_name("k8s", tests, tree_setup, tree_teardown);
}
