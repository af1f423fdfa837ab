/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fork(2), with the child born in a cgroup v2 group where the kernel can
 * (clone3 with CLONE_INTO_CGROUP, Linux 5.7+). Born there, the child skips
 * the move through cgroup.procs, which takes the cgroup threadgroup rwsem
 * for writing: that waits for an RCU grace period, milliseconds on a
 * quiet host. Its own file, so that a test can wrap the syscall.
 */
#ifndef TR_RUN_FORKCG_H
#define TR_RUN_FORKCG_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * As fork(), in both processes. cgfd: an O_DIRECTORY fd of a v2 group, or
 * < 0 for a plain fork. *in_cgroup (meaningful in the child and the
 * parent alike) says whether the child was born in cgfd's group; it is
 * false after a fallback to fork(), which happens when the kernel or a
 * seccomp filter refuses clone3 or the flag (ENOSYS, E2BIG, EINVAL,
 * EPERM). Any other clone3 failure is returned (-1, errno).
 */
pid_t tr_fork_into_cgroup(int cgfd, bool *in_cgroup);

#endif
