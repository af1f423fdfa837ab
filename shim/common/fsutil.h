/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Small helpers every stage uses: files, directories, the environment and
 * the clock. Nothing here knows about tenants.
 */
#ifndef TR_COMMON_FSUTIL_H
#define TR_COMMON_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* mkdir -p: the parents 0755, the last component with mode. 0 or -1 with
 * errno. */
int tr_mkdir_p(const char *path, mode_t mode);

/*
 * Read a small file whole into buf (NUL-terminated, at most len - 1 bytes;
 * trailing newlines and spaces cut). Opened O_NONBLOCK|O_NOFOLLOW, so a
 * FIFO or a symlink planted where a file is expected never hangs or
 * redirects the reader. Returns the length, or -1 with errno.
 */
ssize_t tr_read_text(const char *path, char *buf, size_t len);

/* One write(2) of the whole string (cgroup and sysfs files take a value per
 * write). 0 or -1 with errno. */
int tr_write_text(const char *path, const char *text);

/*
 * The next "key=value" line of root's records (leases, network records):
 * the line copied into line (len bytes), split at its first '=', *p moved
 * past it; lines without '=' are skipped. 1 for a pair, 0 at the end of
 * the text, -1 for a line longer than len (a record we never write).
 */
int tr_kv_next(const char **p, char *line, size_t len, const char **key, char **val);

/* Is dir strictly below top (both absolute, canonical)? Then *rel (when
 * rel is not NULL) is what follows "top/". Nothing is below "/" here: the
 * roots compared are a tenant's dirs, never the file system's root. */
bool tr_path_below(const char *dir, const char *top, const char **rel);

/* The n bytes at s as a NUL-terminated string in out (cut to len - 1). */
void tr_copy_field(char *out, size_t len, const char *s, size_t n);

/* NAME's value in envp (NULL-terminated "K=V" strings, like environ), or
 * NULL when unset. */
const char *tr_env_get(char *const envp[], const char *name);

/* Seconds on the monotonic clock. */
double tr_now_s(void);

/*
 * Open the directory path for set-up, each component with
 * O_NOFOLLOW|O_DIRECTORY from "/" (creating missing ones 0755 when create
 * is true), so no link planted anywhere on the way can steer it. Every
 * component must be root's; one that others may write must be sticky
 * (like /tmp); the last one, root's, loses group and other write (when
 * create is true: set-up, not a reader such as status). Returns
 * an O_DIRECTORY fd, or -1 with errno (EPERM: a component is not safe, its
 * path in bad).
 */
int tr_open_dir_safe(const char *path, bool create, char *bad, size_t badlen);

/* Is dirfd a mountpoint (on another device than its parent parent_fd)? */
bool tr_fd_is_mountpoint(int parent_fd, int dirfd);

/* Is dir a mountpoint (on another device than its parent, or the root)? */
bool tr_is_mountpoint(const char *dir);

/* Is pid a live process (zombies included) that this PID namespace sees? */
bool tr_pid_alive(pid_t pid);

#endif
