/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shared memory of a tenant's group: names, magic, version and layout,
 * and which process writes which cache line. Private to libtenantrt.
 *
 * Objects (all in the tenant's own EAL namespace, --file-prefix=<tenant>):
 *   memzone  "tr_reg_<tenant>"     struct tr_shm_registry
 *   mempool  "tr_mb_<tenant>"      the mbufs of every port
 *   rings    "tr_in_<tenant>_<i>"  primary -> member i (SP/SC), distribute
 *            "tr_out_<tenant>_<i>" member i -> primary (SP/SC), tx=ring
 *   rte_mp action "tenantrt_link"  link changes, primary -> secondaries
 *
 * Writers (one per cache line, so counters need no atomics or locks):
 *   hdr            the primary, once at init (then read-only), except
 *                  hdr.primary_hb and hdr.ready written by the primary
 *   port[p].link   the primary (LSC callback or link poll), 64-bit atomic
 *   table          the primary (flow bucket -> member), read by status
 *   member[i].own  member i only: identity, state, heartbeat, hand record
 *   member[i].cnt  member i only: its counters
 *   member[i].pri  the primary only: admission ack, ring drops, drained
 * Exception: when the primary finds member i dead, it writes
 * member[i].own.state (DEAD, then FREE): the owner is gone.
 *
 * Hand record (distribute, tx=ring): a member peeks a burst from its in
 * ring (rte_ring_dequeue_burst_start: the pointers stay in the ring), sets
 * hand_n and hand_out_tail (the out ring's producer tail once this burst is
 * published), enqueues the burst to its out ring, then finishes the dequeue
 * and clears hand_n. If it dies in between, the primary knows from the out
 * ring's tail whether the burst was published, so no mbuf is lost or freed
 * twice.
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
#define TR_SHM_VERSION UINT32_C(1)

#define TR_SHM_REG_FMT "tr_reg_%s"
#define TR_SHM_POOL_FMT "tr_mb_%s"
#define TR_SHM_IN_FMT "tr_in_%s_%u"
#define TR_SHM_OUT_FMT "tr_out_%s_%u"
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
	uint32_t queues;        /* queue pairs configured per port */
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

/* Written by the member itself. */
struct tr_shm_member_own {
	uint32_t state;         /* enum tr_member_state */
	uint32_t role;
	int32_t pid;
	uint32_t n_lcores;
	uint16_t lcores[TR_MAX_LCORES_PER_MEMBER];
	uint64_t join_seq;      /* bumped at each join */
	uint64_t heartbeat;     /* TSC at the last loop turn */
	uint32_t hand_n;        /* see "Hand record" above */
	uint32_t hand_out_tail;
} __rte_cache_aligned;

/* Written by the member itself; counters only. */
struct tr_shm_member_cnt {
	uint64_t processed;
	uint64_t handler_drop;
	uint64_t busy_cycles;
	uint64_t idle_polls;
	struct tr_port_counters port[TR_MAX_PORTS];
} __rte_cache_aligned;

/* Written by the primary only. */
struct tr_shm_member_pri {
	uint64_t ack_seq;       /* == own.join_seq: admitted */
	uint64_t ring_drop;     /* full in ring */
	uint64_t drained;       /* mbufs freed from its rings after it went */
} __rte_cache_aligned;

struct tr_shm_member {
	struct tr_shm_member_own own;
	struct tr_shm_member_cnt cnt;
	struct tr_shm_member_pri pri;
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
_Static_assert(offsetof(struct tr_shm_member, cnt) % RTE_CACHE_LINE_SIZE == 0,
	       "counters start their own cache line");
_Static_assert(offsetof(struct tr_shm_member, pri) % RTE_CACHE_LINE_SIZE == 0,
	       "primary's line is separate");
_Static_assert(sizeof(struct tr_rt *) == 8, "64-bit only");

#endif
