/* SPDX-License-Identifier: BSD-3-Clause */
#include "isolate/cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"

static char fsroot[512] = "/sys/fs/cgroup";

static const char *const ctrl_name[TR_CG_NCTRL] = {
	[TR_CG_HUGETLB] = "hugetlb",
	[TR_CG_CPUSET] = "cpuset",
	[TR_CG_PIDS] = "pids",
	[TR_CG_MEMORY] = "memory",
	[TR_CG_FREEZER] = "freezer",
};

/* The controllers that hold limits (the freezer only kills). */
static const enum tr_cg_ctrl limit_ctrls[] = {
	TR_CG_HUGETLB, TR_CG_CPUSET, TR_CG_PIDS, TR_CG_MEMORY,
};

#define BIT(c) (1u << (c))
#define PATH_LEN 800

static void forget_setup(void);

void tr_cgroup_set_fsroot(const char *root)
{
	snprintf(fsroot, sizeof(fsroot), "%s", root);
	forget_setup();
}

static bool path_exists(const char *p)
{
	return access(p, F_OK) == 0;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
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

static int write_u64(const char *dir, const char *file, uint64_t v)
{
	char p[PATH_LEN], val[32];
	snprintf(p, sizeof(p), "%s/%s", dir, file);
	snprintf(val, sizeof(val), "%" PRIu64, v);
	return write_small(p, val);
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

/* --- the hierarchies a tenant's groups live in ------------------------- */

struct hier {
	struct tr_cg_where w;
	unsigned ctrls;     /* BIT(ctrl) of the controllers it holds for us */
};
#define MAX_HIER (TR_CG_NCTRL + 1)

static void hier_add(struct hier *h, unsigned *n, const struct tr_cg_where *w,
		     unsigned ctrls)
{
	for (unsigned i = 0; i < *n; i++)
		if (strcmp(h[i].w.root, w->root) == 0) {
			h[i].ctrls |= ctrls;
			return;
		}
	h[*n].w = *w;
	h[*n].ctrls = ctrls;
	(*n)++;
}

/*
 * One entry per distinct hierarchy: those holding a limit controller, the
 * v2 root (for cgroup.kill, with or without controllers), and, without v2,
 * the v1 freezer. No allocation: the child joins through it after fork.
 */
static unsigned hierarchies(struct hier h[MAX_HIER])
{
	unsigned n = 0;
	struct tr_cg_where w;
	for (size_t i = 0; i < TR_ARRAY_SIZE(limit_ctrls); i++) {
		tr_cgroup_locate(limit_ctrls[i], &w);
		if (w.found)
			hier_add(h, &n, &w, BIT(limit_ctrls[i]));
	}
	memset(&w, 0, sizeof(w));
	if (v2_root(w.root, sizeof(w.root))) {
		w.found = w.v2 = true;
		hier_add(h, &n, &w, 0);
	} else {
		tr_cgroup_locate(TR_CG_FREEZER, &w);
		if (w.found && !w.v2)
			hier_add(h, &n, &w, BIT(TR_CG_FREEZER));
	}
	return n;
}

/*
 * The hierarchies the last setup found, for the child it forks next: the
 * child joins them between its fork and its exec, where looking again
 * cost 20 syscalls. Any other join looks for itself.
 */
static struct {
	unsigned n;
	struct hier h[MAX_HIER];
} seen;

static void forget_setup(void)
{
	seen.n = 0;
}

static bool group_ok(const char *group, struct tr_error *err)
{
	if (tr_cg_group_name_ok(group))
		return true;
	tr_err(err, EX_SOFTWARE, "\"%s\" is not a tenantrt cgroup name", group);
	return false;
}

/* <root>/<group>[/m<member>] */
static void group_dir(char *buf, size_t len, const struct hier *h,
		      const char *group, int member)
{
	if (member >= 0)
		snprintf(buf, len, "%s/%s/m%d", h->w.root, group, member);
	else
		snprintf(buf, len, "%s/%s", h->w.root, group);
}

/* --- setup --------------------------------------------------------------- */

/* Not ours to write: run without this hierarchy (soft). */
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
	char p[PATH_LEN], list[512], plus[32];
	snprintf(p, sizeof(p), "%s/cgroup.subtree_control", dir);
	if (read_small(p, list, sizeof(list)) == 0 && has_word(list, ctrl))
		return 0;
	snprintf(plus, sizeof(plus), "+%s", ctrl);
	return write_small(p, plus);
}

/* v1 cpuset: a new group starts with empty cpus/mems and takes no task
 * until both are set; give it what its parent has. */
static int v1_cpuset_inherit(const char *parent, const char *dir)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	for (size_t i = 0; i < TR_ARRAY_SIZE(files); i++) {
		char p[PATH_LEN], val[1024];
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

static int set_hugetlb(const struct hier *h, const char *dir,
		       const struct tr_cg_limits *lim, struct tr_error *err)
{
	/* Limit the reservation first where the kernel has it (5.7+): with
	 * it, a mapping past the quota fails at mmap (DPDK: a clean
	 * allocation failure) rather than by SIGBUS at first touch. */
	for (int rsvd = 1; rsvd >= 0; rsvd--) {
		char file[64], p[PATH_LEN];
		tr_cg_hugetlb_limit_file(file, sizeof(file), lim->page_bytes,
					 h->w.v2, rsvd);
		snprintf(p, sizeof(p), "%s/%s", dir, file);
		if (rsvd && !path_exists(p))
			continue;
		int r = write_u64(dir, file, lim->huge_limit_bytes);
		if (r == -EBUSY)
			return tr_err(err, EX_TEMPFAIL,
				      "cgroup %s: the tenant already uses more hugepages than its limit of %" PRIu64 " bytes; stop its members or raise memory.limitMb",
				      p, lim->huge_limit_bytes);
		if (r < 0)
			return tr_err_sys(err, EX_OSERR, -r,
					  "cannot set hugetlb limit in %s", p);
	}
	return 0;
}

static int set_cpuset(const struct hier *h, const char *parent,
		      const char *dir, const struct tr_cg_limits *lim,
		      struct tr_error *err)
{
	char p[PATH_LEN], val[1024];
	int r;
	if (lim->cpus && !tr_cpuset_empty(lim->cpus)) {
		tr_cpuset_format(lim->cpus, val, sizeof(val));
		snprintf(p, sizeof(p), "%s/cpuset.cpus", dir);
		if ((r = write_small(p, val)) < 0)
			return tr_err_sys(err, EX_OSERR, -r,
					  "cannot set cpus \"%s\" in %s (are they online and in the parent group?)",
					  val, p);
	}
	if (lim->mems_mask != 0) {
		struct tr_cpuset nodes;
		tr_cpuset_zero(&nodes);
		for (unsigned n = 0; n < 64; n++)
			if (lim->mems_mask & (UINT64_C(1) << n))
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
	if (!h->w.v2 && (r = v1_cpuset_inherit(parent, dir)) < 0)
		return tr_err_sys(err, EX_OSERR, -r,
				  "cannot give %s the cpus and mems of %s", dir,
				  parent);
	return 0;
}

static int set_pids(const char *dir, const struct tr_cg_limits *lim,
		    struct tr_error *err)
{
	char p[PATH_LEN];
	snprintf(p, sizeof(p), "%s/pids.max", dir);
	int r = lim->pids_max ? write_u64(dir, "pids.max", lim->pids_max)
			      : write_small(p, "max");
	if (r < 0)
		return tr_err_sys(err, EX_OSERR, -r, "cannot set %s", p);
	return 0;
}

static int set_memory(const struct hier *h, const char *dir,
		      const struct tr_cg_limits *lim, struct tr_error *err)
{
	char p[PATH_LEN];
	uint64_t v = lim->memory_max_bytes;
	int r;
	if (v == 0)
		return 0;
	if (h->w.v2) {
		snprintf(p, sizeof(p), "%s/memory.max", dir);
		r = write_u64(dir, "memory.max", v);
		if (r == 0) {
			char sw[PATH_LEN];
			snprintf(sw, sizeof(sw), "%s/memory.swap.max", dir);
			if (path_exists(sw))
				r = write_small(sw, "0");
		}
	} else {
		/* memsw (memory + swap) must stay >= the memory limit: when
		 * raising, memsw goes first; when lowering, it follows. */
		char sw[PATH_LEN];
		snprintf(p, sizeof(p), "%s/memory.limit_in_bytes", dir);
		snprintf(sw, sizeof(sw), "%s/memory.memsw.limit_in_bytes", dir);
		bool memsw = path_exists(sw);
		if (memsw)
			(void)write_u64(dir, "memory.memsw.limit_in_bytes", v);
		r = write_u64(dir, "memory.limit_in_bytes", v);
		if (r == 0 && memsw)
			r = write_u64(dir, "memory.memsw.limit_in_bytes", v);
	}
	if (r == -EBUSY)
		return tr_err(err, EX_TEMPFAIL,
			      "cgroup %s: the tenant already uses more memory than its limit of %" PRIu64 " MiB; stop its members or raise limits.memoryMb",
			      p, v >> 20);
	if (r < 0)
		return tr_err_sys(err, EX_OSERR, -r, "cannot set %s", p);
	return 0;
}

static int set_limits(const struct hier *h, const char *parent,
		      const char *dir, const struct tr_cg_limits *lim,
		      struct tr_error *err)
{
	if ((h->ctrls & BIT(TR_CG_HUGETLB)) && set_hugetlb(h, dir, lim, err) < 0)
		return -1;
	if ((h->ctrls & BIT(TR_CG_CPUSET)) &&
	    set_cpuset(h, parent, dir, lim, err) < 0)
		return -1;
	if ((h->ctrls & BIT(TR_CG_PIDS)) && set_pids(dir, lim, err) < 0)
		return -1;
	if ((h->ctrls & BIT(TR_CG_MEMORY)) && set_memory(h, dir, lim, err) < 0)
		return -1;
	return 0;
}

/*
 * tenantrt under one hierarchy, enabling the group's controllers on the way
 * down (v2) or handing cpus and mems down (v1 cpuset). 0, 1 when the
 * hierarchy is not ours to write (soft), -1 on error.
 */
static int setup_parent(const struct hier *h, const char *parent, struct tr_error *err)
{
	const char *root = h->w.root;
	bool v1_cpuset = !h->w.v2 && (h->ctrls & BIT(TR_CG_CPUSET));
	int r = 0;
	for (int c = 0; h->w.v2 && c < TR_CG_NCTRL && r == 0; c++)
		if (h->ctrls & BIT(c))
			r = v2_enable(root, ctrl_name[c]);
	if (r == 0)
		r = mkdir_ok(parent);
	if (r < 0) {
		if (is_not_ours(-r))
			return 1;
		return tr_err_sys(err, EX_OSERR, -r,
				  "cannot set up the tenant's cgroup under %s",
				  root);
	}
	for (int c = 0; h->w.v2 && c < TR_CG_NCTRL; c++)
		if ((h->ctrls & BIT(c)) && (r = v2_enable(parent, ctrl_name[c])) < 0)
			return tr_err_sys(err, EX_OSERR, -r,
					  "cannot enable the %s controller in %s/cgroup.subtree_control",
					  ctrl_name[c], parent);
	if (v1_cpuset && (r = v1_cpuset_inherit(root, parent)) < 0)
		return tr_err_sys(err, EX_OSERR, -r,
				  "cannot give %s the cpus and mems of %s",
				  parent, root);
	return 0;
}

/*
 * tenantrt/<group> and its member leaf under one hierarchy, with the
 * group's limits. The group's dir is made first: made now, its parent
 * tenantrt exists and was set up when it was made (by the first start
 * since boot), so it is not made or checked again (before, a start on
 * this hybrid host made 4 such mkdirs, all failing with EEXIST, and read
 * 12 files for them, across its hierarchies). Otherwise (no tenantrt yet, the
 * group there already for another member, a made-up tree in the tests) or
 * when the limits cannot be set (a controller disabled above meanwhile),
 * tenantrt is set up first, as it always was. 0 also when the hierarchy is
 * not ours to write (soft), -1 on error.
 */
static int setup_hier(const struct hier *h, const char *group,
		      unsigned member, const struct tr_cg_limits *lim,
		      struct tr_error *err)
{
	char parent[PATH_LEN], dir[PATH_LEN], leaf[PATH_LEN];
	bool v1_cpuset = !h->w.v2 && (h->ctrls & BIT(TR_CG_CPUSET));
	int r;
	snprintf(parent, sizeof(parent), "%s/" TR_CGROUP_PARENT, h->w.root);
	group_dir(dir, sizeof(dir), h, group, TR_CG_ALL);
	group_dir(leaf, sizeof(leaf), h, group, (int)member);
	bool quick = mkdir(dir, 0755) == 0;
	if (quick && set_limits(h, parent, dir, lim, err) < 0)
		quick = false;   /* err is said again below, or overwritten */
	if (!quick) {
		if ((r = setup_parent(h, parent, err)) != 0)
			return r > 0 ? 0 : -1;
		if ((r = mkdir_ok(dir)) < 0)
			return tr_err_sys(err, EX_OSERR, -r, "cannot create cgroup %s", dir);
		if (set_limits(h, parent, dir, lim, err) < 0)
			return -1;
	}
	if ((r = mkdir_ok(leaf)) < 0)
		return tr_err_sys(err, EX_OSERR, -r, "cannot create cgroup %s",
				  leaf);
	if (v1_cpuset && (r = v1_cpuset_inherit(dir, leaf)) < 0)
		return tr_err_sys(err, EX_OSERR, -r,
				  "cannot give %s the cpus and mems of %s",
				  leaf, dir);
	return 0;
}

int tr_cgroup_setup(const char *group, unsigned member,
		    const struct tr_cg_limits *lim, struct tr_error *err)
{
	if (!group_ok(group, err))
		return -1;
	struct hier h[MAX_HIER];
	unsigned n = hierarchies(h);
	forget_setup();
	for (unsigned i = 0; i < n; i++)
		if (setup_hier(&h[i], group, member, lim, err) < 0)
			return -1;
	memcpy(seen.h, h, sizeof(h));
	seen.n = n;
	return 0;
}

int tr_cgroup_open_v2_leaf(const char *group, unsigned member)
{
	char root[512], leaf[PATH_LEN];
	if (!tr_cg_group_name_ok(group))
		return -EINVAL;
	if (!v2_root(root, sizeof(root)))
		return -ENOENT;
	snprintf(leaf, sizeof(leaf), "%s/%s/m%u", root, group, member);
	int fd = open(leaf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int tr_cgroup_join(const char *group, unsigned member, unsigned flags,
		   struct tr_error *err)
{
	if (!group_ok(group, err))
		return -1;
	struct hier h[MAX_HIER];
	unsigned n = seen.n;
	if (n > 0)
		memcpy(h, seen.h, sizeof(h));
	else
		n = hierarchies(h);
	for (unsigned i = 0; i < n; i++) {
		char p[PATH_LEN], leaf[PATH_LEN];
		if (h[i].w.v2 && (flags & TR_CG_JOIN_IN_V2))
			continue; /* born there (CLONE_INTO_CGROUP) */
		group_dir(leaf, sizeof(leaf), &h[i], group, (int)member);
		/*
		 * v2 moves whole processes only (cgroup.procs). v1: the
		 * caller is a just-forked child, so its one thread is the
		 * whole process, and "tasks" moves that thread without
		 * taking the threadgroup rwsem for writing, as cgroup.procs
		 * does: that write lock waits for an RCU grace period, a few
		 * ms per hierarchy when no move happened moments before.
		 * "0" is the writer itself.
		 */
		snprintf(p, sizeof(p), "%s/%s", leaf, h[i].w.v2 ? "cgroup.procs" : "tasks");
		int r = write_small(p, "0");
		if (r == -ENOENT)
			continue; /* setup ran without it: soft */
		if (r < 0)
			return tr_err_sys(err, EX_OSERR, -r,
					  "cannot join cgroup %s", p);
	}
	return 0;
}

/* --- kill ---------------------------------------------------------------- */

/* Call fn on dir and, when deep, on each group directly under it. */
static int each_dir(const char *dir, bool deep,
		    int (*fn)(const char *dir, void *arg), void *arg)
{
	int r = fn(dir, arg);
	if (r != 0 || !deep)
		return r;
	DIR *d = opendir(dir);
	if (d == NULL)
		return 0;
	struct dirent *de;
	while (r == 0 && (de = readdir(d)) != NULL) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		char sub[PATH_LEN];
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		r = fn(sub, arg);
	}
	closedir(d);
	return r;
}

/* 1 when dir/cgroup.procs lists a process, else 0. */
static int has_procs(const char *dir, void *arg)
{
	(void)arg;
	char p[PATH_LEN], buf[64];
	snprintf(p, sizeof(p), "%s/cgroup.procs", dir);
	return read_small(p, buf, sizeof(buf)) == 0 && buf[0] != '\0';
}

/* SIGKILL every process dir/cgroup.procs lists; *(unsigned *)arg counts. */
static int kill_procs(const char *dir, void *arg)
{
	char p[PATH_LEN];
	snprintf(p, sizeof(p), "%s/cgroup.procs", dir);
	FILE *f = fopen(p, "re");
	if (f == NULL)
		return 0;
	long pid;
	while (fscanf(f, "%ld", &pid) == 1)
		if (pid > 0 && kill((pid_t)pid, SIGKILL) == 0)
			(*(unsigned *)arg)++;
	fclose(f);
	return 0;
}

/* Is the group empty? v2: cgroup.events says "populated 0" (the whole
 * subtree); v1: no cgroup.procs under it lists a process. */
static bool is_empty(const struct hier *h, const char *dir, bool deep)
{
	if (!path_exists(dir))
		return true;
	if (h->w.v2) {
		char p[PATH_LEN], buf[256];
		snprintf(p, sizeof(p), "%s/cgroup.events", dir);
		if (read_small(p, buf, sizeof(buf)) == 0)
			return strstr(buf, "populated 0") != NULL;
	}
	return each_dir(dir, deep, has_procs, NULL) == 0;
}

static bool wait_empty(const struct hier *h, const char *dir, bool deep,
		       unsigned timeout_ms)
{
	for (unsigned t = 0;; t += 5) {
		if (is_empty(h, dir, deep))
			return true;
		if (t >= timeout_ms)
			return false;
		sleep_ms(5);
	}
}

/* v1 freezer: nothing forks while frozen, so one pass kills them all; the
 * kills land when thawed. */
static void freeze_and_kill(const char *dir, bool deep, unsigned timeout_ms)
{
	char p[PATH_LEN], state[32];
	unsigned n = 0;
	snprintf(p, sizeof(p), "%s/freezer.state", dir);
	if (write_small(p, "FROZEN") == 0)
		for (unsigned t = 0; t < timeout_ms; t += 5) {
			if (read_small(p, state, sizeof(state)) == 0 &&
			    strcmp(state, "FROZEN") == 0)
				break;
			sleep_ms(5);
		}
	each_dir(dir, deep, kill_procs, &n);
	write_small(p, "THAWED");
}

int tr_cgroup_kill(const char *group, int member, unsigned timeout_ms,
		   struct tr_error *err)
{
	if (!group_ok(group, err))
		return -1;
	struct hier h[MAX_HIER];
	unsigned n = hierarchies(h);
	bool deep = member == TR_CG_ALL;
	const struct hier *by = NULL;     /* the hierarchy that kills */
	char dir[PATH_LEN];
	for (unsigned i = 0; i < n && by == NULL; i++)
		if (h[i].w.v2 || (h[i].ctrls & BIT(TR_CG_FREEZER)))
			by = &h[i];
	if (by == NULL && n > 0)
		by = &h[0];   /* no kill switch: signal what is listed */
	if (by == NULL)
		return 0;
	group_dir(dir, sizeof(dir), by, group, member);
	if (!path_exists(dir))
		return 0;
	char p[PATH_LEN];
	snprintf(p, sizeof(p), "%s/cgroup.kill", dir);
	if (by->w.v2 && write_small(p, "1") == 0) {
		/* The kernel kills the subtree and refuses forks into it
		 * meanwhile: one write. */
	} else if (by->ctrls & BIT(TR_CG_FREEZER)) {
		freeze_and_kill(dir, deep, timeout_ms);
	} else {
		/* No cgroup.kill (before 5.14) and no freezer: signal what
		 * is listed until nothing is; a forking task is caught by a
		 * later round. */
		for (unsigned t = 0; t < timeout_ms && !is_empty(by, dir, deep); t += 5) {
			unsigned k = 0;
			each_dir(dir, deep, kill_procs, &k);
			sleep_ms(5);
		}
	}
	if (!wait_empty(by, dir, deep, timeout_ms))
		return tr_err(err, EX_TEMPFAIL,
			      "cgroup %s still has processes %u ms after SIGKILL (uninterruptible sleep?); see its cgroup.procs",
			      dir, timeout_ms);
	return 0;
}

/* --- remove -------------------------------------------------------------- */

/* rmdir, waiting out the few ms a just-killed task still counts. */
static int rmdir_settled(const char *dir)
{
	for (int tries = 0;; tries++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY || tries >= 50)
			return -errno;
		sleep_ms(10);
	}
}

static int rmdir_one(const char *dir, void *arg)
{
	int *first_err = arg;
	int r = rmdir_settled(dir);
	if (r < 0 && *first_err == 0 && !is_not_ours(-r))
		*first_err = r;
	return 0;
}

int tr_cgroup_remove(const char *group, int member, struct tr_error *err)
{
	if (!group_ok(group, err))
		return -1;
	struct hier h[MAX_HIER];
	unsigned n = hierarchies(h);
	for (unsigned i = 0; i < n; i++) {
		char dir[PATH_LEN];
		int bad = 0;
		group_dir(dir, sizeof(dir), &h[i], group, member);
		if (!path_exists(dir))
			continue;
		if (member == TR_CG_ALL) {
			/* The leaves first: a group with children is busy. */
			DIR *d = opendir(dir);
			struct dirent *de;
			while (d && (de = readdir(d)) != NULL) {
				char sub[PATH_LEN];
				if (de->d_type != DT_DIR || de->d_name[0] == '.')
					continue;
				snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
				rmdir_one(sub, &bad);
			}
			if (d)
				closedir(d);
		}
		rmdir_one(dir, &bad);
		if (bad == -EBUSY)
			return tr_err(err, EX_TEMPFAIL,
				      "cgroup %s still has processes; stop them (see its cgroup.procs) and retry",
				      dir);
		if (bad < 0)
			return tr_err_sys(err, EX_OSERR, -bad,
					  "cannot remove cgroup %s", dir);
	}
	return 0;
}

bool tr_cgroup_is_hard(const char *group, enum tr_cg_ctrl ctrl)
{
	struct tr_cg_where w;
	char dir[PATH_LEN], p[PATH_LEN + 64], val[64];
	if (!tr_cg_group_name_ok(group))
		return false;
	tr_cgroup_locate(ctrl, &w);
	if (!w.found)
		return false;
	snprintf(dir, sizeof(dir), "%s/%s", w.root, group);
	switch (ctrl) {
	case TR_CG_CPUSET:
		snprintf(p, sizeof(p), "%s/cpuset.cpus", dir);
		return read_small(p, val, sizeof(val)) == 0 && val[0] != '\0';
	case TR_CG_PIDS:
		snprintf(p, sizeof(p), "%s/pids.max", dir);
		return read_small(p, val, sizeof(val)) == 0 && strcmp(val, "max") != 0;
	case TR_CG_MEMORY:
		snprintf(p, sizeof(p), "%s/%s", dir,
			 w.v2 ? "memory.max" : "memory.limit_in_bytes");
		return read_small(p, val, sizeof(val)) == 0 && strcmp(val, "max") != 0 &&
		       strtoull(val, NULL, 10) < (UINT64_C(1) << 62);
	case TR_CG_HUGETLB: {
		static const uint64_t sizes[] = { UINT64_C(2) << 20, UINT64_C(1) << 30 };
		for (size_t i = 0; i < TR_ARRAY_SIZE(sizes); i++) {
			char file[64];
			tr_cg_hugetlb_limit_file(file, sizeof(file), sizes[i], w.v2, false);
			snprintf(p, sizeof(p), "%s/%s", dir, file);
			if (read_small(p, val, sizeof(val)) < 0)
				continue;
			/* Unlimited reads "max" (v2) or a page-rounded
			 * LONG_MAX (v1). */
			if (strcmp(val, "max") != 0 &&
			    strtoull(val, NULL, 10) < (UINT64_C(1) << 62))
				return true;
		}
		return false;
	}
	default:
		return false;
	}
}
