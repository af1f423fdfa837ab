/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `tenantrt status --prometheus`: the tenants and their members in
 * Prometheus's text exposition format (0.0.4), for node-exporter's
 * textfile collector or a sidecar that serves the file. Each family has
 * its HELP and TYPE lines and all its samples together; counters end in
 * _total; labels are tenant, and member and role for per-member series.
 */
#ifndef TR_CLI_STATUS_PROM_H
#define TR_CLI_STATUS_PROM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/status_health.h"
#include "host/lease.h"

struct tr_prom_tenant {
	const char *name;
	unsigned members, live;
	uint64_t used_pages, quota_pages, page_bytes;
	bool hard;                    /* the quota is enforced by the kernel */
	bool primary_lock;            /* DPDK's primary holds its lock */
};

/* leases v[0..n) with their views mv[], sorted by tenant; tenants t[0..nt). */
void tr_status_prometheus(FILE *out, const struct tr_lease *v, const struct tr_member_view *mv,
			  unsigned n, const struct tr_prom_tenant *t, unsigned nt);

#endif
