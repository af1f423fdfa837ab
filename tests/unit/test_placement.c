/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Placement (config/placement.c): where every member's lcores run. The
 * properties it must have for every shape of group, and the case that
 * made it: DPDK's client_server_mp as a group on 2 cpus, whose members'
 * main lcores the old rule (lcore id i on cpu i mod n) both put on cpu 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "common/cleanup.h"
#include "config/placement.h"
#include "helpers.h"

/* A tenant with only what placement reads. */
static struct tr_tenant shape(unsigned pp, unsigned ps, unsigned secs)
{
	struct tr_tenant t;
	memset(&t, 0, sizeof(t));
	t.lcores.per_primary = pp;
	t.lcores.per_secondary = ps;
	t.group.max_secondaries = secs;
	return t;
}

static void placed(const struct tr_tenant *t, const char *cpus, unsigned m, const char *want)
{
	struct tr_cpuset c = tr_test_cpus(cpus);
	struct tr_placement pl;
	char buf[512];
	assert_int_equal(tr_place_member(t, &c, m, &pl), 0);
	tr_place_format(&pl, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

/* client_server_mp: mp_server primary, mp_client secondary, cpus 0-1. */
static void test_client_server_mp(void **state)
{
	(void)state;
	struct tr_tenant t = shape(1, 1, 1);
	placed(&t, "0-1", 0, "0@0");
	placed(&t, "0-1", 1, "1@1");
	/* the shape: 2 lcores each; the old rule gave 0@0,1@1 and
	 * 2@0,3@1, both mains on cpu 0 */
	t = shape(2, 2, 1);
	placed(&t, "0-1", 0, "0@0,1@0");
	placed(&t, "0-1", 1, "2@1,3@1");
	/* a spare cpu goes to the workers */
	placed(&t, "0-2", 0, "0@0,1@2");
	placed(&t, "0-2", 1, "2@1,3@0");
	/* an independent primary: its worker on the cpu that remains */
	t = shape(2, 2, 0);
	placed(&t, "4-5", 0, "0@4,1@5");
	struct tr_cpuset c = tr_test_cpus("0-1");
	struct tr_sharing sh;
	t = shape(1, 1, 1);
	assert_false(tr_place_sharing(&t, &c, &sh));
	t = shape(2, 2, 1);
	assert_false(tr_place_sharing(&t, &c, &sh));   /* each member on its own cpu */
	assert_cpus(&sh.stacked, "0-1");
	t = shape(1, 1, 2);
	assert_true(tr_place_sharing(&t, &c, &sh));
	assert_cpus(&sh.shared, "0");
	assert_true(sh.mains_share);
}

/* Per-role cpus: each role's members are dealt over their own cpus. */
static void test_role_cpus(void **state)
{
	(void)state;
	struct tr_tenant t = shape(2, 1, 2);
	t.lcores.has_primary_cpus = true;
	t.lcores.primary_cpus = tr_test_cpus("0");
	t.lcores.has_secondary_cpus = true;
	t.lcores.secondary_cpus = tr_test_cpus("1-2");
	placed(&t, "0-2", 0, "0@0,1@0");
	placed(&t, "0-2", 1, "2@1");
	placed(&t, "0-2", 2, "3@2");
	struct tr_cpuset c = tr_test_cpus("0-2");
	struct tr_sharing sh;
	assert_false(tr_place_sharing(&t, &c, &sh));
	/* the same cpus written twice are one pool */
	t.lcores.primary_cpus = tr_test_cpus("0-2");
	t.lcores.secondary_cpus = tr_test_cpus("0-2");
	placed(&t, "0-2", 0, "0@0,1@0");
	placed(&t, "0-2", 1, "2@1");
	placed(&t, "0-2", 2, "3@2");
}

/*
 * For every small shape: ids are the group's (unique, in order); every
 * lcore is on the pool's cpus; each member's main lcore has a cpu of its
 * own while members <= cpus; no cpu holds a lcore while another is empty
 * and no cpu holds two more lcores than another (dealt round-robin); and
 * tr_place_sharing agrees with a count made here.
 */
static void test_properties(void **state)
{
	(void)state;
	static const char *const lists[] = { "0", "0-1", "2-4", "0-3", "1,3,5,7,9", "0-5" };
	for (size_t li = 0; li < TR_ARRAY_SIZE(lists); li++) {
		struct tr_cpuset cpus = tr_test_cpus(lists[li]);
		unsigned n = tr_cpuset_count(&cpus);
		for (unsigned secs = 0; secs <= 4; secs++)
			for (unsigned pp = 1; pp <= 3; pp++)
				for (unsigned ps = 1; ps <= 3; ps++) {
					struct tr_tenant t = shape(pp, ps, secs);
					unsigned per_cpu[TR_MAX_CPUS] = { 0 };
					unsigned mains[TR_MAX_CPUS] = { 0 };
					int owner[TR_MAX_CPUS];
					bool cross = false;
					unsigned next_id = 0, total = 0;
					memset(owner, -1, sizeof(owner));
					for (unsigned m = 0; m <= secs; m++) {
						struct tr_placement pl;
						assert_int_equal(tr_place_member(&t, &cpus, m, &pl), 0);
						assert_int_equal(pl.n_lcores, m ? ps : pp);
						for (unsigned j = 0; j < pl.n_lcores; j++) {
							unsigned c = pl.cpus[j];
							assert_int_equal(pl.ids[j], next_id++);
							assert_true(tr_cpuset_isset(&cpus, c));
							per_cpu[c]++;
							total++;
							if (j == 0)
								mains[c]++;
							if (owner[c] >= 0 && owner[c] != (int)m)
								cross = true;
							owner[c] = (int)m;
						}
					}
					unsigned lo = ~0u, hi = 0;
					for (unsigned k = 0; k < n; k++) {
						unsigned c = (unsigned)tr_cpuset_nth(&cpus, k);
						lo = per_cpu[c] < lo ? per_cpu[c] : lo;
						hi = per_cpu[c] > hi ? per_cpu[c] : hi;
						if (secs + 1 <= n && mains[c] > 1)
							fail_msg("cpus %s, %u+%ux%u: two mains on cpu %u",
								 lists[li], pp, secs, ps, c);
					}
					if (hi > lo + 1)
						fail_msg("cpus %s, %u+%ux%u: %u vs %u lcores per cpu",
							 lists[li], pp, secs, ps, lo, hi);
					struct tr_sharing sh;
					assert_int_equal(tr_place_sharing(&t, &cpus, &sh), cross);
					assert_int_equal(sh.lcores, total);
					assert_int_equal(sh.mains_share, secs + 1 > n);
				}
	}
}

/* Nothing to place: no lcores, or no cpus. */
static void test_refusals(void **state)
{
	(void)state;
	struct tr_tenant t = shape(0, 1, 1);
	struct tr_cpuset c = tr_test_cpus("0-1"), none;
	struct tr_placement pl;
	assert_int_equal(tr_place_member(&t, &c, 0, &pl), -1);
	assert_int_equal(pl.n_lcores, 0);
	t = shape(1, 1, 1);
	tr_cpuset_zero(&none);
	assert_int_equal(tr_place_member(&t, &none, 1, &pl), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_server_mp),
		cmocka_unit_test(test_role_cpus),
		cmocka_unit_test(test_properties),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests_name("placement", tests, NULL, NULL);
}
