/* SPDX-License-Identifier: BSD-3-Clause */
/* The verdict on a member from its probes (health/liveness.h). Pure. */
#include "health/liveness.h"

#include <stdio.h>
#include <string.h>

void tr_liveness_init(struct tr_liveness *lv, double now, long long wall)
{
	memset(lv, 0, sizeof(*lv));
	lv->state = TR_HEALTH_STARTING;
	lv->state_t = now;
	lv->state_wall = wall;
	lv->start_t = now;
	snprintf(lv->why, sizeof(lv->why), "admitted; the app is not up yet");
}

static void enter(struct tr_liveness *lv, enum tr_health_state st, double t, long long wall)
{
	if (lv->state == st)
		return;
	lv->state = st;
	if (st == TR_HEALTH_STUCK)
		lv->stuck_wall = wall;
	lv->state_t = t;
	lv->state_wall = wall;
}

/* Did the heartbeat move since the last sample? (First one: no.) */
static bool heartbeat_moved(struct tr_liveness *lv, const struct tr_live_sample *s)
{
	if (!s->has_heartbeat)
		return false;
	bool moved = lv->seen_heartbeat && s->heartbeat != lv->heartbeat;
	lv->seen_heartbeat = true;
	lv->heartbeat = s->heartbeat;
	return moved;
}

enum tr_health_state tr_liveness_feed(struct tr_liveness *lv, const struct tr_live_policy *p,
				      const struct tr_live_sample *s, long long wall)
{
	bool moved = heartbeat_moved(lv, s);

	if (lv->state == TR_HEALTH_STARTING) {
		if (s->up) {
			enter(lv, TR_HEALTH_RUNNING, s->t, wall);
			lv->stall_t = 0;
			snprintf(lv->why, sizeof(lv->why), "up: %s", s->why);
		} else if (s->t - lv->start_t >= p->startup) {
			enter(lv, TR_HEALTH_STUCK, s->t, wall);
			lv->stuck_wall = wall;
			snprintf(lv->why, sizeof(lv->why), "not up %.0f s after its start: %s",
				 s->t - lv->start_t, s->why);
		} else {
			snprintf(lv->why, sizeof(lv->why), "starting: %s", s->why);
		}
		return lv->state;
	}

	/* Up once: look for signs of a stuck group, and for the heartbeat. */
	bool still = s->has_heartbeat && !moved;
	bool other = s->blocked || still || !s->up;
	if (!other && !s->lock_held) {
		lv->stall_t = 0;
		snprintf(lv->why, sizeof(lv->why), "up: %s", s->why);
		enter(lv, TR_HEALTH_RUNNING, s->t, wall);
		return lv->state;
	}
	if (lv->stall_t == 0) {
		lv->stall_t = s->t;
		lv->stall_locks_only = true;
	}
	if (other)
		lv->stall_locks_only = false;
	if (s->blocked || s->lock_held || !s->up)
		snprintf(lv->stall_why, sizeof(lv->stall_why), "%s", s->why);
	else
		snprintf(lv->stall_why, sizeof(lv->stall_why),
			 "its heartbeat has not moved (%s)", s->why);
	double bound = lv->stall_locks_only ? p->lock_hold : p->stall;
	if (s->t - lv->stall_t >= bound) {
		if (lv->state != TR_HEALTH_STUCK) {
			/* The state began when the stall did. */
			enter(lv, TR_HEALTH_STUCK, lv->stall_t, wall - (long long)(s->t - lv->stall_t));
			lv->stuck_wall = wall;
		}
		snprintf(lv->why, sizeof(lv->why), "%s, for %.0f s", lv->stall_why,
			 s->t - lv->stall_t);
	}
	return lv->state;
}

void tr_liveness_record(const struct tr_liveness *lv, const struct tr_live_sample *s,
			pid_t app_pid, long long wall, struct tr_health *out)
{
	memset(out, 0, sizeof(*out));
	out->state = lv->state;
	out->since = lv->state_wall;
	out->probed = wall;
	out->stuck_at = lv->state == TR_HEALTH_STUCK ? lv->stuck_wall : 0;
	out->app_pid = app_pid;
	snprintf(out->why, sizeof(out->why), "%s", lv->why);
	if (s && s->have_packets) {
		out->have_packets = true;
		out->rx = s->rx;
		out->tx = s->tx;
		out->drops = s->drops;
	}
}
