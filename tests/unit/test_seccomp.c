/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * isolate/seccomp.c: the profile file format's errors, exactly, and
 * filters loaded for real in a forked child (seccomp needs no privilege
 * once no_new_privs is set): the default denies keyctl, ptrace, unshare
 * and namespace clones with EPERM, unconfined does not, a profile's
 * `allow` wins over `deny @default`; the program compiled in the parent
 * and loaded in the child as the shim does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <linux/keyctl.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include "common/cleanup.h"
#include "helpers.h"
#include "isolate/seccomp.h"

static char profile_path[PATH_MAX + 16];

/* The profile file under test, in the group's tr_tmp. */
static void write_profile(const char *text)
{
	snprintf(profile_path, sizeof(profile_path), "%s/profile", tr_tmp);
	tr_put(tr_tmp, "profile", text);
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
	return tr_child_exit(pid);
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
	assert_child_exit(pid, 0);
	tr_seccomp_prog_free(&prog);
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

/* The rtnetlink rule (a container's netns the host's user namespace owns):
 * NETLINK_ROUTE sockets EACCES under every profile kind, also when the
 * caller hides the constants in the registers' upper halves; other
 * netlink families and sockets still open. */
static int rtnl_probe(enum tr_seccomp_kind kind, const char *profile)
{
	struct tr_error err = { 0 };
	struct tr_seccomp_prog prog;
	struct tr_seccomp_opts o = { .deny_rtnetlink = true };
	assert_int_equal(tr_seccomp_compile(kind, profile, &o, &prog, &err), 0);
	assert_true(prog.len > 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    tr_seccomp_load_prog(&prog, &err) < 0)
			_exit(100);
		int bits = 0;
		errno = 0;
		if (socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) < 0 && errno == EACCES)
			bits |= 1;
		errno = 0;
		if (syscall(SYS_socket, AF_NETLINK | (1UL << 32), SOCK_RAW,
			    NETLINK_ROUTE | (1UL << 32)) < 0 && errno == EACCES)
			bits |= 2;
		if (socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC) >= 0)
			bits |= 4;
		if (socket(AF_INET, SOCK_DGRAM, 0) >= 0)
			bits |= 8;
		_exit(bits);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	tr_seccomp_prog_free(&prog);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void test_rtnetlink_rule(void **state)
{
	(void)state;
	assert_int_equal(rtnl_probe(TR_SECCOMP_DEFAULT, NULL), 1 | 2 | 4 | 8);
	/* unconfined: a filter of that one rule */
	assert_int_equal(rtnl_probe(TR_SECCOMP_UNCONFINED, NULL), 1 | 2 | 4 | 8);
	write_profile("allow keyctl\n");
	assert_int_equal(rtnl_probe(TR_SECCOMP_PROFILE, profile_path), 1 | 2 | 4 | 8);
	unlink(profile_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile_errors),
		cmocka_unit_test(test_profile_missing),
		cmocka_unit_test(test_profile_good),
		cmocka_unit_test(test_default_filter_denies),
		cmocka_unit_test(test_unconfined_keyctl_allowed),
		cmocka_unit_test(test_profile_allow_wins),
		cmocka_unit_test(test_default_deny_profile),
		cmocka_unit_test(test_compiled_prog),
		cmocka_unit_test(test_default_list),
		cmocka_unit_test(test_profile_long_comment_hides_nothing),
		cmocka_unit_test(test_profile_nul_byte),
		cmocka_unit_test(test_default_filter_denies_tiocsti),
		cmocka_unit_test(test_rtnetlink_rule),
	};
	return cmocka_run_group_tests_name("seccomp", tests, tr_tmp_setup, tr_tmp_teardown);
}
