/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The probe a shim takes of its own member about every second, in bounded
 * time (health/liveness.h judges the samples). What it looks at, cheapest
 * first; none of it can hang, and none of it takes a DPDK lock:
 *
 *   libtenantrt's stats file  <runtime dir>/tenantrt/member-<i>: the app is
 *                             up once it names the app's pid; its time_ns
 *                             is the heartbeat (the polling loop rewrites
 *                             it every second, traffic or not); packets.
 *   DPDK's config lock        a primary is up once it holds the fcntl lock
 *                             on <runtime dir>/dpdk/<tenant>/config.
 *   the EAL's shared locks    the same file is the group's shared memory
 *                             config (rte_mem_config): its rwlocks and the
 *                             heaps' spinlocks are read as plain words (health/
 *                             eallocks.h). One held across `stall` seconds
 *                             of samples was taken by a process that will
 *                             never release it: blocked.
 *   the group's rings         read through the config and the hugepage
 *                             files (health/rings.h): an enqueue or dequeue
 *                             left unfinished across two probes: blocked.
 *   the app's process         /proc/PID/stat: stopped (T) or in D:
 *                             blocked.
 *   telemetry                 (a primary: 22.11 gives a secondary none)
 *                             dpdk_telemetry.v2, only lock-free commands
 *                             (/ethdev/list, /ethdev/stats): the ports'
 *                             counters; no reply in time, or ports that
 *                             drop (imissed, rx_nombuf) while their RX count
 *                             stands still: blocked. Counters that merely
 *                             stand still are "idle", never stuck: an idle
 *                             NIC looks just like that.
 *
 * Root reads the tenant's files: each is opened without following links
 * and must be a regular file (a socket for telemetry) of bounded size.
 */
#ifndef TR_HOST_PROBE_H
#define TR_HOST_PROBE_H

#include <stdbool.h>
#include <sys/types.h>

#include "health/liveness.h"
#include "health/rings.h"
#include "plan/plan.h"

/* Time one probe may take, telemetry included. */
#define TR_PROBE_TIMEOUT_S 0.5

struct tr_probe {
	char tenant[TR_NAME_MAX];
	char runtime_dir[4096];
	char huge_dir[4096];
	unsigned member;
	enum tr_role role;
	double tel_quiet_until;   /* after a telemetry timeout, leave it be */
	struct tr_rings rings;    /* the last probe's view of the rings */
	bool have_ports;          /* the last telemetry answer's totals: */
	uint64_t port_rx, port_tx, port_miss;
	long long idle_since;     /* unix time the counters stopped moving */
};

void tr_probe_init(struct tr_probe *p, const char *tenant, const char *runtime_dir,
		   const char *huge_dir, unsigned member, enum tr_role role);

/* One sample of the member whose app is app (0: not forked yet). */
void tr_probe_take(struct tr_probe *p, pid_t app, struct tr_live_sample *s);

/* Counters from a libtenantrt stats file's text; heartbeat = time_ns.
 * false when it is not the stats of pid (another, earlier app). */
bool tr_probe_parse_stats(const char *text, pid_t pid, struct tr_live_sample *s);

#endif
