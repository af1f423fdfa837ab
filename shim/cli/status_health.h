/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A member as `tenantrt status` shows it: its lease (the ledger), the
 * health record its shim writes after every probe (health/health.h), and its
 * counters (libtenantrt's stats file, else what the probe read through
 * DPDK's telemetry). Read-only, and never blocking on what the tenant
 * planted.
 *
 *   starting  admitted; the app is not forked or not up yet (pid: the
 *             shim's until the fork)
 *   running   up and making progress
 *   stuck     no progress (why and since when: the record's)
 *   exited    the app is gone, its shim is giving its lease back
 *   stale     nobody holds the lease (a killed shim); `tenantrt reap`
 *
 * A record its shim has not refreshed for TR_STATUS_PROBE_STALE_S seconds
 * while the lease is held means the shim itself stopped probing: stuck.
 */
#ifndef TR_CLI_STATUS_HEALTH_H
#define TR_CLI_STATUS_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "host/lease.h"

#define TR_STATUS_PROBE_STALE_S 10

struct tr_member_view {
	const char *state;          /* as above */
	long long since;            /* unix time the state began; 0: unknown */
	char why[320];
	bool have_packets;
	uint64_t rx, tx, drops;
	bool have_processed;
	uint64_t processed;
};

void tr_member_view_of(const struct tr_lease *l, const char *ledger_dir, long long now,
		       struct tr_member_view *out);

static inline bool tr_member_view_stuck(const struct tr_member_view *v)
{
	return v->state[0] == 's' && v->state[1] == 't' && v->state[2] == 'u';
}

#endif
