/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * host/role.c: who a member is, decided on a temp runtimeRoot from what
 * DPDK itself shows (an fcntl lock on the tenant's config file, held by a
 * forked child as a primary's EAL holds it) and from the ledger (a primary
 * admitted but not yet locked, the member slots taken): primary, or
 * secondary in the first free slot, or the refusal; and the secondary's
 * watch of the primary it joined.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <time.h>

#include "common/fsutil.h"
#include "helpers.h"
#include "host/admit.h"
#include "host/role.h"

static char rundir[PATH_MAX + 16];    /* acme's runtime dir */
static char config[PATH_MAX + 64];    /* DPDK's config file in it */
static struct tr_ledger lg;

static int setup(void **state)
{
	if (tr_tmp_setup(state) < 0)
		return -1;
	snprintf(rundir, sizeof(rundir), "%s/acme", tr_tmp);
	snprintf(config, sizeof(config), "%s/dpdk/acme/config", rundir);
	tr_put(rundir, "dpdk/acme/config", "");
	return tr_ledger_open(&lg, tr_tmp, true, NULL);
}

static int teardown(void **state)
{
	tr_ledger_close(&lg);
	return tr_tmp_teardown(state);
}

static int decide(enum tr_role_request want, double wait, struct tr_role_result *out,
		  struct tr_error *err)
{
	struct tr_role_req rq = { .tenant = "acme", .runtime_dir = rundir, .want = want,
				  .wait_primary = wait, .max_secondaries = 3 };
	return tr_role_decide(&lg, &rq, out, err);
}

/* decide succeeds with this role and member, joining primary (0: none,
 * the lock is not held). */
static void expect_role(enum tr_role_request want, double wait, enum tr_role role,
			unsigned member, pid_t primary)
{
	struct tr_role_result out;
	struct tr_error err = { 0 };
	if (decide(want, wait, &out, &err) < 0)
		fail_msg("refused: %s", err.msg);
	assert_int_equal(out.role, role);
	assert_int_equal(out.member, member);
	assert_int_equal(out.primary_lock_held, primary != 0);
	assert_int_equal(out.primary_pid, primary);
}

/* A live lease of acme's member, admitted in this process (its fd holds
 * the lease's flock); close adm->fd to let it go. */
static void admit(enum tr_role role, unsigned member, struct tr_admission *adm)
{
	struct tr_admit_req r;
	memset(&r, 0, sizeof(r));
	r.tenant = "acme";
	r.role = role;
	r.member = member;
	r.max_secondaries = 3;
	snprintf(r.lease.runtime_dir, sizeof(r.lease.runtime_dir), "%s", rundir);
	struct tr_error err = { 0 };
	if (tr_admit(&lg, &r, adm, &err) < 0)
		fail_msg("admit member %u: %s", member, err.msg);
}

/* A primary whose EAL takes the config lock delay_ms after its start. */
static pid_t primary_locking_after(unsigned delay_ms)
{
	pid_t parent = getpid();
	pid_t c = fork();
	assert_true(c >= 0);
	if (c == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(1);
		struct timespec ts = { delay_ms / 1000, (long)(delay_ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
		int fd = open(config, O_RDWR);
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		if (fd < 0 || fcntl(fd, F_SETLK, &fl) < 0)
			_exit(1);
		for (;;)
			pause();
	}
	return c;
}

static void test_request_parse(void **state)
{
	(void)state;
	enum tr_role_request r = TR_REQ_PRIMARY;
	assert_int_equal(tr_role_request_parse("auto", &r), 0);
	assert_int_equal(r, TR_REQ_AUTO);
	assert_int_equal(tr_role_request_parse("primary", &r), 0);
	assert_int_equal(r, TR_REQ_PRIMARY);
	assert_int_equal(tr_role_request_parse("secondary", &r), 0);
	assert_int_equal(r, TR_REQ_SECONDARY);
	static const char *const bad[] = { "", "Primary", "AUTO", "secondaryx", "second", " auto" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = TR_REQ_SECONDARY;
		if (tr_role_request_parse(bad[i], &r) != -1)
			fail_msg("\"%s\" taken for a role", bad[i]);
		assert_int_equal(r, TR_REQ_SECONDARY);   /* untouched */
	}
}

/* Nobody there: auto and primary make a primary, member 0; a secondary
 * that may not wait is refused at once. */
static void test_no_primary(void **state)
{
	(void)state;
	expect_role(TR_REQ_AUTO, 0, TR_ROLE_PRIMARY, 0, 0);
	expect_role(TR_REQ_PRIMARY, 0, TR_ROLE_PRIMARY, 0, 0);
	struct tr_role_result out;
	struct tr_error err = { 0 };
	assert_int_equal(decide(TR_REQ_SECONDARY, 0, &out, &err), -1);
	assert_int_equal(err.code, EX_UNAVAILABLE);
	assert_string_equal(err.msg,
			    "no primary is running; start one first, or give --wait-primary SECONDS");
}

/* A primary holds DPDK's lock: auto joins it in the first free slot; a
 * second primary is refused, naming the holder. */
static void test_primary_running(void **state)
{
	(void)state;
	pid_t p = tr_hold_fcntl_lock(config);
	expect_role(TR_REQ_AUTO, 0, TR_ROLE_SECONDARY, 1, p);
	expect_role(TR_REQ_SECONDARY, 0, TR_ROLE_SECONDARY, 1, p);

	struct tr_role_result out;
	struct tr_error err = { 0 };
	assert_int_equal(decide(TR_REQ_PRIMARY, 0, &out, &err), -1);
	assert_int_equal(err.code, EX_UNAVAILABLE);
	char want[160];
	snprintf(want, sizeof(want),
		 "a primary is already running (pid %d); start with --role secondary or auto",
		 (int)p);
	assert_string_equal(err.msg, want);
	assert_true(out.primary_lock_held);
	tr_child_kill(p);
}

/* The slot picked is the first one no live member holds. */
static void test_free_slot_picked(void **state)
{
	(void)state;
	struct tr_admission prim, s1, s2;
	admit(TR_ROLE_PRIMARY, 0, &prim);
	pid_t p = tr_hold_fcntl_lock(config);
	admit(TR_ROLE_SECONDARY, 1, &s1);
	admit(TR_ROLE_SECONDARY, 2, &s2);
	expect_role(TR_REQ_AUTO, 0, TR_ROLE_SECONDARY, 3, p);
	close(s1.fd);      /* member 1 gone: its slot is free again */
	expect_role(TR_REQ_SECONDARY, 0, TR_ROLE_SECONDARY, 1, p);
	close(s2.fd);
	close(prim.fd);
	tr_child_kill(p);
}

/* --wait-primary: a secondary started first waits for the lock. */
static void test_secondary_waits_for_primary(void **state)
{
	(void)state;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid_t p = primary_locking_after(300);
	expect_role(TR_REQ_SECONDARY, 5, TR_ROLE_SECONDARY, 1, p);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double took = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	assert_true(took >= 0.25 && took < 4);
	tr_child_kill(p);

	/* and gives up after the time given */
	struct tr_role_result out;
	struct tr_error err = { 0 };
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(decide(TR_REQ_SECONDARY, 0.3, &out, &err), -1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	took = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	assert_true(took >= 0.3 && took < 2);
	assert_int_equal(err.code, EX_UNAVAILABLE);
}

/* A primary admitted by the ledger whose EAL has not locked yet: auto
 * does not make a second primary but joins it once it locks. */
static void test_auto_joins_a_starting_primary(void **state)
{
	(void)state;
	struct tr_admission prim;
	admit(TR_ROLE_PRIMARY, 0, &prim);
	pid_t p = primary_locking_after(300);
	expect_role(TR_REQ_AUTO, 0, TR_ROLE_SECONDARY, 1, p);
	close(prim.fd);
	tr_child_kill(p);
}

/* The watch of a secondary: quiet while its primary holds the lock, one
 * line once it is gone or replaced; "missed" when the app noticed first. */
static void test_watch_primary(void **state)
{
	(void)state;
	pid_t p = tr_hold_fcntl_lock(config);
	struct tr_role_watch w;
	tr_role_watch_init(&w, "acme", rundir, 0, 4242);
	assert_int_equal(w.primary, p);     /* from the lock when not given */
	char why[256] = "";
	assert_false(tr_role_watch_primary(&w, why, sizeof(why)));
	assert_false(tr_role_watch_missed(&w, 0, why, sizeof(why)));
	assert_string_equal(why, "");

	tr_child_kill(p);
	/* the app ended before the watch's next poll: said once, after */
	assert_true(tr_role_watch_missed(&w, 3, why, sizeof(why)));
	char want[256];
	snprintf(want, sizeof(want),
		 "tenant \"acme\": primary (pid %d) exited; secondary (pid 4242) ended with it (status 3)",
		 (int)p);
	assert_string_equal(why, want);
	assert_true(tr_role_watch_primary(&w, why, sizeof(why)));
	snprintf(want, sizeof(want),
		 "tenant \"acme\": primary (pid %d) exited; stopping secondary (pid 4242)", (int)p);
	assert_string_equal(why, want);
	assert_true(w.fired);
	assert_false(tr_role_watch_missed(&w, 143, why, sizeof(why)));

	/* a new primary in the old one's place is not the one we joined */
	pid_t q = tr_hold_fcntl_lock(config);
	tr_role_watch_init(&w, "acme", rundir, p, 4242);
	assert_true(tr_role_watch_primary(&w, why, sizeof(why)));
	tr_child_kill(q);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_parse),
		T(test_no_primary),
		T(test_primary_running),
		T(test_free_slot_picked),
		T(test_secondary_waits_for_primary),
		T(test_auto_joins_a_starting_primary),
		T(test_watch_primary),
	};
	return cmocka_run_group_tests_name("role", tests, NULL, NULL);
}
