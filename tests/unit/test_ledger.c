/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * host/ledger.c, the ledger's storage, in a temp runtimeRoot: opening
 * one, the scan (sorted, alive while the lease's flock is held, a
 * half-written lease kept as "?"), and the sweep of stale leases: a dead
 * tenant reclaimed once, never one with a live member, nor one whose DPDK
 * primary still runs; a reclaim that fails keeps its leases and blocks
 * no other tenant. The reclaimer here only records what it is given (the
 * real one: test_reap.c).
 *
 * A lease is alive while an open file description holds its flock: the
 * test holds it on an fd of its own, as a shim does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/file.h>

#include "common/layout.h"
#include "helpers.h"
#include "host/ledger.h"

/* The lease file of tenant's member, written as a shim would; the fd that
 * holds its flock when held (else -1, and the lease is stale). */
static int put_lease(const char *tenant, unsigned member, bool held)
{
	char dir[PATH_MAX + 16], path[PATH_MAX + 96];
	snprintf(dir, sizeof(dir), "%s/" TR_LEDGER_DIR, tr_tmp);
	snprintf(path, sizeof(path), "%s/%s.%u.lease", dir, tenant, member);
	struct tr_lease l;
	memset(&l, 0, sizeof(l));
	snprintf(l.tenant, sizeof(l.tenant), "%s", tenant);
	l.member = member;
	l.role = member ? TR_ROLE_SECONDARY : TR_ROLE_PRIMARY;
	snprintf(l.runtime_dir, sizeof(l.runtime_dir), "%s/%s", tr_tmp, tenant);
	int fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(tr_lease_write(fd, &l, NULL), 0);
	if (held) {
		assert_int_equal(flock(fd, LOCK_EX), 0);
		return fd;
	}
	close(fd);
	return -1;
}

static bool lease_exists(const char *tenant, unsigned member)
{
	char path[PATH_MAX + 96];
	snprintf(path, sizeof(path), "%s/" TR_LEDGER_DIR "/%s.%u.lease", tr_tmp, tenant, member);
	return access(path, F_OK) == 0;
}

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

/* Open, lock and scan the ledger as an admission does; *v to free. */
static unsigned scan(struct tr_ledger *lg, struct tr_lease **v)
{
	unsigned n = 0;
	assert_int_equal(tr_ledger_open(lg, tr_tmp, false, NULL), 0);
	assert_int_equal(tr_ledger_lock(lg, true, NULL), 0);
	assert_int_equal(tr_ledger_scan(lg, v, &n, NULL), 0);
	return n;
}

static void done(struct tr_ledger *lg, struct tr_lease *v)
{
	free(v);
	tr_ledger_unlock(lg);
	tr_ledger_close(lg);
}

/* Scan and sweep; the number of tenants reclaimed. */
static int sweep(unsigned *kept)
{
	struct tr_ledger lg;
	struct tr_lease *v;
	unsigned n = scan(&lg, &v);
	int got = tr_ledger_sweep(&lg, v, n, &recorder, kept);
	done(&lg, v);
	return got;
}

static int setup(void **state)
{
	memset(&rec, 0, sizeof(rec));
	if (tr_tmp_setup(state) < 0)
		return -1;
	struct tr_ledger lg;
	if (tr_ledger_open(&lg, tr_tmp, true, NULL) < 0)
		return -1;
	tr_ledger_close(&lg);
	return 0;
}

static void test_open_needs_a_ledger_unless_created(void **state)
{
	(void)state;
	struct tr_ledger lg;
	struct tr_error err = { 0 };
	char root[PATH_MAX + 16];
	snprintf(root, sizeof(root), "%s/elsewhere", tr_tmp);
	assert_int_equal(tr_ledger_open(&lg, root, false, &err), -1);
	assert_int_equal(err.code, EX_NOINPUT);
	char want[PATH_MAX + 128];
	snprintf(want, sizeof(want),
		 "no ledger under %s: no tenant was started with this runtimeRoot", root);
	assert_string_equal(err.msg, want);
	assert_int_equal(tr_ledger_open(&lg, root, true, &err), 0);
	struct stat st;
	assert_int_equal(stat(lg.dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	tr_ledger_close(&lg);
	assert_int_equal(tr_ledger_open(&lg, root, false, &err), 0);
	tr_ledger_close(&lg);
}

static void test_scan_sorted_alive_and_half_written(void **state)
{
	(void)state;
	int g0 = put_lease("globex", 0, true);
	int a0 = put_lease("acme", 0, true);
	put_lease("acme", 1, false);
	tr_put(tr_tmp, TR_LEDGER_DIR "/acme.2.lease", "member=2\n");
	tr_put(tr_tmp, TR_LEDGER_DIR "/notes.txt", "tenant=x\n");

	struct tr_ledger lg;
	struct tr_lease *v;
	assert_int_equal(scan(&lg, &v), 4);
	/* "?" (the half-written one) sorts first: '?' < 'a' */
	assert_string_equal(v[0].tenant, "?");
	assert_false(v[0].alive);
	assert_string_equal(v[1].tenant, "acme");
	assert_int_equal(v[1].member, 0);
	assert_true(v[1].alive);
	assert_string_equal(v[2].tenant, "acme");
	assert_int_equal(v[2].member, 1);
	assert_false(v[2].alive);
	assert_string_equal(v[3].tenant, "globex");
	assert_true(v[3].alive);
	char want[PATH_MAX + 64];
	snprintf(want, sizeof(want), "%s/" TR_LEDGER_DIR "/globex.0.lease", tr_tmp);
	assert_string_equal(v[3].file, want);
	done(&lg, v);
	close(a0);
	close(g0);
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

#define T(f) cmocka_unit_test_setup_teardown(f, setup, tr_tmp_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_open_needs_a_ledger_unless_created),
		T(test_scan_sorted_alive_and_half_written),
		T(test_sweep_reclaims_a_dead_tenant_once),
		T(test_sweep_keeps_a_tenant_with_a_live_member),
		T(test_sweep_failed_reclaim_keeps_leases),
		T(test_sweep_keeps_a_tenant_whose_primary_runs),
	};
	return cmocka_run_group_tests_name("ledger", tests, NULL, NULL);
}
