/* SPDX-License-Identifier: BSD-3-Clause */
#include "run/reap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/dpdkfs.h"
#include "isolate/isolate.h"
#include "isolate/tenantfs.h"
#include "isolate/vfio.h"

int tr_reap_tenant(const struct tr_lease *l, tr_note_fn note, void *ctx,
		   struct tr_error *err)
{
	pid_t holder = 0;
	/* A primary whose shim died but which still runs (it escaped
	 * PDEATHSIG, or was started by hand) still uses the memory: leave
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
	int rc = tr_tenantfs_teardown(l->tenant, l->runtime_dir, l->huge_dir,
				      l->huge_mounted, l->run_mounted, note, ctx, err);
	/* Its NICs' vfio groups go back to root. */
	for (unsigned i = 0; i < l->n_nics; i++) {
		struct tr_error verr = { 0 };
		tr_vfio_give("", "", l->nics[i], 0, 0, &verr);
	}
	struct tr_error ierr = { 0 };
	if (tr_isolate_tenant_teardown(l->tenant, &ierr) < 0 && rc == 0) {
		if (err)
			*err = ierr;
		rc = -1;
	}
	return rc;
}

struct tr_reclaimer tr_reap_reclaimer(tr_note_fn note, void *ctx)
{
	return (struct tr_reclaimer){ .reclaim = tr_reap_tenant, .note = note, .ctx = ctx };
}
