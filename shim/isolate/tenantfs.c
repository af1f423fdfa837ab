/* SPDX-License-Identifier: BSD-3-Clause */
#include "isolate/tenantfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/dpdkfs.h"
#include "common/fsutil.h"
#include "common/layout.h"
#include "host/hugefs.h"
#include "isolate/vfio.h"
#include "tenantrt_proto.h"

typedef void (*note_fn)(void *ctx, const char *what);

/* Files named like hugepages under the tenant's hugetlbfs mountpoint: a
 * DPDK secondary that did not see the mount (another mount namespace)
 * made them, 2 MiB of ordinary memory or disk each, and failed in EAL. */
#define ORDINARY "ordinary files named like hugepages"

/*
 * Set-up works on descriptors: each dir is opened once, without following
 * a link at any step (tr_open_dir_safe, openat O_NOFOLLOW), and is then
 * changed and mounted on through its fd (fchmod, fchown, move_mount), never
 * again by a path a tenant could swap in between.
 */

/* The tenant's own dir <parent>/<tenant>, made 0700 when missing. */
static int open_tenant_dir(int parent, const char *tenant, const char *show,
			   struct tr_error *err)
{
	if (mkdirat(parent, tenant, 0700) < 0 && errno != EEXIST)
		return tr_err_sys(err, EX_CANTCREAT, errno, "cannot create %s", show);
	int fd = openat(parent, tenant, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return tr_err_sys(err, EX_CANTCREAT, errno,
				  "cannot open %s as a directory (a link or a file is there? remove it)",
				  show);
	return fd;
}

/* 0700 and the tenant's: chmod while root still owns it, then chown. */
static int give_dir(int fd, const char *show, const struct tr_isolation *iso,
		    struct tr_error *err)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return tr_err_sys(err, EX_OSERR, errno, "cannot stat %s", show);
	if ((st.st_mode & 07777) != 0700 && fchmod(fd, 0700) < 0)
		return tr_err_sys(err, EX_NOPERM, errno,
				  "cannot make %s private (0700; the shim needs CAP_FOWNER when it is not root's)",
				  show);
	if ((st.st_uid != iso->uid || st.st_gid != iso->gid) &&
	    fchown(fd, iso->uid, iso->gid) < 0)
		return tr_err_sys(err, EX_NOPERM, errno,
				  "cannot give %s to uid %u (the shim needs CAP_CHOWN)", show,
				  (unsigned)iso->uid);
	return 0;
}

/* A new filesystem of type with options (key, value pairs, NULL-ended),
 * mounted on the dir fd. 0, or -1 with errno. */
static int mount_on(int dirfd, const char *type, const char *source,
		    const char *const *opts)
{
	_cleanup_close_ int fs = fsopen(type, FSOPEN_CLOEXEC);
	if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "source", source, 0) < 0)
		return -1;
	for (size_t i = 0; opts[i] != NULL; i += 2)
		if (fsconfig(fs, FSCONFIG_SET_STRING, opts[i], opts[i + 1], 0) < 0)
			return -1;
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -1;
	_cleanup_close_ int mnt = fsmount(fs, FSMOUNT_CLOEXEC,
					  MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	if (mnt < 0)
		return -1;
	return move_mount(mnt, "", dirfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

static int open_root(const char *dir, struct tr_error *err)
{
	char bad[4096] = "";
	int fd = tr_open_dir_safe(dir, true, bad, sizeof(bad));
	if (fd < 0 && errno == EPERM)
		return tr_err(err, EX_NOPERM,
			      "%s is not root's alone (%s is another user's, or others may write it and it is not sticky); tenantrt keeps its records there",
			      dir, bad);
	if (fd < 0)
		return tr_err_sys(err, EX_CANTCREAT, errno, "cannot create or open %s", dir);
	return fd;
}

/*
 * The runtime dir: a tmpfs of its own (size= and nr_inodes=, owned by the
 * tenant, 0700) where the shim may mount one; else a plain dir made the
 * tenant's (a container: its runtime-root volume bounds it).
 */
static int setup_runtime_dir(const struct tr_isolation *iso, const char *tenant,
			     struct tr_tenantfs *out, struct tr_error *err)
{
	_cleanup_close_ int root = open_root(iso->runtime_root, err);
	if (root < 0)
		return -1;
	_cleanup_close_ int fd = open_tenant_dir(root, tenant, iso->runtime_dir, err);
	if (fd < 0)
		return -1;
	struct statfs sf;
	if (tr_fd_is_mountpoint(root, fd) && fstatfs(fd, &sf) == 0 && sf.f_type == TMPFS_MAGIC)
		return give_dir(fd, iso->runtime_dir, iso, err);  /* ours, left mounted */
	char src[TR_NAME_MAX + 16], size[32], inodes[32], uid[16], gid[16];
	snprintf(src, sizeof(src), "tenantrt-%s", tenant);
	snprintf(size, sizeof(size), "%" PRIu64, iso->rundir_bytes);
	snprintf(inodes, sizeof(inodes), "%u", iso->rundir_inodes);
	snprintf(uid, sizeof(uid), "%u", (unsigned)iso->uid);
	snprintf(gid, sizeof(gid), "%u", (unsigned)iso->gid);
	const char *const opts[] = { "size", size, "nr_inodes", inodes, "mode", "0700",
				     "uid", uid, "gid", gid, NULL };
	if (mount_on(fd, "tmpfs", src, opts) < 0) {
		if (errno != EPERM && errno != EACCES)
			return tr_err_sys(err, EX_OSERR, errno, "cannot mount a tmpfs on %s",
					  iso->runtime_dir);
		return give_dir(fd, iso->runtime_dir, iso, err);
	}
	out->run_mounted = true;
	return 0;
}

static int setup_huge_dir(const struct tr_isolation *iso, const char *tenant,
			  struct tr_tenantfs *out, struct tr_error *err)
{
	_cleanup_close_ int root = open_root(iso->huge_root, err);
	if (root < 0)
		return -1;
	_cleanup_close_ int fd = open_tenant_dir(root, tenant, iso->huge_dir, err);
	if (fd < 0)
		return -1;
	struct statfs sf;
	bool huge = fstatfs(fd, &sf) == 0 && sf.f_type == HUGETLBFS_MAGIC;
	if (huge && tr_fd_is_mountpoint(root, fd)) {
		/* Provided from outside (a Kubernetes emptyDir medium
		 * HugePages, an operator's mount): use it, never unmount it. */
		if ((uint64_t)sf.f_bsize != iso->page_bytes)
			return tr_err(err, EX_CONFIG,
				      "%s is a hugetlbfs of %" PRIu64 " kB pages, the config says %" PRIu64 " kB; fix host.hugepageSize",
				      iso->huge_dir, (uint64_t)sf.f_bsize >> 10, iso->page_bytes >> 10);
		out->quota_hard = sf.f_blocks > 0;
		return give_dir(fd, iso->huge_dir, iso, err);
	}
	char size[32], inodes[32], uid[16], gid[16];
	snprintf(size, sizeof(size), "%" PRIu64, iso->huge_limit_bytes);
	snprintf(inodes, sizeof(inodes), "%u", iso->huge_inodes);
	snprintf(uid, sizeof(uid), "%u", (unsigned)iso->uid);
	snprintf(gid, sizeof(gid), "%u", (unsigned)iso->gid);
	const char *const opts[] = {
		"pagesize", iso->page_bytes == (UINT64_C(1) << 30) ? "1G" : "2M",
		"size", size, "nr_inodes", inodes, "mode", "0700", "uid", uid, "gid", gid,
		NULL,
	};
	if (mount_on(fd, "hugetlbfs", "nodev", opts) == 0) {
		out->mounted = true;
		out->quota_hard = true;
		return 0;
	}
	int e = errno;
	if (e != EPERM && e != EACCES)
		return tr_err_sys(err, EX_OSERR, e,
				  "cannot mount a hugetlbfs on %s (pagesize, size=%s, nr_inodes=%s)",
				  iso->huge_dir, size, inodes);
	/* No CAP_SYS_ADMIN (a container): the dir must be hugetlbfs already;
	 * the quota is then soft (--socket-limit, cgroup) unless the mount
	 * has its own size=. */
	if (!huge)
		return tr_err(err, EX_NOPERM,
			      "%s is not on a hugetlbfs and the shim may not mount one (no CAP_SYS_ADMIN); mount hugetlbfs there (e.g. an emptyDir with medium HugePages) or grant CAP_SYS_ADMIN",
			      iso->huge_dir);
	out->quota_hard = tr_hugefs_size_limit(iso->huge_dir, NULL);
	return give_dir(fd, iso->huge_dir, iso, err);
}

/* Room for one more member in the runtime dir: a full one would kill it
 * with SIGBUS at its first touch of a memseg list. */
static int check_room(const struct tr_isolation *iso, struct tr_error *err)
{
	struct statvfs sv;
	if (statvfs(iso->runtime_dir, &sv) < 0)
		return 0;
	uint64_t free_b = (uint64_t)sv.f_bavail * sv.f_frsize;
	if (sv.f_blocks > 0 && free_b < TR_RUNDIR_MEMBER_BYTES)
		return tr_err(err, EX_UNAVAILABLE,
			      "its runtime dir %s has %" PRIu64 " kB free of %" PRIu64 " kB, and a DPDK member needs about %u kB there (it would die of SIGBUS); stop a member or run 'tenantrt reap'",
			      iso->runtime_dir, free_b >> 10,
			      ((uint64_t)sv.f_blocks * sv.f_frsize) >> 10, TR_RUNDIR_MEMBER_BYTES >> 10);
	if (sv.f_files > 0 && sv.f_favail < 16)
		return tr_err(err, EX_UNAVAILABLE,
			      "its runtime dir %s has %llu inodes free; stop a member or run 'tenantrt reap'",
			      iso->runtime_dir, (unsigned long long)sv.f_favail);
	return 0;
}

int tr_tenantfs_setup(const struct tr_plan *p,
		      struct tr_tenantfs *out, struct tr_error *err)
{
	const struct tr_isolation *iso = &p->iso;
	*out = (struct tr_tenantfs){ 0 };

	if (p->role == TR_ROLE_SECONDARY) {
		/* The primary made both; a secondary creating them would join
		 * nothing. */
		struct stat st;
		if (stat(iso->runtime_dir, &st) < 0 || stat(iso->huge_dir, &st) < 0)
			return tr_err(err, EX_UNAVAILABLE,
				      "the primary's runtime or hugepage dir is missing (%s, %s); start the primary first",
				      iso->runtime_dir, iso->huge_dir);
		out->quota_hard = tr_hugefs_size_limit(iso->huge_dir, NULL);
		return check_room(iso, err);
	}
	if (setup_runtime_dir(iso, p->tenant, out, err) < 0 ||
	    setup_huge_dir(iso, p->tenant, out, err) < 0)
		return -1;
	/* DPDK's primary opens its NICs' vfio groups as the tenant's uid. */
	for (unsigned i = 0; i < p->claims.n_nics; i++)
		if (tr_vfio_give("", "", p->claims.nics[i], iso->uid, iso->gid, err) < 0)
			return -1;
	return check_room(iso, err);
}

static void notef(note_fn note, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void notef(note_fn note, void *ctx, const char *fmt, ...)
{
	if (note == NULL)
		return;
	char buf[4400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	note(ctx, buf);
}

/* Remove the entries of dir that are not directories and (when prefix is
 * set) whose name starts with prefix. Returns how many went. */
/*
 * Open base/rel as a directory without following a symlink at any step of
 * rel: the shim runs as root and rel lies inside a dir the tenant owns,
 * where a link to another tenant's dir (or /etc) would make it delete what
 * is not the tenant's. base itself is made by the shim in a root-owned dir.
 */
static int open_dir_nofollow(const char *base, const char *rel)
{
	int fd = open(base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	char comp[256];
	while (fd >= 0 && rel && *rel) {
		size_t n = strcspn(rel, "/");
		if (n == 0 || n >= sizeof(comp)) {
			close(fd);
			return -1;
		}
		memcpy(comp, rel, n);
		comp[n] = '\0';
		int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		rel += n + (rel[n] == '/');
	}
	return fd;
}

static unsigned remove_files(const char *base, const char *rel, const char *prefix,
			     uint64_t *bytes)
{
	int fd = open_dir_nofollow(base, rel);
	if (fd < 0)
		return 0;
	DIR *d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return 0;
	}
	unsigned n = 0;
	size_t plen = prefix ? strlen(prefix) : 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (prefix && strncmp(de->d_name, prefix, plen) != 0)
			continue;
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    S_ISDIR(st.st_mode))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0) {
			n++;
			if (bytes)
				*bytes += (uint64_t)st.st_blocks * 512;
		}
	}
	closedir(d);
	return n;
}

/* What DPDK and older tenantrt left in a runtime dir that is no mount of
 * its own: DPDK's files in dpdk/<tenant>/, the old group manifest. Every
 * step through a descriptor opened without following a link: the tenant
 * owns this dir. */
static void clean_runtime_dir(const char *runtime_dir, const char *tenant)
{
	char rel[300];
	snprintf(rel, sizeof(rel), "dpdk/%s", tenant);
	remove_files(runtime_dir, rel, NULL, NULL);
	_cleanup_close_ int rfd = open_dir_nofollow(runtime_dir, NULL);
	if (rfd < 0)
		return;
	_cleanup_close_ int dfd = openat(rfd, "dpdk", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd >= 0)
		unlinkat(dfd, tenant, AT_REMOVEDIR);
	unlinkat(rfd, "dpdk", AT_REMOVEDIR);
	/* libtenantrt's stats (tenantrt_proto.h): a primary that was killed
	 * did not remove them. */
	remove_files(runtime_dir, TR_STATS_DIR, NULL, NULL);
	unlinkat(rfd, TR_STATS_DIR, AT_REMOVEDIR);
	unlinkat(rfd, TR_MANIFEST_NAME, 0);
}

int tr_tenantfs_teardown(const char *tenant, const char *runtime_dir,
			 const char *huge_dir, bool mounted, bool run_mounted,
			 note_fn note, void *ctx, struct tr_error *err)
{
	int rc = 0;
	struct stat st;

	if (huge_dir && *huge_dir && lstat(huge_dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		char prefix[TR_NAME_MAX + 8];
		uint64_t bytes = 0;
		/* DPDK names its page files <prefix>map_<n>; the prefix is the
		 * tenant. Nothing else in the dir is ours to delete. */
		snprintf(prefix, sizeof(prefix), "%smap_", tenant);
		unsigned n = remove_files(huge_dir, NULL, prefix, &bytes);
		if (n)
			notef(note, ctx, "tenant \"%s\": removed %u hugepage files (%" PRIu64 " MiB) in %s",
			      tenant, n, bytes >> 20, huge_dir);
		if (mounted && tr_is_mountpoint(huge_dir) && tr_hugefs_is(huge_dir, NULL, NULL)) {
			if (umount2(huge_dir, UMOUNT_NOFOLLOW) == 0) {
				notef(note, ctx, "tenant \"%s\": unmounted %s", tenant, huge_dir);
				/* Under the mount: what a member that did not see
				 * it (another mount namespace) wrote there. */
				bytes = 0;
				n = remove_files(huge_dir, NULL, prefix, &bytes);
				if (n)
					notef(note, ctx, "tenant \"%s\": removed %u " ORDINARY " (%" PRIu64 " MiB) under %s: a member outside the group's mounts made them",
					      tenant, n, bytes >> 20, huge_dir);
			} else {
				rc = tr_err_sys(err, EX_TEMPFAIL, errno,
						"tenant \"%s\": cannot unmount %s; a process still maps its pages? try 'tenantrt reap' later",
						tenant, huge_dir);
			}
		}
		if (!tr_is_mountpoint(huge_dir) && rmdir(huge_dir) == 0)
			notef(note, ctx, "tenant \"%s\": removed %s", tenant, huge_dir);
	}

	if (runtime_dir && *runtime_dir && lstat(runtime_dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		struct statfs sf;
		if (run_mounted && tr_is_mountpoint(runtime_dir) && statfs(runtime_dir, &sf) == 0 &&
		    sf.f_type == TMPFS_MAGIC) {
			/* Its tmpfs holds nothing of the host: what a stray
			 * process still holds goes with it (a lazy unmount). */
			if (umount2(runtime_dir, UMOUNT_NOFOLLOW) == 0 ||
			    umount2(runtime_dir, UMOUNT_NOFOLLOW | MNT_DETACH) == 0)
				notef(note, ctx, "tenant \"%s\": unmounted %s", tenant, runtime_dir);
		}
		if (!tr_is_mountpoint(runtime_dir))
			clean_runtime_dir(runtime_dir, tenant);
		if (rmdir(runtime_dir) == 0)
			notef(note, ctx, "tenant \"%s\": removed runtime dir %s", tenant, runtime_dir);
		else if (errno != ENOENT)
			notef(note, ctx, "tenant \"%s\": kept %s: it holds files tenantrt did not make",
			      tenant, runtime_dir);
	}
	return rc;
}

/* Is name one of pid's own files in DPDK's dir: fbarray_memseg-*_<pid> or
 * mp_socket_<pid>_<tsc>? */
static bool pid_file(const char *name, pid_t pid)
{
	if (tr_dpdk_file_pid(name) == pid)
		return true;
	char sock[48];
	int n = snprintf(sock, sizeof(sock), "mp_socket_%d_", (int)pid);
	return strncmp(name, sock, (size_t)n) == 0;
}

void tr_tenantfs_forget_member(const struct tr_plan *p, pid_t pid)
{
	if (p->role != TR_ROLE_SECONDARY || pid <= 0)
		return;
	char rel[300];
	snprintf(rel, sizeof(rel), "dpdk/%s", p->tenant);
	int fd = open_dir_nofollow(p->iso.runtime_dir, rel);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!pid_file(de->d_name, pid))
			continue;
		/* A live member holds a lock on its fbarray files: a new
		 * process that got the same pid keeps its own. */
		int f = openat(dirfd(d), de->d_name,
			       O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		bool held = f >= 0 && flock(f, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
		if (f >= 0)
			close(f);
		if (!held)
			unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
}

bool tr_tenantfs_explain_sigbus(const struct tr_plan *p, int status, char *why, size_t len)
{
	if (status != 128 + SIGBUS)
		return false;
	struct statvfs sv;
	uint64_t free_b = 0, total = 0;
	if (statvfs(p->iso.runtime_dir, &sv) == 0) {
		free_b = (uint64_t)sv.f_bavail * sv.f_frsize;
		total = (uint64_t)sv.f_blocks * sv.f_frsize;
	}
	if (total > 0 && free_b < TR_RUNDIR_MEMBER_BYTES)
		snprintf(why, len,
			 "the app died of SIGBUS (exit 135) with its runtime dir %s full (%" PRIu64 " of %" PRIu64 " kB free): DPDK maps its memseg lists there and faults when the tmpfs runs out; stop stale members or run 'tenantrt reap'",
			 p->iso.runtime_dir, free_b >> 10, total >> 10);
	else
		snprintf(why, len,
			 "the app died of SIGBUS (exit 135): a page fault it could not be given, e.g. a hugepage past the tenant's quota (hugetlb cgroup) or a full runtime dir");
	return true;
}
