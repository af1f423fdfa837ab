/* SPDX-License-Identifier: BSD-3-Clause */
/* A lease's text: "key=value" lines, one "nic=" per NIC (host/lease.h). */
#include "host/lease.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fsutil.h"

int tr_lease_format(const struct tr_lease *l, char *buf, size_t len)
{
	char cpus[1024], mcpus[1024];
	tr_cpuset_format(&l->cpus, cpus, sizeof(cpus));
	tr_cpuset_format(&l->member_cpus, mcpus, sizeof(mcpus));
	int n = snprintf(buf, len,
			 "tenant=%s\nmember=%u\nrole=%s\nshim_pid=%d\napp_pid=%d\n"
			 "since=%lld\nexclusive=%d\ncpus=%s\nmember_cpus=%s\nlcores=%s\nplacement=%s\n"
			 "quota_pages=%" PRIu64 "\npage_bytes=%" PRIu64 "\n"
			 "huge_mounted=%d\nrun_mounted=%d\nuid=%u\ngid=%u\ndynamic_uid=%d\n"
			 "mount_ns=%d\nview_ro=%u\n"
			 "runtime_dir=%s\nhuge_dir=%s\nconfig=%s\n"
			 "cgroup=%s\nreclaiming=%d\nreclaim_whole=%d\nreclaim_failed=%lld\n",
			 l->tenant, l->member, tr_role_name(l->role), (int)l->shim_pid,
			 (int)l->app_pid, l->since, l->exclusive ? 1 : 0, cpus, mcpus,
			 l->lcores, l->placement, l->quota_pages, l->page_bytes,
			 l->huge_mounted ? 1 : 0, l->run_mounted ? 1 : 0, (unsigned)l->uid,
			 (unsigned)l->gid, l->dynamic_uid ? 1 : 0, l->mount_ns ? 1 : 0,
			 l->view_ro, l->runtime_dir, l->huge_dir, l->config,
			 l->cgroup, (int)l->reclaiming, l->reclaim_whole ? 1 : 0,
			 l->reclaim_failed);
	for (unsigned i = 0; i < l->n_nics && n >= 0 && (size_t)n < len; i++)
		n += snprintf(buf + n, len - (size_t)n, "nic=%s\n", l->nics[i]);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}

#define COPY_FIELD(dst, v) snprintf((dst), sizeof(dst), "%s", (v))

int tr_lease_parse(struct tr_lease *l, const char *text)
{
	memset(l, 0, sizeof(*l));
	const char *p = text, *k;
	char line[TR_LEASE_PATH_MAX + 32], *v;
	bool have_tenant = false;
	int more;
	while ((more = tr_kv_next(&p, line, sizeof(line), &k, &v)) > 0) {
		char why[64];
		if (strcmp(k, "tenant") == 0) {
			COPY_FIELD(l->tenant, v);
			have_tenant = true;
		} else if (strcmp(k, "member") == 0) {
			l->member = (unsigned)strtoul(v, NULL, 10);
		} else if (strcmp(k, "role") == 0) {
			l->role = strcmp(v, TR_ROLE_NAME_PRIMARY) == 0 ? TR_ROLE_PRIMARY : TR_ROLE_SECONDARY;
		} else if (strcmp(k, "shim_pid") == 0) {
			l->shim_pid = (pid_t)strtol(v, NULL, 10);
		} else if (strcmp(k, "app_pid") == 0) {
			l->app_pid = (pid_t)strtol(v, NULL, 10);
		} else if (strcmp(k, "since") == 0) {
			l->since = strtoll(v, NULL, 10);
		} else if (strcmp(k, "exclusive") == 0) {
			l->exclusive = strcmp(v, "1") == 0;
		} else if (strcmp(k, "cpus") == 0) {
			if (*v && tr_cpuset_parse(&l->cpus, v, why, sizeof(why)) < 0)
				return -1;
		} else if (strcmp(k, "member_cpus") == 0) {
			if (*v && tr_cpuset_parse(&l->member_cpus, v, why, sizeof(why)) < 0)
				return -1;
		} else if (strcmp(k, "lcores") == 0) {
			COPY_FIELD(l->lcores, v);
		} else if (strcmp(k, "placement") == 0) {
			COPY_FIELD(l->placement, v);
		} else if (strcmp(k, "quota_pages") == 0) {
			l->quota_pages = strtoull(v, NULL, 10);
		} else if (strcmp(k, "page_bytes") == 0) {
			l->page_bytes = strtoull(v, NULL, 10);
		} else if (strcmp(k, "huge_mounted") == 0) {
			l->huge_mounted = strcmp(v, "1") == 0;
		} else if (strcmp(k, "run_mounted") == 0) {
			l->run_mounted = strcmp(v, "1") == 0;
		} else if (strcmp(k, "uid") == 0) {
			l->uid = (uid_t)strtoul(v, NULL, 10);
		} else if (strcmp(k, "gid") == 0) {
			l->gid = (gid_t)strtoul(v, NULL, 10);
		} else if (strcmp(k, "dynamic_uid") == 0) {
			l->dynamic_uid = strcmp(v, "1") == 0;
		} else if (strcmp(k, "mount_ns") == 0) {
			l->mount_ns = strcmp(v, "1") == 0;
		} else if (strcmp(k, "view_ro") == 0) {
			l->view_ro = (unsigned)strtoul(v, NULL, 10);
		} else if (strcmp(k, "runtime_dir") == 0) {
			COPY_FIELD(l->runtime_dir, v);
		} else if (strcmp(k, "huge_dir") == 0) {
			COPY_FIELD(l->huge_dir, v);
		} else if (strcmp(k, "config") == 0) {
			COPY_FIELD(l->config, v);
		} else if (strcmp(k, "cgroup") == 0) {
			/* Read back by a root reclaim: only a name we make. */
			if (*v && !tr_cg_group_name_ok(v))
				return -1;
			COPY_FIELD(l->cgroup, v);
		} else if (strcmp(k, "reclaiming") == 0) {
			l->reclaiming = (pid_t)strtol(v, NULL, 10);
		} else if (strcmp(k, "reclaim_whole") == 0) {
			l->reclaim_whole = strcmp(v, "1") == 0;
		} else if (strcmp(k, "reclaim_failed") == 0) {
			l->reclaim_failed = strtoll(v, NULL, 10);
		} else if (strcmp(k, "nic") == 0 && l->n_nics < TR_MAX_NICS) {
			COPY_FIELD(l->nics[l->n_nics], v);
			l->n_nics++;
		}
	}
	return more == 0 && have_tenant ? 0 : -1;
}

