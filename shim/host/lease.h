/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A lease: what one running member holds, as the ledger records it
 * (<runtimeRoot>/.ledger/<tenant>.<member>.lease, key=value text). Its
 * shim holds flock(LOCK_EX) on it for life; a lease nobody holds is stale.
 * It names the tenant's dirs and mount, so a reclaim needs no config.
 */
#ifndef TR_HOST_LEASE_H
#define TR_HOST_LEASE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/cgnames.h"
#include "common/cpuset.h"
#include "config/model.h"
#include "plan/plan.h"

#define TR_LEASE_PATH_MAX 4096

struct tr_lease {
	char tenant[TR_NAME_MAX];
	unsigned member;
	enum tr_role role;
	pid_t shim_pid;
	pid_t app_pid;                  /* 0 until forked */
	long long since;                /* unix time of admission */
	bool exclusive;                 /* cpuPolicy exclusive */
	struct tr_cpuset cpus;          /* the tenant's cpus */
	struct tr_cpuset member_cpus;   /* cpus this member's lcores run on */
	char lcores[256];               /* lcore ids, "2,3" */
	char placement[512];            /* lcore@cpu, "2@1,3@0" */
	unsigned n_nics;
	char nics[TR_MAX_NICS][TR_NIC_ID_MAX];  /* NIC identities */
	uint64_t quota_pages;           /* hugepage quota, whole pages */
	uint64_t page_bytes;
	bool huge_mounted;              /* the shim mounted the tenant's hugetlbfs */
	bool run_mounted;               /* ... and the runtime dir's tmpfs */
	uid_t uid;                      /* the member's uid and gid */
	gid_t gid;
	bool dynamic_uid;               /* allocated, not the tenant's user: */
	bool mount_ns;                  /* its view: the shim's mount namespace */
	unsigned view_ro;               /* else TR_RO_* the container keeps */
	char runtime_dir[TR_LEASE_PATH_MAX];
	char huge_dir[TR_LEASE_PATH_MAX];
	char config[TR_LEASE_PATH_MAX];
	char cgroup[TR_CGROUP_NAME_MAX]; /* the tenant's group; "" = none */
	/* Set while a sweep reclaims this lease's member or tenant (its
	 * process holds the flock instead of the shim): host/sweep.h. */
	pid_t reclaiming;
	bool reclaim_whole;             /* the tenant, not just the member */
	long long reclaim_failed;       /* unix time of the last failed try */

	/* Filled by tr_ledger_scan, not stored. */
	bool alive;
	char file[TR_LEASE_PATH_MAX];
};

/* Serialise / parse one lease. Format: -1 when buf is too small. Parse:
 * -1 when the text names no tenant or holds a malformed cpu list. */
int tr_lease_format(const struct tr_lease *l, char *buf, size_t len);
int tr_lease_parse(struct tr_lease *l, const char *text);

/* The pid to name a member by: its app, or its shim before the fork. */
static inline pid_t tr_lease_pid(const struct tr_lease *l)
{
	return l->app_pid ? l->app_pid : l->shim_pid;
}

#endif
