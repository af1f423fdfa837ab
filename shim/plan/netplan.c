/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The network part of a plan (plan/netplan.h): the namespace, the moves,
 * the device checks and what they allow. Pure: a function of the tenant,
 * its NICs and the facts host/netdev.c read (none in unit tests: then the
 * devices are "not checked" and nothing that needs a check is granted).
 */
#include "plan/netplan.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/layout.h"
#include "config/netnics.h"
#include "plan/plan.h"

const char *tr_netns_mode_name(enum tr_netns_mode m)
{
	return m == TR_NETNS_OWN ? "own" : m == TR_NETNS_CONTAINER ? "container" : "host";
}

__attribute__((format(printf, 4, 5))) static void check(struct tr_net_plan *np,
							 const char *subject, bool ok,
							 const char *fmt, ...)
{
	if (np->n_checks >= TR_NET_MAX_CHECKS)
		return;
	struct tr_dev_check *c = &np->checks[np->n_checks];
	snprintf(c->subject, sizeof(c->subject), "%s", subject);
	c->ok = ok;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->text, sizeof(c->text), fmt, ap);
	va_end(ap);
	if (!ok && np->refused < 0)
		np->refused = (int)np->n_checks;
	np->n_checks++;
}

static const struct tr_iface_fact *iface_fact(const struct tr_net_facts *f, const char *name)
{
	for (unsigned i = 0; f && i < f->n_ifaces; i++)
		if (strcmp(f->ifaces[i].name, name) == 0)
			return &f->ifaces[i];
	return NULL;
}

static const struct tr_pci_fact *pci_fact(const struct tr_net_facts *f, const char *bdf)
{
	for (unsigned i = 0; f && i < f->n_pci; i++)
		if (strcmp(f->pci[i].bdf, bdf) == 0)
			return &f->pci[i];
	return NULL;
}

/* An interface to move into the tenant's own netns. */
static void check_iface_own(struct tr_net_plan *np, const struct tr_net_facts *f,
			    const char *name)
{
	char subject[48];
	snprintf(subject, sizeof(subject), "iface %s", name);
	const struct tr_iface_fact *x = iface_fact(f, name);
	if (f == NULL || !f->known) {
		check(np, subject, true, "not checked (no host facts)");
		return;
	}
	switch (x ? x->where : TR_IF_ABSENT) {
	case TR_IF_HERE:
		if (x->n_addrs > 0) {
			check(np, subject, false,
			      "interface %s carries host addresses (%s%s); moving it into the tenant's network namespace would take them from the host: give the tenant an interface without addresses",
			      name, x->addr, x->n_addrs > 1 ? ", ..." : "");
			return;
		}
		check(np, subject, true,
		      "on the host (ifindex %d, %s%s%s): moved into the tenant's network namespace at admission, back on reclaim",
		      x->ifindex, x->up ? "up" : "down", x->kind[0] ? ", " : "", x->kind);
		return;
	case TR_IF_TENANT:
		check(np, subject, true, "in the tenant's network namespace (moved there by its first member)");
		return;
	case TR_IF_OTHER:
		/* Admission names the holder, or reclaims it if it is dead. */
		check(np, subject, true,
		      "in tenant \"%s\"'s network namespace: admitted only once that tenant is gone",
		      x->other);
		return;
	default:
		check(np, subject, false,
		      "no interface %s on this host; create it first (e.g. one end of a veth pair)", name);
	}
}

/* An interface of a container's netns: it must be there already. */
static void check_iface_container(struct tr_net_plan *np, const struct tr_net_facts *f,
				  const char *name)
{
	char subject[48];
	snprintf(subject, sizeof(subject), "iface %s", name);
	const struct tr_iface_fact *x = iface_fact(f, name);
	if (x != NULL && x->where == TR_IF_HERE)
		check(np, subject, true, "in the container's network namespace (ifindex %d, %s)",
		      x->ifindex, x->up ? "up" : "down");
	else
		check(np, subject, false,
		      "no interface %s in this container's network namespace; the container or pod must give it (a CNI plugin, or a veth moved in)",
		      name);
}

static bool policy_allows(const struct tr_nic_policy *pol, const struct tr_pci_fact *x)
{
	if (pol->n_allow == 0 && pol->pf == NULL)
		return true;
	for (unsigned i = 0; i < pol->n_allow; i++)
		if (strcmp(pol->allow[i], x->bdf) == 0)
			return true;
	return pol->pf && x->physfn[0] && strcmp(pol->pf, x->physfn) == 0;
}

static void allowed_list(const struct tr_nic_policy *pol, char *buf, size_t len)
{
	size_t k = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < pol->n_allow && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? ", " : "allow ", pol->allow[i]);
	if (pol->pf && k < len)
		snprintf(buf + k, len - k, "%sVFs of %s", k ? "; " : "", pol->pf);
}

/*
 * A PCI device, before it is granted: it exists; an {env:} NIC's device is
 * one its allow-list names; no interface the host uses sits on it (unless
 * tenants.yaml names the device itself); it is bound to vfio-pci, or to the
 * driver the entry names for a bifurcated NIC. Returns true when it passed
 * and is a vfio device.
 */
static bool check_pci(struct tr_net_plan *np, const struct tr_net_facts *f,
		      const struct tr_nic *nic, bool adopted, bool container)
{
	const char *bdf = nic->spec;
	char label[160];
	if (nic->from_env)
		snprintf(label, sizeof(label), "NIC %s (from $%s%s)", bdf, nic->from_env,
			 adopted ? ", adopted from the primary" : "");
	else
		snprintf(label, sizeof(label), "NIC %s", bdf);
	const struct tr_pci_fact *x = pci_fact(f, bdf);
	if (f == NULL || !f->known) {
		check(np, bdf, true, "not checked (no host facts): no IPC_LOCK, no I/O ports");
		return false;
	}
	struct tr_pci_fact none = { .exists = false };
	if (x == NULL)
		x = &none;
	const struct tr_nic_policy *pol = &nic->policy;
	const char *want = pol->driver ? pol->driver : "vfio-pci";
	if (!x->exists) {
		check(np, bdf, false, "%s: no such PCI device (/sys/bus/pci/devices/%s)", label, bdf);
		return false;
	}
	if (nic->from_env && !policy_allows(pol, x)) {
		char allowed[400];
		allowed_list(pol, allowed, sizeof(allowed));
		check(np, bdf, false, "%s is not a device tenants.yaml allows for $%s (%s)", label,
		      nic->from_env, allowed);
		return false;
	}
	bool in_use = x->netdev[0] && (x->netdev_up || x->n_addrs > 0);
	if (in_use && nic->from_env) {
		check(np, bdf, false,
		      "%s is the device of %s, which the host uses (%s%s%s); name the device in tenants.yaml to give it anyway",
		      label, x->netdev, x->netdev_up ? "up" : "down",
		      x->n_addrs ? ", address " : "", x->addr);
		return false;
	}
	if (strcmp(x->driver, want) != 0) {
		check(np, bdf, false,
		      "%s is bound to %s, not %s; bind it to vfio-pci (or name a bifurcated NIC's driver: {pci: %s, driver: NAME})",
		      label, x->driver[0] ? x->driver : "no driver", want, bdf);
		return false;
	}
	char extra[200] = "";
	if (x->physfn[0])
		snprintf(extra, sizeof(extra), ", a VF of %s", x->physfn);
	if (in_use)
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
			 "; its %s is in use, given because tenants.yaml names it", x->netdev);
	else if (container)
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
			 "; the host's use of it cannot be seen from a container");
	check(np, bdf, true, "bound to %s%s", x->driver, extra);
	return strcmp(x->driver, "vfio-pci") == 0;
}

static void paths(struct tr_net_plan *np, const struct tr_plan_input *in)
{
	const char *root = tr_host_runtime_root(&in->cfg->host);
	const char *t = in->tenant->name;
	snprintf(np->hide, sizeof(np->hide), "%s/" TR_LEDGER_DIR, root);
	snprintf(np->record, sizeof(np->record), "%s/%s" TR_NETREC_SUFFIX, np->hide, t);
	snprintf(np->pin, sizeof(np->pin), "%s/" TR_NETNS_PIN_DIR "/%s", np->hide, t);
	snprintf(np->user_pin, sizeof(np->user_pin), "%s.user", np->pin);
}

void tr_plan_network(struct tr_plan *p, const struct tr_plan_input *in,
		     const struct tr_nic *nics, unsigned n_nics, bool adopted)
{
	struct tr_net_plan *np = &p->iso.net;
	const struct tr_net_facts *f = in->net;
	memset(np, 0, sizeof(*np));
	np->refused = -1;
	bool kernel = false, xdp = false, tap = false;
	for (unsigned i = 0; i < n_nics; i++) {
		enum tr_vdev_net k = nics[i].kind == TR_NIC_VDEV
					     ? tr_vdev_net_kind(nics[i].spec) : TR_VDEV_NET_NONE;
		kernel |= k != TR_VDEV_NET_NONE;
		xdp |= k == TR_VDEV_NET_AF_XDP;
		tap |= k == TR_VDEV_NET_TAP;
		tr_nic_ifaces(&nics[i], np->ifaces, &np->n_ifaces, TR_NET_MAX_IFACES);
	}
	if (in->tenant->network == TR_NET_HOST)
		np->mode = TR_NETNS_HOST;
	else if (f && f->known && !f->initial_netns)
		np->mode = TR_NETNS_CONTAINER;
	else
		np->mode = TR_NETNS_OWN;

	if (np->mode == TR_NETNS_OWN) {
		paths(np, in);
		np->userns = kernel && !xdp;
		for (unsigned i = 0; i < np->n_ifaces; i++)
			check_iface_own(np, f, np->ifaces[i]);
		if (xdp)
			tr_plan_note(p, "net_af_xdp loads its XDP program with CAP_BPF in the host's user namespace, so its network namespace stays the host's user namespace's: NET_ADMIN there reaches the host through rtnetlink (IFLA_TARGET_NETNSID); give af_xdp NICs to trusted tenants only");
	} else if (np->mode == TR_NETNS_CONTAINER) {
		paths(np, in);   /* the record, for status */
		np->container_ino = f->netns_ino;
		np->n_ifaces = 0;   /* nothing moves: the container gave them */
		char names[TR_NET_MAX_IFACES][IFNAMSIZ];
		unsigned n = 0;
		for (unsigned i = 0; i < n_nics; i++)
			tr_nic_ifaces(&nics[i], names, &n, TR_NET_MAX_IFACES);
		for (unsigned i = 0; i < n; i++)
			check_iface_container(np, f, names[i]);
		if (kernel && f->netns_host_owned) {
			if (!tap && !xdp)
				np->deny_rtnetlink = true;
			else
				tr_plan_note(p, "%s in a network namespace the host's user namespace owns: NET_ADMIN there reaches the host through rtnetlink (IFLA_TARGET_NETNSID); run the container in a user namespace (Kubernetes hostUsers: false, Docker userns-remap)",
				     tap ? "net_tap" : "net_af_xdp");
		}
	} else {
		np->n_ifaces = 0;
	}

	/* Capabilities follow the contained devices. */
	np->net_caps = kernel && np->mode != TR_NETNS_HOST;
	np->allow_bpf = xdp && np->net_caps;
	bool vfio = false;
	for (unsigned i = 0; i < n_nics; i++)
		if (nics[i].kind == TR_NIC_PCI)
			vfio |= check_pci(np, f, &nics[i], adopted && nics[i].from_env,
					  np->mode == TR_NETNS_CONTAINER);
	np->ipc_lock = vfio && np->refused < 0;
	np->allow_ioport = np->ipc_lock;
}

int tr_net_plan_refusal(const struct tr_net_plan *np, struct tr_error *err)
{
	if (np->refused < 0)
		return 0;
	return tr_err(err, EX_CONFIG, "%s", np->checks[np->refused].text);
}
