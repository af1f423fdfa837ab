/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Liveness that sees progress, not pids: the verdict on one member from
 * the samples its shim's probe takes about every second (health/probe.h
 * takes them, in bounded time). A pure state machine, unit-tested:
 *
 *   starting  admitted, the app not up yet. Stuck when it is not up
 *             `startup` seconds after its start (a member that froze in
 *             EAL init, or in its own init on a lock a dead peer held).
 *   running   up; a sample that shows a sign of a stuck group ("blocked":
 *             a ring with an unfinished operation, a telemetry probe that
 *             timed out, a stopped process, a NIC that drops while its
 *             counters stand still; or an EAL lock word held) or a
 *             heartbeat that stopped moving starts the stall clock.
 *   stuck     the stall clock passed `stall` seconds (TR_LIVE_LOCK_HOLD_S
 *             when the only sign is a held EAL lock: those are legitimately
 *             held for up to 0.4 s a GiB while memory is mapped). A member
 *             recovers to running when the signs go and the heartbeat
 *             moves again.
 *
 * A heartbeat counts only when it moves even with no traffic
 * (libtenantrt's stats file is rewritten by the polling loop itself every
 * second); packet counters of an idle NIC do not move, so they are shown,
 * never used to call a member stuck.
 */
#ifndef TR_HOST_LIVENESS_H
#define TR_HOST_LIVENESS_H

#include <stdbool.h>
#include <stdint.h>

#include "health/health.h"

/* How often a shim probes its member. */
#define TR_LIVE_PERIOD_S 1.0
/* Seconds an EAL lock word may stay held before the group is stuck. */
#define TR_LIVE_LOCK_HOLD_S 10.0

struct tr_live_policy {
	double startup;           /* seconds a member may take to come up */
	double stall;             /* seconds of no progress that make it stuck */
	double lock_hold;         /* seconds an EAL lock may stay held */
};

/* What one probe saw of a member. */
struct tr_live_sample {
	double t;                 /* monotonic seconds */
	bool up;                  /* the app is up (its probe answered) */
	bool has_heartbeat;       /* heartbeat is a counter that moves while the
				     app's loop turns, traffic or not */
	uint64_t heartbeat;
	bool blocked;             /* a sign of a stuck group; why says which */
	bool lock_held;           /* an EAL lock word held (why says which) */
	char why[200];            /* what the probe saw (blocked, not up) */
	bool have_packets;
	uint64_t rx, tx, drops;
	bool have_processed;      /* libtenantrt: packets given to the handler */
	uint64_t processed;
};

struct tr_liveness {
	enum tr_health_state state;
	double state_t;           /* monotonic start of the state */
	long long state_wall;     /* unix time of the same */
	long long stuck_wall;     /* unix time it was found stuck */
	double start_t;           /* when the member started */
	double stall_t;           /* monotonic start of the stall; 0: none */
	bool stall_locks_only;    /* every sign so far was a held EAL lock */
	char stall_why[200];
	bool seen_heartbeat;
	uint64_t heartbeat;
	char why[256];            /* why the state is what it is */
};

void tr_liveness_init(struct tr_liveness *lv, double now, long long wall);

/* Take a sample (wall: unix time of it); returns the state after it. */
enum tr_health_state tr_liveness_feed(struct tr_liveness *lv, const struct tr_live_policy *p,
				      const struct tr_live_sample *s, long long wall);

/* The member's record from the verdict and the last sample. */
void tr_liveness_record(const struct tr_liveness *lv, const struct tr_live_sample *s,
			pid_t app_pid, long long wall, struct tr_health *out);

#endif
