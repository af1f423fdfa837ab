/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Least privilege: the one function that drops the child's privileges,
 * in the one order that works (crun's set_required_caps is the model):
 *
 *   0. securebits     a member that stays uid 0 (`user: root`) gets
 *                     SECBIT_NOROOT and SECBIT_NO_SETUID_FIXUP, locked
 *                     (needs CAP_SETPCAP, so first)
 *   1. bounding set   drop every capability not planned (needs
 *                     CAP_SETPCAP, so while still root)
 *   2. keep-caps      PR_SET_KEEPCAPS, so the uid change keeps permitted
 *   3. ids            setgroups (the planned supplementary groups only,
 *                     none by default), setresgid, setresuid: every
 *                     member, to its user or its dynamic uid
 *   4. capset         exactly the planned caps as effective, permitted and
 *                     inheritable, and ambient, so a non-root uid still has
 *                     them after exec (root gets them from the bounding set)
 *   5. no_new_privs   no setuid binary or file capability can add any
 *   6. seccomp        last: loaded after no_new_privs, before exec
 *
 * A parent-death signal armed before (PR_SET_PDEATHSIG) survives: the
 * kernel clears it on the uid change, so it is armed again after step 3.
 *
 * Runs after fork: no printing; returns -1 with err.
 */
#ifndef TR_ISOLATE_PRIVS_H
#define TR_ISOLATE_PRIVS_H

#include <stdint.h>
#include <sys/capability.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "isolate/seccomp.h"
#include "plan/plan.h"

static inline void tr_cap_freep(cap_t *c)
{
	if (*c != NULL)
		cap_free(*c);
}
#define _cleanup_cap_ _cleanup_(tr_cap_freep)

/* filter: compiled beforehand (tr_seccomp_compile), loaded as step 6. */
int tr_privs_drop(const struct tr_isolation *iso,
		  const struct tr_seccomp_prog *filter, struct tr_error *err);

#endif
