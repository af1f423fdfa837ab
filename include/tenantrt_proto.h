/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * What tenantrt-shim (and the tenantrt CLI) and libtenantrt say to each
 * other, in one place and without DPDK: the environment the shim's plan
 * gives an app, the data-path settings in it, and the stats files the
 * library writes for `tenantrt status`.
 *
 * Environment (written by the plan, read by tr_init()):
 *   RUNTIME_DIRECTORY   <runtimeRoot>/<tenant>: DPDK's runtime dir parent;
 *                       the stats files go to its TR_STATS_DIR subdirectory
 *   TENANTRT_TENANT     the tenant's name
 *   TENANTRT_ROLE       primary | secondary
 *   TENANTRT_MEMBER     0 for the primary, 1.. for secondaries
 *   TENANTRT_MEMBERS    1 + maxSecondaries (the group's slots)
 *   TENANTRT_DATAPATH   mode=distribute|symmetric,burst=N,ring=N,queues=N
 *                       [,tx=auto|own|ring]  (tr_dp_conf_format/parse)
 *
 * Stats files (<RUNTIME_DIRECTORY>/TR_STATS_DIR/, rewritten whole about
 * every second by each member, through a rename so readers never see half):
 *   member-<i>   "key value" lines (TR_STAT_* keys; the lcore_* ones give
 *                one value per lcore that runs a loop, comma-separated),
 *                then one line per port: "port <p> rx <n> tx <n> drop <n>"
 *   group        the primary's view: mode, members, mempool, then per port
 *                "port <p> name <device> link up|down speed <Mbps>"
 * Packets per second = delta of the counters over delta of time_ns. A
 * port's totals are the sums of its lines over every member-<i> file: in
 * distribute mode the primary counts RX (and, with tx=ring, the TX of what
 * members returned); members count what they send themselves. The primary
 * removes member-<i> of a member it finds dead, and the directory when it
 * stops.
 */
#ifndef TENANTRT_PROTO_H
#define TENANTRT_PROTO_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest group: the primary plus 15 secondaries. */
#define TR_MAX_MEMBERS 16
/** Tenant name length including the NUL. */
#define TR_TENANT_NAME_MAX 32

#define TR_ENV_RUNTIME_DIRECTORY "RUNTIME_DIRECTORY"
#define TR_ENV_TENANT "TENANTRT_TENANT"
#define TR_ENV_ROLE "TENANTRT_ROLE"
#define TR_ENV_MEMBER "TENANTRT_MEMBER"
#define TR_ENV_MEMBERS "TENANTRT_MEMBERS"
#define TR_ENV_DATAPATH "TENANTRT_DATAPATH"

/** TENANTRT_ROLE's values. */
#define TR_ROLE_NAME_PRIMARY "primary"
#define TR_ROLE_NAME_SECONDARY "secondary"

/** Data-path deployment. */
enum tr_dp_mode {
	TR_DP_MODE_DISTRIBUTE = 0, /**< primary RX, flow hash to members */
	TR_DP_MODE_SYMMETRIC = 1,  /**< member i owns queue pair i */
};

/** Where members of a distribute group transmit. */
enum tr_dp_tx {
	TR_DP_TX_AUTO = 0, /**< own queue where the PMD allows it, else ring */
	TR_DP_TX_OWN = 1,  /**< member transmits on its own TX queue */
	TR_DP_TX_RING = 2, /**< member returns the burst; the primary sends */
};

/** Bounds and defaults of TENANTRT_DATAPATH (and of tenants.yaml's
 * datapath section, which the shim validates against the same). */
#define TR_DP_BURST_MIN 1
#define TR_DP_BURST_MAX 512
#define TR_DP_BURST_DEFAULT 32
#define TR_DP_RING_MIN 64
#define TR_DP_RING_MAX 65536
#define TR_DP_RING_DEFAULT 1024

/** TENANTRT_DATAPATH, parsed. */
struct tr_dp_conf {
	enum tr_dp_mode mode; /**< default distribute */
	unsigned burst;       /**< TR_DP_BURST_MIN..MAX, default 32 */
	unsigned ring_size;   /**< power of two TR_DP_RING_MIN..MAX, default 1024 */
	unsigned queues;      /**< queue pairs per port; 0 = one per member */
	enum tr_dp_tx tx;     /**< default auto */
};

/** "distribute" / "symmetric" ("?" for anything else). */
const char *tr_dp_mode_name(enum tr_dp_mode m);
/** The mode named s: 0, or -1 when s names none. */
int tr_dp_mode_parse(const char *s, enum tr_dp_mode *out);
/** "auto" / "own" / "ring". */
const char *tr_dp_tx_name(enum tr_dp_tx t);

/** The defaults, as tr_dp_conf_parse() gives for an empty string. */
void tr_dp_conf_default(struct tr_dp_conf *c);

/**
 * Parse a TENANTRT_DATAPATH value (NULL or "" gives the defaults).
 * @return 0, or -EINVAL for an unknown key, a malformed or out-of-range
 *   value (out is then unchanged)
 */
int tr_dp_conf_parse(const char *s, struct tr_dp_conf *out);

/**
 * Write c as a TENANTRT_DATAPATH value; tx is written only when not auto.
 * @return the length (snprintf's: >= len when it did not fit)
 */
int tr_dp_conf_format(const struct tr_dp_conf *c, char *buf, size_t len);

/** Stats files: the directory under RUNTIME_DIRECTORY, and the files. */
#define TR_STATS_DIR "tenantrt"
#define TR_STATS_GROUP "group"
#define TR_STATS_MEMBER_FMT "member-%u"

/** Keys of a member's stats file, in the order written. */
#define TR_STAT_TENANT "tenant"
#define TR_STAT_MEMBER "member"              /**< its slot, 0 = the primary */
#define TR_STAT_ROLE "role"                  /**< TENANTRT_ROLE's values */
#define TR_STAT_PID "pid"
#define TR_STAT_STATE "state"                /**< tr_member_state_name() */
#define TR_STAT_LCORES "lcores"              /**< <id>[,<id>...] */
#define TR_STAT_MODE "mode"                  /**< tr_dp_mode_name() */
#define TR_STAT_TIME_NS "time_ns"            /**< CLOCK_REALTIME when written */
#define TR_STAT_PROCESSED "processed"        /**< packets given to the handler */
#define TR_STAT_HANDLER_DROP "handler_drop"  /**< dropped by the handler */
#define TR_STAT_RING_DROP "ring_drop"        /**< lost to its full ring */
#define TR_STAT_BUSY_CYCLES "busy_cycles"    /**< TSC cycles of turns with work */
#define TR_STAT_IDLE_POLLS "idle_polls"      /**< empty loop turns */
#define TR_STAT_TSC_HZ "tsc_hz"
#define TR_STAT_LCORE_PROCESSED "lcore_processed" /**< <n>[,<n>...]: per lcore
							that runs a loop */
#define TR_STAT_LCORE_RX "lcore_rx"          /**< <n>[,<n>...]: received, per lcore */
#define TR_STAT_PORT "port"                  /**< per port, see above */

/** Keys of the group file, after tenant, time_ns and mode; port lines last. */
#define TR_STAT_MEMBERS "members"            /**< slots: 1 + maxSecondaries */
#define TR_STAT_ACTIVE "active"              /**< admitted, the primary included */
#define TR_STAT_MEMPOOL_IN_USE "mempool_in_use" /**< mbufs allocated */
#define TR_STAT_MEMPOOL_SIZE "mempool_size"  /**< mbufs in the pool */

/** State of a member's registry slot. */
enum tr_member_state {
	TR_MEMBER_FREE = 0,
	TR_MEMBER_JOINING = 1, /**< waiting for the primary to admit it */
	TR_MEMBER_ACTIVE = 2,
	TR_MEMBER_LEAVING = 3, /**< stopped; the primary drains its ring */
	TR_MEMBER_DEAD = 4,    /**< found dead; its ring is being drained */
};

/** "free", "joining", "active", "leaving", "dead" ("?" otherwise): the
 * stats files' state values. */
const char *tr_member_state_name(enum tr_member_state s);

#ifdef __cplusplus
}
#endif

#endif
