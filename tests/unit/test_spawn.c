/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * run/spawn.c, as root: the app's exit status through a real fork and exec
 * under the isolation of an empty plan, with exactly the plan's
 * environment (nothing of the caller's), and an exec failure brought back
 * to the parent as 127 or 126 with one line. The cgroup root is a made-up
 * empty tree: nothing on the host is joined.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "run/spawn.h"

static struct tr_plan plan;   /* big: not on the stack */

static void plan_env(char **env, int n)
{
	memset(&plan, 0, sizeof(plan));
	for (int i = 0; i < n; i++)
		plan.env[i] = env[i];
	plan.envc = n;
}

/* The plan's argv and env exactly; the child's status after its exit. */
static void spawn(char **argv, int *child_status, pid_t *child, int *status,
		  struct tr_error *err, int *rc)
{
	char *mine[] = { "TENANTRT_TENANT=acme", "PATH=/usr/bin:/bin" };
	plan_env(mine, 2);
	plan.tenant = "acme";
	snprintf(plan.iso.cgroup, sizeof(plan.iso.cgroup), "tenantrt/0000abcd-acme");
	plan.iso.seccomp = TR_SECCOMP_UNCONFINED;
	for (plan.argc = 0; argv[plan.argc]; plan.argc++)
		plan.argv[plan.argc] = argv[plan.argc];
	sigset_t old;
	sigprocmask(SIG_SETMASK, NULL, &old);
	*rc = tr_spawn(&plan, child, status, err);
	if (*rc == 0)
		*child_status = tr_child_exit(*child);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void test_spawn_as_root(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();   /* the privilege drop needs CAP_SETPCAP */
	int rc, status, child_status = -1;
	pid_t child = 0;
	struct tr_error err = { 0 };
	/* exit 7 only when the plan's env reached the app, and nothing else:
	 * the caller's variables (this test's, LD_PRELOAD among them) do not */
	setenv("TENANTRT_TEST_LEAK", "1", 1);
	setenv("LD_PRELOAD", "/nonexistent/leak.so", 1);
	char *ok[] = { "/bin/sh", "-c",
		       "[ \"$TENANTRT_TENANT\" = acme ] && [ -z \"$TENANTRT_TEST_LEAK$LD_PRELOAD\" ] && "
		       "[ \"$(env | grep -cv '^PWD=\\|^SHLVL=\\|^_=')\" = 2 ] && exit 7", NULL };
	spawn(ok, &child_status, &child, &status, &err, &rc);
	unsetenv("TENANTRT_TEST_LEAK");
	unsetenv("LD_PRELOAD");
	if (rc != 0)
		fail_msg("spawn: %s", err.msg);
	assert_true(child > 0);
	assert_int_equal(child_status, 7);

	char *missing[] = { "/nonexistent/app", NULL };
	spawn(missing, &child_status, &child, &status, &err, &rc);
	assert_int_equal(rc, -1);
	assert_int_equal(status, 127);
	assert_int_equal(err.code, 127);
	assert_string_equal(err.msg, "cannot run /nonexistent/app: No such file or directory");

	/* no x bit: not even root may exec it */
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/app", tr_tmp);
	tr_put(tr_tmp, "app", "#!/bin/sh\nexit 0\n");
	char *not_exec[] = { path, NULL };
	spawn(not_exec, &child_status, &child, &status, &err, &rc);
	assert_int_equal(rc, -1);
	assert_int_equal(status, 126);
	char want[PATH_MAX + 64];
	snprintf(want, sizeof(want), "cannot run %s: Permission denied", path);
	assert_string_equal(err.msg, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_spawn_as_root, tr_cgroot_setup,
						tr_cgroot_teardown),
	};
	return cmocka_run_group_tests_name("spawn", tests, NULL, NULL);
}
