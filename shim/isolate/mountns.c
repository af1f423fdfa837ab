/* SPDX-License-Identifier: BSD-3-Clause */
/* A member's own view of the host (isolate/mountns.h). */
#include "isolate/mountns.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fsutil.h"
#include "common/layout.h"

/* What a step failed on, in one line, with the likely cause where the
 * kernel said no: the container's LSM or seccomp forbids mounts. */
static int fail(struct tr_error *err, const char *step, const char *path)
{
	int e = errno;
	if (e == EPERM || e == EACCES)
		return tr_err_sys(err, EX_NOPERM, e,
				  "cannot make the member's own view of the host (%s %s; an AppArmor/SELinux/seccomp policy forbids mounts here?); run the shim without CAP_SYS_ADMIN to rely on the container's own namespaces, or allow mounts",
				  step, path);
	return tr_err_sys(err, EX_OSERR, e, "cannot make the member's own view of the host (%s %s)",
			  step, path);
}

static int setattr(const char *path, unsigned flags, uint64_t set, uint64_t clr,
		   struct tr_error *err)
{
	struct mount_attr a = { .attr_set = set, .attr_clr = clr };
	if (mount_setattr(AT_FDCWD, path, flags, &a, sizeof(a)) < 0)
		return fail(err, "mount_setattr", path);
	return 0;
}

/* A detached copy of the tenant's dir (and what is mounted in it), taken
 * before the cover hides it. */
static int clone_dir(const char *dir, struct tr_error *err)
{
	_cleanup_close_ int fd = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return fail(err, "open", dir);
	int t = open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
				     AT_RECURSIVE);
	if (t < 0)
		return fail(err, "open_tree", dir);
	return t;
}

/* mkdir -p of rel under the dir fd at (our own empty tmpfs); returns the
 * last dir's fd. */
static int mkdirs_at(int at, const char *rel, const char *show, struct tr_error *err)
{
	int fd = dup(at);
	char comp[256];
	while (fd >= 0 && *rel) {
		size_t n = strcspn(rel, "/");
		if (n == 0 || n >= sizeof(comp)) {
			close(fd);
			errno = EINVAL;
			return fail(err, "mkdir", show);
		}
		memcpy(comp, rel, n);
		comp[n] = '\0';
		if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST) {
			close(fd);
			return fail(err, "mkdir", show);
		}
		int next = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		rel += n + (rel[n] == '/');
	}
	if (fd < 0)
		return fail(err, "open", show);
	return fd;
}

/* An empty tmpfs over dir; returns its root's fd. */
static int cover(const char *dir, struct tr_error *err)
{
	if (mount("tenantrt-view", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "size=64k,nr_inodes=64,mode=0755") < 0)
		return fail(err, "mount tmpfs on", dir);
	int fd = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return fail(err, "open", dir);
	return fd;
}

/* Put the clone back at <at>/<rel>/<tenant>. */
static int put_back(int clone, int at, const char *rel, const char *tenant,
		    const char *show, struct tr_error *err)
{
	_cleanup_close_ int dfd = mkdirs_at(at, rel, show, err);
	if (dfd < 0)
		return -1;
	if (mkdirat(dfd, tenant, 0700) < 0)
		return fail(err, "mkdir", show);
	if (move_mount(clone, "", dfd, tenant, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return fail(err, "move_mount to", show);
	return 0;
}

/*
 * The other tenants' mounts under dir (their runtime dirs and hugetlbfs),
 * copied into this namespace: detached, so the member's mountinfo names no
 * other tenant and its namespace pins none of their filesystems. One level
 * down, where tenantrt mounts; getdents64 on the stack (no allocation in
 * the child).
 */
static void detach_below(const char *dir, bool files_too)
{
	_cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	char buf[4096] __attribute__((aligned(8)));
	ssize_t n;
	while ((n = getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			const struct dirent64 *de = (const struct dirent64 *)(buf + off);
			off += de->d_reclen;
			if ((de->d_type != DT_DIR && !files_too) || strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			char path[4400];
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			for (int i = 0; i < 8 && umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) == 0; i++)
				;
		}
	}
}

/* What a uid 0 member would otherwise write through /proc. */
static const char *const proc_ro[] = {
	"/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs",
};

static int proc_for_non_root(struct tr_error *err)
{
	if (setattr("/proc", 0, 0, MOUNT_ATTR_RDONLY, err) < 0)
		return -1;
	for (size_t i = 0; i < TR_ARRAY_SIZE(proc_ro); i++) {
		if (access(proc_ro[i], F_OK) < 0)
			continue;
		if (mount(proc_ro[i], proc_ro[i], NULL, MS_BIND | MS_REC, NULL) < 0)
			return fail(err, "bind", proc_ro[i]);
		if (setattr(proc_ro[i], AT_RECURSIVE, MOUNT_ATTR_RDONLY, 0, err) < 0)
			return -1;
	}
	return 0;
}

int tr_mountns_enter(const struct tr_isolation *iso, const char *tenant, bool in_own_ns,
		     struct tr_error *err)
{
	if (!iso->mount_ns)
		return 0;
	const char *rel = "";
	bool huge_inside = tr_path_below(iso->huge_root, iso->runtime_root, &rel);
	if (strcmp(iso->huge_root, iso->runtime_root) == 0)
		return tr_err(err, EX_CONFIG, "host.hugepageDir is host.runtimeRoot; run 'tenantrt validate'");

	if (unshare(CLONE_NEWIPC | (in_own_ns ? 0 : CLONE_NEWNS)) < 0)
		return fail(err, "unshare", in_own_ns ? "(IPC namespace)" : "(mount and IPC namespaces)");
	/* Host unmounts still reach us; nothing of ours reaches the host. */
	if (!in_own_ns && mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return fail(err, "make slave", "/");
	/* The tenant's own dirs, opened in this namespace by a path whose
	 * every component is root's (the tenant owns only the last one,
	 * which it cannot replace). */
	_cleanup_close_ int run = clone_dir(iso->runtime_dir, err);
	if (run < 0)
		return -1;
	_cleanup_close_ int huge = clone_dir(iso->huge_dir, err);
	if (huge < 0)
		return -1;
	detach_below(iso->runtime_root, false);
	detach_below(iso->huge_root, false);
	/* The tenants' network namespace pins (<ledger>/netns/<tenant>, nsfs
	 * bound onto files) and the tmpfs netns.c hid the ledger with, copied
	 * in too: the cover below hides the whole ledger. */
	char ledger[4200], pins[4300];
	snprintf(ledger, sizeof(ledger), "%s/" TR_LEDGER_DIR, iso->runtime_root);
	snprintf(pins, sizeof(pins), "%s/" TR_NETNS_PIN_DIR, ledger);
	for (int i = 0; i < 8 && umount2(ledger, MNT_DETACH | UMOUNT_NOFOLLOW) == 0; i++)
		;
	detach_below(pins, true);

	_cleanup_close_ int rootfd = cover(iso->runtime_root, err);
	if (rootfd < 0 || put_back(run, rootfd, "", tenant, iso->runtime_dir, err) < 0)
		return -1;
	if (huge_inside) {
		if (put_back(huge, rootfd, rel, tenant, iso->huge_dir, err) < 0)
			return -1;
	} else {
		_cleanup_close_ int hfd = cover(iso->huge_root, err);
		if (hfd < 0 || put_back(huge, hfd, "", tenant, iso->huge_dir, err) < 0)
			return -1;
	}

	/* All of it read-only and nosuid (never nodev or noexec: /dev/null,
	 * /dev/vfio and the app itself must work), then the tenant's two
	 * mounts writable again. */
	if (setattr("/", AT_RECURSIVE, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID, 0, err) < 0)
		return -1;
	if (iso->uid != 0 && proc_for_non_root(err) < 0)
		return -1;
	if (setattr(iso->runtime_dir, 0, 0, MOUNT_ATTR_RDONLY, err) < 0 ||
	    setattr(iso->huge_dir, 0, 0, MOUNT_ATTR_RDONLY, err) < 0)
		return -1;
	return 0;
}
