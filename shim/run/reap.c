/* SPDX-License-Identifier: BSD-3-Clause */
#include "run/reap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "isolate/isolate.h"
#include "host/role.h"
#include "isolate/tenantfs.h"
#include "common/cleanup.h"

static void say(tr_note_fn note, void *ctx, const char *fmt, const char *a,
		const char *b)
{
	if (note == NULL)
		return;
	char buf[TR_LEASE_PATH_MAX + 256];
	snprintf(buf, sizeof(buf), fmt, a, b);
	note(ctx, buf);
}

int tr_reap_tenant(const struct tr_lease *l, tr_note_fn note, void *ctx,
		   struct tr_error *err)
{
	pid_t holder = 0;
	/* A primary whose shim died but which still runs (it escaped
	 * PDEATHSIG, or was started by hand) still uses the memory: leave
	 * everything to the next try. */
	if (l->runtime_dir[0] && tr_role_lock_held(l->runtime_dir, l->tenant, &holder)) {
		if (note) {
			char buf[256];
			snprintf(buf, sizeof(buf),
				 "tenant \"%s\": kept: its DPDK primary (pid %d) still runs",
				 l->tenant, (int)holder);
			note(ctx, buf);
		}
		return 1;
	}
	int rc = tr_tenantfs_teardown(l->tenant, l->runtime_dir, l->huge_dir,
				      l->huge_mounted, note, ctx, err);
	struct tr_error ierr = { 0 };
	if (tr_isolate_tenant_teardown(l->tenant, &ierr) < 0 && rc == 0) {
		if (err)
			*err = ierr;
		rc = -1;
	}
	return rc;
}

int tr_reap_stale(struct tr_ledger *lg, const struct tr_lease *leases,
		  unsigned n, tr_note_fn note, void *ctx, unsigned *kept)
{
	(void)lg;
	int reclaimed = 0;
	if (kept)
		*kept = 0;
	/* failed[j]: the tenant whose first stale lease is j could not be
	 * reclaimed; all its leases stay so a later reap still knows its
	 * dirs. One stuck tenant never blocks the others' admission. */
	_cleanup_free_ bool *failed = calloc(n ? n : 1, sizeof(bool));
	if (failed == NULL)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		const struct tr_lease *l = &leases[i];
		if (l->alive)
			continue;
		bool live_sibling = false;
		unsigned first = i;
		for (unsigned j = 0; j < n; j++) {
			if (strcmp(leases[j].tenant, l->tenant) != 0)
				continue;
			if (leases[j].alive)
				live_sibling = true;
			else if (j < first)
				first = j;
		}
		if (failed[first])
			continue;
		/* The tenant's state goes once, with its first stale lease;
		 * a tenant that still has a live member keeps it. One whose
		 * DPDK primary still runs keeps its leases too, so a later
		 * reap still knows its dirs. */
		if (!live_sibling && strcmp(l->tenant, "?") != 0) {
			if (l->runtime_dir[0] &&
			    tr_role_lock_held(l->runtime_dir, l->tenant, NULL)) {
				if (first == i) {
					struct tr_error e = { 0 };
					tr_reap_tenant(l, note, ctx, &e);
				}
				continue;
			}
			if (first == i) {
				struct tr_error e = { 0 };
				if (tr_reap_tenant(l, note, ctx, &e) < 0) {
					failed[i] = true;
					if (kept)
						(*kept)++;
					say(note, ctx, "%s%s", "kept for a later reap: ", e.msg);
					continue;
				}
				reclaimed++;
			}
		}
		if (unlink(l->file) == 0)
			say(note, ctx, "%s%s", "removed stale lease ", l->file);
		else if (errno != ENOENT)
			say(note, ctx, "%s%s", "cannot remove stale lease ", l->file);
	}
	return reclaimed;
}
