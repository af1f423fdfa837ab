/* SPDX-License-Identifier: BSD-3-Clause */
/* Placement of every member's lcores on the tenant's cpus (placement.h). */
#include "config/placement.h"

#include <stdio.h>
#include <string.h>

const struct tr_cpuset *tr_place_pool(const struct tr_tenant *t,
				      const struct tr_cpuset *cpus, unsigned member)
{
	const struct tr_lcores *l = &t->lcores;
	if (member == 0)
		return l->has_primary_cpus ? &l->primary_cpus : cpus;
	return l->has_secondary_cpus ? &l->secondary_cpus : cpus;
}

static unsigned workers_of(unsigned per_member)
{
	return per_member ? per_member - 1 : 0;
}

int tr_place_member(const struct tr_tenant *t, const struct tr_cpuset *cpus,
		    unsigned member, struct tr_placement *out)
{
	const struct tr_lcores *l = &t->lcores;
	unsigned secs = t->group.max_secondaries;
	const struct tr_cpuset *pool = tr_place_pool(t, cpus, member);
	unsigned ncpus = tr_cpuset_count(pool);
	unsigned count = member == 0 ? l->per_primary : l->per_secondary;
	out->n_lcores = 0;
	if (count == 0 || count > TR_MAX_MEMBER_LCORES || ncpus == 0)
		return -1;
	/* The primary shares its pool with the secondaries when both draw
	 * from the same cpus (the default: the tenant's). */
	bool one_pool = secs == 0 ||
			memcmp(tr_place_pool(t, cpus, 0), tr_place_pool(t, cpus, 1),
			       sizeof(*pool)) == 0;
	unsigned rank, mains, before;   /* before: workers dealt before ours */
	if (one_pool) {
		rank = member;
		mains = 1 + secs;
		before = member == 0 ? 0
			 : workers_of(l->per_primary) + (member - 1) * workers_of(l->per_secondary);
	} else if (member == 0) {
		rank = 0, mains = 1, before = 0;
	} else {
		rank = member - 1, mains = secs;
		before = (member - 1) * workers_of(l->per_secondary);
	}
	unsigned first = member == 0 ? 0 : l->per_primary + (member - 1) * l->per_secondary;
	for (unsigned j = 0; j < count; j++) {
		unsigned slot = j == 0 ? rank : mains + before + j - 1;
		out->ids[j] = first + j;
		out->cpus[j] = (unsigned)tr_cpuset_nth(pool, slot % ncpus);
	}
	out->n_lcores = count;
	return 0;
}

bool tr_place_sharing(const struct tr_tenant *t, const struct tr_cpuset *cpus,
		      struct tr_sharing *out)
{
	/* per cpu: lcores on it, main lcores on it, the first member seen
	 * there (+1; 0 = none) */
	unsigned char on[TR_MAX_CPUS] = { 0 }, mains[TR_MAX_CPUS] = { 0 };
	unsigned short owner[TR_MAX_CPUS] = { 0 };
	memset(out, 0, sizeof(*out));
	for (unsigned m = 0; m <= t->group.max_secondaries; m++) {
		struct tr_placement pl;
		if (tr_place_member(t, cpus, m, &pl) < 0)
			continue;
		for (unsigned j = 0; j < pl.n_lcores; j++) {
			unsigned c = pl.cpus[j];
			out->lcores++;
			tr_cpuset_set(&out->used, c);
			if (on[c] < 255)
				on[c]++;
			if (owner[c] == 0)
				owner[c] = (unsigned short)(m + 1);
			else if (owner[c] != m + 1)
				tr_cpuset_set(&out->shared, c);
			if (on[c] >= 2)
				tr_cpuset_set(&out->stacked, c);
			if (on[c] > out->most)
				out->most = on[c];
			if (j == 0 && ++mains[c] >= 2)
				out->mains_share = true;
		}
	}
	return !tr_cpuset_empty(&out->shared);
}

void tr_place_format(const struct tr_placement *pl, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	for (unsigned j = 0; j < pl->n_lcores && n < len; j++)
		n += (size_t)snprintf(buf + n, len - n, "%s%u@%u", j ? "," : "",
				      pl->ids[j], pl->cpus[j]);
}
