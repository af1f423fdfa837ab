/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 4, plan: struct tr_plan_input -> argv, env, isolation, claims.
 * Pure: no syscalls; one function builds the argv (habit 6) so golden
 * tests pin it.
 *
 * The EAL arguments, always in this order:
 *
 *   --file-prefix=<tenant>
 *   --proc-type=primary|secondary
 *   --lcores=<id>@<cpu>,...
 *        Lcore ids are unique across the group: the primary has
 *        0..perPrimary-1, secondary k has perPrimary+(k-1)*perSecondary and
 *        the perSecondary ids after it. config/placement.c puts each
 *        member's main lcore on a cpu of its own while the tenant has cpus
 *        to spare and the workers on the cpus that remain (dealt
 *        round-robin: mains first, then workers).
 *        No --main-lcore: 22.11 makes the lowest enabled lcore id the main
 *        one (eal_adjust_config), which is the member's first id.
 *        Not for the tools of tool_quirks[] below, which force -c1.
 *   -m <totalMb> | --socket-mem=<socketMb,...>         primary only
 *   --socket-limit=<MiB per node>                      primary only
 *        DPDK's limit is per NUMA node (0 = no limit). With totalMb, EAL may
 *        put the whole pre-allocation on any node, so every host node gets
 *        limitMb. With socketMb, node i gets socketMb[i] + (limitMb -
 *        pre-allocation): the most it can hold while the other nodes keep
 *        their pre-allocated pages. The total across nodes is capped at
 *        limitMb by the tenant's hugetlbfs size= and hugetlb cgroup; nodes
 *        without socketMb are closed by the NUMA binding (iso.numa_nodes).
 *        Secondaries get no memory flags: they map the primary's memory.
 *   --huge-dir=<hugepageDir>/<tenant>
 *   --single-file-segments                  when group.singleFileSegments
 *   -a <BDF> ... | --vdev=<spec> ...        the NICs in file order, then
 *   --no-pci                                when the tenant has no PCI NIC
 *        The device list is identical for every member: DPDK 22.11 panics
 *        in a secondary whose device list differs from its primary's. A
 *        secondary whose {env:} NIC variable is unset takes the running
 *        group's list.
 *   <the tenant's eal list>
 *   <the user's EAL options>                what the user wrote between
 *                                           APP and its "--" (checked:
 *                                           tr_plan_user_args)
 *   --                                      always, so an app argument can
 *                                           never be read as an EAL one
 *   <app args>                              after the user's "--", or every
 *                                           word after APP without one
 */
#include "plan/plan.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "common/cleanup.h"
#include "common/layout.h"
#include "common/messages.h"
#include "config/placement.h"
#include "config/validate.h"
#include "config/pciaddr.h"

#define MIB (UINT64_C(1) << 20)

const char *tr_role_name(enum tr_role r)
{
	return r == TR_ROLE_PRIMARY ? TR_ROLE_NAME_PRIMARY : TR_ROLE_NAME_SECONDARY;
}

/* A formatted string appended to v[*n] (owned), while fewer than max. */
static int vec_vadd(char **v, int *n, int max, const char *fmt, va_list ap)
{
	if (*n >= max)
		return -1;
	if (vasprintf(&v[*n], fmt, ap) < 0) {
		v[*n] = NULL;
		return -1;
	}
	(*n)++;
	return 0;
}

__attribute__((format(printf, 2, 3))) static int argv_add(struct tr_plan *p,
							   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vec_vadd(p->argv, &p->argc, TR_PLAN_MAX_ARGS, fmt, ap);
	va_end(ap);
	return rc;
}

__attribute__((format(printf, 2, 3))) static int env_add(struct tr_plan *p,
							  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vec_vadd(p->env, &p->envc, TR_PLAN_MAX_ENV, fmt, ap);
	va_end(ap);
	return rc;
}

/*
 * Apps whose command line EAL cannot take a plan's --lcores. DPDK's own
 * tools dpdk-proc-info and dpdk-pdump (22.11) put "-c1" and
 * "--proc-type=secondary" in front of whatever argv they get, and EAL
 * refuses --lcores next to -c ("Option --lcores is ignored, because (-c) is
 * set!", then "Invalid 'command line' arguments"). They run on lcore 0,
 * cpu 0, whatever we plan; they only read stats or copy packets into their
 * own pool, so they get no --lcores rather than not running at all.
 */
struct tool_quirk {
	const char *name;       /* the binary's base name */
	bool forces_c1;
};

static const struct tool_quirk tool_quirks[] = {
	{ .name = "dpdk-proc-info", .forces_c1 = true },
	{ .name = "dpdk-pdump", .forces_c1 = true },
};

static const struct tool_quirk *tool_of(const struct tr_plan_input *in)
{
	const char *path = in->app_path ? in->app_path : in->app;
	if (path == NULL)
		return NULL;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (size_t i = 0; i < TR_ARRAY_SIZE(tool_quirks); i++)
		if (strcmp(base, tool_quirks[i].name) == 0)
			return &tool_quirks[i];
	return NULL;
}

void tr_nic_identity(const struct tr_nic *nic, char *buf, size_t len)
{
	if (nic->kind != TR_NIC_VDEV) {
		snprintf(buf, len, "%s", nic->spec);
		return;
	}
	/* net_af_packet / net_tap / net_pcap bind a kernel interface: that
	 * interface is what two tenants must not share. */
	const char *iface = strstr(nic->spec, "iface=");
	if (iface) {
		size_t n = strcspn(iface, ",");
		snprintf(buf, len, "%.*s", (int)n, iface);
		return;
	}
	size_t n = strcspn(nic->spec, ",");
	snprintf(buf, len, "%.*s", (int)n, nic->spec);
}

static bool vdev_is(const char *spec, const char *drv)
{
	return strncmp(spec, drv, strlen(drv)) == 0;
}

/*
 * Capabilities the NICs need, as measured with DPDK 22.11 by
 * suite_isolation.sh (testpmd as a non-root uid, one capability taken away
 * at a time): vdevs on memory only (net_null, net_ring, net_memif) need
 * none; net_af_packet opens a raw socket (NET_RAW) and sets the interface
 * promiscuous/up (NET_ADMIN); net_tap creates its tap (NET_ADMIN only);
 * net_pcap on an interface captures (NET_RAW) and sets flags (NET_ADMIN);
 * net_af_xdp also loads its XDP program (BPF). PCI through vfio pins DMA
 * memory (IPC_LOCK); not measured here, there is no vfio device.
 * Each only with its containment (plan/netplan.c): NET_* with the
 * tenant's network namespace, IPC_LOCK for vfio devices that passed their
 * checks, BPF for af_xdp on an interface of its namespace.
 */
static uint64_t nic_caps(const struct tr_nic *nics, unsigned n_nics,
			 const struct tr_net_plan *np)
{
	uint64_t caps = 0;
	for (unsigned n = 0; n < n_nics; n++) {
		const struct tr_nic *nic = &nics[n];
		if (nic->kind == TR_NIC_PCI) {
			if (np->ipc_lock)
				caps |= UINT64_C(1) << CAP_IPC_LOCK;
		} else if (nic->kind == TR_NIC_VDEV && nic->spec && np->net_caps) {
			if (vdev_is(nic->spec, "net_af_packet") ||
			    vdev_is(nic->spec, "net_pcap") ||
			    vdev_is(nic->spec, "net_af_xdp"))
				caps |= UINT64_C(1) << CAP_NET_RAW;
			if (vdev_is(nic->spec, "net_af_packet") ||
			    vdev_is(nic->spec, "net_tap") ||
			    vdev_is(nic->spec, "net_pcap") ||
			    vdev_is(nic->spec, "net_af_xdp"))
				caps |= UINT64_C(1) << CAP_NET_ADMIN;
			if (vdev_is(nic->spec, "net_af_xdp") && np->allow_bpf)
				caps |= UINT64_C(1) << CAP_BPF;
		}
	}
	return caps;
}

/*
 * May a secondary take this device from its group's record? The record is
 * root's, but what it adopts still passes the rules tenants.yaml passes: a
 * vdev only if the tenant lists exactly that vdev (its capabilities follow
 * from it), a PCI device only as a canonical address (the {env:} NIC's
 * kind), and no other option at all.
 */
static bool adoptable(const struct tr_tenant *t, const char *spec, enum tr_nic_kind kind)
{
	if (spec == NULL || *spec == '\0')
		return false;
	if (kind == TR_NIC_PCI) {
		char canon[TR_PCI_ADDR_LEN];
		return tr_pci_addr_normalise(spec, canon, sizeof(canon)) == 0 &&
		       strcmp(canon, spec) == 0;
	}
	for (unsigned i = 0; i < t->n_nics; i++)
		if (t->nics[i].kind == TR_NIC_VDEV && strcmp(t->nics[i].spec, spec) == 0)
			return true;
	return false;
}

/*
 * The member's NICs: the tenant's, or, for a secondary whose {env:}
 * variable is unset in this container, the running group's device list,
 * which is exactly what DPDK needs it to be. Specs are borrowed.
 */
static int plan_nics(struct tr_plan *p, const struct tr_plan_input *in,
		     struct tr_nic *nics, unsigned *n, bool *adopted, struct tr_error *err)
{
	const struct tr_tenant *t = in->tenant;
	const struct tr_nic *env = NULL;
	*n = 0;
	*adopted = false;
	for (unsigned i = 0; i < t->n_nics; i++)
		if (t->nics[i].kind == TR_NIC_ENV)
			env = &t->nics[i];
	if (env == NULL) {
		memcpy(nics, t->nics, t->n_nics * sizeof(*nics));
		*n = t->n_nics;
		return 0;
	}
	const char *file = in->cfg->file ? in->cfg->file : "tenants.yaml";
	if (in->role == TR_ROLE_PRIMARY)
		return tr_err_at(err, EX_DATAERR, file, env->mark.line, env->mark.col,
				 "NIC env %s is not set; is the device plugin resource requested?",
				 env->spec);
	if (in->group_devices == NULL)
		return tr_err(err, EX_UNAVAILABLE,
			      "NIC env %s is not set and the primary's devices are unknown (no group record); start the primary first",
			      env->spec);
	char list[1024] = "";
	size_t k = 0;
	for (unsigned i = 0; i < in->n_group_devices && *n < TR_MAX_NICS; i++) {
		const char *a = in->group_devices[i];
		const char *spec = NULL;
		enum tr_nic_kind kind = TR_NIC_PCI;
		if ((strcmp(a, "-a") == 0 || strcmp(a, "--allow") == 0) &&
		    i + 1 < in->n_group_devices)
			spec = in->group_devices[++i];
		else if (strncmp(a, "--vdev=", 7) == 0)
			spec = a + 7, kind = TR_NIC_VDEV;
		else if (strcmp(a, "--vdev") == 0 && i + 1 < in->n_group_devices)
			spec = in->group_devices[++i], kind = TR_NIC_VDEV;
		if (spec == NULL && strcmp(a, "--no-pci") == 0)
			continue;  /* derived again below */
		if (!adoptable(t, spec, kind))
			return tr_err(err, EX_UNAVAILABLE,
				      "the group record names device \"%s\", which tenants.yaml does not give this tenant; restart its primary",
				      spec ? spec : a);
		/* Held to the {env:} entry's policy, as if the variable named
		 * them: a secondary takes nothing its YAML does not allow. */
		nics[*n] = (struct tr_nic){ .kind = kind, .spec = (char *)spec, .mark = env->mark,
					    .from_env = kind == TR_NIC_PCI ? env->spec : NULL,
					    .policy = env->policy };
		if (k < sizeof(list))
			k += (size_t)snprintf(list + k, sizeof(list) - k, "%s%s", *n ? ", " : "", spec);
		(*n)++;
	}
	tr_plan_note(p, "%s is not set in this container; using the primary's devices (%s)",
		 env->spec, *n ? list : "none");
	*adopted = true;
	return 0;
}

/*
 * The member's lcores as config/placement.c deals them: ids unique across
 * the group, each member's main lcore on a cpu of its own while the tenant
 * has cpus to spare, workers on the cpus that remain. A tool that forces
 * -c1 runs lcore 0 on cpu 0 and gets no --lcores.
 */
static int plan_lcores(struct tr_plan *p, const struct tr_plan_input *in,
		       const struct tool_quirk *tool, struct tr_error *err)
{
	const struct tr_tenant *t = in->tenant;
	const struct tr_cpuset *cpus = &p->iso.cpus;
	tr_cpuset_zero(&p->iso.member_cpus);
	p->per_primary = t->lcores.per_primary;
	p->per_secondary = t->lcores.per_secondary;
	if (tool && tool->forces_c1) {
		/* -c1 pins the tool's main lcore to cpu 0; inside a cpuset
		 * without cpu 0 EAL dies with "Cannot set affinity" and a
		 * PANIC: say so before it runs. */
		if (!tr_cpuset_isset(cpus, 0)) {
			char list[128];
			tr_cpuset_format(cpus, list, sizeof(list));
			return tr_err(err, EX_CONFIG,
				      "%s forces -c1 (cpu 0) but the tenant's cpus are %s; give the tenant cpu 0 (cpuPolicy shared) to run it, or use a tool that takes --lcores",
				      in->app, list);
		}
		p->n_lcores = 1;
		p->lcore_ids[0] = 0;
		p->lcore_cpus[0] = 0;
		tr_cpuset_set(&p->iso.member_cpus, 0);
		tr_plan_note(p, "%s sets its own -c1 (lcore 0); --lcores not passed", in->app);
		return 0;
	}
	struct tr_placement pl;
	if (tr_place_member(t, cpus, p->member, &pl) < 0) {
		unsigned count = p->member ? t->lcores.per_secondary : t->lcores.per_primary;
		return tr_err(err, EX_DATAERR,
			      "cannot plan %u lcores on %u cpus for the %s; run 'tenantrt validate'",
			      count, tr_cpuset_count(tr_place_pool(t, cpus, p->member)),
			      tr_role_name(p->role));
	}
	unsigned last = pl.ids[pl.n_lcores - 1];
	if (last >= in->host->max_lcore)
		return tr_err(err, EX_DATAERR, "lcore ids %u-%u are beyond RTE_MAX_LCORE %u",
			      pl.ids[0], last, in->host->max_lcore);
	p->n_lcores = pl.n_lcores;
	memcpy(p->lcore_ids, pl.ids, sizeof(pl.ids));
	memcpy(p->lcore_cpus, pl.cpus, sizeof(pl.cpus));
	for (unsigned j = 0; j < pl.n_lcores; j++)
		tr_cpuset_set(&p->iso.member_cpus, pl.cpus[j]);
	/* Validation warned about pollers sharing a cpu on the tenant's
	 * cpus; a container that gives fewer is only seen here. */
	struct tr_sharing sh;
	if (memcmp(cpus, tr_tenant_cpus(in->cfg, in->host, t), sizeof(*cpus)) != 0 &&
	    tr_place_sharing(t, cpus, &sh)) {
		char list[256];
		tr_cpuset_format(cpus, list, sizeof(list));
		tr_plan_note(p, "this container gives the tenant cpus %s only: its %u lcores share them (up to %u on one cpu), so each busy-polling lcore gets part of a cpu",
			 list, sh.lcores, sh.most);
	}
	/* "--lcores=" + up to 64 x "127@1023," */
	char buf[16 + TR_MAX_MEMBER_LCORES * 10];
	tr_place_format(&pl, buf, sizeof(buf));
	return argv_add(p, "--lcores=%s", buf);
}

/* --socket-mem / --socket-limit value lists ("512,0"). */
static void mb_list(char *buf, size_t len, const uint64_t *v, unsigned n)
{
	size_t w = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < n && w < len; i++)
		w += (size_t)snprintf(buf + w, len - w, "%s%" PRIu64,
				      i ? "," : "", v[i]);
}

static int plan_memory(struct tr_plan *p, const struct tr_host_facts *facts,
		       const struct tr_tenant *t)
{
	const struct tr_memory *m = &t->memory;
	uint64_t lim[TR_MAX_NUMA];
	unsigned nlim;
	char buf[TR_MAX_NUMA * 24];
	uint64_t pre = tr_tenant_prealloc_mb(t);
	uint64_t limit = tr_tenant_limit_mb(t);
	if (m->has_total) {
		if (argv_add(p, "-m") < 0 ||
		    argv_add(p, "%" PRIu64, m->total_mb) < 0)
			return -1;
		nlim = facts->numa_nodes ? facts->numa_nodes : 1;
		if (nlim > TR_MAX_NUMA)
			nlim = TR_MAX_NUMA;
		for (unsigned i = 0; i < nlim; i++)
			lim[i] = limit;
	} else {
		mb_list(buf, sizeof(buf), m->socket_mb, m->n_socket);
		if (argv_add(p, "--socket-mem=%s", buf) < 0)
			return -1;
		nlim = m->n_socket;
		for (unsigned i = 0; i < nlim; i++)
			lim[i] = m->socket_mb[i] + (limit > pre ? limit - pre : 0);
	}
	mb_list(buf, sizeof(buf), lim, nlim);
	return argv_add(p, "--socket-limit=%s", buf);
}

int tr_plan_user_args(char *const *args, int n, struct tr_user_args *out,
		      struct tr_error *err)
{
	*out = (struct tr_user_args){ .n_eal = 0, .app_first = 0 };
	for (int i = 0; i < n; i++)
		if (strcmp(args[i], "--") == 0) {
			out->n_eal = i;
			out->app_first = i + 1;
			break;
		}
	return tr_eal_user_args_check(args, (unsigned)out->n_eal, err);
}

static int plan_argv(struct tr_plan *p, const struct tr_plan_input *in,
		     const struct tr_user_args *ua, const struct tr_nic *nics,
		     unsigned n_nics, const struct tool_quirk *tool, struct tr_error *err)
{
	const struct tr_tenant *t = in->tenant;
	if (argv_add(p, "%s", in->app ? in->app : "APP") < 0)
		goto nomem;
	p->eal_first = p->argc;
	if (argv_add(p, "--file-prefix=%s", t->name) < 0 ||
	    argv_add(p, "--proc-type=%s", tr_role_name(p->role)) < 0)
		goto nomem;
	if (plan_lcores(p, in, tool, err) < 0)
		return -1;
	if (p->role == TR_ROLE_PRIMARY && plan_memory(p, in->host, t) < 0)
		goto nomem;
	if (argv_add(p, "--huge-dir=%s", p->iso.huge_dir) < 0)
		goto nomem;
	if (t->group.single_file_segments &&
	    argv_add(p, "--single-file-segments") < 0)
		goto nomem;
	bool any_pci = false;
	for (unsigned n = 0; n < n_nics; n++) {
		const struct tr_nic *nic = &nics[n];
		if (nic->kind == TR_NIC_PCI) {
			any_pci = true;
			if (argv_add(p, "-a") < 0 || argv_add(p, "%s", nic->spec) < 0)
				goto nomem;
		} else if (nic->kind == TR_NIC_VDEV) {
			if (argv_add(p, "--vdev=%s", nic->spec) < 0)
				goto nomem;
		}
	}
	if (!any_pci && argv_add(p, "--no-pci") < 0)
		goto nomem;
	for (unsigned e = 0; e < t->n_eal; e++)
		if (argv_add(p, "%s", t->eal[e]) < 0)
			goto nomem;
	p->user_eal_first = p->argc;
	for (int a = 0; a < ua->n_eal; a++)
		if (argv_add(p, "%s", in->app_args[a]) < 0)
			goto nomem;
	p->eal_end = p->argc;
	if (argv_add(p, "--") < 0)
		goto nomem;
	for (int a = ua->app_first; a < in->n_app_args; a++)
		if (argv_add(p, "%s", in->app_args[a]) < 0)
			goto nomem;
	p->argv[p->argc] = NULL;
	return 0;
nomem:
	return tr_err(err, EX_SOFTWARE,
		      "the command line is longer than %d arguments or memory ran out",
		      TR_PLAN_MAX_ARGS);
}

/* " (FILE:LINE:COL)" of a mark, or "" for a default. */
static void where(char *buf, size_t len, const struct tr_config *cfg, struct tr_mark m)
{
	if (m.line)
		snprintf(buf, len, " (%s:%u:%u)", cfg->file ? cfg->file : "tenants.yaml",
			 m.line, m.col);
	else
		buf[0] = '\0';
}

/*
 * The container's ceilings: the tenant's cpus narrowed to the container's
 * (the CPU manager's exclusive cpus, --cpuset-cpus), and a primary's quota
 * under the container's hugetlb ceiling. A secondary's ceiling is not
 * checked: it maps the primary's pages and has the primary fault in new
 * ones (DPDK multi-process), so the hugetlb cgroup charges the primary's
 * container for the whole group.
 */
static int plan_container(struct tr_plan *p, const struct tr_plan_input *in,
			  struct tr_error *err)
{
	const struct tr_container_facts *c = in->container;
	const struct tr_config *cfg = in->cfg;
	const struct tr_tenant *t = in->tenant;
	char at[4200];
	if (c == NULL)
		return 0;
	if (c->has_cpus) {
		struct tr_cpuset eff;
		if (!tr_cpuset_and(&eff, &p->iso.cpus, &c->cpus)) {
			char a[256], b[256];
			tr_cpuset_format(&p->iso.cpus, a, sizeof(a));
			tr_cpuset_format(&c->cpus, b, sizeof(b));
			where(at, sizeof(at), cfg, t->has_cpus ? t->cpus_mark : cfg->host.cpus_mark);
			return tr_err(err, EX_CONFIG,
				      "its cpus %s%s and this container's cpus %s (%s) do not overlap; give the tenant the cpus the container gets (CPU manager, --cpuset-cpus) or run it where its cpus are",
				      a, at, b, c->cpus_from);
		}
		p->iso.cpus = eff;
	}
	if (p->role == TR_ROLE_PRIMARY && c->has_huge_limit) {
		uint64_t want = tr_tenant_limit_mb(t) * MIB;
		if (want > c->huge_limit_bytes) {
			const char *sz = cfg->host.page_size == TR_PAGE_1G ? "1Gi" : "2Mi";
			where(at, sizeof(at), cfg,
			      t->memory.has_limit ? t->memory.limit_mark : t->memory.mark);
			return tr_err(err, EX_CONFIG,
				      "its hugepage limit %" PRIu64 " MiB%s is above this container's %" PRIu64 " MiB (%s); set resources.limits.hugepages-%s to %" PRIu64 "Mi or lower the tenant's memory",
				      want / MIB, at, c->huge_limit_bytes / MIB, c->huge_from, sz,
				      want / MIB);
		}
	}
	return 0;
}

static int check_member(const struct tr_plan_input *in, struct tr_error *err)
{
	const struct tr_tenant *t = in->tenant;
	unsigned max = t->group.max_secondaries, member = in->member;
	if (in->role == TR_ROLE_PRIMARY && member != 0)
		return tr_err(err, EX_USAGE,
			      "the primary is member 0, not %u; secondaries are members 1-%u",
			      member, max);
	if (in->role == TR_ROLE_SECONDARY && max == 0)
		return tr_err(err, EX_USAGE, TR_MSG_NO_SECONDARIES);
	if (in->role == TR_ROLE_SECONDARY && member == 0)
		return tr_err(err, EX_USAGE,
			      "member 0 is the primary; secondaries are members 1-%u", max);
	if (in->role == TR_ROLE_SECONDARY && member > max)
		return tr_err(err, EX_USAGE,
			      "secondary %u is beyond group.maxSecondaries %u; use a member in 1-%u",
			      member, max, max);
	if (!t->memory.has_total && !t->memory.has_socket)
		return tr_err(err, EX_DATAERR, "no memory; run 'tenantrt validate'");
	return 0;
}

/*
 * Who the member runs as: its `user:` (`user: root` only when written),
 * else the uid the ledger allocated to the tenant (host/dynuid.h), with
 * the gid of the same number. Supplementary groups are exactly the
 * configured ones (none by default), never the caller's.
 */
static int plan_identity(struct tr_isolation *iso, const struct tr_plan_input *in,
			 struct tr_error *err)
{
	const struct tr_user *u = &in->tenant->user;
	iso->has_user = true;
	if (u->set) {
		iso->uid = u->uid;
		iso->gid = u->gid;
	} else if (in->dynamic_uid > 0) {
		iso->dynamic_user = true;
		iso->uid = in->dynamic_uid;
		iso->gid = (gid_t)in->dynamic_uid;
	} else {
		return tr_err(err, EX_SOFTWARE,
			      "it has no user: and no dynamic uid was allocated to it");
	}
	iso->n_supp = u->n_supp;
	memcpy(iso->supp, u->supp, sizeof(iso->supp));
	return 0;
}

/*
 * The member's view of the host and its bounded dirs: a mount namespace
 * of its own where the shim holds CAP_SYS_ADMIN, else the container's.
 * As uid 0 without one, every root-owned file the container mounts
 * writable is the app's to write: say so.
 */
static void plan_view(struct tr_plan *p, const struct tr_plan_input *in)
{
	struct tr_isolation *iso = &p->iso;
	const struct tr_container_facts *c = in->container;
	iso->mount_ns = c == NULL || !c->no_mount_ns;
	iso->view_ro = iso->mount_ns ? TR_RO_ALL : c->ro_paths;
	iso->rundir_bytes = TR_RUNDIR_TMPFS_BYTES;
	iso->rundir_inodes = TR_RUNDIR_TMPFS_INODES;
	iso->huge_inodes = (unsigned)(iso->huge_limit_bytes / iso->page_bytes) +
			   TR_HUGEFS_SPARE_INODES;
	if (!iso->mount_ns && iso->uid == 0)
		tr_plan_note(p, "user root without a mount namespace of its own (the shim lacks CAP_SYS_ADMIN here): the app can write every root-owned file this container mounts writable, %s/" TR_LEDGER_DIR " among them",
			 iso->runtime_root);
}

static int plan_isolation(struct tr_plan *p, const struct tr_plan_input *in,
			  const struct tr_nic *nics, unsigned n_nics, struct tr_error *err)
{
	const struct tr_config *cfg = in->cfg;
	const struct tr_tenant *t = in->tenant;
	struct tr_isolation *iso = &p->iso;
	const char *root = tr_host_runtime_root(&cfg->host);
	char hbuf[4096];
	const char *hdir = tr_host_hugepage_dir(&cfg->host, hbuf, sizeof(hbuf));
	if ((size_t)snprintf(iso->runtime_root, sizeof(iso->runtime_root), "%s", root) >=
		    sizeof(iso->runtime_root) ||
	    (size_t)snprintf(iso->huge_root, sizeof(iso->huge_root), "%s", hdir) >=
		    sizeof(iso->huge_root) ||
	    (size_t)snprintf(iso->runtime_dir, sizeof(iso->runtime_dir), "%s/%s",
			     root, t->name) >= sizeof(iso->runtime_dir) ||
	    (size_t)snprintf(iso->huge_dir, sizeof(iso->huge_dir), "%s/%s", hdir,
			     t->name) >= sizeof(iso->huge_dir))
		return tr_err(err, EX_DATAERR, "runtime or hugepage dir path is too long");
	iso->page_bytes = tr_page_bytes(cfg->host.page_size);
	/* Whole pages: what hugetlbfs size= and the cgroup can hold. */
	iso->huge_limit_bytes = tr_tenant_limit_mb(t) * MIB / iso->page_bytes * iso->page_bytes;
	iso->cpus = *tr_tenant_cpus(cfg, in->host, t);
	iso->numa_nodes = 0;
	if (t->memory.has_socket && !t->memory.has_total)
		for (unsigned n = 0; n < t->memory.n_socket && n < 64; n++)
			if (t->memory.socket_mb[n] > 0)
				iso->numa_nodes |= UINT64_C(1) << n;
	if (plan_identity(iso, in, err) < 0)
		return -1;
	iso->caps = nic_caps(nics, n_nics, &iso->net);
	for (unsigned c = 0; c < t->security.n_caps; c++)
		if (t->security.caps[c] >= 0 && t->security.caps[c] < 64)
			iso->caps |= UINT64_C(1) << t->security.caps[c];
	/* Never: with it the app could unmount its view of the host
	 * (validation refuses it in security.capabilities too). */
	iso->caps &= ~(UINT64_C(1) << CAP_SYS_ADMIN);
	iso->seccomp = t->security.seccomp;
	iso->seccomp_profile = t->security.seccomp_profile;
	iso->no_new_privs = true;
	plan_view(p, in);
	tr_cg_group_name(iso->cgroup, sizeof(iso->cgroup),
			 in->runtime_root_real ? in->runtime_root_real : root, t->name);
	iso->pids_max = tr_tenant_pids_max(t);
	iso->memory_max_bytes = tr_tenant_memory_max_mb(t) * MIB;
	return 0;
}

/*
 * Where the app finds programs: fixed, not the caller's PATH (sudo's
 * secure_path idea); env.set or env.pass may replace it.
 */
#define TR_PLAN_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Is NAME set in p->env already? */
static bool env_has(const struct tr_plan *p, const char *name, size_t len)
{
	for (int i = 0; i < p->envc; i++)
		if (strncmp(p->env[i], name, len) == 0 && p->env[i][len] == '=')
			return true;
	return false;
}

static int env_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The app's whole environment, in this order (the first of a name wins):
 * the identity libtenantrt reads (tenantrt_proto.h), env.set, the caller's
 * variables env.pass names (sorted by name), then PATH. Nothing else of the
 * caller's environment: not LD_PRELOAD, not the shim's own settings.
 */
static int plan_env(struct tr_plan *p, const struct tr_plan_input *in, struct tr_error *err)
{
	const struct tr_tenant *t = in->tenant;
	struct tr_dp_conf dp = {
		.mode = t->datapath.mode,
		.burst = t->datapath.burst,
		.ring_size = t->datapath.ring_size,
		.queues = t->datapath.queues,
		.tx = TR_DP_TX_AUTO,
	};
	char dps[128];
	tr_dp_conf_format(&dp, dps, sizeof(dps));
	if (env_add(p, TR_ENV_RUNTIME_DIRECTORY "=%s", p->iso.runtime_dir) < 0 ||
	    env_add(p, TR_ENV_TENANT "=%s", t->name) < 0 ||
	    env_add(p, TR_ENV_ROLE "=%s", tr_role_name(p->role)) < 0 ||
	    env_add(p, TR_ENV_MEMBER "=%u", p->member) < 0 ||
	    env_add(p, TR_ENV_MEMBERS "=%u", 1 + t->group.max_secondaries) < 0 ||
	    env_add(p, TR_ENV_DATAPATH "=%s", dps) < 0)
		goto nomem;
	for (unsigned k = 0; k < t->env.n_set; k++)
		if (!tr_env_reserved(t->env.set_key[k]) &&
		    env_add(p, "%s=%s", t->env.set_key[k], t->env.set_val[k]) < 0)
			goto too_many;
	int first_passed = p->envc;
	for (char *const *e = in->envp; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		if (eq == NULL || eq == *e)
			continue;
		char name[256];
		size_t len = (size_t)(eq - *e);
		if (len >= sizeof(name))
			continue;
		memcpy(name, *e, len);
		name[len] = '\0';
		bool take = false;
		for (unsigned k = 0; k < t->env.n_pass && !take; k++)
			take = tr_env_pass_matches(t->env.pass[k], name);
		if (!take || tr_env_reserved(name) || env_has(p, name, len))
			continue;
		if (env_add(p, "%s", *e) < 0)
			goto too_many;
	}
	qsort(p->env + first_passed, (size_t)(p->envc - first_passed), sizeof(char *), env_cmp);
	if (!env_has(p, "PATH", 4) && env_add(p, "PATH=" TR_PLAN_PATH) < 0)
		goto too_many;
	p->env[p->envc] = NULL;
	return 0;
too_many:
	if (p->envc >= TR_PLAN_MAX_ENV)
		return tr_err(err, EX_CONFIG,
			      "the app's environment would hold more than %d variables; name fewer in env.pass",
			      TR_PLAN_MAX_ENV);
nomem:
	return tr_err(err, EX_SOFTWARE, "out of memory");
}

static void plan_claims(struct tr_plan *p, const struct tr_plan_input *in,
			const struct tr_nic *nics, unsigned n_nics)
{
	struct tr_claims *c = &p->claims;
	c->exclusive = in->tenant->cpu_policy == TR_CPU_EXCLUSIVE;
	c->n_nics = n_nics;
	for (unsigned i = 0; i < n_nics; i++)
		tr_nic_identity(&nics[i], c->nics[i], sizeof(c->nics[i]));
	c->quota_pages = p->iso.huge_limit_bytes / p->iso.page_bytes;
	c->max_secondaries = in->tenant->group.max_secondaries;
	size_t k = 0, w = 0;
	c->lcores[0] = c->placement[0] = '\0';
	for (unsigned i = 0; i < p->n_lcores && k < sizeof(c->lcores); i++)
		k += (size_t)snprintf(c->lcores + k, sizeof(c->lcores) - k, "%s%u",
				      i ? "," : "", p->lcore_ids[i]);
	for (unsigned i = 0; i < p->n_lcores && w < sizeof(c->placement); i++)
		w += (size_t)snprintf(c->placement + w, sizeof(c->placement) - w, "%s%u@%u",
				      i ? "," : "", p->lcore_ids[i], p->lcore_cpus[i]);
}

int tr_plan_build(struct tr_plan *out, const struct tr_plan_input *in,
		  struct tr_error *err)
{
	memset(out, 0, sizeof(*out));
	out->tenant = in->tenant->name;
	out->role = in->role;
	out->member = in->member;
	struct tr_nic nics[TR_MAX_NICS];
	unsigned n_nics = 0;
	bool adopted = false;
	const struct tool_quirk *tool = tool_of(in);
	struct tr_user_args ua;
	if (tr_plan_user_args(in->app_args, in->n_app_args, &ua, err) < 0 ||
	    check_member(in, err) < 0 ||
	    plan_nics(out, in, nics, &n_nics, &adopted, err) < 0) {
		tr_plan_free(out);
		return -1;
	}
	tr_plan_network(out, in, nics, n_nics, adopted);
	if (plan_isolation(out, in, nics, n_nics, err) < 0 ||
	    plan_container(out, in, err) < 0 ||
	    plan_argv(out, in, &ua, nics, n_nics, tool, err) < 0 ||
	    plan_env(out, in, err) < 0) {
		tr_plan_free(out);
		return -1;
	}
	plan_claims(out, in, nics, n_nics);
	return 0;
}

void tr_plan_free(struct tr_plan *p)
{
	for (int i = 0; i < p->argc; i++)
		free(p->argv[i]);
	for (int i = 0; i < p->envc; i++)
		free(p->env[i]);
	p->argc = p->envc = 0;
	p->argv[0] = NULL;
	p->env[0] = NULL;
}

