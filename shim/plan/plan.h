/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 4, plan: a pure function of its inputs (struct tr_plan_input) to
 * everything a member process gets and holds:
 *   argv    APP <EAL args> -- <app args>
 *   env     the app's whole environment: the identity libtenantrt reads
 *           (tenantrt_proto.h), PATH, the tenant's env.set, and the
 *           caller's variables env.pass names; nothing else of the caller's
 *   iso     the isolation the shim applies before exec
 *   claims  what admission leases for it: cpus, NICs, hugepage quota,
 *           lcore ids, its dirs
 *   notes   lines to tell the operator (a tool's own -c1, devices adopted
 *           from the primary)
 *
 * The shim and `tenantrt plan` gather the same inputs (host/inputs.c) and
 * call tr_plan_build() alike, so the plan shown is the plan run. Nothing
 * edits a plan afterwards.
 *
 * EAL rules: --file-prefix=<tenant>, explicit --proc-type, memory flags and
 * --socket-limit for the primary only, --huge-dir = the tenant's own dir,
 * the same device list for every member (-a/--vdev, --no-pci when no PCI
 * NIC), --lcores with ids unique per member within the group, the user's
 * own EAL options last (tr_plan_user_args).
 */
#ifndef TR_PLAN_PLAN_H
#define TR_PLAN_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "common/cgnames.h"
#include "common/error.h"
#include "config/model.h"
#include "config/netfacts.h"
#include "plan/netplan.h"

enum tr_role {
	TR_ROLE_PRIMARY = 0,
	TR_ROLE_SECONDARY = 1,
};

/* "primary" | "secondary" (tenantrt_proto.h's TENANTRT_ROLE values). */
const char *tr_role_name(enum tr_role r);

#define TR_PLAN_MAX_ARGS 256
#define TR_PLAN_MAX_ENV 64
#define TR_PLAN_MAX_NOTES 4
#define TR_NIC_ID_MAX 160

/* Everything a plan is a function of. */
struct tr_plan_input {
	const struct tr_config *cfg;
	const struct tr_tenant *tenant;
	const struct tr_host_facts *host;
	/* What the container gives (NULL: nothing, e.g. a unit test). */
	const struct tr_container_facts *container;
	enum tr_role role;
	unsigned member;               /* 0 = primary, 1.. = secondaries */
	const char *app;               /* argv[0] as given */
	/* The app's real path (tool quirks go by its base name); NULL: app. */
	const char *app_path;
	/* The words after APP as the user wrote them (tr_plan_user_args):
	 * [EAL options] -- [app options], or, without any "--", all of them
	 * the app's. */
	char *const *app_args;
	int n_app_args;
	/*
	 * The running group's device arguments ("-a", "BDF", "--vdev=..."),
	 * from its record: a secondary whose {env:} NIC variable is unset in
	 * its container takes them (the device plugin sets PCIDEVICE_* only
	 * where the resource was requested). NULL when no group runs.
	 */
	char *const *group_devices;
	unsigned n_group_devices;
	/* The uid a tenant without `user:` runs as (host/dynuid.h); 0: none
	 * allocated, and such a tenant cannot be planned. */
	uid_t dynamic_uid;
	/* The caller's environment, for env.pass (NULL: none). */
	char *const *envp;
	/* runtimeRoot with symlinks resolved (names the cgroup); NULL: as
	 * written in the config. */
	const char *runtime_root_real;
	/* The network devices and namespace (host/netdev.c); NULL: none
	 * gathered (a unit test): devices are then "not checked". */
	const struct tr_net_facts *net;
};

struct tr_isolation {
	char runtime_root[4096];       /* host.runtimeRoot */
	char huge_root[4096];          /* host.hugepageDir */
	char runtime_dir[4096];        /* <runtimeRoot>/<tenant>, mode 0700 */
	char huge_dir[4096];           /* <hugepageDir>/<tenant> */
	uint64_t page_bytes;           /* hugepage size */
	uint64_t huge_limit_bytes;     /* whole pages: the tenant's hard quota */
	struct tr_cpuset cpus;         /* the tenant's cpus (cpuset cgroup),
					  narrowed to the container's */
	struct tr_cpuset member_cpus;  /* the cpus this member's lcores use */
	uint64_t numa_nodes;           /* bit n: NUMA node n to bind memory to;
					  0 = no binding */
	bool has_user;                 /* always: `user:`, else dynamic */
	bool dynamic_user;             /* uid/gid allocated (no `user:`) */
	uid_t uid;
	gid_t gid;
	unsigned n_supp;
	gid_t supp[TR_MAX_SUPP_GROUPS];
	uint64_t caps;                 /* bit n: keep capability n */
	enum tr_seccomp_kind seccomp;
	const char *seccomp_profile;   /* borrowed from the config */
	bool no_new_privs;             /* always true */
	/*
	 * The member's view of the host. mount_ns: the shim gives it a mount
	 * namespace (isolate/mountns.c: host read-only, .ledger and other
	 * tenants hidden) and an IPC namespace. Else (a container where the
	 * shim lacks CAP_SYS_ADMIN) the container's own namespaces are the
	 * view, and view_ro says which of TR_RO_* it keeps read-only.
	 */
	bool mount_ns;
	unsigned view_ro;
	/* The runtime dir's own tmpfs (common/layout.h), when the shim may
	 * mount one. */
	uint64_t rundir_bytes;
	unsigned rundir_inodes;
	unsigned huge_inodes;          /* hugetlbfs nr_inodes= */
	char cgroup[TR_CGROUP_NAME_MAX]; /* the tenant's group under each
					  hierarchy (common/cgnames.h); the
					  member's leaf is <cgroup>/m<member> */
	uint64_t pids_max;             /* pids.max of the tenant's group */
	uint64_t memory_max_bytes;     /* memory.max of the tenant's group */
	struct tr_net_plan net;        /* its network namespace, device checks */
};

/* What admission leases for the member: exclusive resources and the
 * quota are checked against every other running tenant. */
struct tr_claims {
	bool exclusive;                /* cpuPolicy exclusive: iso.cpus */
	unsigned n_nics;
	char nics[TR_MAX_NICS][TR_NIC_ID_MAX];   /* tr_nic_identity() */
	uint64_t quota_pages;          /* iso.huge_limit_bytes / page_bytes */
	unsigned max_secondaries;
	char lcores[256];              /* this member's lcore ids, "2,3" */
	char placement[512];           /* and where they run, "2@1,3@0" */
};

struct tr_plan {
	const char *tenant;            /* borrowed from the config */
	enum tr_role role;
	unsigned member;               /* 0 = primary, 1.. = secondaries */
	int argc;
	char *argv[TR_PLAN_MAX_ARGS + 1]; /* NULL-terminated, owned */
	int eal_first, eal_end;        /* argv[eal_first..eal_end) = EAL args */
	int user_eal_first;            /* argv[user_eal_first..eal_end) = the
					  user's own EAL options */
	int envc;
	char *env[TR_PLAN_MAX_ENV + 1];   /* "K=V", NULL-terminated, owned */
	unsigned n_lcores;
	unsigned per_primary, per_secondary;   /* the group's lcore layout
						  (lcores.*) the ids come from */
	unsigned lcore_ids[TR_MAX_MEMBER_LCORES];
	unsigned lcore_cpus[TR_MAX_MEMBER_LCORES];
	struct tr_isolation iso;
	struct tr_claims claims;
	unsigned n_notes;
	char notes[TR_PLAN_MAX_NOTES][512];
};

/*
 * The user's command line after APP, the DPDK habit: what comes before
 * the first "--" is EAL options, checked against what the tenant's YAML
 * owns (config/validate.c's table: an owned option is refused naming the
 * setting that owns it, EX_USAGE); what comes after it is the app's.
 * Without any "--" every word is the app's, as before. Pure.
 */
struct tr_user_args {
	int n_eal;        /* args[0..n_eal) are EAL options */
	int app_first;    /* args[app_first..n) are the app's */
};
int tr_plan_user_args(char *const *args, int n, struct tr_user_args *out,
		      struct tr_error *err);

/*
 * Build the plan. Returns 0, or -1 with err: EX_USAGE for a role/member the
 * tenant does not have, EX_DATAERR for what the config cannot give,
 * EX_CONFIG for what the container or the app cannot do with it. The
 * config must have passed validation. Messages state the fact; the caller
 * says which tenant (tr_report).
 */
int tr_plan_build(struct tr_plan *out, const struct tr_plan_input *in,
		  struct tr_error *err);

void tr_plan_free(struct tr_plan *p);

/* A note for the plan's reader (shown by plan, said by the shim): the
 * planner's and netplan.c's; dropped past TR_PLAN_MAX_NOTES (note.c). */
__attribute__((format(printf, 2, 3))) void tr_plan_note(struct tr_plan *p, const char *fmt,
							 ...);

/* The identity under which a NIC is exclusive: the BDF; for a vdev bound
 * to a kernel interface its "iface=X"; else the vdev's name, shown by
 * status but not leased (such a vdev exists only inside its process). */
void tr_nic_identity(const struct tr_nic *nic, char *buf, size_t len);

/* Where a member's view of the host comes from, in one phrase (plan and
 * status): its own mount namespace, or the container's read-only paths. */
void tr_view_format(bool mount_ns, unsigned view_ro, char *buf, size_t len);

/* Human-readable and JSON renderings (plan/print.c, `tenantrt plan`). */
void tr_plan_print(const struct tr_plan *p, const struct tr_tenant *t, FILE *out);
void tr_plan_print_json(const struct tr_plan *p, const struct tr_tenant *t,
			FILE *out);

#endif
