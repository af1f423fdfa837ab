/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What an app (and stats.c) may ask of the handle, read-only: who this
 * process is, its ports and pool, one member's registry slot.
 */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_mempool.h>

#include "tr_rt.h"

const char *tr_rt_role_name(enum tr_rt_role r)
{
	return r == TR_RT_PRIMARY ? TR_ROLE_NAME_PRIMARY : TR_ROLE_NAME_SECONDARY;
}

const struct tr_identity *tr_identity(const struct tr_rt *rt)
{
	return &rt->id;
}

unsigned tr_port_count(const struct tr_rt *rt)
{
	return rt->n_ports;
}

unsigned tr_mempool_in_use(const struct tr_rt *rt)
{
	return rt->pool ? rte_mempool_in_use_count(rt->pool) : 0;
}

int tr_member_get(const struct tr_rt *rt, unsigned member,
		  struct tr_member_info *out)
{
	const struct tr_shm_member *m;
	uint64_t now = rte_get_tsc_cycles(), hb;

	if (member >= rt->id.members || rt->reg == NULL)
		return -EINVAL;
	m = &rt->reg->member[member];
	memset(out, 0, sizeof(*out));
	out->state = (enum tr_member_state)__atomic_load_n(&m->own.state,
							   __ATOMIC_ACQUIRE);
	out->role = (enum tr_rt_role)m->own.role;
	out->pid = m->own.pid;
	out->n_lcores = m->own.n_lcores;
	for (unsigned i = 0; i < out->n_lcores && i < TR_MAX_LCORES_PER_MEMBER; i++)
		out->lcores[i] = m->own.lcores[i];
	hb = m->own.heartbeat;
	out->heartbeat_age_ms = now > hb ? (now - hb) * 1000 / rt->hz : 0;
	out->ring_drop = __atomic_load_n(&m->pri.ring_drop, __ATOMIC_RELAXED);
	out->n_run = RTE_MIN(m->own.n_run, (uint32_t)TR_MAX_LCORES_PER_MEMBER);
	/* The sum over every lcore's line (each written by its lcore). */
	for (unsigned j = 0; j < TR_MAX_LCORES_PER_MEMBER; j++) {
		const struct tr_shm_lcore *lc = &m->lc[j];
		out->processed += lc->processed;
		out->handler_drop += lc->handler_drop;
		out->busy_cycles += lc->busy_cycles;
		out->idle_polls += lc->idle_polls;
		out->lcore_processed[j] = lc->processed;
		for (unsigned p = 0; p < TR_MAX_PORTS; p++) {
			out->lcore_rx[j] += lc->port[p].rx;
			out->port[p].rx += lc->port[p].rx;
			out->port[p].tx += lc->port[p].tx;
			out->port[p].drop += lc->port[p].drop;
		}
	}
	return 0;
}
