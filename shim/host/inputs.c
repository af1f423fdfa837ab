/* SPDX-License-Identifier: BSD-3-Clause */
#include "host/inputs.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/dpdkfs.h"
#include "common/fsutil.h"
#include "common/layout.h"
#include "host/container.h"
#include "host/devinfo.h"
#include "host/dynuid.h"
#include "host/ledger.h"
#include "host/netdev.h"
#include "host/pidns.h"
#include "host/view.h"

/*
 * The uid the ledger will give a tenant without user: (host/dynuid.h),
 * read under a shared lock; admission takes it under the exclusive one,
 * and plans again if another tenant took it in between.
 */
static int predict_uid(struct tr_inputs *in, const struct tr_config *cfg,
		       const struct tr_tenant *t, struct tr_error *err)
{
	const char *root = tr_host_runtime_root(&cfg->host);
	struct tr_ledger lg = { .lock_fd = -1 };
	struct tr_lease *v = NULL;
	unsigned n = 0;
	struct tr_error lerr = { 0 };
	bool have = tr_ledger_open(&lg, root, false, &lerr) == 0;
	if (have) {
		if (tr_ledger_lock(&lg, false, &lerr) == 0) {
			tr_ledger_scan(&lg, &v, &n, &lerr);
			tr_ledger_unlock(&lg);
		}
	}
	int rc = tr_dynuid_pick(have ? lg.dir : NULL, root, t->name, v, n,
				tr_dynuid_host_taken, &in->host_uids, &in->dynamic_uid, err);
	free(v);
	tr_ledger_close(&lg);
	return rc;
}

/*
 * The runtimeRoot as the kernel resolves it, so two spellings of one
 * directory (a symlink, /var/run and /run) name one cgroup. A root not made
 * yet (`tenantrt plan` before any start) resolves through its longest
 * existing parent.
 */
static void resolve_root(const char *root, char *out, size_t len)
{
	char head[PATH_MAX], real[PATH_MAX];
	snprintf(head, sizeof(head), "%s", root);
	for (;;) {
		char *slash = strrchr(head, '/');
		if (realpath(head[0] ? head : "/", real) != NULL) {
			size_t n = strlen(head);
			const char *tail = root + n;
			snprintf(out, len, "%s%s", strcmp(real, "/") == 0 && *tail ? "" : real, tail);
			return;
		}
		if (slash == NULL || slash == head) {
			snprintf(out, len, "%s", root);
			return;
		}
		*slash = '\0';
	}
}

int tr_inputs_gather(struct tr_inputs *in, const struct tr_config *cfg,
		     const struct tr_tenant *t, enum tr_role role, const char *app,
		     char *const envp[], enum tr_inputs_use use, struct tr_error *err)
{
	memset(in, 0, sizeof(*in));
	char rundir[4200], dpdkdir[4400], ledger_dir[4200];
	snprintf(rundir, sizeof(rundir), "%s/%s", tr_host_runtime_root(&cfg->host), t->name);
	snprintf(ledger_dir, sizeof(ledger_dir), "%s/" TR_LEDGER_DIR,
		 tr_host_runtime_root(&cfg->host));
	tr_dpdk_path(rundir, t->name, NULL, dpdkdir, sizeof(dpdkdir));
	in->envp = envp;
	resolve_root(tr_host_runtime_root(&cfg->host), in->root_real, sizeof(in->root_real));

	if (tr_container_probe(&in->container, "", cfg->host.page_size, envp, err) < 0)
		return -1;
	tr_view_probe(&in->container);
	in->have_elf = tr_elf_inspect(app, tr_env_get(envp, "PATH"), &in->elf, err) == 0;
	if (!in->have_elf && use == TR_INPUTS_RUN)
		return -1;
	tr_err_clear(err);
	if (!t->user.set && predict_uid(in, cfg, t, err) < 0)
		return -1;
	if (role == TR_ROLE_SECONDARY) {
		struct tr_error gerr = { 0 };
		in->have_group = tr_manifest_read(&in->group, ledger_dir, t->name, &gerr) == 0;
	}
	/* The devices, read before anything is granted (the plan judges). */
	if (tr_netdev_gather(&in->net, ledger_dir, t->name, t->nics, t->n_nics,
			     in->have_group ? in->group.devices : NULL,
			     in->have_group ? in->group.n_devices : 0, err) < 0)
		return -1;
	if (use == TR_INPUTS_SHOW)
		return 0;
	/* What the container or pod gives, against tenants.yaml, before
	 * admission: a refusal holds nothing. */
	if (tr_devinfo_check(cfg, t, "", envp, err) < 0)
		return -1;
	if (role == TR_ROLE_SECONDARY &&
	    (tr_pidns_check_primary_visible(dpdkdir, err) < 0 ||
	     tr_pidns_check_group(dpdkdir, "/proc/locks", err) < 0))
		return -1;
	return 0;
}

void tr_inputs_for_plan(struct tr_plan_input *pi, const struct tr_inputs *in,
			const struct tr_config *cfg, const struct tr_tenant *t,
			const struct tr_host_facts *facts, enum tr_role role,
			unsigned member, char *const app_argv[], int app_argc)
{
	*pi = (struct tr_plan_input){
		.cfg = cfg,
		.tenant = t,
		.host = facts,
		.container = &in->container,
		.role = role,
		.member = member,
		.app = app_argc > 0 ? app_argv[0] : "APP",
		.app_path = in->have_elf ? in->elf.path : NULL,
		.app_args = app_argc > 1 ? app_argv + 1 : NULL,
		.n_app_args = app_argc > 1 ? app_argc - 1 : 0,
		.group_devices = in->have_group ? in->group.devices : NULL,
		.n_group_devices = in->have_group ? in->group.n_devices : 0,
		.dynamic_uid = in->dynamic_uid,
		.envp = in->envp,
		.runtime_root_real = in->root_real[0] ? in->root_real : NULL,
		.net = &in->net,
	};
}

void tr_inputs_free(struct tr_inputs *in)
{
	if (in->have_group)
		tr_manifest_free(&in->group);
	in->have_group = false;
}
