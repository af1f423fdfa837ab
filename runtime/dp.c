/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The polling data path: one loop per lcore the member runs (tr_split.h
 * says which queues and rings each polls). The main lcore also keeps the
 * house (heartbeat, group checks, link polling, the tick); the others are
 * launched with rte_eal_remote_launch. The mode, the role and the lcore's
 * work pick the loop turn once, so the per-packet code has no branch on
 * them. No locks, no syscalls per packet: counters live in cache lines
 * only their lcore writes (tr_shm.h); a ring has one consumer.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_epoll.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pause.h>
#include <rte_prefetch.h>
#include <rte_ring.h>
#include <rte_ring_peek.h>

#include "tr_flow.h"
#include "tr_idle.h"
#include "tr_rt.h"

#define TR_CHECK_MS 10
#define TR_CLOCK_TURNS 64
#define TR_PEER_MS 100
/* Longest wait for an RX interrupt: the housekeeping still runs. */
#define TR_INTR_WAIT_US 10000

struct loop;
typedef unsigned (*turn_fn)(struct loop *L);

/* Packets for one port, sent when a whole burst is there (or the lcore
 * goes idle, or at the latest every TR_CLOCK_TURNS turns). */
struct txbuf {
	uint16_t n;
	struct rte_mbuf *m[TR_MAX_BURST];
};

/* One lcore's loop; only that lcore touches it while it runs. */
struct loop {
	struct tr_rt *rt;
	const struct tr_dp_ops *ops;
	struct tr_shm_lcore *cnt;   /* its counters in the registry */
	unsigned idx;               /* lcore index within the member */
	bool on_main;               /* run by the main lcore's thread */
	bool launched;
	bool rss;                   /* distribute: the NIC's hash when given */
	bool intr_ok;               /* may wait for RX interrupts when idle */
	bool intr;                  /* does (its queues are registered) */
	uint16_t burst;
	uint16_t txq;
	turn_fn turn;
	struct rte_ring *in, *out;  /* distribute member: its rings */
	const struct tr_view *view; /* distribute primary: the one it holds */
	struct tr_idle idle;
	unsigned turns, busy_turns;
	uint64_t last;
	uint32_t dirty;             /* ports with packets in tx[] */
	uint32_t orphan_mask;       /* symmetric primary: for which active set */
	struct txbuf tx[TR_MAX_PORTS];
	struct rte_mbuf *sorted[TR_MAX_BURST];
	uint8_t sink_of[TR_MAX_BURST];
	uint16_t count[TR_MAX_SINKS];
	struct tr_lcore_work w;
	struct tr_lcore_work orphans;
	int sock_ep;                /* or waits on its af_packet sockets: epoll fd */
} __rte_cache_aligned;

/* The lcores stop on *stop or when the main one says so (quit). */
struct run {
	volatile bool *stop;
	volatile bool quit;
};
static struct run run_state;

/* --- TX ------------------------------------------------------------------ */

static inline void flush_port(struct loop *L, unsigned p)
{
	struct txbuf *b = &L->tx[p];

	tr__tx_port(L->rt, b->m, b->n, (uint16_t)p, L->txq, L->cnt);
	b->n = 0;
	L->dirty &= ~(UINT32_C(1) << p);
}

static void flush_all(struct loop *L)
{
	while (L->dirty)
		flush_port(L, (unsigned)__builtin_ctz(L->dirty));
}

/* Queue n packets for port p, sending each whole burst as it fills. */
static inline void buffer_port(struct loop *L, unsigned p,
			       struct rte_mbuf **pkts, uint16_t n)
{
	struct txbuf *b = &L->tx[p];

	if (b->n == 0 && n == L->burst) {
		tr__tx_port(L->rt, pkts, n, (uint16_t)p, L->txq, L->cnt);
		return;
	}
	while (n) {
		uint16_t k = (uint16_t)RTE_MIN(n, (uint16_t)(L->burst - b->n));
		memcpy(&b->m[b->n], pkts, k * sizeof(*pkts));
		b->n = (uint16_t)(b->n + k);
		pkts += k;
		n = (uint16_t)(n - k);
		L->dirty |= UINT32_C(1) << p;
		if (b->n == L->burst)
			flush_port(L, p);
	}
}

/* A burst for several ports (or with drops): each mbuf to its ->port. */
static void __rte_noinline buffer_mixed(struct loop *L, struct rte_mbuf **pkts,
					uint16_t n)
{
	struct rte_mbuf *drop[TR_MAX_BURST];
	unsigned np = L->rt->n_ports;
	uint16_t nd = 0;

	for (uint16_t i = 0; i < n; i++) {
		uint16_t p = pkts[i]->port;
		if (likely(p < np))
			buffer_port(L, p, &pkts[i], 1);
		else
			drop[nd++] = pkts[i];
	}
	if (unlikely(nd)) {
		rte_pktmbuf_free_bulk(drop, nd);
		L->cnt->handler_drop += nd;
	}
}

/* Send a handled burst: as it is when the handler named one port. */
static inline void send_handled(struct loop *L, struct rte_mbuf **pkts,
				uint16_t n, uint16_t out)
{
	if (likely(out < L->rt->n_ports))
		buffer_port(L, out, pkts, n);
	else
		buffer_mixed(L, pkts, n);
}

static inline void handle_and_send(struct loop *L, struct rte_mbuf **pkts,
				   uint16_t n, uint16_t rx_port)
{
	uint16_t out = L->ops->handle(pkts, n, rx_port, L->ops->arg);

	L->cnt->processed += n;
	send_handled(L, pkts, n, out);
}

/* --- turns --------------------------------------------------------------- */

static inline uint16_t rx(struct loop *L, const struct tr_unit *u,
			  struct rte_mbuf **pkts)
{
	uint16_t n = rte_eth_rx_burst(L->rt->port_id[u->port], u->queue, pkts,
				      L->burst);

	if (n != 0) /* an idle poll writes no counter line */
		L->cnt->port[u->port].rx += n;
	return n;
}

static inline unsigned rx_units(struct loop *L, const struct tr_lcore_work *w)
{
	struct rte_mbuf *pkts[TR_MAX_BURST];
	unsigned work = 0;

	for (unsigned i = 0; i < w->n_units; i++) {
		uint16_t n = rx(L, &w->unit[i], pkts);
		if (n != 0) {
			handle_and_send(L, pkts, n, L->rt->port_id[w->unit[i].port]);
			work += n;
		}
	}
	return work;
}

/* Symmetric, and distribute with no member: RX, handle, TX here. */
static unsigned turn_rx(struct loop *L)
{
	return rx_units(L, &L->w);
}

/*
 * Symmetric, primary's main lcore: its own queue pairs, plus those of
 * members not in the group (dead, gone, or not yet started), so their
 * share of the flows is still forwarded (sent on this lcore's TX queue).
 * A member is admitted by tr_group_check() on this same lcore, between two
 * turns, so the primary has stopped polling a queue before its owner
 * starts.
 */
static unsigned turn_symmetric_primary(struct loop *L)
{
	struct tr_rt *rt = L->rt;

	if (unlikely(L->orphan_mask != rt->active)) {
		struct tr_lcore_work w;
		L->orphans.n_units = 0;
		for (unsigned m = 1; m < rt->id.members; m++) {
			if ((rt->active & (UINT32_C(1) << m)) ||
			    tr_split_lcore(&rt->split, m, 1, 0, &w) < 0)
				continue;
			for (unsigned i = 0; i < w.n_units; i++)
				L->orphans.unit[L->orphans.n_units++] = w.unit[i];
		}
		L->orphan_mask = rt->active;
	}
	return rx_units(L, &L->w) + rx_units(L, &L->orphans);
}

/* Distribute, primary: take the current view, saying so (tr_rt.h). */
static const struct tr_view *__rte_noinline view_take(struct loop *L)
{
	struct tr_rt *rt = L->rt;
	struct tr_view *v;

	do {
		v = __atomic_load_n(&rt->cur, __ATOMIC_SEQ_CST);
		if (!L->on_main)
			__atomic_store_n(&rt->seen[L->idx].version, v->version,
					 __ATOMIC_SEQ_CST);
	} while (v != __atomic_load_n(&rt->cur, __ATOMIC_SEQ_CST));
	L->view = v;
	return v;
}

static inline const struct tr_view *view_of(struct loop *L)
{
	const struct tr_view *v = __atomic_load_n(&L->rt->cur, __ATOMIC_ACQUIRE);

	return likely(v == L->view) ? v : view_take(L);
}

/* Holding no view while asleep: the main lcore need not wait for us. */
static void view_release(struct loop *L)
{
	if (L->view == NULL)
		return;
	L->view = NULL;
	if (!L->on_main)
		__atomic_store_n(&L->rt->seen[L->idx].version, UINT32_MAX,
				 __ATOMIC_SEQ_CST);
}

/* A whole burst into sink si's ring, or dropped whole: a partial enqueue
 * would split bursts across the member's ports and turns. (No back-off
 * after a full ring: dropping bursts without trying threw away packets a
 * member had room for by then.) */
static inline void enqueue(struct loop *L, const struct tr_view *v, unsigned si,
			   struct rte_mbuf **pkts, unsigned c)
{
	if (likely(rte_ring_enqueue_bulk(v->sink[si].in, (void **)pkts, c,
					 NULL) != 0))
		return;
	/* Full ring: a drop, never a stall. */
	rte_pktmbuf_free_bulk(pkts, c);
	__atomic_fetch_add(&L->rt->reg->member[v->sink[si].member].pri.ring_drop,
			   c, __ATOMIC_RELAXED);
}

/* The flow's bucket: the NIC's symmetric RSS hash when it gave one, else
 * the frame's (tr_flow.h). */
static inline uint32_t flow_of(const struct loop *L, const struct rte_mbuf *m)
{
	if (L->rss && (m->ol_flags & RTE_MBUF_F_RX_RSS_HASH))
		return m->hash.rss;
	return tr_flow_hash(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len);
}

/* One RX burst spread over the sinks by flow, each sink's share in order. */
static inline void spread(struct loop *L, const struct tr_view *v,
			  struct rte_mbuf **pkts, uint16_t n)
{
	unsigned first, pos, used[TR_MAX_BURST], n_used = 0;
	bool one = true;

	if (v->n_sinks == 1) { /* one ring: no flow to tell apart */
		enqueue(L, v, 0, pkts, n);
		return;
	}
	/* The frames' first lines were last written by the NIC (or another
	 * core): ask for all of them before reading the first. */
	if (!L->rss || !(pkts[0]->ol_flags & RTE_MBUF_F_RX_RSS_HASH))
		for (uint16_t i = 0; i < n; i++)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	first = v->map[flow_of(L, pkts[0]) & (TR_SHM_BUCKETS - 1)];
	L->sink_of[0] = (uint8_t)first;
	for (uint16_t i = 1; i < n; i++) {
		unsigned s = v->map[flow_of(L, pkts[i]) & (TR_SHM_BUCKETS - 1)];
		L->sink_of[i] = (uint8_t)s;
		one &= s == first;
	}
	if (one) {
		enqueue(L, v, first, pkts, n);
		return;
	}
	/* A stable counting sort over the sinks this burst uses. */
	for (uint16_t i = 0; i < n; i++)
		if (L->count[L->sink_of[i]]++ == 0)
			used[n_used++] = L->sink_of[i];
	pos = 0;
	for (unsigned k = 0; k < n_used; k++) {
		unsigned c = L->count[used[k]];
		L->count[used[k]] = (uint16_t)pos;
		pos += c;
	}
	for (uint16_t i = 0; i < n; i++)
		L->sorted[L->count[L->sink_of[i]]++] = pkts[i];
	pos = 0;
	for (unsigned k = 0; k < n_used; k++) {
		unsigned end = L->count[used[k]];
		enqueue(L, v, used[k], &L->sorted[pos], end - pos);
		L->count[used[k]] = 0;
		pos = end;
	}
}

/* Distribute, tx=ring: send what the members this lcore drains returned. */
static inline unsigned drain_returns(struct loop *L, const struct tr_view *v)
{
	struct rte_mbuf *pkts[TR_MAX_BURST];
	unsigned work = 0;

	for (unsigned si = 0; si < v->n_sinks; si++) {
		unsigned n;
		if (v->sink[si].drainer != L->idx || v->sink[si].out == NULL)
			continue;
		n = rte_ring_sc_dequeue_burst(v->sink[si].out, (void **)pkts,
					      L->burst, NULL);
		if (n) {
			buffer_mixed(L, pkts, (uint16_t)n);
			work += n;
		}
	}
	return work;
}

/* Distribute, primary: RX its queues, spread them over the members'
 * lcores by flow (or handle them here when there is no member). */
static unsigned turn_dist_primary(struct loop *L)
{
	const struct tr_view *v = view_of(L);
	struct rte_mbuf *pkts[TR_MAX_BURST];
	unsigned work = 0;

	if (v->n_sinks == 0)
		return turn_rx(L);
	for (unsigned i = 0; i < L->w.n_units; i++) {
		uint16_t n = rx(L, &L->w.unit[i], pkts);
		if (n != 0) {
			spread(L, v, pkts, n);
			work += n;
		}
	}
	if (L->rt->tx_ring)
		work += drain_returns(L, v);
	return work;
}

/* A member's burst from its ring, peeked: the pointers stay in the ring
 * until rte_ring_dequeue_finish, so a crash leaves them to the primary. */
static inline unsigned member_peek(struct loop *L, struct rte_mbuf **pkts)
{
	unsigned n = rte_ring_dequeue_burst_start(L->in, (void **)pkts,
						  L->burst, NULL);

	if (n == 0) {
		rte_ring_dequeue_finish(L->in, 0);
		return 0;
	}
	/* The mbufs were last written on the primary's core: their first
	 * line (the handler, TX) and their second (freeing reads ->next). */
	for (unsigned i = 0; i < n; i++) {
		rte_prefetch0(pkts[i]);
		rte_prefetch0(&pkts[i]->cacheline1);
	}
	return n;
}

/* tx=ring: give the handled burst back to the primary, which reads each
 * mbuf's port when it sends. */
static inline void return_burst(struct loop *L, struct rte_mbuf **pkts,
				unsigned n)
{
	if (likely(rte_ring_sp_enqueue_bulk(L->out, (void **)pkts, n, NULL) != 0))
		return;
	/* Full: freed here, so the primary must not take them back. */
	__atomic_store_n(&L->cnt->hand_out_tail, TR_HAND_UNKNOWN, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < n; i++)
		if (pkts[i]->port < L->rt->n_ports)
			L->cnt->port[pkts[i]->port].drop++;
	rte_pktmbuf_free_bulk(pkts, n);
}

/*
 * Distribute, member lcore: one peeked burst, handled, then sent on the
 * lcore's own TX queue or returned to the primary (tx=ring), inside the
 * hand record that lets the primary take it back if the member dies
 * (tr_shm.h). Nothing stays buffered past the turn. ring is a constant in
 * each caller, so each turn compiles without the branch.
 */
static inline __attribute__((always_inline)) unsigned
member_turn(struct loop *L, bool ring)
{
	struct rte_mbuf *pkts[TR_MAX_BURST];
	struct tr_shm_lcore *lc = L->cnt;
	unsigned n = member_peek(L, pkts);
	uint16_t out;

	if (n == 0)
		return 0;
	out = L->ops->handle(pkts, (uint16_t)n, TR_DP_MIXED, L->ops->arg);
	lc->processed += n;
	lc->hand_out_tail = ring ? L->out->prod.tail + n : TR_HAND_UNKNOWN;
	__atomic_store_n(&lc->hand_n, n, __ATOMIC_RELEASE);
	if (ring) {
		/* The primary reads each mbuf's port: a one-port burst gets
		 * it written here, the only mode that needs the store. */
		if (likely(out < L->rt->n_ports))
			for (unsigned i = 0; i < n; i++)
				pkts[i]->port = out;
		return_burst(L, pkts, n);
	} else {
		send_handled(L, pkts, (uint16_t)n, out);
		flush_all(L);
	}
	rte_ring_dequeue_finish(L->in, n);
	__atomic_store_n(&lc->hand_n, 0, __ATOMIC_RELEASE);
	return n;
}

static unsigned turn_member_own(struct loop *L)
{
	return member_turn(L, false);
}

static unsigned turn_member_ring(struct loop *L)
{
	return member_turn(L, true);
}

/* --- idleness ------------------------------------------------------------ */

/* Register this lcore's RX queues with its thread's epoll set. All or
 * none: a queue that cannot wake it would be left unpolled. */
static bool intr_setup(struct loop *L)
{
	struct tr_rt *rt = L->rt;
	unsigned i;

	for (i = 0; i < L->w.n_units; i++) {
		const struct tr_unit *u = &L->w.unit[i];
		if (!rt->rx_intr[u->port] ||
		    rte_eth_dev_rx_intr_ctl_q(rt->port_id[u->port], u->queue,
					      RTE_EPOLL_PER_THREAD,
					      RTE_INTR_EVENT_ADD, NULL) < 0)
			break;
	}
	if (i == L->w.n_units && i > 0)
		return true;
	while (i-- > 0)
		rte_eth_dev_rx_intr_ctl_q(rt->port_id[L->w.unit[i].port],
					  L->w.unit[i].queue, RTE_EPOLL_PER_THREAD,
					  RTE_INTR_EVENT_DEL, NULL);
	return false;
}

/*
 * net_af_packet has no RX interrupts (22.11), but each of its queues is a
 * packet socket with an RX ring, which polls readable while a frame waits
 * there: an epoll set of this lcore's sockets wakes it on the first frame.
 * All or none, as above.
 */
static bool sock_setup(struct loop *L)
{
	struct tr_rt *rt = L->rt;
	int ep = L->w.n_units ? epoll_create1(EPOLL_CLOEXEC) : -1;

	if (ep < 0)
		return false;
	for (unsigned i = 0; i < L->w.n_units; i++) {
		const struct tr_unit *u = &L->w.unit[i];
		struct rte_eth_dev_info info;
		int fds[TR_MAX_QUEUES];
		unsigned ifindex = rt->kif[u->port][0] ? if_nametoindex(rt->kif[u->port]) : 0;
		unsigned n = ifindex ? tr__pktsock_find((int)ifindex, fds, TR_MAX_QUEUES) : 0;
		struct epoll_event ev = { .events = EPOLLIN };

		if (n < rt->rxq || n > TR_MAX_QUEUES || u->queue >= n ||
		    rte_eth_dev_info_get(rt->port_id[u->port], &info) < 0 ||
		    strcmp(info.driver_name, "net_af_packet") != 0 ||
		    epoll_ctl(ep, EPOLL_CTL_ADD, fds[u->queue], &ev) < 0) {
			close(ep);
			return false;
		}
	}
	L->sock_ep = ep;
	return true;
}

/* Its queues' interrupts, or its af_packet sockets, to wait on when idle. */
static bool wait_setup(struct loop *L)
{
	return intr_setup(L) || sock_setup(L);
}

static void intr_teardown(struct loop *L)
{
	if (L->sock_ep >= 0) {
		close(L->sock_ep);
		L->sock_ep = -1;
		return;
	}
	for (unsigned i = 0; L->intr && i < L->w.n_units; i++)
		rte_eth_dev_rx_intr_ctl_q(L->rt->port_id[L->w.unit[i].port],
					  L->w.unit[i].queue, RTE_EPOLL_PER_THREAD,
					  RTE_INTR_EVENT_DEL, NULL);
}

static void intr_arm(struct loop *L, bool on)
{
	for (unsigned i = 0; i < L->w.n_units; i++) {
		uint16_t p = L->rt->port_id[L->w.unit[i].port];
		/* net_tap's queue fds need no arming (-ENOTSUP): fine. */
		if (on)
			rte_eth_dev_rx_intr_enable(p, L->w.unit[i].queue);
		else
			rte_eth_dev_rx_intr_disable(p, L->w.unit[i].queue);
	}
}

/* Wait for an RX interrupt, at most us. A packet that came after the last
 * poll but before the queues were armed is caught by one more turn. */
static unsigned intr_wait(struct loop *L, uint32_t us)
{
	struct rte_epoll_event ev[8];
	unsigned n;

	if (L->sock_ep >= 0) {
		struct epoll_event sev[8];

		n = L->turn(L);
		if (n == 0)
			epoll_wait(L->sock_ep, sev, RTE_DIM(sev), (int)RTE_MAX(us / 1000, 1u));
		return n;
	}
	intr_arm(L, true);
	n = L->turn(L);
	if (n == 0)
		rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, RTE_DIM(ev),
			       (int)RTE_MAX(us / 1000, 1u));
	intr_arm(L, false);
	return n;
}

/* An empty turn under adaptive polling: spin, pause, sleep or wait.
 * @return packets a last poll found, or 0. */
static unsigned back_off(struct loop *L)
{
	uint32_t us = 0;

	switch (tr_idle_next(&L->idle, &us)) {
	case TR_IDLE_SPIN:
		return 0;
	case TR_IDLE_PAUSE:
		rte_pause();
		return 0;
	case TR_IDLE_SLEEP:
		view_release(L);
		L->turns = TR_CLOCK_TURNS - 1; /* read the clock after it */
		rte_delay_us_sleep(us);
		return 0;
	case TR_IDLE_WAIT:
		view_release(L);
		L->turns = TR_CLOCK_TURNS - 1;
		return intr_wait(L, us);
	}
	return 0;
}

/* One turn of L and what an empty one asks for. */
static inline unsigned step(struct loop *L)
{
	unsigned n = L->turn(L);

	if (likely(n != 0)) {
		L->busy_turns++;
		if (L->ops->adaptive)
			tr_idle_reset(&L->idle);
		return n;
	}
	L->cnt->idle_polls++;
	if (L->dirty) /* idle: what is buffered goes now */
		flush_all(L);
	if (L->ops->adaptive) {
		n = back_off(L);
		if (n)
			tr_idle_reset(&L->idle);
	}
	return n;
}

/* Every TR_CLOCK_TURNS turns: the clock (rdtsc costs ~30 ns in a VM, so
 * the elapsed cycles are shared out among the turns that did work) and the
 * TX buffers. @return the TSC, 0 when it was not read. */
static inline uint64_t clock_turn(struct loop *L)
{
	uint64_t t0;

	if (likely(++L->turns < TR_CLOCK_TURNS))
		return 0;
	L->turns = 0;
	t0 = rte_rdtsc();
	L->cnt->busy_cycles += (t0 - L->last) * L->busy_turns / TR_CLOCK_TURNS;
	L->busy_turns = 0;
	L->last = t0;
	if (L->dirty)
		flush_all(L);
	return t0;
}

static int worker_main(void *arg)
{
	struct loop *L = arg;

	if (L->ops->adaptive) {
		/* The default 50 us timer slack would stretch each capped
		 * sleep by that much. */
		prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
		L->intr = L->intr_ok && !L->ops->idle_sleep_max_us && wait_setup(L);
		tr_idle_init(&L->idle, L->ops->idle_sleep_max_us, L->intr,
			     TR_INTR_WAIT_US);
	}
	L->last = rte_rdtsc();
	while (!*run_state.stop && !run_state.quit) {
		step(L);
		clock_turn(L);
	}
	intr_teardown(L);
	view_release(L);
	return 0;
}

/* --- set-up and the main loop --------------------------------------------- */

static turn_fn pick_turn(struct tr_rt *rt, const struct tr_lcore_work *w,
			 unsigned idx)
{
	if (w->ring)
		return rt->tx_ring ? turn_member_ring : turn_member_own;
	if (rt->id.dp.mode == TR_DP_MODE_SYMMETRIC)
		return rt->id.role == TR_RT_PRIMARY && idx == 0 && rt->id.members > 1 ?
			turn_symmetric_primary : turn_rx;
	return turn_dist_primary;
}

static struct loop *loop_new(struct tr_rt *rt, const struct tr_dp_ops *ops,
			     unsigned idx)
{
	struct loop *L = aligned_alloc(RTE_CACHE_LINE_SIZE,
				       RTE_ALIGN_CEIL(sizeof(*L), RTE_CACHE_LINE_SIZE));
	unsigned m = rt->id.member;

	if (L == NULL)
		return NULL;
	memset(L, 0, sizeof(*L));
	if (tr_split_lcore(&rt->split, m, rt->id.n_lcores, idx, &L->w) < 0 ||
	    !L->w.runs) {
		free(L);
		return NULL;
	}
	L->rt = rt;
	L->ops = ops;
	L->idx = idx;
	L->cnt = &rt->reg->member[m].lc[idx];
	L->burst = (uint16_t)RTE_MIN(rt->id.dp.burst, TR_MAX_BURST);
	L->txq = (uint16_t)(L->w.txq >= 0 ? L->w.txq : 0);
	L->in = rt->in[m][idx];
	L->out = rt->out[m][idx];
	L->rss = rt->rss_hash;
	L->turn = pick_turn(rt, &L->w, idx);
	/* Interrupts where nothing but its RX queues brings work: not for
	 * ring readers (members; the primary draining returns, unless it has
	 * no member that could return any) nor for the main lcore of a
	 * symmetric group (it also polls absent members' queues); only the
	 * primary has the queues' fds (22.11). */
	L->intr_ok = rt->id.role == TR_RT_PRIMARY && !L->w.ring &&
		     (!rt->tx_ring || rt->id.members == 1) && L->turn != turn_symmetric_primary;
	L->orphan_mask = UINT32_MAX;
	L->sock_ep = -1;
	return L;
}

static void loops_free(struct tr_rt *rt, struct loop **loops, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (loops[i] == NULL)
			continue;
		/* A secondary's ports may be gone with its primary: what a
		 * member holds (never across turns) is freed, not sent. */
		if (rt->id.role == TR_RT_PRIMARY)
			flush_all(loops[i]);
		free(loops[i]);
	}
	rt->n_loops = 0;
}

/* Housekeeping on the main lcore, at most once a millisecond.
 * @return 0, or -EPIPE when a secondary must leave. */
struct clocks {
	uint64_t next_ms, next_check, next_peer, next_tick;
};

static int keep_house(struct tr_rt *rt, const struct tr_dp_ops *ops,
		      struct clocks *c, uint64_t t0)
{
	uint64_t ms = rt->hz / 1000;

	if (likely(t0 < c->next_ms))
		return 0;
	c->next_ms = t0 + ms;
	tr__self(rt)->own.heartbeat = t0;
	if (rt->id.role == TR_RT_PRIMARY) {
		rt->reg->hdr.primary_hb = t0;
		if (t0 >= c->next_check) {
			c->next_check = t0 + TR_CHECK_MS * ms;
			tr_group_check(rt);
		}
		if (t0 >= c->next_peer) {
			c->next_peer = t0 + TR_PEER_MS * ms;
			tr__link_poll(rt);
		}
	} else if (!__atomic_load_n(&rt->reg->hdr.ready, __ATOMIC_ACQUIRE)) {
		/* The primary is stopping: leave before it closes the ports
		 * under us (tr_fini waits for this). */
		return -EPIPE;
	} else if (t0 >= c->next_peer) {
		c->next_peer = t0 + TR_PEER_MS * ms;
		if (tr__pid_dead(rt->reg->hdr.primary_pid) ||
		    __atomic_load_n(&tr__self(rt)->own.state, __ATOMIC_ACQUIRE) !=
			    TR_MEMBER_ACTIVE)
			return -EPIPE;
	}
	if (t0 >= c->next_tick) {
		c->next_tick = t0 + rt->hz;
		if (ops->tick)
			ops->tick(rt, ops->arg);
	}
	return 0;
}

/* The main lcore: its own loop, those of lcores that could not be
 * launched (the app holds them), and the housekeeping. */
static int main_loop(struct tr_rt *rt, const struct tr_dp_ops *ops,
		     struct loop **loops, unsigned n)
{
	struct loop *L = loops[0];
	struct clocks c;
	uint64_t now = rte_get_tsc_cycles();
	int rc = 0;

	bool others = false;

	for (unsigned i = 1; i < n; i++)
		others |= loops[i] != NULL && !loops[i]->launched;
	c.next_ms = c.next_check = c.next_peer = now;
	c.next_tick = now + rt->hz;
	if (ops->adaptive) {
		prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
		/* Running other lcores' loops too, it cannot wait for its own
		 * queues' interrupts alone. */
		L->intr = L->intr_ok && !ops->idle_sleep_max_us && !others && wait_setup(L);
		tr_idle_init(&L->idle, ops->idle_sleep_max_us, L->intr,
			     TR_INTR_WAIT_US);
	}
	L->last = now;
	while (!*run_state.stop) {
		uint64_t t0;
		unsigned w = 0;

		for (unsigned i = 1; i < n; i++)
			if (loops[i] != NULL && !loops[i]->launched)
				w += loops[i]->turn(loops[i]);
		if (w)
			tr_idle_reset(&L->idle);
		step(L);
		if (likely((t0 = clock_turn(L)) == 0))
			continue;
		for (unsigned i = 1; i < n; i++)
			if (loops[i] != NULL && !loops[i]->launched && loops[i]->dirty)
				flush_all(loops[i]);
		rc = keep_house(rt, ops, &c, t0);
		if (rc < 0)
			break;
	}
	intr_teardown(L);
	return rc;
}

int tr_dp_run(struct tr_rt *rt, const struct tr_dp_ops *ops,
	      volatile bool *stop)
{
	struct loop *loops[TR_MAX_LCORES_PER_MEMBER] = {NULL};
	unsigned n = rt->n_run;
	int rc;

	if (ops == NULL || ops->handle == NULL)
		return -EINVAL;
	if (n == 0 || n > TR_MAX_LCORES_PER_MEMBER)
		n = 1;
	for (unsigned i = 0; i < n; i++) {
		loops[i] = loop_new(rt, ops, i);
		if (loops[i] == NULL && i == 0) {
			loops_free(rt, loops, n);
			return -ENOMEM;
		}
		rt->seen[i].version = UINT32_MAX;
	}
	run_state.stop = stop;
	run_state.quit = false;
	/* From here the main lcore's group checks wait for the others to
	 * move to each new view before taking a gone member's rings back. */
	rt->n_loops = n;
	loops[0]->on_main = true;
	for (unsigned i = 1; i < n; i++) {
		if (loops[i] == NULL)
			continue;
		loops[i]->launched = rte_eal_remote_launch(worker_main, loops[i],
							   rt->id.lcores[i]) == 0;
		loops[i]->on_main = !loops[i]->launched;
	}
	rc = main_loop(rt, ops, loops, n);
	run_state.quit = true;
	for (unsigned i = 1; i < n; i++)
		if (loops[i] != NULL && loops[i]->launched)
			rte_eal_wait_lcore(rt->id.lcores[i]);
	loops_free(rt, loops, n);
	return rc;
}
