/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 6, isolate: the tenant's cgroups (cgroup.c), its NUMA policy
 * (mempolicy.c), and the privilege drop ending in seccomp (privs.c,
 * secfilter.c). See isolate.h for who calls what, and when.
 */
#include "isolate.h"

#include <string.h>

#include "cgroup.h"
#include "mempolicy.h"
#include "privs.h"
#include "secfilter.h"

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

int tr_isolate_tenant_setup(const struct tr_plan *p, const char *tenant,
			    struct tr_error *err)
{
	const struct tr_isolation *iso = &p->iso;
	/* A bad profile file is named here, in the parent, not as an exec
	 * failure in the child. */
	if (iso->seccomp == TR_SECCOMP_PROFILE &&
	    tr_seccomp_check_profile(iso->seccomp_profile, err) < 0)
		return tr_err_wrap(err, "isolate: tenant \"%s\"", tenant);
	if (tr_cgroup_setup(tenant, iso->page_bytes, iso->huge_limit_bytes,
			    &iso->cpus, iso->numa_nodes, err) < 0)
		return tr_err_wrap(err, "isolate: tenant \"%s\"", tenant);
	return 0;
}

int tr_isolate_child(const struct tr_plan *p, const char *tenant,
		     struct tr_error *err)
{
	struct tr_seccomp_opts sopts;
	/* Join first: the cgroups must be entered while still root. */
	if (tr_cgroup_join(tenant, err) < 0)
		return tr_err_wrap(err, "isolate: tenant \"%s\"", tenant);
	if (tr_numa_bind(p->iso.numa_nodes, err) < 0)
		return tr_err_wrap(err, "isolate: tenant \"%s\"", tenant);
	tr_isolate_seccomp_opts(p, &sopts);
	if (tr_privs_drop(&p->iso, &sopts, err) < 0)
		return tr_err_wrap(err, "isolate: tenant \"%s\"", tenant);
	return 0;
}

int tr_isolate_tenant_teardown(const char *tenant, struct tr_error *err)
{
	if (tr_cgroup_remove(tenant, err) < 0)
		return tr_err_wrap(err, "isolate: tenant \"%s\"", tenant);
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
