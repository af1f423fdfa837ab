/* SPDX-License-Identifier: BSD-3-Clause */
#include "config/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/layout.h"

uint64_t tr_tenant_prealloc_mb(const struct tr_tenant *t)
{
	if (t->memory.has_total)
		return t->memory.total_mb;
	/* Saturating: a sum that would wrap is refused by validation
	 * (rules_iso.c), and until then it must not look small. */
	uint64_t sum = 0;
	for (unsigned i = 0; i < t->memory.n_socket; i++)
		sum = t->memory.socket_mb[i] > UINT64_MAX - sum ? UINT64_MAX
								: sum + t->memory.socket_mb[i];
	return sum;
}

const char *tr_ro_path(unsigned bit)
{
	switch (bit) {
	case TR_RO_ROOT: return "/";
	case TR_RO_PROC_SYS: return "/proc/sys";
	case TR_RO_SYS: return "/sys";
	case TR_RO_CGROUP: return "/sys/fs/cgroup";
	default: return "?";
	}
}

uint64_t tr_tenant_limit_mb(const struct tr_tenant *t)
{
	return t->memory.has_limit ? t->memory.limit_mb
				   : tr_tenant_prealloc_mb(t);
}

const struct tr_cpuset *tr_tenant_cpus(const struct tr_config *cfg,
				       const struct tr_host_facts *facts,
				       const struct tr_tenant *t)
{
	if (t->has_cpus)
		return &t->cpus;
	if (cfg->host.has_cpus)
		return &cfg->host.cpus;
	return &facts->online;
}

const struct tr_tenant *tr_config_find(const struct tr_config *cfg,
				       const char *name)
{
	for (unsigned i = 0; i < cfg->n_tenants; i++)
		if (strcmp(cfg->tenants[i].name, name) == 0)
			return &cfg->tenants[i];
	return NULL;
}

void tr_tenant_defaults(struct tr_tenant *t)
{
	t->cpu_policy = TR_CPU_EXCLUSIVE;
	t->lcores.per_primary = 2;
	t->lcores.per_secondary = 2;
	t->security.seccomp = TR_SECCOMP_DEFAULT;
	t->datapath.mode = TR_DP_MODE_DISTRIBUTE;
	t->datapath.burst = TR_DP_BURST_DEFAULT;
	t->datapath.ring_size = TR_DP_RING_DEFAULT;
	t->datapath.queues = 0;
}

void tr_host_defaults(struct tr_host *h)
{
	h->page_size = TR_PAGE_2M;
	/* runtime_root / hugepage_dir stay NULL: readers use the accessors
	 * below so defaults live in one place. */
}

void tr_tenant_free(struct tr_tenant *t)
{
	for (unsigned n = 0; n < t->n_nics; n++) {
		free(t->nics[n].spec);
		free(t->nics[n].from_env);
	}
	free(t->user.user);
	free(t->user.group);
	for (unsigned g = 0; g < t->user.n_supp; g++)
		free(t->user.supp_names[g]);
	free(t->security.seccomp_profile);
	for (unsigned e = 0; e < t->n_eal; e++)
		free(t->eal[e]);
	memset(t, 0, sizeof(*t));
}

void tr_config_free(struct tr_config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->file);
	free(cfg->host.runtime_root);
	free(cfg->host.hugepage_dir);
	for (unsigned i = 0; i < cfg->n_tenants; i++)
		tr_tenant_free(&cfg->tenants[i]);
	memset(cfg, 0, sizeof(*cfg));
}

const char *tr_host_runtime_root(const struct tr_host *h)
{
	return h->runtime_root ? h->runtime_root : TR_DEFAULT_RUNTIME_ROOT;
}

const char *tr_host_hugepage_dir(const struct tr_host *h, char *buf, size_t len)
{
	if (h->hugepage_dir)
		return h->hugepage_dir;
	snprintf(buf, len, "%s/" TR_DEFAULT_HUGEPAGE_SUBDIR, tr_host_runtime_root(h));
	return buf;
}
