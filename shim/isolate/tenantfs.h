/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A tenant's filesystem resources:
 *  - its runtime dir <runtimeRoot>/<tenant> (RUNTIME_DIRECTORY: DPDK puts
 *    config, mp_socket, fbarray_*, telemetry there), mode 0700, owned by
 *    the tenant's uid/gid;
 *  - its hugepage dir <hugepageDir>/<tenant>: a hugetlbfs mounted per tenant
 *    with size= = the quota (a hard limit: a primary asking more fails
 *    cleanly in EAL) when the shim may mount; else the dir must be a
 *    hugetlbfs already (Kubernetes emptyDir medium HugePages) and the quota
 *    is soft (--socket-limit and the hugetlb cgroup only).
 * Teardown removes only what tenantrt made there: the tenant's
 * "<tenant>map_*" files, its mount, DPDK's files in dpdk/<tenant>/, the
 * manifest, and then the dirs if they are empty.
 */
#ifndef TR_ISOLATE_TENANTFS_H
#define TR_ISOLATE_TENANTFS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/error.h"
#include "plan/plan.h"

struct tr_tenantfs {
	bool mounted;      /* this shim (or the tenant's first one) mounted it */
	bool quota_hard;   /* a size= limit is in force on the huge dir */
};

/*
 * Create the runtime dir, and for the primary the hugepage dir and its
 * mount. A secondary only checks that the primary's dirs are there.
 */
int tr_tenantfs_setup(const struct tr_plan *p,
		      struct tr_tenantfs *out, struct tr_error *err);

int tr_tenantfs_teardown(const char *tenant, const char *runtime_dir,
			 const char *huge_dir, bool mounted,
			 void (*note)(void *ctx, const char *what), void *ctx,
			 struct tr_error *err);

#endif
