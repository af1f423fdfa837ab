/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Root's records of a running group's health, next to the leases in
 * <runtimeRoot>/.ledger/ (root's, 0700: nothing the tenant can write is
 * trusted for them):
 *
 *   <tenant>.<member>.health   the member's state as its shim last probed
 *                              it (health/liveness.h decides it): starting,
 *                              running or stuck, since when, why, and the
 *                              packet counters the probe saw. Rewritten
 *                              through a rename after every probe; removed
 *                              with the member's lease.
 *   <tenant>.stop              why the group is stopping: "planned" (its
 *                              primary's shim got SIGTERM/SIGINT, or the
 *                              primary app ended with 0) or "watchdog" (a
 *                              shim's watchdog found it stuck), and which
 *                              primary it concerns. The secondaries' shims
 *                              read it to choose their exit status. It goes
 *                              when the tenant is reclaimed or a new
 *                              primary is admitted.
 *
 * Format of both: "key=value" lines.
 */
#ifndef TR_HOST_HEALTH_H
#define TR_HOST_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/error.h"

enum tr_health_state {
	TR_HEALTH_STARTING = 0,   /* admitted; the app is not up yet */
	TR_HEALTH_RUNNING = 1,    /* up, and making progress */
	TR_HEALTH_STUCK = 2,      /* up or starting, and no progress in time */
};

/* "starting" | "running" | "stuck". */
const char *tr_health_state_name(enum tr_health_state s);

struct tr_health {
	enum tr_health_state state;
	long long since;          /* unix time the state began */
	long long probed;         /* unix time of the last probe */
	long long stuck_at;       /* stuck: unix time it was found so (since
				     is when its progress stopped) */
	pid_t app_pid;
	char why[256];            /* how the probe knows, one line */
	bool have_packets;        /* the probe saw the app's counters */
	uint64_t rx, tx, drops;
};

/* <ledger>/<tenant>.<member>.health into buf. */
void tr_health_path(const char *ledger_dir, const char *tenant, unsigned member,
		    char *buf, size_t len);
/* The health file that goes with a lease file (".lease" -> ".health"). */
void tr_health_path_of_lease(const char *lease_file, char *buf, size_t len);

int tr_health_format(const struct tr_health *h, char *buf, size_t len);
int tr_health_parse(struct tr_health *h, const char *text);

/* Write atomically (a temp file in the same dir, then rename). */
int tr_health_write(const char *path, const struct tr_health *h, struct tr_error *err);
/* 0, or -1 when there is none or it is malformed. */
int tr_health_read(const char *path, struct tr_health *h);

enum tr_stop_reason {
	TR_STOP_NONE = 0,
	TR_STOP_PLANNED = 1,      /* the primary stopped on purpose */
	TR_STOP_WATCHDOG = 2,     /* a watchdog stopped a stuck group */
};

const char *tr_stop_reason_name(enum tr_stop_reason r);

struct tr_stop_mark {
	enum tr_stop_reason reason;
	pid_t primary;            /* the primary app it concerns */
	pid_t by;                 /* the shim that wrote it */
	long long since;          /* unix time */
};

/*
 * Record that tenant's group (whose primary app is m->primary) is
 * stopping. A mark for the same primary is kept when it is already there
 * (the first reason wins: a watchdog's stop stays a watchdog's stop when
 * the primary's shim then gets its SIGTERM); one for another primary (an
 * earlier group) is replaced.
 */
int tr_stop_mark_write(const char *ledger_dir, const char *tenant,
		       const struct tr_stop_mark *m, struct tr_error *err);
/* 0 and *m, or -1 when there is no mark. */
int tr_stop_mark_read(const char *ledger_dir, const char *tenant, struct tr_stop_mark *m);
void tr_stop_mark_clear(const char *ledger_dir, const char *tenant);

#endif
