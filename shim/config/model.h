/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tenant model: what tenants.yaml says, as typed structs.
 *
 * Stages (each its own file):
 *   parse.c    parse: YAML -> struct tr_config (unvalidated), diagnostics
 *   resolve.c  resolve env NICs (PCIDEVICE_*) and user/group names; needs
 *              the environment and the passwd database, nothing else
 *   validate.c pure: whole-file rules against struct tr_host_facts
 *   plan.c     pure: (tenant, role, member) -> argv, env, isolation plan
 *
 * Every field a rule can complain about carries the mark (line:col, 1-based)
 * of its YAML node, so a diagnostic can point at it.
 */
#ifndef TR_CONFIG_MODEL_H
#define TR_CONFIG_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/cpuset.h"
#include "tenantrt_proto.h"

#define TR_NAME_MAX TR_TENANT_NAME_MAX  /* tenant name, incl. NUL: 31 chars */
#define TR_MAX_TENANTS 64
#define TR_MAX_NICS 16          /* per tenant, after env expansion */
#define TR_MAX_EAL_ARGS 32
#define TR_MAX_NUMA 32          /* RTE_MAX_NUMA_NODES in 22.11 */
#define TR_MAX_CAPS 16
#define TR_MAX_SUPP_GROUPS 8
#define TR_MAX_MEMBER_LCORES 64 /* lcores.perPrimary / perSecondary */
#define TR_MAX_ENV_PASS 16      /* env.pass entries */
#define TR_MAX_ENV_SET 16       /* env.set entries */

struct tr_mark {
	unsigned line; /* 1-based; 0 = not from the file (a default) */
	unsigned col;  /* 1-based */
};

enum tr_page_size {
	TR_PAGE_2M = 0,
	TR_PAGE_1G = 1,
};

struct tr_host {
	char *runtime_root;        /* default "/run/tenantrt" */
	struct tr_mark runtime_root_mark;
	/*
	 * Parent dir of the tenants' hugepage dirs; default
	 * "<runtimeRoot>/hugepages". The shim mounts a hugetlbfs per tenant
	 * at <hugepageDir>/<tenant> where it may; where it may not (a
	 * container without CAP_SYS_ADMIN) that dir must be a hugetlbfs
	 * already (e.g. a Kubernetes emptyDir with medium HugePages).
	 */
	char *hugepage_dir;
	struct tr_mark hugepage_dir_mark;
	enum tr_page_size page_size;  /* default 2M */
	struct tr_mark page_size_mark;
	bool has_cpus;
	struct tr_cpuset cpus;     /* cpus tenants may use; default: online */
	struct tr_mark cpus_mark;
	struct tr_mark mark;       /* the host mapping itself */
};

enum tr_nic_kind {
	TR_NIC_PCI,   /* "0000:3b:02.0" (also accepted: "3b:02.0") */
	TR_NIC_VDEV,  /* "net_null0", "net_af_packet0,iface=veth1" */
	TR_NIC_ENV,   /* {env: PCIDEVICE_X}: comma-separated BDFs; resolve.c
			 turns it into TR_NIC_PCI entries */
};

/*
 * What a PCI NIC may be (host/netdev.c reads the facts, plan/netplan.c
 * judges them before the device is granted): the driver it must be bound
 * to (NULL: vfio-pci; a bifurcated NIC names its own, e.g. mlx5_core), and
 * for an {env:} NIC the devices the variable may name: the BDFs in allow,
 * or the VFs of the PF pf. Neither set: any device passing the checks.
 */
struct tr_nic_policy {
	char *driver;
	char *pf;
	unsigned n_allow;
	char *allow[TR_MAX_NICS];
};

struct tr_nic {
	enum tr_nic_kind kind;
	char *spec;              /* BDF (normalised to domain form by
				    resolve), vdev string, or env var name */
	char *from_env;          /* for PCI from TR_NIC_ENV: the variable */
	struct tr_nic_policy policy;   /* PCI and env NICs */
	struct tr_mark mark;
};

/* The tenant's network namespace (network: in tenants.yaml). */
enum tr_network {
	TR_NET_OWN = 0,    /* default: its own; empty unless it has kernel
			      interfaces, which are moved into it */
	TR_NET_HOST = 1,   /* the shim's (the host's, or the container's) */
};

struct tr_memory {
	bool has_total;
	uint64_t total_mb;                  /* -> -m */
	struct tr_mark total_mark;
	bool has_socket;
	unsigned n_socket;
	uint64_t socket_mb[TR_MAX_NUMA];    /* -> --socket-mem */
	struct tr_mark socket_mark;
	bool has_limit;
	uint64_t limit_mb;                  /* hard limit; default = prealloc */
	struct tr_mark limit_mark;
	struct tr_mark mark;
};

enum tr_cpu_policy {
	TR_CPU_EXCLUSIVE = 0,
	TR_CPU_SHARED = 1,
};

/* How many lcore ids each member gets, and on which of the tenant's cpus. */
struct tr_lcores {
	unsigned per_primary;       /* default 2: main lcore + one worker */
	unsigned per_secondary;     /* default 2 */
	bool has_primary_cpus;
	struct tr_cpuset primary_cpus;   /* default: the tenant's cpus */
	bool has_secondary_cpus;
	struct tr_cpuset secondary_cpus;
	struct tr_mark mark;
};

struct tr_group {
	unsigned max_secondaries;        /* default 0: an independent primary */
	bool single_file_segments;       /* default false */
	bool allow_foreign_binaries;     /* default false */
	struct tr_mark mark;
};

/* Liveness and the shim's watchdog (health/liveness.h, run/watchdog.h). */
#define TR_HEALTH_STARTUP_DEFAULT 60
#define TR_HEALTH_STALL_DEFAULT 5
struct tr_health_conf {
	unsigned watchdog;          /* seconds a stuck group may stay stuck
				       before a member's shim stops it; 0 = off */
	unsigned startup;           /* seconds a member may take to come up */
	unsigned stall;             /* seconds without progress: stuck */
	struct tr_mark mark;
};

struct tr_user {
	bool set;
	char *user;        /* as written: "1000" or "dpdk" */
	char *group;       /* as written, may be NULL: then the user's group */
	uid_t uid;         /* filled by resolve */
	gid_t gid;
	bool resolved;     /* resolve found uid and gid */
	unsigned n_supp;
	gid_t supp[TR_MAX_SUPP_GROUPS];  /* supplementaryGroups, resolved */
	char *supp_names[TR_MAX_SUPP_GROUPS];
	struct tr_mark supp_marks[TR_MAX_SUPP_GROUPS];
	struct tr_mark mark;
};

enum tr_seccomp_kind {
	TR_SECCOMP_DEFAULT = 0,
	TR_SECCOMP_UNCONFINED = 1,
	TR_SECCOMP_PROFILE = 2,   /* path to a profile file */
};

struct tr_security {
	enum tr_seccomp_kind seccomp;
	char *seccomp_profile;            /* TR_SECCOMP_PROFILE only */
	struct tr_mark seccomp_mark;
	unsigned n_caps;
	int caps[TR_MAX_CAPS];            /* extra CAP_* numbers to keep */
	struct tr_mark caps_mark;
	struct tr_mark mark;
};

struct tr_datapath {
	/* TENANTRT_DATAPATH's fields (tenantrt_proto.h: bounds, defaults) */
	enum tr_dp_mode mode;       /* default distribute */
	unsigned burst;             /* default 32, 1..512 */
	unsigned ring_size;         /* default 1024, power of two */
	unsigned queues;            /* default 0 = one per member */
	struct tr_mark mark;
};

/*
 * What the kernel holds the whole tenant (all its members) to, besides its
 * hugepages and cpus: cgroup pids.max and memory.max. Defaults in model.c
 * (tr_tenant_pids_max, tr_tenant_memory_max_mb).
 */
struct tr_limits {
	bool has_pids;
	uint64_t pids;               /* processes and threads */
	struct tr_mark pids_mark;
	bool has_memory;
	uint64_t memory_mb;          /* MiB of memory, hugepages not counted */
	struct tr_mark memory_mark;
	struct tr_mark mark;
};

/*
 * The app's environment beyond what the plan sets (tenantrt's identity
 * variables and PATH): variables passed from the caller by name or prefix
 * ("NAME", "PREFIX_*"), and fixed ones. Nothing else of the caller's
 * environment reaches the app.
 */
struct tr_env {
	unsigned n_pass;
	char *pass[TR_MAX_ENV_PASS];
	struct tr_mark pass_marks[TR_MAX_ENV_PASS];
	unsigned n_set;
	char *set_key[TR_MAX_ENV_SET];
	char *set_val[TR_MAX_ENV_SET];
	struct tr_mark set_marks[TR_MAX_ENV_SET];
	struct tr_mark mark;
};

struct tr_tenant {
	char name[TR_NAME_MAX];
	struct tr_mark name_mark;
	struct tr_mark mark;            /* the tenant mapping */
	struct tr_memory memory;
	bool has_cpus;
	struct tr_cpuset cpus;
	struct tr_mark cpus_mark;
	enum tr_cpu_policy cpu_policy;
	struct tr_mark cpu_policy_mark;
	struct tr_lcores lcores;
	unsigned n_nics;
	struct tr_nic nics[TR_MAX_NICS];
	enum tr_network network;
	struct tr_mark network_mark;
	struct tr_group group;
	struct tr_user user;
	struct tr_security security;
	struct tr_datapath datapath;
	struct tr_health_conf health;
	struct tr_limits limits;
	struct tr_env env;
	unsigned n_eal;
	char *eal[TR_MAX_EAL_ARGS];     /* extra EAL args, validated */
	struct tr_mark eal_marks[TR_MAX_EAL_ARGS];
};

struct tr_config {
	char *file;                     /* path, for diagnostics */
	struct tr_host host;
	unsigned n_tenants;
	struct tr_tenant tenants[TR_MAX_TENANTS];
};

/* What validation and planning need to know of the host; gathered by
 * hostfacts.c (sysfs, libnuma), made up by unit tests. */
struct tr_host_facts {
	struct tr_cpuset online;        /* online cpus */
	unsigned numa_nodes;            /* nodes 0..numa_nodes-1 */
	uint64_t pool_pages[2];         /* HugePages_Total per enum tr_page_size */
	uint64_t free_pages[2];         /* HugePages_Free per size */
	unsigned max_lcore;             /* RTE_MAX_LCORE of the DPDK build */
	/* NUMA node of each cpu (libnuma); 0 where unknown, so facts made
	 * up in tests that leave it zero mean "everything on node 0". */
	unsigned cpu_node[TR_MAX_CPUS];
};

/* What the container (or pod) this member runs in gives: ceilings the plan
 * narrows the tenant to. Read by host/container.c; all false on a host
 * without limits, or in tests that make them up. */
struct tr_container_facts {
	bool has_cpus;
	struct tr_cpuset cpus;          /* the cpus this process may use */
	char cpus_from[64];             /* where cpus came from, for messages */
	bool has_huge_limit;
	uint64_t huge_limit_bytes;      /* the smallest hugetlb ceiling found */
	char huge_from[300];            /* the file or variable it came from */
	/*
	 * The member's view of the host: whether the shim can give each
	 * member a mount namespace of its own (it holds CAP_SYS_ADMIN), and
	 * else which host paths the container itself keeps read-only
	 * (TR_RO_* bits, read from the mounts).
	 */
	bool no_mount_ns;               /* false: the shim makes one */
	unsigned ro_paths;              /* TR_RO_* the container makes read-only */
};

/* Host paths whose read-only state plan and status report. */
#define TR_RO_ROOT 1u           /* "/" */
#define TR_RO_PROC_SYS 2u       /* /proc/sys */
#define TR_RO_SYS 4u            /* /sys */
#define TR_RO_CGROUP 8u         /* /sys/fs/cgroup */
#define TR_RO_ALL 15u
/* "/", "/proc/sys", "/sys", "/sys/fs/cgroup" for a TR_RO_* bit. */
const char *tr_ro_path(unsigned bit);

static inline uint64_t tr_page_bytes(enum tr_page_size s)
{
	return s == TR_PAGE_1G ? UINT64_C(1) << 30 : UINT64_C(2) << 20;
}

/* The pre-allocation in MiB: totalMb, or the sum of socketMb. */
uint64_t tr_tenant_prealloc_mb(const struct tr_tenant *t);
/* The hard limit in MiB: limitMb, or the pre-allocation. */
uint64_t tr_tenant_limit_mb(const struct tr_tenant *t);
/* limits.pids, or 256 + 32 per secondary slot: a testpmd primary runs 6
 * threads, a secondary 4, each extra lcore one more. */
uint64_t tr_tenant_pids_max(const struct tr_tenant *t);
/* limits.memoryMb, or 512 + 64 per secondary slot: a testpmd primary
 * uses ~9 MiB besides hugepages (57 MiB with mlockall), a secondary ~8
 * (~40 with mlockall), shared libraries ~21 on a cold page cache. */
uint64_t tr_tenant_memory_max_mb(const struct tr_tenant *t);
/* Is NAME one of the variables the plan always sets (RUNTIME_DIRECTORY,
 * TENANTRT_*)? env.set may not change them, env.pass does not carry them. */
bool tr_env_reserved(const char *name);
/* Does an env.pass entry ("NAME" or "PREFIX*") take variable NAME? */
bool tr_env_pass_matches(const char *pattern, const char *name);
/* The tenant's cpus: its own, or the host's usable cpus. */
const struct tr_cpuset *tr_tenant_cpus(const struct tr_config *cfg,
				       const struct tr_host_facts *facts,
				       const struct tr_tenant *t);
const struct tr_tenant *tr_config_find(const struct tr_config *cfg,
				       const char *name);
/* A deep copy of a NIC's policy (dst is overwritten); -1 when out of
 * memory (dst is then empty). And its release. */
int tr_nic_policy_copy(struct tr_nic_policy *dst, const struct tr_nic_policy *src);
void tr_nic_policy_free(struct tr_nic_policy *p);
/* Fill defaults in a zeroed tenant / host (used by the parser). */
void tr_tenant_defaults(struct tr_tenant *t);
void tr_host_defaults(struct tr_host *h);
/* Free what a tenant owns and zero it. */
void tr_tenant_free(struct tr_tenant *t);
void tr_config_free(struct tr_config *cfg);
/* An empty configuration: its header zeroed. A tenant's slot is zeroed
 * when the parser takes it, and nothing reads past n_tenants; zeroing all
 * TR_MAX_TENANTS slots (340 KB) made every start fault in 85 pages. */
void tr_config_clear(struct tr_config *cfg);

#define TR_DEFAULT_RUNTIME_ROOT "/run/tenantrt"
/* host.runtimeRoot, or its default. */
const char *tr_host_runtime_root(const struct tr_host *h);
/* host.hugepageDir into buf, or its default "<runtimeRoot>/hugepages". */
const char *tr_host_hugepage_dir(const struct tr_host *h, char *buf,
				 size_t len);

#endif
