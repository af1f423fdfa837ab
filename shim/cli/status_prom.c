/* SPDX-License-Identifier: BSD-3-Clause */
/* Prometheus text exposition of `tenantrt status` (cli/status_prom.h). */
#include "cli/status_prom.h"

#include <inttypes.h>
#include <string.h>

#include "plan/plan.h"

static const char *const states[] = { "starting", "running", "stuck", "exited", "stale" };

static void family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value: backslash, double quote and newline escaped. */
static void label(FILE *out, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fprintf(out, "\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", out);
		else
			fputc(*v, out);
	}
}

static void tenant_labels(FILE *out, const char *metric, const char *tenant)
{
	fprintf(out, "%s{tenant=\"", metric);
	label(out, tenant);
	fputs("\"}", out);
}

static void member_labels(FILE *out, const char *metric, const struct tr_lease *l,
			  const char *extra_key, const char *extra)
{
	fprintf(out, "%s{tenant=\"", metric);
	label(out, l->tenant);
	fprintf(out, "\",member=\"%u\",role=\"%s\"", l->member, tr_role_name(l->role));
	if (extra_key) {
		fprintf(out, ",%s=\"", extra_key);
		label(out, extra);
		fputc('"', out);
	}
	fputc('}', out);
}

enum counter { RX, TX, DROPS, PROCESSED };

static bool counter_of(const struct tr_member_view *m, enum counter c, uint64_t *v)
{
	switch (c) {
	case RX: *v = m->rx; return m->have_packets;
	case TX: *v = m->tx; return m->have_packets;
	case DROPS: *v = m->drops; return m->have_packets;
	default: *v = m->processed; return m->have_processed;
	}
}

void tr_status_prometheus(FILE *out, const struct tr_lease *v, const struct tr_member_view *mv,
			  unsigned n, const struct tr_prom_tenant *t, unsigned nt)
{
	family(out, "tenantrt_tenant_members", "gauge",
	       "Members of the tenant's group in the ledger, live or not.");
	for (unsigned i = 0; i < nt; i++) {
		tenant_labels(out, "tenantrt_tenant_members", t[i].name);
		fprintf(out, " %u\n", t[i].members);
	}
	family(out, "tenantrt_tenant_live_members", "gauge",
	       "Members whose shim holds its lease.");
	for (unsigned i = 0; i < nt; i++) {
		tenant_labels(out, "tenantrt_tenant_live_members", t[i].name);
		fprintf(out, " %u\n", t[i].live);
	}
	family(out, "tenantrt_tenant_primary_up", "gauge",
	       "1 when the tenant's DPDK primary holds its config lock.");
	for (unsigned i = 0; i < nt; i++) {
		tenant_labels(out, "tenantrt_tenant_primary_up", t[i].name);
		fprintf(out, " %d\n", t[i].primary_lock ? 1 : 0);
	}
	family(out, "tenantrt_tenant_stuck", "gauge",
	       "1 when a member of the tenant's group is stuck (no progress).");
	for (unsigned i = 0; i < nt; i++) {
		int stuck = 0;
		for (unsigned m = 0; m < n; m++)
			if (strcmp(v[m].tenant, t[i].name) == 0 && tr_member_view_stuck(&mv[m]))
				stuck = 1;
		tenant_labels(out, "tenantrt_tenant_stuck", t[i].name);
		fprintf(out, " %d\n", stuck);
	}
	family(out, "tenantrt_hugepages_used_bytes", "gauge",
	       "Hugepage memory the tenant's hugetlbfs holds.");
	for (unsigned i = 0; i < nt; i++) {
		tenant_labels(out, "tenantrt_hugepages_used_bytes", t[i].name);
		fprintf(out, " %" PRIu64 "\n", t[i].used_pages * t[i].page_bytes);
	}
	family(out, "tenantrt_hugepages_quota_bytes", "gauge",
	       "The tenant's hugepage quota (memory.limitMb in whole pages).");
	for (unsigned i = 0; i < nt; i++) {
		tenant_labels(out, "tenantrt_hugepages_quota_bytes", t[i].name);
		fprintf(out, " %" PRIu64 "\n", t[i].quota_pages * t[i].page_bytes);
	}
	family(out, "tenantrt_hugepages_quota_hard", "gauge",
	       "1 when the kernel enforces the quota (hugetlbfs size= or the hugetlb cgroup).");
	for (unsigned i = 0; i < nt; i++) {
		tenant_labels(out, "tenantrt_hugepages_quota_hard", t[i].name);
		fprintf(out, " %d\n", t[i].hard ? 1 : 0);
	}
	family(out, "tenantrt_hugepage_size_bytes", "gauge", "The size of the tenant's hugepages.");
	for (unsigned i = 0; i < nt; i++) {
		tenant_labels(out, "tenantrt_hugepage_size_bytes", t[i].name);
		fprintf(out, " %" PRIu64 "\n", t[i].page_bytes);
	}

	family(out, "tenantrt_member_state", "gauge",
	       "The member's state: 1 for the one it is in (starting, running, stuck, exited, stale).");
	for (unsigned m = 0; m < n; m++)
		for (size_t s = 0; s < sizeof(states) / sizeof(states[0]); s++) {
			member_labels(out, "tenantrt_member_state", &v[m], "state", states[s]);
			fprintf(out, " %d\n", strcmp(mv[m].state, states[s]) == 0);
		}
	family(out, "tenantrt_member_state_since_seconds", "gauge",
	       "Unix time the member's state began.");
	for (unsigned m = 0; m < n; m++) {
		if (mv[m].since <= 0)
			continue;
		member_labels(out, "tenantrt_member_state_since_seconds", &v[m], NULL, NULL);
		fprintf(out, " %lld\n", mv[m].since);
	}
	static const struct {
		const char *name, *help;
	} counters[] = {
		[RX] = { "tenantrt_member_rx_packets_total",
			 "Packets received: libtenantrt's count, or for another app's primary its ports' totals (DPDK telemetry)." },
		[TX] = { "tenantrt_member_tx_packets_total", "Packets sent (as rx)." },
		[DROPS] = { "tenantrt_member_dropped_packets_total",
			    "Packets dropped: full rings and handler drops, or the ports' missed, errors and no-mbuf counts." },
		[PROCESSED] = { "tenantrt_member_processed_packets_total",
				"Packets handed to the member's handler (libtenantrt only)." },
	};
	for (enum counter c = RX; c <= PROCESSED; c++) {
		family(out, counters[c].name, "counter", counters[c].help);
		for (unsigned m = 0; m < n; m++) {
			uint64_t x;
			if (!counter_of(&mv[m], c, &x))
				continue;
			member_labels(out, counters[c].name, &v[m], NULL, NULL);
			fprintf(out, " %" PRIu64 "\n", x);
		}
	}
}
