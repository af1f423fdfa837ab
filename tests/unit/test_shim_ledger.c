/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The admission ledger for real, in a temp runtimeRoot: leases held by a
 * live process block what they hold, a dead holder's lease is stale and
 * reclaimed, and each refusal names the holder.
 *
 * A "live shim" is a forked child that admits and then waits on a pipe, so
 * its flock is held by another process exactly as in production.
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
#include <time.h>
#include <unistd.h>

#include "host/admit.h"
#include "host/sweep.h"
#include "run/reap.h"

static const struct tr_reclaimer reclaim = { .reclaim = tr_reap_tenant };

static char root[256];

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/tr-ledger-test.XXXXXX");
	if (mkdtemp(root) == NULL)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static struct tr_admit_req req_for(const char *tenant, enum tr_role role,
				   const char *cpus, bool exclusive,
				   const char *nic, uint64_t quota)
{
	struct tr_admit_req r;
	memset(&r, 0, sizeof(r));
	r.tenant = tenant;
	r.role = role;
	r.max_secondaries = 2;
	r.free_pages = 100;
	r.lease.exclusive = exclusive;
	char why[64];
	tr_cpuset_parse(&r.lease.cpus, cpus, why, sizeof(why));
	if (nic) {
		r.lease.n_nics = 1;
		snprintf(r.lease.nics[0], sizeof(r.lease.nics[0]), "%s", nic);
	}
	r.lease.quota_pages = quota;
	r.lease.page_bytes = 2 << 20;
	snprintf(r.lease.runtime_dir, sizeof(r.lease.runtime_dir), "%s/%s", root, tenant);
	snprintf(r.lease.huge_dir, sizeof(r.lease.huge_dir), "%s/huge/%s", root, tenant);
	return r;
}

struct holder {
	pid_t pid;
	int wfd;       /* close to let it exit */
	unsigned member;
};

/* A secondary asks for the first free slot, as the role stage picks it. */
static void pick_member(struct tr_ledger *lg, struct tr_admit_req *r)
{
	struct tr_lease *v = NULL;
	unsigned n = 0;
	if (r->role != TR_ROLE_SECONDARY)
		return;
	assert_int_equal(tr_ledger_lock(lg, false, NULL), 0);
	assert_int_equal(tr_ledger_scan(lg, &v, &n, NULL), 0);
	tr_ledger_unlock(lg);
	r->member = tr_admit_free_member(v, n, r->tenant, r->max_secondaries);
	free(v);
}

/* Admit in a child that keeps the lease until released; -1 if refused. */
static int hold(const struct tr_admit_req *r, struct holder *h)
{
	int go[2], back[2];
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(back), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Drop the other holders' pipe ends, or their release never
		 * reaches them. */
		for (int fd = 3; fd < 1024; fd++)
			if (fd != go[0] && fd != back[1])
				close(fd);
		struct tr_ledger lg;
		struct tr_admission adm;
		struct tr_admit_req mine = *r;
		int m = -1;
		if (tr_ledger_open(&lg, root, true, NULL) == 0) {
			pick_member(&lg, &mine);
			if (tr_admit(&lg, &mine, &adm, NULL) == 0)
				m = (int)adm.lease.member;
		}
		(void)!write(back[1], &m, sizeof(m));
		char c;
		(void)!read(go[0], &c, 1);
		_exit(0);
	}
	close(go[0]);
	close(back[1]);
	int m = -1;
	assert_int_equal(read(back[0], &m, sizeof(m)), sizeof(m));
	close(back[0]);
	h->pid = pid;
	h->wfd = go[1];
	h->member = (unsigned)m;
	return m;
}

static void release(struct holder *h)
{
	close(h->wfd);
	waitpid(h->pid, NULL, 0);
}

static void crash(struct holder *h)
{
	kill(h->pid, SIGKILL);
	waitpid(h->pid, NULL, 0);
	close(h->wfd);
}

static int admit_here(const struct tr_admit_req *r, struct tr_admission *adm,
		      struct tr_error *err)
{
	struct tr_ledger lg;
	struct tr_admit_req mine = *r;
	assert_int_equal(tr_ledger_open(&lg, root, true, NULL), 0);
	pick_member(&lg, &mine);
	int rc = tr_admit(&lg, &mine, adm, err);
	tr_ledger_close(&lg);
	return rc;
}

/* Leases in the ledger (alive_only: those whose flock is held). */
static unsigned count_leases(struct tr_ledger *lg, bool alive_only)
{
	struct tr_lease *v;
	unsigned n, k = 0;
	assert_int_equal(tr_ledger_lock(lg, false, NULL), 0);
	assert_int_equal(tr_ledger_scan(lg, &v, &n, NULL), 0);
	tr_ledger_unlock(lg);
	for (unsigned i = 0; i < n; i++)
		k += !alive_only || v[i].alive;
	free(v);
	return k;
}

static void test_lease_roundtrip(void **state)
{
	(void)state;
	struct tr_admit_req r = req_for("acme", TR_ROLE_SECONDARY, "2-3", true, "net_null0", 32);
	r.lease.member = 2;
	r.lease.role = TR_ROLE_SECONDARY;
	r.lease.shim_pid = 41;
	r.lease.app_pid = 42;
	snprintf(r.lease.lcores, sizeof(r.lease.lcores), "4,5");
	r.lease.huge_mounted = true;
	char buf[16384];
	snprintf(r.lease.tenant, sizeof(r.lease.tenant), "acme");
	snprintf(r.lease.cgroup, sizeof(r.lease.cgroup), "tenantrt/0a0b0c0d-acme");
	r.lease.reclaiming = 77;
	r.lease.reclaim_whole = true;
	r.lease.reclaim_failed = 1700000000;
	assert_true(tr_lease_format(&r.lease, buf, sizeof(buf)) > 0);
	struct tr_lease back;
	assert_int_equal(tr_lease_parse(&back, buf), 0);
	assert_string_equal(back.cgroup, "tenantrt/0a0b0c0d-acme");
	assert_int_equal(back.reclaiming, 77);
	assert_true(back.reclaim_whole);
	assert_int_equal(back.reclaim_failed, 1700000000);
	/* A root reclaim acts on the cgroup a lease names: only our names. */
	struct tr_lease bad;
	assert_int_equal(tr_lease_parse(&bad, "tenant=acme\ncgroup=tenantrt/../../x\n"), -1);
	assert_int_equal(tr_lease_parse(&bad, "tenant=acme\ncgroup=/sys/fs/cgroup\n"), -1);
	assert_string_equal(back.tenant, "acme");
	assert_int_equal(back.member, 2);
	assert_int_equal(back.role, TR_ROLE_SECONDARY);
	assert_int_equal(back.app_pid, 42);
	assert_string_equal(back.lcores, "4,5");
	assert_true(back.exclusive);
	assert_true(back.huge_mounted);
	assert_true(tr_cpuset_isset(&back.cpus, 2) && tr_cpuset_isset(&back.cpus, 3));
	assert_int_equal(back.n_nics, 1);
	assert_string_equal(back.nics[0], "net_null0");
	assert_int_equal(back.quota_pages, 32);
}

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
	assert_int_equal(tr_ledger_open(&lg, root, true, NULL), 0);
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

static void test_stale_lease_is_reclaimed_with_tenant_dirs(void **state)
{
	(void)state;
	struct tr_admit_req a = req_for("acme", TR_ROLE_PRIMARY, "0", false, "net_null0", 8);
	struct holder ha;
	assert_int_equal(hold(&a, &ha), 0);
	/* What a primary leaves: its runtime dir with DPDK files, page files. */
	char p[512];
	snprintf(p, sizeof(p), "%s/acme/dpdk/acme", root);
	char cmd[1200];
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s %s/huge/acme && touch %s/config %s/huge/acme/acmemap_0 %s/huge/acme/othermap_0",
		 p, root, p, root, root);
	assert_int_equal(system(cmd), 0);
	crash(&ha);

	struct tr_ledger lg;
	struct tr_sweep_claims c = { 0 };
	assert_int_equal(tr_ledger_open(&lg, root, false, NULL), 0);
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
	snprintf(p, sizeof(p), "%s/acme", root);
	assert_int_equal(stat(p, &st), -1);
	snprintf(p, sizeof(p), "%s/huge/acme/acmemap_0", root);
	assert_int_equal(stat(p, &st), -1);
	/* Not the tenant's prefix: never touched. */
	snprintf(p, sizeof(p), "%s/huge/acme/othermap_0", root);
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
	assert_int_equal(tr_ledger_open(&lg, root, false, NULL), 0);
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
		 root, root);
	assert_int_equal(system(cmd), 0);
	pid_t sweeper = fork();
	assert_true(sweeper >= 0);
	if (sweeper == 0) {
		struct tr_ledger lg;
		struct tr_sweep_claims c = { 0 };
		const struct tr_reclaimer stuck = { .reclaim = stuck_reclaim };
		struct tr_lease *v;
		unsigned n;
		if (tr_ledger_open(&lg, root, false, NULL) < 0 ||
		    tr_ledger_lock(&lg, true, NULL) < 0 || tr_ledger_scan(&lg, &v, &n, NULL) < 0)
			_exit(1);
		tr_sweep_claim(&lg, v, n, TR_SWEEP_PACED, &stuck, &c);
		tr_ledger_unlock(&lg);
		tr_sweep_reclaim_all(&lg, &c, &stuck);
		_exit(2);
	}
	struct tr_ledger lg;
	assert_int_equal(tr_ledger_open(&lg, root, false, NULL), 0);
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
	snprintf(p, sizeof(p), "%s/acme", root);
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
	assert_int_equal(tr_ledger_open(&lg, root, false, NULL), 0);
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
		 root, root);
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
	snprintf(p, sizeof(p), "%s/acme/dpdk/acme/config", root);
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
	assert_int_equal(tr_ledger_open(&lg, root, false, NULL), 0);
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

static void test_nic_identity(void **state)
{
	(void)state;
	char buf[160];
	struct tr_nic n = { .kind = TR_NIC_VDEV, .spec = "net_af_packet0,iface=acme0,qpairs=2" };
	tr_nic_identity(&n, buf, sizeof(buf));
	assert_string_equal(buf, "iface=acme0");
	n.spec = "net_ring0";
	tr_nic_identity(&n, buf, sizeof(buf));
	assert_string_equal(buf, "net_ring0");
	n.kind = TR_NIC_PCI;
	n.spec = "0000:3b:02.0";
	tr_nic_identity(&n, buf, sizeof(buf));
	assert_string_equal(buf, "0000:3b:02.0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lease_roundtrip),
		cmocka_unit_test(test_nic_identity),
		cmocka_unit_test_setup_teardown(test_second_primary_refused_names_holder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secondaries_get_distinct_members_and_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_primary_for_secondary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_new_primary_under_old_secondaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nic_and_exclusive_cpus_across_tenants, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quota_counts_promised_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_lease_is_reclaimed_with_tenant_dirs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stuck_tenant_does_not_slow_admission, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash_mid_reclaim_leaves_it_reclaimable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_reclaim_backs_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_own_previous_run_given_back_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dead_member_reclaimed_alone, setup, teardown),
	};
	return cmocka_run_group_tests_name("shim ledger", tests, NULL, NULL);
}
