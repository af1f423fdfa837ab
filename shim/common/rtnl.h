/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rtnetlink through libmnl: the few link messages tenantrt sends. A socket
 * belongs to the network namespace it was created in, so a socket opened
 * "in" a namespace (tr_rtnl_open with its fd) keeps talking to that
 * namespace after the caller went back to its own.
 *
 * Functions return 0 or a negative errno; the kernel's extended-ack text,
 * when it gave one, is in r->ack ("" otherwise) for the caller's message.
 * Nothing here prints or knows about tenants.
 */
#ifndef TR_COMMON_RTNL_H
#define TR_COMMON_RTNL_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

struct mnl_socket;

struct tr_rtnl {
	struct mnl_socket *nl;
	unsigned seq;
	unsigned portid;
	char ack[160];          /* the kernel's extended ack of the last call */
};

#define TR_MAC_LEN 6

/* One link as RTM_GETLINK reports it. */
struct tr_link {
	int ifindex;
	char name[IFNAMSIZ];
	unsigned flags;                 /* IFF_* */
	unsigned mtu;
	bool has_mac;
	unsigned char mac[TR_MAC_LEN];
	bool has_perm_mac;              /* IFLA_PERM_ADDRESS (hardware) */
	unsigned char perm_mac[TR_MAC_LEN];
	char kind[16];                  /* IFLA_INFO_KIND: "veth", "tun"; "" */
	char parent_bus[32];            /* IFLA_PARENT_DEV_BUS_NAME: "pci" */
	char parent_dev[64];            /* IFLA_PARENT_DEV_NAME: the BDF */
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;  /* IFLA_STATS64 */
};

/* Open a socket in the netns of netns_fd (-1: the caller's own). The
 * caller must be single-threaded when netns_fd >= 0 (setns and back). */
int tr_rtnl_open(struct tr_rtnl *r, int netns_fd);
void tr_rtnl_close(struct tr_rtnl *r);

/* A link by ifindex (> 0) or else by name. -ENODEV when there is none. */
int tr_rtnl_link_get(struct tr_rtnl *r, int ifindex, const char *name,
		     struct tr_link *out);

/* Every link, in ifindex order. */
int tr_rtnl_link_dump(struct tr_rtnl *r,
		      void (*fn)(const struct tr_link *l, void *ctx), void *ctx);

/*
 * Change one link with one RTM_NEWLINK; what is unset is left alone:
 *   netns_fd >= 0   move it into that namespace (IFLA_NET_NS_FD) first
 *   name            its name (on a move: its name in the target)
 *   mask            the IFF_* bits to set to flags (ifi_change)
 *   mac, mtu        its address and MTU (NULL / 0: unchanged)
 * The kernel applies the move first and the rest to the moved link.
 */
struct tr_link_change {
	int netns_fd;
	const char *name;
	unsigned flags, mask;
	const unsigned char *mac;
	unsigned mtu;
};
int tr_rtnl_link_change(struct tr_rtnl *r, int ifindex,
			const struct tr_link_change *c);

/* Each address of the namespace: ifindex, family (AF_INET/AF_INET6),
 * scope (RT_SCOPE_*) and the address as text ("192.0.2.2/24"). */
int tr_rtnl_addr_dump(struct tr_rtnl *r,
		      void (*fn)(int ifindex, int family, int scope,
				 const char *text, void *ctx),
		      void *ctx);

/* "aa:bb:cc:dd:ee:ff" <-> bytes. Parse: 0, or -1 when malformed. */
void tr_mac_format(const unsigned char *mac, char *out, size_t len);
int tr_mac_parse(const char *s, unsigned char *mac);

#endif
