/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * run/supervise.c with plain children (sh -c): exit codes and death by
 * signal passed through, signals forwarded, the stop timeout's KILL, the
 * watch hook stopping the app, orphans reaped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run/supervise.h"


static int prctl_subreaper(void)
{
	return prctl(PR_SET_CHILD_SUBREAPER, 1);
}

/* 200 ms after the start, the signal sig (0: none) to ourselves, the
 * supervisor: it must forward it. */
static void signal_self_soon(int sig)
{
	if (sig == 0)
		return;
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	kill(getpid(), sig);
}

/* Fork `sh -c script` the way the shim does, supervise it. */
static int run_supervised(const char *script, unsigned stop_timeout,
			  bool (*watch)(void *, char *, size_t), void *ctx, int self_signal)
{
	sigset_t old;
	assert_int_equal(tr_supervise_block(&old), 0);
	pid_t parent = getpid();
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		if (tr_supervise_child_prepare(&old, parent) < 0)
			_exit(99);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	signal_self_soon(self_signal);
	struct tr_supervise s = { .child = child, .stop_timeout = stop_timeout,
				  .watch = watch, .watch_ctx = ctx, .name = "test" };
	int rc = tr_supervise_run(&s);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

static void test_exit_codes_pass_through(void **state)
{
	(void)state;
	assert_int_equal(run_supervised("exit 0", 5, NULL, NULL, 0), 0);
	assert_int_equal(run_supervised("exit 3", 5, NULL, NULL, 0), 3);
	assert_int_equal(run_supervised("kill -TERM $$", 5, NULL, NULL, 0), 128 + SIGTERM);
	assert_int_equal(run_supervised("kill -KILL $$", 5, NULL, NULL, 0), 128 + SIGKILL);
}

static void test_signal_forwarded(void **state)
{
	(void)state;
	/* The child turns USR1 into exit 42: proves the signal reached it. */
	assert_int_equal(run_supervised("trap 'exit 42' USR1; while :; do sleep 0.05; done", 5,
					NULL, NULL, SIGUSR1),
			 42);
}

static void test_stop_timeout_kills(void **state)
{
	(void)state;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	/* Ignores TERM: after 1 s the supervisor sends KILL. */
	assert_int_equal(run_supervised("trap '' TERM; while :; do sleep 0.05; done", 1, NULL, NULL,
					SIGTERM),
			 128 + SIGKILL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double took = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	assert_true(took >= 1.1 && took < 3.0);
}

static int watch_calls;
static bool watch_third(void *ctx, char *why, size_t len)
{
	(void)ctx;
	if (++watch_calls < 3)
		return false;
	snprintf(why, len, "primary went away");
	return true;
}

static void test_watch_stops_app(void **state)
{
	(void)state;
	watch_calls = 0;
	assert_int_equal(run_supervised("while :; do sleep 0.05; done", 5, watch_third, NULL, 0),
			 128 + SIGTERM);
	assert_int_equal(watch_calls, 3);
}

static void test_orphans_reaped(void **state)
{
	(void)state;
	/* As PID 1 the shim inherits orphans; here a subreaper stands in. */
	assert_int_equal(prctl_subreaper(), 0);
	assert_int_equal(run_supervised("sleep 0.1 & exit 5", 5, NULL, NULL, 0), 5);
	struct timespec ts = { 0, 300 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	/* The orphan (reparented to us) has exited; the supervisor's WNOHANG
	 * loop of a second run reaps it, leaving no zombie behind. */
	assert_int_equal(run_supervised("exit 0", 5, NULL, NULL, 0), 0);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_codes_pass_through),
		cmocka_unit_test(test_signal_forwarded),
		cmocka_unit_test(test_stop_timeout_kills),
		cmocka_unit_test(test_watch_stops_app),
		cmocka_unit_test(test_orphans_reaped),
	};
	return cmocka_run_group_tests_name("supervise", tests, NULL, NULL);
}
