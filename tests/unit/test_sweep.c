/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * host/sweep.c: stale tenants claimed under the ledger lock and reclaimed
 * after it, for real in a temp runtimeRoot: a stuck teardown never slows
 * another tenant's admission, a reclaimer killed half-way leaves the
 * tenant reclaimable, a failed reclaim backs off, a tenant's own previous
 * run is given back before it starts again, a dead member alone is
 * reclaimed alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <time.h>

#include "admit_helpers.h"
#include "host/sweep.h"
#include "run/reap.h"

static const struct tr_reclaimer reclaim = { .reclaim = tr_reap_tenant };

/* What the sweep gave the reclaimer, and what it said. */
static struct {
	unsigned calls;
	char tenants[256];      /* "acme,globex," in call order */
	int result;             /* what reclaim returns */
	char notes[2048];
} rec;

static int record_reclaim(const struct tr_lease *l, tr_note_fn note, void *ctx,
			  struct tr_error *err)
{
	(void)note;
	(void)ctx;
	rec.calls++;
	size_t n = strlen(rec.tenants);
	snprintf(rec.tenants + n, sizeof(rec.tenants) - n, "%s,", l->tenant);
	if (rec.result < 0)
		return tr_err(err, EX_TEMPFAIL, "%s is busy", l->tenant);
	return rec.result;
}

static void record_note(void *ctx, const char *what)
{
	(void)ctx;
	size_t n = strlen(rec.notes);
	snprintf(rec.notes + n, sizeof(rec.notes) - n, "%s\n", what);
}

static const struct tr_reclaimer recorder = { .reclaim = record_reclaim, .note = record_note };

/* Scan and claim under the lock, reclaim after it, as `tenantrt reap`
 * does (TR_SWEEP_NOW); the number of tenants given back, *kept (may be
 * NULL) the number that failed. */
static int sweep(unsigned *kept)
{
	struct tr_ledger lg;
	struct tr_lease *v;
	struct tr_sweep_claims c = { 0 };
	unsigned n = scan(&lg, &v);
	tr_sweep_claim(&lg, v, n, TR_SWEEP_NOW, &recorder, &c);
	free(v);
	tr_ledger_unlock(&lg);
	int got = 0;
	unsigned failed = 0;
	for (unsigned i = 0; i < c.n; i++) {
		struct tr_error err = { 0 };
		bool whole = c.v[i].whole;
		int r = tr_sweep_reclaim_one(&lg, &c, i, &recorder, &err);
		got += r == 0 && whole;
		failed += r < 0;
	}
	tr_sweep_free(&c);
	tr_ledger_close(&lg);
	if (kept)
		*kept = failed;
	return got;
}

static int ledger_setup(void **state)
{
	memset(&rec, 0, sizeof(rec));
	memset(&rec, 0, sizeof(rec));
	if (tr_tmp_setup(state) < 0)
		return -1;
	struct tr_ledger lg;
	if (tr_ledger_open(&lg, tr_tmp, true, NULL) < 0)
		return -1;
	tr_ledger_close(&lg);
	return 0;
}

/* A tenant with no live member: reclaimed once, whatever its number of
 * stale leases, which all go; a live tenant is left alone. */
static void test_sweep_reclaims_a_dead_tenant_once(void **state)
{
	(void)state;
	put_lease("acme", 0, false);
	put_lease("acme", 1, false);
	int g0 = put_lease("globex", 0, true);
	unsigned kept = 99;
	assert_int_equal(sweep(&kept), 1);
	assert_int_equal(kept, 0);
	assert_int_equal(rec.calls, 1);
	assert_string_equal(rec.tenants, "acme,");
	assert_false(lease_exists("acme", 0));
	assert_false(lease_exists("acme", 1));
	assert_true(lease_exists("globex", 0));
	char want[2 * PATH_MAX + 128];
	snprintf(want, sizeof(want),
		 "removed stale lease %s/" TR_LEDGER_DIR "/acme.0.lease\n"
		 "removed stale lease %s/" TR_LEDGER_DIR "/acme.1.lease\n",
		 tr_tmp, tr_tmp);
	assert_string_equal(rec.notes, want);
	close(g0);
}

/* A stale member of a tenant that still runs: its lease goes, the
 * tenant's state stays for the live ones. */
static void test_sweep_keeps_a_tenant_with_a_live_member(void **state)
{
	(void)state;
	int a0 = put_lease("acme", 0, true);
	put_lease("acme", 1, false);
	assert_int_equal(sweep(NULL), 0);
	assert_int_equal(rec.calls, 0);
	assert_true(lease_exists("acme", 0));
	assert_false(lease_exists("acme", 1));
	close(a0);
}

/* A reclaim that fails (a busy mount) keeps the tenant's leases, so a
 * later sweep still knows its dirs, and does not block another tenant. */
static void test_sweep_failed_reclaim_keeps_leases(void **state)
{
	(void)state;
	put_lease("acme", 0, false);
	put_lease("acme", 1, false);
	put_lease("globex", 0, false);
	rec.result = -1;
	unsigned kept = 0;
	assert_int_equal(sweep(&kept), 0);
	assert_int_equal(kept, 2);
	assert_string_equal(rec.tenants, "acme,globex,");
	assert_true(lease_exists("acme", 0));
	assert_true(lease_exists("acme", 1));
	assert_true(lease_exists("globex", 0));
	assert_string_equal(rec.notes, "kept for a later reap: acme is busy\n"
				       "kept for a later reap: globex is busy\n");
	rec.result = 0;
	assert_int_equal(sweep(&kept), 2);
	assert_int_equal(kept, 0);
	assert_false(lease_exists("acme", 0));
	assert_false(lease_exists("acme", 1));
	assert_false(lease_exists("globex", 0));
}

/* An app that outlived its shim still holds DPDK's primary lock: the
 * reclaimer is asked (it keeps everything, 1) and the leases stay. */
static void test_sweep_keeps_a_tenant_whose_primary_runs(void **state)
{
	(void)state;
	put_lease("acme", 0, false);
	char cfg[PATH_MAX + 32];
	snprintf(cfg, sizeof(cfg), "%s/acme/dpdk/acme/config", tr_tmp);
	tr_put(tr_tmp, "acme/dpdk/acme/config", "");
	pid_t app = tr_hold_fcntl_lock(cfg);
	rec.result = 1;
	assert_int_equal(sweep(NULL), 0);
	assert_int_equal(rec.calls, 1);
	assert_true(lease_exists("acme", 0));
	assert_string_equal(rec.notes, "");
	tr_child_kill(app);
	rec.result = 0;
	assert_int_equal(sweep(NULL), 1);
	assert_false(lease_exists("acme", 0));
}


static void test_stale_lease_is_reclaimed_with_tenant_dirs(void **state)
{
	(void)state;
	struct tr_admit_req a = req_for("acme", TR_ROLE_PRIMARY, "0", false, "net_null0", 8);
	struct holder ha;
	assert_int_equal(hold(&a, &ha), 0);
	/* What a primary leaves: its runtime dir with DPDK files, page files. */
	char p[512];
	snprintf(p, sizeof(p), "%s/acme/dpdk/acme", tr_tmp);
	char cmd[1200];
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s %s/huge/acme && touch %s/config %s/huge/acme/acmemap_0 %s/huge/acme/othermap_0",
		 p, tr_tmp, p, tr_tmp, tr_tmp);
	assert_int_equal(system(cmd), 0);
	crash(&ha);

	struct tr_ledger lg;
	struct tr_sweep_claims c = { 0 };
	assert_int_equal(tr_ledger_open(&lg, tr_tmp, false, NULL), 0);
	assert_int_equal(tr_ledger_lock(&lg, true, NULL), 0);
	struct tr_lease *v;
	unsigned n;
	assert_int_equal(tr_ledger_scan(&lg, &v, &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_false(v[0].alive);
	tr_sweep_claim(&lg, v, n, TR_SWEEP_PACED, &reclaim, &c);
	assert_int_equal(c.n, 1);
	assert_true(c.v[0].whole);
	/* Claimed: alive again, marked, so no other sweep takes it. */
	assert_true(v[0].alive);
	free(v);
	tr_ledger_unlock(&lg);
	assert_int_equal(count_leases(&lg, true), 1);
	assert_int_equal(tr_sweep_reclaim_all(&lg, &c, &reclaim), 0);
	tr_sweep_free(&c);
	assert_int_equal(count_leases(&lg, false), 0);
	tr_ledger_close(&lg);

	struct stat st;
	snprintf(p, sizeof(p), "%s/acme", tr_tmp);
	assert_int_equal(stat(p, &st), -1);
	snprintf(p, sizeof(p), "%s/huge/acme/acmemap_0", tr_tmp);
	assert_int_equal(stat(p, &st), -1);
	/* Not the tenant's prefix: never touched. */
	snprintf(p, sizeof(p), "%s/huge/acme/othermap_0", tr_tmp);
	assert_int_equal(stat(p, &st), 0);
}

/* --- sweeping outside the lock (host/sweep.h) ---------------------------- */

static int slow_reclaim(const struct tr_lease *l, tr_note_fn note, void *ctx,
			struct tr_error *err)
{
	(void)l, (void)note, (void)ctx, (void)err;
	sleep(2);   /* a teardown that waits: a busy mount, a task in D */
	return 0;
}

static int failing_reclaim(const struct tr_lease *l, tr_note_fn note, void *ctx,
			   struct tr_error *err)
{
	(void)l, (void)note, (void)ctx;
	return tr_err(err, EX_TEMPFAIL, "cannot unmount: busy");
}

static __attribute__((noreturn)) int stuck_reclaim(const struct tr_lease *l, tr_note_fn note,
						   void *ctx, struct tr_error *err)
{
	(void)l, (void)note, (void)ctx, (void)err;
	for (;;)
		pause();
}

static unsigned n_whole, n_member;
static int count_whole(const struct tr_lease *l, tr_note_fn note, void *ctx,
		       struct tr_error *err)
{
	(void)l, (void)note, (void)ctx, (void)err;
	n_whole++;
	return 0;
}

static int count_member(const struct tr_lease *l, tr_note_fn note, void *ctx,
			struct tr_error *err)
{
	(void)note, (void)ctx, (void)err;
	assert_int_equal(l->member, 1);
	n_member++;
	return 0;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A stale tenant, as a shim killed with -9 leaves it. */
static void stale_tenant(const char *tenant, const char *cpus)
{
	struct tr_admit_req a = req_for(tenant, TR_ROLE_PRIMARY, cpus, false, NULL, 4);
	struct holder h;
	assert_int_equal(hold(&a, &h), 0);
	crash(&h);
}

static void test_stuck_tenant_does_not_slow_admission(void **state)
{
	(void)state;
	stale_tenant("stuck", "3");
	const struct tr_reclaimer slow = { .reclaim = slow_reclaim };
	struct tr_admit_req g = req_for("globex", TR_ROLE_PRIMARY, "1", false, NULL, 4);
	g.reclaim = &slow;
	struct tr_admission adm;
	struct tr_error err = { 0 };
	double t0 = now_s();
	assert_int_equal(admit_here(&g, &adm, &err), 0);
	double took = now_s() - t0;
	/* Under the lock this was the 2 s of the stuck teardown. */
	if (took > 0.5)
		fail_msg("admission took %.3f s with a stuck tenant", took);
	assert_true(adm.sweeper > 0);
	/* Meanwhile the stuck tenant is claimed (alive, reclaiming): the
	 * next admission neither waits for it nor claims it again. */
	struct tr_admit_req i = req_for("initech", TR_ROLE_PRIMARY, "2", false, NULL, 4);
	i.reclaim = &slow;
	struct tr_admission adm2;
	t0 = now_s();
	assert_int_equal(admit_here(&i, &adm2, &err), 0);
	assert_true(now_s() - t0 < 0.5);
	assert_int_equal(adm2.sweeper, 0);
	/* The sweeper finishes on its own and removes the stale lease. */
	assert_int_equal(waitpid(adm.sweeper, NULL, 0), adm.sweeper);
	struct tr_ledger lg;
	assert_int_equal(tr_ledger_open(&lg, tr_tmp, false, NULL), 0);
	assert_int_equal(count_leases(&lg, false), 2);   /* globex, initech */
	tr_ledger_close(&lg);
	close(adm.fd);
	close(adm2.fd);
}

static void test_crash_mid_reclaim_leaves_it_reclaimable(void **state)
{
	(void)state;
	stale_tenant("acme", "0");
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/acme/dpdk/acme && touch %s/acme/dpdk/acme/config",
		 tr_tmp, tr_tmp);
	assert_int_equal(system(cmd), 0);
	pid_t sweeper = fork();
	assert_true(sweeper >= 0);
	if (sweeper == 0) {
		struct tr_ledger lg;
		struct tr_sweep_claims c = { 0 };
		const struct tr_reclaimer stuck = { .reclaim = stuck_reclaim };
		struct tr_lease *v;
		unsigned n;
		if (tr_ledger_open(&lg, tr_tmp, false, NULL) < 0 ||
		    tr_ledger_lock(&lg, true, NULL) < 0 || tr_ledger_scan(&lg, &v, &n, NULL) < 0)
			_exit(1);
		tr_sweep_claim(&lg, v, n, TR_SWEEP_PACED, &stuck, &c);
		tr_ledger_unlock(&lg);
		tr_sweep_reclaim_all(&lg, &c, &stuck);
		_exit(2);
	}
	struct tr_ledger lg;
	assert_int_equal(tr_ledger_open(&lg, tr_tmp, false, NULL), 0);
	for (int i = 0; i < 200 && count_leases(&lg, true) == 0; i++)
		usleep(10 * 1000);
	assert_int_equal(count_leases(&lg, true), 1);   /* claimed */
	kill(sweeper, SIGKILL);
	waitpid(sweeper, NULL, 0);
	/* Its flock went with it: stale again, and the next sweep has it. */
	assert_int_equal(count_leases(&lg, true), 0);
	struct tr_sweep_claims c = { 0 };
	struct tr_lease *v;
	unsigned n;
	assert_int_equal(tr_ledger_lock(&lg, true, NULL), 0);
	assert_int_equal(tr_ledger_scan(&lg, &v, &n, NULL), 0);
	tr_sweep_claim(&lg, v, n, TR_SWEEP_PACED, &reclaim, &c);
	free(v);
	tr_ledger_unlock(&lg);
	assert_int_equal(c.n, 1);
	assert_int_equal(tr_sweep_reclaim_all(&lg, &c, &reclaim), 0);
	tr_sweep_free(&c);
	assert_int_equal(count_leases(&lg, false), 0);
	struct stat st;
	char p[300];
	snprintf(p, sizeof(p), "%s/acme", tr_tmp);
	assert_int_equal(stat(p, &st), -1);
	tr_ledger_close(&lg);
}

static unsigned claim_now(struct tr_ledger *lg, enum tr_sweep_pace pace,
			  const struct tr_reclaimer *r, unsigned *kept)
{
	struct tr_sweep_claims c = { 0 };
	struct tr_lease *v;
	unsigned n;
	assert_int_equal(tr_ledger_lock(lg, true, NULL), 0);
	assert_int_equal(tr_ledger_scan(lg, &v, &n, NULL), 0);
	tr_sweep_claim(lg, v, n, pace, r, &c);
	free(v);
	tr_ledger_unlock(lg);
	unsigned claimed = c.n;
	*kept = tr_sweep_reclaim_all(lg, &c, r);
	tr_sweep_free(&c);
	return claimed;
}

static void test_failed_reclaim_backs_off(void **state)
{
	(void)state;
	stale_tenant("acme", "0");
	const struct tr_reclaimer fail = { .reclaim = failing_reclaim };
	struct tr_ledger lg;
	unsigned kept;
	assert_int_equal(tr_ledger_open(&lg, tr_tmp, false, NULL), 0);
	assert_int_equal(claim_now(&lg, TR_SWEEP_PACED, &fail, &kept), 1);
	assert_int_equal(kept, 1);
	/* Kept, stale, with the time it failed. */
	assert_int_equal(count_leases(&lg, false), 1);
	assert_int_equal(count_leases(&lg, true), 0);
	/* Admissions leave it alone for a while; `tenantrt reap` does not. */
	assert_int_equal(claim_now(&lg, TR_SWEEP_PACED, &fail, &kept), 0);
	assert_int_equal(claim_now(&lg, TR_SWEEP_NOW, &reclaim, &kept), 1);
	assert_int_equal(kept, 0);
	assert_int_equal(count_leases(&lg, false), 0);
	tr_ledger_close(&lg);
}

static void test_own_previous_run_given_back_first(void **state)
{
	(void)state;
	stale_tenant("acme", "0");
	char cmd[600], p[300];
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/acme/dpdk/acme && touch %s/acme/dpdk/acme/config",
		 tr_tmp, tr_tmp);
	assert_int_equal(system(cmd), 0);
	/* The same tenant starts again: it needs its old state gone first,
	 * so it reclaims it itself, before its own admission. */
	struct tr_admit_req a = req_for("acme", TR_ROLE_PRIMARY, "0", false, NULL, 4);
	a.reclaim = &reclaim;
	struct tr_admission adm;
	struct tr_error err = { 0 };
	assert_int_equal(admit_here(&a, &adm, &err), 0);
	assert_int_equal(adm.sweeper, 0);
	struct stat st;
	snprintf(p, sizeof(p), "%s/acme/dpdk/acme/config", tr_tmp);
	assert_int_equal(stat(p, &st), -1);
	close(adm.fd);
}

static void test_dead_member_reclaimed_alone(void **state)
{
	(void)state;
	struct tr_admit_req p = req_for("acme", TR_ROLE_PRIMARY, "0", false, NULL, 4);
	struct tr_admit_req s = req_for("acme", TR_ROLE_SECONDARY, "0", false, NULL, 4);
	struct holder hp, h1;
	assert_int_equal(hold(&p, &hp), 0);
	assert_int_equal(hold(&s, &h1), 1);
	crash(&h1);
	const struct tr_reclaimer count = { .reclaim = count_whole,
					    .reclaim_member = count_member };
	struct tr_ledger lg;
	unsigned kept;
	n_whole = n_member = 0;
	assert_int_equal(tr_ledger_open(&lg, tr_tmp, false, NULL), 0);
	assert_int_equal(claim_now(&lg, TR_SWEEP_PACED, &count, &kept), 1);
	assert_int_equal(n_member, 1);
	assert_int_equal(n_whole, 0);
	assert_int_equal(count_leases(&lg, false), 1);   /* the primary's */
	/* The freed slot is taken again at once. */
	assert_int_equal(hold(&s, &h1), 1);
	release(&h1);
	release(&hp);
	tr_ledger_close(&lg);
}

#define T(f) cmocka_unit_test_setup_teardown(f, tr_tmp_setup, tr_tmp_teardown)
#define L(f) cmocka_unit_test_setup_teardown(f, ledger_setup, tr_tmp_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		L(test_sweep_reclaims_a_dead_tenant_once),
		L(test_sweep_keeps_a_tenant_with_a_live_member),
		L(test_sweep_failed_reclaim_keeps_leases),
		L(test_sweep_keeps_a_tenant_whose_primary_runs),
		T(test_stale_lease_is_reclaimed_with_tenant_dirs),
		T(test_stuck_tenant_does_not_slow_admission),
		T(test_crash_mid_reclaim_leaves_it_reclaimable),
		T(test_failed_reclaim_backs_off),
		T(test_own_previous_run_given_back_first),
		T(test_dead_member_reclaimed_alone),
	};
	return cmocka_run_group_tests_name("sweep", tests, NULL, NULL);
}
