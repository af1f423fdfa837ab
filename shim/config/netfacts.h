/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the host (or the container) says about a tenant's network devices,
 * an input of the plan like the container's ceilings (struct
 * tr_container_facts): read by host/netdev.c (sysfs, rtnetlink, the
 * ledger's network records), judged by plan/netplan.c, made up by unit
 * tests. Nothing here is trusted from the tenant: the shim reads it before
 * anything of the tenant runs.
 */
#ifndef TR_CONFIG_NETFACTS_H
#define TR_CONFIG_NETFACTS_H

#include <net/if.h>
#include <stdbool.h>

#include "config/model.h"

#define TR_NET_MAX_IFACES 32                /* interfaces a tenant binds */
#define TR_NET_MAX_PCI (TR_MAX_NICS * 2)    /* its BDFs and its group's */
#define TR_NET_ADDR_LEN 64

/* Where an interface a vdev names is now. */
enum tr_if_where {
	TR_IF_ABSENT = 0,   /* nowhere the shim can see */
	TR_IF_HERE,         /* in the shim's own netns (the host's, or the
			       container's) */
	TR_IF_TENANT,       /* in this tenant's netns (its network record) */
	TR_IF_OTHER,        /* in another tenant's netns (its record) */
};

struct tr_iface_fact {
	char name[IFNAMSIZ];
	enum tr_if_where where;
	int ifindex;                    /* TR_IF_HERE */
	bool up;
	char kind[16];                  /* "veth", ""; TR_IF_HERE */
	unsigned n_addrs;               /* IPv4 or non-link-local IPv6 */
	char addr[TR_NET_ADDR_LEN];     /* the first of them */
	char other[TR_NAME_MAX];        /* TR_IF_OTHER: whose */
};

/* One PCI device, from sysfs (read-only; never bound or unbound). */
struct tr_pci_fact {
	char bdf[16];
	bool exists;                    /* /sys/bus/pci/devices/<BDF> */
	char driver[32];                /* basename of its driver link; "" */
	char physfn[16];                /* a VF's PF; "" */
	char netdev[IFNAMSIZ];          /* a netdev below it (may sit deeper,
					   .../virtio2/net/eth0); "" */
	bool netdev_up;                 /* IFF_UP in its flags */
	unsigned n_addrs;               /* IPv4 or non-link-local IPv6 */
	char addr[TR_NET_ADDR_LEN];
};

struct tr_net_facts {
	bool known;                     /* false: nothing gathered (tests) */
	bool initial_netns;             /* the shim runs in the host's own
					   network namespace */
	unsigned long long netns_ino;   /* the shim's netns (a container's) */
	bool netns_host_owned;          /* ... owned by the initial user ns */
	unsigned n_ifaces;
	struct tr_iface_fact ifaces[TR_NET_MAX_IFACES];
	unsigned n_pci;
	struct tr_pci_fact pci[TR_NET_MAX_PCI];
};

#endif
