/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The library's process-local state (private; never installed). One
 * struct tr_rt per process; the shared state it points at is in tr_shm.h.
 */
#ifndef TR_RT_H
#define TR_RT_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_ring.h>

#include "tenantrt.h"
#include "tr_shm.h"
#include "tr_split.h"

#define TR_LINK_CBS 4
/* The largest burst TENANTRT_DATAPATH allows: the size of burst arrays. */
#define TR_MAX_BURST ((unsigned)TR_DP_BURST_MAX)
/* hand_out_tail when the member's burst fate cannot be known after a
 * crash (own-queue TX or freeing after a full out ring): the primary then
 * neither frees nor re-reads those mbufs. */
#define TR_HAND_UNKNOWN UINT32_MAX
/* Distribute's sinks: every lcore of every secondary. */
#define TR_MAX_SINKS ((TR_MAX_MEMBERS - 1) * TR_MAX_LCORES_PER_MEMBER)

/* One member lcore that takes flows (distribute, primary's view). */
struct tr_sink {
	uint8_t member, lcore;
	uint8_t drainer;        /* tx=ring: the primary lcore draining out */
	struct rte_ring *in, *out;
};

/*
 * Distribute: where the primary's lcores send flows. The main lcore
 * builds a new view when a member comes or goes and publishes it; each
 * primary lcore takes the current view at the start of its turn and says
 * which version it holds (seen[]), so a gone member's rings are taken back
 * only once no lcore can still enqueue to them.
 */
struct tr_view {
	uint32_t version;
	unsigned n_sinks;
	uint8_t map[TR_SHM_BUCKETS];   /* bucket -> index in sink[] */
	struct tr_sink sink[TR_MAX_SINKS];
};

struct tr_rt {
	struct tr_identity id;
	struct tr_shm_registry *reg;
	const struct rte_memzone *mz;
	struct rte_mempool *pool;
	/* distribute: rings of lcore j of member m (a secondary has its own) */
	struct rte_ring *in[TR_MAX_MEMBERS][TR_MAX_LCORES_PER_MEMBER];
	struct rte_ring *out[TR_MAX_MEMBERS][TR_MAX_LCORES_PER_MEMBER];
	unsigned n_ports;
	uint16_t port_id[TR_MAX_PORTS];
	unsigned rxq, txq;      /* queues per port */
	struct tr_split_conf split;
	unsigned n_run;         /* this member's lcores that run a loop */
	bool tx_ring;           /* distribute: members return bursts */
	/* every port gives a symmetric RSS hash in the mbuf (distribute uses
	 * it instead of reading the frame) */
	bool rss_hash;
	bool rx_intr[TR_MAX_PORTS]; /* RX queue interrupts configured */
	bool link_polled[TR_MAX_PORTS];
	bool eal_up;
	bool lsc_registered[TR_MAX_PORTS];
	/* net_af_packet reports its link up forever (22.11): for those
	 * ports the primary reads the kernel interface's flags instead. */
	char kif[TR_MAX_PORTS][16];
	int ifsock;
	uint64_t hz;
	/* primary only */
	uint32_t active;        /* bit m: member m admitted */
	uint32_t removing;      /* bit m: gone, its rings not yet taken back */
	uint32_t gone_version[TR_MAX_MEMBERS]; /* view that dropped it */
	uint8_t nsink[TR_MAX_MEMBERS];  /* lcores of member m taking flows */
	struct tr_view view[2];
	struct tr_view *cur;    /* the published view (atomic) */
	unsigned n_loops;       /* lcores of this process in tr_dp_run */
	struct {
		uint32_t version;
	} __rte_cache_aligned seen[TR_MAX_LCORES_PER_MEMBER];
	struct {
		tr_link_cb cb;
		void *arg;
	} link_cbs[TR_LINK_CBS];
	char stats_dir[PATH_MAX];
};

/*
 * The files, leaves first, with their private functions (tr__<file>_...):
 * a file calls only files listed above its own, so libtenantrt's call
 * graph has no cycle (tests/arch/layers.sh).
 */

/* proto.c (tenantrt_proto.h), flow.c (tr_flow.h), split.c (tr_split.h),
 * idle.c (tr_idle.h), pktsock.c and query.c (the getters of tenantrt.h)
 * call none of ours. */

/* error.c: set rte_errno = err and the line tr_strerror() gives; -1. */
int tr__fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tr__error_clear(void);

/* pktsock.c: the AF_PACKET sockets of this process bound to ifindex, in
 * the order they were opened (ascending fds: net_af_packet opens one a
 * queue pair, in queue order, in one loop, so fds[q] is queue q's). How
 * many there are; when that is at most max, fds holds them all. An idle
 * lcore waits on them (EPOLLIN: a frame in the RX ring), the PMD having no
 * RX interrupts. */
unsigned tr__pktsock_find(int ifindex, int *fds, unsigned max);

/* pid.c: true when pid is gone or a zombie (a member killed mid-turn). */
bool tr__pid_dead(int pid);

/* tx.c: send a handled burst on TX queue txq, counting into cnt; what a
 * full queue does not take is freed and counted as drop. tr__tx_burst
 * sends each mbuf to its ->port (TR_DP_DROP or past the ports: a handler
 * drop); tr__tx_port sends the whole burst to port p (< n_ports) without
 * reading the mbufs, inline for the data path's common case. */
void tr__tx_burst(struct tr_rt *rt, struct rte_mbuf **pkts, uint16_t n,
		  uint16_t txq, struct tr_shm_lcore *cnt);

static inline void tr__tx_port(struct tr_rt *rt, struct rte_mbuf **pkts,
			       uint16_t n, uint16_t p, uint16_t txq,
			       struct tr_shm_lcore *cnt)
{
	uint16_t k = rte_eth_tx_burst(rt->port_id[p], txq, pkts, n);

	cnt->port[p].tx += k;
	if (unlikely(k < n)) {
		rte_pktmbuf_free_bulk(pkts + k, n - k);
		cnt->port[p].drop += n - k;
	}
}

/* link.c */
int tr__link_setup_primary(struct tr_rt *rt);
int tr__link_setup_secondary(struct tr_rt *rt);
void tr__link_poll(struct tr_rt *rt);
void tr__link_teardown(struct tr_rt *rt);

/* stats.c: the stats directory from
 * RUNTIME_DIRECTORY; removing member i's file, or all of them. */
void tr__stats_init(struct tr_rt *rt);
void tr__stats_remove_member(struct tr_rt *rt, unsigned member);
void tr__stats_remove(struct tr_rt *rt);

/* ports.c; tr__ports_rings: the rings of lcores 0..n-1 of member m,
 * created (primary, when absent) or looked up (secondary). */
int tr__ports_setup(struct tr_rt *rt);
void tr__ports_close(struct tr_rt *rt);
int tr__ports_lookup(struct tr_rt *rt);
int tr__ports_rings(struct tr_rt *rt, unsigned m, unsigned n);

/* group.c */
int tr__group_create(struct tr_rt *rt);
int tr__group_attach(struct tr_rt *rt);
int tr__group_join(struct tr_rt *rt);
void tr__group_leave(struct tr_rt *rt);
void tr__group_drain(struct tr_rt *rt);
int tr__group_publish(struct tr_rt *rt);
bool tr__group_quiet(struct tr_rt *rt, uint32_t version);

/* init.c (tr_init, tr_fini) and dp.c (tr_dp_run) are the top. */

static inline struct tr_shm_member *tr__self(struct tr_rt *rt)
{
	return &rt->reg->member[rt->id.member];
}

#endif
