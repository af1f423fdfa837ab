/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * host/groupview.c: what a secondary must match of its running group's
 * record, beyond the devices (test_manifest.c), when tenants.yaml was
 * edited under the group: singleFileSegments and the other group-wide
 * memory flags, the lcore layout (perPrimary changed: the ids would
 * overlap the primary's), and the group's view of its runtime dir and
 * hugetlbfs (another mount namespace: refused before EAL). Each refusal
 * with its exact line; the record's new lines through the file and back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/sysmacros.h>

#include "helpers.h"
#include "host/groupview.h"
#include "host/manifest.h"

static struct tr_elf_info elf = { .path = "/usr/bin/dpdk-testpmd", .dpdk_abi = "librte_eal.so.23",
				  .build_id = "aa", .is_elf = true };
static char run[PATH_MAX + 16], huge[PATH_MAX + 16];

static void plan_of(struct tr_plan *p, enum tr_role role, const char *const *eal, int n,
		    unsigned per_primary, unsigned per_secondary, const unsigned *ids, unsigned nid)
{
	memset(p, 0, sizeof(*p));
	p->role = role;
	p->argv[0] = "app";
	p->eal_first = 1;
	for (int i = 0; i < n; i++)
		p->argv[1 + i] = (char *)eal[i];
	p->eal_end = 1 + n;
	p->argc = p->eal_end;
	p->per_primary = per_primary;
	p->per_secondary = per_secondary;
	p->n_lcores = nid;
	memcpy(p->lcore_ids, ids, nid * sizeof(*ids));
	snprintf(p->iso.runtime_dir, sizeof(p->iso.runtime_dir), "%s", run);
	snprintf(p->iso.huge_dir, sizeof(p->iso.huge_dir), "%s", huge);
}

static int setup(void **state)
{
	if (tr_tmp_setup(state) < 0)
		return -1;
	snprintf(run, sizeof(run), "%s/run", tr_tmp);
	snprintf(huge, sizeof(huge), "%s/huge", tr_tmp);
	return mkdir(run, 0700) || mkdir(huge, 0700);
}

static const char *const prim[] = { "--file-prefix=t", "--proc-type=primary", "-m", "64",
				    "--socket-limit=96", "--huge-dir=/x", "--no-pci" };
static const unsigned p_ids[] = { 0, 1 };

/* The primary's record, through the file and back. */
static void record(struct tr_manifest *back, const char *const *eal, int n)
{
	struct tr_plan p;
	struct tr_manifest m;
	plan_of(&p, TR_ROLE_PRIMARY, eal, n, 2, 2, p_ids, 2);
	assert_int_equal(tr_manifest_from_plan(&m, &p, &elf, true, true, NULL), 0);
	assert_int_equal(tr_manifest_write(&m, run, "acme", NULL), 0);
	assert_int_equal(tr_manifest_read(back, run, "acme", NULL), 0);
	tr_manifest_free(&m);
}

/* The check of a secondary with eal, layout pp/ps and ids. */
static int check(const struct tr_manifest *rec, const char *const *eal, int n, unsigned pp,
		 unsigned ps, const unsigned *ids, unsigned nid, struct tr_error *err)
{
	struct tr_plan p;
	struct tr_manifest mine;
	bool foreign;
	plan_of(&p, TR_ROLE_SECONDARY, eal, n, pp, ps, ids, nid);
	assert_int_equal(tr_manifest_from_plan(&mine, &p, &elf, false, false, NULL), 0);
	int rc = tr_manifest_check(rec, &mine, false, &foreign, err);
	tr_manifest_free(&mine);
	return rc;
}

static void test_record(void **state)
{
	(void)state;
	struct tr_manifest back;
	record(&back, prim, 7);
	assert_int_equal(back.per_primary, 2);
	assert_int_equal(back.per_secondary, 2);
	assert_string_equal(back.lcores, "0,1");
	struct stat st;
	assert_int_equal(stat(huge, &st), 0);
	assert_true(back.huge_id.set);
	assert_true(back.huge_id.dev == (unsigned long long)st.st_dev);
	assert_true(back.huge_id.ino == (unsigned long long)st.st_ino);
	assert_true(back.run_id.set);
	tr_manifest_free(&back);
}

static void test_memory_flags(void **state)
{
	(void)state;
	struct tr_manifest rec;
	struct tr_error err = { 0 };
	static const unsigned ids[] = { 2, 3 };
	static const char *const same[] = { "--file-prefix=t", "--proc-type=secondary",
					    "--huge-dir=/x", "--no-pci" };
	static const char *const sfs[] = { "--file-prefix=t", "--proc-type=secondary",
					   "--huge-dir=/x", "--single-file-segments", "--no-pci" };
	static const char *const legacy[] = { "--file-prefix=t", "--proc-type=secondary",
					      "--huge-dir=/x", "--no-pci", "--legacy-mem" };
	record(&rec, prim, 7);
	assert_int_equal(check(&rec, same, 4, 2, 2, ids, 2, &err), 0);
	assert_int_equal(check(&rec, sfs, 5, 2, 2, ids, 2, &err), -1);
	assert_int_equal(err.code, EX_UNAVAILABLE);
	assert_string_equal(err.msg, "group.singleFileSegments is true here but the running group's primary runs without --single-file-segments; DPDK would silently use the primary's layout; restart the group to apply the edit, or set it back");
	assert_int_equal(check(&rec, legacy, 5, 2, 2, ids, 2, &err), -1);
	assert_string_equal(err.msg, "memory flags (--legacy-mem) differ from the running group's (none); DPDK would silently use the primary's; restart the group to apply the edit, or set them back");
	tr_manifest_free(&rec);
	/* and the other way round */
	static const char *const prim_sfs[] = { "--file-prefix=t", "--proc-type=primary", "-m", "64",
						"--huge-dir=/x", "--single-file-segments", "--no-pci" };
	record(&rec, prim_sfs, 7);
	assert_int_equal(check(&rec, sfs, 5, 2, 2, ids, 2, &err), 0);
	assert_int_equal(check(&rec, same, 4, 2, 2, ids, 2, &err), -1);
	assert_string_equal(err.msg, "group.singleFileSegments is false here but the running group's primary runs with --single-file-segments; DPDK would silently use the primary's layout; restart the group to apply the edit, or set it back");
	tr_manifest_free(&rec);
}

static void test_lcore_layout(void **state)
{
	(void)state;
	struct tr_manifest rec;
	struct tr_error err = { 0 };
	static const char *const sec[] = { "--file-prefix=t", "--proc-type=secondary",
					   "--huge-dir=/x", "--no-pci" };
	record(&rec, prim, 7);
	/* perPrimary 1 in the edited file: secondary 1 gets ids 1,2 */
	static const unsigned moved[] = { 1, 2 };
	assert_int_equal(check(&rec, sec, 4, 1, 2, moved, 2, &err), -1);
	assert_string_equal(err.msg, "lcores.perPrimary/perSecondary are 1/2 here but 2/2 in the running group: this secondary's lcore ids 1,2 would overlap the primary's 0,1; restart the group to apply the edit, or set them back");
	/* perSecondary 3: no overlap with the primary, but not the group's */
	static const unsigned wider[] = { 2, 3, 4 };
	assert_int_equal(check(&rec, sec, 4, 2, 3, wider, 3, &err), -1);
	assert_string_equal(err.msg, "lcores.perPrimary/perSecondary are 2/3 here but 2/2 in the running group: lcore ids would no longer be unique in the group; restart the group to apply the edit, or set them back");
	/* a record from before layouts were recorded: not compared */
	rec.per_primary = 0;
	assert_int_equal(check(&rec, sec, 4, 1, 2, moved, 2, &err), 0);
	tr_manifest_free(&rec);
}

static void test_view(void **state)
{
	(void)state;
	struct tr_manifest rec;
	struct tr_error err = { 0 };
	static const unsigned ids[] = { 2, 3 };
	static const char *const sec[] = { "--file-prefix=t", "--proc-type=secondary",
					   "--huge-dir=/x", "--no-pci" };
	record(&rec, prim, 7);
	/* as if the primary saw its hugetlbfs on another device: its own
	 * mount namespace */
	rec.huge_id.dev = makedev(0, 4242);
	assert_int_equal(check(&rec, sec, 4, 2, 2, ids, 2, &err), -1);
	struct stat st;
	assert_int_equal(stat(huge, &st), 0);
	char want[2048];
	snprintf(want, sizeof(want),
		 "this shim does not see the group's hugetlbfs at %s (device %u:%u here, 0:4242 for the primary): it runs in another mount namespace than its primary, and DPDK would map ordinary files there; give every member the group's mounts (one pod, the same volumes)",
		 huge, major(st.st_dev), minor(st.st_dev));
	assert_string_equal(err.msg, want);
	tr_manifest_free(&rec);
	/* the runtime dir replaced (another inode at the same path) */
	record(&rec, prim, 7);
	char old[PATH_MAX + 32];
	snprintf(old, sizeof(old), "%s.old", run);
	assert_int_equal(rename(run, old), 0);
	assert_int_equal(mkdir(run, 0700), 0);
	assert_int_equal(check(&rec, sec, 4, 2, 2, ids, 2, &err), -1);
	assert_non_null(strstr(err.msg, "this shim does not see the group's runtime dir at "));
	tr_manifest_free(&rec);
}

/* A secondary that cannot see its primary's lock reads the record: the
 * record keeps the runtime dir's identity, not its path, so the path is
 * the tenant's own (read back, the record gives no run_dir). */
static void test_view_seen(void **state)
{
	(void)state;
	struct tr_manifest rec;
	struct tr_error err = { 0 };
	record(&rec, prim, 7);
	assert_string_equal(rec.run_dir, "");
	/* the group's own dirs: seen, whatever the record lacks */
	assert_int_equal(tr_group_view_seen(&rec, run, &err), 0);
	/* a runtime dir that is not the group's: another mount namespace */
	char other[PATH_MAX + 32];
	snprintf(other, sizeof(other), "%s/other", tr_tmp);
	assert_int_equal(mkdir(other, 0700), 0);
	assert_int_equal(tr_group_view_seen(&rec, other, &err), -1);
	assert_non_null(strstr(err.msg, "this shim does not see the group's runtime dir at "));
	assert_non_null(strstr(err.msg, other));
	tr_manifest_free(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record, setup, tr_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_memory_flags, setup, tr_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_lcore_layout, setup, tr_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_view, setup, tr_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_view_seen, setup, tr_tmp_teardown),
	};
	return cmocka_run_group_tests_name("groupview", tests, NULL, NULL);
}
