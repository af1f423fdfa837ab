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

uint64_t tr_tenant_pids_max(const struct tr_tenant *t)
{
	return t->limits.has_pids ? t->limits.pids
				  : 256 + 32 * (uint64_t)t->group.max_secondaries;
}

uint64_t tr_tenant_memory_max_mb(const struct tr_tenant *t)
{
	return t->limits.has_memory ? t->limits.memory_mb
				    : 512 + 64 * (uint64_t)t->group.max_secondaries;
}

bool tr_env_reserved(const char *name)
{
	return strcmp(name, TR_ENV_RUNTIME_DIRECTORY) == 0 ||
	       strncmp(name, "TENANTRT_", 9) == 0;
}

bool tr_env_pass_matches(const char *pattern, const char *name)
{
	size_t n = strlen(pattern);
	if (n > 0 && pattern[n - 1] == '*')
		return strncmp(pattern, name, n - 1) == 0;
	return strcmp(pattern, name) == 0;
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
	t->health.startup = TR_HEALTH_STARTUP_DEFAULT;
	t->health.stall = TR_HEALTH_STALL_DEFAULT;
}

void tr_host_defaults(struct tr_host *h)
{
	h->page_size = TR_PAGE_2M;
	/* runtime_root / hugepage_dir stay NULL: readers use the accessors
	 * below so defaults live in one place. */
}

int tr_nic_policy_copy(struct tr_nic_policy *dst, const struct tr_nic_policy *src)
{
	memset(dst, 0, sizeof(*dst));
	bool bad = false;
	if (src->driver)
		bad |= (dst->driver = strdup(src->driver)) == NULL;
	if (src->pf)
		bad |= (dst->pf = strdup(src->pf)) == NULL;
	for (unsigned i = 0; i < src->n_allow && i < TR_MAX_NICS; i++) {
		dst->allow[i] = strdup(src->allow[i]);
		bad |= dst->allow[i] == NULL;
		dst->n_allow++;
	}
	if (bad) {
		tr_nic_policy_free(dst);
		return -1;
	}
	return 0;
}

void tr_nic_policy_free(struct tr_nic_policy *p)
{
	free(p->driver);
	free(p->pf);
	for (unsigned i = 0; i < p->n_allow; i++)
		free(p->allow[i]);
	memset(p, 0, sizeof(*p));
}

void tr_tenant_free(struct tr_tenant *t)
{
	for (unsigned n = 0; n < t->n_nics; n++) {
		free(t->nics[n].spec);
		free(t->nics[n].from_env);
		tr_nic_policy_free(&t->nics[n].policy);
	}
	free(t->user.user);
	free(t->user.group);
	for (unsigned g = 0; g < t->user.n_supp; g++)
		free(t->user.supp_names[g]);
	free(t->security.seccomp_profile);
	for (unsigned e = 0; e < t->n_eal; e++)
		free(t->eal[e]);
	for (unsigned e = 0; e < t->env.n_pass; e++)
		free(t->env.pass[e]);
	for (unsigned e = 0; e < t->env.n_set; e++) {
		free(t->env.set_key[e]);
		free(t->env.set_val[e]);
	}
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
	tr_config_clear(cfg);
}

void tr_config_clear(struct tr_config *cfg)
{
	memset(cfg, 0, offsetof(struct tr_config, tenants));
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
