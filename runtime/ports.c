/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The primary's set-up of what the group shares: the mbuf pool, the ports
 * (queues for every member, RSS in symmetric mode) and the member rings;
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
	unsigned n;

	/* Every descriptor, every ring slot, every member's burst in hand and
	 * every lcore cache may hold mbufs at once; a pool smaller than that
	 * starves RX. */
	n = rt->n_ports * rt->queues * 2 * TR_NB_DESC +
	    rt->id.members * dp->ring_size * 2 +
	    rt->id.members * dp->burst * 4 +
	    rt->id.members * TR_MAX_LCORES_PER_MEMBER * TR_POOL_CACHE * 3 / 2 +
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
	if (info.max_rx_queues < rt->queues || info.max_tx_queues < rt->queues)
		return tr__fail(ENOTSUP, "port %u (%s): %u queue pairs needed "
				"(one per member), the device has %u; give it more "
				"queues (e.g. net_af_packet qpairs=) or use fewer "
				"members", pid, sp->name, rt->queues,
				RTE_MIN(info.max_rx_queues, info.max_tx_queues));
	memset(&conf, 0, sizeof(conf));
	lsc = info.dev_flags != NULL && (*info.dev_flags & RTE_ETH_DEV_INTR_LSC);
	conf.intr_conf.lsc = lsc;
	if (rt->id.dp.mode == TR_DP_MODE_SYMMETRIC && rt->queues > 1 &&
	    info.flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf =
			info.flow_type_rss_offloads &
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP);
	}
	rc = rte_eth_dev_configure(pid, (uint16_t)rt->queues,
				   (uint16_t)rt->queues, &conf);
	if (rc < 0 && conf.rxmode.mq_mode == RTE_ETH_MQ_RX_RSS) {
		/* Some PMDs (net_tap without its BPF) list RSS but refuse
		 * it; the kernel side then spreads flows over queues. */
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_NONE;
		conf.rx_adv_conf.rss_conf.rss_hf = 0;
		rc = rte_eth_dev_configure(pid, (uint16_t)rt->queues,
					   (uint16_t)rt->queues, &conf);
	}
	if (rc < 0)
		return tr__fail(-rc, "port %u (%s): configure with %u queue pairs: "
				"%s", pid, sp->name, rt->queues, rte_strerror(-rc));
	for (unsigned q = 0; q < rt->queues; q++) {
		rc = rte_eth_rx_queue_setup(pid, (uint16_t)q, TR_NB_DESC,
					    rte_eth_dev_socket_id(pid), NULL, rt->pool);
		if (rc == 0)
			rc = rte_eth_tx_queue_setup(pid, (uint16_t)q, TR_NB_DESC,
						    rte_eth_dev_socket_id(pid), NULL);
		if (rc < 0)
			return tr__fail(-rc, "port %u (%s): queue %u set-up: %s",
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

/* Member m's ring named by fmt (TR_SHM_IN_FMT, TR_SHM_OUT_FMT): the
 * primary creates it, a secondary finds it. */
static int create_ring(struct tr_rt *rt, const char *fmt, unsigned m,
		       struct rte_ring **out)
{
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), fmt, rt->id.tenant, m);
	*out = rte_ring_create(name, rt->id.dp.ring_size, rte_socket_id(),
			       RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (*out == NULL)
		return tr__fail(rte_errno, "cannot create ring %s: %s", name,
				rte_strerror(rte_errno));
	return 0;
}

static int lookup_ring(struct tr_rt *rt, const char *fmt, unsigned m,
		       struct rte_ring **out)
{
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), fmt, rt->id.tenant, m);
	*out = rte_ring_lookup(name);
	if (*out == NULL)
		return tr__fail(ENOENT, "ring %s not found", name);
	return 0;
}

static int create_rings(struct tr_rt *rt)
{
	for (unsigned m = 1; m < rt->id.members; m++) {
		if (create_ring(rt, TR_SHM_IN_FMT, m, &rt->in[m]) < 0)
			return -1;
		if (rt->tx_ring && create_ring(rt, TR_SHM_OUT_FMT, m, &rt->out[m]) < 0)
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

int tr__ports_setup(struct tr_rt *rt)
{
	const struct tr_dp_conf *dp = &rt->id.dp;
	bool all_ok;

	if (collect_ports(rt) < 0 || check_drivers(rt, &all_ok) < 0)
		return -1;
	if (dp->mode == TR_DP_MODE_SYMMETRIC) {
		rt->queues = dp->queues ? dp->queues : rt->id.members;
		if (rt->queues < rt->id.members)
			return tr__fail(EINVAL, TR_ENV_DATAPATH " queues=%u is "
					"fewer than the %u members: member i "
					"owns queue pair i", dp->queues,
					rt->id.members);
		rt->tx_ring = false;
	} else {
		rt->tx_ring = dp->tx == TR_DP_TX_RING ||
			      (dp->tx == TR_DP_TX_AUTO && !all_ok);
		/* Each member sends on its own TX queue (member 0 = primary)
		 * unless the primary sends everything. */
		rt->queues = rt->tx_ring ? 1 : rt->id.members;
		if (dp->queues > rt->queues)
			rt->queues = dp->queues;
	}
	rt->reg->hdr.n_ports = rt->n_ports;
	rt->reg->hdr.tx_ring = rt->tx_ring;
	rt->reg->hdr.queues = rt->queues;
	if (create_pool(rt) < 0)
		return -1;
	for (unsigned i = 0; i < rt->n_ports; i++)
		if (setup_port(rt, i) < 0)
			return -1;
	return create_rings(rt);
}

int tr__ports_lookup(struct tr_rt *rt)
{
	char name[RTE_RING_NAMESIZE];
	unsigned m = rt->id.member;

	if (collect_ports(rt) < 0)
		return -1;
	if (rt->n_ports != rt->reg->hdr.n_ports)
		return tr__fail(EINVAL, "this secondary sees %u ports, the "
				"primary %u: every member needs the same device "
				"list (-a/--vdev)", rt->n_ports,
				rt->reg->hdr.n_ports);
	rt->queues = rt->reg->hdr.queues;
	rt->tx_ring = rt->reg->hdr.tx_ring;
	if (rt->id.dp.mode == TR_DP_MODE_SYMMETRIC && m >= rt->queues)
		return tr__fail(EINVAL, "member %u has no queue pair: the "
				"primary configured %u", m, rt->queues);
	snprintf(name, sizeof(name), TR_SHM_POOL_FMT, rt->id.tenant);
	rt->pool = rte_mempool_lookup(name);
	if (rt->pool == NULL)
		return tr__fail(ENOENT, "mbuf pool %s not found", name);
	if (rt->id.dp.mode == TR_DP_MODE_SYMMETRIC)
		return 0;
	if (lookup_ring(rt, TR_SHM_IN_FMT, m, &rt->in[m]) < 0)
		return -1;
	if (rt->tx_ring)
		return lookup_ring(rt, TR_SHM_OUT_FMT, m, &rt->out[m]);
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
		struct rte_ring *rs[2] = {rt->in[m], rt->out[m]};
		for (unsigned k = 0; k < 2; k++) {
			if (rs[k] == NULL)
				continue;
			while ((n = rte_ring_dequeue_burst(rs[k], (void **)pkts,
							   64, NULL)) > 0)
				rte_pktmbuf_free_bulk(pkts, n);
			rte_ring_free(rs[k]);
		}
		rt->in[m] = rt->out[m] = NULL;
	}
	rte_mempool_free(rt->pool);
	rt->pool = NULL;
	if (rt->mz != NULL)
		rte_memzone_free(rt->mz);
	rt->mz = NULL;
	rt->reg = NULL;
}
