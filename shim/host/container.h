/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a container runtime or Kubernetes gives this container, read as
 * ceilings on what tenants.yaml asks for (struct tr_container_facts, an
 * input of the plan, which narrows the tenant to them):
 *
 *   cpus       the cpus this process may run on (/proc/self/status
 *              Cpus_allowed_list: the cpuset cgroup, i.e. the static CPU
 *              manager's exclusive cpus, narrowed by any affinity);
 *   hugepages  the hugetlb cgroup limit (v2 hugetlb.<size>.max, v1
 *              hugetlb.<size>.limit_in_bytes; the smallest along the path
 *              to the root, as the kernel enforces every level) and the
 *              downward-API value a pod spec puts in TENANTRT_HUGEPAGES_LIMIT
 *              (resourceFieldRef limits.hugepages-2Mi, divisor 1: bytes).
 *
 * Parsers are pure (text in, values out) for unit tests; the probe reads
 * files under a root prefix ("" in production, a made-up tree in tests).
 */
#ifndef TR_HOST_CONTAINER_H
#define TR_HOST_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/cpuset.h"
#include "common/error.h"
#include "config/model.h"

/* The downward-API variable a pod spec fills with limits.hugepages-<size>. */
#define TR_HUGEPAGES_LIMIT_ENV "TENANTRT_HUGEPAGES_LIMIT"

/* "Cpus_allowed_list:\t0-3,8" out of /proc/<pid>/status text. */
int tr_container_parse_cpus_allowed(const char *status, struct tr_cpuset *out,
				    char *why, size_t why_len);

/*
 * A hugetlb limit file's value: "max" (v2) or a byte count. v1's "no limit"
 * is a huge count near LONG_MAX; anything >= 2^62 counts as unlimited.
 * Returns 0 with *limited and *bytes set, or -1 when it is not a number.
 */
int tr_container_parse_hugetlb_value(const char *text, bool *limited,
				     uint64_t *bytes);

/*
 * A Kubernetes quantity as the downward API prints it (bytes: "268435456"),
 * also "256Mi" / "1Gi" / "512Ki" when written by hand. -1 if malformed.
 */
int tr_container_parse_quantity(const char *text, uint64_t *bytes);

/*
 * From /proc/self/cgroup text: the v2 path ("0::/x") and the v1 path of
 * the hierarchy carrying the hugetlb controller. Empty string when absent.
 */
void tr_container_parse_proc_cgroup(const char *text, char *v2, size_t v2_len,
				    char *v1_hugetlb, size_t v1_len);

/*
 * Read this container's ceilings: files under root ("" = the real ones),
 * the hugepage variable from envp. Missing sources are not errors (a host
 * without limits has none); unreadable or malformed ones are (EX_OSFILE,
 * EX_CONFIG for a malformed variable).
 */
int tr_container_probe(struct tr_container_facts *out, const char *root,
		       enum tr_page_size page, char *const envp[],
		       struct tr_error *err);

#endif
