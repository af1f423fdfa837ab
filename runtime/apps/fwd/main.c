/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tenantrt-fwd: L2 forwarding between port pairs (0<->1, 2<->3, ...; an odd
 * last port sends back out of itself) with MAC rewrite, in the tenant's
 * data-path mode (distribute or symmetric, from TENANTRT_DATAPATH), on
 * every lcore it is given.
 *
 *   tenantrt-fwd <EAL args> -- [--stats SECONDS] [--adaptive[=US]]
 *                               [--dst-mac XX:XX:XX:XX:XX:XX | --no-touch]
 *                               [--rewrite auto|sse|scalar] [--mark]
 *                               [--quiet]
 *
 * Source MAC = the output port's MAC; destination MAC = --dst-mac, or the
 * packet's old source (swap) by default; rewritten 16 bytes at a time with
 * SSE where the CPU has it (rewrite.h). --no-touch forwards without reading
 * or writing packet data (like testpmd's io mode, symmetric_mp and
 * client_server_mp). --adaptive backs off when idle, waiting for its queues
 * where they can wake it, else sleeping at most 100 us at a time; =US
 * never waits but sleeps, each at most US. --mark (for tests) writes the member and the lcore that
 * handled each frame into the last two bytes of its source MAC. Counters are
 * in the registry and in $RUNTIME_DIRECTORY/tenantrt/member-<i> (see
 * tenantrt_proto.h).
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
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "tenantrt.h"
#include "rewrite.h"

_Static_assert(FWD_RW_PORTS == TR_MAX_PORTS && FWD_RW_DROP == TR_DP_DROP &&
	       FWD_RW_MIXED == TR_DP_MIXED, "rewrite.h speaks the library's ports");

struct fwd {
	unsigned n_ports;
	struct fwd_rw rw;
	const struct fwd_rw_impl *impl;
	tr_dp_handler inner;    /* --mark: the handler it wraps */
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

/* The MAC rewrite, SSE inline (the build has SSSE3: DPDK's -march). The
 * common burst (one port in, one out) writes no mbuf field: the library
 * sends it as it is; only a mixed burst gets each mbuf's ->port. */
#if defined(FWD_RW_SSE) && defined(__SSSE3__)
static uint16_t fwd_sse(struct rte_mbuf **pkts, uint16_t n, uint16_t rx_port,
			void *arg)
{
	const struct fwd *f = arg;
	uint16_t out;

	if (unlikely(n == 0))
		return TR_DP_MIXED;
	out = fwd_rw_sse(&f->rw, pkts, n, rx_port);
	return likely(out != FWD_RW_DROP) ? out : TR_DP_MIXED;
}
#endif

/* The same through the implementation picked at run time (--rewrite). */
static uint16_t fwd_any(struct rte_mbuf **pkts, uint16_t n, uint16_t rx_port,
			void *arg)
{
	const struct fwd *f = arg;
	uint16_t out;

	if (unlikely(n == 0))
		return TR_DP_MIXED;
	out = f->impl->burst(&f->rw, pkts, n, rx_port);
	return likely(out != FWD_RW_DROP) ? out : TR_DP_MIXED;
}

/* --no-touch: the frames are neither read nor written. A burst from one
 * known port is not even looked at; one from a ring has each mbuf's first
 * line read (its RX port). */
static uint16_t fwd_io(struct rte_mbuf **pkts, uint16_t n, uint16_t rx_port,
		       void *arg)
{
	const struct fwd *f = arg;
	uint16_t p0, d = 0, out;

	if (unlikely(n == 0))
		return TR_DP_MIXED;
	if (likely(rx_port != TR_DP_MIXED)) {
		out = f->rw.out[rx_port & (FWD_RW_PORTS - 1)];
		if (likely(out != TR_DP_DROP))
			return out;
	}
	p0 = pkts[0]->port;
	for (uint16_t i = 1; i < n; i++)
		d |= pkts[i]->port ^ p0;
	out = f->rw.out[p0 & (FWD_RW_PORTS - 1)];
	if (likely(d == 0 && out != TR_DP_DROP))
		return out;
	for (uint16_t i = 0; i < n; i++)
		pkts[i]->port = f->rw.out[pkts[i]->port & (FWD_RW_PORTS - 1)];
	return TR_DP_MIXED;
}

/* --mark: the wrapped handler, then who handled it, in the source MAC. */
static uint16_t fwd_mark(struct rte_mbuf **pkts, uint16_t n, uint16_t rx_port,
			 void *arg)
{
	const struct fwd *f = arg;
	uint16_t out = f->inner(pkts, n, rx_port, arg);
	uint8_t who[2] = {(uint8_t)f->id->member, (uint8_t)rte_lcore_id()};

	for (uint16_t i = 0; i < n; i++)
		if (pkts[i]->data_len >= 12)
			memcpy(rte_pktmbuf_mtod_offset(pkts[i], uint8_t *, 10), who, 2);
	return out;
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
		"[--stats SECONDS] [--adaptive[=US]] [--dst-mac XX:XX:XX:XX:XX:XX "
		"| --no-touch] [--rewrite auto|sse|scalar] [--mark] [--quiet]\n",
		msg);
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
		{"adaptive", optional_argument, NULL, 'a'},
		{"dst-mac", required_argument, NULL, 'd'},
		{"no-touch", no_argument, NULL, 'n'},
		{"rewrite", required_argument, NULL, 'r'},
		{"mark", no_argument, NULL, 'm'},
		{"quiet", no_argument, NULL, 'q'},
		{NULL, 0, NULL, 0},
	};
	struct fwd f = {0};
	struct tr_dp_ops ops = {.tick = fwd_tick, .arg = &f};
	struct rte_ether_addr dst = {{0}};
	uint8_t src[TR_MAX_PORTS][6] = {{0}};
	uint16_t out[TR_MAX_PORTS];
	const char *rewrite = "auto";
	bool swap = true, no_touch = false, mark = false;
	unsigned long v;
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
			if (optarg == NULL)
				break;
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || *optarg == '\0' || v < 10 || v > 1000000) {
				tr_fini(rt);
				return usage("--adaptive=US: expected 10..1000000");
			}
			ops.idle_sleep_max_us = (unsigned)v;
			break;
		case 'd':
			if (rte_ether_unformat_addr(optarg, &dst) < 0) {
				tr_fini(rt);
				return usage("--dst-mac: expected XX:XX:XX:XX:XX:XX");
			}
			swap = false;
			break;
		case 'n':
			no_touch = true;
			break;
		case 'r':
			if (strcmp(optarg, "auto") && strcmp(optarg, "sse") &&
			    strcmp(optarg, "scalar")) {
				tr_fini(rt);
				return usage("--rewrite: expected auto, sse or scalar");
			}
			rewrite = optarg;
			break;
		case 'm':
			mark = true;
			break;
		case 'q':
			f.quiet = true;
			break;
		default:
			tr_fini(rt);
			return usage("unknown option");
		}
	}
	if (no_touch && !swap) {
		tr_fini(rt);
		return usage("--no-touch and --dst-mac: a frame left untouched "
			     "gets no new MAC");
	}
	f.id = tr_identity(rt);
	f.n_ports = tr_port_count(rt);
	for (unsigned p = 0; p < TR_MAX_PORTS; p++) {
		out[p] = p < f.n_ports ? (uint16_t)((p ^ 1) < f.n_ports ? p ^ 1 : p)
				       : TR_DP_DROP;
		if (p < f.n_ports) {
			struct rte_ether_addr a;
			rte_eth_macaddr_get((uint16_t)p, &a);
			memcpy(src[p], a.addr_bytes, 6);
		}
	}
	fwd_rw_init(&f.rw, swap, dst.addr_bytes, src, out, f.n_ports);
	f.impl = fwd_rw_pick(strcmp(rewrite, "scalar") == 0 ? "scalar" : NULL);
	if (strcmp(rewrite, "sse") == 0 && strcmp(f.impl->name, "sse") != 0) {
		tr_fini(rt);
		return usage("--rewrite sse: this CPU has no SSSE3");
	}
	ops.handle = fwd_any;
#if defined(FWD_RW_SSE) && defined(__SSSE3__)
	if (strcmp(f.impl->name, "sse") == 0)
		ops.handle = fwd_sse;
#endif
	if (no_touch)
		ops.handle = fwd_io;
	if (mark) {
		f.inner = ops.handle;
		ops.handle = fwd_mark;
	}
	tr_link_callback_register(rt, on_link, &f);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!f.quiet) {
		struct tr_member_info mi;
		tr_member_get(rt, f.id->member, &mi);
		printf("tenantrt-fwd %s/%u: %s, %s mode, %u ports, lcore %u, "
		       "%u of %u lcores run, %s%s\n",
		       f.id->tenant, f.id->member, tr_rt_role_name(f.id->role),
		       tr_dp_mode_name(f.id->dp.mode), f.n_ports, f.id->lcores[0],
		       mi.n_run, f.id->n_lcores,
		       no_touch ? "no data touch" : f.impl->name,
		       ops.adaptive ? ", adaptive" : "");
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
