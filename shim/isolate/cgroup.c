/* SPDX-License-Identifier: BSD-3-Clause */
#include "isolate/cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "common/cleanup.h"

static char fsroot[512] = "/sys/fs/cgroup";

static const char *const ctrl_name[TR_CG_NCTRL] = {
	[TR_CG_HUGETLB] = "hugetlb",
	[TR_CG_CPUSET] = "cpuset",
};

void tr_cgroup_set_fsroot(const char *root)
{
	snprintf(fsroot, sizeof(fsroot), "%s", root);
}

static bool path_exists(const char *p)
{
	return access(p, F_OK) == 0;
}

/* Read a small file into buf, NUL-terminated, trailing newline cut.
 * Returns 0 or -errno. */
static int read_small(const char *path, char *buf, size_t len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, len - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

/* One write(2) of the whole string: cgroup files take a value per write.
 * Returns 0 or -errno. */
static int write_small(const char *path, const char *val)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t len = strlen(val);
	ssize_t n = write(fd, val, len);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/* Is word in the space-separated list? */
static bool has_word(const char *list, const char *word)
{
	size_t wl = strlen(word);
	for (const char *p = list; *p != '\0';) {
		while (*p == ' ')
			p++;
		size_t l = strcspn(p, " ");
		if (l == wl && strncmp(p, word, wl) == 0)
			return true;
		p += l;
	}
	return false;
}

/* The v2 root: <fsroot> on a pure v2 host, <fsroot>/unified on a hybrid. */
static bool v2_root(char *buf, size_t len)
{
	char p[600];
	snprintf(p, sizeof(p), "%s/cgroup.controllers", fsroot);
	if (path_exists(p)) {
		snprintf(buf, len, "%s", fsroot);
		return true;
	}
	snprintf(p, sizeof(p), "%s/unified/cgroup.controllers", fsroot);
	if (path_exists(p)) {
		snprintf(buf, len, "%s/unified", fsroot);
		return true;
	}
	return false;
}

void tr_cgroup_locate(enum tr_cg_ctrl ctrl, struct tr_cg_where *w)
{
	char p[600], list[512];
	memset(w, 0, sizeof(*w));
	if (v2_root(w->root, sizeof(w->root))) {
		snprintf(p, sizeof(p), "%s/cgroup.controllers", w->root);
		if (read_small(p, list, sizeof(list)) == 0 &&
		    has_word(list, ctrl_name[ctrl])) {
			w->found = true;
			w->v2 = true;
			return;
		}
	}
	/* v1 hierarchies have a `tasks` file, v2 never does. */
	snprintf(p, sizeof(p), "%s/%s/tasks", fsroot, ctrl_name[ctrl]);
	if (path_exists(p)) {
		snprintf(w->root, sizeof(w->root), "%s/%s", fsroot,
			 ctrl_name[ctrl]);
		w->found = true;
		w->v2 = false;
		return;
	}
	w->root[0] = '\0';
}

void tr_cgroup_hugetlb_size_name(uint64_t page_bytes, char *buf, unsigned len)
{
	/* The kernel's own naming (mm/hugetlb_cgroup.c): GB, MB or KB. */
	if (page_bytes >= (UINT64_C(1) << 30))
		snprintf(buf, len, "%" PRIu64 "GB", page_bytes >> 30);
	else if (page_bytes >= (UINT64_C(1) << 20))
		snprintf(buf, len, "%" PRIu64 "MB", page_bytes >> 20);
	else
		snprintf(buf, len, "%" PRIu64 "KB", page_bytes >> 10);
}

static bool name_ok(const char *tenant)
{
	return tenant[0] != '\0' && tenant[0] != '.' &&
	       strchr(tenant, '/') == NULL && strlen(tenant) < 64;
}

/* Not ours to write: run without this controller (soft). */
static bool is_not_ours(int e)
{
	return e == EACCES || e == EPERM || e == EROFS;
}

static int mkdir_ok(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* v2: enable ctrl for the children of dir (idempotent). */
static int v2_enable(const char *dir, const char *ctrl)
{
	char p[700], list[512], plus[32];
	snprintf(p, sizeof(p), "%s/cgroup.subtree_control", dir);
	if (read_small(p, list, sizeof(list)) == 0 && has_word(list, ctrl))
		return 0;
	snprintf(plus, sizeof(plus), "+%s", ctrl);
	return write_small(p, plus);
}

/* v1 cpuset: a new group starts with empty cpus/mems and takes no task
 * until both are set; give the parent group all of its own parent's. */
static int v1_cpuset_inherit(const char *parent, const char *dir)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	for (size_t i = 0; i < TR_ARRAY_SIZE(files); i++) {
		char p[700], val[1024];
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		if (read_small(p, val, sizeof(val)) == 0 && val[0] != '\0')
			continue;
		snprintf(p, sizeof(p), "%s/%s", parent, files[i]);
		int r = read_small(p, val, sizeof(val));
		if (r < 0)
			return r;
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		r = write_small(p, val);
		if (r < 0)
			return r;
	}
	return 0;
}

static int set_hugetlb(const struct tr_cg_where *w, const char *dir,
		       uint64_t page_bytes, uint64_t limit_bytes,
		       struct tr_error *err)
{
	char sz[16], p[700], val[32];
	tr_cgroup_hugetlb_size_name(page_bytes, sz, sizeof(sz));
	snprintf(val, sizeof(val), "%" PRIu64, limit_bytes);
	/* Limit the reservation first where the kernel has it (5.7+): with
	 * it, a mapping past the quota fails at mmap (DPDK: a clean
	 * allocation failure) rather than by SIGBUS at first touch. */
	const char *const files[2][2] = {
		{ "rsvd.max", "max" },                         /* v2 */
		{ "rsvd.limit_in_bytes", "limit_in_bytes" },   /* v1 */
	};
	for (int i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "%s/hugetlb.%s.%s", dir, sz,
			 files[w->v2 ? 0 : 1][i]);
		if (i == 0 && !path_exists(p))
			continue;
		int r = write_small(p, val);
		if (r == -EBUSY)
			return tr_err(err, EX_TEMPFAIL,
				      "cgroup %s: the tenant already uses more "
				      "%s hugepages than its limit of %" PRIu64
				      " bytes; stop its members or raise "
				      "memory.limitMb", p, sz, limit_bytes);
		if (r < 0)
			return tr_err_sys(err, EX_OSERR, -r,
					  "cannot set hugetlb limit in %s", p);
	}
	return 0;
}

static int set_cpuset(const struct tr_cg_where *w, const char *dir,
		      const struct tr_cpuset *cpus, uint64_t mems_mask,
		      struct tr_error *err)
{
	char p[700], val[1024];
	int r;
	if (!tr_cpuset_empty(cpus)) {
		tr_cpuset_format(cpus, val, sizeof(val));
		snprintf(p, sizeof(p), "%s/cpuset.cpus", dir);
		if ((r = write_small(p, val)) < 0)
			return tr_err_sys(err, EX_OSERR, -r,
					  "cannot set cpus \"%s\" in %s (are "
					  "they online and in the parent "
					  "group?)", val, p);
	}
	if (mems_mask != 0) {
		struct tr_cpuset nodes;
		tr_cpuset_zero(&nodes);
		for (unsigned n = 0; n < 64; n++)
			if (mems_mask & (UINT64_C(1) << n))
				tr_cpuset_set(&nodes, n);
		tr_cpuset_format(&nodes, val, sizeof(val));
		snprintf(p, sizeof(p), "%s/cpuset.mems", dir);
		if ((r = write_small(p, val)) < 0)
			return tr_err_sys(err, EX_OSERR, -r,
					  "cannot set NUMA nodes \"%s\" in %s",
					  val, p);
	}
	/* v2 reads an empty cpus/mems as "the parent's"; v1 takes no task
	 * until both are set, so what is not planned comes from the parent. */
	if (!w->v2) {
		char parent[600];
		snprintf(parent, sizeof(parent), "%s/%s", w->root,
			 TR_CGROUP_PARENT);
		if ((r = v1_cpuset_inherit(parent, dir)) < 0)
			return tr_err_sys(err, EX_OSERR, -r,
					  "cannot give %s the cpus and mems "
					  "of %s", dir, parent);
	}
	return 0;
}

/* mkdir tenantrt and tenantrt/<tenant> under w->root, enabling ctrl on the
 * way down (v2) or inheriting cpus/mems (v1 cpuset). 1 = made, 0 = not
 * ours to write (soft), -1 = error. */
static int make_groups(const struct tr_cg_where *w, enum tr_cg_ctrl ctrl,
		       const char *tenant, char *dir, size_t dirlen,
		       struct tr_error *err)
{
	char parent[600];
	int r;
	snprintf(parent, sizeof(parent), "%s/%s", w->root, TR_CGROUP_PARENT);
	snprintf(dir, dirlen, "%s/%s", parent, tenant);
	if (w->v2 && (r = v2_enable(w->root, ctrl_name[ctrl])) < 0)
		goto fail_at_root;
	if ((r = mkdir_ok(parent)) < 0)
		goto fail_at_root;
	if (w->v2 && (r = v2_enable(parent, ctrl_name[ctrl])) < 0)
		return tr_err_sys(err, EX_OSERR, -r,
				  "cannot enable the %s controller in %s/"
				  "cgroup.subtree_control", ctrl_name[ctrl],
				  parent);
	if (!w->v2 && ctrl == TR_CG_CPUSET &&
	    (r = v1_cpuset_inherit(w->root, parent)) < 0)
		return tr_err_sys(err, EX_OSERR, -r,
				  "cannot give %s the cpus and mems of %s",
				  parent, w->root);
	if ((r = mkdir_ok(dir)) < 0)
		return tr_err_sys(err, EX_OSERR, -r, "cannot create cgroup %s",
				  dir);
	return 1;
fail_at_root:
	if (is_not_ours(-r))
		return 0;
	return tr_err_sys(err, EX_OSERR, -r,
			  "cannot set up the %s cgroup under %s",
			  ctrl_name[ctrl], w->root);
}

int tr_cgroup_setup(const char *tenant, uint64_t page_bytes,
		    uint64_t limit_bytes, const struct tr_cpuset *cpus,
		    uint64_t mems_mask, struct tr_error *err)
{
	if (!name_ok(tenant))
		return tr_err(err, EX_SOFTWARE,
			      "tenant name \"%s\" cannot name a cgroup", tenant);
	for (int c = 0; c < TR_CG_NCTRL; c++) {
		struct tr_cg_where w;
		char dir[700];
		tr_cgroup_locate((enum tr_cg_ctrl)c, &w);
		if (!w.found)
			continue;
		int r = make_groups(&w, (enum tr_cg_ctrl)c, tenant, dir,
				    sizeof(dir), err);
		if (r < 0)
			return -1;
		if (r == 0)
			continue;
		if (c == TR_CG_HUGETLB)
			r = set_hugetlb(&w, dir, page_bytes, limit_bytes, err);
		else
			r = set_cpuset(&w, dir, cpus, mems_mask, err);
		if (r < 0)
			return -1;
	}
	return 0;
}

int tr_cgroup_join(const char *tenant, struct tr_error *err)
{
	if (!name_ok(tenant))
		return tr_err(err, EX_SOFTWARE,
			      "tenant name \"%s\" cannot name a cgroup", tenant);
	char done[TR_CG_NCTRL][512];
	for (int c = 0; c < TR_CG_NCTRL; c++) {
		struct tr_cg_where w;
		char p[700];
		done[c][0] = '\0';
		tr_cgroup_locate((enum tr_cg_ctrl)c, &w);
		if (!w.found)
			continue;
		/* Both controllers on v2 share one group: join it once. */
		if (c > 0 && strcmp(done[0], w.root) == 0)
			continue;
		snprintf(done[c], sizeof(done[c]), "%s", w.root);
		snprintf(p, sizeof(p), "%s/%s/%s/cgroup.procs", w.root,
			 TR_CGROUP_PARENT, tenant);
		if (!path_exists(p))
			continue; /* setup ran without it: soft */
		/* "0" is the writer itself, in v1 and v2 alike. */
		int r = write_small(p, "0");
		if (r < 0)
			return tr_err_sys(err, EX_OSERR, -r,
					  "cannot join cgroup %s", p);
	}
	return 0;
}

int tr_cgroup_remove(const char *tenant, struct tr_error *err)
{
	if (!name_ok(tenant))
		return tr_err(err, EX_SOFTWARE,
			      "tenant name \"%s\" cannot name a cgroup", tenant);
	for (int c = 0; c < TR_CG_NCTRL; c++) {
		struct tr_cg_where w;
		char dir[700];
		tr_cgroup_locate((enum tr_cg_ctrl)c, &w);
		if (!w.found)
			continue;
		snprintf(dir, sizeof(dir), "%s/%s/%s", w.root,
			 TR_CGROUP_PARENT, tenant);
		/* A member just reaped still counts in its cgroup until the
		 * kernel has finished its exit: EBUSY for a few ms. */
		int r;
		for (int tries = 0; (r = rmdir(dir)) < 0 && errno == EBUSY && tries < 100; tries++)
			usleep(10 * 1000);
		if (r == 0 || errno == ENOENT)
			continue;
		if (errno == EBUSY)
			return tr_err(err, EX_TEMPFAIL,
				      "cgroup %s still has processes; stop "
				      "them (see its cgroup.procs) and retry",
				      dir);
		if (is_not_ours(errno))
			continue;
		return tr_err_sys(err, EX_OSERR, errno,
				  "cannot remove cgroup %s", dir);
	}
	return 0;
}

bool tr_cgroup_is_hard(const char *tenant, enum tr_cg_ctrl ctrl)
{
	struct tr_cg_where w;
	char dir[700], p[800], val[64];
	if (!name_ok(tenant))
		return false;
	tr_cgroup_locate(ctrl, &w);
	if (!w.found)
		return false;
	snprintf(dir, sizeof(dir), "%s/%s/%s", w.root, TR_CGROUP_PARENT,
		 tenant);
	if (ctrl == TR_CG_CPUSET) {
		snprintf(p, sizeof(p), "%s/cpuset.cpus", dir);
		return read_small(p, val, sizeof(val)) == 0 && val[0] != '\0';
	}
	static const char *const sizes[] = { "2MB", "1GB" };
	for (size_t i = 0; i < TR_ARRAY_SIZE(sizes); i++) {
		snprintf(p, sizeof(p), "%s/hugetlb.%s.%s", dir, sizes[i],
			 w.v2 ? "max" : "limit_in_bytes");
		if (read_small(p, val, sizeof(val)) < 0)
			continue;
		/* Unlimited reads "max" (v2) or a page-rounded LONG_MAX (v1). */
		if (strcmp(val, "max") != 0 &&
		    strtoull(val, NULL, 10) < (UINT64_C(1) << 62))
			return true;
	}
	return false;
}
