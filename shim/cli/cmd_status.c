/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tenantrt status [--config F | --runtime-root DIR] [--json | --prometheus]
 *
 * The ledger's view of the host: per tenant its members (pid, role, member
 * index, lcores, since, alive, state: starting, running, stuck, exited or
 * stale, cli/status_health.h), hugepages in use vs quota and what enforces
 * the quota, NICs, runtime dir, and whether its DPDK primary holds the
 * config lock. Read-only: stale leases are shown, `tenantrt reap` clears.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "cli/cmd.h"
#include "cli/inputs.h"
#include "cli/status_counters.h"
#include "cli/status_health.h"
#include "cli/status_prom.h"
#include "common/dpdkfs.h"
#include "common/exits.h"
#include "common/fsutil.h"
#include "common/json.h"
#include "common/layout.h"
#include "config/parse.h"
#include "host/hugefs.h"
#include "host/ledger.h"
#include "host/netrec.h"
#include "isolate/isolate.h"
#include "plan/plan.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tenantrt status [--config FILE | --runtime-root DIR] [--json | --prometheus]\n"
		"                       [--tenant T [--check]]\n"
		"Running tenants: members, roles, lcores, state (starting, running, stuck),\n"
		"hugepages used/quota, NICs, packets.\n"
		"  -c, --config FILE        its host.runtimeRoot (default: $TENANTRT_CONFIG,\n"
		"                           else /etc/tenantrt/tenants.yaml)\n"
		"  -R, --runtime-root DIR   the runtimeRoot, without reading a config\n"
		"  -j, --json               JSON instead of tables\n"
		"  -P, --prometheus         Prometheus text format (node-exporter textfile)\n"
		"  -t, --tenant T           only tenant T\n"
		"  -k, --check              print nothing but one line; exit 0 when T's\n"
		"                           primary holds its lock and every member is\n"
		"                           alive and not stuck; 124 when a member is\n"
		"                           stuck (no progress for health.stall seconds,\n"
		"                           seen within a second more), else 69 (for\n"
		"                           container probes)\n");
	if (out == stdout)
		tr_exits_print(out);
}

static void fmt_time(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

struct tenant_view {
	const struct tr_lease *first;   /* leases [first, first+n) */
	unsigned n;
	uint64_t used, quota, page_bytes;
	const char *quota_kind;         /* "hugetlbfs+cgroup", "hugetlbfs size=", "hugetlb cgroup", "soft" */
	bool lock_held;
	pid_t lock_pid;
	unsigned live;
};

static void view_of(struct tenant_view *tv, const struct tr_lease *l, unsigned n)
{
	memset(tv, 0, sizeof(*tv));
	tv->first = l;
	tv->n = n;
	for (unsigned i = 0; i < n; i++) {
		if (l[i].quota_pages > tv->quota)
			tv->quota = l[i].quota_pages;
		if (l[i].alive)
			tv->live++;
	}
	tv->page_bytes = l->page_bytes;
	tv->used = tr_hugefs_used_pages(l->huge_dir, l->page_bytes,
					tv->quota + TR_HUGEFS_WALK_SPARE, NULL);
	uint64_t limit;
	bool mount_limit = tr_hugefs_size_limit(l->huge_dir, &limit);
	/* Both is the usual case as root: the mount's size= stops hugetlbfs
	 * files, only the cgroup also stops memfd (--in-memory) pages. */
	if (mount_limit && tr_isolate_quota_is_hard(l->cgroup))
		tv->quota_kind = "hugetlbfs+cgroup";
	else if (mount_limit)
		tv->quota_kind = "hugetlbfs size=";
	else if (tr_isolate_quota_is_hard(l->cgroup))
		tv->quota_kind = "hugetlb cgroup";
	else
		tv->quota_kind = "soft";
	tv->lock_held = l->runtime_dir[0] && tr_dpdk_primary_lock(l->runtime_dir, l->tenant,
							       &tv->lock_pid);
}

/* The tenant's network namespace from its record: "own net:[N] (user
 * ns; acme0,acme1)", "container net:[N]", or "host" without a record. */
static void netns_of(const char *root, const char *tenant, char *buf, size_t len,
		     bool json)
{
	char ledger[4200], path[4400];
	static struct tr_netrec r;
	snprintf(ledger, sizeof(ledger), "%s/" TR_LEDGER_DIR, root);
	tr_netrec_path(ledger, tenant, path, sizeof(path));
	if (tr_netrec_load(path, &r, NULL) != 0) {
		snprintf(buf, len, json ? "{\"mode\": \"host\"}" : "host");
		return;
	}
	bool own = r.mode == TR_NETREC_OWN;
	unsigned long long ino = own ? r.pin_ino : r.host_ino;
	size_t k = 0;
	if (json)
		k = (size_t)snprintf(buf, len, "{\"mode\": \"%s\", \"inode\": %llu, \"userns\": %s, \"interfaces\": [",
				     own ? "own" : "container", ino, r.userns ? "true" : "false");
	else
		k = (size_t)snprintf(buf, len, "%s net:[%llu]%s", own ? "own" : "container", ino,
				     r.userns ? " userns" : "");
	for (unsigned i = 0; i < r.n_ifs && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, json ? "%s\"%s\"" : "%s%s",
				      i ? "," : json ? "" : " ", r.ifs[i].name);
	if (json && k < len)
		snprintf(buf + k, len - k, "]}");
}

/* The leases of one tenant, v[i..j) (the scan sorts them by tenant), and
 * its view; returns j. */
static unsigned tenant_run(const struct tr_lease *v, unsigned n, unsigned i,
			   struct tenant_view *tv)
{
	unsigned j = i;
	while (j < n && strcmp(v[j].tenant, v[i].tenant) == 0)
		j++;
	view_of(tv, &v[i], j - i);
	return j;
}

static void print_table(const struct tr_lease *v, const struct tr_member_view *mv, unsigned n,
			const char *root)
{
	if (n == 0) {
		printf("no tenants running under %s\n", root);
		return;
	}
	printf("%-12s %-8s %-10s %-22s %-16s %-24s %s\n", "TENANT", "LIVE", "PRIMARY",
	       "HUGEPAGES used/quota", "QUOTA", "NICS", "NETNS");
	for (unsigned i = 0; i < n;) {
		struct tenant_view tv;
		unsigned j = tenant_run(v, n, i, &tv);
		char live[32], prim[32], pages[48], nics[512] = "";
		snprintf(live, sizeof(live), "%u/%u", tv.live, tv.n);
		if (tv.lock_held)
			snprintf(prim, sizeof(prim), "pid %d", (int)tv.lock_pid);
		else
			snprintf(prim, sizeof(prim), "none");
		snprintf(pages, sizeof(pages), "%" PRIu64 "/%" PRIu64 " x %" PRIu64 "M",
			 tv.used, tv.quota, tv.page_bytes >> 20);
		size_t k = 0;
		for (unsigned x = 0; x < v[i].n_nics && k < sizeof(nics); x++)
			k += (size_t)snprintf(nics + k, sizeof(nics) - k, "%s%s", x ? "," : "",
					      v[i].nics[x]);
		char netns[512];
		netns_of(root, v[i].tenant, netns, sizeof(netns), false);
		printf("%-12s %-8s %-10s %-22s %-16s %-24s %s\n", v[i].tenant, live, prim, pages,
		       tv.quota_kind, k ? nics : "-", netns);
		i = j;
	}
	printf("\n%-12s %-6s %-9s %-8s %-8s %-10s %-8s %-20s %-5s %-8s", "TENANT", "MEMBER",
	       "ROLE", "PID", "SHIM", "LCORE@CPU", "CPUS", "SINCE", "ALIVE", "STATE");
	tr_status_extra_header(stdout);
	printf("  RUNTIME DIR\n");
	for (unsigned i = 0; i < n; i++) {
		const struct tr_lease *l = &v[i];
		char cpus[128], since[32];
		tr_cpuset_format(&l->member_cpus, cpus, sizeof(cpus));
		fmt_time(l->since, since, sizeof(since));
		const char *alive = !l->alive ? "stale" : tr_pid_alive(l->app_pid) ? "yes" : "no";
		/* A member not forked yet is named by its shim's pid. */
		printf("%-12s %-6u %-9s %-8d %-8d %-10s %-8s %-20s %-5s %-8s", l->tenant, l->member,
		       tr_role_name(l->role), (int)tr_lease_pid(l), (int)l->shim_pid,
		       l->placement[0] ? l->placement : l->lcores[0] ? l->lcores : "-",
		       cpus[0] ? cpus : "-", since, alive, mv[i].state);
		tr_status_extra_member(l, false, stdout);
		printf("  %s\n", l->runtime_dir);
	}
	/* Why a member is not running, and since when. */
	bool header = false;
	for (unsigned i = 0; i < n; i++) {
		if (strcmp(mv[i].state, "running") == 0)
			continue;
		if (!header)
			printf("\n");
		header = true;
		char since[32] = "";
		if (mv[i].since > 0)
			fmt_time(mv[i].since, since, sizeof(since));
		printf("%s member %u: %s%s%s: %s\n", v[i].tenant, v[i].member, mv[i].state,
		       since[0] ? " since " : "", since, mv[i].why);
	}
	/* Who each member runs as and where its view of the host comes from:
	 * its own mount namespace, or the container's read-only paths. */
	printf("\n%-12s %-6s %-20s %s\n", "TENANT", "MEMBER", "USER", "HOST VIEW");
	for (unsigned i = 0; i < n; i++) {
		const struct tr_lease *l = &v[i];
		char user[48], view[512];
		snprintf(user, sizeof(user), "uid %u%s", (unsigned)l->uid,
			 l->dynamic_uid ? " (dynamic)" : l->uid == 0 ? " (root)" : "");
		tr_view_format(l->mount_ns, l->view_ro, view, sizeof(view));
		printf("%-12s %-6u %-20s %s\n", l->tenant, l->member, user, view);
	}
}

/* ", "placement": [{"lcore": 2, "cpu": 1}, ...]" from a lease's "2@1,3@0". */
static void print_placement_json(const char *placement)
{
	printf(", \"placement\": [");
	const char *p = placement;
	for (unsigned n = 0; *p; n++) {
		char *end;
		unsigned long id = strtoul(p, &end, 10);
		if (*end != '@')
			break;
		unsigned long cpu = strtoul(end + 1, &end, 10);
		printf("%s{\"lcore\": %lu, \"cpu\": %lu}", n ? ", " : "", id, cpu);
		if (*end != ',')
			break;
		p = end + 1;
	}
	printf("]");
}

static void print_json(const struct tr_lease *v, const struct tr_member_view *mv, unsigned n,
		       const char *root)
{
	printf("{\"runtimeRoot\": ");
	tr_json_str(stdout, root);
	printf(", \"tenants\": [");
	for (unsigned i = 0, nt = 0; i < n; nt++) {
		struct tenant_view tv;
		unsigned j = tenant_run(v, n, i, &tv);
		printf("%s\n  {\"name\": ", nt ? "," : "");
		tr_json_str(stdout, v[i].tenant);
		printf(", \"runtimeDir\": ");
		tr_json_str(stdout, v[i].runtime_dir);
		printf(", \"hugepageDir\": ");
		tr_json_str(stdout, v[i].huge_dir);
		printf(", \"primaryLock\": ");
		if (tv.lock_held)
			printf("{\"held\": true, \"pid\": %d}", (int)tv.lock_pid);
		else
			printf("{\"held\": false}");
		printf(", \"hugepages\": {\"used\": %" PRIu64 ", \"quota\": %" PRIu64
		       ", \"pageBytes\": %" PRIu64 ", \"hard\": %s, \"enforcedBy\": ",
		       tv.used, tv.quota, tv.page_bytes,
		       strcmp(tv.quota_kind, "soft") ? "true" : "false");
		tr_json_str(stdout, tv.quota_kind);
		printf("}, \"nics\": [");
		for (unsigned x = 0; x < v[i].n_nics; x++) {
			printf("%s", x ? ", " : "");
			tr_json_str(stdout, v[i].nics[x]);
		}
		char netns[1024];
		netns_of(root, v[i].tenant, netns, sizeof(netns), true);
		printf("], \"netns\": %s, \"liveMembers\": %u, \"members\": [", netns, tv.live);
		for (unsigned m = i; m < j; m++) {
			const struct tr_lease *l = &v[m];
			char cpus[128], since[32];
			tr_cpuset_format(&l->member_cpus, cpus, sizeof(cpus));
			fmt_time(l->since, since, sizeof(since));
			/* pid: the app's, or the shim's before the fork
			 * (appPid 0 then). */
			printf("%s\n    {\"member\": %u, \"role\": \"%s\", \"pid\": %d, \"appPid\": %d, \"shimPid\": %d, \"lcores\": [%s], \"cpus\": ",
			       m > i ? "," : "", l->member, tr_role_name(l->role),
			       (int)tr_lease_pid(l), (int)l->app_pid, (int)l->shim_pid, l->lcores);
			tr_json_str(stdout, cpus);
			print_placement_json(l->placement);
			printf(", \"since\": \"%s\", \"leaseHeld\": %s, \"alive\": %s", since,
			       l->alive ? "true" : "false",
			       l->alive && tr_pid_alive(l->app_pid) ? "true" : "false");
			printf(", \"state\": \"%s\", \"stateSince\": ", mv[m].state);
			if (mv[m].since > 0) {
				fmt_time(mv[m].since, since, sizeof(since));
				printf("\"%s\"", since);
			} else {
				printf("null");
			}
			printf(", \"why\": ");
			tr_json_str(stdout, mv[m].why);
			printf(", \"uid\": %u, \"gid\": %u, \"dynamicUid\": %s, \"view\": {\"by\": \"%s\", \"readOnly\": [",
			       (unsigned)l->uid, (unsigned)l->gid, l->dynamic_uid ? "true" : "false",
			       l->mount_ns ? "shim" : "container");
			unsigned ro = l->mount_ns ? TR_RO_ALL : l->view_ro;
			for (unsigned bit = 1, k = 0; bit <= TR_RO_ALL; bit <<= 1)
				if (ro & bit) {
					printf("%s", k++ ? ", " : "");
					tr_json_str(stdout, tr_ro_path(bit));
				}
			printf("]}");
			tr_status_extra_member(l, true, stdout);
			/* libtenantrt's, or the ports' through telemetry */
			if (mv[m].have_packets)
				printf(", \"counters\": {\"rx\": %" PRIu64 ", \"tx\": %" PRIu64
				       ", \"drops\": %" PRIu64 "}",
				       mv[m].rx, mv[m].tx, mv[m].drops);
			printf("}");
		}
		printf("]}");
		i = j;
	}
	printf("]}\n");
}

static void print_prometheus(const struct tr_lease *v, const struct tr_member_view *mv,
			     unsigned n)
{
	struct tr_prom_tenant *t = calloc(n ? n : 1, sizeof(*t));
	unsigned nt = 0;
	if (t == NULL)
		return;
	for (unsigned i = 0; i < n;) {
		struct tenant_view tv;
		unsigned j = tenant_run(v, n, i, &tv);
		t[nt++] = (struct tr_prom_tenant){
			.name = v[i].tenant, .members = tv.n, .live = tv.live,
			.used_pages = tv.used, .quota_pages = tv.quota, .page_bytes = tv.page_bytes,
			.hard = strcmp(tv.quota_kind, "soft") != 0, .primary_lock = tv.lock_held,
		};
		i = j;
	}
	tr_status_prometheus(stdout, v, mv, n, t, nt);
	free(t);
}

/* --check: the probe of a container (Kubernetes exec probe). */
static int check_tenant(const struct tr_lease *v, const struct tr_member_view *mv, unsigned n,
			const char *tenant)
{
	unsigned members = 0, dead = 0;
	const struct tr_member_view *stuck = NULL;
	unsigned stuck_member = 0;
	pid_t lock_pid = 0;
	bool held = false;
	for (unsigned i = 0; i < n; i++) {
		if (strcmp(v[i].tenant, tenant) != 0)
			continue;
		if (members++ == 0)
			held = v[i].runtime_dir[0] &&
			       tr_dpdk_primary_lock(v[i].runtime_dir, tenant, &lock_pid);
		if (!v[i].alive || !tr_pid_alive(v[i].app_pid))
			dead++;
		if (tr_member_view_stuck(&mv[i]) && (stuck == NULL || mv[i].since < stuck->since)) {
			stuck = &mv[i];
			stuck_member = v[i].member;
		}
	}
	if (members == 0) {
		printf("tenant \"%s\": no member running\n", tenant);
		return EX_UNAVAILABLE;
	}
	if (stuck) {
		char since[32] = "?";
		if (stuck->since > 0)
			fmt_time(stuck->since, since, sizeof(since));
		printf("tenant \"%s\": member %u stuck since %s: %s\n", tenant, stuck_member, since,
		       stuck->why);
		return TR_EXIT_STUCK;
	}
	if (!held) {
		printf("tenant \"%s\": no primary holds its DPDK lock\n", tenant);
		return EX_UNAVAILABLE;
	}
	if (dead) {
		printf("tenant \"%s\": %u of %u members not alive\n", tenant, dead, members);
		return EX_UNAVAILABLE;
	}
	printf("tenant \"%s\": %u members alive, primary pid %d\n", tenant, members,
	       (int)lock_pid);
	return 0;
}

int tr_cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "runtime-root", required_argument, NULL, 'R' },
		{ "json", no_argument, NULL, 'j' },
		{ "prometheus", no_argument, NULL, 'P' },
		{ "tenant", required_argument, NULL, 't' },
		{ "check", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *root_opt = NULL, *tenant = NULL;
	bool json = false, check = false, prom = false;
	int c, rc = 0;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:c:R:jPt:kh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': rc = tr_cmd_once("status", "--config", &config, optarg); break;
		case 'R': rc = tr_cmd_once("status", "--runtime-root", &root_opt, optarg); break;
		case 'j': json = true; break;
		case 'P': prom = true; break;
		case 't': rc = tr_cmd_once("status", "--tenant", &tenant, optarg); break;
		case 'k': check = true; break;
		case 'h': usage(stdout); return 0;
		default: return tr_cmd_bad_option("status", c, argv);
		}
		if (rc)
			return rc;
	}
	rc = tr_cmd_no_args("status", argc, argv);
	if (rc)
		return rc;
	if (json && prom) {
		fprintf(stderr, "tenantrt status: --json and --prometheus exclude each other; give one\n");
		return EX_USAGE;
	}
	if (check && tenant == NULL) {
		fprintf(stderr, "tenantrt status: --check needs --tenant T\n");
		return EX_USAGE;
	}
	char root[4096];
	rc = tr_cmd_runtime_root("status", config, root_opt, root, sizeof(root));
	if (rc)
		return rc;

	struct tr_ledger lg;
	struct tr_error err = { 0 };
	struct tr_lease *v = NULL;
	unsigned n = 0;
	if (tr_ledger_open(&lg, root, false, &err) < 0) {
		if (err.code != EX_NOINPUT) {
			fprintf(stderr, "tenantrt status: %s\n", err.msg);
			return err.code;
		}
	} else {
		if (tr_ledger_lock(&lg, false, &err) < 0 ||
		    tr_ledger_scan(&lg, &v, &n, &err) < 0) {
			fprintf(stderr, "tenantrt status: %s\n", err.msg);
			tr_ledger_close(&lg);
			return err.code;
		}
		tr_ledger_unlock(&lg);
		tr_ledger_close(&lg);
	}
	if (tenant) {   /* keep tenant's leases only (v is sorted by tenant) */
		unsigned k = 0;
		for (unsigned i = 0; i < n; i++)
			if (strcmp(v[i].tenant, tenant) == 0)
				v[k++] = v[i];
		n = k;
	}
	struct tr_member_view *mv = calloc(n ? n : 1, sizeof(*mv));
	if (mv == NULL) {
		free(v);
		fprintf(stderr, "tenantrt status: out of memory\n");
		return EX_OSERR;
	}
	long long now = (long long)time(NULL);
	for (unsigned i = 0; i < n; i++)
		tr_member_view_of(&v[i], lg.dir, now, &mv[i]);
	if (check)
		rc = check_tenant(v, mv, n, tenant);
	else if (json)
		print_json(v, mv, n, root);
	else if (prom)
		print_prometheus(v, mv, n);
	else
		print_table(v, mv, n, root);
	free(mv);
	free(v);
	return rc;
}
