/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where DPDK 22.11 keeps a process's shared state, as the EAL names it
 * (its own eal_filesystem.h is the model). With RUNTIME_DIRECTORY=<dir>
 * and --file-prefix=<prefix>:
 *
 *   <dir>/dpdk/<prefix>/                 the EAL runtime dir, mode 0700
 *     config                             the primary holds an fcntl write
 *                                        lock on it for its whole life
 *     mp_socket, mp_socket_<pid>_<tsc>   multi-process IPC (primary, each
 *                                        secondary's requests)
 *     fbarray_memseg-<size>-<socket>-<list>[_<pid>]
 *                                        memseg lists; a secondary's copies
 *                                        carry its pid
 *     hugepage_info, dpdk_telemetry.v2    telemetry: the primary's only (22.11
 *                                        starts none in a secondary; a second
 *                                        primary on a live socket gets ":<n>")
 *   <huge-dir>/<prefix>map_<n>           one file per hugepage (legacy or
 *                                        dynamic memory without
 *                                        --single-file-segments)
 *
 * These files stay after the primary exits; tenantrt removes them.
 */
#ifndef TR_COMMON_DPDKFS_H
#define TR_COMMON_DPDKFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* RUNTIME_DIRECTORY's subdirectory DPDK uses. */
#define TR_DPDK_SUBDIR "dpdk"
/* The primary's lock file. */
#define TR_DPDK_CONFIG "config"
/* The telemetry socket of a primary (a 22.11 secondary has none). */
#define TR_DPDK_TELEMETRY "dpdk_telemetry.v2"
/* The longest socket name DPDK makes in the runtime dir:
 * "mp_socket_<pid>_<tsc>" (validation bounds its path by sun_path). */
#define TR_DPDK_LONGEST_SOCKET "mp_socket_4194304_18446744073709551615"
/* Hugepage files are "<prefix>" TR_DPDK_HUGEFILE_INFIX "<n>". */
#define TR_DPDK_HUGEFILE_INFIX "map_"

/* <runtime_dir>/dpdk/<prefix>, and a file in it (name NULL: the dir). */
void tr_dpdk_path(const char *runtime_dir, const char *prefix,
		  const char *name, char *buf, size_t len);

/*
 * Who is the group's primary right now, as DPDK itself sees it: a 22.11
 * primary holds an fcntl (POSIX record) write lock on config for its whole
 * life (rte_eal_config_create, F_SETLK); a second primary fails on it and
 * --proc-type=auto picks secondary while it is held. F_GETLK tells the
 * holder without taking anything. *holder (may be NULL) gets its pid, 0
 * when it lives in a PID namespace we cannot see. No config file, or one
 * that is not a regular file, counts as "not held": DPDK could not be
 * using it either.
 */
bool tr_dpdk_primary_lock(const char *runtime_dir, const char *prefix, pid_t *holder);

/* The pid a per-process file is named after
 * ("fbarray_memseg-2048k-0-0_42" -> 42), or -1 for any other name. */
pid_t tr_dpdk_file_pid(const char *name);

/* Is name one of prefix's hugepage files ("<prefix>map_<n>")? */
int tr_dpdk_is_hugefile(const char *name, const char *prefix);

#endif
