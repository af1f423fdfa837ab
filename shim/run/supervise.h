/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PID-1 style supervision of the app (tini's model): the signals we care
 * about are blocked and taken synchronously with sigtimedwait, forwarded
 * to the app, every zombie is reaped with a WNOHANG loop (the shim may be
 * PID 1 of a container and inherit orphans), and the app's exit becomes
 * ours: its code, or 128+n when signal n killed it.
 */
#ifndef TR_RUN_SUPERVISE_H
#define TR_RUN_SUPERVISE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Forwarded to the app. */
extern const int tr_forwarded_signals[];
extern const size_t tr_n_forwarded_signals;

struct tr_supervise {
	pid_t child;
	unsigned stop_timeout;     /* seconds from a forwarded TERM/INT to KILL */
	/*
	 * Polled about every 100 ms while the app runs (may be NULL). Returns
	 * true when the app must be stopped; why gets the log line.
	 */
	bool (*watch)(void *ctx, char *why, size_t len);
	void *watch_ctx;
	const char *name;          /* log prefix, e.g. "tenantrt-shim" */
	/* Told of each signal taken, before it is forwarded (may be NULL;
	 * watch_ctx is its ctx): a SIGTERM/SIGINT is the operator's stop, not
	 * the app's failure. */
	void (*on_signal)(void *ctx, int sig);
};

/* Block the supervised signals and SIGCHLD; *old gets the previous mask.
 * Call before fork so no signal is lost between fork and the loop. */
int tr_supervise_block(sigset_t *old);

/*
 * In the child, before exec: restore the mask and dispositions, and ask
 * for SIGKILL when the shim dies. Returns -1 when the shim is already
 * gone (the caller _exits).
 */
int tr_supervise_child_prepare(const sigset_t *old, pid_t shim_pid);

/* Supervise until the app exits; returns the status to exit with. Prints
 * its log lines to stderr. */
int tr_supervise_run(const struct tr_supervise *s);

/* The exit status for a wait status: code, or 128+signal. */
int tr_exit_status(int wstatus);

#endif
