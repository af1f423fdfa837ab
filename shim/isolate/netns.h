/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tenant's network namespace, carried out as its plan says
 * (plan/netplan.h), recorded in the ledger (host/netrec.h):
 *
 *   tr_netns_setup()          at admission of the tenant's first member,
 *                             under the ledger lock (an admission hook):
 *                             recorded, then a helper (a thread of the
 *                             shim; a child when a user namespace mapping
 *                             only the tenant's ids is planned too, which
 *                             a threaded process cannot make) starts
 *                             making a netns with lo up, while the shim
 *                             goes on
 *   tr_netns_setup_finish()   the namespaces pinned by bind mounts in the
 *                             ledger, and the tenant's interfaces moved in,
 *                             each recorded before it moves (the tenant's
 *                             lease names them: no other tenant is
 *                             admitted with them)
 *   tr_netns_member_prepare() parent, before fork: finish a setup, open
 *                             the pins
 *   tr_netns_child_enter()    child: setns into the netns, a mount
 *                             namespace with a fresh sysfs (the netns's own
 *                             /sys/class/net) and the ledger hidden
 *   tr_netns_child_enter_user()  child, the last namespace step before the
 *                             privilege drop: setns into the user namespace
 *                             (after it the child has no capability in the
 *                             host's user namespace: no mounts)
 *   tr_netns_reclaim()        when the tenant has no live member (its last
 *                             shim, the next admission, `tenantrt reap`):
 *                             every recorded interface back to the host with
 *                             its name, MAC, MTU and up/promisc/allmulti
 *                             state (under a fallback name, said in one
 *                             line, if the host took its name meanwhile),
 *                             then the pins and the record go
 *
 * Interfaces go back BEFORE the pin: a netns that ends destroys the veths
 * in it (and their peers) and sends physical ones back under other names.
 */
#ifndef TR_ISOLATE_NETNS_H
#define TR_ISOLATE_NETNS_H

#include "common/error.h"
#include "host/admit.h"
#include "host/ledger.h"
#include "plan/plan.h"

int tr_netns_setup(const struct tr_plan *p, struct tr_error *err);
/* Waits for the helper; nothing to do when no setup was started. A
 * failure gives back what was made. */
int tr_netns_setup_finish(struct tr_error *err);

/* The admission hook that runs tr_netns_setup(p) for a first member. */
struct tr_admit_hook tr_netns_admit_hook(const struct tr_plan *p);

/* Undo the record at path (no record: nothing to do). 0 when done, -1
 * with err when something stays for a later reclaim (all of it stays). */
int tr_netns_reclaim(const char *record, const char *tenant, tr_note_fn note, void *ctx,
		     struct tr_error *err);

int tr_netns_member_prepare(const struct tr_net_plan *np, struct tr_error *err);
/* Run in the forked child: no allocation, no printing. */
/* For a netns of its own (TR_NETNS_OWN): also a mount namespace of its
 * own, host mounts as slaves (its sysfs is the netns's). */
int tr_netns_child_enter(const struct tr_net_plan *np, struct tr_error *err);
int tr_netns_child_enter_user(const struct tr_net_plan *np, struct tr_error *err);

/*
 * In a fresh mount namespace (after unshare(CLONE_NEWNS) and setns into
 * the member's netns): mount a new sysfs on /sys, so /sys/class/net and
 * the devices' net/ dirs show this netns only (sysfs binds its netns at
 * mount time; setns alone leaves the host's names, MACs and counters in
 * view, and their writable files to a root tenant). The cgroup mounts
 * below /sys/fs/cgroup are carried over.
 */
int tr_netns_member_sysfs(struct tr_error *err);

#endif
