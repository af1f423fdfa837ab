/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 4, plan: (config, facts, tenant, role, member) -> argv, env and the
 * isolation plan. Pure: no syscalls; one function builds the argv (habit 6)
 * so golden tests pin it.
 *
 * The EAL arguments, always in this order:
 *
 *   --file-prefix=<tenant>
 *   --proc-type=primary|secondary
 *   --lcores=<id>@<cpu>,...
 *        Lcore ids are unique across the group: the primary has
 *        0..perPrimary-1, secondary k has perPrimary+(k-1)*perSecondary and
 *        the perSecondary ids after it. Lcore id i runs on cpu number
 *        (i mod n) of its role's cpus (lcores.primaryCpus/secondaryCpus,
 *        default the tenant's cpus; n of them), so members spread round-robin
 *        over the cpus instead of all starting on the first one.
 *        No --main-lcore: 22.11 makes the lowest enabled lcore id the main
 *        one (eal_adjust_config), which is the member's first id.
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
 *        in a secondary whose device list differs from its primary's.
 *   <the tenant's eal list>
 *   --                                      always, so an app argument can
 *                                           never be read as an EAL one
 *   <app args>
 */
#include "plan/plan.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "common/cleanup.h"

const char *tr_role_name(enum tr_role r)
{
	return r == TR_ROLE_PRIMARY ? TR_ROLE_NAME_PRIMARY : TR_ROLE_NAME_SECONDARY;
}

__attribute__((format(printf, 2, 3))) static int argv_add(struct tr_plan *p,
							   const char *fmt, ...)
{
	if (p->argc >= TR_PLAN_MAX_ARGS)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&p->argv[p->argc], fmt, ap);
	va_end(ap);
	if (n < 0) {
		p->argv[p->argc] = NULL;
		return -1;
	}
	p->argc++;
	return 0;
}

__attribute__((format(printf, 2, 3))) static int env_add(struct tr_plan *p,
							  const char *fmt, ...)
{
	if (p->envc >= TR_PLAN_MAX_ENV)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&p->env[p->envc], fmt, ap);
	va_end(ap);
	if (n < 0) {
		p->env[p->envc] = NULL;
		return -1;
	}
	p->envc++;
	return 0;
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
 */
static uint64_t nic_caps(const struct tr_tenant *t)
{
	uint64_t caps = 0;
	for (unsigned n = 0; n < t->n_nics; n++) {
		const struct tr_nic *nic = &t->nics[n];
		if (nic->kind == TR_NIC_PCI) {
			caps |= UINT64_C(1) << CAP_IPC_LOCK;
		} else if (nic->kind == TR_NIC_VDEV && nic->spec) {
			if (vdev_is(nic->spec, "net_af_packet") ||
			    vdev_is(nic->spec, "net_pcap") ||
			    vdev_is(nic->spec, "net_af_xdp"))
				caps |= UINT64_C(1) << CAP_NET_RAW;
			if (vdev_is(nic->spec, "net_af_packet") ||
			    vdev_is(nic->spec, "net_tap") ||
			    vdev_is(nic->spec, "net_pcap") ||
			    vdev_is(nic->spec, "net_af_xdp"))
				caps |= UINT64_C(1) << CAP_NET_ADMIN;
			if (vdev_is(nic->spec, "net_af_xdp"))
				caps |= UINT64_C(1) << CAP_BPF;
		}
	}
	return caps;
}

static int plan_lcores(struct tr_plan *p, const struct tr_config *cfg,
		       const struct tr_host_facts *facts,
		       const struct tr_tenant *t, struct tr_error *err)
{
	const struct tr_lcores *l = &t->lcores;
	const struct tr_cpuset *cpus = tr_tenant_cpus(cfg, facts, t);
	unsigned first, count;
	if (p->role == TR_ROLE_PRIMARY) {
		first = 0;
		count = l->per_primary;
		if (l->has_primary_cpus)
			cpus = &l->primary_cpus;
	} else {
		first = l->per_primary + (p->member - 1) * l->per_secondary;
		count = l->per_secondary;
		if (l->has_secondary_cpus)
			cpus = &l->secondary_cpus;
	}
	unsigned ncpus = tr_cpuset_count(cpus);
	if (count == 0 || count > TR_MAX_MEMBER_LCORES || ncpus == 0)
		return tr_err(err, EX_DATAERR,
			      "tenant \"%s\": cannot plan %u lcores on %u cpus for the %s; run 'tenantrt validate'",
			      t->name, count, ncpus, tr_role_name(p->role));
	if (first + count > facts->max_lcore)
		return tr_err(err, EX_DATAERR,
			      "tenant \"%s\": lcore ids %u-%u are beyond RTE_MAX_LCORE %u",
			      t->name, first, first + count - 1, facts->max_lcore);
	tr_cpuset_zero(&p->iso.member_cpus);
	p->n_lcores = count;
	for (unsigned j = 0; j < count; j++) {
		unsigned id = first + j;
		p->lcore_ids[j] = id;
		p->lcore_cpus[j] = (unsigned)tr_cpuset_nth(cpus, id % ncpus);
		tr_cpuset_set(&p->iso.member_cpus, p->lcore_cpus[j]);
	}
	/* "--lcores=" + up to 64 x "127@1023," */
	char buf[16 + TR_MAX_MEMBER_LCORES * 10];
	size_t n = 0;
	for (unsigned j = 0; j < count; j++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%u@%u",
				      j ? "," : "", p->lcore_ids[j],
				      p->lcore_cpus[j]);
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

static int plan_argv(struct tr_plan *p, const struct tr_config *cfg,
		     const struct tr_host_facts *facts,
		     const struct tr_tenant *t, const char *app,
		     char *const app_args[], int n_app_args,
		     struct tr_error *err)
{
	if (argv_add(p, "%s", app) < 0)
		goto nomem;
	p->eal_first = p->argc;
	if (argv_add(p, "--file-prefix=%s", t->name) < 0 ||
	    argv_add(p, "--proc-type=%s", tr_role_name(p->role)) < 0)
		goto nomem;
	if (plan_lcores(p, cfg, facts, t, err) < 0)
		return -1;
	if (p->role == TR_ROLE_PRIMARY && plan_memory(p, facts, t) < 0)
		goto nomem;
	if (argv_add(p, "--huge-dir=%s", p->iso.huge_dir) < 0)
		goto nomem;
	if (t->group.single_file_segments &&
	    argv_add(p, "--single-file-segments") < 0)
		goto nomem;
	bool any_pci = false;
	for (unsigned n = 0; n < t->n_nics; n++) {
		const struct tr_nic *nic = &t->nics[n];
		if (nic->kind == TR_NIC_PCI) {
			any_pci = true;
			if (argv_add(p, "-a") < 0 ||
			    argv_add(p, "%s", nic->spec) < 0)
				goto nomem;
		} else if (nic->kind == TR_NIC_VDEV) {
			if (argv_add(p, "--vdev=%s", nic->spec) < 0)
				goto nomem;
		} else {
			return tr_err(err, EX_DATAERR,
				      "tenant \"%s\": NIC from $%s was not resolved; run 'tenantrt validate'",
				      t->name, nic->spec);
		}
	}
	if (!any_pci && argv_add(p, "--no-pci") < 0)
		goto nomem;
	for (unsigned e = 0; e < t->n_eal; e++)
		if (argv_add(p, "%s", t->eal[e]) < 0)
			goto nomem;
	p->eal_end = p->argc;
	if (argv_add(p, "--") < 0)
		goto nomem;
	for (int a = 0; a < n_app_args; a++)
		if (argv_add(p, "%s", app_args[a]) < 0)
			goto nomem;
	p->argv[p->argc] = NULL;
	return 0;
nomem:
	return tr_err(err, EX_SOFTWARE,
		      "tenant \"%s\": the command line is longer than %d arguments or memory ran out",
		      t->name, TR_PLAN_MAX_ARGS);
}


int tr_plan_build(struct tr_plan *out, const struct tr_config *cfg,
		  const struct tr_host_facts *facts, const struct tr_tenant *t,
		  enum tr_role role, unsigned member, const char *app,
		  char *const app_args[], int n_app_args, struct tr_error *err)
{
	memset(out, 0, sizeof(*out));
	unsigned max = t->group.max_secondaries;
	if (role == TR_ROLE_PRIMARY && member != 0)
		return tr_err(err, EX_USAGE,
			      "tenant \"%s\": the primary is member 0, not %u; secondaries are members 1-%u",
			      t->name, member, max);
	if (role == TR_ROLE_SECONDARY && max == 0)
		return tr_err(err, EX_USAGE,
			      "tenant \"%s\" is an independent primary (group.maxSecondaries 0); it has no secondaries",
			      t->name);
	if (role == TR_ROLE_SECONDARY && member == 0)
		return tr_err(err, EX_USAGE,
			      "tenant \"%s\": member 0 is the primary; secondaries are members 1-%u",
			      t->name, max);
	if (role == TR_ROLE_SECONDARY && member > max)
		return tr_err(err, EX_USAGE,
			      "tenant \"%s\": secondary %u is beyond group.maxSecondaries %u; use a member in 1-%u",
			      t->name, member, max, max);
	if (!t->memory.has_total && !t->memory.has_socket)
		return tr_err(err, EX_DATAERR,
			      "tenant \"%s\" has no memory; run 'tenantrt validate'",
			      t->name);
	out->role = role;
	out->member = member;

	struct tr_isolation *iso = &out->iso;
	const char *root = tr_host_runtime_root(&cfg->host);
	char hbuf[4096];
	const char *hdir = tr_host_hugepage_dir(&cfg->host, hbuf, sizeof(hbuf));
	if ((size_t)snprintf(iso->runtime_dir, sizeof(iso->runtime_dir), "%s/%s",
			     root, t->name) >= sizeof(iso->runtime_dir) ||
	    (size_t)snprintf(iso->huge_dir, sizeof(iso->huge_dir), "%s/%s", hdir,
			     t->name) >= sizeof(iso->huge_dir))
		return tr_err(err, EX_DATAERR,
			      "tenant \"%s\": runtime or hugepage dir path is too long",
			      t->name);
	iso->page_bytes = tr_page_bytes(cfg->host.page_size);
	iso->huge_limit_bytes = (tr_tenant_limit_mb(t) << 20) / iso->page_bytes *
				iso->page_bytes;
	iso->cpus = *tr_tenant_cpus(cfg, facts, t);
	iso->numa_nodes = 0;
	if (t->memory.has_socket && !t->memory.has_total)
		for (unsigned n = 0; n < t->memory.n_socket && n < 64; n++)
			if (t->memory.socket_mb[n] > 0)
				iso->numa_nodes |= UINT64_C(1) << n;
	iso->has_user = t->user.set;
	if (t->user.set) {
		iso->uid = t->user.uid;
		iso->gid = t->user.gid;
		iso->n_supp = t->user.n_supp;
		memcpy(iso->supp, t->user.supp, sizeof(iso->supp));
	}
	iso->caps = nic_caps(t);
	for (unsigned c = 0; c < t->security.n_caps; c++)
		if (t->security.caps[c] >= 0 && t->security.caps[c] < 64)
			iso->caps |= UINT64_C(1) << t->security.caps[c];
	iso->seccomp = t->security.seccomp;
	iso->seccomp_profile = t->security.seccomp_profile;
	iso->no_new_privs = true;

	if (plan_argv(out, cfg, facts, t, app ? app : "APP", app_args,
		      n_app_args, err) < 0)
		goto fail;

	/* The identity libtenantrt reads (tenantrt_proto.h). */
	struct tr_dp_conf dp = {
		.mode = t->datapath.mode,
		.burst = t->datapath.burst,
		.ring_size = t->datapath.ring_size,
		.queues = t->datapath.queues,
		.tx = TR_DP_TX_AUTO,
	};
	char dps[128];
	tr_dp_conf_format(&dp, dps, sizeof(dps));
	if (env_add(out, TR_ENV_RUNTIME_DIRECTORY "=%s", iso->runtime_dir) < 0 ||
	    env_add(out, TR_ENV_TENANT "=%s", t->name) < 0 ||
	    env_add(out, TR_ENV_ROLE "=%s", tr_role_name(role)) < 0 ||
	    env_add(out, TR_ENV_MEMBER "=%u", member) < 0 ||
	    env_add(out, TR_ENV_MEMBERS "=%u", 1 + max) < 0 ||
	    env_add(out, TR_ENV_DATAPATH "=%s", dps) < 0) {
		tr_err(err, EX_SOFTWARE, "tenant \"%s\": out of memory", t->name);
		goto fail;
	}
	out->env[out->envc] = NULL;
	return 0;
fail:
	tr_plan_free(out);
	return -1;
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

/* --- renderings ---------------------------------------------------------- */

static void cap_name(int cap, char *buf, size_t len)
{
	char *n = cap_to_name((cap_value_t)cap);
	if (n == NULL) {
		snprintf(buf, len, "%d", cap);
		return;
	}
	size_t i;
	for (i = 0; n[i] && i + 1 < len; i++)
		buf[i] = (char)toupper((unsigned char)n[i]);
	buf[i] = '\0';
	cap_free(n);
}

static bool shell_safe(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_@%+=:,./-",
			    *s))
			return false;
	return true;
}

static void shell_quote(const char *s, FILE *out)
{
	if (shell_safe(s)) {
		fputs(s, out);
		return;
	}
	fputc('\'', out);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", out);
		else
			fputc(*s, out);
	}
	fputc('\'', out);
}

static const char *seccomp_name(enum tr_seccomp_kind k)
{
	switch (k) {
	case TR_SECCOMP_UNCONFINED:
		return "unconfined";
	case TR_SECCOMP_PROFILE:
		return "profile";
	default:
		return "default";
	}
}

void tr_plan_print(const struct tr_plan *p, const struct tr_tenant *t, FILE *out)
{
	const struct tr_isolation *iso = &p->iso;
	char buf[4096];
	fprintf(out, "tenant %s: %s (member %u of %u)\n", t->name,
		tr_role_name(p->role), p->member, 1 + t->group.max_secondaries);
	fprintf(out, "argv:\n");
	for (int i = 0; i < p->argc; i++)
		fprintf(out, "  %s\n", p->argv[i]);
	fprintf(out, "env:\n");
	for (int i = 0; i < p->envc; i++)
		fprintf(out, "  %s\n", p->env[i]);
	fprintf(out, "lcores:\n ");
	for (unsigned j = 0; j < p->n_lcores; j++)
		fprintf(out, " %u@%u", p->lcore_ids[j], p->lcore_cpus[j]);
	fprintf(out, "\nisolation:\n");
	fprintf(out, "  runtime dir     %s (mode 0700)\n", iso->runtime_dir);
	fprintf(out, "  hugepage dir    %s\n", iso->huge_dir);
	fprintf(out, "  hugepage quota  %" PRIu64 " MiB = %" PRIu64 " pages of %s\n",
		iso->huge_limit_bytes >> 20, iso->huge_limit_bytes / iso->page_bytes,
		iso->page_bytes == (UINT64_C(1) << 30) ? "1G" : "2M");
	tr_cpuset_format(&iso->cpus, buf, sizeof(buf));
	fprintf(out, "  cpus            %s", buf);
	tr_cpuset_format(&iso->member_cpus, buf, sizeof(buf));
	fprintf(out, " (this member's lcores: %s)\n", buf);
	fprintf(out, "  numa binding   ");
	if (iso->numa_nodes == 0)
		fprintf(out, " none");
	for (unsigned n = 0; n < 64; n++)
		if (iso->numa_nodes >> n & 1)
			fprintf(out, " %u", n);
	fprintf(out, "\n  user            ");
	if (!iso->has_user) {
		fprintf(out, "unchanged (no user set)");
	} else {
		fprintf(out, "uid %u gid %u", (unsigned)iso->uid,
			(unsigned)iso->gid);
		for (unsigned g = 0; g < iso->n_supp; g++)
			fprintf(out, "%s%u", g ? "," : " groups ",
				(unsigned)iso->supp[g]);
	}
	fprintf(out, "\n  capabilities   ");
	if (iso->caps == 0)
		fprintf(out, " none");
	for (int c = 0; c < 64; c++)
		if (iso->caps >> c & 1) {
			cap_name(c, buf, sizeof(buf));
			fprintf(out, " %s", buf);
		}
	fprintf(out, "\n  seccomp         %s", seccomp_name(iso->seccomp));
	if (iso->seccomp == TR_SECCOMP_PROFILE && iso->seccomp_profile)
		fprintf(out, " %s", iso->seccomp_profile);
	fprintf(out, "\n  no_new_privs    %s\n", iso->no_new_privs ? "yes" : "no");
	fprintf(out, "command:\n  ");
	for (int i = 0; i < p->envc; i++) {
		shell_quote(p->env[i], out);
		fputc(' ', out);
	}
	for (int i = 0; i < p->argc; i++) {
		if (i)
			fputc(' ', out);
		shell_quote(p->argv[i], out);
	}
	fputc('\n', out);
}

static void json_str(const char *s, FILE *out)
{
	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		switch (*c) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		default:
			if (*c < 0x20 || *c == 0x7f)
				fprintf(out, "\\u%04x", *c);
			else
				fputc(*c, out);
		}
	}
	fputc('"', out);
}

static void json_str_array(char *const *v, int from, int to, FILE *out)
{
	fputc('[', out);
	for (int i = from; i < to; i++) {
		if (i > from)
			fputs(", ", out);
		json_str(v[i], out);
	}
	fputc(']', out);
}

void tr_plan_print_json(const struct tr_plan *p, const struct tr_tenant *t,
			FILE *out)
{
	const struct tr_isolation *iso = &p->iso;
	char buf[4096];
	fputs("{\n  \"tenant\": ", out);
	json_str(t->name, out);
	fprintf(out, ",\n  \"role\": \"%s\",\n  \"member\": %u,\n  \"members\": %u,\n",
		tr_role_name(p->role), p->member, 1 + t->group.max_secondaries);
	fputs("  \"argv\": ", out);
	json_str_array(p->argv, 0, p->argc, out);
	fputs(",\n  \"eal\": ", out);
	json_str_array(p->argv, p->eal_first, p->eal_end, out);
	fputs(",\n  \"app_args\": ", out);
	json_str_array(p->argv, p->eal_end + 1, p->argc, out);
	fputs(",\n  \"env\": {", out);
	for (int i = 0; i < p->envc; i++) {
		const char *eq = strchr(p->env[i], '=');
		size_t kn = eq ? (size_t)(eq - p->env[i]) : strlen(p->env[i]);
		snprintf(buf, sizeof(buf), "%.*s", (int)kn, p->env[i]);
		fputs(i ? ", " : "", out);
		json_str(buf, out);
		fputs(": ", out);
		json_str(eq ? eq + 1 : "", out);
	}
	fputs("},\n  \"lcores\": [", out);
	for (unsigned j = 0; j < p->n_lcores; j++)
		fprintf(out, "%s{\"id\": %u, \"cpu\": %u}", j ? ", " : "",
			p->lcore_ids[j], p->lcore_cpus[j]);
	fputs("],\n  \"isolation\": {\n    \"runtime_dir\": ", out);
	json_str(iso->runtime_dir, out);
	fputs(",\n    \"huge_dir\": ", out);
	json_str(iso->huge_dir, out);
	fprintf(out, ",\n    \"page_bytes\": %" PRIu64 ",\n    \"huge_limit_bytes\": %" PRIu64,
		iso->page_bytes, iso->huge_limit_bytes);
	tr_cpuset_format(&iso->cpus, buf, sizeof(buf));
	fputs(",\n    \"cpus\": ", out);
	json_str(buf, out);
	tr_cpuset_format(&iso->member_cpus, buf, sizeof(buf));
	fputs(",\n    \"member_cpus\": ", out);
	json_str(buf, out);
	fputs(",\n    \"numa_nodes\": [", out);
	bool first = true;
	for (unsigned n = 0; n < 64; n++)
		if (iso->numa_nodes >> n & 1) {
			fprintf(out, "%s%u", first ? "" : ", ", n);
			first = false;
		}
	fputs("],\n    \"user\": ", out);
	if (!iso->has_user) {
		fputs("null", out);
	} else {
		fprintf(out, "{\"uid\": %u, \"gid\": %u, \"supplementary\": [",
			(unsigned)iso->uid, (unsigned)iso->gid);
		for (unsigned g = 0; g < iso->n_supp; g++)
			fprintf(out, "%s%u", g ? ", " : "", (unsigned)iso->supp[g]);
		fputs("]}", out);
	}
	fputs(",\n    \"capabilities\": [", out);
	first = true;
	for (int c = 0; c < 64; c++)
		if (iso->caps >> c & 1) {
			cap_name(c, buf, sizeof(buf));
			fputs(first ? "" : ", ", out);
			json_str(buf, out);
			first = false;
		}
	fprintf(out, "],\n    \"seccomp\": \"%s\",\n    \"seccomp_profile\": ",
		seccomp_name(iso->seccomp));
	if (iso->seccomp == TR_SECCOMP_PROFILE && iso->seccomp_profile)
		json_str(iso->seccomp_profile, out);
	else
		fputs("null", out);
	fprintf(out, ",\n    \"no_new_privs\": %s\n  }\n}\n",
		iso->no_new_privs ? "true" : "false");
}
