/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 7, spawn: the app as its plan says. The shim becomes a child
 * subreaper (orphans of the app are its to reap and kill). Fork; in the
 * child, restore the signal mask, ask for SIGKILL when the shim dies, enter
 * the isolation (isolate/isolate.h: no inherited fds or terminal, cgroups,
 * NUMA, the privilege drop ending in seccomp) and exec with exactly the
 * plan's argv and environment. The child never
 * prints: a failure before exec comes back to the parent on a close-on-exec
 * pipe, so tr_spawn returns only once the app's exec has happened (0) or
 * failed (-1 with the child's error and exit status).
 */
#ifndef TR_RUN_SPAWN_H
#define TR_RUN_SPAWN_H

#include <sys/types.h>

#include "common/error.h"
#include "plan/plan.h"

/*
 * The signals the supervisor takes are blocked from here on (before the
 * fork, so none is lost). On failure *status is the exit status to pass
 * on: the child's (126 cannot exec, 127 not found, or the isolation
 * error's code).
 */
int tr_spawn(const struct tr_plan *p, pid_t *child, int *status,
	     struct tr_error *err);

#endif
