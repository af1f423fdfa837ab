/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Drives the isolation API (shim/isolate.h) from a test script, as the shim
 * does, so its effects can be attacked with real processes:
 *
 *   iso_run setup    --tenant T [--limit-mb N] [--cpus LIST] [--mems MASK]
 *                    [--pids N] [--memory-mb N]
 *   iso_run exec     --tenant T [--uid U --gid G [--supp G,G]]
 *                    [--caps none|cap_net_raw,...] [--seccomp default|
 *                    unconfined|/profile] [--mems MASK] -- CMD [ARGS]
 *   iso_run teardown --tenant T       kill what runs in its groups, remove them
 *   iso_run status   --tenant T       "hugetlb hard|soft cpuset hard|soft"
 *   iso_run cgname   --tenant T       the tenant's cgroup name
 *
 * Every command also takes --runtime-root DIR (the tenant's group is named
 * after it, as the shim names it; default /run/tenantrt) and --member N
 * (the leaf exec joins and setup makes; default 15, no shim's member).
 *   iso_run capnames HEX              a CapEff-style mask as names,
 *                                     "cap_net_admin,cap_net_raw" or "none"
 *
 * `exec` runs tr_isolate_child() in this process and then execs CMD, as the
 * shim's child does. Errors: the one-line message, exit with its code.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include "isolate/isolate.h"
#include "common/caps.h"
#include "isolate/privs.h"

static struct tr_plan plan;

static int die(const struct tr_error *err)
{
	fprintf(stderr, "iso_run: %s\n", err->msg);
	return err->code != 0 ? err->code : 70;
}

static int usage(const char *why)
{
	fprintf(stderr, "iso_run: %s; see the comment at the top of "
		"tests/tools/iso_run.c\n", why);
	return 64;
}

static int parse_caps(const char *list, uint64_t *out)
{
	*out = 0;
	if (strcmp(list, "none") == 0)
		return 0;
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s", list);
	char *save = NULL;
	for (char *t = strtok_r(buf, ",", &save); t != NULL;
	     t = strtok_r(NULL, ",", &save)) {
		cap_value_t v;
		if (cap_from_name(t, &v) < 0 || v >= 64)
			return -1;
		*out |= UINT64_C(1) << v;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct tr_error err = { 0 };
	const char *tenant = NULL;
	struct tr_isolation *iso = &plan.iso;
	int i;

	if (argc < 2)
		return usage("no command");
	const char *cmd = argv[1];
	if (strcmp(cmd, "capnames") == 0 && argc == 3) {
		char names[1024];
		tr_caps_format(strtoull(argv[2], NULL, 16), names,
			       sizeof(names));
		printf("%s\n", names);
		return 0;
	}
	iso->page_bytes = UINT64_C(2) << 20;
	iso->huge_limit_bytes = UINT64_C(64) << 20;
	iso->seccomp = TR_SECCOMP_DEFAULT;
	iso->no_new_privs = true;
	tr_cpuset_zero(&iso->cpus);
	const char *root = "/run/tenantrt";
	plan.member = 15;
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (v == NULL)
			return usage("an option lacks its value");
		i++;
		if (strcmp(a, "--tenant") == 0) {
			tenant = v;
		} else if (strcmp(a, "--runtime-root") == 0) {
			root = v;
		} else if (strcmp(a, "--member") == 0) {
			plan.member = (unsigned)strtoul(v, NULL, 10);
		} else if (strcmp(a, "--pids") == 0) {
			iso->pids_max = strtoull(v, NULL, 10);
		} else if (strcmp(a, "--memory-mb") == 0) {
			iso->memory_max_bytes = strtoull(v, NULL, 10) << 20;
		} else if (strcmp(a, "--limit-mb") == 0) {
			iso->huge_limit_bytes = strtoull(v, NULL, 10) << 20;
		} else if (strcmp(a, "--cpus") == 0) {
			char why[128];
			if (tr_cpuset_parse(&iso->cpus, v, why, sizeof(why)) < 0)
				return usage(why);
		} else if (strcmp(a, "--mems") == 0) {
			iso->numa_nodes = strtoull(v, NULL, 0);
		} else if (strcmp(a, "--uid") == 0) {
			iso->has_user = true;
			iso->uid = (uid_t)strtoul(v, NULL, 10);
		} else if (strcmp(a, "--gid") == 0) {
			iso->gid = (gid_t)strtoul(v, NULL, 10);
		} else if (strcmp(a, "--supp") == 0) {
			char buf[256], *save = NULL;
			snprintf(buf, sizeof(buf), "%s", v);
			for (char *t = strtok_r(buf, ",", &save);
			     t != NULL && iso->n_supp < TR_MAX_SUPP_GROUPS;
			     t = strtok_r(NULL, ",", &save))
				iso->supp[iso->n_supp++] =
					(gid_t)strtoul(t, NULL, 10);
		} else if (strcmp(a, "--caps") == 0) {
			if (parse_caps(v, &iso->caps) < 0)
				return usage("unknown capability name");
		} else if (strcmp(a, "--seccomp") == 0) {
			if (strcmp(v, "default") == 0) {
				iso->seccomp = TR_SECCOMP_DEFAULT;
			} else if (strcmp(v, "unconfined") == 0) {
				iso->seccomp = TR_SECCOMP_UNCONFINED;
			} else {
				iso->seccomp = TR_SECCOMP_PROFILE;
				iso->seccomp_profile = v;
			}
		} else {
			return usage("unknown option");
		}
	}
	if (tenant == NULL)
		return usage("--tenant is required");
	plan.tenant = tenant;
	tr_cg_group_name(iso->cgroup, sizeof(iso->cgroup), root, tenant);

	if (strcmp(cmd, "cgname") == 0) {
		printf("%s\n", iso->cgroup);
		return 0;
	}
	if (strcmp(cmd, "setup") == 0) {
		if (tr_isolate_tenant_setup(&plan, &err) < 0)
			return die(&err);
		return 0;
	}
	if (strcmp(cmd, "teardown") == 0) {
		if (tr_isolate_tenant_kill(iso->cgroup, &err) < 0 ||
		    tr_isolate_tenant_teardown(iso->cgroup, &err) < 0)
			return die(&err);
		return 0;
	}
	if (strcmp(cmd, "status") == 0) {
		printf("hugetlb %s cpuset %s\n",
		       tr_isolate_quota_is_hard(iso->cgroup) ? "hard" : "soft",
		       tr_isolate_cpus_are_hard(iso->cgroup) ? "hard" : "soft");
		return 0;
	}
	if (strcmp(cmd, "exec") == 0) {
		if (i >= argc)
			return usage("exec needs a command after --");
		if (tr_isolate_child(&plan, false, &err) < 0)
			return die(&err);
		execvp(argv[i], &argv[i]);
		fprintf(stderr, "iso_run: cannot exec %s: %s\n", argv[i],
			strerror(errno));
		return errno == ENOENT ? 127 : 126;
	}
	return usage("unknown command");
}
