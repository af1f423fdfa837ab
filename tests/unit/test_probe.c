/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * health/probe.c, one probe of a member, on a made-up tenant in a temp dir:
 * the "app" is a child that holds DPDK's config lock as a primary does;
 * its config is a made-up 22.11 one (tests/unit/dpdk_config.h), its
 * hugepage dir holds one page file. Not forked: not up. Up once it holds
 * the lock; libtenantrt's stats give the heartbeat and the counters (only
 * when they are its own pid's); a held EAL lock word is a lock sign; a
 * ring stuck across two probes and a stopped process are blocked signs;
 * no telemetry socket is no failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "dpdk_config.h"
#include "helpers.h"
#include "health/probe.h"

static unsigned char cfg[TC_SIZE];
static char rundir[PATH_MAX + 16], dpdkdir[PATH_MAX + 64], hugedir[PATH_MAX + 16];

static void write_config(void)
{
	char path[PATH_MAX + 96];
	snprintf(path, sizeof(path), "%s/config", dpdkdir);
	int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, cfg, sizeof(cfg), 0), (ssize_t)sizeof(cfg));
	close(fd);
}

static int setup(void **state)
{
	if (tr_tmp_setup(state) < 0)
		return -1;
	snprintf(rundir, sizeof(rundir), "%s/run", tr_tmp);
	snprintf(dpdkdir, sizeof(dpdkdir), "%s/dpdk/t", rundir);
	snprintf(hugedir, sizeof(hugedir), "%s/huge", tr_tmp);
	tr_put(dpdkdir, "x", "");
	tr_put(hugedir, "x", "");
	tc_config(cfg);
	write_config();
	return 0;
}

static void test_parse_stats(void **state)
{
	(void)state;
	struct tr_live_sample s = { 0 };
	const char *text = "tenant t\nmember 1\nrole secondary\npid 77\nstate active\n"
			   "time_ns 123456\nprocessed 40\nring_drop 2\nhandler_drop 1\n"
			   "port 0 rx 10 tx 9 drop 0\nport 1 rx 5 tx 4 drop 3\n";
	assert_true(tr_probe_parse_stats(text, 77, &s));
	assert_true(s.has_heartbeat);
	assert_int_equal(s.heartbeat, 123456);
	assert_int_equal(s.rx, 15);
	assert_int_equal(s.tx, 13);
	assert_int_equal(s.drops, 6);
	assert_true(s.have_processed);
	assert_int_equal(s.processed, 40);
	/* an earlier app's file is not this one's */
	struct tr_live_sample o = { 0 };
	assert_false(tr_probe_parse_stats(text, 78, &o));
	assert_false(tr_probe_parse_stats("pid 77\n", 77, &o));
}

static void test_primary(void **state)
{
	(void)state;
	struct tr_probe p;
	struct tr_live_sample s;
	tr_probe_init(&p, "t", rundir, hugedir, 0, TR_ROLE_PRIMARY);
	tr_probe_take(&p, 0, &s);
	assert_false(s.up);
	assert_string_equal(s.why, "the app is not forked yet");

	char path[PATH_MAX + 96];
	snprintf(path, sizeof(path), "%s/config", dpdkdir);
	pid_t app = tr_hold_fcntl_lock(path);
	tr_probe_take(&p, app, &s);
	assert_true(s.up);
	assert_false(s.blocked);
	assert_false(s.lock_held);
	assert_false(s.has_heartbeat);
	assert_string_equal(s.why, "holds its EAL lock; no telemetry socket yet");

	/* its own libtenantrt stats: the heartbeat */
	char stats[256];
	snprintf(stats, sizeof(stats), "pid %d\ntime_ns 5\nport 0 rx 3 tx 3 drop 0\n", (int)app);
	tr_put(rundir, "tenantrt/member-0", stats);
	tr_probe_take(&p, app, &s);
	assert_true(s.up);
	assert_true(s.has_heartbeat);
	assert_int_equal(s.rx, 3);

	/* a lock word held in every read of the burst */
	tc_u32(cfg, 32, 4);
	write_config();
	tr_probe_take(&p, app, &s);
	assert_true(s.lock_held);
	assert_false(s.blocked);
	assert_string_equal(s.why, "EAL lock memory_hotplug_lock (memory maps) held by 1 reader");
	tc_u32(cfg, 32, 0);
	write_config();

	/* stopped: blocked */
	kill(app, SIGSTOP);
	for (int i = 0; i < 100; i++) {
		tr_probe_take(&p, app, &s);
		if (s.blocked)
			break;
		usleep(10000);
	}
	assert_true(s.blocked);
	char want[128];
	snprintf(want, sizeof(want), "the app (pid %d) is stopped (SIGSTOP or traced)", (int)app);
	assert_string_equal(s.why, want);
	kill(app, SIGCONT);
	tr_child_kill(app);
	snprintf(path, sizeof(path), "%s/tenantrt/member-0", rundir);
	unlink(path);
	/* the lock gone with the app: not up */
	tr_probe_take(&p, app, &s);
	assert_false(s.up);
}

static void test_ring_stuck(void **state)
{
	(void)state;
	char path[PATH_MAX + 96];
	snprintf(path, sizeof(path), "%s/tmap_0", hugedir);
	int fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)TC_PAGE), 0);
	uint64_t e[3] = { 0, 0, TC_BASE + 0x2000 };
	assert_int_equal(pwrite(fd, e, sizeof(e), 0x1000), (ssize_t)sizeof(e));
	assert_int_equal(pwrite(fd, "MP_mb_pool_0", 13, 0x2000), 13);
	uint32_t prod[2] = { 40589277, 40589275 };
	assert_int_equal(pwrite(fd, prod, sizeof(prod), 0x2000 + 128), (ssize_t)sizeof(prod));
	close(fd);
	tc_u64(cfg, TC_RING_HEAD - 16, TC_BASE + 0x1000);
	write_config();
	snprintf(path, sizeof(path), "%s/config", dpdkdir);
	pid_t app = tr_hold_fcntl_lock(path);
	struct tr_probe p;
	struct tr_live_sample s;
	tr_probe_init(&p, "t", rundir, hugedir, 1, TR_ROLE_SECONDARY);
	tr_probe_take(&p, app, &s);
	assert_true(s.up);
	assert_false(s.blocked);   /* one look: maybe in flight */
	assert_string_equal(s.why, "its primary is up");
	tr_probe_take(&p, app, &s);
	assert_true(s.blocked);
	assert_string_equal(s.why, "ring MP_mb_pool_0: an enqueue never finished (head 40589277, tail 40589275)");
	tr_child_kill(app);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_stats),
		cmocka_unit_test_setup_teardown(test_primary, setup, tr_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_ring_stuck, setup, tr_tmp_teardown),
	};
	return cmocka_run_group_tests_name("probe", tests, NULL, NULL);
}
