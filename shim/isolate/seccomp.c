/* SPDX-License-Identifier: BSD-3-Clause */
#include "isolate/seccomp.h"

#include <ctype.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <sys/prctl.h>
#include <unistd.h>

/*
 * What a DPDK 22.11 data-plane app (dpdk-testpmd, dpdk-proc-info, ours)
 * never calls, and what a compromised tenant would use against the host or
 * another tenant: reading/writing other processes, loading kernel code,
 * changing mounts or namespaces, kernel keyrings, kernel tracing, clocks,
 * raw I/O ports. Checked: testpmd and proc-info run unchanged with all of
 * these denied (tests/integration/suite_isolation.sh).
 */
static const char *const default_names[] = {
	/* other processes' memory and fds */
	"ptrace", "process_vm_readv", "process_vm_writev", "kcmp",
	"pidfd_getfd", "process_madvise",
	/* kernel code */
	"kexec_load", "kexec_file_load", "init_module", "finit_module",
	"delete_module", "create_module", "uselib",
	/* mounts, roots, namespaces */
	"mount", "umount2", "pivot_root", "chroot", "move_mount", "fsopen",
	"fsmount", "fsconfig", "fspick", "open_tree", "mount_setattr",
	"unshare", "setns",
	/* host-wide state */
	"swapon", "swapoff", "reboot", "acct", "quotactl", "quotactl_fd",
	"settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
	"syslog", "vhangup", "lookup_dcookie", "nfsservctl", "sysfs",
	"ustat",
	/* kernel keyrings */
	"keyctl", "add_key", "request_key",
	/* tracing and programs in the kernel */
	"perf_event_open", "bpf",
	/* page-fault games and handles that bypass path permissions */
	"userfaultfd", "open_by_handle_at", "name_to_handle_at",
	/* io_uring runs syscalls' work outside this filter */
	"io_uring_setup", "io_uring_enter", "io_uring_register",
	/* raw I/O ports */
	"iopl", "ioperm",
	NULL,
};

const char *const *tr_seccomp_default_names(void)
{
	return default_names;
}

/* The resolved rule set: syscall number -> action; later entries win. */
#define MAX_RULES 512
struct ruleset {
	uint32_t def_action;
	bool ns_guard;           /* the default list is denied: no namespaces
				    through clone/clone3 either */
	unsigned n;
	int nr[MAX_RULES];
	uint32_t action[MAX_RULES];
};

static void rs_put(struct ruleset *rs, int nr, uint32_t action)
{
	for (unsigned i = 0; i < rs->n; i++)
		if (rs->nr[i] == nr) {
			rs->action[i] = action;
			return;
		}
	if (rs->n < MAX_RULES) {
		rs->nr[rs->n] = nr;
		rs->action[rs->n] = action;
		rs->n++;
	}
}

static void rs_put_default(struct ruleset *rs, uint32_t action,
			   const struct tr_seccomp_opts *opts)
{
	rs->ns_guard = action != SCMP_ACT_ALLOW;
	for (const char *const *n = default_names; *n != NULL; n++) {
		if (opts != NULL && opts->allow_bpf && strcmp(*n, "bpf") == 0)
			continue;
		if (opts != NULL && opts->allow_ioport &&
		    (strcmp(*n, "iopl") == 0 || strcmp(*n, "ioperm") == 0))
			continue;
		int nr = seccomp_syscall_resolve_name(*n);
		/* Not a syscall of this architecture: nothing to deny. */
		if (nr == __NR_SCMP_ERROR)
			continue;
		rs_put(rs, nr, action);
	}
}

#define DENY SCMP_ACT_ERRNO(EPERM)

static int parse_profile(const char *path, const struct tr_seccomp_opts *opts,
			 struct ruleset *rs, struct tr_error *err)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (f == NULL)
		return tr_err_sys(err, EX_CONFIG, errno,
				  "seccomp profile %s cannot be read", path);
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned lineno = 0;
	rs->def_action = SCMP_ACT_ALLOW;
	rs->n = 0;
	rs->ns_guard = false;
	/* Whole lines, however long: a fixed buffer would read the tail of a
	 * long comment as a line of its own, and a rule hidden there would
	 * count. */
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (strlen(line) != (size_t)len)
			return tr_err(err, EX_CONFIG,
				      "%s:%u: a NUL byte; a profile is text",
				      path, lineno);
		line[strcspn(line, "#\n")] = '\0';
		char *save = NULL;
		char *verb = strtok_r(line, " \t\r", &save);
		if (verb == NULL)
			continue;
		char *arg = strtok_r(NULL, " \t\r", &save);
		char *extra = strtok_r(NULL, " \t\r", &save);
		if (arg == NULL || extra != NULL)
			return tr_err(err, EX_CONFIG,
				      "%s:%u: expected \"allow NAME\", \"deny "
				      "NAME\" or \"default allow|deny\"",
				      path, lineno);
		if (strcmp(verb, "default") == 0) {
			if (strcmp(arg, "allow") == 0)
				rs->def_action = SCMP_ACT_ALLOW;
			else if (strcmp(arg, "deny") == 0)
				rs->def_action = DENY;
			else
				return tr_err(err, EX_CONFIG,
					      "%s:%u: \"default %s\": expected "
					      "\"default allow\" or \"default "
					      "deny\"", path, lineno, arg);
			continue;
		}
		uint32_t action;
		if (strcmp(verb, "allow") == 0)
			action = SCMP_ACT_ALLOW;
		else if (strcmp(verb, "deny") == 0)
			action = DENY;
		else
			return tr_err(err, EX_CONFIG,
				      "%s:%u: unknown directive \"%s\": "
				      "expected allow, deny or default",
				      path, lineno, verb);
		if (strcmp(arg, "@default") == 0) {
			rs_put_default(rs, action, opts);
			continue;
		}
		int nr = seccomp_syscall_resolve_name(arg);
		if (nr == __NR_SCMP_ERROR)
			return tr_err(err, EX_CONFIG,
				      "%s:%u: unknown syscall \"%s\"", path,
				      lineno, arg);
		if (rs->n >= MAX_RULES)
			return tr_err(err, EX_CONFIG,
				      "%s:%u: more than %d syscalls named",
				      path, lineno, MAX_RULES);
		rs_put(rs, nr, action);
	}
	if (ferror(f))
		return tr_err_sys(err, EX_CONFIG, errno,
				  "seccomp profile %s cannot be read", path);
	return 0;
}

int tr_seccomp_check_profile(const char *path, struct tr_error *err)
{
	struct ruleset rs;
	return parse_profile(path, NULL, &rs, err);
}

static bool rs_names(const struct ruleset *rs, int nr)
{
	for (unsigned i = 0; i < rs->n; i++)
		if (rs->nr[i] == nr)
			return true;
	return false;
}

/*
 * Denying unshare and setns is no barrier if clone() can make the same
 * namespaces. clone's flags are its first argument: refuse each CLONE_NEW*
 * bit (EPERM). clone3 passes them in memory a filter cannot read, so it
 * answers ENOSYS and glibc falls back to clone() (what pthread_create does
 * on kernels before 5.3). Skipped when the profile names clone or clone3
 * itself, or denies by default.
 */
static int add_ns_guard(scmp_filter_ctx ctx, const struct ruleset *rs,
			struct tr_error *err)
{
	static const uint64_t ns_flags[] = {
		CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
		CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP,
	};
	if (!rs->ns_guard || rs->def_action != SCMP_ACT_ALLOW)
		return 0;
	int clone_nr = seccomp_syscall_resolve_name("clone");
	int clone3_nr = seccomp_syscall_resolve_name("clone3");
	if (clone_nr != __NR_SCMP_ERROR && !rs_names(rs, clone_nr))
		for (size_t i = 0; i < TR_ARRAY_SIZE(ns_flags); i++) {
			int r = seccomp_rule_add(ctx, DENY, clone_nr, 1,
						 SCMP_A0(SCMP_CMP_MASKED_EQ,
							 ns_flags[i],
							 ns_flags[i]));
			if (r < 0)
				return tr_err_sys(err, EX_OSERR, -r,
						  "seccomp: cannot add the "
						  "clone namespace rule");
		}
	if (clone3_nr != __NR_SCMP_ERROR && !rs_names(rs, clone3_nr)) {
		int r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
					 clone3_nr, 0);
		if (r < 0)
			return tr_err_sys(err, EX_OSERR, -r,
					  "seccomp: cannot add the clone3 rule");
	}
	return 0;
}

/*
 * TIOCSTI pushes bytes into a terminal's input as if typed, TIOCLINUX
 * (console) can too: an app holding the caller's tty would type commands
 * into the caller's root shell. Denied with the default list (setsid()
 * already refuses TIOCSTI on a tty that is not the caller's controlling
 * one; this also holds for a tenant that gets CAP_SYS_ADMIN).
 *
 * The kernel takes ioctl's cmd as 32 bits, the filter sees 64: compared
 * as-is, ioctl(fd, (1UL << 32) | TIOCSTI) would pass a SCMP_CMP_EQ rule and
 * still be TIOCSTI, so only the low 32 bits are compared. Skipped, like the
 * clone guard, when the profile names ioctl or denies by default (libseccomp
 * refuses a rule that repeats the default action).
 */
static int add_tty_guard(scmp_filter_ctx ctx, const struct ruleset *rs,
			 struct tr_error *err)
{
	static const unsigned long cmds[] = { TIOCSTI, TIOCLINUX };
	int nr = seccomp_syscall_resolve_name("ioctl");
	if (!rs->ns_guard || rs->def_action != SCMP_ACT_ALLOW ||
	    nr == __NR_SCMP_ERROR || rs_names(rs, nr))
		return 0;
	for (size_t i = 0; i < TR_ARRAY_SIZE(cmds); i++) {
		int r = seccomp_rule_add(ctx, DENY, nr, 1,
					 SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffUL, cmds[i]));
		if (r < 0)
			return tr_err_sys(err, EX_OSERR, -r,
					  "seccomp: cannot add the terminal ioctl rule");
	}
	return 0;
}

/*
 * No rtnetlink socket: every handle rtnetlink has on another network
 * namespace (IFLA_NET_NS_PID/FD, IFLA_TARGET_NETNSID, NETNSA_PID/FD) needs
 * one, and a tenant whose netns the host's user namespace owns would reach
 * the host's links with it. EACCES, as a denied socket says. The syscall
 * takes ints: the upper halves of the registers are masked off, so they
 * cannot hide NETLINK_ROUTE from the comparison. Skipped where socket is
 * denied already.
 */
static int add_rtnetlink_rule(scmp_filter_ctx ctx, const struct ruleset *rs,
			      struct tr_error *err)
{
	int nr = seccomp_syscall_resolve_name("socket");
	if (nr == __NR_SCMP_ERROR)
		return 0;
	for (unsigned i = 0; i < rs->n; i++)
		if (rs->nr[i] == nr && rs->action[i] != SCMP_ACT_ALLOW)
			return 0;
	if (!rs_names(rs, nr) && rs->def_action != SCMP_ACT_ALLOW)
		return 0;
	int r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), nr, 2,
				 SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, AF_NETLINK),
				 SCMP_A2(SCMP_CMP_MASKED_EQ, 0xffffffffu, NETLINK_ROUTE));
	if (r < 0)
		return tr_err_sys(err, EX_OSERR, -r, "seccomp: cannot add the rtnetlink rule");
	return 0;
}

int tr_seccomp_build(enum tr_seccomp_kind kind, const char *profile,
		     const struct tr_seccomp_opts *opts, scmp_filter_ctx *out,
		     struct tr_error *err)
{
	struct ruleset rs = { .def_action = SCMP_ACT_ALLOW };
	*out = NULL;
	switch (kind) {
	case TR_SECCOMP_UNCONFINED:
		if (opts == NULL || !opts->deny_rtnetlink)
			return 0;
		break;   /* a filter of that one rule */
	case TR_SECCOMP_DEFAULT:
		rs_put_default(&rs, DENY, opts);
		break;
	case TR_SECCOMP_PROFILE:
		if (profile == NULL)
			return tr_err(err, EX_SOFTWARE,
				      "seccomp: a profile file is planned but "
				      "no path was given");
		if (parse_profile(profile, opts, &rs, err) < 0)
			return -1;
		break;
	default:
		return tr_err(err, EX_SOFTWARE, "seccomp: unknown kind %d",
			      (int)kind);
	}
	_cleanup_seccomp_ scmp_filter_ctx ctx = seccomp_init(rs.def_action);
	if (ctx == NULL)
		return tr_err(err, EX_OSERR, "seccomp: seccomp_init failed");
	/* A binary tree of syscall numbers, not a chain: each check walks
	 * log(n) jumps, and the kernel's per-syscall cache, made at load by
	 * running the filter for every syscall number, is built in a
	 * fraction of the time. Older libseccomp: the chain. */
	(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (unsigned i = 0; i < rs.n; i++) {
		/* libseccomp refuses a rule that repeats the default action. */
		if (rs.action[i] == rs.def_action)
			continue;
		int r = seccomp_rule_add(ctx, rs.action[i], rs.nr[i], 0);
		if (r < 0) {
			_cleanup_free_ char *name =
				seccomp_syscall_resolve_num_arch(
					SCMP_ARCH_NATIVE, rs.nr[i]);
			return tr_err_sys(err, EX_OSERR, -r,
					  "seccomp: cannot add a rule for %s",
					  name != NULL ? name : "?");
		}
	}
	if (add_ns_guard(ctx, &rs, err) < 0 || add_tty_guard(ctx, &rs, err) < 0)
		return -1;
	if (opts != NULL && opts->deny_rtnetlink && add_rtnetlink_rule(ctx, &rs, err) < 0)
		return -1;
	*out = TAKE_PTR(ctx);
	return 0;
}

int tr_seccomp_apply(enum tr_seccomp_kind kind, const char *profile,
		     const struct tr_seccomp_opts *opts, struct tr_error *err)
{
	_cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
	if (tr_seccomp_build(kind, profile, opts, &ctx, err) < 0)
		return -1;
	if (ctx == NULL)
		return 0;
	int r = seccomp_load(ctx);
	if (r < 0)
		return tr_err_sys(err, EX_OSERR, -r,
				  "seccomp: cannot load the filter");
	return 0;
}

int tr_seccomp_compile(enum tr_seccomp_kind kind, const char *profile,
		       const struct tr_seccomp_opts *opts,
		       struct tr_seccomp_prog *out, struct tr_error *err)
{
	_cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
	out->len = 0;
	out->insns = NULL;
	if (tr_seccomp_build(kind, profile, opts, &ctx, err) < 0)
		return -1;
	if (ctx == NULL)
		return 0;
	/* libseccomp 2.5 exports BPF to an fd only. */
	_cleanup_close_ int fd = memfd_create("tr-seccomp", MFD_CLOEXEC);
	if (fd < 0)
		return tr_err_sys(err, EX_OSERR, errno, "seccomp: memfd_create");
	int r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return tr_err_sys(err, EX_OSERR, -r,
				  "seccomp: cannot export the filter");
	off_t size = lseek(fd, 0, SEEK_END);
	size_t n = size > 0 ? (size_t)size / sizeof(struct sock_filter) : 0;
	if (n == 0 || n > BPF_MAXINSNS)
		return tr_err(err, EX_SOFTWARE,
			      "seccomp: the filter has %zu instructions (1..%d)",
			      n, BPF_MAXINSNS);
	_cleanup_free_ struct sock_filter *insns = calloc(n, sizeof(*insns));
	if (insns == NULL)
		return tr_err(err, EX_OSERR, "seccomp: out of memory");
	if (pread(fd, insns, n * sizeof(*insns), 0) !=
	    (ssize_t)(n * sizeof(*insns)))
		return tr_err_sys(err, EX_OSERR, errno,
				  "seccomp: cannot read the exported filter");
	out->len = (unsigned short)n;
	out->insns = TAKE_PTR(insns);
	return 0;
}

void tr_seccomp_prog_free(struct tr_seccomp_prog *p)
{
	free(p->insns);
	p->insns = NULL;
	p->len = 0;
}

int tr_seccomp_load_prog(const struct tr_seccomp_prog *p, struct tr_error *err)
{
	if (p->len == 0)
		return 0;
	struct sock_fprog prog = { .len = p->len, .filter = p->insns };
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		return tr_err_sys(err, EX_OSERR, errno,
				  "seccomp: cannot load the filter");
	return 0;
}
