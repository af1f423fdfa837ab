/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The group registry: the memzone, joining and leaving, finding dead
 * members and taking back what their rings held; distribute's view of
 * which member lcores take flows.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_ring.h>

#include "tr_flow.h"
#include "tr_rt.h"

/* A member whose heartbeat is this old is checked for life. */
#define TR_STALE_MS 200
#define TR_WAIT_MS 10000

static void own_identity(struct tr_rt *rt, struct tr_shm_member_own *own)
{
	own->role = rt->id.role;
	own->pid = getpid();
	own->n_lcores = rt->id.n_lcores;
	for (unsigned i = 0; i < rt->id.n_lcores; i++)
		own->lcores[i] = (uint16_t)rt->id.lcores[i];
	own->n_run = rt->n_run;
	own->heartbeat = rte_get_tsc_cycles();
}

int tr__group_create(struct tr_rt *rt)
{
	char name[RTE_MEMZONE_NAMESIZE];
	struct tr_shm_registry *reg;

	snprintf(name, sizeof(name), TR_SHM_REG_FMT, rt->id.tenant);
	rt->mz = rte_memzone_reserve(name, sizeof(*reg), rte_socket_id(),
				     RTE_MEMZONE_SIZE_HINT_ONLY);
	if (rt->mz == NULL)
		return tr__fail(rte_errno, "cannot reserve memzone %s (%zu bytes): "
				"%s; raise the tenant's memory", name, sizeof(*reg),
				rte_strerror(rte_errno));
	reg = rt->mz->addr;
	memset(reg, 0, sizeof(*reg));
	reg->hdr.magic = TR_SHM_MAGIC;
	reg->hdr.version = TR_SHM_VERSION;
	reg->hdr.size = sizeof(*reg);
	reg->hdr.members = rt->id.members;
	reg->hdr.dp = rt->id.dp;
	reg->hdr.primary_pid = getpid();
	reg->hdr.tsc_hz = rt->hz;
	reg->hdr.primary_hb = rte_get_tsc_cycles();
	strcpy(reg->hdr.tenant, rt->id.tenant);
	rt->reg = reg;
	own_identity(rt, &reg->member[0].own);
	reg->member[0].own.state = TR_MEMBER_ACTIVE;
	rt->active = 0;
	tr__group_publish(rt);
	return 0;
}

static void sleep_ms(unsigned ms)
{
	rte_delay_us_sleep(ms * 1000u);
}

int tr__group_attach(struct tr_rt *rt)
{
	char name[RTE_MEMZONE_NAMESIZE];
	struct tr_shm_registry *reg;
	unsigned waited = 0;

	snprintf(name, sizeof(name), TR_SHM_REG_FMT, rt->id.tenant);
	/* The primary's EAL is up before its registry is: wait for both. */
	for (;;) {
		rt->mz = rte_memzone_lookup(name);
		if (rt->mz != NULL &&
		    __atomic_load_n(&((struct tr_shm_registry *)rt->mz->addr)->hdr.ready,
				    __ATOMIC_ACQUIRE))
			break;
		if (waited >= TR_WAIT_MS)
			return tr__fail(ETIMEDOUT, "tenant %s: the primary has %s "
					"after %u s; is it a tenantrt app with "
					TR_ENV_TENANT "=%s?", rt->id.tenant,
					rt->mz ? "not finished its set-up" :
					"created no registry", waited / 1000,
					rt->id.tenant);
		sleep_ms(10);
		waited += 10;
	}
	reg = rt->mz->addr;
	if (reg->hdr.magic != TR_SHM_MAGIC || reg->hdr.version != TR_SHM_VERSION ||
	    reg->hdr.size != sizeof(*reg))
		return tr__fail(EPROTO, "memzone %s: magic %#x version %u size %u, "
				"expected %#x version %u size %zu: primary and "
				"secondary use different libtenantrt builds", name,
				reg->hdr.magic, reg->hdr.version, reg->hdr.size,
				TR_SHM_MAGIC, TR_SHM_VERSION, sizeof(*reg));
	if (strcmp(reg->hdr.tenant, rt->id.tenant) != 0)
		return tr__fail(EINVAL, "memzone %s belongs to tenant %s",
				name, reg->hdr.tenant);
	if (reg->hdr.members != rt->id.members)
		return tr__fail(EINVAL, TR_ENV_MEMBERS "=%u but the primary "
				"runs a group of %u", rt->id.members,
				reg->hdr.members);
	if (reg->hdr.dp.mode != rt->id.dp.mode)
		return tr__fail(EINVAL, TR_ENV_DATAPATH " mode=%s but the "
				"primary runs mode=%s: give every member the "
				"same data-path settings",
				tr_dp_mode_name(rt->id.dp.mode),
				tr_dp_mode_name(reg->hdr.dp.mode));
	/* The primary's settings rule (ring sizes, burst). */
	rt->id.dp = reg->hdr.dp;
	rt->reg = reg;
	return 0;
}

int tr__group_join(struct tr_rt *rt)
{
	struct tr_shm_member *m = tr__self(rt);
	unsigned waited = 0;
	uint64_t seq;

	/* Wait for the slot's previous holder to be drained by the primary. */
	for (;;) {
		uint32_t st = __atomic_load_n(&m->own.state, __ATOMIC_ACQUIRE);
		if (st == TR_MEMBER_FREE)
			break;
		if (!tr__pid_dead(m->own.pid) && m->own.pid != getpid())
			return tr__fail(EEXIST, "tenant %s: member slot %u is held "
					"by live pid %d: give another " TR_ENV_MEMBER,
					rt->id.tenant, rt->id.member, m->own.pid);
		if (waited >= TR_WAIT_MS)
			return tr__fail(ETIMEDOUT, "tenant %s: member slot %u was "
					"not freed by the primary in %u s",
					rt->id.tenant, rt->id.member, waited / 1000);
		sleep_ms(10);
		waited += 10;
	}
	own_identity(rt, &m->own);
	memset(m->lc, 0, sizeof(m->lc));
	seq = m->own.join_seq + 1;
	m->own.join_seq = seq;
	__atomic_store_n(&m->own.state, TR_MEMBER_JOINING, __ATOMIC_RELEASE);
	for (waited = 0; __atomic_load_n(&m->pri.ack_seq, __ATOMIC_ACQUIRE) != seq;
	     waited += 10) {
		if (tr__pid_dead(rt->reg->hdr.primary_pid))
			return tr__fail(EPIPE, "tenant %s: the primary (pid %d) "
					"is gone", rt->id.tenant,
					rt->reg->hdr.primary_pid);
		if (waited >= TR_WAIT_MS) {
			__atomic_store_n(&m->own.state, TR_MEMBER_FREE,
					 __ATOMIC_RELEASE);
			return tr__fail(ETIMEDOUT, "tenant %s: the primary did not "
					"admit member %u in %u s; does it run the "
					"tenantrt data path (tr_dp_run or "
					"tr_group_check)?", rt->id.tenant,
					rt->id.member, waited / 1000);
		}
		m->own.heartbeat = rte_get_tsc_cycles();
		sleep_ms(10);
	}
	m->own.heartbeat = rte_get_tsc_cycles();
	__atomic_store_n(&m->own.state, TR_MEMBER_ACTIVE, __ATOMIC_RELEASE);
	return 0;
}

void tr__group_leave(struct tr_rt *rt)
{
	struct tr_shm_member *m = tr__self(rt);
	uint32_t st = __atomic_load_n(&m->own.state, __ATOMIC_ACQUIRE);

	if (st != TR_MEMBER_ACTIVE && st != TR_MEMBER_JOINING)
		return;
	/* Only the slot's holder may leave it: a tr_init that failed with
	 * EEXIST (another live process holds this member index) must not
	 * mark that process LEAVING, or the primary would recover a ring the
	 * holder is still consuming. */
	if (m->own.pid != getpid())
		return;
	__atomic_store_n(&m->own.state, TR_MEMBER_LEAVING, __ATOMIC_RELEASE);
	for (unsigned waited = 0; waited < 1000; waited += 5) {
		if (__atomic_load_n(&m->own.state, __ATOMIC_ACQUIRE) == TR_MEMBER_FREE)
			break;
		if (tr__pid_dead(rt->reg->hdr.primary_pid))
			break;
		sleep_ms(5);
	}
	tr__stats_remove_member(rt, rt->id.member);
}

/*
 * Primary stopping (hdr.ready is 0): wait up to 1 s for the members to
 * leave their loops, acking each LEAVING so it can exit, before the ports
 * and rings go away under them (a secondary polling a closed port crashes).
 */
void tr__group_drain(struct tr_rt *rt)
{
	for (unsigned waited = 0; waited < 1000; waited += 5) {
		unsigned busy = 0;
		for (unsigned mi = 1; mi < rt->id.members; mi++) {
			struct tr_shm_member *m = &rt->reg->member[mi];
			uint32_t st = __atomic_load_n(&m->own.state, __ATOMIC_ACQUIRE);
			if (st == TR_MEMBER_LEAVING || st == TR_MEMBER_DEAD ||
			    ((st == TR_MEMBER_ACTIVE || st == TR_MEMBER_JOINING) &&
			     tr__pid_dead(m->own.pid)))
				__atomic_store_n(&m->own.state, TR_MEMBER_FREE,
						 __ATOMIC_RELEASE);
			else if (st != TR_MEMBER_FREE)
				busy++;
		}
		if (busy == 0)
			return;
		sleep_ms(5);
	}
}

/*
 * Distribute: a view of the admitted members' lcores (tr_rt.h) into the
 * spare buffer, published. The spare may still be held by a primary lcore
 * that has not yet moved to the current view: then nothing changes and
 * the caller tries again at the next check. Symmetric mode has no view.
 * @return 0, or -EAGAIN.
 */
int tr__group_publish(struct tr_rt *rt)
{
	struct tr_view *v = rt->cur == &rt->view[0] ? &rt->view[1] : &rt->view[0];
	uint8_t lcores[TR_MAX_MEMBERS] = {0}, table[TR_SHM_BUCKETS], idx[256];
	unsigned n = 0, l0 = rt->n_run ? rt->n_run : 1;

	if (rt->cur != NULL && !tr__group_quiet(rt, rt->cur->version))
		return -EAGAIN;
	v->version = rt->cur ? rt->cur->version + 1 : 1;
	for (unsigned m = 1; m < rt->id.members; m++) {
		if (!(rt->active & (UINT32_C(1) << m)))
			continue;
		lcores[m] = rt->nsink[m];
		for (unsigned j = 0; j < rt->nsink[m]; j++) {
			idx[TR_SINK(m, j)] = (uint8_t)n;
			v->sink[n++] = (struct tr_sink){
				.member = (uint8_t)m, .lcore = (uint8_t)j,
				.drainer = (uint8_t)tr_split_drainer(m, j, l0),
				.in = rt->in[m][j], .out = rt->out[m][j],
			};
		}
	}
	v->n_sinks = n;
	tr_table_build(table, lcores);
	for (unsigned b = 0; b < TR_SHM_BUCKETS; b++)
		v->map[b] = n ? idx[table[b]] : 0;
	memcpy(rt->reg->table, table, sizeof(table));
	__atomic_store_n(&rt->cur, v, __ATOMIC_SEQ_CST);
	return 0;
}

/* No primary lcore but the caller's can still hold a view older than
 * version (each says which it holds in seen[]; UINT32_MAX: none). */
bool tr__group_quiet(struct tr_rt *rt, uint32_t version)
{
	for (unsigned i = 0; i < rt->n_loops; i++)
		if (__atomic_load_n(&rt->seen[i].version, __ATOMIC_SEQ_CST) < version)
			return false;
	return true;
}

/*
 * Member m is gone (dead or left), and no primary lcore enqueues to its
 * rings any more: take back its in rings and its out rings, one per lcore
 * it ran. The member no longer dequeues, so the rings' indexes may be set
 * right here; only this lcore (the primary's main) touches them now.
 */
static void recover_ring(struct tr_rt *rt, unsigned mi, unsigned j)
{
	struct tr_shm_member *m = &rt->reg->member[mi];
	struct tr_shm_lcore *lc = &m->lc[j];
	struct rte_ring *in = rt->in[mi][j], *out = rt->out[mi][j];
	struct rte_mbuf *pkts[64];
	uint32_t pend;
	unsigned n;

	pend = in->cons.head - in->cons.tail;
	if (pend != 0) {
		uint32_t hn = lc->hand_n, ht = lc->hand_out_tail;
		bool taken = hn == pend &&
			(ht == TR_HAND_UNKNOWN || (out != NULL && out->prod.tail == ht));
		if (taken)
			in->cons.tail = in->cons.head; /* sent or returned */
		else
			in->cons.head = in->cons.tail; /* still ours to free */
	}
	if (out != NULL) {
		/* A half-done enqueue was never published: forget it. */
		out->prod.head = out->prod.tail;
		while ((n = rte_ring_sc_dequeue_burst(out, (void **)pkts, 64, NULL)) > 0)
			tr__tx_burst(rt, pkts, (uint16_t)n, 0,
				     &rt->reg->member[0].lc[0]);
	}
	while ((n = rte_ring_sc_dequeue_burst(in, (void **)pkts, 64, NULL)) > 0) {
		rte_pktmbuf_free_bulk(pkts, n);
		m->pri.drained += n;
	}
	lc->hand_n = 0;
}

static void recover(struct tr_rt *rt, unsigned mi)
{
	for (unsigned j = 0; j < TR_MAX_LCORES_PER_MEMBER; j++)
		if (rt->in[mi][j] != NULL)
			recover_ring(rt, mi, j);
}

/*
 * Member mi leaves the flow table (once), then, when no primary lcore can
 * still be enqueuing to its rings, what they held is taken back.
 * @return true when it is all done and the slot may be freed.
 */
static bool let_go(struct tr_rt *rt, unsigned mi)
{
	uint32_t bit = UINT32_C(1) << mi;

	if (rt->active & bit) {
		rt->active &= ~bit;
		rt->nsink[mi] = 0;
		if (rt->id.dp.mode == TR_DP_MODE_SYMMETRIC)
			return true;
		rt->removing |= bit;
	}
	if (!(rt->removing & bit))
		return true;
	/* The view without mi is out once published (a retry when the
	 * lcores still hold the one before); then wait for them to take it. */
	if (rt->gone_version[mi] == 0) {
		if (tr__group_publish(rt) < 0)
			return false;
		rt->gone_version[mi] = rt->cur->version;
	}
	if (!tr__group_quiet(rt, rt->gone_version[mi]))
		return false;
	recover(rt, mi);
	rt->removing &= ~bit;
	rt->gone_version[mi] = 0;
	return true;
}

/* Admit member mi: its rings (distribute), then its lcores in the flow
 * table. @return true once admitted. */
static bool admit(struct tr_rt *rt, unsigned mi)
{
	struct tr_shm_member *m = &rt->reg->member[mi];
	unsigned n = m->own.n_run;

	if (rt->id.dp.mode == TR_DP_MODE_DISTRIBUTE) {
		if (n == 0 || n > TR_MAX_LCORES_PER_MEMBER)
			n = 1;
		/* A ring that cannot be made leaves it waiting (it gives up
		 * after 10 s); the next check tries again. */
		if (tr__ports_rings(rt, mi, n) < 0)
			return false;
		rt->nsink[mi] = (uint8_t)n;
		rt->active |= UINT32_C(1) << mi;
		if (tr__group_publish(rt) < 0) {
			rt->active &= ~(UINT32_C(1) << mi);
			rt->nsink[mi] = 0;
			return false;
		}
	} else {
		rt->active |= UINT32_C(1) << mi;
	}
	__atomic_store_n(&m->pri.ack_seq, m->own.join_seq, __ATOMIC_RELEASE);
	return true;
}

int tr_group_check(struct tr_rt *rt)
{
	uint64_t now = rte_get_tsc_cycles();
	uint64_t stale = rt->hz * TR_STALE_MS / 1000;
	int dead = 0;

	if (rt->id.role != TR_RT_PRIMARY)
		return -EPERM;
	for (unsigned mi = 1; mi < rt->id.members; mi++) {
		struct tr_shm_member *m = &rt->reg->member[mi];
		uint32_t st = __atomic_load_n(&m->own.state, __ATOMIC_ACQUIRE);
		uint32_t bit = UINT32_C(1) << mi;
		bool gone;

		switch (st) {
		case TR_MEMBER_JOINING:
			if (m->pri.ack_seq == m->own.join_seq) {
				/* Admitted, then killed before it went
				 * ACTIVE: its bit is set and its ring fed, so
				 * it is reclaimed like a dead active member
				 * (once its heartbeat is stale). */
				if (!tr__pid_dead(m->own.pid))
					break;
				goto active;
			}
			if (tr__pid_dead(m->own.pid)) {
				__atomic_store_n(&m->own.state, TR_MEMBER_FREE,
						 __ATOMIC_RELEASE);
				break;
			}
			/* Not while its slot's last holder is being taken back. */
			if (!(rt->removing & bit) || let_go(rt, mi))
				admit(rt, mi);
			break;
		case TR_MEMBER_ACTIVE:
		case TR_MEMBER_LEAVING:
		active:
			gone = st == TR_MEMBER_LEAVING;
			if (!gone && now - m->own.heartbeat > stale &&
			    tr__pid_dead(m->own.pid)) {
				gone = true;
				dead++;
				__atomic_store_n(&m->own.state, TR_MEMBER_DEAD,
						 __ATOMIC_RELEASE);
				tr__stats_remove_member(rt, mi);
			}
			if (gone && let_go(rt, mi))
				__atomic_store_n(&m->own.state, TR_MEMBER_FREE,
						 __ATOMIC_RELEASE);
			break;
		case TR_MEMBER_DEAD:
			/* Found dead earlier, its rings not yet taken back. */
			if (let_go(rt, mi))
				__atomic_store_n(&m->own.state, TR_MEMBER_FREE,
						 __ATOMIC_RELEASE);
			break;
		case TR_MEMBER_FREE:
			/* A member that gave up waiting for its ack (FREE)
			 * just as it was admitted: take its bit back. */
			if ((rt->active | rt->removing) & bit)
				let_go(rt, mi);
			break;
		default:
			break;
		}
	}
	return dead;
}
