/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The facts about a tenant's network devices (config/netfacts.h), read
 * before admission so the plan can judge them (plan/netplan.c) and
 * `tenantrt plan` can show them:
 *
 *   PCI devices   from sysfs, read only (nothing is ever bound, unbound or
 *                 written): does /sys/bus/pci/devices/<BDF> exist, which
 *                 driver is bound, is it a VF (physfn) and of which PF, is
 *                 a netdev below it (directly or deeper, as virtio's
 *                 <BDF>/virtio2/net/eth0) up or holding an address;
 *   interfaces    by rtnetlink in the shim's own netns (exists, ifindex,
 *                 up, kind, addresses), else where the ledger's network
 *                 records say they are (this tenant's netns, another's);
 *   the netns     is the shim in the host's initial one, or in one a
 *                 container or pod gives (and is that one owned by the
 *                 host's user namespace)?
 *
 * The sysfs and /proc roots are parameters so unit tests run the checks
 * on a made-up tree.
 */
#ifndef TR_HOST_NETDEV_H
#define TR_HOST_NETDEV_H

#include <net/if.h>
#include <stdbool.h>

#include "common/error.h"
#include "config/model.h"
#include "config/netfacts.h"

/* The addresses of the interfaces of the caller's netns. */
struct tr_if_addr {
	char ifname[IFNAMSIZ];
	char text[TR_NET_ADDR_LEN];
	bool global;                /* IPv4, or IPv6 beyond link-local */
};
struct tr_if_addrs {
	unsigned n;
	struct tr_if_addr v[256];
};

/* getifaddrs(); 0 or -1 with err. */
int tr_netdev_addrs(struct tr_if_addrs *out, struct tr_error *err);

/* The global addresses of ifname in addrs: how many, the first in addr. */
unsigned tr_netdev_addrs_of(const struct tr_if_addrs *addrs, const char *ifname,
			    char *addr, size_t len);

/* One PCI device from the sysfs tree at sysroot ("/sys"). */
void tr_netdev_pci_probe(const char *sysroot, const char *bdf,
			 const struct tr_if_addrs *addrs, struct tr_pci_fact *out);

/* Is the caller in the host's initial network namespace? The kernel
 * registers net.core's global table (netdev_max_backlog) in the initial
 * netns only, and /proc/sys/net shows the reader's: on any kernel, in any
 * container. procroot is "/proc". */
bool tr_netdev_initial_netns(const char *procroot);

/*
 * All of it for one member: the interfaces of nics, the BDFs of nics and
 * of the group's device list (what a secondary may adopt), where the
 * records under ledger_dir put them, and the netns. 0 or -1 with err.
 */
int tr_netdev_gather(struct tr_net_facts *f, const char *ledger_dir, const char *tenant,
		     const struct tr_nic *nics, unsigned n_nics,
		     char *const *group_devices, unsigned n_group,
		     struct tr_error *err);

#endif
