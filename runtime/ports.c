/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The primary's set-up of what the group shares: the mbuf pool, the ports
 * (queues for every lcore of every member, tr_split.h; RSS with a symmetric
 * key; RX interrupts where the PMD has them) and the member lcores' rings;
 * a secondary's lookup of the same.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "tr_rt.h"

#define TR_NB_DESC 512
#define TR_POOL_CACHE 256

/* 22.11: net_af_packet sets no burst functions in a secondary (crash) and
 * net_memif stalls one, so only the primary may do their I/O. */
static bool secondary_io_ok(const char *driver)
{
	return strcmp(driver, "net_af_packet") != 0 &&
	       strcmp(driver, "net_memif") != 0;
}

static int dev_info(uint16_t pid, struct rte_eth_dev_info *info)
{
	int rc = rte_eth_dev_info_get(pid, info);

	if (rc < 0)
		return tr__fail(-rc, "port %u: cannot get device info: %s", pid,
				rte_strerror(-rc));
	return 0;
}

static int collect_ports(struct tr_rt *rt)
{
	uint16_t pid;

	rt->n_ports = 0;
	RTE_ETH_FOREACH_DEV(pid) {
		if (rt->n_ports == TR_MAX_PORTS)
			return tr__fail(EINVAL, "tenant %s has more than %d ports",
					rt->id.tenant, TR_MAX_PORTS);
		rt->port_id[rt->n_ports++] = pid;
	}
	if (rt->n_ports == 0)
		return tr__fail(ENODEV, "tenant %s: no ports: give the NICs with "
				"-a <BDF> or --vdev <name> (the tenant's nics)",
				rt->id.tenant);
	return 0;
}

static int create_pool(struct tr_rt *rt)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	const struct tr_dp_conf *dp = &rt->id.dp;
	unsigned n, lc = rt->n_run ? rt->n_run : 1;

	/* Every descriptor, every ring slot, every lcore's burst in hand and
	 * TX buffers, and every lcore cache may hold mbufs at once; a pool
	 * smaller than that starves RX. Secondaries are counted with as many
	 * lcores as the primary (their rings are made when they join). */
	n = rt->n_ports * (rt->rxq + rt->txq) * TR_NB_DESC +
	    rt->id.members * lc * dp->ring_size * (rt->tx_ring ? 2 : 1) +
	    rt->id.members * lc * dp->burst * (2 + rt->n_ports) +
	    rt->id.members * RTE_MAX(lc, 2u) * TR_POOL_CACHE * 3 / 2 +
	    2048;
	snprintf(name, sizeof(name), TR_SHM_POOL_FMT, rt->id.tenant);
	rt->pool = rte_pktmbuf_pool_create(name, n, TR_POOL_CACHE, 0,
					   RTE_MBUF_DEFAULT_BUF_SIZE,
					   rte_socket_id());
	if (rt->pool == NULL)
		return tr__fail(rte_errno, "cannot create mbuf pool %s of %u mbufs "
				"(%u MiB): %s; raise the tenant's memory or lower "
				"ringSize", name, n,
				(unsigned)((uint64_t)n * 2432 >> 20),
				rte_strerror(rte_errno));
	return 0;
}

/* Toeplitz with this key (0x6d5a repeated) gives both directions of a
 * flow the same hash (Woo and Park, "Scalable TCP session monitoring with
 * symmetric receive-side scaling", 2012): distribute needs that to keep a
 * flow's two directions on one member. */
static uint8_t sym_rss_key[40] = {
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
};

/* PMDs whose RX queues can wake a sleeping lcore here (net_tap: each
 * queue's fd). Others take the capped sleep; for PCI NICs this would need
 * vfio with a vector per queue, which is not assumed. */
static bool rx_intr_ok(const char *driver)
{
	return strcmp(driver, "net_tap") == 0;
}

/* Configure with conf, and without RSS if the PMD refuses it (some, like
 * net_tap without its BPF, list RSS but refuse it; the kernel side then
 * spreads flows over queues), and without RX interrupts if it refuses
 * those. */
static int configure(struct tr_rt *rt, uint16_t pid, struct rte_eth_conf *conf)
{
	int rc = rte_eth_dev_configure(pid, (uint16_t)rt->rxq, (uint16_t)rt->txq,
				       conf);

	if (rc < 0 && conf->intr_conf.rxq) {
		conf->intr_conf.rxq = 0;
		rc = rte_eth_dev_configure(pid, (uint16_t)rt->rxq,
					   (uint16_t)rt->txq, conf);
	}
	if (rc < 0 && conf->rx_adv_conf.rss_conf.rss_key != NULL) {
		conf->rx_adv_conf.rss_conf.rss_key = NULL;
		conf->rx_adv_conf.rss_conf.rss_key_len = 0;
		conf->rxmode.offloads &= ~RTE_ETH_RX_OFFLOAD_RSS_HASH;
		rc = rte_eth_dev_configure(pid, (uint16_t)rt->rxq,
					   (uint16_t)rt->txq, conf);
	}
	if (rc < 0 && conf->rxmode.mq_mode == RTE_ETH_MQ_RX_RSS) {
		conf->rxmode.mq_mode = RTE_ETH_MQ_RX_NONE;
		conf->rx_adv_conf.rss_conf.rss_hf = 0;
		conf->rxmode.offloads &= ~RTE_ETH_RX_OFFLOAD_RSS_HASH;
		rc = rte_eth_dev_configure(pid, (uint16_t)rt->rxq,
					   (uint16_t)rt->txq, conf);
	}
	return rc;
}

static int setup_port(struct tr_rt *rt, unsigned idx)
{
	uint16_t pid = rt->port_id[idx];
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	struct tr_shm_port *sp = &rt->reg->port[idx];
	bool lsc;
	int rc;

	if (dev_info(pid, &info) < 0)
		return -1;
	rte_eth_dev_get_name_by_port(pid, sp->name);
	memset(&conf, 0, sizeof(conf));
	lsc = info.dev_flags != NULL && (*info.dev_flags & RTE_ETH_DEV_INTR_LSC);
	conf.intr_conf.lsc = lsc;
	conf.intr_conf.rxq = rx_intr_ok(info.driver_name);
	if (rt->rxq > 1 && info.flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads &
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP);
		/* distribute: a symmetric hash delivered in the mbuf spares
		 * the primary reading every frame. */
		if (rt->id.dp.mode == TR_DP_MODE_DISTRIBUTE &&
		    info.hash_key_size == sizeof(sym_rss_key) &&
		    (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_RSS_HASH)) {
			conf.rx_adv_conf.rss_conf.rss_key = sym_rss_key;
			conf.rx_adv_conf.rss_conf.rss_key_len = sizeof(sym_rss_key);
			conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_RSS_HASH;
		}
	}
	rc = configure(rt, pid, &conf);
	if (rc < 0)
		return tr__fail(-rc, "port %u (%s): configure with %u RX and %u TX "
				"queues: %s", pid, sp->name, rt->rxq, rt->txq,
				rte_strerror(-rc));
	if (conf.rx_adv_conf.rss_conf.rss_key == NULL)
		rt->rss_hash = false;
	rt->rx_intr[idx] = conf.intr_conf.rxq;
	for (unsigned q = 0; q < rt->rxq; q++) {
		rc = rte_eth_rx_queue_setup(pid, (uint16_t)q, TR_NB_DESC,
					    rte_eth_dev_socket_id(pid), NULL, rt->pool);
		if (rc < 0)
			return tr__fail(-rc, "port %u (%s): RX queue %u set-up: %s",
					pid, sp->name, q, rte_strerror(-rc));
	}
	for (unsigned q = 0; q < rt->txq; q++) {
		rc = rte_eth_tx_queue_setup(pid, (uint16_t)q, TR_NB_DESC,
					    rte_eth_dev_socket_id(pid), NULL);
		if (rc < 0)
			return tr__fail(-rc, "port %u (%s): TX queue %u set-up: %s",
					pid, sp->name, q, rte_strerror(-rc));
	}
	rc = rte_eth_dev_start(pid);
	if (rc < 0)
		return tr__fail(-rc, "port %u (%s): start: %s", pid, sp->name,
				rte_strerror(-rc));
	/* Forwarding rewrites MACs; let every frame in. */
	rte_eth_promiscuous_enable(pid);
	sp->lsc_irq = lsc;
	rt->link_polled[idx] = !lsc;
	return 0;
}

/* The ring of lcore j of member m named by fmt (TR_SHM_IN_FMT,
 * TR_SHM_OUT_FMT): found, or made by the primary. In rings take several
 * producers when the primary runs several lcores. */
static int ring_of(struct tr_rt *rt, const char *fmt, unsigned m, unsigned j,
		   unsigned flags, struct rte_ring **out)
{
	char name[RTE_RING_NAMESIZE];

	if (*out != NULL)
		return 0;
	snprintf(name, sizeof(name), fmt, m, j);
	*out = rte_ring_lookup(name);
	if (*out != NULL)
		return 0;
	if (rt->id.role != TR_RT_PRIMARY)
		return tr__fail(ENOENT, "ring %s not found", name);
	*out = rte_ring_create(name, rt->id.dp.ring_size, rte_socket_id(), flags);
	if (*out == NULL)
		return tr__fail(rte_errno, "cannot create ring %s: %s", name,
				rte_strerror(rte_errno));
	return 0;
}

int tr__ports_rings(struct tr_rt *rt, unsigned m, unsigned n)
{
	/* (flags matter to the primary only: it makes the rings) */
	unsigned in_flags = RING_F_SC_DEQ | (rt->n_run <= 1 ? RING_F_SP_ENQ : 0);

	for (unsigned j = 0; j < n && j < TR_MAX_LCORES_PER_MEMBER; j++) {
		if (ring_of(rt, TR_SHM_IN_FMT, m, j, in_flags, &rt->in[m][j]) < 0)
			return -1;
		if (rt->tx_ring && ring_of(rt, TR_SHM_OUT_FMT, m, j,
					   RING_F_SP_ENQ | RING_F_SC_DEQ,
					   &rt->out[m][j]) < 0)
			return -1;
	}
	return 0;
}

/* Which ports may a secondary do I/O on? Decides symmetric's refusal and
 * distribute's TX path. */
static int check_drivers(struct tr_rt *rt, bool *all_ok)
{
	*all_ok = true;
	for (unsigned i = 0; i < rt->n_ports; i++) {
		struct rte_eth_dev_info info;
		if (dev_info(rt->port_id[i], &info) < 0)
			return -1;
		if (secondary_io_ok(info.driver_name))
			continue;
		*all_ok = false;
		if (rt->id.dp.mode == TR_DP_MODE_SYMMETRIC && rt->id.members > 1)
			return tr__fail(ENOTSUP, "tenant %s: port %u uses %s, which "
					"cannot do I/O in a secondary process "
					"(DPDK 22.11): use datapath mode %s, or "
					"net_tap/net_ring/net_null or a PCI NIC",
					rt->id.tenant, rt->port_id[i],
					info.driver_name,
					tr_dp_mode_name(TR_DP_MODE_DISTRIBUTE));
		if (rt->id.dp.tx == TR_DP_TX_OWN && rt->id.members > 1)
			return tr__fail(ENOTSUP, "tenant %s: tx=%s but port %u "
					"uses %s, which cannot send from a "
					"secondary (DPDK 22.11): use tx=%s or "
					"tx=%s", rt->id.tenant,
					tr_dp_tx_name(TR_DP_TX_OWN), rt->port_id[i],
					info.driver_name, tr_dp_tx_name(TR_DP_TX_RING),
					tr_dp_tx_name(TR_DP_TX_AUTO));
	}
	return 0;
}

/* 22.11's net_tap sends every queue's fd to the secondaries at start in
 * one rte_mp message, which holds 8 (tap_mp_req_on_rxtx writes past the
 * array: "stack smashing detected" in the primary): 4 queue pairs at most. */
#define TR_TAP_MAX_QUEUES 4

/* The smallest queue maxima over the tenant's ports. */
static int dev_queues(struct tr_rt *rt, unsigned *rx, unsigned *tx)
{
	*rx = *tx = TR_MAX_QUEUES;
	for (unsigned i = 0; i < rt->n_ports; i++) {
		struct rte_eth_dev_info info;
		unsigned cap = TR_MAX_QUEUES;
		if (dev_info(rt->port_id[i], &info) < 0)
			return -1;
		if (strcmp(info.driver_name, "net_tap") == 0)
			cap = TR_TAP_MAX_QUEUES;
		cap = RTE_MIN(cap, (unsigned)info.max_rx_queues);
		*rx = RTE_MIN(*rx, cap);
		cap = RTE_MIN(cap, (unsigned)info.max_tx_queues);
		*tx = RTE_MIN(*tx, cap);
	}
	return 0;
}

static void split_conf(struct tr_rt *rt)
{
	rt->split = (struct tr_split_conf){
		.mode = rt->id.dp.mode,
		.tx_ring = rt->tx_ring,
		.members = rt->id.members,
		.n_ports = rt->n_ports,
		.rxq = rt->rxq,
		.txq = rt->txq,
	};
	rt->n_run = tr_split_running(&rt->split, rt->id.member, rt->id.n_lcores);
}

int tr__ports_setup(struct tr_rt *rt)
{
	const struct tr_dp_conf *dp = &rt->id.dp;
	unsigned dev_rx, dev_tx;
	bool all_ok;

	if (collect_ports(rt) < 0 || check_drivers(rt, &all_ok) < 0 ||
	    dev_queues(rt, &dev_rx, &dev_tx) < 0)
		return -1;
	rt->tx_ring = dp->mode == TR_DP_MODE_DISTRIBUTE &&
		      (dp->tx == TR_DP_TX_RING || (dp->tx == TR_DP_TX_AUTO && !all_ok));
	if (tr_split_queues(dp->mode, rt->tx_ring, rt->id.members, rt->id.n_lcores,
			    dp->queues, dev_rx, dev_tx, &rt->rxq, &rt->txq) < 0) {
		if (dp->mode == TR_DP_MODE_SYMMETRIC && dp->queues &&
		    dp->queues < rt->id.members)
			return tr__fail(EINVAL, TR_ENV_DATAPATH " queues=%u is "
					"fewer than the %u members: each member "
					"owns queue pairs of its own", dp->queues,
					rt->id.members);
		return tr__fail(ENOTSUP, "tenant %s: %u queue pairs needed "
				"(one per member), its ports have %u; give them "
				"more queues (e.g. net_af_packet qpairs=) or use "
				"fewer members", rt->id.tenant, rt->id.members,
				RTE_MIN(dev_rx, dev_tx));
	}
	/* Symmetric RSS hashes are used only when every port gives one
	 * (setup_port clears this for a port that does not). */
	rt->rss_hash = dp->mode == TR_DP_MODE_DISTRIBUTE && rt->rxq > 1;
	split_conf(rt);
	rt->reg->hdr.n_ports = rt->n_ports;
	rt->reg->hdr.tx_ring = rt->tx_ring;
	rt->reg->hdr.rxq = rt->rxq;
	rt->reg->hdr.txq = rt->txq;
	if (create_pool(rt) < 0)
		return -1;
	for (unsigned i = 0; i < rt->n_ports; i++)
		if (setup_port(rt, i) < 0)
			return -1;
	return 0;
}

int tr__ports_lookup(struct tr_rt *rt)
{
	char name[RTE_MEMPOOL_NAMESIZE];

	if (collect_ports(rt) < 0)
		return -1;
	if (rt->n_ports != rt->reg->hdr.n_ports)
		return tr__fail(EINVAL, "this secondary sees %u ports, the "
				"primary %u: every member needs the same device "
				"list (-a/--vdev)", rt->n_ports,
				rt->reg->hdr.n_ports);
	rt->rxq = rt->reg->hdr.rxq;
	rt->txq = rt->reg->hdr.txq;
	rt->tx_ring = rt->reg->hdr.tx_ring;
	split_conf(rt);
	if (rt->n_run == 0)
		return tr__fail(EINVAL, "member %u has no queue pair: the "
				"primary configured %u per port for %u members",
				rt->id.member, rt->txq, rt->id.members);
	snprintf(name, sizeof(name), TR_SHM_POOL_FMT, rt->id.tenant);
	rt->pool = rte_mempool_lookup(name);
	if (rt->pool == NULL)
		return tr__fail(ENOENT, "mbuf pool %s not found", name);
	return 0;
}

void tr__ports_close(struct tr_rt *rt)
{
	struct rte_mbuf *pkts[64];
	unsigned n;

	for (unsigned i = 0; i < rt->n_ports; i++) {
		rte_eth_dev_stop(rt->port_id[i]);
		rte_eth_dev_close(rt->port_id[i]);
	}
	for (unsigned m = 1; m < TR_MAX_MEMBERS; m++) {
		for (unsigned j = 0; j < TR_MAX_LCORES_PER_MEMBER; j++) {
			struct rte_ring *rs[2] = {rt->in[m][j], rt->out[m][j]};
			for (unsigned k = 0; k < 2; k++) {
				if (rs[k] == NULL)
					continue;
				while ((n = rte_ring_dequeue_burst(rs[k], (void **)pkts,
								   64, NULL)) > 0)
					rte_pktmbuf_free_bulk(pkts, n);
				rte_ring_free(rs[k]);
			}
			rt->in[m][j] = rt->out[m][j] = NULL;
		}
	}
	rte_mempool_free(rt->pool);
	rt->pool = NULL;
	if (rt->mz != NULL)
		rte_memzone_free(rt->mz);
	rt->mz = NULL;
	rt->reg = NULL;
}
