/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One PID namespace per group (host/pidns.h): DPDK names a member's files
 * after its pid, so members in two PID namespaces clash.
 */
#include "host/pidns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/dpdkfs.h"
#include "common/fsutil.h"

unsigned tr_pidns_lock_holders(const char *proc_locks, dev_t dev, ino_t ino,
			     pid_t *pids, unsigned max)
{
	unsigned n = 0;
	/* "1: FLOCK  ADVISORY  WRITE 1234 fe:01:5678 0 EOF"; blocked
	 * waiters are "1: -> FLOCK ..." and hold nothing yet. */
	for (const char *line = proc_locks; line && *line;) {
		const char *nl = strchr(line, '\n');
		char buf[256];
		tr_copy_field(buf, sizeof(buf), line, nl ? (size_t)(nl - line) : strlen(line));
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
	/* The tenant's dir: a FIFO planted here must not hang the shim. */
	_cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return 0; /* gone: its member exited */
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		flock(fd, LOCK_UN);
		return 0;
	}
	return errno == EWOULDBLOCK;
}

static int clash(struct tr_error *err, const char *dpdk_dir, const char *name,
		 const char *who)
{
	return tr_err(err, EX_UNAVAILABLE, "%s/%s is held by a group "
		      "member %s, so this member is in another PID namespace and "
		      "DPDK's pid-named files would clash; run the group in one PID "
		      "namespace (pod shareProcessNamespace: true, compose pid: "
		      "\"service:<primary>\", podman --pid container:<primary>)",
		      dpdk_dir, name, who);
}

int tr_pidns_check_group(const char *dpdk_dir, const char *locks_path,
			 struct tr_error *err)
{
	_cleanup_closedir_ DIR *d = opendir(dpdk_dir);
	if (d == NULL) {
		if (errno == ENOENT)
			return 0;
		return tr_err_sys(err, EX_OSFILE, errno, "cannot read "
				  "the runtime dir %s", dpdk_dir);
	}
	_cleanup_free_ char *locks = NULL;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		pid_t named = tr_dpdk_file_pid(de->d_name);
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
			if (tr_read_text(locks_path, locks, cap) < 0)
				return tr_err_sys(err, EX_OSFILE, errno, "cannot read %s",
						  locks_path);
		}
		pid_t holders[8];
		unsigned n = tr_pidns_lock_holders(locks, st.st_dev, st.st_ino, holders,
						 TR_ARRAY_SIZE(holders));
		for (unsigned i = 0; i < n && i < TR_ARRAY_SIZE(holders); i++)
			/* A holder we see under another number named its
			 * files after a pid of another namespace. */
			if (holders[i] != named)
				return clash(err, dpdk_dir, de->d_name,
					     "seen here under another pid");
		if (n == 0 && held_by_invisible(dirfd(d), de->d_name))
			return clash(err, dpdk_dir, de->d_name,
				     "this PID namespace cannot see");
	}
	return 0;
}

int tr_pidns_check_primary_visible(const char *dpdk_dir, struct tr_error *err)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/" TR_DPDK_CONFIG, dpdk_dir);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return 0;
	/* The whole file: any overlap with DPDK's lock is reported. */
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	if (fcntl(fd, F_GETLK, &fl) < 0 || fl.l_type == F_UNLCK || fl.l_pid > 0)
		return 0;
	return tr_err(err, EX_UNAVAILABLE, "its primary holds %s from a "
		      "PID namespace this one cannot see, so the group's pid-based "
		      "checks and DPDK's pid-named files would break; run the group "
		      "in one PID namespace (pod shareProcessNamespace: true, compose "
		      "pid: \"service:<primary>\", podman --pid container:<primary>)",
		      path);
}
