/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the container or pod gives (host/container.h): parsers first (pure),
 * then the probe that reads the files.
 */
#include "host/container.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cgnames.h"
#include "common/cleanup.h"
#include "common/fsutil.h"

/* --- parsers ------------------------------------------------------------- */

int tr_container_parse_cpus_allowed(const char *status, struct tr_cpuset *out,
			      char *why, size_t why_len)
{
	static const char key[] = "Cpus_allowed_list:";
	for (const char *line = status; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		if (len > sizeof(key) - 1 && strncmp(line, key, sizeof(key) - 1) == 0) {
			const char *v = line + sizeof(key) - 1;
			while (v < line + len && isspace((unsigned char)*v))
				v++;
			char list[4096];
			size_t n = (size_t)(line + len - v);
			if (n >= sizeof(list)) {
				snprintf(why, why_len, "Cpus_allowed_list is too long");
				return -1;
			}
			memcpy(list, v, n);
			list[n] = '\0';
			return tr_cpuset_parse(out, list, why, why_len);
		}
		line = nl ? nl + 1 : NULL;
	}
	snprintf(why, why_len, "no Cpus_allowed_list line");
	return -1;
}

static int parse_u64(const char *s, const char **end, uint64_t *out)
{
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	char *e;
	unsigned long long v = strtoull(s, &e, 10);
	if (errno == ERANGE)
		return -1;
	*out = v;
	*end = e;
	return 0;
}

static bool only_space(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

int tr_container_parse_hugetlb_value(const char *text, bool *limited, uint64_t *bytes)
{
	while (isspace((unsigned char)*text))
		text++;
	if (strncmp(text, "max", 3) == 0 && only_space(text + 3)) {
		*limited = false;
		*bytes = 0;
		return 0;
	}
	const char *end;
	uint64_t v;
	if (parse_u64(text, &end, &v) < 0 || !only_space(end))
		return -1;
	/* v1 shows "no limit" as PAGE_COUNTER_MAX pages, about 2^63. */
	*limited = v < (UINT64_C(1) << 62);
	*bytes = *limited ? v : 0;
	return 0;
}

int tr_container_parse_quantity(const char *text, uint64_t *bytes)
{
	static const struct {
		const char *suffix;
		unsigned shift;
	} units[] = { { "", 0 }, { "Ki", 10 }, { "Mi", 20 }, { "Gi", 30 }, { "Ti", 40 } };
	while (isspace((unsigned char)*text))
		text++;
	const char *end;
	uint64_t v;
	if (parse_u64(text, &end, &v) < 0)
		return -1;
	for (size_t i = 0; i < TR_ARRAY_SIZE(units); i++) {
		size_t n = strlen(units[i].suffix);
		if (strncmp(end, units[i].suffix, n) != 0 || !only_space(end + n))
			continue;
		if (units[i].shift && v > (UINT64_MAX >> units[i].shift))
			return -1;
		*bytes = v << units[i].shift;
		return 0;
	}
	return -1;
}

void tr_container_parse_proc_cgroup(const char *text, char *v2, size_t v2_len,
			      char *v1_hugetlb, size_t v1_len)
{
	if (v2_len)
		v2[0] = '\0';
	if (v1_len)
		v1_hugetlb[0] = '\0';
	/* "ID:CONTROLLERS:PATH" per line; v2 is "0::PATH". */
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		const char *eol = nl ? nl : line + strlen(line);
		const char *c1 = memchr(line, ':', (size_t)(eol - line));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(eol - c1 - 1)) : NULL;
		if (c2) {
			const char *path = c2 + 1;
			size_t plen = (size_t)(eol - path);
			size_t clen = (size_t)(c2 - c1 - 1);
			if (clen == 0 && c1 - line == 1 && line[0] == '0') {
				tr_copy_field(v2, v2_len, path, plen);
			} else {
				/* "hugetlb" as one of the comma-separated names */
				const char *p = c1 + 1;
				while (p < c2) {
					const char *comma = memchr(p, ',', (size_t)(c2 - p));
					const char *e = comma ? comma : c2;
					if (e - p == 7 && strncmp(p, "hugetlb", 7) == 0)
						tr_copy_field(v1_hugetlb, v1_len, path, plen);
					p = e + 1;
				}
			}
		}
		line = nl ? nl + 1 : NULL;
	}
}

/* --- the probe ----------------------------------------------------------- */

static void take_ceiling(struct tr_container_facts *out, uint64_t bytes,
			 const char *from)
{
	if (out->has_huge_limit && out->huge_limit_bytes <= bytes)
		return;
	out->has_huge_limit = true;
	out->huge_limit_bytes = bytes;
	snprintf(out->huge_from, sizeof(out->huge_from), "%s", from);
}

/*
 * Every level from cgroup path up to the root of the hierarchy mounted at
 * mnt: the kernel charges each level, so the smallest limit is the one
 * that bites. Levels that do not exist in this mount view are skipped
 * (a private cgroup namespace shows only its own subtree).
 */
static int probe_hugetlb_tree(struct tr_container_facts *out, const char *root,
			      const char *mnt, const char *cgpath,
			      const char *file, struct tr_error *err)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s", cgpath);
	for (;;) {
		char full[PATH_MAX + 512];
		size_t plen = strlen(path);
		while (plen > 0 && path[plen - 1] == '/')
			path[--plen] = '\0';
		snprintf(full, sizeof(full), "%s%s%s/%s", root, mnt, path, file);
		char buf[64];
		if (tr_read_text(full, buf, sizeof(buf)) >= 0) {
			buf[strcspn(buf, "\n")] = '\0'; /* keep messages one line */
			bool limited;
			uint64_t bytes;
			if (tr_container_parse_hugetlb_value(buf, &limited, &bytes) < 0)
				return tr_err(err, EX_OSFILE, "%s holds \"%.20s\", "
					      "not a limit", full + strlen(root), buf);
			if (limited)
				take_ceiling(out, bytes, full + strlen(root));
		} else if (errno != ENOENT && errno != ENOTDIR) {
			return tr_err_sys(err, EX_OSFILE, errno, "cannot read %s",
					  full + strlen(root));
		}
		if (plen == 0)
			return 0;
		char *slash = strrchr(path, '/');
		if (slash == NULL)
			path[0] = '\0';
		else
			*slash = '\0';
	}
}

int tr_container_probe(struct tr_container_facts *out, const char *root,
		 enum tr_page_size page, char *const envp[],
		 struct tr_error *err)
{
	memset(out, 0, sizeof(*out));
	char path[PATH_MAX];
	char buf[16384];

	snprintf(path, sizeof(path), "%s/proc/self/status", root);
	if (tr_read_text(path, buf, sizeof(buf)) < 0)
		return tr_err_sys(err, EX_OSFILE, errno, "cannot read /proc/self/status");
	char why[128];
	if (tr_container_parse_cpus_allowed(buf, &out->cpus, why, sizeof(why)) < 0)
		return tr_err(err, EX_OSFILE, "/proc/self/status: %s", why);
	out->has_cpus = true;
	snprintf(out->cpus_from, sizeof(out->cpus_from), "Cpus_allowed_list");

	uint64_t page_bytes = tr_page_bytes(page);
	snprintf(path, sizeof(path), "%s/proc/self/cgroup", root);
	if (tr_read_text(path, buf, sizeof(buf)) >= 0) {
		char v2[PATH_MAX], v1[PATH_MAX], file[64];
		tr_container_parse_proc_cgroup(buf, v2, sizeof(v2), v1, sizeof(v1));
		if (v2[0]) {
			/* Pure v2 mounts at /sys/fs/cgroup, hybrid hosts at
			 * /sys/fs/cgroup/unified. */
			tr_cg_hugetlb_limit_file(file, sizeof(file), page_bytes, true, false);
			if (probe_hugetlb_tree(out, root, "/sys/fs/cgroup", v2, file, err) < 0 ||
			    probe_hugetlb_tree(out, root, "/sys/fs/cgroup/unified", v2,
					       file, err) < 0)
				return -1;
		}
		if (v1[0]) {
			tr_cg_hugetlb_limit_file(file, sizeof(file), page_bytes, false, false);
			if (probe_hugetlb_tree(out, root, "/sys/fs/cgroup/hugetlb", v1,
					       file, err) < 0)
				return -1;
		}
	} else if (errno != ENOENT) {
		return tr_err_sys(err, EX_OSFILE, errno, "cannot read /proc/self/cgroup");
	}

	const char *dapi = tr_env_get(envp, TR_HUGEPAGES_LIMIT_ENV);
	if (dapi != NULL && *dapi != '\0') {
		uint64_t bytes;
		if (tr_container_parse_quantity(dapi, &bytes) < 0)
			return tr_err(err, EX_CONFIG, "%s=\"%.40s\" is not a byte count; "
				      "fill it from resourceFieldRef "
				      "limits.hugepages-%s with divisor 1",
				      TR_HUGEPAGES_LIMIT_ENV, dapi,
				      page == TR_PAGE_1G ? "1Gi" : "2Mi");
		/* 0 means the pod set no hugepages limit for this size. */
		if (bytes > 0)
			take_ceiling(out, bytes, TR_HUGEPAGES_LIMIT_ENV);
	}
	return 0;
}
