/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a NIC of tenants.yaml is to the kernel's network stack, read from
 * its vdev string (pure): whether its PMD works on a kernel interface, and
 * which existing interfaces it binds to, i.e. what the tenant's network
 * namespace must hold.
 *
 *   net_af_packet  iface=X          X is moved into the tenant's netns
 *   net_af_xdp     iface=X          X is moved (and an XDP program loaded)
 *   net_pcap       iface=, rx_iface=, rx_iface_in=, tx_iface=   moved
 *   net_tap        iface=X          X is created by the PMD inside the netns
 *   anything else (net_null, net_ring, net_memif, PCI)   no kernel interface
 */
#ifndef TR_CONFIG_NETNICS_H
#define TR_CONFIG_NETNICS_H

#include <net/if.h>
#include <stdbool.h>

#include "config/model.h"

enum tr_vdev_net {
	TR_VDEV_NET_NONE = 0,
	TR_VDEV_NET_AF_PACKET,
	TR_VDEV_NET_AF_XDP,
	TR_VDEV_NET_PCAP,       /* only with an interface key */
	TR_VDEV_NET_TAP,
};

enum tr_vdev_net tr_vdev_net_kind(const char *spec);

/* The PMD's name for messages: "net_af_packet". */
const char *tr_vdev_net_name(enum tr_vdev_net k);

/* Is nic a vdev on a kernel interface (one of the kinds above)? */
bool tr_nic_is_kernel(const struct tr_nic *nic);

/*
 * The existing interfaces nic binds to (to move into the tenant's netns),
 * appended to names[*n] (at most max, duplicates skipped). Names longer
 * than an interface name can be are skipped too: no such interface exists.
 */
void tr_nic_ifaces(const struct tr_nic *nic, char (*names)[IFNAMSIZ],
		   unsigned *n, unsigned max);

#endif
