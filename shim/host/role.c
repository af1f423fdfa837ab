/* SPDX-License-Identifier: BSD-3-Clause */
#include "host/role.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/dpdkfs.h"
#include "common/fsutil.h"
#include "common/messages.h"
#include "host/admit.h"
#include "host/groupview.h"
#include "host/manifest.h"

/* How long a secondary waits for a primary that is admitted but has not
 * taken its DPDK lock yet (EAL start-up), when --wait-primary is not set. */
#define STARTING_PRIMARY_GRACE 10.0

int tr_role_request_parse(const char *s, enum tr_role_request *out)
{
	if (strcmp(s, "auto") == 0)
		*out = TR_REQ_AUTO;
	else if (strcmp(s, TR_ROLE_NAME_PRIMARY) == 0)
		*out = TR_REQ_PRIMARY;
	else if (strcmp(s, TR_ROLE_NAME_SECONDARY) == 0)
		*out = TR_REQ_SECONDARY;
	else
		return -1;
	return 0;
}

/* From the ledger: is a primary of tenant admitted, and which secondary
 * slot is free? */
static void ledger_view(struct tr_ledger *lg, const struct tr_role_req *rq,
			bool *primary_admitted, unsigned *free_member)
{
	struct tr_lease *v = NULL;
	unsigned n = 0;
	*primary_admitted = false;
	*free_member = 1;
	if (tr_ledger_lock(lg, false, NULL) < 0)
		return;
	if (tr_ledger_scan(lg, &v, &n, NULL) == 0) {
		for (unsigned i = 0; i < n; i++)
			if (v[i].alive && !v[i].reclaiming && v[i].role == TR_ROLE_PRIMARY &&
			    strcmp(v[i].tenant, rq->tenant) == 0)
				*primary_admitted = true;
		*free_member = tr_admit_free_member(v, n, rq->tenant, rq->max_secondaries);
	}
	tr_ledger_unlock(lg);
	free(v);
}

/* false, with the refusal, when the group's record names mounts this shim
 * does not see; true without a record (the primary has not written it). */
static bool seen(struct tr_ledger *lg, const struct tr_role_req *rq, struct tr_error *err)
{
	struct tr_manifest rec;
	if (tr_manifest_read(&rec, lg->dir, rq->tenant, NULL) < 0)
		return true;
	bool ok = tr_group_view_seen(&rec, rq->runtime_dir, err) == 0;
	tr_manifest_free(&rec);
	return ok;
}

int tr_role_decide(struct tr_ledger *lg, const struct tr_role_req *rq,
		   struct tr_role_result *out, struct tr_error *err)
{
	memset(out, 0, sizeof(*out));
	pid_t *holder = &out->primary_pid;
	bool held = tr_dpdk_primary_lock(rq->runtime_dir, rq->tenant, holder);
	bool admitted = false;
	unsigned member = 1;
	out->primary_lock_held = held;
	if (rq->want == TR_REQ_PRIMARY) {
		out->role = TR_ROLE_PRIMARY;
		if (held)
			return tr_err(err, EX_UNAVAILABLE, TR_MSG_PRIMARY_RUNS, (int)*holder);
		return 0;
	}
	ledger_view(lg, rq, &admitted, &member);
	bool starting = !held && admitted;
	if (rq->want == TR_REQ_AUTO && !held && !starting) {
		out->role = TR_ROLE_PRIMARY;
		return 0;
	}
	out->role = TR_ROLE_SECONDARY;
	out->member = member;
	double wait = rq->wait_primary;
	if (starting && wait < STARTING_PRIMARY_GRACE)
		wait = STARTING_PRIMARY_GRACE;
	double end = tr_now_s() + wait;
	while (!held) {
		/* A primary admitted whose lock this shim cannot see: in
		 * another mount namespace, it never will. */
		if (admitted && !seen(lg, rq, err))
			return -1;
		if (tr_now_s() >= end)
			return tr_err(err, EX_UNAVAILABLE, TR_MSG_NO_PRIMARY);
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		held = tr_dpdk_primary_lock(rq->runtime_dir, rq->tenant, holder);
	}
	out->primary_lock_held = true;
	return 0;
}

void tr_role_watch_init(struct tr_role_watch *w, const char *tenant,
			const char *runtime_dir, pid_t primary, pid_t app)
{
	*w = (struct tr_role_watch){ tenant, runtime_dir, primary, app, false };
	if (w->primary == 0)
		tr_dpdk_primary_lock(runtime_dir, tenant, &w->primary);
}

bool tr_role_watch_primary(void *vw, char *why, size_t len)
{
	struct tr_role_watch *w = vw;
	pid_t holder = 0;
	if (tr_dpdk_primary_lock(w->runtime_dir, w->tenant, &holder) && holder == w->primary)
		return false;
	snprintf(why, len, "tenant \"%s\": primary (pid %d) exited; stopping secondary (pid %d)",
		 w->tenant, (int)w->primary, (int)w->app);
	w->fired = true;
	return true;
}
