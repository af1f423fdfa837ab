/* SPDX-License-Identifier: BSD-3-Clause */
#include "common/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"

int tr_mkdir_p(const char *path, mode_t mode)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

ssize_t tr_read_text(const char *path, char *buf, size_t len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return -1;
	}
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
	while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == ' '))
		got--;
	buf[got] = '\0';
	return (ssize_t)got;
}

int tr_write_text(const char *path, const char *text)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	size_t len = strlen(text);
	ssize_t n = write(fd, text, len);
	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

int tr_kv_next(const char **p, char *line, size_t len, const char **key, char **val)
{
	while (**p) {
		const char *nl = strchr(*p, '\n');
		size_t n = nl ? (size_t)(nl - *p) : strlen(*p);
		if (n >= len)
			return -1;
		memcpy(line, *p, n);
		line[n] = '\0';
		*p += n + (nl ? 1 : 0);
		char *eq = strchr(line, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		*key = line;
		*val = eq + 1;
		return 1;
	}
	return 0;
}

bool tr_path_below(const char *dir, const char *top, const char **rel)
{
	size_t n = strlen(top);
	if (strcmp(top, "/") == 0 || strncmp(dir, top, n) != 0 || dir[n] != '/')
		return false;
	if (rel)
		*rel = dir + n + 1;
	return true;
}

void tr_copy_field(char *out, size_t len, const char *s, size_t n)
{
	if (len == 0)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

const char *tr_env_get(char *const envp[], const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; envp && envp[i]; i++)
		if (strncmp(envp[i], name, n) == 0 && envp[i][n] == '=')
			return envp[i] + n + 1;
	return NULL;
}

double tr_now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool tr_pid_alive(pid_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

bool tr_is_mountpoint(const char *dir)
{
	struct stat a, b;
	char parent[4200];
	snprintf(parent, sizeof(parent), "%s/..", dir);
	return stat(dir, &a) == 0 && stat(parent, &b) == 0 &&
	       (a.st_dev != b.st_dev || a.st_ino == b.st_ino);
}

/* May a component owned by root with this mode lead to a tenantrt dir? */
static bool safe_mode(const struct stat *st)
{
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return false;
	return (st->st_mode & (S_IWGRP | S_IWOTH)) == 0 || (st->st_mode & S_ISVTX) != 0;
}

int tr_open_dir_safe(const char *path, bool create, char *bad, size_t badlen)
{
	if (path == NULL || path[0] != '/') {
		errno = EINVAL;
		return -1;
	}
	_cleanup_close_ int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	const char *p = path + 1;
	char comp[256];
	while (fd >= 0 && *p) {
		size_t n = strcspn(p, "/");
		if (n == 0 || n >= sizeof(comp) || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.')) {
			errno = EINVAL;
			return -1;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (create && mkdirat(fd, comp, 0755) < 0 && errno != EEXIST)
			return -1;
		int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			return -1;
		close(fd);
		fd = next;
		size_t done = (size_t)(p - path) + n;
		p += n + (p[n] == '/');
		struct stat st;
		if (fstat(fd, &st) < 0)
			return -1;
		bool last = *p == '\0';
		if (last && create && (st.st_uid == 0 || st.st_uid == geteuid()) &&
		    (st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX) &&
		    fchmod(fd, st.st_mode & 07755 & ~(mode_t)(S_IWGRP | S_IWOTH)) == 0)
			continue;
		if (!safe_mode(&st)) {
			if (bad)
				tr_copy_field(bad, badlen, path, done);
			errno = EPERM;
			return -1;
		}
	}
	return TAKE_FD(fd);
}

bool tr_fd_is_mountpoint(int parent_fd, int dirfd)
{
	struct stat a, b;
	return fstat(dirfd, &a) == 0 && fstat(parent_fd, &b) == 0 && a.st_dev != b.st_dev;
}
