/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tenantrt-fwd: L2 forwarding between port pairs (0<->1, 2<->3, ...; an odd
 * last port sends back out of itself) with MAC rewrite, in the tenant's
 * data-path mode (distribute or symmetric, from TENANTRT_DATAPATH).
 *
 *   tenantrt-fwd <EAL args> -- [--stats SECONDS] [--adaptive]
 *                               [--dst-mac XX:XX:XX:XX:XX:XX] [--quiet]
 *
 * Source MAC = the output port's MAC; destination MAC = --dst-mac, or the
 * packet's old source (swap) by default. Counters are in the registry and in
 * $RUNTIME_DIRECTORY/tenantrt/member-<i> (see tenantrt_proto.h).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "tenantrt.h"

struct fwd {
	unsigned n_ports;
	uint16_t out[TR_MAX_PORTS];
	struct rte_ether_addr src[TR_MAX_PORTS];
	bool swap;
	struct rte_ether_addr dst;
	unsigned stats_every;   /* seconds; 0 = never print */
	unsigned ticks;
	bool quiet;
	const struct tr_identity *id;
	struct tr_member_info last;
};

static volatile bool stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = true;
}

static uint16_t fwd_burst(struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	const struct fwd *f = arg;
	uint16_t first = n ? f->out[pkts[0]->port & (TR_MAX_PORTS - 1)] : 0;
	bool one = true;

	for (uint16_t i = 0; i < n && i < 4; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
		uint16_t out = f->out[m->port & (TR_MAX_PORTS - 1)];

		if (i + 4 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 4], void *));

		eth->dst_addr = f->swap ? eth->src_addr : f->dst;
		/* A port without a pair drops: f->src has no entry for it. */
		if (likely(out != TR_DP_DROP))
			eth->src_addr = f->src[out];
		m->port = out;
		one &= out == first;
	}
	return one && first != TR_DP_DROP ? first : TR_DP_MIXED;
}

static uint64_t sum_tx(const struct tr_member_info *mi, unsigned n)
{
	uint64_t s = 0;
	for (unsigned p = 0; p < n; p++)
		s += mi->port[p].tx;
	return s;
}

static uint64_t sum_rx(const struct tr_member_info *mi, unsigned n)
{
	uint64_t s = 0;
	for (unsigned p = 0; p < n; p++)
		s += mi->port[p].rx;
	return s;
}

static uint64_t sum_drop(const struct tr_member_info *mi, unsigned n)
{
	uint64_t s = mi->handler_drop + mi->ring_drop;
	for (unsigned p = 0; p < n; p++)
		s += mi->port[p].drop;
	return s;
}

static void fwd_tick(struct tr_rt *rt, void *arg)
{
	struct fwd *f = arg;
	struct tr_member_info mi;

	tr_stats_write(rt);
	if (f->stats_every == 0 || ++f->ticks % f->stats_every)
		return;
	tr_member_get(rt, f->id->member, &mi);
	if (!f->quiet)
		printf("tenantrt-fwd %s/%u: rx %" PRIu64 " tx %" PRIu64
		       " processed %" PRIu64 " drop %" PRIu64 " | last %us: "
		       "%.3f Mpps tx\n", f->id->tenant, f->id->member,
		       sum_rx(&mi, f->n_ports), sum_tx(&mi, f->n_ports),
		       mi.processed, sum_drop(&mi, f->n_ports), f->stats_every,
		       (double)(sum_tx(&mi, f->n_ports) - sum_tx(&f->last, f->n_ports)) /
			       f->stats_every / 1e6);
	fflush(stdout);
	f->last = mi;
}

static void on_link(uint16_t port, const struct rte_eth_link *l, void *arg)
{
	const struct fwd *f = arg;

	printf("tenantrt-fwd %s/%u: port %u link %s speed %u\n", f->id->tenant,
	       f->id->member, port, l->link_status ? "up" : "down",
	       l->link_speed);
	fflush(stdout);
}

static int usage(const char *msg)
{
	fprintf(stderr, "tenantrt-fwd: %s\nusage: tenantrt-fwd <EAL args> -- "
		"[--stats SECONDS] [--adaptive] [--dst-mac XX:XX:XX:XX:XX:XX] "
		"[--quiet]\n", msg);
	return EX_USAGE;
}

static int exit_code(int err)
{
	switch (err) {
	case EINVAL: return EX_USAGE;
	case ENOTSUP: case EPROTO: return EX_CONFIG;
	case EEXIST: case ETIMEDOUT: case EPIPE: case EBUSY: return EX_UNAVAILABLE;
	case ENOMEM: case ENOSPC: return EX_OSERR;
	default: return EX_SOFTWARE;
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"stats", required_argument, NULL, 's'},
		{"adaptive", no_argument, NULL, 'a'},
		{"dst-mac", required_argument, NULL, 'd'},
		{"quiet", no_argument, NULL, 'q'},
		{NULL, 0, NULL, 0},
	};
	struct fwd f = {.swap = true};
	struct tr_dp_ops ops = {.handle = fwd_burst, .tick = fwd_tick, .arg = &f};
	struct tr_rt *rt;
	int used, c, rc;
	char *end;

	rt = tr_init(argc, argv, &used);
	if (rt == NULL) {
		fprintf(stderr, "tenantrt-fwd: %s\n", tr_strerror());
		return exit_code(rte_errno);
	}
	argc -= used;
	argv += used;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			errno = 0;
			f.stats_every = (unsigned)strtoul(optarg, &end, 10);
			if (errno || *end || *optarg == '\0' || f.stats_every > 3600) {
				tr_fini(rt);
				return usage("--stats: expected seconds, 0..3600");
			}
			break;
		case 'a':
			ops.adaptive = true;
			break;
		case 'd':
			if (rte_ether_unformat_addr(optarg, &f.dst) < 0) {
				tr_fini(rt);
				return usage("--dst-mac: expected XX:XX:XX:XX:XX:XX");
			}
			f.swap = false;
			break;
		case 'q':
			f.quiet = true;
			break;
		default:
			tr_fini(rt);
			return usage("unknown option");
		}
	}
	f.id = tr_identity(rt);
	f.n_ports = tr_port_count(rt);
	for (unsigned p = 0; p < TR_MAX_PORTS; p++) {
		f.out[p] = p < f.n_ports ? (uint16_t)((p ^ 1) < f.n_ports ? p ^ 1 : p)
					: TR_DP_DROP;
		if (p < f.n_ports)
			rte_eth_macaddr_get((uint16_t)p, &f.src[p]);
	}
	tr_link_callback_register(rt, on_link, &f);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!f.quiet) {
		printf("tenantrt-fwd %s/%u: %s, %s mode, %u ports, lcore %u%s\n",
		       f.id->tenant, f.id->member,
		       tr_rt_role_name(f.id->role), tr_dp_mode_name(f.id->dp.mode),
		       f.n_ports, f.id->lcores[0], ops.adaptive ? ", adaptive" : "");
		fflush(stdout);
	}
	rc = tr_dp_run(rt, &ops, &stop);
	tr_stats_write(rt);
	if (!f.quiet) {
		struct tr_member_info mi;
		tr_member_get(rt, f.id->member, &mi);
		printf("tenantrt-fwd %s/%u: done: rx %" PRIu64 " tx %" PRIu64
		       " processed %" PRIu64 " drop %" PRIu64 "\n", f.id->tenant,
		       f.id->member, sum_rx(&mi, f.n_ports), sum_tx(&mi, f.n_ports),
		       mi.processed, sum_drop(&mi, f.n_ports));
	}
	if (rc == -EPIPE)
		fprintf(stderr, "tenantrt-fwd: %s/%u: the primary stopped, is gone, or "
			"dropped this member; exiting\n", f.id->tenant, f.id->member);
	tr_fini(rt);
	return rc == 0 ? 0 : exit_code(-rc);
}
