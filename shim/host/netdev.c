/* SPDX-License-Identifier: BSD-3-Clause */
/* The facts about a tenant's network devices (host/netdev.h). */
#include "host/netdev.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <limits.h>
#include <linux/nsfs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fsutil.h"
#include "common/rtnl.h"
#include "config/netnics.h"
#include "host/netrec.h"

/* The initial user namespace's inode, fixed since Linux 3.8
 * (PROC_USER_INIT_INO). */
#define USER_NS_INIT_INO 0xEFFFFFFDULL

int tr_netdev_addrs(struct tr_if_addrs *out, struct tr_error *err)
{
	struct ifaddrs *all;
	out->n = 0;
	if (getifaddrs(&all) < 0)
		return tr_err_sys(err, EX_OSERR, errno, "cannot list the interfaces' addresses");
	for (struct ifaddrs *a = all; a && out->n < TR_ARRAY_SIZE(out->v); a = a->ifa_next) {
		if (a->ifa_addr == NULL || a->ifa_name == NULL)
			continue;
		int fam = a->ifa_addr->sa_family;
		const void *ip;
		bool global = true;
		if (fam == AF_INET) {
			ip = &((const struct sockaddr_in *)(const void *)a->ifa_addr)->sin_addr;
		} else if (fam == AF_INET6) {
			const struct in6_addr *a6 =
				&((const struct sockaddr_in6 *)(const void *)a->ifa_addr)->sin6_addr;
			ip = a6;
			global = !IN6_IS_ADDR_LINKLOCAL(a6);
		} else {
			continue;
		}
		struct tr_if_addr *e = &out->v[out->n++];
		snprintf(e->ifname, sizeof(e->ifname), "%s", a->ifa_name);
		if (inet_ntop(fam, ip, e->text, sizeof(e->text)) == NULL)
			snprintf(e->text, sizeof(e->text), "?");
		e->global = global;
	}
	freeifaddrs(all);
	return 0;
}

unsigned tr_netdev_addrs_of(const struct tr_if_addrs *addrs, const char *ifname,
			    char *addr, size_t len)
{
	unsigned n = 0;
	if (len)
		addr[0] = '\0';
	for (unsigned i = 0; addrs && i < addrs->n; i++) {
		if (!addrs->v[i].global || strcmp(addrs->v[i].ifname, ifname) != 0)
			continue;
		if (n++ == 0 && len)
			snprintf(addr, len, "%s", addrs->v[i].text);
	}
	return n;
}

/* The last path component a symlink points to: a driver's, a PF's name. */
static void link_base(const char *path, char *out, size_t len)
{
	char target[PATH_MAX];
	out[0] = '\0';
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	const char *b = strrchr(target, '/');
	snprintf(out, len, "%s", b ? b + 1 : target);
}

/* A netdev of the device at devpath (its resolved sysfs path): the first
 * of class/net whose own path lies below it, at any depth. */
static void find_netdev(const char *sysroot, const char *devpath,
			const struct tr_if_addrs *addrs, struct tr_pci_fact *out)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s/class/net", sysroot);
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	size_t dl = strlen(devpath);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char p[PATH_MAX + 300], real[PATH_MAX];
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (realpath(p, real) == NULL || strncmp(real, devpath, dl) != 0 ||
		    real[dl] != '/')
			continue;
		snprintf(out->netdev, sizeof(out->netdev), "%s", de->d_name);
		char flags[32];
		snprintf(p, sizeof(p), "%s/%s/flags", dir, de->d_name);
		if (tr_read_text(p, flags, sizeof(flags)) > 0)
			out->netdev_up = (strtoul(flags, NULL, 16) & IFF_UP) != 0;
		out->n_addrs = tr_netdev_addrs_of(addrs, de->d_name, out->addr, sizeof(out->addr));
		/* One in use is enough to refuse: prefer it. */
		if (out->netdev_up || out->n_addrs)
			break;
	}
	closedir(d);
}

void tr_netdev_pci_probe(const char *sysroot, const char *bdf,
			 const struct tr_if_addrs *addrs, struct tr_pci_fact *out)
{
	char name[sizeof(out->bdf)];
	snprintf(name, sizeof(name), "%s", bdf);   /* bdf may be out->bdf */
	bdf = name;
	memset(out, 0, sizeof(*out));
	snprintf(out->bdf, sizeof(out->bdf), "%s", bdf);
	if (*bdf == '\0' || strchr(bdf, '/') != NULL)
		return;
	char dev[PATH_MAX], p[PATH_MAX + 32], real[PATH_MAX];
	snprintf(dev, sizeof(dev), "%s/bus/pci/devices/%s", sysroot, bdf);
	if (realpath(dev, real) == NULL)
		return;
	out->exists = true;
	snprintf(p, sizeof(p), "%s/driver", dev);
	link_base(p, out->driver, sizeof(out->driver));
	snprintf(p, sizeof(p), "%s/physfn", dev);
	link_base(p, out->physfn, sizeof(out->physfn));
	find_netdev(sysroot, real, addrs, out);
}

bool tr_netdev_initial_netns(const char *procroot)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/sys/net/core/netdev_max_backlog", procroot);
	return access(p, F_OK) == 0;
}

/* The shim's own netns: its inode and whether the host's user namespace
 * owns it (then NET_ADMIN in it reaches the host through rtnetlink). */
static void probe_netns(struct tr_net_facts *f)
{
	f->initial_netns = tr_netdev_initial_netns("/proc");
	_cleanup_close_ int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return;
	f->netns_ino = (unsigned long long)st.st_ino;
	_cleanup_close_ int owner = ioctl(fd, NS_GET_USERNS);
	f->netns_host_owned = owner < 0 || (fstat(owner, &st) == 0 &&
					    (unsigned long long)st.st_ino == USER_NS_INIT_INO);
}

struct where_ctx {
	struct tr_iface_fact *fact;
	const char *tenant;
};

static void where_recorded(const struct tr_netrec *r, void *ctx)
{
	struct where_ctx *w = ctx;
	for (unsigned i = 0; i < r->n_ifs; i++) {
		if (strcmp(r->ifs[i].name, w->fact->name) != 0)
			continue;
		bool mine = strcmp(r->tenant, w->tenant) == 0;
		if (mine || w->fact->where == TR_IF_ABSENT) {
			w->fact->where = mine ? TR_IF_TENANT : TR_IF_OTHER;
			snprintf(w->fact->other, sizeof(w->fact->other), "%s", r->tenant);
		}
	}
}

static void probe_iface(struct tr_rtnl *r, const struct tr_if_addrs *addrs,
			const char *ledger_dir, const char *tenant, struct tr_iface_fact *f)
{
	struct tr_link l;
	if (r->nl && tr_rtnl_link_get(r, 0, f->name, &l) == 0) {
		f->where = TR_IF_HERE;
		f->ifindex = l.ifindex;
		f->up = (l.flags & IFF_UP) != 0;
		snprintf(f->kind, sizeof(f->kind), "%s", l.kind);
		f->n_addrs = tr_netdev_addrs_of(addrs, f->name, f->addr, sizeof(f->addr));
		return;
	}
	struct where_ctx w = { f, tenant };
	if (ledger_dir)
		tr_netrec_each(ledger_dir, where_recorded, &w);
}

static void add_bdf(struct tr_net_facts *f, const char *bdf)
{
	for (unsigned i = 0; i < f->n_pci; i++)
		if (strcmp(f->pci[i].bdf, bdf) == 0)
			return;
	if (f->n_pci < TR_NET_MAX_PCI)
		snprintf(f->pci[f->n_pci++].bdf, sizeof(f->pci[0].bdf), "%s", bdf);
}

int tr_netdev_gather(struct tr_net_facts *f, const char *ledger_dir, const char *tenant,
		     const struct tr_nic *nics, unsigned n_nics,
		     char *const *group_devices, unsigned n_group,
		     struct tr_error *err)
{
	memset(f, 0, sizeof(*f));
	f->known = true;
	probe_netns(f);
	char names[TR_NET_MAX_IFACES][IFNAMSIZ];
	unsigned n_names = 0;
	for (unsigned i = 0; i < n_nics; i++) {
		tr_nic_ifaces(&nics[i], names, &n_names, TR_NET_MAX_IFACES);
		if (nics[i].kind == TR_NIC_PCI)
			add_bdf(f, nics[i].spec);
	}
	/* What a secondary may adopt from its primary is checked alike. */
	for (unsigned i = 0; group_devices && i < n_group; i++) {
		const char *a = group_devices[i];
		if ((strcmp(a, "-a") == 0 || strcmp(a, "--allow") == 0) && i + 1 < n_group) {
			add_bdf(f, group_devices[++i]);
		} else if (strncmp(a, "--vdev=", 7) == 0) {
			struct tr_nic v = { .kind = TR_NIC_VDEV, .spec = (char *)a + 7 };
			tr_nic_ifaces(&v, names, &n_names, TR_NET_MAX_IFACES);
		}
	}
	if (n_names == 0 && f->n_pci == 0)
		return 0;
	_cleanup_free_ struct tr_if_addrs *addrs = calloc(1, sizeof(*addrs));
	if (addrs == NULL)
		return tr_err(err, EX_OSERR, "out of memory");
	if (tr_netdev_addrs(addrs, err) < 0)
		return -1;
	for (unsigned i = 0; i < f->n_pci; i++)
		tr_netdev_pci_probe("/sys", f->pci[i].bdf, addrs, &f->pci[i]);
	struct tr_rtnl r = { 0 };
	int e = n_names > 0 ? tr_rtnl_open(&r, -1) : 0;
	if (e < 0)
		return tr_err_sys(err, EX_OSERR, -e, "cannot open an rtnetlink socket");
	for (unsigned i = 0; i < n_names; i++) {
		struct tr_iface_fact *x = &f->ifaces[f->n_ifaces++];
		snprintf(x->name, sizeof(x->name), "%s", names[i]);
		probe_iface(&r, addrs, ledger_dir, tenant, x);
	}
	tr_rtnl_close(&r);
	return 0;
}
