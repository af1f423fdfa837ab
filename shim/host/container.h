/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a container runtime or Kubernetes gives this container, read as
 * ceilings on what tenants.yaml asks for, and the group's one-PID-namespace
 * rule:
 *
 *   cpus       the cpus this process may run on (/proc/self/status
 *              Cpus_allowed_list: the cpuset cgroup, i.e. the static CPU
 *              manager's exclusive cpus, narrowed by any affinity); the
 *              tenant gets its cpus intersected with them;
 *   hugepages  the hugetlb cgroup limit (v2 hugetlb.<size>.max, v1
 *              hugetlb.<size>.limit_in_bytes; the smallest along the path
 *              to the root, as the kernel enforces every level) and the
 *              downward-API value a pod spec puts in
 *              TENANTRT_HUGEPAGES_LIMIT (resourceFieldRef
 *              limits.hugepages-2Mi, divisor 1: bytes);
 *   NICs       PCIDEVICE_<RESOURCE>_INFO (device-info spec JSON) next to
 *              the PCIDEVICE_<RESOURCE> list resolve.c expands: each
 *              device's vfio group node must be in the container;
 *   pid clash  DPDK names a secondary's files after its pid
 *              (fbarray_memseg-*_<pid>); a live holder that this PID
 *              namespace cannot see is a group split over PID namespaces.
 *
 * Parsers are pure (text in, values out) for unit tests; the probes read
 * files under a root prefix ("" in production, a made-up tree in tests).
 * Errors follow error.h: one line, -1, EX_CONFIG for a contradiction with
 * tenants.yaml, EX_UNAVAILABLE for a split PID namespace.
 */
#ifndef TR_HOST_CONTAINER_H
#define TR_HOST_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/cpuset.h"
#include "common/error.h"
#include "config/model.h"

/* The downward-API variable a pod spec fills with limits.hugepages-<size>. */
#define TR_K8S_HUGEPAGES_ENV "TENANTRT_HUGEPAGES_LIMIT"

struct tr_k8s_limits {
	bool has_cpus;
	struct tr_cpuset cpus;
	char cpus_from[64];          /* where cpus came from, for messages */
	bool has_huge_limit;
	uint64_t huge_limit_bytes;   /* the smallest ceiling found */
	char huge_from[300];         /* the file or variable it came from */
};

/* "Cpus_allowed_list:\t0-3,8" out of /proc/<pid>/status text. */
int tr_k8s_parse_cpus_allowed(const char *status, struct tr_cpuset *out,
			      char *why, size_t why_len);

/*
 * A hugetlb limit file's value: "max" (v2) or a byte count. v1's "no limit"
 * is a huge count near LONG_MAX; anything >= 2^62 counts as unlimited.
 * Returns 0 with *limited and *bytes set, or -1 when it is not a number.
 */
int tr_k8s_parse_hugetlb_value(const char *text, bool *limited,
			       uint64_t *bytes);

/*
 * A Kubernetes quantity as the downward API prints it (bytes: "268435456"),
 * also "256Mi" / "1Gi" / "512Ki" when written by hand. -1 if malformed.
 */
int tr_k8s_parse_quantity(const char *text, uint64_t *bytes);

/*
 * From /proc/self/cgroup text: the v2 path ("0::/x") and the v1 path of
 * the hierarchy carrying the hugetlb controller. Empty string when absent.
 */
void tr_k8s_parse_proc_cgroup(const char *text, char *v2, size_t v2_len,
			      char *v1_hugetlb, size_t v1_len);

/*
 * The vfio group node ("dev-mount") of one device in a device-info JSON
 * ({"0000:3b:02.0":{"generic":{...},"vfio":{"dev-mount":"/dev/vfio/42",
 * ...}}}). Returns 1 and fills out when the device has one, 0 when the
 * device is listed without vfio (a netdevice VF), -1 when the device is
 * not in the JSON at all or the JSON is malformed around it.
 */
int tr_k8s_info_dev_mount(const char *info_json, const char *bdf, char *out,
			  size_t out_len);

/*
 * Holders of the flock on file (dev, ino) in /proc/locks text: fills up
 * to max pids as this PID namespace sees them (0 = holder not visible in
 * this namespace); returns how many holders were found.
 */
unsigned tr_k8s_lock_holders(const char *proc_locks, dev_t dev, ino_t ino,
			     pid_t *pids, unsigned max);

/*
 * The pid a DPDK per-process file is named after ("fbarray_memseg-2048k-
 * 0-0_42" -> 42), or -1 for any other name.
 */
pid_t tr_k8s_dpdk_file_pid(const char *name);

/*
 * Read this container's ceilings: files under root ("" = the real ones),
 * the hugepage variable from envp. Missing sources are not errors (a host
 * without limits has none); unreadable or malformed ones are.
 */
int tr_k8s_probe(struct tr_k8s_limits *out, const char *root,
		 enum tr_page_size page, char *const envp[],
		 struct tr_error *err);

/*
 * Check tenant t of cfg against the container's limits and narrow it:
 * t->cpus becomes tenant_cpus (its own or the host's) intersected with the
 * container's cpus. Errors, one line each: the two cpu sets are disjoint;
 * for a primary, the tenant's hugepage limit is above the container's
 * ceiling. A secondary's ceiling is not checked: it maps the primary's
 * pages and has the primary fault in new ones (DPDK multi-process), so the
 * hugetlb cgroup charges the primary's container for the whole group.
 */
int tr_k8s_apply_limits(const struct tr_config *cfg, struct tr_tenant *t,
			const struct tr_cpuset *tenant_cpus,
			const struct tr_k8s_limits *lim, bool primary,
			struct tr_error *err);

/*
 * For each of t's PCI NICs that came from PCIDEVICE_X (nic->from_env):
 * when PCIDEVICE_X_INFO is set, the device must be listed in it, and its
 * vfio group node (if any) must exist under root.
 */
int tr_k8s_check_device_info(const struct tr_config *cfg,
			     const struct tr_tenant *t, const char *root,
			     char *const envp[], struct tr_error *err);

/*
 * Refuse to start a group member whose PID namespace differs from the
 * group's: dpdk_dir is the tenant's DPDK runtime dir
 * (<runtimeRoot>/<tenant>/dpdk/<prefix>); locks_path is /proc/locks. A
 * per-process file held by a process this namespace cannot see, or sees
 * under another pid than the file's name, means DPDK's pid-named files
 * will clash. A missing dir is fine (no member yet).
 */
int tr_k8s_check_pid_namespace(const char *tenant, const char *dpdk_dir,
			       const char *locks_path, struct tr_error *err);

/*
 * A secondary's first check, before any pid-named file exists: DPDK's
 * primary holds an fcntl lock on <dpdk_dir>/config, and F_GETLK reports
 * its pid as 0 when the holder is outside this PID namespace. Such a
 * primary is "gone" to every pid-based liveness check of the group.
 * Fine when nobody holds the lock (the role decision deals with that).
 */
int tr_k8s_check_primary_visible(const char *tenant, const char *dpdk_dir,
				 struct tr_error *err);

#endif
