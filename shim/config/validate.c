/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 3, validate: whole-file rules on a parsed, resolved config against
 * the host's facts. Pure: no syscalls, no allocation beyond diagnostics.
 *
 * Every rule is a function over the whole config (so it can name the other
 * tenant in a conflict); they run in the order of `rules` below and each
 * reports every problem it sees, at the offending node's mark.
 */
#include "config/validate.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/cleanup.h"
#include "config/rules_iso.h"
#include "config/netnics.h"
#include "config/placement.h"

/* sun_path of struct sockaddr_un holds 108 bytes, the NUL included. */
#define TR_SUN_PATH_MAX 108
/*
 * A secondary's mp socket is "<runtime dir>/mp_socket_<pid>_<tsc in hex>"
 * (22.11 eal_common_proc.c): pid up to 7 digits (pid_max is at most
 * 4194304), the TSC up to 16 hex digits.
 */
#define TR_MP_SOCKET_TAIL_MAX (sizeof("/mp_socket_") - 1 + 7 + 1 + 16)

struct vctx {
	const struct tr_config *cfg;
	const struct tr_host_facts *facts;
	struct tr_diags *d;
	const struct tr_cpuset *host_cpus; /* host.cpus, or online */
	uint64_t page_mb;                  /* configured hugepage size in MiB */
	uint64_t pool_pages;
};

static struct tr_mark mark_or(struct tr_mark a, struct tr_mark b)
{
	return a.line ? a : b;
}

static const char *page_name(enum tr_page_size s)
{
	return s == TR_PAGE_1G ? "1G" : "2M";
}

/* a \ b as "cpu 4 is" / "cpus 4-5 are" into buf; returns whether it is
 * non-empty. */
static const char *cpus_phrase(const struct tr_cpuset *set, char *buf,
			       size_t len);

static bool cpus_minus(const struct tr_cpuset *a, const struct tr_cpuset *b,
		       char *buf, size_t len)
{
	struct tr_cpuset diff;
	for (size_t i = 0; i < TR_MAX_CPUS / 64; i++)
		diff.w[i] = a->w[i] & ~b->w[i];
	cpus_phrase(&diff, buf, len);
	return !tr_cpuset_empty(&diff);
}

/* "cpu 4 is" or "cpus 2-3 are", for messages about a set. */
static const char *cpus_phrase(const struct tr_cpuset *set, char *buf,
			       size_t len)
{
	char list[480];
	tr_cpuset_format(set, list, sizeof(list));
	if (tr_cpuset_count(set) == 1)
		snprintf(buf, len, "cpu %s is", list);
	else
		snprintf(buf, len, "cpus %s are", list);
	return buf;
}

/* --- names ---------------------------------------------------------------- */

/*
 * A tenant's name becomes its DPDK --file-prefix, its runtime and hugepage
 * directory names, and its cgroup names: 1..31 characters of [a-z0-9_-],
 * starting with a letter. Lower case only so that "Acme" and "acme" cannot
 * be two tenants whose directories collide on a case-insensitive tool or
 * in a Kubernetes object name; no '.' or '/' so it can never walk out of
 * a directory; no spaces so argv and logs stay unambiguous.
 */
bool tr_name_is_valid(const char *name, char *why, size_t why_len)
{
	size_t n = strlen(name);
	if (n == 0) {
		snprintf(why, why_len, "it is empty");
		return false;
	}
	if (n > TR_NAME_MAX - 1) {
		snprintf(why, why_len, "it is %zu characters, more than %d", n,
			 TR_NAME_MAX - 1);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_')
			continue;
		if (c >= 'A' && c <= 'Z')
			snprintf(why, why_len, "'%c' is upper case", c);
		else if (isprint(c))
			snprintf(why, why_len, "'%c' is not allowed", c);
		else
			snprintf(why, why_len, "byte 0x%02x is not allowed", c);
		return false;
	}
	if (!(name[0] >= 'a' && name[0] <= 'z')) {
		snprintf(why, why_len, "it must start with a letter");
		return false;
	}
	return true;
}

static void rule_names(struct vctx *v)
{
	const struct tr_config *cfg = v->cfg;
	size_t root_len = strlen(tr_host_runtime_root(&cfg->host));
	for (unsigned i = 0; i < cfg->n_tenants; i++) {
		const struct tr_tenant *t = &cfg->tenants[i];
		struct tr_mark at = mark_or(t->name_mark, t->mark);
		char why[128];
		if (!tr_name_is_valid(t->name, why, sizeof(why))) {
			tr_diag_err(v->d, at,
				    "tenant \"%s\": name is not usable as a DPDK file prefix and directory name: %s; use 1-%d of a-z 0-9 - _, starting with a letter",
				    t->name, why, TR_NAME_MAX - 1);
			continue;
		}
		for (unsigned j = 0; j < i; j++) {
			if (strcmp(cfg->tenants[j].name, t->name) == 0) {
				tr_diag_err(v->d, at,
					    "tenant \"%s\": name is already used by the tenant at line %u; tenant names must be unique",
					    t->name,
					    mark_or(cfg->tenants[j].name_mark,
						    cfg->tenants[j].mark).line);
				break;
			}
		}
		/* <root>/<name>/dpdk/<name> + the secondary's socket name */
		size_t len = root_len + 1 + strlen(t->name) + sizeof("/dpdk/") -
			     1 + strlen(t->name) + TR_MP_SOCKET_TAIL_MAX;
		if (len > TR_SUN_PATH_MAX - 1)
			tr_diag_err(v->d, at,
				    "tenant \"%s\": DPDK's socket path %s/%s/dpdk/%s/mp_socket_<pid>_<tsc> can reach %zu bytes, more than the %d a UNIX socket path holds; shorten host.runtimeRoot or the name",
				    t->name, tr_host_runtime_root(&cfg->host),
				    t->name, t->name, len, TR_SUN_PATH_MAX - 1);
	}
}

/* --- host ------------------------------------------------------------------ */

static void rule_host(struct vctx *v)
{
	const struct tr_host *h = &v->cfg->host;
	char buf[512];
	if (h->has_cpus && cpus_minus(&h->cpus, &v->facts->online, buf, sizeof(buf))) {
		char online[512];
		tr_cpuset_format(&v->facts->online, online, sizeof(online));
		tr_diag_err(v->d, mark_or(h->cpus_mark, h->mark),
			    "host: %s not online (online: %s)", buf,
			    online);
	}
	if (v->pool_pages == 0) {
		if (h->page_size == TR_PAGE_1G)
			tr_diag_err(v->d, mark_or(h->page_size_mark, h->mark),
				    "host: no hugepages of 1G are reserved; reserve them at boot (kernel command line hugepagesz=1G hugepages=N) or with 'echo N > /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages'");
		else
			tr_diag_err(v->d, mark_or(h->page_size_mark, h->mark),
				    "host: no hugepages of 2M are reserved; reserve them with 'echo 1024 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages' (deploy/host/setup.sh does this)");
	}
}

/* --- NICs ------------------------------------------------------------------ */

/* "3b:02.0" or "0000:3B:02.0" -> "0000:3b:02.0" */
static void pci_normalise(const char *bdf, char *out, size_t len)
{
	char tmp[64];
	size_t colons = 0;
	for (const char *p = bdf; *p; p++)
		colons += *p == ':';
	snprintf(tmp, sizeof(tmp), "%s%s", colons == 1 ? "0000:" : "", bdf);
	size_t i;
	for (i = 0; tmp[i] && i + 1 < len; i++)
		out[i] = (char)tolower((unsigned char)tmp[i]);
	out[i] = '\0';
}

/* The device name of a vdev string: what precedes the first comma. */
static void vdev_name(const char *spec, char *out, size_t len)
{
	size_t n = strcspn(spec, ",");
	snprintf(out, len, "%.*s", (int)n, spec);
}

/*
 * The host network interfaces a vdev binds to: net_af_packet, net_tap and
 * net_af_xdp take "iface=", net_pcap "iface=", "rx_iface=", "rx_iface_in="
 * and "tx_iface=". Two tenants on one interface see each other's packets.
 * Calls fn for each; stops and returns true when fn does.
 */
static const char *const iface_keys[] = { "iface", "rx_iface", "rx_iface_in",
					  "tx_iface" };

static bool vdev_each_iface(const char *spec,
			    bool (*fn)(const char *iface, size_t n, void *arg),
			    void *arg)
{
	const char *p = strchr(spec, ',');
	while (p != NULL) {
		p++;
		size_t kv = strcspn(p, ",");
		const char *eq = memchr(p, '=', kv);
		if (eq != NULL) {
			size_t klen = (size_t)(eq - p);
			for (size_t k = 0; k < TR_ARRAY_SIZE(iface_keys); k++)
				if (strlen(iface_keys[k]) == klen &&
				    strncmp(p, iface_keys[k], klen) == 0 &&
				    fn(eq + 1, kv - klen - 1, arg))
					return true;
		}
		p = strchr(p, ',');
	}
	return false;
}

struct iface_match {
	const char *iface;
	size_t n;
};

static bool iface_equal(const char *iface, size_t n, void *arg)
{
	struct iface_match *m = arg;
	return n == m->n && strncmp(iface, m->iface, n) == 0;
}

struct iface_cmp {
	const char *other_spec;  /* look for our ifaces in this vdev */
	const char *found;
	size_t found_n;
};

static bool iface_in_other(const char *iface, size_t n, void *arg)
{
	struct iface_cmp *c = arg;
	struct iface_match m = { iface, n };
	if (n > 0 && vdev_each_iface(c->other_spec, iface_equal, &m)) {
		c->found = iface;
		c->found_n = n;
		return true;
	}
	return false;
}

static void nic_label(const struct tr_nic *n, char *buf, size_t len)
{
	if (n->kind == TR_NIC_PCI) {
		char bdf[64];
		pci_normalise(n->spec, bdf, sizeof(bdf));
		if (n->from_env)
			snprintf(buf, len, "%s (from $%s)", bdf, n->from_env);
		else
			snprintf(buf, len, "%s", bdf);
	} else {
		snprintf(buf, len, "%s", n->spec ? n->spec : "");
	}
}

/* Does NIC a of tenant ta collide with NIC b? Reports and returns true. */
static bool nic_collide(struct vctx *v, const struct tr_tenant *ta,
			const struct tr_nic *a, const struct tr_tenant *tb,
			const struct tr_nic *b)
{
	char la[160];
	nic_label(a, la, sizeof(la));
	bool same_tenant = ta == tb;
	if (a->kind == TR_NIC_PCI && b->kind == TR_NIC_PCI) {
		char x[64], y[64];
		pci_normalise(a->spec, x, sizeof(x));
		pci_normalise(b->spec, y, sizeof(y));
		if (strcmp(x, y) != 0)
			return false;
		if (same_tenant)
			tr_diag_err(v->d, a->mark,
				    "tenant \"%s\": NIC %s is listed twice (first at line %u)",
				    ta->name, la, b->mark.line);
		else
			tr_diag_err(v->d, a->mark,
				    "tenant \"%s\": NIC %s is already given to tenant \"%s\" (line %u)",
				    ta->name, la, tb->name, b->mark.line);
		return true;
	}
	if (a->kind != TR_NIC_VDEV || b->kind != TR_NIC_VDEV)
		return false;
	if (same_tenant) {
		/* vdev names are per process, so only a repeat within one
		 * tenant (one EAL instance) clashes. */
		char x[128], y[128];
		vdev_name(a->spec, x, sizeof(x));
		vdev_name(b->spec, y, sizeof(y));
		if (strcmp(x, y) == 0) {
			tr_diag_err(v->d, a->mark,
				    "tenant \"%s\": vdev name %s is used twice (first at line %u); DPDK needs a distinct name per device",
				    ta->name, x, b->mark.line);
			return true;
		}
	}
	struct iface_cmp c = { .other_spec = b->spec };
	if (!vdev_each_iface(a->spec, iface_in_other, &c))
		return false;
	if (same_tenant)
		tr_diag_err(v->d, a->mark,
			    "tenant \"%s\": NIC %s uses interface %.*s, which the NIC at line %u already uses",
			    ta->name, la, (int)c.found_n, c.found, b->mark.line);
	else
		tr_diag_err(v->d, a->mark,
			    "tenant \"%s\": NIC %s uses interface %.*s, already given to tenant \"%s\" (line %u)",
			    ta->name, la, (int)c.found_n, c.found, tb->name,
			    b->mark.line);
	return true;
}

static void rule_nics(struct vctx *v)
{
	const struct tr_config *cfg = v->cfg;
	for (unsigned i = 0; i < cfg->n_tenants; i++) {
		const struct tr_tenant *t = &cfg->tenants[i];
		for (unsigned n = 0; n < t->n_nics; n++) {
			const struct tr_nic *a = &t->nics[n];
			if (a->spec == NULL || a->kind == TR_NIC_ENV)
				continue;
			bool hit = false;
			/* the first holder wins: compare with everything
			 * before this NIC in file order */
			for (unsigned j = 0; j <= i && !hit; j++) {
				const struct tr_tenant *o = &cfg->tenants[j];
				unsigned end = j == i ? n : o->n_nics;
				for (unsigned m = 0; m < end && !hit; m++) {
					if (o->nics[m].spec == NULL)
						continue;
					hit = nic_collide(v, t, a, o, &o->nics[m]);
				}
			}
		}
	}
}

/* --- cpus and lcores ----------------------------------------------------- */

static struct tr_mark cpus_mark(const struct tr_tenant *t)
{
	return t->has_cpus ? mark_or(t->cpus_mark, t->mark)
			   : mark_or(t->name_mark, t->mark);
}

static void rule_cpus(struct vctx *v)
{
	const struct tr_config *cfg = v->cfg;
	char buf[512], hostbuf[512];
	tr_cpuset_format(v->host_cpus, hostbuf, sizeof(hostbuf));
	for (unsigned i = 0; i < cfg->n_tenants; i++) {
		const struct tr_tenant *t = &cfg->tenants[i];
		const struct tr_cpuset *mine = tr_tenant_cpus(cfg, v->facts, t);
		if (t->has_cpus && cpus_minus(&t->cpus, v->host_cpus, buf, sizeof(buf)))
			tr_diag_err(v->d, cpus_mark(t),
				    "tenant \"%s\": %s not among the host's usable cpus %s (%s)",
				    t->name, buf, hostbuf,
				    cfg->host.has_cpus ? "host.cpus" : "online");
		for (unsigned j = 0; j < i; j++) {
			const struct tr_tenant *o = &cfg->tenants[j];
			struct tr_cpuset both;
			if (!tr_cpuset_and(&both, mine, tr_tenant_cpus(cfg, v->facts, o)))
				continue;
			cpus_phrase(&both, buf, sizeof(buf));
			unsigned oline = cpus_mark(o).line;
			if (o->cpu_policy == TR_CPU_EXCLUSIVE)
				tr_diag_err(v->d, cpus_mark(t),
					    "tenant \"%s\": %s already given exclusively to tenant \"%s\" (line %u)",
					    t->name, buf, o->name, oline);
			else if (t->cpu_policy == TR_CPU_EXCLUSIVE)
				tr_diag_err(v->d, cpus_mark(t),
					    "tenant \"%s\": %s not exclusive: tenant \"%s\" (line %u) also runs there",
					    t->name, buf, o->name, oline);
			else
				tr_diag_warn(v->d, cpus_mark(t),
					     "tenant \"%s\": %s shared with tenant \"%s\" (line %u); both poll, so each gets only part of it",
					     t->name, buf, o->name, oline);
		}
	}
}

static void rule_lcores(struct vctx *v)
{
	const struct tr_config *cfg = v->cfg;
	char buf[512], own[512];
	for (unsigned i = 0; i < cfg->n_tenants; i++) {
		const struct tr_tenant *t = &cfg->tenants[i];
		const struct tr_lcores *l = &t->lcores;
		struct tr_mark at = mark_or(l->mark, mark_or(t->name_mark, t->mark));
		const struct tr_cpuset *mine = tr_tenant_cpus(cfg, v->facts, t);
		tr_cpuset_format(mine, own, sizeof(own));
		if (l->per_primary == 0)
			tr_diag_err(v->d, at,
				    "tenant \"%s\": lcores.perPrimary is 0; the primary needs at least its main lcore",
				    t->name);
		if (l->per_secondary == 0 && t->group.max_secondaries > 0)
			tr_diag_err(v->d, at,
				    "tenant \"%s\": lcores.perSecondary is 0 but group.maxSecondaries is %u; each secondary needs at least its main lcore",
				    t->name, t->group.max_secondaries);
		if (l->per_primary > TR_MAX_MEMBER_LCORES)
			tr_diag_err(v->d, at,
				    "tenant \"%s\": lcores.perPrimary %u is more than the %d lcores one member may have",
				    t->name, l->per_primary, TR_MAX_MEMBER_LCORES);
		if (l->per_secondary > TR_MAX_MEMBER_LCORES)
			tr_diag_err(v->d, at,
				    "tenant \"%s\": lcores.perSecondary %u is more than the %d lcores one member may have",
				    t->name, l->per_secondary, TR_MAX_MEMBER_LCORES);
		uint64_t ids = (uint64_t)l->per_primary +
			       (uint64_t)t->group.max_secondaries * l->per_secondary;
		if (ids > v->facts->max_lcore)
			tr_diag_err(v->d, at,
				    "tenant \"%s\": the group needs %" PRIu64 " lcore ids (perPrimary %u + maxSecondaries %u x perSecondary %u), more than DPDK's RTE_MAX_LCORE %u",
				    t->name, ids, l->per_primary,
				    t->group.max_secondaries, l->per_secondary,
				    v->facts->max_lcore);
		if (l->has_primary_cpus &&
		    cpus_minus(&l->primary_cpus, mine, buf, sizeof(buf)))
			tr_diag_err(v->d, at,
				    "tenant \"%s\": lcores.primaryCpus: %s not among the tenant's cpus %s",
				    t->name, buf, own);
		if (l->has_secondary_cpus &&
		    cpus_minus(&l->secondary_cpus, mine, buf, sizeof(buf)))
			tr_diag_err(v->d, at,
				    "tenant \"%s\": lcores.secondaryCpus: %s not among the tenant's cpus %s",
				    t->name, buf, own);
	}
}

/*
 * Lcores of different members that must share a cpu (config/placement.c
 * deals them): DPDK lcores busy-poll, so the members take cpu time from
 * each other. Legal, and sometimes meant (control lcores that sleep), so a
 * warning, one per tenant.
 */
static void rule_placement(struct vctx *v)
{
	const struct tr_config *cfg = v->cfg;
	for (unsigned i = 0; i < cfg->n_tenants; i++) {
		const struct tr_tenant *t = &cfg->tenants[i];
		const struct tr_lcores *l = &t->lcores;
		const struct tr_cpuset *mine = tr_tenant_cpus(cfg, v->facts, t);
		struct tr_sharing sh;
		/* lcores that rule_lcores refused are not placed */
		uint64_t ids = (uint64_t)l->per_primary +
			       (uint64_t)t->group.max_secondaries * l->per_secondary;
		if (ids > v->facts->max_lcore ||
		    (l->has_primary_cpus && !tr_cpuset_subset(&l->primary_cpus, mine)) ||
		    (l->has_secondary_cpus && !tr_cpuset_subset(&l->secondary_cpus, mine)) ||
		    !tr_place_sharing(t, mine, &sh))
			continue;
		char per[96], used[256], shared[256];
		snprintf(per, sizeof(per), "perPrimary %u + %u x perSecondary %u",
			 l->per_primary, t->group.max_secondaries, l->per_secondary);
		tr_cpuset_format(&sh.used, used, sizeof(used));
		tr_cpuset_format(&sh.shared, shared, sizeof(shared));
		unsigned n = tr_cpuset_count(&sh.used);
		tr_diag_warn(v->d, mark_or(l->mark, cpus_mark(t)),
			     "tenant \"%s\": its %u members' %u lcores (%s) get %u cpu%s (%s): lcores of different members share cpu%s %s, up to %u on one%s; each gets part of a cpu; give the tenant more cpus or fewer lcores",
			     t->name, 1 + t->group.max_secondaries, sh.lcores, per, n,
			     n == 1 ? "" : "s", used,
			     tr_cpuset_count(&sh.shared) == 1 ? "" : "s", shared, sh.most,
			     sh.mains_share ? ", their main lcores too" : "");
	}
}

/* --- memory ---------------------------------------------------------------- */

static void rule_memory(struct vctx *v)
{
	const struct tr_config *cfg = v->cfg;
	const char *pg = page_name(cfg->host.page_size);
	uint64_t pool_mb = v->pool_pages * v->page_mb;
	uint64_t sum = 0;
	bool sum_reported = false;
	for (unsigned i = 0; i < cfg->n_tenants; i++) {
		const struct tr_tenant *t = &cfg->tenants[i];
		const struct tr_memory *m = &t->memory;
		struct tr_mark tmark = mark_or(t->name_mark, t->mark);
		struct tr_mark mmark = mark_or(m->mark, tmark);
		if (!m->has_total && !m->has_socket) {
			tr_diag_err(v->d, mmark,
				    "tenant \"%s\": memory is required: set memory.totalMb (EAL -m) or memory.socketMb (--socket-mem)",
				    t->name);
			continue;
		}
		if (m->has_total && m->has_socket)
			tr_diag_err(v->d, mark_or(m->socket_mark, mmark),
				    "tenant \"%s\": memory.totalMb and memory.socketMb exclude each other (EAL -m and --socket-mem); keep one",
				    t->name);
		if (m->has_total && m->total_mb % v->page_mb)
			tr_diag_err(v->d, mark_or(m->total_mark, mmark),
				    "tenant \"%s\": memory.totalMb %" PRIu64 " is not a whole number of %s hugepages",
				    t->name, m->total_mb, pg);
		if (m->has_socket) {
			for (unsigned n = 0; n < m->n_socket; n++)
				if (m->socket_mb[n] % v->page_mb) {
					tr_diag_err(v->d, mark_or(m->socket_mark, mmark),
						    "tenant \"%s\": memory.socketMb %" PRIu64 " for NUMA node %u is not a whole number of %s hugepages",
						    t->name, m->socket_mb[n], n, pg);
					break;
				}
			if (m->n_socket > v->facts->numa_nodes)
				tr_diag_err(v->d, mark_or(m->socket_mark, mmark),
					    "tenant \"%s\": memory.socketMb has %u entries but the host has %u NUMA node%s; give one entry per node",
					    t->name, m->n_socket, v->facts->numa_nodes,
					    v->facts->numa_nodes == 1 ? "" : "s");
		}
		uint64_t pre = tr_tenant_prealloc_mb(t);
		uint64_t lim = tr_tenant_limit_mb(t);
		if (m->has_limit && m->limit_mb % v->page_mb)
			tr_diag_err(v->d, mark_or(m->limit_mark, mmark),
				    "tenant \"%s\": memory.limitMb %" PRIu64 " is not a whole number of %s hugepages",
				    t->name, m->limit_mb, pg);
		if (m->has_limit && m->limit_mb < pre)
			tr_diag_err(v->d, mark_or(m->limit_mark, mmark),
				    "tenant \"%s\": memory.limitMb %" PRIu64 " is below the pre-allocation of %" PRIu64 " MiB; EAL would fail to start",
				    t->name, m->limit_mb, pre);
		if (lim == 0)
			tr_diag_err(v->d, mmark,
				    "tenant \"%s\": memory adds up to 0 MiB; a DPDK process needs hugepages",
				    t->name);
		struct tr_mark lmark = m->has_limit ? mark_or(m->limit_mark, mmark)
			: m->has_total ? mark_or(m->total_mark, mmark)
				       : mark_or(m->socket_mark, mmark);
		/* A host without pages was reported once under host:. */
		if (v->pool_pages == 0)
			continue;
		if (lim > pool_mb)
			tr_diag_err(v->d, lmark,
				    "tenant \"%s\": memory limit %" PRIu64 " MiB is more than the pool: host has %" PRIu64 " hugepages of %s (%" PRIu64 " MiB)",
				    t->name, lim, v->pool_pages, pg, pool_mb);
		/* One over the pool on its own is reported above and left out
		 * of the sum, so the sum names a real shortage of the rest. */
		if (lim > pool_mb)
			continue;
		sum += lim;
		if (!sum_reported && sum > pool_mb) {
			tr_diag_err(v->d, lmark,
				    "tenant \"%s\": with this one the tenants' memory limits add up to %" PRIu64 " MiB, more than the pool: host has %" PRIu64 " hugepages of %s (%" PRIu64 " MiB)",
				    t->name, sum, v->pool_pages, pg, pool_mb);
			sum_reported = true;
		}
	}
}

/* socketMb on a node where none of the tenant's cpus are: every access
 * crosses the interconnect. Legal, so a warning. */
static void rule_numa_locality(struct vctx *v)
{
	const struct tr_config *cfg = v->cfg;
	for (unsigned i = 0; i < cfg->n_tenants; i++) {
		const struct tr_tenant *t = &cfg->tenants[i];
		const struct tr_memory *m = &t->memory;
		if (!m->has_socket)
			continue;
		const struct tr_cpuset *mine = tr_tenant_cpus(cfg, v->facts, t);
		for (unsigned n = 0; n < m->n_socket && n < v->facts->numa_nodes; n++) {
			if (m->socket_mb[n] == 0)
				continue;
			bool local = false;
			for (unsigned c = 0; c < TR_MAX_CPUS && !local; c++)
				local = tr_cpuset_isset(mine, c) &&
					v->facts->cpu_node[c] == n;
			if (local)
				continue;
			char buf[512];
			tr_cpuset_format(mine, buf, sizeof(buf));
			tr_diag_warn(v->d, mark_or(m->socket_mark, mark_or(m->mark, t->mark)),
				     "tenant \"%s\": memory.socketMb puts %" PRIu64 " MiB on NUMA node %u, where none of its cpus (%s) are; every access crosses nodes",
				     t->name, m->socket_mb[n], n, buf);
		}
	}
}

/* --- eal arguments ------------------------------------------------------- */

enum { ARG_NONE = 0, ARG_REQUIRED = 1, ARG_OPTIONAL = 2 };

/*
 * DPDK 22.11's EAL options (eal_common_options.c), so a tenant's `eal`
 * list and the EAL options a user puts on the command line are read the
 * way getopt_long will read them: abbreviations, "=value", separate
 * values, bundled short options. `refused` says why tenantrt keeps an
 * option for itself (NULL: the tenant may use it); `key` is the setting
 * of tenants.yaml that owns it, or NULL when nothing may set it, and then
 * `what` says what tenantrt sets it to.
 */
struct eal_opt {
	const char *name; /* long name, or NULL */
	char shrt;        /* short letter, or 0 */
	int has_arg;
	const char *refused;
	const char *key;
	const char *what;
};

#define R_LCORES "tenantrt maps each member's own lcore ids onto the tenant's cpus (lcores, cpus)"
#define R_DEVICES "tenantrt builds every member's device list from nics"
#define K_LCORES "lcores.perPrimary/perSecondary and cpus"
#define K_MEMORY "memory.totalMb/socketMb"

static const struct eal_opt eal_opts[] = {
	{ "allow", 'a', ARG_REQUIRED, R_DEVICES, "nics", NULL },
	{ "block", 'b', ARG_REQUIRED, R_DEVICES, "nics", NULL },
	{ NULL, 'c', ARG_REQUIRED, R_LCORES, K_LCORES, NULL },
	{ NULL, 's', ARG_REQUIRED, R_LCORES, K_LCORES, NULL },
	{ NULL, 'S', ARG_REQUIRED, R_LCORES, K_LCORES, NULL },
	{ NULL, 'd', ARG_REQUIRED, NULL, NULL, NULL },
	{ "help", 'h', ARG_NONE, NULL, NULL, NULL },
	{ NULL, 'l', ARG_REQUIRED, R_LCORES, K_LCORES, NULL },
	{ NULL, 'm', ARG_REQUIRED, "tenantrt plans memory from memory.totalMb", K_MEMORY, NULL },
	{ NULL, 'n', ARG_REQUIRED, NULL, NULL, NULL },
	{ NULL, 'r', ARG_REQUIRED, NULL, NULL, NULL },
	{ NULL, 'v', ARG_NONE, NULL, NULL, NULL },
	{ "base-virtaddr", 0, ARG_REQUIRED, NULL, NULL, NULL },
	{ "create-uio-dev", 0, ARG_NONE, NULL, NULL, NULL },
	{ "file-prefix", 0, ARG_REQUIRED, "tenantrt sets it to the tenant's name", NULL, "the tenant's name" },
	{ "huge-dir", 0, ARG_REQUIRED, "tenantrt gives each tenant its own hugepage dir", NULL, "the tenant's own hugepage dir" },
	{ "huge-unlink", 0, ARG_OPTIONAL, "secondaries cannot map unlinked hugepage files, and tenantrt reaps the tenant's files by name", NULL, "secondaries map the hugepage files by name" },
	{ "iova-mode", 0, ARG_REQUIRED, NULL, NULL, NULL },
	{ "lcores", 0, ARG_REQUIRED, R_LCORES, K_LCORES, NULL },
	{ "log-level", 0, ARG_REQUIRED, NULL, NULL, NULL },
	{ "trace", 0, ARG_REQUIRED, NULL, NULL, NULL },
	{ "trace-dir", 0, ARG_REQUIRED, NULL, NULL, NULL },
	{ "trace-bufsz", 0, ARG_REQUIRED, NULL, NULL, NULL },
	{ "trace-mode", 0, ARG_REQUIRED, NULL, NULL, NULL },
	/* The main lcore is the lowest enabled lcore id (eal_adjust_config),
	 * i.e. each member's first planned id; one fixed value cannot be
	 * right for every member of a group. */
	{ "main-lcore", 0, ARG_REQUIRED, "the main lcore is each member's first planned lcore id, different for each member", K_LCORES, NULL },
	{ "mbuf-pool-ops-name", 0, ARG_REQUIRED, NULL, NULL, NULL },
	{ "no-hpet", 0, ARG_NONE, NULL, NULL, NULL },
	{ "no-huge", 0, ARG_NONE, "its memory escapes the tenant's hugepage quota and secondaries cannot join", NULL, "the tenant's memory is hugepages within its quota" },
	{ "no-pci", 0, ARG_NONE, "tenantrt adds it when the tenant has no PCI NIC", "nics", NULL },
	{ "no-shconf", 0, ARG_NONE, "without a shared config secondaries cannot join and tenantrt cannot see the tenant", NULL, "secondaries and tenantrt read the shared config" },
	{ "in-memory", 0, ARG_NONE, "it takes hugepages through memfd, past the tenant's hugetlbfs quota", NULL, "the tenant's memory is its own hugetlbfs, within its quota" },
	{ "proc-type", 0, ARG_REQUIRED, "tenantrt sets each member's role", NULL, "the member's role: tenantrt-shim --role" },
	{ "socket-mem", 0, ARG_REQUIRED, "tenantrt plans memory from memory.socketMb", K_MEMORY, NULL },
	{ "socket-limit", 0, ARG_REQUIRED, "tenantrt sets it from memory.limitMb", "memory.limitMb", NULL },
	{ "syslog", 0, ARG_REQUIRED, NULL, NULL, NULL },
	{ "vdev", 0, ARG_REQUIRED, "list virtual devices under nics, so every member gets the same list", "nics", NULL },
	{ "vfio-intr", 0, ARG_REQUIRED, NULL, NULL, NULL },
	{ "vfio-vf-token", 0, ARG_REQUIRED, NULL, NULL, NULL },
	{ "vmware-tsc-map", 0, ARG_NONE, NULL, NULL, NULL },
	{ "legacy-mem", 0, ARG_NONE, "it grabs every free hugepage; tenantrt plans memory", NULL, "memory is planned from the tenant's quota" },
	{ "single-file-segments", 0, ARG_NONE, "set group.singleFileSegments, so every member of the group agrees", "group.singleFileSegments", NULL },
	{ "match-allocations", 0, ARG_NONE, NULL, NULL, NULL },
	{ "telemetry", 0, ARG_NONE, NULL, NULL, NULL },
	{ "no-telemetry", 0, ARG_NONE, NULL, NULL, NULL },
	{ "force-max-simd-bitwidth", 0, ARG_REQUIRED, NULL, NULL, NULL },
	{ "huge-worker-stack", 0, ARG_OPTIONAL, NULL, NULL, NULL },
};

/* The refused ones, as "--name" / "-x", for the plan and tests. */
const char *const tr_owned_eal_options[] = {
	"-a", "--allow", "-b", "--block", "-c", "-s", "-S", "-l", "--lcores",
	"-m", "--file-prefix", "--huge-dir", "--huge-unlink", "--main-lcore",
	"--no-huge", "--no-pci", "--no-shconf", "--in-memory", "--proc-type",
	"--socket-mem", "--socket-limit", "--vdev", "--legacy-mem",
	"--single-file-segments", NULL
};

static const struct eal_opt *eal_short(char c)
{
	for (size_t i = 0; i < TR_ARRAY_SIZE(eal_opts); i++)
		if (eal_opts[i].shrt == c)
			return &eal_opts[i];
	return NULL;
}

/* How one argument of an EAL option list reads (getopt_long's way). */
enum eal_verdict {
	EAL_OK,          /* an option the tenant may use */
	EAL_OWNED,       /* an option tenantrt keeps for itself */
	EAL_UNKNOWN,     /* not a 22.11 EAL option (short: the letter) */
	EAL_AMBIGUOUS,   /* an abbreviation of several */
	EAL_NO_VALUE,    /* --opt=value for an option without a value */
	EAL_NEEDS_VALUE, /* the value is missing */
	EAL_NOT_OPTION,  /* does not start with - */
	EAL_END,         /* "--" */
};

struct eal_read {
	enum eal_verdict v;
	const struct eal_opt *opt;
	char letter;          /* EAL_UNKNOWN of a short option */
	bool is_short;        /* written as -x */
	bool abbreviated;     /* an abbreviated long or a bundled short one */
	unsigned consumed;    /* entries after it that were its value */
	char cands[256];      /* EAL_AMBIGUOUS: the candidates */
};

static void eal_read_long(char *const *args, unsigned n, unsigned i, struct eal_read *r)
{
	const char *arg = args[i] + 2;
	size_t len = strcspn(arg, "=");
	bool has_eq = arg[len] == '=';
	const struct eal_opt *exact = NULL, *first = NULL;
	unsigned matches = 0;
	size_t cl = 0;
	for (size_t k = 0; k < TR_ARRAY_SIZE(eal_opts); k++) {
		const struct eal_opt *o = &eal_opts[k];
		if (!o->name || strncmp(o->name, arg, len) != 0)
			continue;
		if (strlen(o->name) == len) {
			exact = o;
			break;
		}
		if (!first)
			first = o;
		matches++;
		int w = snprintf(r->cands + cl, sizeof(r->cands) - cl, "%s--%s",
				 cl ? ", " : "", o->name);
		if (w > 0 && (size_t)w < sizeof(r->cands) - cl)
			cl += (size_t)w;
	}
	const struct eal_opt *o = exact ? exact : matches == 1 ? first : NULL;
	if (o == NULL) {
		r->v = matches > 1 ? EAL_AMBIGUOUS : EAL_UNKNOWN;
		return;
	}
	r->opt = o;
	r->abbreviated = exact == NULL;
	if (o->refused) {
		r->v = EAL_OWNED;
		r->consumed = o->has_arg == ARG_REQUIRED && !has_eq && i + 1 < n;
	} else if (o->has_arg == ARG_NONE && has_eq) {
		r->v = EAL_NO_VALUE;
	} else if (o->has_arg == ARG_REQUIRED && !has_eq) {
		r->v = i + 1 < n ? EAL_OK : EAL_NEEDS_VALUE;
		r->consumed = i + 1 < n;
	}
}

/* "-x", "-xVALUE", "-vx VALUE": getopt's bundled short options. */
static void eal_read_short(char *const *args, unsigned n, unsigned i, struct eal_read *r)
{
	const char *arg = args[i];
	for (size_t p = 1; arg[p]; p++) {
		const struct eal_opt *o = eal_short(arg[p]);
		if (o == NULL) {
			r->v = EAL_UNKNOWN;
			r->letter = arg[p];
			return;
		}
		r->opt = o;
		r->is_short = true;
		r->abbreviated = p > 1;
		bool last = arg[p + 1] == '\0';
		if (o->refused) {
			r->v = EAL_OWNED;
			r->consumed = o->has_arg == ARG_REQUIRED && last && i + 1 < n;
			return;
		}
		if (o->has_arg == ARG_REQUIRED) {
			if (last && i + 1 >= n)
				r->v = EAL_NEEDS_VALUE;
			r->consumed = last && i + 1 < n;
			return;
		}
	}
}

/* args[i] of an EAL option list of n entries. */
static void eal_read(char *const *args, unsigned n, unsigned i, struct eal_read *r)
{
	*r = (struct eal_read){ .v = EAL_OK };
	const char *arg = args[i];
	if (strcmp(arg, "--") == 0)
		r->v = EAL_END;
	else if (strncmp(arg, "--", 2) == 0)
		eal_read_long(args, n, i, r);
	else if (arg[0] == '-' && arg[1] != '\0')
		eal_read_short(args, n, i, r);
	else
		r->v = EAL_NOT_OPTION;
}

/* "--name" or "-x" of an option (-x when written so and short_form). */
static void eal_opt_name(const struct eal_read *r, bool short_form, char *buf, size_t len)
{
	if (r->opt->name && !(short_form && r->is_short))
		snprintf(buf, len, "--%s", r->opt->name);
	else
		snprintf(buf, len, "-%c", r->opt->shrt);
}

static void rule_eal(struct vctx *v)
{
	const struct tr_config *cfg = v->cfg;
	for (unsigned i = 0; i < cfg->n_tenants; i++) {
		const struct tr_tenant *t = &cfg->tenants[i];
		for (unsigned e = 0; e < t->n_eal; e++) {
			const char *arg = t->eal[e];
			struct tr_mark at = t->eal_marks[e];
			struct eal_read r;
			char name[64] = "";
			if (arg == NULL)
				continue;
			eal_read(t->eal, t->n_eal, e, &r);
			if (r.opt)
				eal_opt_name(&r, false, name, sizeof(name));
			switch (r.v) {
			case EAL_OK:
				break;
			case EAL_OWNED:
				/* Say which option was meant when it was
				 * abbreviated, bundled or written short. */
				if (strncmp(arg, name, strlen(name)) != 0 ||
				    (arg[strlen(name)] != '\0' && arg[strlen(name)] != '=' &&
				     r.opt->name))
					tr_diag_err(v->d, at,
						    "tenant \"%s\": eal argument \"%s\" (%s) is refused: %s",
						    t->name, arg, name, r.opt->refused);
				else
					tr_diag_err(v->d, at,
						    "tenant \"%s\": eal argument \"%s\" is refused: %s",
						    t->name, arg, r.opt->refused);
				break;
			case EAL_UNKNOWN:
				if (r.letter)
					tr_diag_err(v->d, at,
						    "tenant \"%s\": eal argument \"%s\": -%c is not a DPDK 22.11 EAL option",
						    t->name, arg, r.letter);
				else
					tr_diag_err(v->d, at,
						    "tenant \"%s\": eal argument \"%s\" is not a DPDK 22.11 EAL option",
						    t->name, arg);
				break;
			case EAL_AMBIGUOUS:
				tr_diag_err(v->d, at,
					    "tenant \"%s\": eal argument \"%s\" is ambiguous (%s); write the option in full",
					    t->name, arg, r.cands);
				break;
			case EAL_NO_VALUE:
				tr_diag_err(v->d, at,
					    "tenant \"%s\": eal argument \"%s\": %s takes no value",
					    t->name, arg, name);
				break;
			case EAL_NEEDS_VALUE:
				tr_diag_err(v->d, at,
					    "tenant \"%s\": eal argument \"%s\" needs a value",
					    t->name, arg);
				break;
			case EAL_NOT_OPTION:
				tr_diag_err(v->d, at,
					    "tenant \"%s\": eal argument \"%s\" is not an option (EAL options start with -); app arguments go after -- on the command line",
					    t->name, arg);
				break;
			case EAL_END:
				tr_diag_err(v->d, at,
					    "tenant \"%s\": eal argument \"--\" would end the EAL arguments; app arguments go after -- on the command line",
					    t->name);
				break;
			}
			e += r.consumed;
		}
	}
}

/*
 * The EAL options a user writes on the command line, APP [EAL options] --
 * [app options]: the same table, refusals in one line naming the setting
 * that owns the option (EX_USAGE).
 */
int tr_eal_user_args_check(char *const *args, unsigned n, struct tr_error *err)
{
	for (unsigned i = 0; i < n; i++) {
		const char *arg = args[i];
		struct eal_read r;
		char name[64] = "", as[128] = "";
		eal_read(args, n, i, &r);
		if (r.opt)
			eal_opt_name(&r, true, name, sizeof(name));
		if (r.abbreviated)
			snprintf(as, sizeof(as), "\"%s\" (%s)", arg, name);
		else
			snprintf(as, sizeof(as), "%s", name);
		switch (r.v) {
		case EAL_OK:
			break;
		case EAL_OWNED:
			if (r.opt->key)
				return tr_err(err, EX_USAGE, "EAL option %s is tenantrt's: set %s in tenants.yaml",
					      as, r.opt->key);
			return tr_err(err, EX_USAGE, "EAL option %s is tenantrt's (%s); remove it",
				      as, r.opt->what);
		case EAL_UNKNOWN:
			if (r.letter)
				return tr_err(err, EX_USAGE,
					      "\"%s\" before the app's \"--\": -%c is not a DPDK 22.11 EAL option; app options go after \"--\"",
					      arg, r.letter);
			return tr_err(err, EX_USAGE,
				      "\"%s\" before the app's \"--\" is not a DPDK 22.11 EAL option; app options go after \"--\"",
				      arg);
		case EAL_AMBIGUOUS:
			return tr_err(err, EX_USAGE,
				      "EAL option \"%s\" is ambiguous (%s); write the option in full",
				      arg, r.cands);
		case EAL_NO_VALUE:
			return tr_err(err, EX_USAGE, "EAL option \"%s\": %s takes no value", arg, name);
		case EAL_NEEDS_VALUE:
			return tr_err(err, EX_USAGE, "EAL option \"%s\" needs a value", arg);
		case EAL_NOT_OPTION:
		case EAL_END:
			return tr_err(err, EX_USAGE,
				      "\"%s\" before the app's \"--\" is not an EAL option; app arguments go after \"--\"",
				      arg);
		}
		i += r.consumed;
	}
	return 0;
}

/* --- settings that cannot go together (DPDK's CONFLICTING_OPTIONS idea) --- */

/*
 * A side of a conflict: is the setting present in t? If so, say where and
 * describe it ("datapath.mode symmetric").
 */
typedef bool (*setting_fn)(const struct tr_tenant *t, struct tr_mark *at,
			   char *desc, size_t len);

static bool symmetric_group(const struct tr_tenant *t, struct tr_mark *at,
			    char *desc, size_t len)
{
	if (t->datapath.mode != TR_DP_MODE_SYMMETRIC || t->group.max_secondaries == 0)
		return false;
	*at = mark_or(t->datapath.mark, t->mark);
	snprintf(desc, len, "datapath.mode symmetric");
	return true;
}

static bool nic_driver(const struct tr_tenant *t, const char *drv,
		       struct tr_mark *at, char *desc, size_t len)
{
	size_t dl = strlen(drv);
	for (unsigned n = 0; n < t->n_nics; n++) {
		const struct tr_nic *nic = &t->nics[n];
		if (nic->kind == TR_NIC_VDEV && nic->spec &&
		    strncmp(nic->spec, drv, dl) == 0) {
			*at = nic->mark;
			snprintf(desc, len, "NIC %s", nic->spec);
			return true;
		}
	}
	return false;
}

static bool nic_af_packet(const struct tr_tenant *t, struct tr_mark *at,
			  char *desc, size_t len)
{
	return nic_driver(t, "net_af_packet", at, desc, len);
}

static bool nic_memif(const struct tr_tenant *t, struct tr_mark *at, char *desc,
		      size_t len)
{
	return nic_driver(t, "net_memif", at, desc, len);
}

static bool foreign_binaries(const struct tr_tenant *t, struct tr_mark *at,
			     char *desc, size_t len)
{
	if (!t->group.allow_foreign_binaries)
		return false;
	*at = mark_or(t->group.mark, t->mark);
	snprintf(desc, len, "group.allowForeignBinaries");
	return true;
}

static bool no_secondaries(const struct tr_tenant *t, struct tr_mark *at,
			   char *desc, size_t len)
{
	if (t->group.max_secondaries != 0)
		return false;
	*at = mark_or(t->group.mark, mark_or(t->name_mark, t->mark));
	snprintf(desc, len, "group.maxSecondaries 0");
	return true;
}

static bool network_host(const struct tr_tenant *t, struct tr_mark *at,
			 char *desc, size_t len)
{
	if (t->network != TR_NET_HOST)
		return false;
	*at = mark_or(t->network_mark, t->mark);
	snprintf(desc, len, "network: host");
	return true;
}

static bool kernel_nic(const struct tr_tenant *t, struct tr_mark *at, char *desc,
		       size_t len)
{
	for (unsigned n = 0; n < t->n_nics; n++)
		if (tr_nic_is_kernel(&t->nics[n])) {
			*at = t->nics[n].mark;
			snprintf(desc, len, "NIC %s", t->nics[n].spec);
			return true;
		}
	return false;
}

struct conflict {
	enum tr_severity sev;
	setting_fn a, b;   /* reported at b, naming a's line */
	const char *verb;  /* "cannot go with", "has no effect with" */
	const char *why;
};

static const struct conflict conflicts[] = {
	{ TR_DIAG_ERROR, symmetric_group, nic_af_packet, "cannot go with",
	  "in a group every member polls the ports, and a DPDK 22.11 secondary crashes on net_af_packet (no burst functions there); use datapath.mode distribute" },
	{ TR_DIAG_ERROR, symmetric_group, nic_memif, "cannot go with",
	  "in a group every member polls the ports, and a DPDK 22.11 secondary stalls on net_memif; use datapath.mode distribute" },
	{ TR_DIAG_WARNING, no_secondaries, foreign_binaries, "has no effect with",
	  "only secondaries can be other binaries" },
	{ TR_DIAG_ERROR, network_host, kernel_nic, "cannot go with",
	  "its PMD needs NET_RAW/NET_ADMIN, which tenantrt gives only inside the tenant's own network namespace; remove network: host" },
};

static void rule_conflicts(struct vctx *v)
{
	const struct tr_config *cfg = v->cfg;
	for (unsigned i = 0; i < cfg->n_tenants; i++) {
		const struct tr_tenant *t = &cfg->tenants[i];
		for (size_t c = 0; c < TR_ARRAY_SIZE(conflicts); c++) {
			struct tr_mark ma, mb;
			char da[160], db[160];
			if (!conflicts[c].a(t, &ma, da, sizeof(da)) ||
			    !conflicts[c].b(t, &mb, db, sizeof(db)))
				continue;
			tr_diag_add(v->d, conflicts[c].sev, mb,
				    "tenant \"%s\": %s %s %s (line %u): %s",
				    t->name, db, conflicts[c].verb, da, ma.line,
				    conflicts[c].why);
		}
	}
}

/* --- limits and the environment ------------------------------------------ */

/*
 * The threads a group starts with, measured with dpdk-testpmd 22.11: a
 * primary runs 6 (main, interrupts, mp handler, telemetry v1 and v2, one
 * worker), a secondary 4 (no telemetry); each further lcore one more. Below
 * that, EAL dies at start ("Cannot init interrupt-handling thread").
 */
static uint64_t group_threads(const struct tr_tenant *t)
{
	uint64_t p = 5 + (uint64_t)t->lcores.per_primary;
	uint64_t s = 3 + (uint64_t)t->lcores.per_secondary;
	return p + (uint64_t)t->group.max_secondaries * s;
}

static void rule_limits(struct vctx *v)
{
	const struct tr_config *cfg = v->cfg;
	for (unsigned i = 0; i < cfg->n_tenants; i++) {
		const struct tr_tenant *t = &cfg->tenants[i];
		const struct tr_limits *l = &t->limits;
		uint64_t need = group_threads(t);
		if (l->has_pids && l->pids < need)
			tr_diag_err(v->d, mark_or(l->pids_mark, mark_or(l->mark, t->mark)),
				    "tenant \"%s\": limits.pids %" PRIu64 " is below the %" PRIu64 " threads the group starts with (5 + perPrimary for the primary, 3 + perSecondary for each of maxSecondaries); raise it",
				    t->name, l->pids, need);
	}
}

/* Could this env.pass entry take one of the dynamic loader's variables? */
static bool passes_loader_vars(const char *pattern)
{
	size_t n = strlen(pattern);
	if (n > 0 && pattern[n - 1] == '*')
		return strncmp(pattern, "LD_", n - 1 < 3 ? n - 1 : 3) == 0;
	return strncmp(pattern, "LD_", 3) == 0;
}

static void rule_env(struct vctx *v)
{
	const struct tr_config *cfg = v->cfg;
	for (unsigned i = 0; i < cfg->n_tenants; i++) {
		const struct tr_tenant *t = &cfg->tenants[i];
		const struct tr_env *e = &t->env;
		for (unsigned k = 0; k < e->n_set; k++)
			if (tr_env_reserved(e->set_key[k]))
				tr_diag_err(v->d, e->set_marks[k],
					    "tenant \"%s\": env.set %s: tenantrt sets it (RUNTIME_DIRECTORY and TENANTRT_* are the plan's); remove it",
					    t->name, e->set_key[k]);
		for (unsigned k = 0; k < e->n_pass; k++) {
			if (passes_loader_vars(e->pass[k]))
				tr_diag_warn(v->d, e->pass_marks[k],
					     "tenant \"%s\": env.pass %s lets whoever starts the shim choose LD_PRELOAD or LD_LIBRARY_PATH, i.e. code the app runs; set what the app needs with env.set instead",
					     t->name, e->pass[k]);
			else if (tr_env_reserved(e->pass[k]))
				tr_diag_warn(v->d, e->pass_marks[k],
					     "tenant \"%s\": env.pass %s has no effect: tenantrt sets it",
					     t->name, e->pass[k]);
		}
	}
}

/* --- network ------------------------------------------------------------- */

/* network: host opts out of the empty network namespace a tenant without
 * kernel interfaces gets: legal, so a warning (kernel NICs: a conflict). */
static void rule_network(struct vctx *v)
{
	const struct tr_config *cfg = v->cfg;
	for (unsigned i = 0; i < cfg->n_tenants; i++) {
		const struct tr_tenant *t = &cfg->tenants[i];
		struct tr_mark at;
		char desc[160];
		if (!network_host(t, &at, desc, sizeof(desc)) ||
		    kernel_nic(t, &at, desc, sizeof(desc)))
			continue;
		tr_diag_warn(v->d, mark_or(t->network_mark, t->mark),
			     "tenant \"%s\": network: host: its processes share the shim's network namespace (the host's sockets, routes and interfaces) instead of an empty one of their own",
			     t->name);
	}
}

/* --------------------------------------------------------------------------- */

/* The isolation rules (config/rules_iso.h). */
static void rule_isolation(struct vctx *v)
{
	tr_rule_paths(v->cfg, v->d);
	tr_rule_identity(v->cfg, v->d);
	tr_rule_memory_sums(v->cfg, v->d);
}

static void (*const rules[])(struct vctx *) = {
	rule_host,   rule_names,  rule_nics,          rule_cpus,
	rule_lcores, rule_placement, rule_memory, rule_numa_locality,
	rule_eal,    rule_conflicts, rule_limits, rule_env, rule_network, rule_isolation,
};

int tr_config_validate(const struct tr_config *cfg,
		       const struct tr_host_facts *facts, struct tr_diags *diags)
{
	unsigned errors_before = diags->n_errors;
	struct vctx v = {
		.cfg = cfg,
		.facts = facts,
		.d = diags,
		.host_cpus = cfg->host.has_cpus ? &cfg->host.cpus : &facts->online,
		.page_mb = tr_page_bytes(cfg->host.page_size) >> 20,
		.pool_pages = facts->pool_pages[cfg->host.page_size],
	};
	for (size_t r = 0; r < TR_ARRAY_SIZE(rules); r++)
		rules[r](&v);
	return diags->n_errors > errors_before ? -1 : 0;
}
