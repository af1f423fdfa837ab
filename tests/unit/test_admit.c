/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * host/admit.c, the admission rules, for real in a temp runtimeRoot:
 * leases held by a live process block what they hold, a dead holder's
 * lease does not, and each refusal names the holder.
 *
 * A "live shim" is a forked child that admits and then waits on a pipe, so
 * its flock is held by another process exactly as in production.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "admit_helpers.h"

static void test_second_primary_refused_names_holder(void **state)
{
	(void)state;
	struct tr_admit_req r = req_for("acme", TR_ROLE_PRIMARY, "0", false, "net_null0", 8);
	struct holder h;
	assert_int_equal(hold(&r, &h), 0);
	struct tr_admission adm;
	struct tr_error err = { 0 };
	assert_int_equal(admit_here(&r, &adm, &err), -1);
	assert_int_equal(err.code, EX_UNAVAILABLE);
	char want[256];
	snprintf(want, sizeof(want),
		 "a primary is already running (pid %d); start with --role secondary or auto",
		 (int)h.pid);
	assert_string_equal(err.msg, want);
	release(&h);
}

static void test_secondaries_get_distinct_members_and_limit(void **state)
{
	(void)state;
	struct tr_admit_req p = req_for("acme", TR_ROLE_PRIMARY, "0", false, "net_null0", 8);
	struct tr_admit_req s = req_for("acme", TR_ROLE_SECONDARY, "0", false, "net_null0", 8);
	struct holder hp, h1, h2;
	assert_int_equal(hold(&p, &hp), 0);
	assert_int_equal(hold(&s, &h1), 1);
	assert_int_equal(hold(&s, &h2), 2);
	struct tr_admission adm;
	struct tr_error err = { 0 };
	assert_int_equal(admit_here(&s, &adm, &err), -1);
	assert_non_null(strstr(err.msg, "all 2 secondary slots are taken"));
	/* A slot taken between the role decision and admission: decide again. */
	struct tr_admit_req taken = s;
	taken.member = 2;
	struct tr_ledger lg;
	assert_int_equal(tr_ledger_open(&lg, tr_tmp, true, NULL), 0);
	release(&h1);
	assert_int_equal(tr_admit(&lg, &taken, &adm, &err), -1);
	assert_true(adm.retry);
	assert_string_equal(err.msg, "member slot 2 was taken meanwhile");
	tr_ledger_close(&lg);
	assert_int_equal(hold(&s, &h1), 1);
	/* A freed slot is reused: member 1 again, not 3. */
	release(&h1);
	assert_int_equal(hold(&s, &h1), 1);
	release(&h1);
	release(&h2);
	release(&hp);
}

static void test_no_primary_for_secondary(void **state)
{
	(void)state;
	struct tr_admit_req s = req_for("acme", TR_ROLE_SECONDARY, "0", false, NULL, 0);
	struct tr_admission adm;
	struct tr_error err = { 0 };
	assert_int_equal(admit_here(&s, &adm, &err), -1);
	assert_string_equal(err.msg,
			    "no primary is running; start one first, or give --wait-primary SECONDS");
}

static void test_no_new_primary_under_old_secondaries(void **state)
{
	(void)state;
	struct tr_admit_req p = req_for("acme", TR_ROLE_PRIMARY, "0", false, NULL, 0);
	struct tr_admit_req s = req_for("acme", TR_ROLE_SECONDARY, "0", false, NULL, 0);
	struct holder hp, h1;
	assert_int_equal(hold(&p, &hp), 0);
	assert_int_equal(hold(&s, &h1), 1);
	crash(&hp);
	struct tr_admission adm;
	struct tr_error err = { 0 };
	assert_int_equal(admit_here(&p, &adm, &err), -1);
	assert_non_null(strstr(err.msg, "secondaries of the previous primary still run"));
	release(&h1);
	/* Now the group is gone: a new primary is admitted as member 0. */
	assert_int_equal(admit_here(&p, &adm, &err), 0);
	assert_int_equal(adm.lease.member, 0);
	close(adm.fd);
}

static void test_nic_and_exclusive_cpus_across_tenants(void **state)
{
	(void)state;
	struct tr_admit_req a = req_for("acme", TR_ROLE_PRIMARY, "0-1", true, "iface=veth0", 8);
	struct holder ha;
	assert_int_equal(hold(&a, &ha), 0);
	struct tr_admission adm;
	struct tr_error err = { 0 };

	struct tr_admit_req g = req_for("globex", TR_ROLE_PRIMARY, "3", false, "iface=veth0", 8);
	assert_int_equal(admit_here(&g, &adm, &err), -1);
	char want[256];
	snprintf(want, sizeof(want),
		 "NIC iface=veth0 is held by tenant \"acme\" (pid %d); stop it or give this tenant another NIC",
		 (int)ha.pid);
	assert_string_equal(err.msg, want);

	g = req_for("globex", TR_ROLE_PRIMARY, "1-2", false, "iface=veth1", 8);
	assert_int_equal(admit_here(&g, &adm, &err), -1);
	snprintf(want, sizeof(want),
		 "its cpus overlap tenant \"acme\" (pid %d) on cpus 1, and one of the two has cpuPolicy exclusive; give them disjoint cpus",
		 (int)ha.pid);
	assert_string_equal(err.msg, want);

	g = req_for("globex", TR_ROLE_PRIMARY, "2-3", false, "iface=veth1", 8);
	assert_int_equal(admit_here(&g, &adm, &err), 0);
	close(adm.fd);
	release(&ha);
}

static void test_quota_counts_promised_pages(void **state)
{
	(void)state;
	struct tr_admit_req a = req_for("acme", TR_ROLE_PRIMARY, "0", false, NULL, 60);
	struct holder ha;
	assert_int_equal(hold(&a, &ha), 0);
	/* 100 free, 60 promised to acme (none used yet): 50 do not fit. */
	struct tr_admit_req g = req_for("globex", TR_ROLE_PRIMARY, "1", false, NULL, 50);
	struct tr_admission adm;
	struct tr_error err = { 0 };
	assert_int_equal(admit_here(&g, &adm, &err), -1);
	char want[300];
	snprintf(want, sizeof(want),
		 "hugepage quota of 50 pages does not fit: 100 free, 60 promised to running tenants (\"acme\" pid %d); free hugepages or lower memory.limitMb",
		 (int)ha.pid);
	assert_string_equal(err.msg, want);
	g.lease.quota_pages = 40;
	assert_int_equal(admit_here(&g, &adm, &err), 0);
	close(adm.fd);
	release(&ha);
}

/* The first free slot: live leases of this tenant only count. */
static void test_free_member(void **state)
{
	(void)state;
	struct tr_lease v[4];
	memset(v, 0, sizeof(v));
	snprintf(v[0].tenant, sizeof(v[0].tenant), "acme");
	v[0].member = 1;
	v[0].alive = true;
	v[1] = v[0];
	v[1].member = 2;
	v[1].alive = false;     /* stale: its slot is free */
	v[2] = v[0];
	snprintf(v[2].tenant, sizeof(v[2].tenant), "globex");
	v[2].member = 2;        /* another tenant's */
	v[3] = v[0];
	v[3].member = 3;
	assert_int_equal(tr_admit_free_member(v, 4, "acme", 3), 2);
	assert_int_equal(tr_admit_free_member(v, 4, "globex", 3), 1);
	v[1].alive = true;
	/* all taken: 1, and admission says so */
	assert_int_equal(tr_admit_free_member(v, 4, "acme", 3), 1);
	assert_int_equal(tr_admit_free_member(v, 4, "acme", 4), 4);
	assert_int_equal(tr_admit_free_member(NULL, 0, "acme", 0), 1);
}

static unsigned n_reclaimed;
static int count_reclaim(const struct tr_lease *l, tr_note_fn note, void *ctx,
			 struct tr_error *err)
{
	(void)note;
	(void)ctx;
	(void)err;
	assert_string_equal(l->tenant, "acme");
	n_reclaimed++;
	return 0;
}

/* Releasing gives the tenant back only with its last live member. */
static void test_release_reclaims_with_the_last(void **state)
{
	(void)state;
	const struct tr_reclaimer r = { .reclaim = count_reclaim };
	struct tr_admit_req p = req_for("acme", TR_ROLE_PRIMARY, "0", false, NULL, 0);
	struct tr_admit_req s = req_for("acme", TR_ROLE_SECONDARY, "0", false, NULL, 0);
	struct tr_admission ap, as;
	struct tr_error err = { 0 };
	struct tr_ledger lg;
	assert_int_equal(tr_ledger_open(&lg, tr_tmp, true, NULL), 0);
	assert_int_equal(tr_admit(&lg, &p, &ap, &err), 0);
	assert_true(ap.first);
	s.member = 1;
	assert_int_equal(tr_admit(&lg, &s, &as, &err), 0);
	assert_false(as.first);
	char file[sizeof(ap.lease.file)];
	memcpy(file, ap.lease.file, sizeof(file));

	n_reclaimed = 0;
	assert_int_equal(tr_admission_release(&lg, &ap, &r, &err), 0);
	assert_int_equal(ap.fd, -1);
	assert_int_equal(n_reclaimed, 0);          /* the secondary runs on */
	assert_int_equal(access(file, F_OK), -1);  /* but the lease is gone */
	assert_int_equal(tr_admission_release(&lg, &as, &r, &err), 0);
	assert_int_equal(n_reclaimed, 1);
	assert_int_equal(access(as.lease.file, F_OK), -1);
	tr_ledger_close(&lg);
}

#define T(f) cmocka_unit_test_setup_teardown(f, tr_tmp_setup, tr_tmp_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_second_primary_refused_names_holder),
		T(test_secondaries_get_distinct_members_and_limit),
		T(test_no_primary_for_secondary),
		T(test_no_new_primary_under_old_secondaries),
		T(test_nic_and_exclusive_cpus_across_tenants),
		T(test_quota_counts_promised_pages),
		cmocka_unit_test(test_free_member),
		T(test_release_reclaims_with_the_last),
	};
	return cmocka_run_group_tests_name("admit", tests, NULL, NULL);
}
