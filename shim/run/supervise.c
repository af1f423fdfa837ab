/* SPDX-License-Identifier: BSD-3-Clause */
#include "run/supervise.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/fsutil.h"

const int tr_forwarded_signals[] = {
	SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH,
};
const size_t tr_n_forwarded_signals =
	sizeof(tr_forwarded_signals) / sizeof(tr_forwarded_signals[0]);

static void waited_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < tr_n_forwarded_signals; i++)
		sigaddset(set, tr_forwarded_signals[i]);
	sigaddset(set, SIGCHLD);
}

int tr_supervise_block(sigset_t *old)
{
	sigset_t set;
	waited_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, old) < 0)
		return -1;
	/*
	 * An ignored signal is dropped when sent, even while blocked, so
	 * sigtimedwait would never see it: a shell starts background jobs
	 * with SIGINT and SIGQUIT ignored. Back to default (blocked, so
	 * they only ever stay pending for the loop).
	 */
	for (size_t i = 0; i < tr_n_forwarded_signals; i++)
		signal(tr_forwarded_signals[i], SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	return 0;
}

int tr_supervise_child_prepare(const sigset_t *old, pid_t shim_pid)
{
	/*
	 * If the shim is kill -9'd, nobody would forward signals, reap, or
	 * give the tenant's hugepages back while the app ran on; so the app
	 * dies with its shim (PDEATHSIG SIGKILL), its lease turns stale, and
	 * the next admission or `tenantrt reap` reclaims what it held.
	 * Checked against getppid() after arming: the shim may already have
	 * died in between.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		return -1;
	if (getppid() != shim_pid)
		return -1;
	for (size_t i = 0; i < tr_n_forwarded_signals; i++)
		signal(tr_forwarded_signals[i], SIG_DFL);
	signal(SIGPIPE, SIG_DFL);   /* the shim ignores it; the app must not */
	return sigprocmask(SIG_SETMASK, old, NULL);
}

int tr_exit_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 1;
}

int tr_supervise_run(const struct tr_supervise *s)
{
	sigset_t set;
	waited_set(&set);
	const char *name = s->name ? s->name : "tenantrt-shim";
	double kill_at = 0;     /* 0: no stop in progress */
	bool killed = false;
	bool watching = s->watch != NULL;
	int status = -1;

	for (;;) {
		struct timespec tmo = { 0, 100 * 1000 * 1000 };
		siginfo_t si;
		int sig = sigtimedwait(&set, &si, &tmo);
		if (sig > 0 && sig != SIGCHLD) {
			if (s->on_signal)
				s->on_signal(s->watch_ctx, sig);
			if (kill(s->child, sig) < 0 && errno != ESRCH)
				fprintf(stderr, "%s: cannot forward signal %d to pid %d: %s\n",
					name, sig, (int)s->child, strerror(errno));
			if ((sig == SIGTERM || sig == SIGINT) && kill_at == 0)
				kill_at = tr_now_s() + s->stop_timeout;
		}
		/* Reap everything: the app and any orphan we inherited as PID 1. */
		for (;;) {
			int ws;
			pid_t p = waitpid(-1, &ws, WNOHANG);
			if (p <= 0)
				break;
			if (p == s->child)
				status = tr_exit_status(ws);
		}
		if (status >= 0)
			return status;
		if (watching) {
			char why[512];
			if (s->watch(s->watch_ctx, why, sizeof(why))) {
				fprintf(stderr, "%s: %s\n", name, why);
				watching = false;
				kill(s->child, SIGTERM);
				if (kill_at == 0)
					kill_at = tr_now_s() + s->stop_timeout;
			}
		}
		if (kill_at != 0 && !killed && tr_now_s() >= kill_at) {
			fprintf(stderr, "%s: pid %d did not stop within %u s; sending SIGKILL\n",
				name, (int)s->child, s->stop_timeout);
			kill(s->child, SIGKILL);
			killed = true;
		}
	}
}
