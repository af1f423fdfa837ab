/* SPDX-License-Identifier: BSD-3-Clause */
#include "isolate/tenantfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fsutil.h"
#include "common/layout.h"
#include "host/hugefs.h"
#include "tenantrt_proto.h"

typedef void (*note_fn)(void *ctx, const char *what);

/* Files named like hugepages under the tenant's hugetlbfs mountpoint: a
 * DPDK secondary that did not see the mount (another mount namespace)
 * made them, 2 MiB of ordinary memory or disk each, and failed in EAL. */
#define ORDINARY "ordinary files named like hugepages"

static int make_private_dir(const char *dir, const struct tr_plan *p,
			    struct tr_error *err)
{
	if (tr_mkdir_p(dir, 0700) < 0)
		return tr_err_sys(err, EX_CANTCREAT, errno, "cannot create %s", dir);
	struct stat st;
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return tr_err(err, EX_CANTCREAT, "%s is not a directory; remove it", dir);
	if (chmod(dir, 0700) < 0)
		return tr_err_sys(err, EX_NOPERM, errno, "cannot make %s private (0700)", dir);
	if (p->iso.has_user && chown(dir, p->iso.uid, p->iso.gid) < 0)
		return tr_err_sys(err, EX_NOPERM, errno, "cannot give %s to uid %u",
				  dir, (unsigned)p->iso.uid);
	return 0;
}

int tr_tenantfs_setup(const struct tr_plan *p,
		      struct tr_tenantfs *out, struct tr_error *err)
{
	const struct tr_isolation *iso = &p->iso;
	out->mounted = false;
	out->quota_hard = false;

	if (p->role == TR_ROLE_SECONDARY) {
		/* The primary made both; a secondary creating them would join
		 * nothing. */
		struct stat st;
		if (stat(iso->runtime_dir, &st) < 0 || stat(iso->huge_dir, &st) < 0)
			return tr_err(err, EX_UNAVAILABLE,
				      "the primary's runtime or hugepage dir is missing (%s, %s); start the primary first",
				      iso->runtime_dir, iso->huge_dir);
		out->quota_hard = tr_hugefs_size_limit(iso->huge_dir, NULL);
		return 0;
	}

	if (make_private_dir(iso->runtime_dir, p, err) < 0)
		return -1;
	if (make_private_dir(iso->huge_dir, p, err) < 0)
		return -1;

	uint64_t bsize = 0;
	if (tr_is_mountpoint(iso->huge_dir) && tr_hugefs_is(iso->huge_dir, &bsize, NULL)) {
		/* Provided from outside (a Kubernetes emptyDir medium
		 * HugePages, an operator's mount): use it, never unmount it. */
		if (bsize != iso->page_bytes)
			return tr_err(err, EX_CONFIG,
				      "%s is a hugetlbfs of %" PRIu64 " kB pages, the config says %" PRIu64 " kB; fix host.hugepageSize",
				      iso->huge_dir, bsize >> 10, iso->page_bytes >> 10);
		out->quota_hard = tr_hugefs_size_limit(iso->huge_dir, NULL);
		return 0;
	}

	char opts[256];
	int n = snprintf(opts, sizeof(opts), "pagesize=%s,mode=0700",
			 iso->page_bytes == (UINT64_C(1) << 30) ? "1G" : "2M");
	if (iso->huge_limit_bytes > 0)
		n += snprintf(opts + n, sizeof(opts) - (size_t)n, ",size=%" PRIu64,
			      iso->huge_limit_bytes);
	if (iso->has_user)
		snprintf(opts + n, sizeof(opts) - (size_t)n, ",uid=%u,gid=%u",
			 (unsigned)iso->uid, (unsigned)iso->gid);
	if (mount("nodev", iso->huge_dir, "hugetlbfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  opts) == 0) {
		out->mounted = true;
		out->quota_hard = iso->huge_limit_bytes > 0;
		return 0;
	}
	int e = errno;
	if (e != EPERM && e != EACCES)
		return tr_err_sys(err, EX_OSERR, e,
				  "cannot mount a hugetlbfs on %s (%s)",
				  iso->huge_dir, opts);
	/* No CAP_SYS_ADMIN (a container): the dir must be hugetlbfs already;
	 * the quota is then soft (--socket-limit, cgroup) unless the mount
	 * has its own size=. */
	if (!tr_hugefs_is(iso->huge_dir, &bsize, NULL))
		return tr_err(err, EX_NOPERM,
			      "%s is not on a hugetlbfs and the shim may not mount one (no CAP_SYS_ADMIN); mount hugetlbfs there (e.g. an emptyDir with medium HugePages) or grant CAP_SYS_ADMIN",
			      iso->huge_dir);
	out->quota_hard = tr_hugefs_size_limit(iso->huge_dir, NULL);
	return 0;
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

int tr_tenantfs_teardown(const char *tenant, const char *runtime_dir,
			 const char *huge_dir, bool mounted, note_fn note,
			 void *ctx, struct tr_error *err)
{
	int rc = 0;
	struct stat st;

	if (huge_dir && *huge_dir && lstat(huge_dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		char prefix[TR_NAME_MAX + 8];
		uint64_t bytes = 0;
		/* DPDK names its page files <prefix>map_<n>; the prefix is the
		 * tenant. Nothing else in the dir is ours to delete. */
		snprintf(prefix, sizeof(prefix), "%smap_", tenant);
		bool huge = tr_hugefs_is(huge_dir, NULL, NULL);
		unsigned n = remove_files(huge_dir, NULL, prefix, &bytes);
		if (n)
			notef(note, ctx, "tenant \"%s\": removed %u hugepage files (%" PRIu64 " MiB) in %s",
			      tenant, n, bytes >> 20, huge_dir);
		if (mounted && tr_is_mountpoint(huge_dir) && huge) {
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
		char path[4300], rel[300];
		snprintf(rel, sizeof(rel), "dpdk/%s", tenant);
		remove_files(runtime_dir, rel, NULL, NULL);
		/* rmdir never follows a symlink: a planted link stays. */
		snprintf(path, sizeof(path), "%s/dpdk/%s", runtime_dir, tenant);
		rmdir(path);
		snprintf(path, sizeof(path), "%s/dpdk", runtime_dir);
		rmdir(path);
		/* libtenantrt's stats (tenantrt_proto.h): a primary that was
		 * killed did not remove them. */
		remove_files(runtime_dir, TR_STATS_DIR, NULL, NULL);
		snprintf(path, sizeof(path), "%s/" TR_STATS_DIR, runtime_dir);
		rmdir(path);
		snprintf(path, sizeof(path), "%s/" TR_MANIFEST_NAME, runtime_dir);
		unlink(path);
		if (rmdir(runtime_dir) == 0)
			notef(note, ctx, "tenant \"%s\": removed runtime dir %s", tenant, runtime_dir);
		else if (errno != ENOENT)
			notef(note, ctx, "tenant \"%s\": kept %s: it holds files tenantrt did not make",
			      tenant, runtime_dir);
	}
	return rc;
}
