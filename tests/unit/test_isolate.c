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
#include <linux/keyctl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/caps.h"
#include "isolate/cgroup.h"
#include "isolate/isolate.h"
#include "isolate/privs.h"
#include "isolate/seccomp.h"
#include "isolate/vfio.h"

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

static void test_setup_hybrid_writes_limits(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	struct tr_cpuset cpus;
	char why[64];
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

	assert_int_equal(tr_cpuset_parse(&cpus, "2-3", why, sizeof(why)), 0);
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

/* A NIC's vfio group, from a made-up sysfs and /dev: given to the
 * tenant's uid, given back to root; nothing else is touched. */
static void test_vfio_groups(void **state)
{
	(void)state;
	char top[] = "/tmp/tr-vfio.XXXXXX", path[512], cmd[600];
	assert_non_null(mkdtemp(top));
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %1$s/sys/bus/pci/devices/0000:3b:02.0 %1$s/sys/bus/pci/devices/0000:3b:02.1 "
		 "%1$s/sys/kernel/iommu_groups/42 %1$s/sys/kernel/iommu_groups/43 %1$s/dev/vfio && "
		 "ln -s ../../../../kernel/iommu_groups/42 %1$s/sys/bus/pci/devices/0000:3b:02.0/iommu_group && "
		 "ln -s ../../../../kernel/iommu_groups/43 %1$s/sys/bus/pci/devices/0000:3b:02.1/iommu_group && "
		 "ln -s /dev/null %1$s/dev/vfio/43",
		 top);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/dev/vfio/42", top);
	assert_int_equal(mknod(path, S_IFCHR | 0600, makedev(1, 3)), 0);
	assert_int_equal(tr_vfio_group_of(top, "0000:3b:02.0"), 42);
	assert_int_equal(tr_vfio_group_of(top, "0000:3b:09.0"), -1);
	struct tr_error err = { 0 };
	struct stat st;
	assert_int_equal(tr_vfio_give(top, top, "0000:3b:02.0", 60700, 60700, &err), 1);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 60700);
	assert_int_equal(st.st_gid, 60700);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* vdevs, interfaces, devices without a group, a link where the node
	 * should be: nothing to give */
	assert_int_equal(tr_vfio_give(top, top, "net_null0", 60700, 60700, &err), 0);
	assert_int_equal(tr_vfio_give(top, top, "iface=eth0", 60700, 60700, &err), 0);
	assert_int_equal(tr_vfio_give(top, top, "0000:3b:09.0", 60700, 60700, &err), 0);
	assert_int_equal(tr_vfio_give(top, top, "0000:3b:02.1", 60700, 60700, &err), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_int_equal(st.st_uid, 0);
	/* back to root at reclaim */
	assert_int_equal(tr_vfio_give(top, top, "0000:3b:02.0", 0, 0, &err), 1);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
	assert_int_equal(system(cmd), 0);
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
		cmocka_unit_test_setup_teardown(test_bad_tenant_name,
						setup_tree, teardown_tree),
		cmocka_unit_test(test_size_names),
		cmocka_unit_test(test_profile_errors),
		cmocka_unit_test(test_profile_missing),
		cmocka_unit_test(test_profile_good),
		cmocka_unit_test(test_default_filter_denies),
		cmocka_unit_test(test_unconfined_keyctl_allowed),
		cmocka_unit_test(test_profile_allow_wins),
		cmocka_unit_test(test_default_deny_profile),
		cmocka_unit_test(test_compiled_prog),
		cmocka_unit_test(test_privs_drop_as_root),
		cmocka_unit_test(test_default_list),
		cmocka_unit_test(test_seccomp_opts_from_plan),
		cmocka_unit_test(test_caps_format),
		cmocka_unit_test(test_vfio_groups),
	};
	return cmocka_run_group_tests_name("isolate", tests, NULL, NULL);
}
