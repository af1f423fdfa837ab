/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * run/spawn.c: the app's environment (the plan's keys win, in the plan's
 * order, then the shim's own without them), and, as root, the spawn
 * itself: the app's exit status through a real fork and exec under the
 * isolation of an empty plan, and an exec failure brought back to the
 * parent as 127 with one line. The cgroup root is a made-up empty tree:
 * nothing on the host is joined.
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

static void test_env_plan_keys_win(void **state)
{
	(void)state;
	char *mine[] = { "RUNTIME_DIRECTORY=/run/tenantrt/acme", "TENANTRT_TENANT=acme",
			 "TENANTRT_ROLE=primary" };
	plan_env(mine, 3);
	char *shim[] = {
		"PATH=/usr/bin:/bin",
		"TENANTRT_TENANT=someone-else",   /* the plan's key: dropped */
		"HOME=/root",
		"TENANTRT_TENANTX=1",             /* a longer key: kept */
		"TENANTRT_ROLE",                  /* a key without '=': dropped */
		"RUNTIME_DIRECTORY=/tmp",
		"LANG=C.UTF-8",
		NULL,
	};
	char **env = tr_spawn_env(&plan, shim);
	assert_non_null(env);
	static const char *const want[] = {
		"RUNTIME_DIRECTORY=/run/tenantrt/acme", "TENANTRT_TENANT=acme",
		"TENANTRT_ROLE=primary", "PATH=/usr/bin:/bin", "HOME=/root",
		"TENANTRT_TENANTX=1", "LANG=C.UTF-8",
	};
	size_t n = 0;
	while (env[n])
		n++;
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++)
		assert_string_equal(env[i], want[i]);
	/* the strings themselves, not copies: the child must not allocate */
	assert_ptr_equal(env[0], mine[0]);
	assert_ptr_equal(env[3], shim[0]);
	free(env);
}

static void test_env_empty_sides(void **state)
{
	(void)state;
	char *mine[] = { "TENANTRT_TENANT=acme" };
	plan_env(mine, 1);
	char **env = tr_spawn_env(&plan, NULL);
	assert_non_null(env);
	assert_string_equal(env[0], "TENANTRT_TENANT=acme");
	assert_null(env[1]);
	free(env);

	plan_env(NULL, 0);
	char *shim[] = { "A=1", "B=2", NULL };
	env = tr_spawn_env(&plan, shim);
	assert_non_null(env);
	assert_string_equal(env[0], "A=1");
	assert_string_equal(env[1], "B=2");
	assert_null(env[2]);
	free(env);
}

/* The plan's argv and env exactly; the child's status after its exit. */
static void spawn(char **argv, int *child_status, pid_t *child, int *status,
		  struct tr_error *err, int *rc)
{
	char *mine[] = { "TENANTRT_TENANT=acme", "PATH=/usr/bin:/bin" };
	plan_env(mine, 2);
	plan.tenant = "acme";
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
	/* exit 7 only when the plan's env reached the app */
	char *ok[] = { "/bin/sh", "-c", "[ \"$TENANTRT_TENANT\" = acme ] && exit 7", NULL };
	spawn(ok, &child_status, &child, &status, &err, &rc);
	assert_int_equal(rc, 0);
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
		cmocka_unit_test(test_env_plan_keys_win),
		cmocka_unit_test(test_env_empty_sides),
		cmocka_unit_test_setup_teardown(test_spawn_as_root, tr_cgroot_setup,
						tr_cgroot_teardown),
	};
	return cmocka_run_group_tests_name("spawn", tests, NULL, NULL);
}
