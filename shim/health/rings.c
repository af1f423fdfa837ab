/* SPDX-License-Identifier: BSD-3-Clause */
/* The group's rings seen from outside (health/rings.h). */
#include "health/rings.h"

#include <stdio.h>
#include <string.h>

#define RING_PROD_OFF 128
#define RING_CONS_OFF 256

void tr_rings_read(const struct tr_dpdk_mem *m, struct tr_rings *out)
{
	memset(out, 0, sizeof(*out));
	if (!m->has_rings)
		return;
	uint64_t e = m->rings_first;
	/* The tenant writes this memory: bounded, and every read checked. */
	for (unsigned hops = 0; e && hops < TR_RINGS_MAX; hops++) {
		uint64_t entry[3];   /* next, prev, data */
		if (!tr_dpdk_mem_read(m, e, entry, sizeof(entry)))
			return;
		struct tr_ring_state *r = &out->r[out->n];
		uint32_t prod[2], cons[2];
		if (entry[2] && tr_dpdk_mem_read(m, entry[2], r->name, sizeof(r->name) - 1) &&
		    tr_dpdk_mem_read(m, entry[2] + RING_PROD_OFF, prod, sizeof(prod)) &&
		    tr_dpdk_mem_read(m, entry[2] + RING_CONS_OFF, cons, sizeof(cons))) {
			r->name[sizeof(r->name) - 1] = '\0';
			for (char *c = r->name; *c; c++)
				if (*c < ' ' || *c > '~')
					*c = '?';
			r->addr = entry[2];
			r->prod_head = prod[0];
			r->prod_tail = prod[1];
			r->cons_head = cons[0];
			r->cons_tail = cons[1];
			out->n++;
		}
		e = entry[0];
	}
}

static const struct tr_ring_state *find(const struct tr_rings *s, uint64_t addr)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->r[i].addr == addr)
			return &s->r[i];
	return NULL;
}

bool tr_rings_stuck(const struct tr_rings *before, const struct tr_rings *now, char *why,
		    size_t len)
{
	size_t k = 0;
	bool any = false;
	why[0] = '\0';
	for (unsigned i = 0; i < now->n; i++) {
		const struct tr_ring_state *a = find(before, now->r[i].addr), *b = &now->r[i];
		if (a == NULL)
			continue;
		bool prod = b->prod_head != b->prod_tail && a->prod_head == b->prod_head &&
			    a->prod_tail == b->prod_tail;
		bool cons = b->cons_head != b->cons_tail && a->cons_head == b->cons_head &&
			    a->cons_tail == b->cons_tail;
		if (!prod && !cons)
			continue;
		any = true;
		if (k < len)
			k += (size_t)snprintf(why + k, len - k,
					      "%sring %s: %s never finished (head %u, tail %u)",
					      k ? ", " : "", b->name,
					      prod ? "an enqueue" : "a dequeue",
					      prod ? b->prod_head : b->cons_head,
					      prod ? b->prod_tail : b->cons_tail);
	}
	return any;
}
