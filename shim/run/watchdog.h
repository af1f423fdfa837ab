/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a shim watches while its app runs, beside signals and zombies (the
 * supervisor polls it, run/supervise.h):
 *
 *   - a secondary: its primary (host/role.h): gone, the member stops;
 *   - every member: its liveness (health/probe.h, health/liveness.h), probed
 *     about every second and written to root's health record
 *     (health/health.h), which `tenantrt status` reads;
 *   - the watchdog (tenants.yaml health.watchdog: N seconds, 0 = off): when
 *     a member of the group has been stuck for N seconds, the shim stops
 *     the whole group the way a pod restart would: it records the stop
 *     ("watchdog") for the group, sends SIGTERM to every other member's
 *     shim and to its own app, each shim forwards it and SIGKILLs its app
 *     after its stop timeout; each member's shim then exits TR_EXIT_STUCK
 *     (124, common/exits.h), so an orchestrator restarts them.
 *
 * And how a member's end is told (tr_member_watch_end): a secondary whose
 * primary stopped on purpose (its shim got SIGTERM/SIGINT, or the primary
 * app exited 0; recorded as "planned" by the primary's shim before it
 * forwards the signal) exits 0; one whose primary died (crashed, killed)
 * exits 69 (EX_UNAVAILABLE); any member of a group the watchdog stopped
 * exits 124.
 */
#ifndef TR_RUN_WATCHDOG_H
#define TR_RUN_WATCHDOG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "host/admit.h"
#include "health/liveness.h"
#include "health/probe.h"
#include "host/role.h"

struct tr_member_watch {
	const char *name;           /* log prefix */
	const char *tenant;
	struct tr_ledger *lg;
	const struct tr_lease *lease;   /* ours (member, role, app pid) */
	struct tr_role_watch *role;     /* a secondary's primary watch */
	pid_t app;
	pid_t primary_app;          /* the group's primary app */
	unsigned watchdog_s;        /* 0: off */
	unsigned stop_timeout;
	struct tr_live_policy policy;
	struct tr_probe probe;
	struct tr_liveness lv;
	char health_path[4200];
	double next_probe;
	bool stop_signal;           /* the shim got SIGTERM/SIGINT */
	bool watchdog_fired;
};

/* For the member whose lease is adm's and whose app is app; role is the
 * secondary's primary watch (NULL for a primary). */
void tr_member_watch_init(struct tr_member_watch *mw, const char *name, struct tr_ledger *lg,
			  const struct tr_admission *adm, struct tr_role_watch *role, pid_t app,
			  unsigned watchdog_s, unsigned startup_s, unsigned stall_s,
			  unsigned stop_timeout);

/* The supervisor's watch (ctx: the member watch). */
bool tr_member_watch_poll(void *ctx, char *why, size_t len);
/* The supervisor's on_signal. */
void tr_member_watch_signal(void *ctx, int sig);

/*
 * The shim's exit status once the app ended with status: the app's own,
 * or 0 / 69 / 124 as above. why gets the line to log, or "".
 */
int tr_member_watch_end(struct tr_member_watch *mw, int status, char *why, size_t len);

/* The member's health record goes with its lease (at release). */
void tr_member_watch_forget(struct tr_member_watch *mw);

#endif
