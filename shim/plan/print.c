/* SPDX-License-Identifier: BSD-3-Clause */
/* `tenantrt plan`'s renderings of a plan: a readable listing, a command
 * line to paste, and JSON. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/caps.h"
#include "common/json.h"
#include "config/placement.h"
#include "plan/plan.h"

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

void tr_view_format(bool mount_ns, unsigned ro, char *buf, size_t len)
{
	if (mount_ns) {
		snprintf(buf, len,
			 "own mount and IPC namespaces (the shim's): host read-only, /proc/sys /sys /sys/fs/cgroup read-only, .ledger and other tenants hidden");
		return;
	}
	size_t k = (size_t)snprintf(buf, len, "the container's (the shim lacks CAP_SYS_ADMIN): read-only");
	for (unsigned bit = 1; bit <= TR_RO_ALL && k < len; bit <<= 1)
		if (ro & bit)
			k += (size_t)snprintf(buf + k, len - k, " %s", tr_ro_path(bit));
	if ((ro & TR_RO_ALL) == 0 && k < len)
		k += (size_t)snprintf(buf + k, len - k, " nothing");
	if ((ro & TR_RO_ALL) != TR_RO_ALL && k < len) {
		k += (size_t)snprintf(buf + k, len - k, "; writable");
		for (unsigned bit = 1; bit <= TR_RO_ALL && k < len; bit <<= 1)
			if (!(ro & bit))
				k += (size_t)snprintf(buf + k, len - k, " %s", tr_ro_path(bit));
	}
}

/* The member's network namespace and every device check. */
static void print_network(const struct tr_net_plan *np, FILE *out)
{
	fprintf(out, "network:\n  namespace       ");
	switch (np->mode) {
	case TR_NETNS_OWN:
		fprintf(out, "own, made at admission, pinned at %s%s\n", np->pin,
			np->userns ? "; owned by a user namespace of the tenant's ids" : "");
		break;
	case TR_NETNS_CONTAINER:
		fprintf(out, "the container's (net:[%llu]), used as it is\n", np->container_ino);
		break;
	default:
		fprintf(out, "the shim's (network: host)\n");
	}
	if (np->n_ifaces) {
		fprintf(out, "  moved in       ");
		for (unsigned i = 0; i < np->n_ifaces; i++)
			fprintf(out, " %s", np->ifaces[i]);
		fprintf(out, "\n");
	}
	if (np->deny_rtnetlink)
		fprintf(out, "  rtnetlink       refused (seccomp: no NETLINK_ROUTE socket)\n");
	for (unsigned i = 0; i < np->n_checks; i++)
		fprintf(out, "  %-15s %-7s %s\n", np->checks[i].subject,
			np->checks[i].ok ? "ok" : "REFUSED", np->checks[i].text);
}

static void print_network_json(const struct tr_net_plan *np, FILE *out)
{
	fprintf(out, "  \"network\": {\"namespace\": \"%s\", \"userns\": %s, \"pin\": ",
		tr_netns_mode_name(np->mode), np->userns ? "true" : "false");
	if (np->mode == TR_NETNS_OWN)
		tr_json_str(out, np->pin);
	else
		fputs("null", out);
	if (np->mode == TR_NETNS_CONTAINER)
		fprintf(out, ", \"containerInode\": %llu", np->container_ino);
	fputs(", \"movedIn\": [", out);
	for (unsigned i = 0; i < np->n_ifaces; i++) {
		fputs(i ? ", " : "", out);
		tr_json_str(out, np->ifaces[i]);
	}
	fprintf(out, "], \"denyRtnetlink\": %s, \"checks\": [",
		np->deny_rtnetlink ? "true" : "false");
	for (unsigned i = 0; i < np->n_checks; i++) {
		fputs(i ? ",\n    " : "\n    ", out);
		fputs("{\"subject\": ", out);
		tr_json_str(out, np->checks[i].subject);
		fprintf(out, ", \"ok\": %s, \"text\": ", np->checks[i].ok ? "true" : "false");
		tr_json_str(out, np->checks[i].text);
		fputs("}", out);
	}
	fputs("]}\n", out);
}

/*
 * The whole group's lcore -> cpu table (config/placement.c), this member
 * as planned (a tool that forces -c1 differs), and where lcores pile up.
 */
static void member_placement(const struct tr_plan *p, const struct tr_tenant *t,
			     unsigned m, struct tr_placement *pl)
{
	if (m == p->member) {
		pl->n_lcores = p->n_lcores;
		memcpy(pl->ids, p->lcore_ids, sizeof(pl->ids));
		memcpy(pl->cpus, p->lcore_cpus, sizeof(pl->cpus));
	} else if (tr_place_member(t, &p->iso.cpus, m, pl) < 0) {
		pl->n_lcores = 0;
	}
}

static void print_placement(const struct tr_plan *p, const struct tr_tenant *t, FILE *out)
{
	char buf[1024], row[32];
	tr_cpuset_format(&p->iso.cpus, buf, sizeof(buf));
	fprintf(out, "placement (lcore@cpu, every member; the tenant's cpus %s):\n", buf);
	for (unsigned m = 0; m <= t->group.max_secondaries; m++) {
		struct tr_placement pl;
		member_placement(p, t, m, &pl);
		tr_place_format(&pl, buf, sizeof(buf));
		if (m == 0)
			snprintf(row, sizeof(row), "primary");
		else
			snprintf(row, sizeof(row), "secondary %u", m);
		fprintf(out, "  %-13s %s%s\n", row, buf, m == p->member ? "   <- this member" : "");
	}
	struct tr_sharing sh;
	if (tr_place_sharing(t, &p->iso.cpus, &sh)) {
		tr_cpuset_format(&sh.shared, buf, sizeof(buf));
		fprintf(out, "  shared: cpu%s %s run%s lcores of different members (up to %u on one%s)\n",
			tr_cpuset_count(&sh.shared) == 1 ? "" : "s", buf,
			tr_cpuset_count(&sh.shared) == 1 ? "s" : "", sh.most,
			sh.mains_share ? ", main lcores too" : "");
	} else if (!tr_cpuset_empty(&sh.stacked)) {
		tr_cpuset_format(&sh.stacked, buf, sizeof(buf));
		fprintf(out, "  stacked: cpu%s %s run%s more than one lcore of one member\n",
			tr_cpuset_count(&sh.stacked) == 1 ? "" : "s", buf,
			tr_cpuset_count(&sh.stacked) == 1 ? "s" : "");
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
	/* The whole environment: nothing else of the caller's reaches the
	 * app (env.set and env.pass add to it). */
	fprintf(out, "env (all of it):\n");
	for (int i = 0; i < p->envc; i++)
		fprintf(out, "  %s\n", p->env[i]);
	fprintf(out, "lcores:\n ");
	for (unsigned j = 0; j < p->n_lcores; j++)
		fprintf(out, " %u@%u", p->lcore_ids[j], p->lcore_cpus[j]);
	fprintf(out, "\n");
	print_placement(p, t, out);
	fprintf(out, "isolation:\n");
	if (iso->mount_ns)
		fprintf(out, "  runtime dir     %s (mode 0700, its own tmpfs: %" PRIu64 " MiB, %u inodes)\n",
			iso->runtime_dir, iso->rundir_bytes >> 20, iso->rundir_inodes);
	else
		fprintf(out, "  runtime dir     %s (mode 0700, on the container's volume)\n",
			iso->runtime_dir);
	fprintf(out, "  hugepage dir    %s\n", iso->huge_dir);
	fprintf(out, "  hugepage quota  %" PRIu64 " MiB = %" PRIu64 " pages of %s\n",
		iso->huge_limit_bytes >> 20, iso->huge_limit_bytes / iso->page_bytes,
		iso->page_bytes == (UINT64_C(1) << 30) ? "1G" : "2M");
	tr_cpuset_format(&iso->cpus, buf, sizeof(buf));
	fprintf(out, "  cpus            %s", buf);
	tr_cpuset_format(&iso->member_cpus, buf, sizeof(buf));
	fprintf(out, " (this member's lcores: %s)\n", buf);
	fprintf(out, "  cgroup          %s (this member: %s/m%u)\n", iso->cgroup,
		iso->cgroup, p->member);
	fprintf(out, "  pids            %" PRIu64 " for the tenant (pids.max)\n", iso->pids_max);
	fprintf(out, "  memory          %" PRIu64 " MiB for the tenant, hugepages aside (memory.max)\n",
		iso->memory_max_bytes >> 20);
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
		if (iso->n_supp == 0)
			fprintf(out, " groups none");
		if (iso->dynamic_user)
			fprintf(out, " (dynamic)");
		else if (iso->uid == 0)
			fprintf(out, " (user: root)");
	}
	tr_view_format(iso->mount_ns, iso->view_ro, buf, sizeof(buf));
	fprintf(out, "\n  host view       %s", buf);
	tr_caps_format_upper(iso->caps, buf, sizeof(buf));
	fprintf(out, "\n  capabilities    %s", buf);
	fprintf(out, "\n  seccomp         %s", seccomp_name(iso->seccomp));
	if (iso->seccomp == TR_SECCOMP_PROFILE && iso->seccomp_profile)
		fprintf(out, " %s", iso->seccomp_profile);
	fprintf(out, "\n  no_new_privs    %s\n", iso->no_new_privs ? "yes" : "no");
	print_network(&iso->net, out);
	/* env -i: the environment above is all the app gets. */
	fprintf(out, "command:\n  env -i ");
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

void tr_plan_print_json(const struct tr_plan *p, const struct tr_tenant *t,
			FILE *out)
{
	const struct tr_isolation *iso = &p->iso;
	char buf[4096];
	fputs("{\n  \"tenant\": ", out);
	tr_json_str(out, t->name);
	fprintf(out, ",\n  \"role\": \"%s\",\n  \"member\": %u,\n  \"members\": %u,\n",
		tr_role_name(p->role), p->member, 1 + t->group.max_secondaries);
	fputs("  \"argv\": ", out);
	tr_json_str_array(out, p->argv, 0, p->argc);
	fputs(",\n  \"eal\": ", out);
	tr_json_str_array(out, p->argv, p->eal_first, p->eal_end);
	fputs(",\n  \"user_eal\": ", out);
	tr_json_str_array(out, p->argv, p->user_eal_first, p->eal_end);
	fputs(",\n  \"app_args\": ", out);
	tr_json_str_array(out, p->argv, p->eal_end + 1, p->argc);
	fputs(",\n  \"env\": {", out);
	for (int i = 0; i < p->envc; i++) {
		const char *eq = strchr(p->env[i], '=');
		size_t kn = eq ? (size_t)(eq - p->env[i]) : strlen(p->env[i]);
		snprintf(buf, sizeof(buf), "%.*s", (int)kn, p->env[i]);
		fputs(i ? ", " : "", out);
		tr_json_str(out, buf);
		fputs(": ", out);
		tr_json_str(out, eq ? eq + 1 : "");
	}
	fputs("},\n  \"lcores\": [", out);
	for (unsigned j = 0; j < p->n_lcores; j++)
		fprintf(out, "%s{\"id\": %u, \"cpu\": %u}", j ? ", " : "",
			p->lcore_ids[j], p->lcore_cpus[j]);
	fputs("],\n  \"placement\": [", out);
	for (unsigned m = 0; m <= t->group.max_secondaries; m++) {
		struct tr_placement pl;
		member_placement(p, t, m, &pl);
		fprintf(out, "%s\n    {\"member\": %u, \"role\": \"%s\", \"lcores\": [", m ? "," : "", m,
			tr_role_name(m ? TR_ROLE_SECONDARY : TR_ROLE_PRIMARY));
		for (unsigned j = 0; j < pl.n_lcores; j++)
			fprintf(out, "%s{\"id\": %u, \"cpu\": %u}", j ? ", " : "", pl.ids[j],
				pl.cpus[j]);
		fputs("]}", out);
	}
	struct tr_sharing sh;
	tr_place_sharing(t, &p->iso.cpus, &sh);
	tr_cpuset_format(&sh.shared, buf, sizeof(buf));
	fputs("\n  ],\n  \"shared_cpus\": ", out);
	tr_json_str(out, buf);
	fputs(",\n  \"isolation\": {\n    \"runtime_dir\": ", out);
	tr_json_str(out, iso->runtime_dir);
	fputs(",\n    \"huge_dir\": ", out);
	tr_json_str(out, iso->huge_dir);
	fprintf(out, ",\n    \"page_bytes\": %" PRIu64 ",\n    \"huge_limit_bytes\": %" PRIu64,
		iso->page_bytes, iso->huge_limit_bytes);
	tr_cpuset_format(&iso->cpus, buf, sizeof(buf));
	fputs(",\n    \"cpus\": ", out);
	tr_json_str(out, buf);
	tr_cpuset_format(&iso->member_cpus, buf, sizeof(buf));
	fputs(",\n    \"member_cpus\": ", out);
	tr_json_str(out, buf);
	fputs(",\n    \"cgroup\": ", out);
	tr_json_str(out, iso->cgroup);
	fprintf(out, ",\n    \"pids_max\": %" PRIu64 ",\n    \"memory_max_bytes\": %" PRIu64,
		iso->pids_max, iso->memory_max_bytes);
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
		fprintf(out, "{\"uid\": %u, \"gid\": %u, \"dynamic\": %s, \"supplementary\": [",
			(unsigned)iso->uid, (unsigned)iso->gid,
			iso->dynamic_user ? "true" : "false");
		for (unsigned g = 0; g < iso->n_supp; g++)
			fprintf(out, "%s%u", g ? ", " : "", (unsigned)iso->supp[g]);
		fputs("]}", out);
	}
	fprintf(out, ",\n    \"view\": {\"by\": \"%s\", \"mountNamespace\": %s, \"readOnly\": [",
		iso->mount_ns ? "shim" : "container", iso->mount_ns ? "true" : "false");
	first = true;
	for (unsigned bit = 1; bit <= TR_RO_ALL; bit <<= 1)
		if (iso->view_ro & bit) {
			fputs(first ? "" : ", ", out);
			tr_json_str(out, tr_ro_path(bit));
			first = false;
		}
	fprintf(out, "], \"hidden\": %s}", iso->mount_ns ? "[\".ledger\", \"other tenants\"]" : "[]");
	if (iso->mount_ns)
		fprintf(out, ",\n    \"runtime_dir_tmpfs\": {\"bytes\": %" PRIu64 ", \"inodes\": %u}",
			iso->rundir_bytes, iso->rundir_inodes);
	fputs(",\n    \"capabilities\": [", out);
	tr_caps_format_upper(iso->caps, buf, sizeof(buf));
	first = true;
	for (char *c = strtok(buf, " "); iso->caps && c; c = strtok(NULL, " ")) {
		fputs(first ? "" : ", ", out);
		tr_json_str(out, c);
		first = false;
	}
	fprintf(out, "],\n    \"seccomp\": \"%s\",\n    \"seccomp_profile\": ",
		seccomp_name(iso->seccomp));
	if (iso->seccomp == TR_SECCOMP_PROFILE && iso->seccomp_profile)
		tr_json_str(out, iso->seccomp_profile);
	else
		fputs("null", out);
	fprintf(out, ",\n    \"no_new_privs\": %s\n  },\n",
		iso->no_new_privs ? "true" : "false");
	print_network_json(&iso->net, out);
	fputs("}\n", out);
}
