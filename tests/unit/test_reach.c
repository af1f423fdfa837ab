/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * host/reach.c: whether the tenant's uid may pass to its dirs and run its
 * app. The permission rule alone (owner, else group, else others; the DAC
 * capabilities), then walks over real dirs made under a 0700 temp dir, as
 * `mktemp -d` makes them, the shim's one line, and validate's warning.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <linux/capability.h>

#include "helpers.h"
#include "host/reach.h"
#include "host_facts.h"

#define DYN 60600   /* a dynamic uid (host/dynuid.h), its gid the same */

static const struct tr_reach_who dyn = { .uid = DYN, .gid = DYN };

static void test_allows_classes(void **state)
{
	(void)state;
	enum tr_reach_class cls;
	/* root's 0700 dir: the others' bits decide, and there are none */
	assert_false(tr_reach_allows(&dyn, S_IFDIR | 0700, 0, 0, &cls));
	assert_int_equal(cls, TR_REACH_OTHER);
	assert_true(tr_reach_allows(&dyn, S_IFDIR | 0711, 0, 0, &cls));
	assert_true(tr_reach_allows(&dyn, S_IFDIR | 0701, 0, 0, NULL));
	/* its own dir: the owner's bits, even when the others' would do */
	assert_true(tr_reach_allows(&dyn, S_IFDIR | 0700, DYN, 0, &cls));
	assert_int_equal(cls, TR_REACH_OWNER);
	assert_false(tr_reach_allows(&dyn, S_IFDIR | 0611, DYN, 0, &cls));
	assert_int_equal(cls, TR_REACH_OWNER);
	/* its group: the group's bits alone */
	assert_true(tr_reach_allows(&dyn, S_IFDIR | 0710, 0, DYN, &cls));
	assert_int_equal(cls, TR_REACH_GROUP);
	assert_false(tr_reach_allows(&dyn, S_IFDIR | 0701, 0, DYN, &cls));
	assert_int_equal(cls, TR_REACH_GROUP);
	/* a configured supplementary group counts; another group does not */
	const gid_t supp[] = { 44, 1500 };
	struct tr_reach_who u = { .uid = 1000, .gid = 1000, .supp = supp, .n_supp = 2 };
	assert_true(tr_reach_allows(&u, S_IFDIR | 0750, 0, 1500, &cls));
	assert_int_equal(cls, TR_REACH_GROUP);
	assert_false(tr_reach_allows(&u, S_IFDIR | 0750, 0, 1501, &cls));
	assert_int_equal(cls, TR_REACH_OTHER);
	/* a file: its exec bit of the same class */
	assert_true(tr_reach_allows(&dyn, S_IFREG | 0755, 0, 0, NULL));
	assert_false(tr_reach_allows(&dyn, S_IFREG | 0744, 0, 0, &cls));
	assert_int_equal(cls, TR_REACH_OTHER);
	assert_true(tr_reach_allows(&dyn, S_IFREG | 0100, DYN, 0, NULL));
}

static void test_allows_capabilities(void **state)
{
	(void)state;
	struct tr_reach_who rs = dyn, ov = dyn;
	rs.dac_read_search = true;
	ov.dac_override = true;
	/* either passes any dir */
	assert_true(tr_reach_allows(&rs, S_IFDIR | 0700, 0, 0, NULL));
	assert_true(tr_reach_allows(&ov, S_IFDIR | 0000, 0, 0, NULL));
	/* only DAC_OVERRIDE executes, and a file someone may execute */
	assert_false(tr_reach_allows(&rs, S_IFREG | 0744, 0, 0, NULL));
	assert_true(tr_reach_allows(&ov, S_IFREG | 0744, 0, 0, NULL));
	assert_false(tr_reach_allows(&ov, S_IFREG | 0644, 0, 0, NULL));
}

/* tr_tmp is mkdtemp's, 0700 root:root: what `mktemp -d` gives. */
static void path_of(char *out, size_t len, const char *rel)
{
	snprintf(out, len, "%s%s%s", tr_tmp, rel[0] ? "/" : "", rel);
}

static void mkdir_mode(const char *rel, mode_t mode)
{
	char p[PATH_MAX];
	path_of(p, sizeof(p), rel);
	assert_int_equal(mkdir(p, mode), 0);
	assert_int_equal(chmod(p, mode), 0);
}

static void test_walk(void **state)
{
	(void)state;
	char p[PATH_MAX];
	struct tr_reach_block b;
	mkdir_mode("cs", 0755);
	mkdir_mode("cs/run", 0755);
	path_of(p, sizeof(p), "cs/run");
	/* the 0700 top stops it, and is named */
	assert_int_equal(tr_reach_walk(p, true, &dyn, &b), 1);
	assert_string_equal(b.path, tr_tmp);
	assert_int_equal(b.mode & 07777, 0700);
	assert_int_equal(b.owner, 0);
	assert_int_equal(b.cls, TR_REACH_OTHER);
	/* made searchable, it passes: with its dir, and with a trailing "/" */
	assert_int_equal(chmod(tr_tmp, 0711), 0);
	assert_int_equal(tr_reach_walk(p, true, &dyn, &b), 0);
	strcat(p, "//");
	assert_int_equal(tr_reach_walk(p, true, &dyn, &b), 0);
	/* a 0700 last component counts only when whole */
	path_of(p, sizeof(p), "cs/run");
	assert_int_equal(chmod(p, 0700), 0);
	assert_int_equal(tr_reach_walk(p, true, &dyn, &b), 1);
	assert_string_equal(b.path, p);
	assert_int_equal(tr_reach_walk(p, false, &dyn, &b), 0);
	/* what does not exist yet is made 0755: nothing below it is judged */
	path_of(p, sizeof(p), "cs/new/deeper/run");
	assert_int_equal(tr_reach_walk(p, true, &dyn, &b), 0);
	/* a dir of its own passes, whatever the others' bits */
	path_of(p, sizeof(p), "cs/run");
	assert_int_equal(chown(p, DYN, DYN), 0);
	assert_int_equal(tr_reach_walk(p, true, &dyn, &b), 0);
	/* not an absolute path: nothing to judge */
	assert_int_equal(tr_reach_walk("relative/x", true, &dyn, &b), 0);
}

static void test_walk_app(void **state)
{
	(void)state;
	char p[PATH_MAX];
	struct tr_reach_block b;
	assert_int_equal(chmod(tr_tmp, 0711), 0);
	mkdir_mode("bin", 0700);
	tr_put(tr_tmp, "bin/app", "#!/bin/sh\n");
	path_of(p, sizeof(p), "bin/app");
	assert_int_equal(chmod(p, 0755), 0);
	/* its dir stops it */
	assert_int_equal(tr_reach_walk(p, true, &dyn, &b), 1);
	path_of(p, sizeof(p), "bin");
	assert_string_equal(b.path, p);
	/* then the file itself: an exec bit for root only */
	assert_int_equal(chmod(p, 0755), 0);
	path_of(p, sizeof(p), "bin/app");
	assert_int_equal(chmod(p, 0744), 0);
	assert_int_equal(tr_reach_walk(p, true, &dyn, &b), 1);
	assert_string_equal(b.path, p);
	assert_false(S_ISDIR(b.mode));
	assert_int_equal(chmod(p, 0755), 0);
	assert_int_equal(tr_reach_walk(p, true, &dyn, &b), 0);
}

static void iso_under(struct tr_isolation *iso, const char *run, const char *huge,
		      bool mount_ns)
{
	memset(iso, 0, sizeof(*iso));
	path_of(iso->runtime_root, sizeof(iso->runtime_root), run);
	path_of(iso->huge_root, sizeof(iso->huge_root), huge);
	iso->uid = DYN;
	iso->gid = DYN;
	iso->dynamic_user = true;
	iso->mount_ns = mount_ns;
}

static void test_check_line(void **state)
{
	(void)state;
	struct tr_isolation iso;
	struct tr_error err = { 0 };
	char want[2 * PATH_MAX];
	mkdir_mode("cs", 0755);
	mkdir_mode("cs/run", 0755);
	iso_under(&iso, "cs/run", "cs/run/hugepages", true);
	assert_int_equal(tr_reach_check(&iso, NULL, &err), -1);
	assert_int_equal(err.code, EX_CONFIG);
	snprintf(want, sizeof(want),
		 "runtimeRoot %s/cs/run: uid 60600 cannot reach it: %s is 0700 root:root; make it searchable (chmod o+x %s) or choose another runtimeRoot",
		 tr_tmp, tr_tmp, tr_tmp);
	assert_string_equal(err.msg, want);
	/* uid 0 is not checked */
	iso.uid = 0;
	iso.gid = 0;
	assert_int_equal(tr_reach_check(&iso, NULL, &err), 0);
	/* kept CAP_DAC_READ_SEARCH passes every dir */
	iso_under(&iso, "cs/run", "cs/run/hugepages", true);
	iso.caps = UINT64_C(1) << CAP_DAC_READ_SEARCH;
	assert_int_equal(tr_reach_check(&iso, NULL, &err), 0);
}

/*
 * In a mount namespace of its own the member finds runtimeRoot and
 * hugepageDir covered by 0755 tmpfs: the roots themselves do not count
 * there, only their ancestors; without one they do.
 */
static void test_check_roots(void **state)
{
	(void)state;
	struct tr_isolation iso;
	struct tr_error err = { 0 };
	char want[2 * PATH_MAX];
	assert_int_equal(chmod(tr_tmp, 0711), 0);
	mkdir_mode("run", 0700);
	mkdir_mode("huge", 0755);
	mkdir_mode("huge/private", 0700);
	mkdir_mode("huge/private/dir", 0755);
	iso_under(&iso, "run", "huge/dir", true);
	assert_int_equal(tr_reach_check(&iso, NULL, &err), 0);
	iso_under(&iso, "run", "huge/private/dir", true);
	assert_int_equal(tr_reach_check(&iso, NULL, &err), -1);
	snprintf(want, sizeof(want),
		 "hugepageDir %s/huge/private/dir: uid 60600 cannot reach it: %s/huge/private is 0700 root:root; make it searchable (chmod o+x %s/huge/private) or choose another hugepageDir",
		 tr_tmp, tr_tmp, tr_tmp);
	assert_string_equal(err.msg, want);
	/* below runtimeRoot, the cover holds it: whatever the host has there */
	iso_under(&iso, "huge", "huge/private/dir", true);
	assert_int_equal(tr_reach_check(&iso, NULL, &err), 0);
	/* no mount namespace: the 0700 runtimeRoot itself stops it */
	iso_under(&iso, "run", "huge/dir", false);
	assert_int_equal(tr_reach_check(&iso, NULL, &err), -1);
	snprintf(want, sizeof(want),
		 "runtimeRoot %s/run: uid 60600 cannot reach it: %s/run is 0700 root:root; make it searchable (chmod o+x %s/run) or choose another runtimeRoot",
		 tr_tmp, tr_tmp, tr_tmp);
	assert_string_equal(err.msg, want);
}

static void test_check_app(void **state)
{
	(void)state;
	struct tr_isolation iso;
	struct tr_error err = { 0 };
	char app[PATH_MAX], want[3 * PATH_MAX];
	assert_int_equal(chmod(tr_tmp, 0711), 0);
	mkdir_mode("run", 0755);
	mkdir_mode("bin", 0700);
	tr_put(tr_tmp, "bin/app", "#!/bin/sh\n");
	path_of(app, sizeof(app), "bin/app");
	assert_int_equal(chmod(app, 0755), 0);
	iso_under(&iso, "run", "run/hugepages", true);
	assert_int_equal(tr_reach_check(&iso, app, &err), -1);
	assert_int_equal(err.code, EX_CONFIG);
	snprintf(want, sizeof(want),
		 "app %s: uid 60600 cannot reach it: %s/bin is 0700 root:root; make it searchable (chmod o+x %s/bin) or install it where uid 60600 may run it",
		 app, tr_tmp, tr_tmp);
	assert_string_equal(err.msg, want);
	/* its group may: g+x is what it needs */
	path_of(want, sizeof(want), "bin");
	assert_int_equal(chmod(want, 0755), 0);
	assert_int_equal(chown(app, 0, DYN), 0);
	assert_int_equal(chmod(app, 0705), 0);
	assert_int_equal(tr_reach_check(&iso, app, &err), -1);
	assert_non_null(strstr(err.msg, "cannot execute it"));
	assert_non_null(strstr(err.msg, "(chmod g+x "));
	assert_int_equal(chmod(app, 0715), 0);
	assert_int_equal(tr_reach_check(&iso, app, &err), 0);
	/* no app to check (`tenantrt plan` with its placeholder) */
	assert_int_equal(tr_reach_check(&iso, NULL, &err), 0);
}

/* validate: one warning at host.runtimeRoot for a dir above both roots,
 * naming the first tenant it stops; none for a tenant running as root. */
static void test_warn(void **state)
{
	(void)state;
	struct tr_host_facts host;
	tr_test_host(&host);
	char yaml[3 * PATH_MAX], want[4 * PATH_MAX];
	const char *tenants =
		"tenants:\n"
		"  - name: boss\n"
		"    memory: {totalMb: 64}\n"
		"    cpus: \"2\"\n"
		"    user: root\n"
		"  - name: dyn\n"
		"    memory: {totalMb: 64}\n"
		"    cpus: \"3\"\n";
	snprintf(yaml, sizeof(yaml),
		 "host:\n  runtimeRoot: %s/cs/run\n  hugepageDir: %s/cs/huge\n%s", tr_tmp,
		 tr_tmp, tenants);
	tr_test_config_clean(&tr_cfg, &tr_cfg_diags, "t.yaml", yaml, NULL, &host,
			     TR_TEST_VALIDATE);
	unsigned n = tr_cfg_diags.n;
	tr_reach_warn(&tr_cfg, &tr_cfg_diags);
	assert_int_equal(tr_cfg_diags.n, n + 1);
	assert_int_equal(tr_cfg_diags.n_errors, 0);
	snprintf(want, sizeof(want),
		 "t.yaml:2:16: warning: host: runtimeRoot \"%s/cs/run\": tenant \"dyn\" runs as its dynamic uid, which cannot reach it: %s is 0700 root:root; make it searchable (chmod o+x %s) or choose another runtimeRoot",
		 tr_tmp, tr_tmp, tr_tmp);
	char got[sizeof(want)];
	tr_diag_format(&tr_cfg_diags, n, got, sizeof(got));
	assert_string_equal(got, want);
	/* searchable: nothing to say */
	assert_int_equal(chmod(tr_tmp, 0711), 0);
	tr_test_config_clean(&tr_cfg, &tr_cfg_diags, "t.yaml", yaml, NULL, &host,
			     TR_TEST_VALIDATE);
	n = tr_cfg_diags.n;
	tr_reach_warn(&tr_cfg, &tr_cfg_diags);
	assert_int_equal(tr_cfg_diags.n, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allows_classes),
		cmocka_unit_test(test_allows_capabilities),
		cmocka_unit_test_setup_teardown(test_walk, tr_tmp_setup, tr_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_walk_app, tr_tmp_setup, tr_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_check_line, tr_tmp_setup, tr_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_check_roots, tr_tmp_setup, tr_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_check_app, tr_tmp_setup, tr_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_warn, tr_tmp_setup, tr_tmp_teardown),
	};
	int rc = cmocka_run_group_tests_name("reach", tests, NULL, NULL);
	tr_config_teardown(NULL);
	return rc;
}
