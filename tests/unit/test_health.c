/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * health/health.c, root's health records and stop marks in a temp ledger
 * dir: a record goes through its text and back, a malformed one is
 * refused, writes replace whole; a stop mark keeps the first reason given
 * for a primary, is replaced for another primary, and goes when cleared.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "helpers.h"
#include "health/health.h"

static void test_record_text(void **state)
{
	(void)state;
	struct tr_health h = { .state = TR_HEALTH_STUCK, .since = 1700000000, .probed = 1700000009,
			       .stuck_at = 1700000005, .app_pid = 4242, .have_packets = true, .rx = 10, .tx = 9, .drops = 1 };
	snprintf(h.why, sizeof(h.why), "ring MP_mb_pool_0: an enqueue never finished (head 5, tail 3), for 5 s");
	char buf[1024];
	assert_true(tr_health_format(&h, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "state=stuck\nsince=1700000000\nprobed=1700000009\napp_pid=4242\n"
				 "why=ring MP_mb_pool_0: an enqueue never finished (head 5, tail 3), for 5 s\n"
				 "stuck_at=1700000005\nrx=10\ntx=9\ndrops=1\n");
	struct tr_health back;
	assert_int_equal(tr_health_parse(&back, buf), 0);
	assert_int_equal(back.state, TR_HEALTH_STUCK);
	assert_int_equal(back.since, h.since);
	assert_int_equal(back.probed, h.probed);
	assert_int_equal(back.stuck_at, h.stuck_at);
	assert_int_equal(back.app_pid, 4242);
	assert_string_equal(back.why, h.why);
	assert_true(back.have_packets);
	assert_int_equal(back.tx, 9);
	/* No packets: no counter lines, and none read back. */
	h.have_packets = false;
	assert_true(tr_health_format(&h, buf, sizeof(buf)) > 0);
	assert_null(strstr(buf, "rx="));
	assert_int_equal(tr_health_parse(&back, buf), 0);
	assert_false(back.have_packets);
	/* Refused: an unknown state, no since. */
	assert_int_equal(tr_health_parse(&back, "state=dozing\nsince=5\n"), -1);
	assert_int_equal(tr_health_parse(&back, "state=running\n"), -1);
	assert_int_equal(tr_health_format(&h, buf, 20), -1);
}

static void test_paths(void **state)
{
	(void)state;
	char p[256];
	tr_health_path("/run/tenantrt/.ledger", "acme", 2, p, sizeof(p));
	assert_string_equal(p, "/run/tenantrt/.ledger/acme.2.health");
	tr_health_path_of_lease("/run/tenantrt/.ledger/acme.2.lease", p, sizeof(p));
	assert_string_equal(p, "/run/tenantrt/.ledger/acme.2.health");
	assert_string_equal(tr_health_state_name(TR_HEALTH_STARTING), "starting");
	assert_string_equal(tr_stop_reason_name(TR_STOP_WATCHDOG), "watchdog");
}

static void test_record_file(void **state)
{
	(void)state;
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/t.0.health", tr_tmp);
	struct tr_health h = { .state = TR_HEALTH_RUNNING, .since = 5, .probed = 6, .app_pid = 7 };
	snprintf(h.why, sizeof(h.why), "up");
	assert_int_equal(tr_health_write(path, &h, NULL), 0);
	h.state = TR_HEALTH_STUCK;
	assert_int_equal(tr_health_write(path, &h, NULL), 0);
	struct tr_health back;
	assert_int_equal(tr_health_read(path, &back), 0);
	assert_int_equal(back.state, TR_HEALTH_STUCK);
	/* root's file, private */
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	unlink(path);
	assert_int_equal(tr_health_read(path, &back), -1);
}

static void test_stop_mark(void **state)
{
	(void)state;
	struct tr_stop_mark m;
	assert_int_equal(tr_stop_mark_read(tr_tmp, "acme", &m), -1);
	struct tr_stop_mark w = { TR_STOP_WATCHDOG, 100, 99, 1700000000 };
	assert_int_equal(tr_stop_mark_write(tr_tmp, "acme", &w, NULL), 0);
	/* The same primary's shim then gets its SIGTERM: still the watchdog's stop. */
	struct tr_stop_mark p = { TR_STOP_PLANNED, 100, 98, 1700000001 };
	assert_int_equal(tr_stop_mark_write(tr_tmp, "acme", &p, NULL), 0);
	assert_int_equal(tr_stop_mark_read(tr_tmp, "acme", &m), 0);
	assert_int_equal(m.reason, TR_STOP_WATCHDOG);
	assert_int_equal(m.primary, 100);
	assert_int_equal(m.by, 99);
	assert_int_equal(m.since, 1700000000);
	/* Another group's primary replaces it; other tenants are apart. */
	p.primary = 200;
	assert_int_equal(tr_stop_mark_write(tr_tmp, "acme", &p, NULL), 0);
	assert_int_equal(tr_stop_mark_read(tr_tmp, "acme", &m), 0);
	assert_int_equal(m.reason, TR_STOP_PLANNED);
	assert_int_equal(m.primary, 200);
	assert_int_equal(tr_stop_mark_read(tr_tmp, "globex", &m), -1);
	tr_stop_mark_clear(tr_tmp, "acme");
	assert_int_equal(tr_stop_mark_read(tr_tmp, "acme", &m), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_text),
		cmocka_unit_test(test_paths),
		cmocka_unit_test_setup_teardown(test_record_file, tr_tmp_setup, tr_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_stop_mark, tr_tmp_setup, tr_tmp_teardown),
	};
	return cmocka_run_group_tests_name("health", tests, NULL, NULL);
}
