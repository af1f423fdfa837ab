/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * run/watchdog.c, how a member's end is told, in a temp runtimeRoot with
 * a real ledger: a secondary whose primary stopped on purpose exits 0, one
 * whose primary died 69, and it waits (bounded) for the primary's shim to
 * say which while that shim still holds its lease; any member of a group
 * the watchdog stopped exits 124; a mark for an earlier primary is not
 * this group's. A primary's shim records "planned" on SIGTERM/SIGINT (not
 * on other signals) and when its app ends with 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/file.h>
#include <time.h>

#include "common/exits.h"
#include "common/fsutil.h"
#include "helpers.h"
#include "health/health.h"
#include "run/watchdog.h"

#define PRIMARY_APP 4000001   /* beyond pid_max: never a live process */

static struct tr_ledger lg;
static struct tr_admission adm;
static struct tr_role_watch role;
static struct tr_member_watch mw;

static int setup(void **state)
{
	if (tr_tmp_setup(state) < 0)
		return -1;
	if (tr_ledger_open(&lg, tr_tmp, true, NULL) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	tr_ledger_close(&lg);
	return tr_tmp_teardown(state);
}

static void member(enum tr_role r, pid_t app)
{
	memset(&adm, 0, sizeof(adm));
	adm.fd = -1;
	snprintf(adm.lease.tenant, sizeof(adm.lease.tenant), "acme");
	adm.lease.role = r;
	adm.lease.member = r == TR_ROLE_PRIMARY ? 0 : 1;
	adm.lease.since = (long long)time(NULL);
	snprintf(adm.lease.runtime_dir, sizeof(adm.lease.runtime_dir), "%s/acme", tr_tmp);
	tr_role_watch_init(&role, "acme", adm.lease.runtime_dir, PRIMARY_APP, app);
	tr_member_watch_init(&mw, "test", &lg, &adm, r == TR_ROLE_SECONDARY ? &role : NULL, app, 0,
			     60, 5, 10);
}

static void mark(enum tr_stop_reason r, pid_t primary)
{
	struct tr_stop_mark m = { r, primary, 1, 1 };
	tr_stop_mark_clear(lg.dir, "acme");
	assert_int_equal(tr_stop_mark_write(lg.dir, "acme", &m, NULL), 0);
}

static void test_secondary_end(void **state)
{
	(void)state;
	char why[512];
	member(TR_ROLE_SECONDARY, 4000002);
	/* no primary lock, no lease, no mark: it died */
	assert_int_equal(tr_member_watch_end(&mw, 143, why, sizeof(why)), EX_UNAVAILABLE);
	assert_string_equal(why, "tenant \"acme\": primary (pid 4000001) died; secondary (pid 4000002) ended with it (status 143); exit 69");
	mark(TR_STOP_PLANNED, PRIMARY_APP);
	assert_int_equal(tr_member_watch_end(&mw, 69, why, sizeof(why)), 0);
	assert_string_equal(why, "tenant \"acme\": primary (pid 4000001) stopped on purpose; secondary (pid 4000002) stopped with it (status 69); exit 0");
	mark(TR_STOP_WATCHDOG, PRIMARY_APP);
	assert_int_equal(tr_member_watch_end(&mw, 137, why, sizeof(why)), TR_EXIT_STUCK);
	assert_string_equal(why, "tenant \"acme\": the watchdog stopped the stuck group; exit 124");
	/* an earlier group's mark is not this group's */
	mark(TR_STOP_PLANNED, 12345);
	assert_int_equal(tr_member_watch_end(&mw, 0, why, sizeof(why)), EX_UNAVAILABLE);
}

static void test_secondary_alone(void **state)
{
	(void)state;
	char why[512], cfgpath[PATH_MAX + 64];
	/* the primary still holds DPDK's lock: the secondary's own end */
	snprintf(cfgpath, sizeof(cfgpath), "%s/acme/dpdk/acme", tr_tmp);
	tr_put(cfgpath, "config", "");
	strcat(cfgpath, "/config");
	pid_t primary = tr_hold_fcntl_lock(cfgpath);
	memset(&adm, 0, sizeof(adm));
	snprintf(adm.lease.tenant, sizeof(adm.lease.tenant), "acme");
	adm.lease.role = TR_ROLE_SECONDARY;
	adm.lease.member = 1;
	snprintf(adm.lease.runtime_dir, sizeof(adm.lease.runtime_dir), "%s/acme", tr_tmp);
	tr_role_watch_init(&role, "acme", adm.lease.runtime_dir, primary, 4000002);
	tr_member_watch_init(&mw, "test", &lg, &adm, &role, 4000002, 0, 60, 5, 10);
	assert_int_equal(tr_member_watch_end(&mw, 3, why, sizeof(why)), 3);
	assert_string_equal(why, "");
	tr_child_kill(primary);
}

/* A lease held by a child (as the primary's shim), which writes the
 * planned mark after delay_ms and then lets go. */
static pid_t primary_shim(int delay_ms)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/acme.0.lease", lg.dir);
	struct tr_lease l = { 0 };
	snprintf(l.tenant, sizeof(l.tenant), "acme");
	l.role = TR_ROLE_PRIMARY;
	l.app_pid = PRIMARY_APP;
	int fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(tr_lease_write(fd, &l, NULL), 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	pid_t c = fork();
	assert_true(c >= 0);
	if (c == 0) {
		usleep((useconds_t)delay_ms * 1000);
		struct tr_stop_mark m = { TR_STOP_PLANNED, PRIMARY_APP, getpid(), 1 };
		tr_stop_mark_write(lg.dir, "acme", &m, NULL);
		_exit(0);
	}
	close(fd);   /* the child's copy holds the flock until it exits */
	return c;
}

static void test_secondary_waits(void **state)
{
	(void)state;
	char why[512];
	member(TR_ROLE_SECONDARY, 4000002);
	pid_t c = primary_shim(400);
	double t0 = tr_now_s();
	assert_int_equal(tr_member_watch_end(&mw, 143, why, sizeof(why)), 0);
	double took = tr_now_s() - t0;
	assert_true(took > 0.3 && took < 2.5);
	assert_child_exit(c, 0);
}

static void test_primary_end(void **state)
{
	(void)state;
	char why[512];
	struct tr_stop_mark m;
	member(TR_ROLE_PRIMARY, PRIMARY_APP);
	/* killed by someone else: no mark, its status */
	assert_int_equal(tr_member_watch_end(&mw, 137, why, sizeof(why)), 137);
	assert_int_equal(tr_stop_mark_read(lg.dir, "acme", &m), -1);
	/* SIGHUP is forwarded, not a stop */
	tr_member_watch_signal(&mw, SIGHUP);
	assert_int_equal(tr_stop_mark_read(lg.dir, "acme", &m), -1);
	/* SIGTERM: planned, before the app hears it */
	tr_member_watch_signal(&mw, SIGTERM);
	assert_int_equal(tr_stop_mark_read(lg.dir, "acme", &m), 0);
	assert_int_equal(m.reason, TR_STOP_PLANNED);
	assert_int_equal(m.primary, PRIMARY_APP);
	assert_int_equal(m.by, getpid());
	assert_int_equal(tr_member_watch_end(&mw, 0, why, sizeof(why)), 0);
	/* an app that ends 0 by itself stopped on purpose */
	tr_stop_mark_clear(lg.dir, "acme");
	assert_int_equal(tr_member_watch_end(&mw, 0, why, sizeof(why)), 0);
	assert_int_equal(tr_stop_mark_read(lg.dir, "acme", &m), 0);
	assert_int_equal(m.reason, TR_STOP_PLANNED);
	/* a watchdog's stop is a stuck group's end for the primary too */
	mark(TR_STOP_WATCHDOG, PRIMARY_APP);
	assert_int_equal(tr_member_watch_end(&mw, 137, why, sizeof(why)), TR_EXIT_STUCK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_secondary_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secondary_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secondary_waits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_primary_end, setup, teardown),
	};
	return cmocka_run_group_tests_name("watchdog", tests, NULL, NULL);
}
