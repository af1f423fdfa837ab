/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 6, isolate: the tenant's cgroups (cgroup.c), its NUMA policy
 * (numa.c), its network namespace (netns.c), the member's own view of the
 * host (mountns.c), and the privilege drop ending in seccomp (privs.c,
 * seccomp.c). See isolate.h for who calls what, and when.
 */
#include "isolate/isolate.h"

#include <string.h>

#include "isolate/cgroup.h"
#include "isolate/inherit.h"
#include "isolate/mountns.h"
#include "isolate/netns.h"
#include "isolate/numa.h"
#include "isolate/privs.h"
#include "isolate/seccomp.h"

/* The holes the default seccomp profile opens, and the rule it adds,
 * follow the contained devices (plan/netplan.c): AF_XDP NICs on an
 * interface of the tenant's netns load a BPF program; vfio PCI devices
 * that passed their checks may need I/O ports (legacy virtio); af_packet
 * in a container's netns the host's user namespace owns gets no
 * rtnetlink socket. */
void tr_isolate_seccomp_opts(const struct tr_plan *p,
			     struct tr_seccomp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->allow_bpf = p->iso.net.allow_bpf;
	o->allow_ioport = p->iso.net.allow_ioport;
	o->deny_rtnetlink = p->iso.net.deny_rtnetlink;
}

/*
 * The seccomp program of the member about to start, compiled by the parent
 * in tr_isolate_tenant_setup() and inherited by the forked child: the child
 * then loads it with one prctl and runs no libseccomp code. Keyed by the
 * plan it was compiled for; a child whose plan does not match compiles its
 * own (slower, same result).
 */
static struct {
	const struct tr_plan *plan;
	struct tr_seccomp_prog prog;
} compiled;

static int compile_for(const struct tr_plan *p, struct tr_seccomp_prog *out,
		       struct tr_error *err)
{
	struct tr_seccomp_opts sopts;
	tr_isolate_seccomp_opts(p, &sopts);
	return tr_seccomp_compile(p->iso.seccomp, p->iso.seccomp_profile,
				  &sopts, out, err);
}

/* How long a kill waits for the group to empty: a killed DPDK app exits
 * in milliseconds; only a task in uninterruptible sleep takes longer. */
#define KILL_WAIT_MS 2000

int tr_isolate_tenant_setup(const struct tr_plan *p, struct tr_error *err)
{
	const struct tr_isolation *iso = &p->iso;
	/* A bad profile file is named here, in the parent, not as an exec
	 * failure in the child; and it is read as root. */
	tr_seccomp_prog_free(&compiled.prog);
	compiled.plan = NULL;
	if (compile_for(p, &compiled.prog, err) < 0)
		return -1;
	compiled.plan = p;
	const struct tr_cg_limits lim = {
		.page_bytes = iso->page_bytes,
		.huge_limit_bytes = iso->huge_limit_bytes,
		.cpus = &iso->cpus,
		.mems_mask = iso->numa_nodes,
		.pids_max = iso->pids_max,
		.memory_max_bytes = iso->memory_max_bytes,
	};
	if (tr_cgroup_setup(iso->cgroup, p->member, &lim, err) < 0)
		return -1;
	return tr_netns_member_prepare(&iso->net, err);
}

int tr_isolate_cgroup_fd(const struct tr_plan *p)
{
	int fd = tr_cgroup_open_v2_leaf(p->iso.cgroup, p->member);
	return fd < 0 ? -1 : fd;
}

int tr_isolate_child(const struct tr_plan *p, bool in_v2, struct tr_error *err)
{
	struct tr_seccomp_prog own = { 0 };
	const struct tr_seccomp_prog *prog = &compiled.prog;
	if (tr_inherit_nothing(err) < 0)
		return -1;
	/* Join first: the cgroups must be entered while still root. */
	if (tr_cgroup_join(p->iso.cgroup, p->member, in_v2 ? TR_CG_JOIN_IN_V2 : 0, err) < 0)
		return -1;
	if (tr_numa_bind(p->iso.numa_nodes, err) < 0)
		return -1;
	/* Its netns, and a mount namespace with that netns's sysfs, while
	 * still root in the host's user namespace. */
	if (tr_netns_child_enter(&p->iso.net, err) < 0)
		return -1;
	if (compiled.plan != p) {
		/* Not prepared by setup (a driver that skips it): compile
		 * here, still as root. */
		if (compile_for(p, &own, err) < 0)
			return -1;
		prog = &own;
	}
	/* Its own view of the host, while still root in the host's user
	 * namespace (mountns.h); last, its user namespace: after it,
	 * capabilities count in the tenant's user namespace only (the drop
	 * below keeps the planned ones there). */
	if (tr_mountns_enter(&p->iso, p->tenant, p->iso.net.mode == TR_NETNS_OWN, err) < 0 ||
	    tr_netns_child_enter_user(&p->iso.net, err) < 0) {
		tr_seccomp_prog_free(&own);
		return -1;
	}
	int r = tr_privs_drop(&p->iso, prog, err);
	tr_seccomp_prog_free(&own);
	if (r < 0)
		return -1;
	return 0;
}

int tr_isolate_member_stop(const char *cgroup, unsigned member,
			   struct tr_error *err)
{
	if (tr_cgroup_kill(cgroup, (int)member, KILL_WAIT_MS, err) < 0)
		return -1;
	return tr_cgroup_remove(cgroup, (int)member, err);
}

int tr_isolate_tenant_kill(const char *cgroup, struct tr_error *err)
{
	return tr_cgroup_kill(cgroup, TR_CG_ALL, KILL_WAIT_MS, err);
}

int tr_isolate_tenant_teardown(const char *cgroup, struct tr_error *err)
{
	return tr_cgroup_remove(cgroup, TR_CG_ALL, err);
}

bool tr_isolate_quota_is_hard(const char *cgroup)
{
	return tr_cgroup_is_hard(cgroup, TR_CG_HUGETLB);
}

bool tr_isolate_cpus_are_hard(const char *cgroup)
{
	return tr_cgroup_is_hard(cgroup, TR_CG_CPUSET);
}
