/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A member's end, once its app has exited: nothing the app started may
 * outlive it. Every process left in the member's cgroup leaf is killed
 * (cgroup.kill, or freeze and kill: isolate/cgroup.h) and the leaf removed;
 * then every child the shim still has as the app's subreaper (the orphans
 * of a double fork, where no cgroup holds them) is killed and reaped. So
 * no stray keeps running on the member's cpus after the ledger has let
 * them go.
 */
#ifndef TR_RUN_MEMBER_H
#define TR_RUN_MEMBER_H

#include <sys/types.h>

#include "common/error.h"
#include "plan/plan.h"

/* keep: a child of the shim that is not the app's (the admission's
 * sweeper), or 0. -1 with EX_TEMPFAIL when something would not die. */
int tr_member_end(const struct tr_plan *p, pid_t keep, struct tr_error *err);

#endif
