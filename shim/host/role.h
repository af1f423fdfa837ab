/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 3b, role: who this member is in its tenant's group, decided from
 * DPDK's own view (the primary's config lock, common/dpdkfs.h) and the
 * ledger (an admitted primary still starting): primary, or secondary in a
 * free member slot. Admission checks the decision again under the ledger
 * lock; when the group changed in between, the shim decides again.
 *
 * And, for a secondary's whole life: it lives only as long as the primary
 * it joined (tr_role_watch_primary, polled by the supervisor).
 */
#ifndef TR_HOST_ROLE_H
#define TR_HOST_ROLE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/error.h"
#include "host/ledger.h"
#include "plan/plan.h"

enum tr_role_request {
	TR_REQ_AUTO = 0,
	TR_REQ_PRIMARY,
	TR_REQ_SECONDARY,
};

/* "primary" | "secondary" | "auto" -> request; -1 on anything else. */
int tr_role_request_parse(const char *s, enum tr_role_request *out);

struct tr_role_req {
	const char *tenant;
	const char *runtime_dir;        /* the tenant's RUNTIME_DIRECTORY */
	enum tr_role_request want;
	double wait_primary;            /* seconds a secondary waits for one */
	unsigned max_secondaries;
};

struct tr_role_result {
	enum tr_role role;
	unsigned member;                /* 0, or a free secondary slot */
	bool primary_lock_held;
	pid_t primary_pid;              /* the lock's holder; 0 if unseen */
};

/*
 * auto: secondary while DPDK's config lock is held (or a primary is
 * admitted and still starting), else primary. A secondary needs the lock
 * held before its EAL starts: it waits up to wait_primary, or briefly when
 * an admitted primary is still coming up. EX_UNAVAILABLE when there is no
 * primary for a secondary, or one already for a primary.
 */
int tr_role_decide(struct tr_ledger *lg, const struct tr_role_req *rq,
		   struct tr_role_result *out, struct tr_error *err);

/* The supervisor's watch of a secondary's primary. */
struct tr_role_watch {
	const char *tenant;
	const char *runtime_dir;
	pid_t primary;                  /* the lock holder we joined */
	pid_t app;                      /* our app */
	bool fired;                     /* we stopped the app: primary gone */
};

/* Set up w for the secondary whose app is app (primary as decided, or as
 * the lock shows now). */
void tr_role_watch_init(struct tr_role_watch *w, const char *tenant,
			const char *runtime_dir, pid_t primary, pid_t app);

/* true (and the log line in why) when the joined primary is gone. */
bool tr_role_watch_primary(void *w, char *why, size_t len);

/* How the member's end is then told (planned stop, primary died):
 * run/watchdog.h. */

#endif
