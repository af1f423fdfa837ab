/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A group lives in one PID namespace. DPDK names a secondary's files after
 * its pid (fbarray_memseg-*_<pid>, common/dpdkfs.h), so two members in
 * different PID namespaces (each container's app is pid 2 under a pid-1
 * shim) clash in the shared runtime dir; and a primary this namespace
 * cannot see is "gone" to every pid-based liveness check. Both are refused
 * before EAL runs, EX_UNAVAILABLE, one line.
 */
#ifndef TR_HOST_PIDNS_H
#define TR_HOST_PIDNS_H

#include <sys/types.h>

#include "common/error.h"

/*
 * Holders of the flock on file (dev, ino) in /proc/locks text: fills up
 * to max pids as this PID namespace sees them (0 = holder not visible in
 * this namespace); returns how many holders were found.
 */
unsigned tr_pidns_lock_holders(const char *proc_locks, dev_t dev, ino_t ino,
			       pid_t *pids, unsigned max);

/*
 * Refuse to start a group member whose PID namespace differs from the
 * group's: dpdk_dir is the tenant's DPDK runtime dir
 * (<runtimeRoot>/<tenant>/dpdk/<prefix>); locks_path is /proc/locks. A
 * per-process file held by a process this namespace cannot see, or sees
 * under another pid than the file's name, means DPDK's pid-named files
 * will clash. A missing dir is fine (no member yet).
 */
int tr_pidns_check_group(const char *dpdk_dir, const char *locks_path,
			 struct tr_error *err);

/*
 * A secondary's first check, before any pid-named file exists: DPDK's
 * primary holds an fcntl lock on <dpdk_dir>/config, and F_GETLK reports
 * its pid as 0 when the holder is outside this PID namespace. Fine when
 * nobody holds the lock (the role decision deals with that).
 */
int tr_pidns_check_primary_visible(const char *dpdk_dir, struct tr_error *err);

#endif
