/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shared memory of a tenant's group: names, magic, version and layout,
 * and which process writes which cache line. Private to libtenantrt.
 *
 * Objects (all in the tenant's own EAL namespace, --file-prefix=<tenant>,
 * so ring names need not carry the tenant):
 *   memzone  "tr_reg_<tenant>"  struct tr_shm_registry
 *   mempool  "tr_mb_<tenant>"   the mbufs of every port
 *   rings    "tr_in_<m>_<j>"    primary -> lcore j of member m, distribute
 *                               (single consumer; single producer when the
 *                               primary runs one lcore, else multi-producer:
 *                               each primary lcore enqueues the flows of the
 *                               RX queues it polls, so a flow's order holds)
 *            "tr_out_<m>_<j>"   lcore j of member m -> primary, tx=ring
 *                               (SP/SC: one primary lcore drains it)
 *            The primary creates member m's rings when it admits m, one per
 *            lcore m runs (own.n_run), and keeps them for the slot's next
 *            holder.
 *   rte_mp action "tenantrt_link"  link changes, primary -> secondaries
 *
 * Writers (one per cache line, so counters need no atomics or locks):
 *   hdr            the primary, once at init (then read-only), except
 *                  hdr.primary_hb and hdr.ready written by the primary
 *   port[p].link   the primary (LSC callback or link poll), 64-bit atomic
 *   table          the primary (flow bucket -> sink, tr_flow.h), for status
 *   member[i].own  member i's main lcore: identity, state, heartbeat
 *   member[i].pri  the primary only: admission ack, ring drops, drained
 *   member[i].lc[j] lcore j of member i only: its hand record and counters
 * Exception: when the primary finds member i dead, it writes
 * member[i].own.state (DEAD, then FREE): the owner is gone.
 *
 * Hand record (distribute), one per member lcore: the lcore peeks a burst
 * from its in ring (rte_ring_dequeue_burst_start: the pointers stay in the
 * ring), sets hand_out_tail (tx=ring: the out ring's producer tail once
 * this burst is published) and hand_n, sends or returns the burst, then
 * finishes the dequeue and clears hand_n. If the member dies in between,
 * the primary knows from the out ring's tail whether the burst was
 * published: with tx=ring no mbuf is lost or freed twice. With its own TX
 * queue, a member killed inside rte_eth_tx_burst loses at most the burst in
 * hand, one per lcore (the PMD may have taken part of it).
 *
 * The stats files (tr_stats_write(), for `tenantrt status` without DPDK)
 * are not shared memory: their names, keys and how to read them are part
 * of the shim <-> library protocol, in tenantrt_proto.h.
 */
#ifndef TR_SHM_H
#define TR_SHM_H

#include <stdint.h>

#include <rte_common.h>

#include "tenantrt.h"

#define TR_SHM_MAGIC UINT32_C(0x54524e54) /* "TRNT" */
#define TR_SHM_VERSION UINT32_C(2)

#define TR_SHM_REG_FMT "tr_reg_%s"
#define TR_SHM_POOL_FMT "tr_mb_%s"
#define TR_SHM_IN_FMT "tr_in_%u_%u"
#define TR_SHM_OUT_FMT "tr_out_%u_%u"
#define TR_SHM_MP_LINK "tenantrt_link"

/* Flow buckets: enough that losing one of 16 members moves 1/16 of flows
 * and a joining member takes an even share (rendezvous hashing per bucket). */
#define TR_SHM_BUCKETS 256

struct tr_shm_hdr {
	uint32_t magic;
	uint32_t version;
	uint32_t size;          /* sizeof(struct tr_shm_registry) */
	uint32_t members;       /* slots in use: 1 + maxSecondaries */
	uint32_t n_ports;
	uint32_t ready;         /* 1 once ports, pool and rings exist */
	uint32_t tx_ring;       /* distribute: 1 = members return bursts */
	uint32_t rxq, txq;      /* queues configured per port */
	struct tr_dp_conf dp;   /* the primary's data-path settings */
	char tenant[TR_TENANT_NAME_MAX];
	int32_t primary_pid;
	uint64_t tsc_hz;
	uint64_t primary_hb;    /* primary's TSC at its last loop turn */
} __rte_cache_aligned;

struct tr_shm_port {
	uint64_t link;          /* struct rte_eth_link, 64-bit atomic */
	uint32_t lsc_irq;       /* 1 = interrupts, 0 = polled */
	char name[64];
} __rte_cache_aligned;

/* Written by the member's main lcore. */
struct tr_shm_member_own {
	uint32_t state;         /* enum tr_member_state */
	uint32_t role;
	int32_t pid;
	uint32_t n_lcores;
	uint16_t lcores[TR_MAX_LCORES_PER_MEMBER];
	uint32_t n_run;         /* lcores 0..n_run-1 run a loop; set before
				 * JOINING (distribute: one ring each) */
	uint64_t join_seq;      /* bumped at each join */
	uint64_t heartbeat;     /* TSC at the main lcore's last loop turn */
} __rte_cache_aligned;

/* Written by the primary only. */
struct tr_shm_member_pri {
	uint64_t ack_seq;       /* == own.join_seq: admitted */
	uint64_t ring_drop;     /* full in ring */
	uint64_t drained;       /* mbufs freed from its rings after it went */
} __rte_cache_aligned;

/* Written by one lcore of the member: its hand record and its counters. */
struct tr_shm_lcore {
	uint32_t hand_n;        /* see "Hand record" above */
	uint32_t hand_out_tail;
	uint64_t processed;
	uint64_t handler_drop;
	uint64_t busy_cycles;
	uint64_t idle_polls;
	struct tr_port_counters port[TR_MAX_PORTS];
} __rte_cache_aligned;

struct tr_shm_member {
	struct tr_shm_member_own own;
	struct tr_shm_member_pri pri;
	struct tr_shm_lcore lc[TR_MAX_LCORES_PER_MEMBER];
} __rte_cache_aligned;

struct tr_shm_registry {
	struct tr_shm_hdr hdr;
	struct tr_shm_port port[TR_MAX_PORTS];
	uint8_t table[TR_SHM_BUCKETS] __rte_cache_aligned;
	struct tr_shm_member member[TR_MAX_MEMBERS];
} __rte_cache_aligned;

/* Layout facts the code relies on; a change here bumps TR_SHM_VERSION. */
_Static_assert(sizeof(struct tr_shm_member_own) <= 2 * RTE_CACHE_LINE_SIZE,
	       "member's own lines stay small");
_Static_assert(offsetof(struct tr_shm_member, pri) % RTE_CACHE_LINE_SIZE == 0,
	       "primary's line is separate");
_Static_assert(offsetof(struct tr_shm_member, lc) % RTE_CACHE_LINE_SIZE == 0 &&
	       sizeof(struct tr_shm_lcore) % RTE_CACHE_LINE_SIZE == 0,
	       "each lcore's line starts its own cache line");
_Static_assert(sizeof(struct tr_rt *) == 8, "64-bit only");

#endif
