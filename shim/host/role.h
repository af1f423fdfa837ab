/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Who is the tenant's primary right now, as DPDK itself sees it.
 *
 * A DPDK 22.11 primary creates <runtime dir>/dpdk/<prefix>/config and holds
 * an fcntl (POSIX record) write lock on it for its whole life
 * (rte_eal_config_create, F_SETLK); a second primary fails on that lock and
 * --proc-type=auto picks secondary while it is held. F_GETLK on the same
 * file tells us the holder's pid without taking anything, so the shim can
 * decide the role (and refuse a second primary) before EAL runs.
 */
#ifndef TR_HOST_ROLE_H
#define TR_HOST_ROLE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/error.h"
#include "plan/plan.h"

enum tr_role_request {
	TR_REQ_AUTO = 0,
	TR_REQ_PRIMARY,
	TR_REQ_SECONDARY,
};

/* "primary" | "secondary" | "auto" -> request; -1 on anything else. */
int tr_role_request_parse(const char *s, enum tr_role_request *out);

/* <runtime_dir>/dpdk/<tenant>/config into buf. */
void tr_role_config_path(const char *runtime_dir, const char *tenant,
			 char *buf, size_t len);

/*
 * Is the tenant's DPDK config lock held? *holder (may be NULL) gets the
 * holder's pid, 0 when it lives in a pid namespace we cannot see. No
 * config file, or an unreadable one, counts as "not held": DPDK itself
 * could not be using it either.
 */
bool tr_role_lock_held(const char *runtime_dir, const char *tenant,
		       pid_t *holder);

#endif
