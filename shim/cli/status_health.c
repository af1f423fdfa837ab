/* SPDX-License-Identifier: BSD-3-Clause */
/* A member as `tenantrt status` shows it (cli/status_health.h). */
#include "cli/status_health.h"

#include <stdio.h>
#include <string.h>

#include "common/fsutil.h"
#include "health/health.h"
#include "health/probe.h"
#include "tenantrt_proto.h"

/* libtenantrt's counters of the member, if its app writes them. */
static bool stats_of(const struct tr_lease *l, struct tr_live_sample *s)
{
	char path[TR_LEASE_PATH_MAX + 64], text[4096];
	snprintf(path, sizeof(path), "%s/" TR_STATS_DIR "/" TR_STATS_MEMBER_FMT, l->runtime_dir,
		 l->member);
	return l->app_pid > 0 && tr_read_text(path, text, sizeof(text)) >= 0 &&
	       tr_probe_parse_stats(text, l->app_pid, s);
}

void tr_member_view_of(const struct tr_lease *l, const char *ledger_dir, long long now,
		       struct tr_member_view *out)
{
	memset(out, 0, sizeof(*out));
	if (!l->alive) {
		out->state = "stale";
		snprintf(out->why, sizeof(out->why),
			 "no shim holds its lease (killed?); 'tenantrt reap' reclaims it");
		return;
	}
	if (l->app_pid == 0) {
		out->state = "starting";
		out->since = l->since;
		snprintf(out->why, sizeof(out->why), "admitted; its shim (pid %d) has not forked the app yet",
			 (int)l->shim_pid);
		return;
	}
	if (!tr_pid_alive(l->app_pid)) {
		out->state = "exited";
		snprintf(out->why, sizeof(out->why), "the app (pid %d) ended; its shim is giving the lease back",
			 (int)l->app_pid);
		return;
	}
	struct tr_live_sample s = { 0 };
	if (stats_of(l, &s)) {
		out->have_packets = true;
		out->rx = s.rx;
		out->tx = s.tx;
		out->drops = s.drops;
		out->have_processed = s.have_processed;
		out->processed = s.processed;
	}
	char path[TR_LEASE_PATH_MAX + 64];
	struct tr_health h;
	tr_health_path(ledger_dir, l->tenant, l->member, path, sizeof(path));
	if (tr_health_read(path, &h) < 0 || h.app_pid != l->app_pid) {
		out->state = "starting";
		out->since = l->since;
		snprintf(out->why, sizeof(out->why), "forked (pid %d); not probed yet", (int)l->app_pid);
		return;
	}
	if (!out->have_packets && h.have_packets) {
		out->have_packets = true;
		out->rx = h.rx;
		out->tx = h.tx;
		out->drops = h.drops;
	}
	if (now - h.probed > TR_STATUS_PROBE_STALE_S) {
		out->state = "stuck";
		out->since = h.probed;
		snprintf(out->why, sizeof(out->why), "its shim (pid %d) has not probed it for %lld s",
			 (int)l->shim_pid, now - h.probed);
		return;
	}
	out->state = tr_health_state_name(h.state);
	out->since = h.since;
	snprintf(out->why, sizeof(out->why), "%s", h.why);
}
