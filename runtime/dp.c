/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The polling data path. One loop per member on its main lcore; the mode
 * and role pick the loop turn once, so the per-packet code has no branch on
 * them. No locks, no syscalls per packet: counters live in cache lines only
 * their writer touches (tr_shm.h), rings are single-producer/single-consumer.
 */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_pause.h>
#include <rte_prefetch.h>
#include <rte_ring.h>
#include <rte_ring_peek.h>

#include "tr_flow.h"
#include "tr_rt.h"

#define TR_PREFETCH_AHEAD 4
#define TR_CHECK_MS 10
#define TR_CLOCK_TURNS 64
#define TR_FULL_BACKOFF 8
#define TR_PEER_MS 100
/* Adaptive polling: spin this many empty turns, then pause, then sleep
 * with a doubling period up to TR_SLEEP_MAX_US. */
#define TR_SPIN_TURNS 64
#define TR_PAUSE_TURNS 1024
#define TR_SLEEP_MIN_US 10
#define TR_SLEEP_MAX_US 1000

struct loop {
	struct tr_rt *rt;
	const struct tr_dp_ops *ops;
	struct tr_shm_member *self;
	struct tr_shm_member_cnt *cnt;
	uint16_t burst;
	uint16_t q;     /* this member's queue pair */
	struct rte_ring *in, *out;
	/* distribute, primary: per-member buffers of one RX burst */
	struct rte_mbuf *buf[TR_MAX_MEMBERS][TR_MAX_BURST];
	uint16_t nbuf[TR_MAX_MEMBERS];
	uint16_t backoff[TR_MAX_MEMBERS]; /* bursts to drop after a full ring */
};

/* Send a handled burst: as it is when the handler named one port. */
static inline void send_handled(struct loop *L, struct rte_mbuf **pkts,
				uint16_t n, uint16_t out)
{
	if (likely(out < L->rt->n_ports))
		tr__tx_port(L->rt, pkts, n, out, L->q, L->cnt);
	else
		tr__tx_burst(L->rt, pkts, n, L->q, L->cnt);
}

static inline void handle_and_send(struct loop *L, struct rte_mbuf **pkts,
				   uint16_t n)
{
	uint16_t out = L->ops->handle(pkts, n, L->ops->arg);

	L->cnt->processed += n;
	send_handled(L, pkts, n, out);
}

/* One RX burst of queue q of port p, counted, its first frames fetched. */
static inline uint16_t rx(struct loop *L, unsigned p, uint16_t q,
			  struct rte_mbuf **pkts)
{
	uint16_t n = rte_eth_rx_burst(L->rt->port_id[p], q, pkts, L->burst);

	if (n == 0)
		return 0; /* an idle poll writes no counter line */
	L->cnt->port[p].rx += n;
	for (uint16_t i = 0; i < n && i < TR_PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	return n;
}

/* One RX burst of queue q of port p, handled and sent by this member. */
static inline uint16_t rx_handle_send(struct loop *L, unsigned p, uint16_t q)
{
	struct rte_mbuf *pkts[TR_MAX_BURST];
	uint16_t n = rx(L, p, q, pkts);

	if (n != 0)
		handle_and_send(L, pkts, n);
	return n;
}

/* Distribute, primary alone (no member admitted): no hashing. */
static unsigned turn_dist_alone(struct loop *L)
{
	struct tr_rt *rt = L->rt;
	unsigned work = 0;

	for (unsigned p = 0; p < rt->n_ports; p++)
		for (uint16_t q = 0; q < rt->queues; q++)
			work += rx_handle_send(L, p, q);
	return work;
}

/* Distribute, primary: RX every queue of every port, spread by flow. */
static unsigned turn_dist_primary(struct loop *L)
{
	struct tr_rt *rt = L->rt;
	struct rte_mbuf *pkts[TR_MAX_BURST];
	unsigned work = 0;

	if (rt->active == 0)
		return turn_dist_alone(L);

	for (unsigned p = 0; p < rt->n_ports; p++) {
		for (uint16_t q = 0; q < rt->queues; q++) {
			uint16_t n = rx(L, p, q, pkts);
			if (n == 0)
				continue;
			work += n;
			for (uint16_t i = 0; i < n; i++) {
				struct rte_mbuf *m = pkts[i];
				uint8_t who;
				if (i + TR_PREFETCH_AHEAD < n)
					rte_prefetch0(rte_pktmbuf_mtod(
						pkts[i + TR_PREFETCH_AHEAD], void *));
				who = rt->table[tr_flow_hash(
					rte_pktmbuf_mtod(m, const uint8_t *),
					m->data_len) & (TR_SHM_BUCKETS - 1)];
				L->buf[who][L->nbuf[who]++] = m;
			}
			if (L->nbuf[0]) {
				handle_and_send(L, L->buf[0], L->nbuf[0]);
				L->nbuf[0] = 0;
			}
			for (unsigned mi = 1; mi < rt->id.members; mi++) {
				uint16_t c = L->nbuf[mi], k;
				if (c == 0)
					continue;
				L->nbuf[mi] = 0;
				/* After a full ring, do not touch its indexes
				 * for a few bursts: each try pulls the cache
				 * line the member is writing and slows it. */
				if (unlikely(L->backoff[mi])) {
					L->backoff[mi]--;
					k = 0;
				} else {
					k = (uint16_t)rte_ring_sp_enqueue_burst(
						rt->in[mi], (void **)L->buf[mi], c, NULL);
					if (unlikely(k == 0))
						L->backoff[mi] = TR_FULL_BACKOFF;
				}
				if (unlikely(k < c)) {
					/* Full ring: a drop, never a stall. */
					rte_pktmbuf_free_bulk(L->buf[mi] + k, c - k);
					rt->reg->member[mi].pri.ring_drop += c - k;
				}
			}
		}
	}
	return work;
}

/* Distribute, primary with tx=ring: also send what members returned. */
static unsigned turn_dist_primary_ring(struct loop *L)
{
	struct tr_rt *rt = L->rt;
	struct rte_mbuf *pkts[TR_MAX_BURST];
	unsigned work = turn_dist_primary(L);
	uint32_t act = rt->active;

	while (act) {
		unsigned mi = (unsigned)__builtin_ctz(act);
		unsigned n;
		act &= act - 1;
		n = rte_ring_sc_dequeue_burst(rt->out[mi], (void **)pkts,
					      L->burst, NULL);
		if (n) {
			tr__tx_burst(rt, pkts, (uint16_t)n, 0, L->cnt);
			work += n;
		}
	}
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
	/* The mbufs were last touched on the primary's core. */
	for (unsigned i = 0; i < n; i++)
		rte_prefetch0(pkts[i]);
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
	__atomic_store_n(&L->self->own.hand_out_tail, TR_HAND_UNKNOWN,
			 __ATOMIC_RELEASE);
	for (unsigned i = 0; i < n; i++)
		if (pkts[i]->port < L->rt->n_ports)
			L->cnt->port[pkts[i]->port].drop++;
	rte_pktmbuf_free_bulk(pkts, n);
}

/*
 * Distribute, member: one peeked burst, handled, then sent on the member's
 * own TX queue or returned to the primary (tx=ring), inside the hand record
 * that lets the primary take it back if the member dies (tr_shm.h). With
 * tx=ring that is exact under SIGKILL; with its own queue a crash inside
 * TX can lose at most this burst. ring is a constant in each caller, so
 * each turn compiles without the branch.
 */
static inline __attribute__((always_inline)) unsigned
member_turn(struct loop *L, bool ring)
{
	struct rte_mbuf *pkts[TR_MAX_BURST];
	struct tr_shm_member_own *own = &L->self->own;
	unsigned n = member_peek(L, pkts);
	uint16_t out;

	if (n == 0)
		return 0;
	out = L->ops->handle(pkts, (uint16_t)n, L->ops->arg);
	L->cnt->processed += n;
	own->hand_out_tail = ring ? L->out->prod.tail + n : TR_HAND_UNKNOWN;
	__atomic_store_n(&own->hand_n, n, __ATOMIC_RELEASE);
	if (ring)
		return_burst(L, pkts, n);
	else
		send_handled(L, pkts, (uint16_t)n, out);
	rte_ring_dequeue_finish(L->in, n);
	__atomic_store_n(&own->hand_n, 0, __ATOMIC_RELEASE);
	return n;
}

static unsigned turn_dist_member_own(struct loop *L)
{
	return member_turn(L, false);
}

static unsigned turn_dist_member_ring(struct loop *L)
{
	return member_turn(L, true);
}

/* Symmetric: every member polls queue pair q of every port. */
static unsigned turn_symmetric(struct loop *L)
{
	unsigned work = 0;

	for (unsigned p = 0; p < L->rt->n_ports; p++)
		work += rx_handle_send(L, p, L->q);
	return work;
}

/*
 * Symmetric, primary: its own queue pair, plus the RX queues of members
 * not in the group (dead, gone, or not yet started), so their share of the
 * flows is still forwarded (sent on the primary's own TX queue). A member
 * is admitted by tr_group_check() between two turns, so the primary has
 * stopped polling a queue before its owner starts.
 */
static unsigned turn_symmetric_primary(struct loop *L)
{
	struct tr_rt *rt = L->rt;
	uint32_t orphans = ~rt->active & ((UINT32_C(1) << rt->queues) - 1) & ~UINT32_C(1);
	unsigned work = turn_symmetric(L);

	while (orphans) {
		uint16_t q = (uint16_t)__builtin_ctz(orphans);
		orphans &= orphans - 1;
		for (unsigned p = 0; p < rt->n_ports; p++)
			work += rx_handle_send(L, p, q);
	}
	return work;
}

typedef unsigned (*turn_fn)(struct loop *L);

static turn_fn pick_turn(struct tr_rt *rt)
{
	if (rt->id.dp.mode == TR_DP_MODE_SYMMETRIC)
		return rt->id.role == TR_RT_PRIMARY ? turn_symmetric_primary :
						      turn_symmetric;
	if (rt->id.role == TR_RT_PRIMARY)
		return rt->tx_ring ? turn_dist_primary_ring : turn_dist_primary;
	return rt->tx_ring ? turn_dist_member_ring : turn_dist_member_own;
}

static void backoff(unsigned idle, unsigned *sleep_us)
{
	if (idle < TR_SPIN_TURNS)
		return;
	if (idle < TR_PAUSE_TURNS) {
		rte_pause();
		return;
	}
	rte_delay_us_sleep(*sleep_us);
	if (*sleep_us < TR_SLEEP_MAX_US)
		*sleep_us *= 2;
}

int tr_dp_run(struct tr_rt *rt, const struct tr_dp_ops *ops,
	      volatile bool *stop)
{
	static struct loop L; /* large (per-member buffers); one per process */
	uint64_t ms = rt->hz / 1000, next_ms, last, next_check, next_peer, next_tick;
	unsigned idle = 0, sleep_us = TR_SLEEP_MIN_US, turns = 0, busy_turns = 0;
	bool primary = rt->id.role == TR_RT_PRIMARY;
	turn_fn turn;

	if (ops == NULL || ops->handle == NULL)
		return -EINVAL;
	memset(&L, 0, sizeof(L));
	L.rt = rt;
	L.ops = ops;
	L.self = tr__self(rt);
	L.cnt = &L.self->cnt;
	L.burst = (uint16_t)RTE_MIN(rt->id.dp.burst, TR_MAX_BURST);
	L.q = rt->id.dp.mode == TR_DP_MODE_SYMMETRIC || !rt->tx_ring ?
		(uint16_t)rt->id.member : 0;
	L.in = rt->in[rt->id.member];
	L.out = rt->out[rt->id.member];
	turn = pick_turn(rt);
	next_ms = rte_get_tsc_cycles();
	last = next_ms;
	next_check = next_ms;
	next_peer = next_ms;
	next_tick = next_ms + rt->hz;

	while (!*stop) {
		uint64_t t0;

		/* rdtsc costs ~30 ns in a VM: read the clock once per
		 * TR_CLOCK_TURNS turns and share the elapsed cycles out
		 * among the turns that did work. */
		if (turn(&L)) {
			busy_turns++;
			idle = 0;
			sleep_us = TR_SLEEP_MIN_US;
		} else {
			L.cnt->idle_polls++;
			idle++;
			if (ops->adaptive)
				backoff(idle, &sleep_us);
		}
		if (likely(++turns % TR_CLOCK_TURNS))
			continue;
		t0 = rte_rdtsc();
		L.self->own.heartbeat = t0;
		L.cnt->busy_cycles += (t0 - last) * busy_turns / TR_CLOCK_TURNS;
		busy_turns = 0;
		last = t0;
		if (likely(t0 < next_ms))
			continue;
		/* Housekeeping, at most once a millisecond. */
		next_ms = t0 + ms;
		if (primary) {
			rt->reg->hdr.primary_hb = t0;
			if (t0 >= next_check) {
				next_check = t0 + TR_CHECK_MS * ms;
				tr_group_check(rt);
			}
			if (t0 >= next_peer) {
				next_peer = t0 + TR_PEER_MS * ms;
				tr__link_poll(rt);
			}
		} else if (!__atomic_load_n(&rt->reg->hdr.ready, __ATOMIC_ACQUIRE)) {
			/* The primary is stopping: leave before it closes
			 * the ports under us (tr_fini waits for this). */
			return -EPIPE;
		} else if (t0 >= next_peer) {
			next_peer = t0 + TR_PEER_MS * ms;
			if (tr__pid_dead(rt->reg->hdr.primary_pid) ||
			    __atomic_load_n(&L.self->own.state, __ATOMIC_ACQUIRE) !=
				    TR_MEMBER_ACTIVE)
				return -EPIPE;
		}
		if (t0 >= next_tick) {
			next_tick = t0 + rt->hz;
			if (ops->tick)
				ops->tick(rt, ops->arg);
		}
	}
	return 0;
}
