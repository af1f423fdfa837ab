/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * libtenantrt: the runtime library for tenant data-plane apps started by
 * tenantrt-shim (or by hand with the same EAL arguments and environment).
 *
 * A tenant is one primary process, optionally with secondaries (a group).
 * The library:
 *  - initialises DPDK from the shim's plan and returns who this process is
 *    (tr_init(), tr_identity());
 *  - keeps a group registry in a memzone: one slot per member with its pid,
 *    role, lcores, state, heartbeat and counters (tr_member_get());
 *  - relays link state from the primary, which gets the interrupts, to the
 *    secondaries (tr_link_get(), tr_link_callback_register());
 *  - runs a polling data path on every lcore the process is given, in one
 *    of two modes (tr_dp_run()): distribute (the primary's lcores share
 *    the RX queues and spread flows over every lcore of every member by a
 *    symmetric flow hash, each member lcore draining a ring of its own; a
 *    dead member's rings are drained and its flows move to the others) or
 *    symmetric (each member owns queue pairs of every port, split over its
 *    lcores; the primary polls the pairs of members that are not running).
 *    Which lcore polls what: runtime/tr_split.h.
 *
 * Errors follow DPDK: functions return NULL or -1 and set rte_errno, or
 * return -errno, as each documents. The library never exits the process.
 * Not thread-safe: call everything from the main lcore unless noted.
 *
 * tr_init() reads the environment the shim's plan sets, described with the
 * rest of the shim <-> library protocol in tenantrt_proto.h. TENANTRT_TENANT
 * is required; TENANTRT_ROLE defaults to what the EAL's --proc-type gave,
 * TENANTRT_MEMBERS to 1.
 */
#ifndef TENANTRT_H
#define TENANTRT_H

#include <stdbool.h>
#include <stdint.h>

#include "tenantrt_proto.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rte_mbuf;
struct rte_eth_link;

/** Ports a tenant may own. */
#define TR_MAX_PORTS 8
/** Lcores one member may have. */
#define TR_MAX_LCORES_PER_MEMBER 16
/** Set as mbuf->port by a tr_dp_handler to drop the packet. */
#define TR_DP_DROP UINT16_MAX
/** Returned by a tr_dp_handler whose burst goes to several ports; given
 * to one as the RX port of a burst from several. */
#define TR_DP_MIXED (UINT16_MAX - 1)

/** The library's handle: one per process, from tr_init(). */
struct tr_rt;

/** Role of this process in its tenant's group. */
enum tr_rt_role {
	TR_RT_PRIMARY = 0,   /**< owns the ports, mempool and registry */
	TR_RT_SECONDARY = 1, /**< joins the primary's group */
};

/** TENANTRT_ROLE's value for role r: TR_ROLE_NAME_PRIMARY or
 * TR_ROLE_NAME_SECONDARY. */
const char *tr_rt_role_name(enum tr_rt_role r);

/** Who this process is, from the environment and the EAL. */
struct tr_identity {
	char tenant[TR_TENANT_NAME_MAX];
	enum tr_rt_role role;
	unsigned member;   /**< 0 = primary, 1.. = secondaries */
	unsigned members;  /**< group size (slots), 1..TR_MAX_MEMBERS */
	unsigned n_lcores;
	unsigned lcores[TR_MAX_LCORES_PER_MEMBER]; /**< [0] is the main lcore */
	struct tr_dp_conf dp;
};

/** Counters of one member on one port (monotonic). */
struct tr_port_counters {
	uint64_t rx;   /**< packets received from the port by this member */
	uint64_t tx;   /**< packets sent on the port by this member */
	uint64_t drop; /**< packets dropped: TX queue full, handler drop */
};

/** A snapshot of one registry slot (tr_member_get()). */
struct tr_member_info {
	enum tr_member_state state;
	enum tr_rt_role role;
	int pid;
	unsigned n_lcores;
	unsigned lcores[TR_MAX_LCORES_PER_MEMBER];
	uint64_t heartbeat_age_ms; /**< since the member's last loop turn */
	uint64_t processed;  /**< packets handed to this member's handler */
	uint64_t ring_drop;  /**< dropped because its ring was full */
	uint64_t handler_drop; /**< set to TR_DP_DROP by the handler */
	uint64_t busy_cycles; /**< TSC cycles in loop turns that did work */
	uint64_t idle_polls;  /**< loop turns that found nothing */
	struct tr_port_counters port[TR_MAX_PORTS];
	/** Lcores 0..n_run-1 of the member run a loop (the others have no
	 *  queue or ring to serve). */
	unsigned n_run;
	/** Packets handed to the handler by each of those lcores. */
	uint64_t lcore_processed[TR_MAX_LCORES_PER_MEMBER];
	/** Packets each of those lcores received from the ports. */
	uint64_t lcore_rx[TR_MAX_LCORES_PER_MEMBER];
};

/**
 * Initialise DPDK and the library from argv (EAL arguments first, as for
 * rte_eal_init()) and the environment above. The primary creates the
 * registry, the mbuf pool, configures and starts every port and starts the
 * link-state relay; a secondary waits (up to 10 s) for the primary to be
 * ready, checks the registry's magic and version and its data-path
 * settings, then joins its slot (TENANTRT_MEMBER).
 *
 * @param argc, argv  as given to main()
 * @param[out] consumed  number of arguments the EAL used (like the return
 *                       value of rte_eal_init()); may be NULL
 * @return the handle, or NULL with rte_errno set:
 *   - EINVAL: bad or inconsistent environment (TENANTRT_*), bad EAL args
 *   - ENOTSUP: symmetric mode on a PMD that cannot do I/O in a secondary
 *     (net_af_packet, net_memif), or a port that cannot give the queues
 *   - EPROTO: the registry's magic or version is not ours
 *   - EEXIST: another live process holds this member slot
 *   - ETIMEDOUT: the primary did not become ready, or did not admit us
 *   - ENOMEM, ENODEV, or an errno from the EAL or ethdev
 */
struct tr_rt *tr_init(int argc, char **argv, int *consumed);

/**
 * Leave the group (a secondary waits up to 1 s for the primary to drain its
 * ring), stop the ports (primary), release the library and call
 * rte_eal_cleanup(). The handle is freed even on error.
 * @return 0, or -errno from rte_eal_cleanup().
 */
int tr_fini(struct tr_rt *rt);

/** This process's identity; valid until tr_fini(). */
const struct tr_identity *tr_identity(const struct tr_rt *rt);

/** A one-line description of the last tr_init() failure in this process
 *  (what and where), "" if none. */
const char *tr_strerror(void);

/**
 * Snapshot of registry slot @p member.
 * @return 0, or -EINVAL if member >= the group size.
 */
int tr_member_get(const struct tr_rt *rt, unsigned member,
		  struct tr_member_info *out);

/**
 * Primary only: look for dead members (heartbeat older than 200 ms and the
 * pid gone or a zombie) and for joining/leaving ones; drain the rings of the
 * dead and leaving (freeing their mbufs) and rebuild the flow table. The
 * data path calls this every 10 ms; call it yourself if you do not run it.
 * @return the number of members found dead by this call, or -EPERM in a
 *         secondary.
 */
int tr_group_check(struct tr_rt *rt);

/** Number of ports of the tenant (ports 0..n-1). */
unsigned tr_port_count(const struct tr_rt *rt);

/**
 * Link state of a port as the primary last saw it (shared memory; valid in
 * every member).
 * @return 0, or -EINVAL for a bad port.
 */
int tr_link_get(const struct tr_rt *rt, uint16_t port,
		struct rte_eth_link *link);

/**
 * Called with the new link state of a port when it changes. In the primary
 * it runs in the EAL interrupt thread or the data-path loop; in a secondary
 * in the EAL multi-process thread. Keep it short; do not call the library.
 */
typedef void (*tr_link_cb)(uint16_t port, const struct rte_eth_link *link,
			   void *arg);

/**
 * Register a link-change callback (at most 4 per process).
 * @return 0, -EINVAL for a NULL cb, -ENOSPC when 4 are registered.
 */
int tr_link_callback_register(struct tr_rt *rt, tr_link_cb cb, void *arg);

/**
 * Process a burst. rx_port is the RX port of every packet of the burst
 * when the library knows it (a burst from one port's queue), else
 * TR_DP_MIXED (a distribute member's burst from its ring: mbuf->port
 * holds each packet's RX port). The library sends and counts; the handler
 * must not free or send.
 * @return the output port when every packet of the burst goes to that one
 *   port: then the handler need not write any mbuf (the library sends the
 *   burst as it is, and writes ->port itself where a mode needs it). Else
 *   TR_DP_MIXED, having set each pkts[i]->port to the port to send it on,
 *   or to TR_DP_DROP.
 */
typedef uint16_t (*tr_dp_handler)(struct rte_mbuf **pkts, uint16_t n,
				  uint16_t rx_port, void *arg);

/** Called about once a second from the data-path loop (stats, printing). */
typedef void (*tr_dp_tick)(struct tr_rt *rt, void *arg);

/** How tr_dp_run() polls. */
struct tr_dp_ops {
	tr_dp_handler handle;  /**< required; called on every lcore that
				    runs, so it must be safe to run in
				    parallel with itself */
	tr_dp_tick tick;       /**< optional; main lcore only */
	void *arg;             /**< passed to both */
	/** Back off when idle: spin, pause, then, in the primary's RX-only
	 *  lcores whose queues can wake them (net_tap's RX interrupts,
	 *  net_af_packet's sockets), wait for a frame (the least CPU: about
	 *  0.5 % of a cpu idle; the first frame is seen after the kernel's
	 *  wake-up, on a VM from 0.1 to over 1 ms); else sleep. */
	bool adaptive;
	/** Adaptive: when set, the lcore never waits but sleeps, each sleep
	 *  at most this long, which bounds how late the first packet after
	 *  an idle period is seen; each wake-up costs a few us of CPU
	 *  (100 us: about 7 % of a cpu idle). 0: waits where the queues can
	 *  wake it, else sleeps capped at 100 us. */
	unsigned idle_sleep_max_us;
};

/**
 * Run this member's data path until *stop becomes true, or (secondary) the
 * primary stops, dies, or drops us: a loop on the calling (main) lcore and
 * one on each worker lcore that has work (launched with
 * rte_eal_remote_launch; a worker the app already uses has its loop run
 * by the main lcore instead). Returns once every loop has stopped.
 * A stopping primary waits up to 1 s in tr_fini() for its secondaries to
 * return from here before it closes the ports. Heartbeat, group checks
 * (primary), link polling for PMDs without LSC interrupts (primary) and
 * the tick run in the main lcore's loop.
 * @return 0 when stopped, -EPIPE when the primary is gone, -EINVAL for a
 *         NULL handler, -ENOMEM.
 */
int tr_dp_run(struct tr_rt *rt, const struct tr_dp_ops *ops,
	      volatile bool *stop);

/**
 * Write this member's counters to <RUNTIME_DIRECTORY>/tenantrt/member-<i>
 * (atomically: a temporary file renamed over it). The primary also writes
 * "group" (mode, members, mempool in use, ports and links). The format is
 * "key value" lines, documented in tenantrt_proto.h (TR_STAT_*).
 * @return 0, or -errno.
 */
int tr_stats_write(struct tr_rt *rt);

/** Mbufs of the tenant's pool currently allocated (for leak checks). */
unsigned tr_mempool_in_use(const struct tr_rt *rt);

#ifdef __cplusplus
}
#endif

#endif
