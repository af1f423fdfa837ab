/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * run/reap.c: a dead tenant's state given back from its lease alone, in a
 * temp tree (which is also the cgroup root): DPDK's runtime files,
 * libtenantrt's stats files, the tenant's own hugepage files and nothing
 * else in the dir, its cgroups;
 * everything kept while its DPDK primary still runs; never a step through
 * a link the tenant planted; each removal said in one line. Unmounting a
 * real hugetlbfs: tests/integration/suite_shim.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/fsutil.h"
#include "common/layout.h"
#include "helpers.h"
#include "run/reap.h"

static struct tr_lease lease;
static char notes[4096];

static void note(void *ctx, const char *what)
{
	(void)ctx;
	size_t n = strlen(notes);
	snprintf(notes + n, sizeof(notes) - n, "%s\n", what);
}

/* The notes said so far are exactly fmt, filled with the lease's huge
 * dir and then its runtime dir. */
static void assert_notes(const char *fmt)
{
	char want[3 * PATH_MAX];
	snprintf(want, sizeof(want), fmt, lease.huge_dir, lease.runtime_dir);
	assert_string_equal(notes, want);
}

/* The tenant's cgroup, as its lease names it (per runtimeRoot). */
#define CG "tenantrt/0000abcd-acme"

static bool exists(const char *rel)
{
	char p[PATH_MAX * 2];
	snprintf(p, sizeof(p), "%s/%s", tr_tmp, rel);
	return access(p, F_OK) == 0;
}

/* What a primary of acme leaves behind: DPDK's files in its runtime dir,
 * the group manifest, its page files (next to another prefix's), its
 * cgroup in a made-up v2 hierarchy. */
static int setup(void **state)
{
	if (tr_cgroot_setup(state) < 0)
		return -1;
	notes[0] = '\0';
	tr_put(tr_tmp, "run/acme/dpdk/acme/config", "");
	tr_put(tr_tmp, "run/acme/dpdk/acme/fbarray_memzone", "");
	tr_put(tr_tmp, "run/acme/" TR_MANIFEST_NAME, "binary=/usr/bin/dpdk-testpmd\n");
	/* libtenantrt's stats: a killed primary does not remove them */
	tr_put(tr_tmp, "run/acme/" TR_STATS_DIR "/group", "tenant acme\n");
	tr_put(tr_tmp, "run/acme/" TR_STATS_DIR "/member-0", "tenant acme\n");
	tr_put(tr_tmp, "huge/acme/acmemap_0", "");
	tr_put(tr_tmp, "huge/acme/acmemap_1", "");
	tr_put(tr_tmp, "huge/acme/othermap_0", "");
	tr_put(tr_tmp, "cgroup.controllers", "cpuset hugetlb\n");
	char cg[PATH_MAX + 32];
	snprintf(cg, sizeof(cg), "%s/" CG, tr_tmp);
	if (tr_mkdir_p(cg, 0755) < 0)
		return -1;

	memset(&lease, 0, sizeof(lease));
	snprintf(lease.tenant, sizeof(lease.tenant), "acme");
	snprintf(lease.runtime_dir, sizeof(lease.runtime_dir), "%s/run/acme", tr_tmp);
	snprintf(lease.huge_dir, sizeof(lease.huge_dir), "%s/huge/acme", tr_tmp);
	snprintf(lease.cgroup, sizeof(lease.cgroup), CG);
	return 0;
}

static void test_reap_gives_back_only_the_tenants(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	assert_int_equal(tr_reap_tenant(&lease, note, NULL, &err), 0);
	assert_false(exists("run/acme"));
	assert_false(exists("huge/acme/acmemap_0"));
	assert_false(exists("huge/acme/acmemap_1"));
	assert_true(exists("huge/acme/othermap_0"));   /* not the tenant's prefix */
	assert_false(exists(CG));
	assert_true(exists("tenantrt"));
	assert_notes("tenant \"acme\": removed 2 hugepage files (0 MiB) in %s\n"
		     "tenant \"acme\": removed runtime dir %s\n");
	/* nothing left to do: done again, saying nothing */
	notes[0] = '\0';
	assert_int_equal(tr_reap_tenant(&lease, note, NULL, &err), 0);
	assert_string_equal(notes, "");
}

/* An app that outlived its shim still uses the memory: nothing goes. */
static void test_reap_keeps_a_running_primary(void **state)
{
	(void)state;
	char cfg[PATH_MAX + 32];
	snprintf(cfg, sizeof(cfg), "%s/dpdk/acme/config", lease.runtime_dir);
	pid_t app = tr_hold_fcntl_lock(cfg);
	struct tr_error err = { 0 };
	assert_int_equal(tr_reap_tenant(&lease, note, NULL, &err), 1);
	char want[128];
	snprintf(want, sizeof(want),
		 "tenant \"acme\": kept: its DPDK primary (pid %d) still runs\n", (int)app);
	assert_string_equal(notes, want);
	assert_true(exists("run/acme/dpdk/acme/config"));
	assert_true(exists("huge/acme/acmemap_0"));
	assert_true(exists(CG));
	tr_child_kill(app);
	assert_int_equal(tr_reap_tenant(&lease, NULL, NULL, &err), 0);
	assert_false(exists("run/acme"));
}

/* The tenant swapped its DPDK dir for a link to someone else's files, and
 * left a file of its own: the link is not followed, the dir is kept. */
static void test_reap_follows_no_planted_link(void **state)
{
	(void)state;
	tr_put(tr_tmp, "victim/config", "");
	char victim[PATH_MAX + 16], dpdk[PATH_MAX + 32];
	snprintf(victim, sizeof(victim), "%s/victim", tr_tmp);
	snprintf(dpdk, sizeof(dpdk), "%s/dpdk/acme", lease.runtime_dir);
	assert_int_equal(tr_rmtree(dpdk), 0);
	assert_int_equal(symlink(victim, dpdk), 0);
	tr_put(lease.runtime_dir, "mine.txt", "");
	struct tr_error err = { 0 };
	assert_int_equal(tr_reap_tenant(&lease, note, NULL, &err), 0);
	assert_true(exists("victim/config"));
	assert_true(exists("run/acme/mine.txt"));
	assert_notes("tenant \"acme\": removed 2 hugepage files (0 MiB) in %s\n"
		     "tenant \"acme\": kept %s: it holds files tenantrt did not make\n");
}

/* The reclaimer the ledger is given is this one, with its note. */
static void test_reclaimer(void **state)
{
	(void)state;
	int ctx;
	struct tr_reclaimer r = tr_reap_reclaimer(note, &ctx);
	assert_ptr_equal(r.reclaim, tr_reap_tenant);
	assert_ptr_equal(r.note, note);
	assert_ptr_equal(r.ctx, &ctx);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, tr_cgroot_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reap_gives_back_only_the_tenants),
		T(test_reap_keeps_a_running_primary),
		T(test_reap_follows_no_planted_link),
		cmocka_unit_test(test_reclaimer),
	};
	return cmocka_run_group_tests_name("reap", tests, NULL, NULL);
}
