/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A tenant's filesystem resources:
 *  - its runtime dir <runtimeRoot>/<tenant> (RUNTIME_DIRECTORY: DPDK puts
 *    config, mp_socket, fbarray_*, telemetry there), mode 0700, owned by
 *    the tenant's uid/gid: a tmpfs of its own with size= and nr_inodes=
 *    (common/layout.h) when the shim may mount, so it cannot fill or
 *    starve the runtimeRoot; a plain dir in a container;
 *  - its hugepage dir <hugepageDir>/<tenant>: a hugetlbfs mounted per tenant
 *    with size= = the quota (a hard limit: a primary asking more fails
 *    cleanly in EAL) and nr_inodes= = its pages and a few, when the shim
 *    may mount; else the dir must be a
 *    hugetlbfs already (Kubernetes emptyDir medium HugePages) and the quota
 *    is soft (--socket-limit and the hugetlb cgroup only).
 * Set-up opens every dir once, without following links, and works on the
 * descriptor. Teardown removes only what tenantrt made there: the
 * tenant's "<tenant>map_*" files, its mounts, DPDK's files in
 * dpdk/<tenant>/, and then the dirs if they are empty.
 */
#ifndef TR_ISOLATE_TENANTFS_H
#define TR_ISOLATE_TENANTFS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/error.h"
#include "plan/plan.h"

struct tr_tenantfs {
	bool mounted;      /* this shim (or the tenant's first one) mounted
			      the hugetlbfs */
	bool run_mounted;  /* ... and the runtime dir's tmpfs */
	bool quota_hard;   /* a size= limit is in force on the huge dir */
};

/*
 * Create the runtime dir, and for the primary the hugepage dir and its
 * mount. A secondary only checks that the primary's dirs are there.
 */
int tr_tenantfs_setup(const struct tr_plan *p,
		      struct tr_tenantfs *out, struct tr_error *err);

int tr_tenantfs_teardown(const char *tenant, const char *runtime_dir,
			 const char *huge_dir, bool mounted, bool run_mounted,
			 void (*note)(void *ctx, const char *what), void *ctx,
			 struct tr_error *err);

/*
 * A secondary's own files in the runtime dir (fbarray_memseg-*_<pid>,
 * mp_socket_<pid>_*), once it is gone: DPDK removes them on a clean exit,
 * a kill -9 leaves 1.5 MiB that would fill the tenant's tmpfs.
 */
void tr_tenantfs_forget_member(const struct tr_plan *p, pid_t pid);

/* Exit status 135 (SIGBUS) in one line: a full runtime dir or a fault
 * past the quota. False for any other status. */
bool tr_tenantfs_explain_sigbus(const struct tr_plan *p, int status, char *why,
				size_t len);

#endif
