/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Link state for the whole group. Interrupts reach the primary only
 * (DPDK), so the primary takes RTE_ETH_EVENT_INTR_LSC where the PMD has it
 * and polls rte_eth_link_get_nowait() every 100 ms where not, writes the
 * link into the registry and sends an rte_mp message; secondaries read the
 * registry and get the message in their multi-process thread.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_string_fns.h>

#include "tr_rt.h"

struct link_msg {
	uint32_t port;   /* index in the tenant's ports */
	uint64_t link;   /* struct rte_eth_link */
};

/* rte_mp actions take no argument: the one handle of this process. */
static struct tr_rt *the_rt;

static uint64_t pack(const struct rte_eth_link *l)
{
	uint64_t v = 0;

	memcpy(&v, l, sizeof(*l));
	return v;
}

static void unpack(uint64_t v, struct rte_eth_link *l)
{
	memcpy(l, &v, sizeof(*l));
}

int tr_link_get(const struct tr_rt *rt, uint16_t port, struct rte_eth_link *l)
{
	if (rt->reg == NULL || port >= rt->n_ports || l == NULL)
		return -EINVAL;
	unpack(__atomic_load_n(&rt->reg->port[port].link, __ATOMIC_ACQUIRE), l);
	return 0;
}

int tr_link_callback_register(struct tr_rt *rt, tr_link_cb cb, void *arg)
{
	if (cb == NULL)
		return -EINVAL;
	for (unsigned i = 0; i < TR_LINK_CBS; i++) {
		if (rt->link_cbs[i].cb == NULL) {
			rt->link_cbs[i].arg = arg;
			__atomic_store_n(&rt->link_cbs[i].cb, cb, __ATOMIC_RELEASE);
			return 0;
		}
	}
	return -ENOSPC;
}

static void notify(struct tr_rt *rt, uint16_t port, uint64_t v)
{
	struct rte_eth_link l;

	unpack(v, &l);
	for (unsigned i = 0; i < TR_LINK_CBS; i++) {
		tr_link_cb cb = __atomic_load_n(&rt->link_cbs[i].cb,
						__ATOMIC_ACQUIRE);
		if (cb != NULL)
			cb(port, &l, rt->link_cbs[i].arg);
	}
}

/* Primary: read the port's link; on a change publish it and tell all. */
static void update(struct tr_rt *rt, unsigned idx)
{
	struct rte_eth_link l;
	struct rte_mp_msg msg;
	struct link_msg lm;
	uint64_t v, old;

	memset(&l, 0, sizeof(l));
	if (rte_eth_link_get_nowait(rt->port_id[idx], &l) < 0)
		return;
	if (rt->kif[idx][0] && rt->ifsock >= 0) {
		struct ifreq ifr;
		memset(&ifr, 0, sizeof(ifr));
		strcpy(ifr.ifr_name, rt->kif[idx]);
		if (ioctl(rt->ifsock, SIOCGIFFLAGS, &ifr) == 0)
			l.link_status = (ifr.ifr_flags & IFF_UP) &&
					(ifr.ifr_flags & IFF_RUNNING);
	}
	v = pack(&l);
	old = __atomic_exchange_n(&rt->reg->port[idx].link, v, __ATOMIC_ACQ_REL);
	if (old == v)
		return;
	memset(&msg, 0, sizeof(msg));
	rte_strlcpy(msg.name, TR_SHM_MP_LINK, sizeof(msg.name));
	lm.port = idx;
	lm.link = v;
	memcpy(msg.param, &lm, sizeof(lm));
	msg.len_param = sizeof(lm);
	/* Best effort: a secondary that missed it still reads the registry. */
	rte_mp_sendmsg(&msg);
	notify(rt, (uint16_t)idx, v);
}

static int lsc_event(uint16_t port_id, enum rte_eth_event_type type,
		     void *param, void *ret_param)
{
	struct tr_rt *rt = param;

	RTE_SET_USED(type);
	RTE_SET_USED(ret_param);
	for (unsigned i = 0; i < rt->n_ports; i++)
		if (rt->port_id[i] == port_id)
			update(rt, i);
	return 0;
}

/*
 * The kernel interface behind a net_af_packet or net_tap port
 * ("iface=NAME"). 22.11's af_packet reports link up forever, and tap's
 * LSC interrupt did not fire here when its interface went down, so for
 * these the primary also polls the interface's IFF_UP|IFF_RUNNING.
 */
static void find_kif(struct tr_rt *rt, unsigned idx)
{
	struct rte_eth_dev_info info;
	const struct rte_devargs *da;
	const char *a, *e;
	size_t n;

	if (rte_eth_dev_info_get(rt->port_id[idx], &info) < 0 ||
	    info.device == NULL ||
	    (strcmp(info.driver_name, "net_af_packet") != 0 &&
	     strcmp(info.driver_name, "net_tap") != 0))
		return;
	da = rte_dev_devargs(info.device);
	if (da == NULL || da->args == NULL || (a = strstr(da->args, "iface=")) == NULL)
		return;
	a += strlen("iface=");
	e = strchr(a, ',');
	n = e ? (size_t)(e - a) : strlen(a);
	if (n == 0 || n >= sizeof(rt->kif[idx]))
		return;
	memcpy(rt->kif[idx], a, n);
	rt->kif[idx][n] = '\0';
	if (rt->ifsock < 0)
		rt->ifsock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	rt->link_polled[idx] = true;
}

int tr__link_setup_primary(struct tr_rt *rt)
{
	rt->ifsock = -1;
	for (unsigned i = 0; i < rt->n_ports; i++)
		find_kif(rt, i);
	for (unsigned i = 0; i < rt->n_ports; i++) {
		if (rt->reg->port[i].lsc_irq) {
			int rc = rte_eth_dev_callback_register(rt->port_id[i],
					RTE_ETH_EVENT_INTR_LSC, lsc_event, rt);
			if (rc < 0)
				return tr__fail(-rc, "port %u: cannot register the "
						"link-change callback: %s",
						rt->port_id[i], rte_strerror(-rc));
			rt->lsc_registered[i] = true;
		}
		update(rt, i);
	}
	the_rt = rt;
	return 0;
}

void tr__link_poll(struct tr_rt *rt)
{
	for (unsigned i = 0; i < rt->n_ports; i++)
		if (rt->link_polled[i])
			update(rt, i);
}

static int link_action(const struct rte_mp_msg *msg, const void *peer)
{
	struct link_msg lm;
	struct tr_rt *rt = the_rt;

	RTE_SET_USED(peer);
	if (rt == NULL || msg->len_param != sizeof(lm))
		return 0;
	memcpy(&lm, msg->param, sizeof(lm));
	if (lm.port < rt->n_ports)
		notify(rt, (uint16_t)lm.port, lm.link);
	return 0;
}

int tr__link_setup_secondary(struct tr_rt *rt)
{
	the_rt = rt;
	if (rte_mp_action_register(TR_SHM_MP_LINK, link_action) < 0 &&
	    rte_errno != EEXIST)
		return tr__fail(rte_errno, "cannot register the rte_mp action %s: "
				"%s", TR_SHM_MP_LINK, rte_strerror(rte_errno));
	return 0;
}

void tr__link_teardown(struct tr_rt *rt)
{
	if (rt->id.role == TR_RT_SECONDARY) {
		rte_mp_action_unregister(TR_SHM_MP_LINK);
	} else {
		for (unsigned i = 0; i < rt->n_ports; i++)
			if (rt->lsc_registered[i])
				rte_eth_dev_callback_unregister(rt->port_id[i],
						RTE_ETH_EVENT_INTR_LSC, lsc_event, rt);
		if (rt->ifsock >= 0)
			close(rt->ifsock);
		rt->ifsock = -1;
	}
	the_rt = NULL;
}
