/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 6, isolate: the tenant's cgroups (cgroup.c), its NUMA policy
 * (numa.c), the member's own view of the host (mountns.c), and the
 * privilege drop ending in seccomp (privs.c, seccomp.c). See isolate.h for who calls what, and when.
 */
#include "isolate/isolate.h"

#include <string.h>

#include "isolate/cgroup.h"
#include "isolate/mountns.h"
#include "isolate/numa.h"
#include "isolate/privs.h"
#include "isolate/seccomp.h"

/* The holes the default seccomp profile opens follow the planned device
 * list: AF_XDP NICs load a BPF program; PCI NICs may need I/O ports
 * (legacy virtio). */
void tr_isolate_seccomp_opts(const struct tr_plan *p,
			     struct tr_seccomp_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = p->eal_first; i < p->eal_end && i < p->argc; i++) {
		const char *a = p->argv[i];
		if (a == NULL)
			break;
		if (strncmp(a, "--vdev=net_af_xdp", 17) == 0 ||
		    (strcmp(a, "--vdev") == 0 && i + 1 < p->eal_end &&
		     strncmp(p->argv[i + 1], "net_af_xdp", 10) == 0))
			o->allow_bpf = true;
		if (strcmp(a, "-a") == 0 || strncmp(a, "--allow", 7) == 0 ||
		    (strncmp(a, "-a", 2) == 0 && a[2] != '\0'))
			o->allow_ioport = true;
	}
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

int tr_isolate_tenant_setup(const struct tr_plan *p, const char *tenant,
			    struct tr_error *err)
{
	const struct tr_isolation *iso = &p->iso;
	/* A bad profile file is named here, in the parent, not as an exec
	 * failure in the child; and it is read as root. */
	tr_seccomp_prog_free(&compiled.prog);
	compiled.plan = NULL;
	if (compile_for(p, &compiled.prog, err) < 0)
		return -1;
	compiled.plan = p;
	if (tr_cgroup_setup(tenant, iso->page_bytes, iso->huge_limit_bytes,
			    &iso->cpus, iso->numa_nodes, err) < 0)
		return -1;
	return 0;
}

int tr_isolate_child(const struct tr_plan *p, const char *tenant,
		     struct tr_error *err)
{
	struct tr_seccomp_prog own = { 0 };
	const struct tr_seccomp_prog *prog = &compiled.prog;
	/* Join first: the cgroups must be entered while still root. */
	if (tr_cgroup_join(tenant, err) < 0)
		return -1;
	if (tr_numa_bind(p->iso.numa_nodes, err) < 0)
		return -1;
	if (compiled.plan != p) {
		/* Not prepared by setup (a driver that skips it): compile
		 * here, still as root. */
		if (compile_for(p, &own, err) < 0)
			return -1;
		prog = &own;
	}
	/* Its own view of the host, while still root; then the drop. */
	if (tr_mountns_enter(&p->iso, tenant, err) < 0) {
		tr_seccomp_prog_free(&own);
		return -1;
	}
	int r = tr_privs_drop(&p->iso, prog, err);
	tr_seccomp_prog_free(&own);
	if (r < 0)
		return -1;
	return 0;
}

int tr_isolate_tenant_teardown(const char *tenant, struct tr_error *err)
{
	if (tr_cgroup_remove(tenant, err) < 0)
		return -1;
	return 0;
}

bool tr_isolate_quota_is_hard(const char *tenant)
{
	return tr_cgroup_is_hard(tenant, TR_CG_HUGETLB);
}

bool tr_isolate_cpus_are_hard(const char *tenant)
{
	return tr_cgroup_is_hard(tenant, TR_CG_CPUSET);
}
