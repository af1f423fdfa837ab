/* SPDX-License-Identifier: BSD-3-Clause */
/* The ledger's storage: its lock, its lease files, and the sweep of
 * stale ones (host/ledger.h). */
#include "host/ledger.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/dpdkfs.h"
#include "common/fsutil.h"
#include "common/layout.h"
#include "host/dynuid.h"

int tr_ledger_open(struct tr_ledger *lg, const char *runtime_root, bool create,
		   struct tr_error *err)
{
	lg->lock_fd = -1;
	snprintf(lg->root, sizeof(lg->root), "%s", runtime_root);
	snprintf(lg->dir, sizeof(lg->dir), "%s/" TR_LEDGER_DIR, runtime_root);
	char path[TR_LEASE_PATH_MAX + 8];
	snprintf(path, sizeof(path), "%s/lock", lg->dir);
	/* Root's alone, reached without following a link: every component of
	 * the runtimeRoot root's (or sticky), the ledger itself 0700. */
	char bad[TR_LEASE_PATH_MAX] = "";
	_cleanup_close_ int rfd = tr_open_dir_safe(runtime_root, create, bad, sizeof(bad));
	if (rfd < 0 && errno == EPERM)
		return tr_err(err, EX_NOPERM,
			      "%s is not root's alone (%s is another user's, or others may write it and it is not sticky); the ledger must be",
			      runtime_root, bad);
	if (rfd < 0 && !create && errno == ENOENT)
		return tr_err(err, EX_NOINPUT,
			      "no ledger under %s: no tenant was started with this runtimeRoot",
			      runtime_root);
	if (rfd < 0)
		return tr_err_sys(err, EX_CANTCREAT, errno, "cannot create %s", runtime_root);
	if (create && mkdirat(rfd, TR_LEDGER_DIR, 0700) < 0 && errno != EEXIST)
		return tr_err_sys(err, EX_CANTCREAT, errno,
				  "cannot create the ledger %s", lg->dir);
	_cleanup_close_ int dfd = openat(rfd, TR_LEDGER_DIR,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (dfd >= 0 && fstat(dfd, &st) == 0 && create &&
	    ((st.st_mode & 07777) != 0700 || st.st_uid != geteuid()) &&
	    (fchown(dfd, geteuid(), getegid()) < 0 || fchmod(dfd, 0700) < 0))
		return tr_err_sys(err, EX_NOPERM, errno, "cannot make the ledger %s root's (0700)",
				  lg->dir);
	if (dfd < 0 && !create && errno == ENOENT)
		return tr_err(err, EX_NOINPUT,
			      "no ledger under %s: no tenant was started with this runtimeRoot",
			      runtime_root);
	if (dfd < 0)
		return tr_err_sys(err, EX_CANTCREAT, errno, "cannot open the ledger %s", lg->dir);
	lg->lock_fd = openat(dfd, "lock", O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK |
					      (create ? O_CREAT : 0), 0600);
	if (lg->lock_fd < 0) {
		if (!create && errno == ENOENT)
			return tr_err(err, EX_NOINPUT,
				      "no ledger under %s: no tenant was started with this runtimeRoot",
				      runtime_root);
		return tr_err_sys(err, EX_CANTCREAT, errno, "cannot open %s", path);
	}
	return 0;
}

void tr_ledger_close(struct tr_ledger *lg)
{
	if (lg->lock_fd >= 0)
		close(lg->lock_fd);
	lg->lock_fd = -1;
}

int tr_ledger_lock(struct tr_ledger *lg, bool exclusive, struct tr_error *err)
{
	while (flock(lg->lock_fd, exclusive ? LOCK_EX : LOCK_SH) < 0)
		if (errno != EINTR)
			return tr_err_sys(err, EX_OSERR, errno, "cannot lock the ledger %s",
					  lg->dir);
	return 0;
}

void tr_ledger_unlock(struct tr_ledger *lg)
{
	flock(lg->lock_fd, LOCK_UN);
}

static int lease_cmp(const void *a, const void *b)
{
	const struct tr_lease *x = a, *y = b;
	int c = strcmp(x->tenant, y->tenant);
	if (c)
		return c;
	return x->member < y->member ? -1 : x->member > y->member;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a > b && strcmp(s + a - b, suffix) == 0;
}

int tr_ledger_scan(struct tr_ledger *lg, struct tr_lease **out, unsigned *n,
		   struct tr_error *err)
{
	*out = NULL;
	*n = 0;
	DIR *d = opendir(lg->dir);
	if (d == NULL)
		return tr_err_sys(err, EX_OSERR, errno, "cannot read the ledger %s", lg->dir);
	struct tr_lease *v = NULL;
	unsigned cnt = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!has_suffix(de->d_name, ".lease"))
			continue;
		char path[TR_LEASE_PATH_MAX + 300];
		snprintf(path, sizeof(path), "%s/%s", lg->dir, de->d_name);
		_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		char text[16384];
		ssize_t r = pread(fd, text, sizeof(text) - 1, 0);
		if (r < 0)
			continue;
		text[r] = '\0';
		if (cnt == cap) {
			cap = cap ? cap * 2 : 8;
			struct tr_lease *nv = realloc(v, cap * sizeof(*v));
			if (nv == NULL) {
				free(v);
				closedir(d);
				return tr_err(err, EX_OSERR, "out of memory reading the ledger");
			}
			v = nv;
		}
		struct tr_lease *l = &v[cnt];
		if (tr_lease_parse(l, text) < 0) {
			/* A lease half-written by a shim killed at admission:
			 * keep it only while someone holds it. */
			memset(l, 0, sizeof(*l));
			snprintf(l->tenant, sizeof(l->tenant), "?");
		}
		/* Alive when its shim still holds the flock. */
		if (flock(fd, LOCK_SH | LOCK_NB) < 0) {
			l->alive = (errno == EWOULDBLOCK);
		} else {
			l->alive = false;
			flock(fd, LOCK_UN);
		}
		snprintf(l->file, sizeof(l->file), "%s", path);
		cnt++;
	}
	closedir(d);
	if (cnt > 1)
		qsort(v, cnt, sizeof(*v), lease_cmp);
	*out = v;
	*n = cnt;
	return 0;
}

int tr_lease_write(int fd, const struct tr_lease *l, struct tr_error *err)
{
	char buf[16384];
	int n = tr_lease_format(l, buf, sizeof(buf));
	if (n < 0)
		return tr_err(err, EX_SOFTWARE, "lease of tenant \"%s\" is too large", l->tenant);
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n)
		return tr_err_sys(err, EX_IOERR, errno, "cannot write the lease of tenant \"%s\"",
				  l->tenant);
	return 0;
}

void tr_ledger_forget_tenant(struct tr_ledger *lg, const char *tenant, bool clean)
{
	char path[TR_LEASE_PATH_MAX + TR_NAME_MAX + 16];
	snprintf(path, sizeof(path), "%s/%s" TR_GROUP_RECORD_SUFFIX, lg->dir, tenant);
	unlink(path);
	tr_dynuid_release(lg->dir, tenant, clean);
}
