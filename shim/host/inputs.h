/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 4a, inputs: what a member's plan is a function of besides the
 * config, read from this host: the container's ceilings, the app's binary,
 * and the running group's record. The shim and `tenantrt plan` gather the
 * same, so the plan shown is the plan run.
 *
 * The shim also refuses here, before anything is admitted, what the host
 * gives wrong: a device-plugin vfio node missing from the container, a
 * secondary in another PID namespace than its group.
 */
#ifndef TR_HOST_INPUTS_H
#define TR_HOST_INPUTS_H

#include <stdbool.h>

#include "common/error.h"
#include "config/model.h"
#include "host/dynuid.h"
#include "config/netfacts.h"
#include "host/elf.h"
#include "host/manifest.h"
#include "plan/plan.h"

enum tr_inputs_use {
	TR_INPUTS_RUN,      /* the shim: the app must exist; host checks */
	TR_INPUTS_SHOW,     /* `tenantrt plan`: an app not found is a name */
};

struct tr_inputs {
	struct tr_container_facts container;
	struct tr_elf_info elf;
	bool have_elf;
	struct tr_manifest group;       /* the primary's record */
	bool have_group;
	uid_t dynamic_uid;              /* a tenant without user: runs as it
					   (host/dynuid.h; admission checks it
					   again under the ledger lock) */
	struct tr_host_uids host_uids;  /* the host's own uids, read once for
					   both */
	char *const *envp;              /* the caller's environment (env.pass) */
	char root_real[4096];           /* runtimeRoot, symlinks resolved */
	struct tr_net_facts net;        /* its network devices, the netns */
};

int tr_inputs_gather(struct tr_inputs *in, const struct tr_config *cfg,
		     const struct tr_tenant *t, enum tr_role role, const char *app,
		     char *const envp[], enum tr_inputs_use use, struct tr_error *err);

/* The plan's input from them (pointers into cfg, facts and in). */
void tr_inputs_for_plan(struct tr_plan_input *pi, const struct tr_inputs *in,
			const struct tr_config *cfg, const struct tr_tenant *t,
			const struct tr_host_facts *facts, enum tr_role role,
			unsigned member, char *const app_argv[], int app_argc);

void tr_inputs_free(struct tr_inputs *in);

#endif
