/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Names in the cgroup filesystem, written once for the reader of the
 * container's ceilings (host/container.c) and the writer of the tenant's
 * limits (isolate/cgroup.c, which holds everything else about cgroupfs):
 *
 *   tenantrt/<root-id>-<tenant>      a tenant's group, under every hierarchy
 *   tenantrt/<root-id>-<tenant>/m<N> the group of its member N (0: primary)
 *   hugetlb.<size>.<limit file>      the kernel's hugetlb file names
 *
 * <root-id> is 8 hex digits of a hash of the canonical runtimeRoot, so the
 * same tenant name under two runtimeRoots (two configs, two test runs) gets
 * two groups and neither lands in the other's limits. Leases record the
 * group name, so a reclaim finds it without the config.
 */
#ifndef TR_COMMON_CGNAMES_H
#define TR_COMMON_CGNAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TR_CGROUP_PARENT "tenantrt"
/* "tenantrt/" + 8 hex + "-" + a tenant name (31) + NUL, rounded up. */
#define TR_CGROUP_NAME_MAX 64

/* The tenant's group name for a runtimeRoot (canonical path). Pure. */
void tr_cg_group_name(char *buf, size_t len, const char *runtime_root,
		      const char *tenant);

/* Is name a group tr_cg_group_name() can make ("tenantrt/" and one
 * component of [a-z0-9_-])? Leases are read back: never trust a path. */
bool tr_cg_group_name_ok(const char *name);

/* The kernel's name of a hugepage size in hugetlb files: "2MB", "1GB"
 * (mm/hugetlb_cgroup.c: GB, MB or KB). */
void tr_cg_hugetlb_size_name(uint64_t page_bytes, char *buf, size_t len);

/* A hugetlb limit file: "hugetlb.2MB.max" (v2) or
 * "hugetlb.2MB.limit_in_bytes" (v1); rsvd: the reservation's
 * ("hugetlb.2MB.rsvd.max", "hugetlb.2MB.rsvd.limit_in_bytes"). */
void tr_cg_hugetlb_limit_file(char *buf, size_t len, uint64_t page_bytes,
			      bool v2, bool rsvd);

#endif
