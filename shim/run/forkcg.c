/* SPDX-License-Identifier: BSD-3-Clause */
#include "run/forkcg.h"

#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* glibc 2.36 has no clone3 wrapper; the raw syscall leaves glibc's fork
 * bookkeeping (atfork handlers, the cached tid) undone, which the child
 * does not need: it is single threaded, calls no atfork-registered code
 * and only isolates itself and execs (run/spawn.c). */
static pid_t clone_into(int cgfd)
{
#if defined(SYS_clone3) && defined(CLONE_INTO_CGROUP)
	struct clone_args ca = {
		.flags = CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.cgroup = (uint64_t)cgfd,
	};
	return (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
#else
	(void)cgfd;
	errno = ENOSYS;
	return -1;
#endif
}

pid_t tr_fork_into_cgroup(int cgfd, bool *in_cgroup)
{
	*in_cgroup = false;
	if (cgfd >= 0) {
		pid_t pid = clone_into(cgfd);
		if (pid >= 0) {
			*in_cgroup = true;
			return pid;
		}
		/* No clone3 (< 5.3, or filtered by a container's seccomp
		 * profile), no CLONE_INTO_CGROUP (< 5.7: E2BIG for the
		 * longer struct, or EINVAL): the child moves itself. */
		if (errno != ENOSYS && errno != E2BIG && errno != EINVAL && errno != EPERM)
			return -1;
	}
	return fork();
}
