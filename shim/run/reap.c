/* SPDX-License-Identifier: BSD-3-Clause */
#include "run/reap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/dpdkfs.h"
#include "health/health.h"
#include "host/netrec.h"
#include "isolate/isolate.h"
#include "isolate/netns.h"
#include "isolate/tenantfs.h"
#include "isolate/vfio.h"

int tr_reap_tenant(const struct tr_lease *l, tr_note_fn note, void *ctx,
		   struct tr_error *err)
{
	pid_t holder = 0;
	/* Whatever still runs in the tenant's cgroup outlived its shim (a
	 * double fork, a shim killed with -9): no live member is left, so
	 * none of it is wanted, and it would hold the tenant's pages, cpus
	 * and mount. */
	if (l->cgroup[0] && tr_isolate_tenant_kill(l->cgroup, err) < 0)
		return -1;
	/* A primary outside the tenant's cgroup (started by hand, or the
	 * cgroup filesystem was not ours) still uses the memory: leave
	 * everything to the next try. */
	if (l->runtime_dir[0] && tr_dpdk_primary_lock(l->runtime_dir, l->tenant, &holder)) {
		if (note) {
			char buf[256];
			snprintf(buf, sizeof(buf),
				 "tenant \"%s\": kept: its DPDK primary (pid %d) still runs",
				 l->tenant, (int)holder);
			note(ctx, buf);
		}
		return 1;
	}
	/* Its interfaces first, back to the host while the netns holds
	 * them: the record is in the ledger, next to the lease. */
	const char *slash = strrchr(l->file, '/');
	if (slash) {
		char ledger[TR_LEASE_PATH_MAX], record[TR_LEASE_PATH_MAX + 64];
		snprintf(ledger, sizeof(ledger), "%.*s", (int)(slash - l->file), l->file);
		tr_netrec_path(ledger, l->tenant, record, sizeof(record));
		if (tr_netns_reclaim(record, l->tenant, note, ctx, err) < 0)
			return tr_err_wrap(err, "tenant \"%s\"", l->tenant);
	}
	int rc = tr_tenantfs_teardown(l->tenant, l->runtime_dir, l->huge_dir,
				      l->huge_mounted, l->run_mounted, note, ctx, err);
	/* Its NICs' vfio groups go back to root. */
	for (unsigned i = 0; i < l->n_nics; i++) {
		struct tr_error verr = { 0 };
		tr_vfio_give("", "", l->nics[i], 0, 0, &verr);
	}
	/* The group's stop mark lives next to its leases (health/health.h). */
	if (slash && rc == 0) {
		char ledger[TR_LEASE_PATH_MAX];
		snprintf(ledger, sizeof(ledger), "%.*s", (int)(slash - l->file), l->file);
		tr_stop_mark_clear(ledger, l->tenant);
	}
	struct tr_error ierr = { 0 };
	if (l->cgroup[0] && tr_isolate_tenant_teardown(l->cgroup, &ierr) < 0 && rc == 0) {
		if (err)
			*err = ierr;
		rc = -1;
	}
	return rc;
}

int tr_reap_member(const struct tr_lease *l, tr_note_fn note, void *ctx,
		   struct tr_error *err)
{
	(void)note, (void)ctx;
	if (l->cgroup[0] == '\0')
		return 0;
	return tr_isolate_member_stop(l->cgroup, l->member, err);
}

struct tr_reclaimer tr_reap_reclaimer(tr_note_fn note, void *ctx)
{
	return (struct tr_reclaimer){ .reclaim = tr_reap_tenant,
				      .reclaim_member = tr_reap_member,
				      .note = note, .ctx = ctx };
}
