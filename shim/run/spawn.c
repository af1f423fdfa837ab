/* SPDX-License-Identifier: BSD-3-Clause */
#include "run/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "isolate/isolate.h"
#include "run/forkcg.h"
#include "run/supervise.h"

/* What the child tells the parent before it execs: -1 then its error, or
 * exec's errno. Nothing at all (EOF) once the exec happened. */
static void child_run(const struct tr_plan *p, const sigset_t *oldmask, pid_t shim,
		      bool in_v2, int wfd)
{
	struct tr_error cerr = { 0 };
	int what = -1;
	if (tr_supervise_child_prepare(oldmask, shim) < 0)
		_exit(EX_OSERR);
	if (tr_isolate_child(p, in_v2, &cerr) < 0) {
		(void)!write(wfd, &what, sizeof(what));
		(void)!write(wfd, &cerr, sizeof(cerr));
		_exit(cerr.code ? cerr.code : EX_OSERR);
	}
	/* Exactly the plan's environment: nothing of the caller's that the
	 * plan did not take (tr_plan's env.pass). */
	execvpe(p->argv[0], p->argv, p->env);
	what = errno;
	(void)!write(wfd, &what, sizeof(what));
	_exit(what == ENOENT ? 127 : 126);
}

int tr_spawn(const struct tr_plan *p, pid_t *child, int *status,
	     struct tr_error *err)
{
	*status = EX_OSERR;
	/* What the app leaves behind when it exits (a double-forked
	 * daemon) becomes the shim's child, not init's: the member's end
	 * (run/member.c) kills and reaps it. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		return tr_err_sys(err, EX_OSERR, errno, "prctl(PR_SET_CHILD_SUBREAPER)");
	sigset_t oldmask;
	tr_supervise_block(&oldmask);
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return tr_err_sys(err, EX_OSERR, errno, "pipe");
	pid_t shim = getpid();
	/* Born in its v2 leaf where the kernel allows: the app is in it
	 * before its first instruction, and no move waits for RCU. */
	int cgfd = tr_isolate_cgroup_fd(p);
	bool in_v2;
	*child = tr_fork_into_cgroup(cgfd, &in_v2);
	int fork_errno = errno;
	if (cgfd >= 0 && *child != 0)
		close(cgfd);
	if (*child < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return tr_err_sys(err, EX_OSERR, fork_errno, cgfd >= 0 ? "clone3 into the member's cgroup" : "fork");
	}
	if (*child == 0) {
		close(pfd[0]);
		child_run(p, &oldmask, shim, in_v2, pfd[1]);
	}
	close(pfd[1]);
	int what = 0;
	ssize_t r;
	while ((r = read(pfd[0], &what, sizeof(what))) < 0 && errno == EINTR)
		;
	if (r != (ssize_t)sizeof(what)) {
		close(pfd[0]);
		return 0;   /* EOF: exec'd */
	}
	struct tr_error cerr = { 0 };
	if (what == -1 && read(pfd[0], &cerr, sizeof(cerr)) == (ssize_t)sizeof(cerr))
		*err = cerr;
	else
		tr_err(err, what == ENOENT ? 127 : 126, "cannot run %s: %s", p->argv[0],
		       strerror(what));
	close(pfd[0]);
	int ws;
	waitpid(*child, &ws, 0);
	*status = tr_exit_status(ws);
	return -1;
}
