/* SPDX-License-Identifier: BSD-3-Clause */
#include "common/cgnames.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* FNV-1a: stable across builds and hosts, so a name can be predicted. */
static uint32_t root_id(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(1099511628211);
	}
	return (uint32_t)(h ^ (h >> 32));
}

void tr_cg_group_name(char *buf, size_t len, const char *runtime_root,
		      const char *tenant)
{
	snprintf(buf, len, TR_CGROUP_PARENT "/%08" PRIx32 "-%s",
		 root_id(runtime_root), tenant);
}

bool tr_cg_group_name_ok(const char *name)
{
	static const char parent[] = TR_CGROUP_PARENT "/";
	size_t n = strlen(name);
	if (n >= TR_CGROUP_NAME_MAX || strncmp(name, parent, sizeof(parent) - 1) != 0)
		return false;
	const char *c = name + sizeof(parent) - 1;
	if (*c == '\0')
		return false;
	for (; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		      *c == '-' || *c == '_'))
			return false;
	return true;
}

void tr_cg_hugetlb_size_name(uint64_t page_bytes, char *buf, size_t len)
{
	if (page_bytes >= (UINT64_C(1) << 30))
		snprintf(buf, len, "%" PRIu64 "GB", page_bytes >> 30);
	else if (page_bytes >= (UINT64_C(1) << 20))
		snprintf(buf, len, "%" PRIu64 "MB", page_bytes >> 20);
	else
		snprintf(buf, len, "%" PRIu64 "KB", page_bytes >> 10);
}

void tr_cg_hugetlb_limit_file(char *buf, size_t len, uint64_t page_bytes,
			      bool v2, bool rsvd)
{
	char sz[16];
	tr_cg_hugetlb_size_name(page_bytes, sz, sizeof(sz));
	snprintf(buf, len, "hugetlb.%s.%s%s", sz, rsvd ? "rsvd." : "",
		 v2 ? "max" : "limit_in_bytes");
}
