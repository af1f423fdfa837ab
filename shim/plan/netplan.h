/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The network part of a plan (pure): which network namespace a member
 * runs in, which interfaces its tenant's first member moves there, the
 * verdict on every device before it is granted, and what that allows
 * (capabilities, seccomp holes). plan.c calls it; isolate/netns.c carries
 * it out; `tenantrt plan` prints it.
 *
 * The namespace:
 *   own        (default) the shim makes one per tenant at admission of its
 *              first member, pinned in the ledger, joined by every member.
 *              Tenants with kernel interfaces (net_af_packet, net_pcap on an
 *              interface, net_tap) get one owned by a user namespace that
 *              maps only the tenant's ids: their NET_RAW/NET_ADMIN then
 *              count in that namespace only, and rtnetlink's cross-netns
 *              handles (IFLA_NET_NS_PID/FD, IFLA_TARGET_NETNSID) cannot
 *              reach the host. net_af_xdp loads its XDP program with CAP_BPF
 *              in the host's user namespace, so its netns stays owned by
 *              the host's (said in a note). A tenant without kernel
 *              interfaces (vdevs on memory, PCI through vfio) gets an empty
 *              one: no host network at all.
 *   container  the shim already runs in a netns a container or pod gives:
 *              it is used as it is. If the host's user namespace owns it,
 *              net_af_packet/net_pcap tenants get a seccomp rule refusing
 *              NETLINK_ROUTE sockets (they need none); net_tap and
 *              net_af_xdp cannot, which a note says.
 *   host       network: host in tenants.yaml: the shim's, as before.
 */
#ifndef TR_PLAN_NETPLAN_H
#define TR_PLAN_NETPLAN_H

#include <net/if.h>
#include <stdbool.h>

#include "common/error.h"
#include "config/model.h"
#include "config/netfacts.h"

enum tr_netns_mode {
	TR_NETNS_HOST = 0,
	TR_NETNS_OWN = 1,
	TR_NETNS_CONTAINER = 2,
};

#define TR_NET_MAX_CHECKS (TR_NET_MAX_IFACES + TR_NET_MAX_PCI)
#define TR_NET_PATH_MAX 4096

/* One device's verdict: "iface acme0" or the BDF, and one line of why. */
struct tr_dev_check {
	char subject[48];
	bool ok;
	char text[480];
};

struct tr_net_plan {
	enum tr_netns_mode mode;
	bool userns;                    /* own: owned by the tenant's user ns */
	unsigned long long container_ino;   /* container: its netns */
	unsigned n_ifaces;              /* own: moved in at admission */
	char ifaces[TR_NET_MAX_IFACES][IFNAMSIZ];
	/* What the contained devices allow (item by item in netplan.c). */
	bool net_caps;                  /* NET_RAW/NET_ADMIN for kernel NICs */
	bool ipc_lock;                  /* vfio PCI devices that passed */
	bool allow_ioport;              /* iopl/ioperm: the same devices */
	bool allow_bpf;                 /* net_af_xdp on an interface of its netns */
	bool deny_rtnetlink;            /* seccomp: no NETLINK_ROUTE socket */
	/* own: where the ledger keeps it (host/netrec.h), and what a member
	 * hides in its mount namespace (the pins). */
	char record[TR_NET_PATH_MAX];
	char pin[TR_NET_PATH_MAX];
	char user_pin[TR_NET_PATH_MAX];
	char hide[TR_NET_PATH_MAX];
	unsigned n_checks;
	struct tr_dev_check checks[TR_NET_MAX_CHECKS];
	int refused;                    /* index of the first failed check, -1 */
};

struct tr_plan;
struct tr_plan_input;

/*
 * Fill p->iso.net for the member's NICs (nics, which for a secondary may
 * be adopted from its group; adopted: they were). Notes go to p->notes.
 * A failed device check does not fail the plan: it is recorded (refused),
 * so `tenantrt plan` shows every check; the shim refuses the member with
 * it (tr_net_plan_refusal) before anything is admitted.
 */
void tr_plan_network(struct tr_plan *p, const struct tr_plan_input *in,
		     const struct tr_nic *nics, unsigned n_nics, bool adopted);

/* -1 with the refused check's line (EX_CONFIG) when there is one, else 0. */
int tr_net_plan_refusal(const struct tr_net_plan *np, struct tr_error *err);

/* "own", "container", "host". */
const char *tr_netns_mode_name(enum tr_netns_mode m);

#endif
