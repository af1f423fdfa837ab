/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Container and Kubernetes ceilings (see k8s.h). Parsers first (pure),
 * then the probes that read files, then the checks against tenants.yaml.
 */
#include "host/container.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/cleanup.h"

#define MIB (UINT64_C(1) << 20)

static inline void closedirp(DIR **d)
{
	if (*d != NULL)
		closedir(*d);
}

/* --- parsers ------------------------------------------------------------- */

int tr_k8s_parse_cpus_allowed(const char *status, struct tr_cpuset *out,
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

int tr_k8s_parse_hugetlb_value(const char *text, bool *limited, uint64_t *bytes)
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

int tr_k8s_parse_quantity(const char *text, uint64_t *bytes)
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

static void copy_field(char *out, size_t len, const char *s, size_t n)
{
	if (len == 0)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

void tr_k8s_parse_proc_cgroup(const char *text, char *v2, size_t v2_len,
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
				copy_field(v2, v2_len, path, plen);
			} else {
				/* "hugetlb" as one of the comma-separated names */
				const char *p = c1 + 1;
				while (p < c2) {
					const char *comma = memchr(p, ',', (size_t)(c2 - p));
					const char *e = comma ? comma : c2;
					if (e - p == 7 && strncmp(p, "hugetlb", 7) == 0)
						copy_field(v1_hugetlb, v1_len, path, plen);
					p = e + 1;
				}
			}
		}
		line = nl ? nl + 1 : NULL;
	}
}

/* Skip a JSON string starting at s (on the opening quote); NULL if cut. */
static const char *skip_string(const char *s)
{
	for (s++; *s; s++) {
		if (*s == '\\') {
			if (*++s == '\0')
				return NULL;
		} else if (*s == '"') {
			return s + 1;
		}
	}
	return NULL;
}

/* The end (one past '}') of the object starting at s ('{'), or NULL. */
static const char *skip_object(const char *s)
{
	int depth = 0;
	while (*s) {
		if (*s == '"') {
			s = skip_string(s);
			if (s == NULL)
				return NULL;
			continue;
		}
		if (*s == '{' || *s == '[')
			depth++;
		else if ((*s == '}' || *s == ']') && --depth == 0)
			return s + 1;
		s++;
	}
	return NULL;
}

static const char *skip_ws(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return s;
}

/*
 * Find the member "key" directly inside the object [obj, end) and return
 * its value's start, or NULL. Only the top level of that object counts, so
 * a "dev-mount" inside another device's entry is never taken for ours.
 */
static const char *object_member(const char *obj, const char *end,
				 const char *key)
{
	const char *s = skip_ws(obj + 1);
	size_t klen = strlen(key);
	while (s < end && *s == '"') {
		const char *kend = skip_string(s);
		if (kend == NULL || kend > end)
			return NULL;
		bool match = (size_t)(kend - s - 2) == klen &&
			     strncmp(s + 1, key, klen) == 0;
		s = skip_ws(kend);
		if (*s != ':')
			return NULL;
		s = skip_ws(s + 1);
		if (match)
			return s;
		/* skip the value */
		if (*s == '{' || *s == '[')
			s = skip_object(s);
		else if (*s == '"')
			s = skip_string(s);
		else
			while (s && s < end && *s != ',' && *s != '}')
				s++;
		if (s == NULL || s >= end)
			return NULL;
		s = skip_ws(s);
		if (*s == ',')
			s = skip_ws(s + 1);
	}
	return NULL;
}

int tr_k8s_info_dev_mount(const char *info_json, const char *bdf, char *out,
			  size_t out_len)
{
	const char *top = skip_ws(info_json);
	if (*top != '{')
		return -1;
	const char *top_end = skip_object(top);
	if (top_end == NULL)
		return -1;
	const char *dev = object_member(top, top_end, bdf);
	if (dev == NULL || *dev != '{')
		return -1;
	const char *dev_end = skip_object(dev);
	if (dev_end == NULL)
		return -1;
	const char *vfio = object_member(dev, dev_end, "vfio");
	if (vfio == NULL)
		return 0;
	if (*vfio != '{')
		return -1;
	const char *vfio_end = skip_object(vfio);
	if (vfio_end == NULL)
		return -1;
	const char *mnt = object_member(vfio, vfio_end, "dev-mount");
	if (mnt == NULL)
		return 0;
	if (*mnt != '"')
		return -1;
	const char *mend = skip_string(mnt);
	if (mend == NULL)
		return -1;
	/* Device paths carry no escapes; refuse rather than mis-decode one. */
	if (memchr(mnt + 1, '\\', (size_t)(mend - mnt - 2)) != NULL)
		return -1;
	copy_field(out, out_len, mnt + 1, (size_t)(mend - mnt - 2));
	return 1;
}

unsigned tr_k8s_lock_holders(const char *proc_locks, dev_t dev, ino_t ino,
			     pid_t *pids, unsigned max)
{
	unsigned n = 0;
	/* "1: FLOCK  ADVISORY  WRITE 1234 fe:01:5678 0 EOF"; blocked
	 * waiters are "1: -> FLOCK ..." and hold nothing yet. */
	for (const char *line = proc_locks; line && *line;) {
		const char *nl = strchr(line, '\n');
		char buf[256];
		copy_field(buf, sizeof(buf), line, nl ? (size_t)(nl - line) : strlen(line));
		line = nl ? nl + 1 : NULL;
		char kind[16], mode[16], rw[16];
		long pid;
		unsigned maj, min;
		unsigned long long i;
		if (sscanf(buf, "%*u: %15s %15s %15s %ld %x:%x:%llu", kind, mode, rw,
			   &pid, &maj, &min, &i) != 7)
			continue;
		if (strcmp(kind, "FLOCK") != 0 || major(dev) != maj ||
		    minor(dev) != min || (ino_t)i != ino)
			continue;
		if (n < max)
			pids[n] = (pid_t)pid;
		n++;
	}
	return n;
}

pid_t tr_k8s_dpdk_file_pid(const char *name)
{
	static const char prefix[] = "fbarray_memseg-";
	if (strncmp(name, prefix, sizeof(prefix) - 1) != 0)
		return -1;
	const char *us = strrchr(name, '_');
	if (us == NULL || us[1] == '\0' || us < name + sizeof(prefix) - 1)
		return -1;
	long v = 0;
	for (const char *p = us + 1; *p; p++) {
		if (!isdigit((unsigned char)*p) || v > INT_MAX / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v > 0 ? (pid_t)v : -1;
}

/* --- probes -------------------------------------------------------------- */

/* Read a small text file; -1 with errno. */
static int read_text(const char *path, char *buf, size_t len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t got = 0;
	while (got + 1 < len) {
		ssize_t r = read(fd, buf + got, len - 1 - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	buf[got] = '\0';
	return 0;
}

static const char *env_get(char *const envp[], const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; envp && envp[i]; i++)
		if (strncmp(envp[i], name, n) == 0 && envp[i][n] == '=')
			return envp[i] + n + 1;
	return NULL;
}

static void take_ceiling(struct tr_k8s_limits *out, uint64_t bytes,
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
static int probe_hugetlb_tree(struct tr_k8s_limits *out, const char *root,
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
		if (read_text(full, buf, sizeof(buf)) == 0) {
			buf[strcspn(buf, "\n")] = '\0'; /* keep messages one line */
			bool limited;
			uint64_t bytes;
			if (tr_k8s_parse_hugetlb_value(buf, &limited, &bytes) < 0)
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

int tr_k8s_probe(struct tr_k8s_limits *out, const char *root,
		 enum tr_page_size page, char *const envp[],
		 struct tr_error *err)
{
	memset(out, 0, sizeof(*out));
	char path[PATH_MAX];
	char buf[16384];

	snprintf(path, sizeof(path), "%s/proc/self/status", root);
	if (read_text(path, buf, sizeof(buf)) < 0)
		return tr_err_sys(err, EX_OSFILE, errno, "cannot read /proc/self/status");
	char why[128];
	if (tr_k8s_parse_cpus_allowed(buf, &out->cpus, why, sizeof(why)) < 0)
		return tr_err(err, EX_OSFILE, "/proc/self/status: %s", why);
	out->has_cpus = true;
	snprintf(out->cpus_from, sizeof(out->cpus_from), "Cpus_allowed_list");

	const char *size = page == TR_PAGE_1G ? "1GB" : "2MB";
	snprintf(path, sizeof(path), "%s/proc/self/cgroup", root);
	if (read_text(path, buf, sizeof(buf)) == 0) {
		char v2[PATH_MAX], v1[PATH_MAX], file[64];
		tr_k8s_parse_proc_cgroup(buf, v2, sizeof(v2), v1, sizeof(v1));
		if (v2[0]) {
			/* Pure v2 mounts at /sys/fs/cgroup, hybrid hosts at
			 * /sys/fs/cgroup/unified. */
			snprintf(file, sizeof(file), "hugetlb.%s.max", size);
			if (probe_hugetlb_tree(out, root, "/sys/fs/cgroup", v2, file, err) < 0 ||
			    probe_hugetlb_tree(out, root, "/sys/fs/cgroup/unified", v2,
					       file, err) < 0)
				return -1;
		}
		if (v1[0]) {
			snprintf(file, sizeof(file), "hugetlb.%s.limit_in_bytes", size);
			if (probe_hugetlb_tree(out, root, "/sys/fs/cgroup/hugetlb", v1,
					       file, err) < 0)
				return -1;
		}
	} else if (errno != ENOENT) {
		return tr_err_sys(err, EX_OSFILE, errno, "cannot read /proc/self/cgroup");
	}

	const char *dapi = env_get(envp, TR_K8S_HUGEPAGES_ENV);
	if (dapi != NULL && *dapi != '\0') {
		uint64_t bytes;
		if (tr_k8s_parse_quantity(dapi, &bytes) < 0)
			return tr_err(err, EX_CONFIG, "%s=\"%.40s\" is not a byte count; "
				      "fill it from resourceFieldRef "
				      "limits.hugepages-%s with divisor 1",
				      TR_K8S_HUGEPAGES_ENV, dapi,
				      page == TR_PAGE_1G ? "1Gi" : "2Mi");
		/* 0 means the pod set no hugepages limit for this size. */
		if (bytes > 0)
			take_ceiling(out, bytes, TR_K8S_HUGEPAGES_ENV);
	}
	return 0;
}

/* --- checks against tenants.yaml ----------------------------------------- */

static void where(char *buf, size_t len, const struct tr_config *cfg,
		  struct tr_mark m)
{
	if (m.line)
		snprintf(buf, len, " (%s:%u:%u)", cfg->file ? cfg->file : "tenants.yaml",
			 m.line, m.col);
	else
		buf[0] = '\0';
}

int tr_k8s_apply_limits(const struct tr_config *cfg, struct tr_tenant *t,
			const struct tr_cpuset *tenant_cpus,
			const struct tr_k8s_limits *lim, bool primary,
			struct tr_error *err)
{
	char at[PATH_MAX + 32];
	if (lim->has_cpus) {
		struct tr_cpuset eff;
		if (!tr_cpuset_and(&eff, tenant_cpus, &lim->cpus)) {
			char a[256], b[256];
			tr_cpuset_format(tenant_cpus, a, sizeof(a));
			tr_cpuset_format(&lim->cpus, b, sizeof(b));
			where(at, sizeof(at), cfg, t->has_cpus ? t->cpus_mark : cfg->host.cpus_mark);
			return tr_err(err, EX_CONFIG, "tenant \"%s\": its cpus %s%s and "
				      "this container's cpus %s (%s) do not overlap; give "
				      "the tenant the cpus the container gets (CPU "
				      "manager, --cpuset-cpus) or run it where its cpus are",
				      t->name, a, at, b, lim->cpus_from);
		}
		t->cpus = eff;
		t->has_cpus = true;
	}
	if (primary && lim->has_huge_limit) {
		uint64_t want = tr_tenant_limit_mb(t) * MIB;
		if (want > lim->huge_limit_bytes) {
			const char *sz = cfg->host.page_size == TR_PAGE_1G ? "1Gi" : "2Mi";
			where(at, sizeof(at), cfg, t->memory.has_limit ? t->memory.limit_mark
						   : t->memory.mark);
			return tr_err(err, EX_CONFIG, "tenant \"%s\": its hugepage limit "
				      "%" PRIu64 " MiB%s is above this container's "
				      "%" PRIu64 " MiB (%s); set resources.limits."
				      "hugepages-%s to %" PRIu64 "Mi or lower the "
				      "tenant's memory", t->name, want / MIB, at,
				      lim->huge_limit_bytes / MIB, lim->huge_from, sz,
				      want / MIB);
		}
	}
	return 0;
}

int tr_k8s_check_device_info(const struct tr_config *cfg,
			     const struct tr_tenant *t, const char *root,
			     char *const envp[], struct tr_error *err)
{
	for (unsigned i = 0; i < t->n_nics; i++) {
		const struct tr_nic *nic = &t->nics[i];
		if (nic->kind != TR_NIC_PCI || nic->from_env == NULL)
			continue;
		char var[256];
		snprintf(var, sizeof(var), "%s_INFO", nic->from_env);
		const char *info = env_get(envp, var);
		if (info == NULL || *info == '\0')
			continue; /* older device plugins set no _INFO */
		char at[PATH_MAX + 32], node[PATH_MAX];
		where(at, sizeof(at), cfg, nic->mark);
		int r = tr_k8s_info_dev_mount(info, nic->spec, node, sizeof(node));
		if (r < 0)
			return tr_err(err, EX_CONFIG, "tenant \"%s\": NIC %s from %s%s "
				      "is not described in %s; the device plugin's "
				      "variables disagree, recreate the pod", t->name,
				      nic->spec, nic->from_env, at, var);
		if (r == 0)
			continue;
		char full[PATH_MAX * 2];
		snprintf(full, sizeof(full), "%s%s", root, node);
		struct stat st;
		if (stat(full, &st) < 0)
			return tr_err_sys(err, EX_CONFIG, errno, "tenant \"%s\": NIC %s "
					  "from %s%s needs %s (%s) in the container",
					  t->name, nic->spec, nic->from_env, at, node, var);
		if (!S_ISCHR(st.st_mode))
			return tr_err(err, EX_CONFIG, "tenant \"%s\": NIC %s: %s (%s) "
				      "is not a character device", t->name, nic->spec,
				      node, var);
	}
	return 0;
}

/*
 * Is someone we cannot see in /proc/locks holding a flock on name? The
 * kernel leaves a lock out of /proc/locks when its holder is outside the
 * reader's PID namespace, so ask the lock itself: DPDK's member holds a
 * shared flock for its whole life, which makes our non-blocking exclusive
 * one fail. A file nobody holds is a dead member's leftover (DPDK reuses
 * it); the exclusive lock is dropped at once.
 */
static int held_by_invisible(int dfd, const char *name)
{
	_cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0; /* gone: its member exited */
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		flock(fd, LOCK_UN);
		return 0;
	}
	return errno == EWOULDBLOCK;
}

static int clash(struct tr_error *err, const char *tenant, const char *dpdk_dir,
		 const char *name, const char *who)
{
	return tr_err(err, EX_UNAVAILABLE, "tenant \"%s\": %s/%s is held by a group "
		      "member %s, so this member is in another PID namespace and "
		      "DPDK's pid-named files would clash; run the group in one PID "
		      "namespace (pod shareProcessNamespace: true, compose pid: "
		      "\"service:<primary>\", podman --pid container:<primary>)",
		      tenant, dpdk_dir, name, who);
}

int tr_k8s_check_pid_namespace(const char *tenant, const char *dpdk_dir,
			       const char *locks_path, struct tr_error *err)
{
	_cleanup_(closedirp) DIR *d = opendir(dpdk_dir);
	if (d == NULL) {
		if (errno == ENOENT)
			return 0;
		return tr_err_sys(err, EX_OSFILE, errno, "tenant \"%s\": cannot read "
				  "the runtime dir %s", tenant, dpdk_dir);
	}
	_cleanup_free_ char *locks = NULL;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		pid_t named = tr_k8s_dpdk_file_pid(de->d_name);
		if (named < 0)
			continue;
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue; /* its process just went */
		if (locks == NULL) {
			/* /proc/locks grows with the host's locks: read all. */
			size_t cap = 1 << 20;
			locks = malloc(cap);
			if (locks == NULL)
				return tr_err(err, EX_OSERR, "out of memory reading %s",
					      locks_path);
			if (read_text(locks_path, locks, cap) < 0)
				return tr_err_sys(err, EX_OSFILE, errno, "cannot read %s",
						  locks_path);
		}
		pid_t holders[8];
		unsigned n = tr_k8s_lock_holders(locks, st.st_dev, st.st_ino, holders,
						 TR_ARRAY_SIZE(holders));
		for (unsigned i = 0; i < n && i < TR_ARRAY_SIZE(holders); i++)
			/* A holder we see under another number named its
			 * files after a pid of another namespace. */
			if (holders[i] != named)
				return clash(err, tenant, dpdk_dir, de->d_name,
					     "seen here under another pid");
		if (n == 0 && held_by_invisible(dirfd(d), de->d_name))
			return clash(err, tenant, dpdk_dir, de->d_name,
				     "this PID namespace cannot see");
	}
	return 0;
}

int tr_k8s_check_primary_visible(const char *tenant, const char *dpdk_dir,
				 struct tr_error *err)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/config", dpdk_dir);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	/* The whole file: any overlap with DPDK's lock is reported. */
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	if (fcntl(fd, F_GETLK, &fl) < 0 || fl.l_type == F_UNLCK || fl.l_pid > 0)
		return 0;
	return tr_err(err, EX_UNAVAILABLE, "tenant \"%s\": its primary holds %s from a "
		      "PID namespace this one cannot see, so the group's pid-based "
		      "checks and DPDK's pid-named files would break; run the group "
		      "in one PID namespace (pod shareProcessNamespace: true, compose "
		      "pid: \"service:<primary>\", podman --pid container:<primary>)",
		      tenant, path);
}
