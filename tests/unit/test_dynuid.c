/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Dynamic uids (host/dynuid.c) in a temp ledger dir, with the host's own
 * users made up by a predicate: which uid a tenant gets, that it keeps it,
 * that two tenants never share one, and that reclaim hands it back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/dynuid.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/tr-dynuid.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* What the last check was told of the uid it was asked about. */
static uid_t last_asked;
static bool last_procs_free;

/* The host's users and processes, made up: ctx lists taken uids, 0-ended. */
static bool taken_in(uid_t uid, bool procs_free, void *ctx)
{
	last_asked = uid;
	last_procs_free = procs_free;
	for (const uid_t *u = ctx; u && *u; u++)
		if (*u == uid)
			return true;
	return false;
}

static uid_t pick(const char *tenant, const struct tr_lease *v, unsigned n,
		  const uid_t *taken)
{
	uid_t uid = 0;
	struct tr_error err = { 0 };
	assert_int_equal(tr_dynuid_pick(dir, "/run/tenantrt", tenant, v, n, taken_in,
					(void *)taken, &uid, &err), 0);
	assert_true(tr_dynuid_in_range(uid));
	return uid;
}

static uid_t next_of(uid_t uid)
{
	return uid == TR_DYNUID_MAX ? TR_DYNUID_MIN : uid + 1;
}

static void test_hash_is_stable_and_in_range(void **state)
{
	(void)state;
	uid_t a = tr_dynuid_hash("/run/tenantrt", "acme");
	assert_int_equal(a, tr_dynuid_hash("/run/tenantrt", "acme"));
	assert_true(tr_dynuid_in_range(a));
	/* The runtimeRoot is part of the key, and "ab"+"c" is not "a"+"bc". */
	assert_int_not_equal(a, tr_dynuid_hash("/run/other", "acme"));
	assert_int_not_equal(tr_dynuid_hash("/x/ab", "c"), tr_dynuid_hash("/x/a", "bc"));
	/* With nothing recorded or taken, the tenant gets its hash. */
	assert_int_equal(pick("acme", NULL, 0, NULL), a);
}

static void test_taken_uids_are_skipped(void **state)
{
	(void)state;
	uid_t h = tr_dynuid_hash("/run/tenantrt", "acme");
	uid_t taken[] = { h, next_of(h), 0 };
	/* A user, a group or a process with that number: the next free one. */
	assert_int_equal(pick("acme", NULL, 0, taken), next_of(next_of(h)));
	/* Another tenant's lease (live or stale) holds it. */
	struct tr_lease other = { .uid = h, .gid = h };
	snprintf(other.tenant, sizeof(other.tenant), "globex");
	assert_int_equal(pick("acme", &other, 1, NULL), next_of(h));
	/* Its own lease does not count against it. */
	snprintf(other.tenant, sizeof(other.tenant), "acme");
	assert_int_equal(pick("acme", &other, 1, NULL), h);
}

static void test_live_record_wins_and_is_exclusive(void **state)
{
	(void)state;
	uid_t h = tr_dynuid_hash("/run/tenantrt", "acme");
	struct tr_error err = { 0 };
	/* globex holds acme's hash live: acme gets the next one. */
	assert_int_equal(tr_dynuid_record_live(dir, "/run/tenantrt", "globex", h, &err), 0);
	assert_int_equal(pick("acme", NULL, 0, NULL), next_of(h));
	/* A live record is the tenant's uid whatever else is taken: its
	 * running members own files under it. */
	uid_t all[] = { h, 0 };
	assert_int_equal(pick("globex", NULL, 0, all), h);
	struct tr_uid_record r;
	assert_int_equal(tr_dynuid_record_read(dir, "globex", &r), 0);
	assert_true(r.live);
	assert_int_equal(r.uid, h);
	char path[128];
	struct stat st;
	snprintf(path, sizeof(path), "%s/globex.uid", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

static void test_release_keeps_preference(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	uid_t mine = TR_DYNUID_MIN + 7;
	assert_int_equal(tr_dynuid_record_live(dir, "/run/tenantrt", "zed", mine, &err), 0);
	tr_dynuid_release(dir, "zed", true);
	struct tr_uid_record r;
	assert_int_equal(tr_dynuid_record_read(dir, "zed", &r), 0);
	assert_false(r.live);
	assert_true(r.clean);
	/* Handed back, zed gets it again while nobody else took it... */
	assert_int_equal(pick("zed", NULL, 0, NULL), mine);
	/* ... and another one when the host took it meanwhile. */
	uid_t taken[] = { mine, 0 };
	assert_int_not_equal(pick("zed", NULL, 0, taken), mine);
}

static void test_sweep_releases_orphans(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	assert_int_equal(tr_dynuid_record_live(dir, "/r", "held", TR_DYNUID_MIN + 1, &err), 0);
	assert_int_equal(tr_dynuid_record_live(dir, "/r", "orphan", TR_DYNUID_MIN + 2, &err), 0);
	struct tr_lease v = { .uid = TR_DYNUID_MIN + 1 };
	snprintf(v.tenant, sizeof(v.tenant), "held");
	tr_dynuid_sweep(dir, &v, 1);
	struct tr_uid_record r;
	assert_int_equal(tr_dynuid_record_read(dir, "held", &r), 0);
	assert_true(r.live);
	assert_int_equal(tr_dynuid_record_read(dir, "orphan", &r), 0);
	assert_false(r.live);
	assert_false(r.clean);   /* nothing of it was reclaimed */
}

/* Processes are looked for unless every record naming the uid gave it back
 * after a whole reclaim. */
static void test_clean_release_skips_the_process_check(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	uid_t u = TR_DYNUID_MIN + 40;
	assert_int_equal(tr_dynuid_record_live(dir, "/run/tenantrt", "quick", u, &err), 0);
	tr_dynuid_release(dir, "quick", true);
	assert_int_equal(pick("quick", NULL, 0, NULL), u);
	assert_int_equal(last_asked, u);
	assert_true(last_procs_free);
	/* Another tenant once had it and was given back by an orphan sweep:
	 * a process of that one may still run. */
	assert_int_equal(tr_dynuid_record_live(dir, "/run/tenantrt", "stray", u, &err), 0);
	tr_dynuid_sweep(dir, NULL, 0);
	assert_int_equal(pick("quick", NULL, 0, NULL), u);
	assert_false(last_procs_free);
	/* A uid no record names (a first start) is checked. */
	assert_int_equal(pick("fresh", NULL, 0, NULL), tr_dynuid_hash("/run/tenantrt", "fresh"));
	assert_false(last_procs_free);
	/* And the check still says no when the host took it. */
	char path[128];
	snprintf(path, sizeof(path), "%s/stray.uid", dir);
	assert_int_equal(unlink(path), 0);
	uid_t taken[] = { u, 0 };
	assert_int_not_equal(pick("quick", NULL, 0, taken), u);
}

static void test_nsswitch_files_only(void **state)
{
	(void)state;
	const char *debian = "# comment\npasswd:         files systemd\ngroup:          files systemd\nshadow: files\n";
	assert_true(tr_nsswitch_files_only(debian, "passwd"));
	assert_true(tr_nsswitch_files_only(debian, "group"));
	assert_true(tr_nsswitch_files_only("passwd: files\n", "passwd"));
	assert_true(tr_nsswitch_files_only("passwd: files # the end\n", "passwd"));
	/* Anything else goes through NSS: a directory service, an action, a
	 * database not named (glibc's default), a prefix of another name. */
	assert_false(tr_nsswitch_files_only("passwd: files ldap\n", "passwd"));
	assert_false(tr_nsswitch_files_only("passwd: sss files\n", "passwd"));
	assert_false(tr_nsswitch_files_only("passwd: files [NOTFOUND=return] systemd\n", "passwd"));
	assert_false(tr_nsswitch_files_only("hosts: files\n", "passwd"));
	assert_false(tr_nsswitch_files_only("passwdx: files\n", "passwd"));
	assert_false(tr_nsswitch_files_only(debian, "netgroup"));
}

static bool all_taken(uid_t uid, bool procs_free, void *ctx)
{
	(void)uid;
	(void)procs_free;
	(void)ctx;
	return true;
}

static void test_range_exhausted(void **state)
{
	(void)state;
	uid_t uid = 0;
	struct tr_error err = { 0 };
	assert_int_equal(tr_dynuid_pick(dir, "/run/tenantrt", "acme", NULL, 0, all_taken, NULL,
					&uid, &err), -1);
	assert_int_equal(err.code, EX_UNAVAILABLE);
	assert_non_null(strstr(err.msg, "no free uid in 60600-61099"));
}

static void test_records_never_followed(void **state)
{
	(void)state;
	char path[128];
	struct tr_uid_record r;
	snprintf(path, sizeof(path), "%s/link.uid", dir);
	assert_int_equal(symlink("globex.uid", path), 0);
	assert_int_equal(tr_dynuid_record_read(dir, "link", &r), -1);
	snprintf(path, sizeof(path), "%s/fifo.uid", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(tr_dynuid_record_read(dir, "fifo", &r), -1);   /* no hang */
	/* A record outside the range is no record. */
	snprintf(path, sizeof(path), "%s/bad.uid", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("uid=0\nstate=live\n", f);
	fclose(f);
	assert_int_equal(tr_dynuid_record_read(dir, "bad", &r), -1);
}

/*
 * A record is rewritten in place (the same file: no rename, which costs
 * 0.4-1 ms on ext4), and a reader racing the writer reads the whole old or
 * the whole new record, never a mix: live and released (clean=1, a line
 * longer) alternate under at least 20000 reads.
 */
static void test_record_rewritten_in_place_and_read_whole(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	uid_t mine = TR_DYNUID_MIN + 11;
	char path[128];
	struct stat a, b;
	snprintf(path, sizeof(path), "%s/rew.uid", dir);
	assert_int_equal(tr_dynuid_record_live(dir, "/run/tenantrt", "rew", mine, &err), 0);
	assert_int_equal(stat(path, &a), 0);
	tr_dynuid_release(dir, "rew", true);
	assert_int_equal(stat(path, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);
	assert_int_equal(b.st_mode & 07777, 0600);

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		for (int i = 0;; i++) {
			struct tr_error e = { 0 };
			if (tr_dynuid_record_live(dir, "/run/tenantrt", "rew", mine, &e) < 0)
				_exit(1);
			tr_dynuid_release(dir, "rew", i % 2 == 0);
		}
	}
	/* 20000 reads, more until the writer has been seen (a busy host may
	 * start it late), 2 million at most. */
	unsigned torn = 0, live = 0, released = 0, reads = 0;
	for (; reads < 20000 || (live == 0 && reads < 2000000); reads++) {
		struct tr_uid_record r;
		if (tr_dynuid_record_read(dir, "rew", &r) != 0 || r.uid != mine || (r.live && r.clean))
			torn++;
		else if (r.live)
			live++;
		else
			released++;
	}
	int st;
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));   /* the writer did not fail */
	assert_int_equal(torn, 0);
	assert_int_equal(live + released, reads);
	assert_true(live > 0 && released > 0);   /* it did race */

	/* A fifo where a record goes: refused, not waited on. */
	snprintf(path, sizeof(path), "%s/fifw.uid", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(tr_dynuid_record_live(dir, "/run/tenantrt", "fifw", mine, &err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_is_stable_and_in_range),
		cmocka_unit_test(test_taken_uids_are_skipped),
		cmocka_unit_test(test_live_record_wins_and_is_exclusive),
		cmocka_unit_test(test_release_keeps_preference),
		cmocka_unit_test(test_sweep_releases_orphans),
		cmocka_unit_test(test_clean_release_skips_the_process_check),
		cmocka_unit_test(test_nsswitch_files_only),
		cmocka_unit_test(test_range_exhausted),
		cmocka_unit_test(test_records_never_followed),
		cmocka_unit_test(test_record_rewritten_in_place_and_read_whole),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
