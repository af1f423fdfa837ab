/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tr_init/tr_fini: the EAL from the shim's argv, the identity from its
 * environment, then the group's shared state (group.c, ports.c, link.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include "tr_rt.h"

static int env_uint(const char *name, unsigned lo, unsigned hi, unsigned dflt,
		    unsigned *out)
{
	const char *v = getenv(name);
	char *end;
	unsigned long n;

	if (v == NULL || *v == '\0') {
		*out = dflt;
		return 0;
	}
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || *v < '0' || *v > '9' || n < lo || n > hi)
		return tr__fail(EINVAL, "%s=%s: expected a number from %u to %u",
				name, v, lo, hi);
	*out = (unsigned)n;
	return 0;
}

/* Everything the environment says, checked before the EAL starts. */
static int read_env(struct tr_identity *id, int *want_role)
{
	const char *t = getenv(TR_ENV_TENANT);
	const char *r = getenv(TR_ENV_ROLE);
	const char *dp = getenv(TR_ENV_DATAPATH);

	if (t == NULL || *t == '\0')
		return tr__fail(EINVAL, TR_ENV_TENANT " is not set: run the app "
				"under tenantrt-shim or set " TR_ENV_TENANT "=<tenant>");
	if (strlen(t) >= sizeof(id->tenant) || strpbrk(t, "/ \t") != NULL)
		return tr__fail(EINVAL, TR_ENV_TENANT "=%s: not a tenant name "
				"(at most %zu characters, no '/' or blanks)", t,
				sizeof(id->tenant) - 1);
	strcpy(id->tenant, t);
	*want_role = -1;
	if (r != NULL && *r != '\0') {
		if (strcmp(r, TR_ROLE_NAME_PRIMARY) == 0)
			*want_role = TR_RT_PRIMARY;
		else if (strcmp(r, TR_ROLE_NAME_SECONDARY) == 0)
			*want_role = TR_RT_SECONDARY;
		else
			return tr__fail(EINVAL, TR_ENV_ROLE "=%s: expected "
					TR_ROLE_NAME_PRIMARY " or "
					TR_ROLE_NAME_SECONDARY, r);
	}
	if (env_uint(TR_ENV_MEMBERS, 1, TR_MAX_MEMBERS, 1, &id->members) < 0)
		return -1;
	if (env_uint(TR_ENV_MEMBER, 0, TR_MAX_MEMBERS - 1,
		     *want_role == TR_RT_SECONDARY ? 1 : 0, &id->member) < 0)
		return -1;
	if (tr_dp_conf_parse(dp, &id->dp) < 0)
		return tr__fail(EINVAL, TR_ENV_DATAPATH "=%s: expected "
				"mode=%s|%s,burst=%d..%d,ring=<power of two %d..%d>,"
				"queues=0..%d,tx=%s|%s|%s", dp,
				tr_dp_mode_name(TR_DP_MODE_DISTRIBUTE),
				tr_dp_mode_name(TR_DP_MODE_SYMMETRIC),
				TR_DP_BURST_MIN, TR_DP_BURST_MAX, TR_DP_RING_MIN,
				TR_DP_RING_MAX, TR_MAX_MEMBERS,
				tr_dp_tx_name(TR_DP_TX_AUTO),
				tr_dp_tx_name(TR_DP_TX_OWN),
				tr_dp_tx_name(TR_DP_TX_RING));
	return 0;
}

static int check_identity(struct tr_identity *id, int want_role)
{
	enum rte_proc_type_t pt = rte_eal_process_type();
	unsigned lc;

	id->role = pt == RTE_PROC_PRIMARY ? TR_RT_PRIMARY : TR_RT_SECONDARY;
	if (want_role >= 0 && (int)id->role != want_role)
		/* The EAL's --proc-type values are our role names. */
		return tr__fail(EINVAL, TR_ENV_ROLE "=%s but the EAL started "
				"this process as a %s: give --proc-type=%s",
				tr_rt_role_name((enum tr_rt_role)want_role),
				tr_rt_role_name(id->role),
				tr_rt_role_name((enum tr_rt_role)want_role));
	if (id->role == TR_RT_PRIMARY && id->member != 0)
		return tr__fail(EINVAL, TR_ENV_MEMBER "=%u for a primary: the "
				"primary is member 0", id->member);
	if (id->role == TR_RT_SECONDARY && id->members == 1)
		return tr__fail(EINVAL, "a secondary, but " TR_ENV_MEMBERS "=%u: "
				"the tenant takes no secondaries "
				"(group.maxSecondaries)", id->members);
	if (id->role == TR_RT_SECONDARY && id->member == 0)
		return tr__fail(EINVAL, "%s for a secondary: give its slot "
				TR_ENV_MEMBER "=1..%u (tenantrt-shim sets it)",
				getenv(TR_ENV_MEMBER) ? TR_ENV_MEMBER "=0" :
				TR_ENV_MEMBER " is not set", id->members - 1);
	if (id->member >= id->members)
		return tr__fail(EINVAL, TR_ENV_MEMBER "=%u but the group has "
				"%u member slots (" TR_ENV_MEMBERS ")", id->member,
				id->members);
	id->n_lcores = 0;
	id->lcores[id->n_lcores++] = rte_get_main_lcore();
	RTE_LCORE_FOREACH_WORKER(lc) {
		if (id->n_lcores < TR_MAX_LCORES_PER_MEMBER)
			id->lcores[id->n_lcores++] = lc;
	}
	return 0;
}

struct tr_rt *tr_init(int argc, char **argv, int *consumed)
{
	struct tr_rt *rt;
	int want_role = -1, n, err;

	tr__error_clear();
	rt = calloc(1, sizeof(*rt));
	if (rt == NULL) {
		tr__fail(ENOMEM, "out of memory");
		return NULL;
	}
	rt->ifsock = -1;
	if (read_env(&rt->id, &want_role) < 0)
		goto fail;
	n = rte_eal_init(argc, argv);
	if (n < 0) {
		int e = rte_errno ? rte_errno : EINVAL;
		tr__fail(e, "rte_eal_init failed (%s): see the EAL messages "
			 "above", rte_strerror(e));
		goto fail;
	}
	rt->eal_up = true;
	if (consumed != NULL)
		*consumed = n;
	rt->hz = rte_get_tsc_hz();
	tr__stats_init(rt);
	if (check_identity(&rt->id, want_role) < 0)
		goto fail;
	if (rt->id.role == TR_RT_PRIMARY) {
		if (tr__group_create(rt) < 0 || tr__ports_setup(rt) < 0 ||
		    tr__link_setup_primary(rt) < 0)
			goto fail;
		tr__self(rt)->own.n_run = rt->n_run;
		/* Secondaries read it with acquire: everything above
		 * (ports, rings, names) is visible once they see it. */
		__atomic_store_n(&rt->reg->hdr.ready, 1, __ATOMIC_RELEASE);
	} else {
		if (tr__group_attach(rt) < 0 || tr__ports_lookup(rt) < 0 ||
		    tr__link_setup_secondary(rt) < 0 || tr__group_join(rt) < 0)
			goto fail;
		/* The primary made our rings when it admitted us. */
		if (rt->id.dp.mode == TR_DP_MODE_DISTRIBUTE &&
		    tr__ports_rings(rt, rt->id.member, rt->n_run) < 0)
			goto fail;
	}
	return rt;
fail:
	err = rte_errno;
	tr_fini(rt);
	rte_errno = err;
	return NULL;
}

int tr_fini(struct tr_rt *rt)
{
	int rc = 0;

	if (rt == NULL)
		return 0;
	if (rt->reg != NULL) {
		tr__link_teardown(rt);
		if (rt->id.role == TR_RT_SECONDARY) {
			tr__group_leave(rt);
		} else {
			__atomic_store_n(&rt->reg->hdr.ready, 0, __ATOMIC_RELEASE);
			tr__group_drain(rt);
			tr__ports_close(rt);
			tr__stats_remove(rt);
		}
	}
	if (rt->eal_up && rte_eal_cleanup() < 0)
		rc = -rte_errno;
	free(rt);
	return rc;
}
