/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 4, plan: a pure function of (config, facts, tenant, role, member)
 * to what the app process gets:
 *   argv  APP <EAL args> -- <app args>
 *   env   RUNTIME_DIRECTORY=<runtimeRoot>/<tenant> (+ TENANTRT_* identity)
 *   iso   the isolation plan the shim applies before exec
 *
 * The env, in this order and exact format (libtenantrt parses it):
 *   RUNTIME_DIRECTORY=<runtimeRoot>/<tenant>   DPDK's runtime dir parent
 *   TENANTRT_TENANT=<name>
 *   TENANTRT_ROLE=primary|secondary
 *   TENANTRT_MEMBER=<n>           0 = primary, 1.. = secondaries
 *   TENANTRT_MEMBERS=<1 + group.maxSecondaries>
 *   TENANTRT_DATAPATH=mode=<distribute|symmetric>,burst=<n>,ring=<n>,queues=<n>
 *                                 e.g. mode=distribute,burst=32,ring=1024,queues=0
 *
 * EAL rules: --file-prefix=<tenant>, explicit --proc-type, memory flags and
 * --socket-limit for the primary only, --huge-dir = the tenant's own dir,
 * the same device list for every member (-a/--vdev, --no-pci when no PCI
 * NIC), --lcores with ids unique per member within the group.
 */
#ifndef TR_PLAN_PLAN_H
#define TR_PLAN_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "common/error.h"
#include "config/model.h"

enum tr_role {
	TR_ROLE_PRIMARY = 0,
	TR_ROLE_SECONDARY = 1,
};

const char *tr_role_name(enum tr_role r);

#define TR_PLAN_MAX_ARGS 256
#define TR_PLAN_MAX_ENV 8
#define TR_MAX_MEMBER_LCORES 64

struct tr_isolation {
	char runtime_dir[4096];        /* <runtimeRoot>/<tenant>, mode 0700 */
	char huge_dir[4096];           /* <hugepageDir>/<tenant> */
	uint64_t page_bytes;           /* hugepage size */
	uint64_t huge_limit_bytes;     /* whole pages: the tenant's hard quota */
	struct tr_cpuset cpus;         /* the tenant's cpus (cpuset cgroup) */
	struct tr_cpuset member_cpus;  /* the cpus this member's lcores use */
	uint64_t numa_nodes;           /* bit n: NUMA node n to bind memory to;
					  0 = no binding */
	bool has_user;
	uid_t uid;
	gid_t gid;
	unsigned n_supp;
	gid_t supp[TR_MAX_SUPP_GROUPS];
	uint64_t caps;                 /* bit n: keep capability n */
	enum tr_seccomp_kind seccomp;
	const char *seccomp_profile;   /* borrowed from the config */
	bool no_new_privs;             /* always true */
};

struct tr_plan {
	enum tr_role role;
	unsigned member;               /* 0 = primary, 1.. = secondaries */
	int argc;
	char *argv[TR_PLAN_MAX_ARGS + 1]; /* NULL-terminated, owned */
	int eal_first, eal_end;        /* argv[eal_first..eal_end) = EAL args */
	int envc;
	char *env[TR_PLAN_MAX_ENV + 1];   /* "K=V", NULL-terminated, owned */
	unsigned n_lcores;
	unsigned lcore_ids[TR_MAX_MEMBER_LCORES];
	unsigned lcore_cpus[TR_MAX_MEMBER_LCORES];
	struct tr_isolation iso;
};

/*
 * Build the plan. app_args may be NULL when n_app_args is 0. member must be
 * 0 for the primary and 1..maxSecondaries for a secondary. Returns 0, or -1
 * with err (EX_USAGE for a bad role/member, EX_DATAERR for what the config
 * cannot give). The config must have passed validation.
 */
int tr_plan_build(struct tr_plan *out, const struct tr_config *cfg,
		  const struct tr_host_facts *facts, const struct tr_tenant *t,
		  enum tr_role role, unsigned member, const char *app,
		  char *const app_args[], int n_app_args, struct tr_error *err);

void tr_plan_free(struct tr_plan *p);

/* Human-readable and JSON renderings (for `tenantrt plan`). */
void tr_plan_print(const struct tr_plan *p, const struct tr_tenant *t, FILE *out);
void tr_plan_print_json(const struct tr_plan *p, const struct tr_tenant *t,
			FILE *out);

#endif
