/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The resolver: {env: PCIDEVICE_X} NICs expanded from a given environment,
 * PCI addresses normalised (the spelling itself: test_pciaddr.c), users
 * and groups looked up in this host's passwd/group database (compared
 * against getpwnam/getgrnam, not against numbers that hold on one
 * distribution only).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"


/* yaml must parse; the resolver's result in envp. */
static int parse_and_resolve(const char *yaml, char *const envp[])
{
	tr_test_config_clean(&tr_cfg, &tr_cfg_diags, "t.yaml", yaml, NULL, NULL, TR_TEST_PARSE);
	return tr_config_resolve(&tr_cfg, envp, &tr_cfg_diags);
}

static void assert_printed(const char *want)
{
	assert_diags(&tr_cfg_diags, want);
}

static void assert_nic(const struct tr_nic *n, enum tr_nic_kind kind,
		       const char *spec, const char *from_env, unsigned line,
		       unsigned col)
{
	assert_int_equal(n->kind, kind);
	assert_string_equal(n->spec, spec);
	if (from_env)
		assert_string_equal(n->from_env, from_env);
	else
		assert_null(n->from_env);
	assert_int_equal(n->mark.line, line);
	assert_int_equal(n->mark.col, col);
}

static void test_env_expansion(void **state)
{
	(void)state;
	char *const env[] = {
		"PCIDEVICE_INTEL_COM_SRIOV_A=0000:3B:02.0, 3b:02.1 ,",
		/* The plugin's detail variable shares the prefix: not a match. */
		"PCIDEVICE_INTEL_COM_SRIOV_A_INFO={\"0000:3b:02.0\":{}}",
		"PCIDEVICE_B=0000:5e:00.1",
		NULL,
	};
	assert_int_equal(parse_and_resolve("tenants:\n"
					   "  - name: acme\n"
					   "    nics:\n"
					   "      - net_null0\n"
					   "      - env: PCIDEVICE_INTEL_COM_SRIOV_A\n"
					   "      - 3B:00.0\n"
					   "      - {env: PCIDEVICE_B}\n",
					   env),
			 0);
	assert_int_equal(tr_cfg_diags.n, 0);
	const struct tr_tenant *t = &tr_cfg.tenants[0];
	/* In the order written, each env entry replaced by its devices. */
	assert_int_equal(t->n_nics, 5);
	assert_nic(&t->nics[0], TR_NIC_VDEV, "net_null0", NULL, 4, 9);
	assert_nic(&t->nics[1], TR_NIC_PCI, "0000:3b:02.0",
		   "PCIDEVICE_INTEL_COM_SRIOV_A", 5, 9);
	assert_nic(&t->nics[2], TR_NIC_PCI, "0000:3b:02.1",
		   "PCIDEVICE_INTEL_COM_SRIOV_A", 5, 9);
	assert_nic(&t->nics[3], TR_NIC_PCI, "0000:3b:00.0", NULL, 6, 9);
	assert_nic(&t->nics[4], TR_NIC_PCI, "0000:5e:00.1", "PCIDEVICE_B", 7, 9);
}

static void test_env_errors(void **state)
{
	(void)state;
	char *const env[] = {
		"PCIDEVICE_EMPTY=",
		"PCIDEVICE_COMMAS= , ,",
		"PCIDEVICE_BAD=0000:3b:02.0,0000:3b:02",
		"PCIDEVICE_GOOD=0000:3b:03.0",
		NULL,
	};
	assert_int_equal(parse_and_resolve("tenants:\n"
					   "  - name: acme\n"
					   "    nics:\n"
					   "      - env: PCIDEVICE_UNSET\n"
					   "      - env: PCIDEVICE_EMPTY\n"
					   "      - env: PCIDEVICE_COMMAS\n"
					   "      - env: PCIDEVICE_BAD\n"
					   "      - env: PCIDEVICE_GOOD\n",
					   env),
			 -1);
	assert_printed(
		"t.yaml:4:9: tenant \"acme\": NIC env PCIDEVICE_UNSET is not set; is the device plugin resource requested?\n"
		"t.yaml:5:9: tenant \"acme\": NIC env PCIDEVICE_EMPTY is empty; the device plugin gave this container no device\n"
		"t.yaml:6:9: tenant \"acme\": NIC env PCIDEVICE_COMMAS is empty; the device plugin gave this container no device\n"
		"t.yaml:7:9: tenant \"acme\": NIC env PCIDEVICE_BAD holds \"0000:3b:02\" which is not a PCI address\n");
	/* The bad variables give no NIC; the good one still does. */
	assert_int_equal(tr_cfg.tenants[0].n_nics, 1);
	assert_string_equal(tr_cfg.tenants[0].nics[0].spec, "0000:3b:03.0");
}

static void test_env_over_limit(void **state)
{
	(void)state;
	char var[512] = "PCIDEVICE_MANY=";
	for (int i = 0; i < 10; i++)
		snprintf(var + strlen(var), sizeof(var) - strlen(var),
			 "%s0000:3b:02.%d", i ? "," : "", i % 8);
	char *const env[] = { var, NULL };
	/* Ten from the variable after eight written: two too many. */
	assert_int_equal(parse_and_resolve("tenants:\n"
					   "  - name: acme\n"
					   "    nics: [net_null0, net_null1, net_null2, "
					   "net_null3, net_null4, net_null5, net_null6, "
					   "net_null7, {env: PCIDEVICE_MANY}]\n",
					   env),
			 -1);
	assert_printed("t.yaml:3:100: tenant \"acme\": NIC env PCIDEVICE_MANY "
		       "brings the tenant over 16 NICs\n");
	assert_int_equal(tr_cfg.tenants[0].n_nics, 8);
}

static void test_users(void **state)
{
	(void)state;
	/* getpwnam's result is overwritten by the next call: copy it out. */
	struct passwd *root = getpwnam("root");
	assert_non_null(root);
	gid_t root_gid = root->pw_gid;
	struct passwd *nobody = getpwnam("nobody");
	assert_non_null(nobody);
	uid_t nobody_uid = nobody->pw_uid;
	gid_t nobody_gid = nobody->pw_gid;
	struct group *g = getgrgid(0);
	assert_non_null(g);
	char root_group[64];
	snprintf(root_group, sizeof(root_group), "%s", g->gr_name);

	char yaml[1024];
	snprintf(yaml, sizeof(yaml),
		 "tenants:\n"
		 "  - {name: a, user: \"1000:1001\"}\n"
		 "  - {name: b, user: nobody}\n"
		 "  - {name: c, user: \"nobody:%s\", supplementaryGroups: [%s, 4242]}\n"
		 "  - {name: d, user: 0}\n"
		 "  - {name: e, supplementaryGroups: [\"27\"]}\n",
		 root_group, root_group);
	char *const env[] = { NULL };
	assert_int_equal(parse_and_resolve(yaml, env), 0);
	assert_int_equal(tr_cfg_diags.n, 0);
	/* Numbers are taken as they are, no lookup. */
	assert_int_equal(tr_cfg.tenants[0].user.uid, 1000);
	assert_int_equal(tr_cfg.tenants[0].user.gid, 1001);
	/* A name without a group takes the user's primary group. */
	assert_int_equal(tr_cfg.tenants[1].user.uid, nobody_uid);
	assert_int_equal(tr_cfg.tenants[1].user.gid, nobody_gid);
	assert_int_equal(tr_cfg.tenants[2].user.uid, nobody_uid);
	assert_int_equal(tr_cfg.tenants[2].user.gid, 0);
	assert_int_equal(tr_cfg.tenants[2].user.n_supp, 2);
	assert_int_equal(tr_cfg.tenants[2].user.supp[0], 0);
	assert_int_equal(tr_cfg.tenants[2].user.supp[1], 4242);
	/* A uid alone takes its passwd entry's group. */
	assert_int_equal(tr_cfg.tenants[3].user.uid, 0);
	assert_int_equal(tr_cfg.tenants[3].user.gid, root_gid);
	assert_false(tr_cfg.tenants[4].user.set);
	assert_int_equal(tr_cfg.tenants[4].user.supp[0], 27);
}

static void test_user_errors(void **state)
{
	(void)state;
	char *const env[] = { NULL };
	assert_int_equal(parse_and_resolve(
				 "tenants:\n"
				 "  - name: a\n"
				 "    user: dpdk-tenantrt-nobody\n"
				 "  - name: b\n"
				 "    user: \"nobody:grp-tenantrt-none\"\n"
				 "    supplementaryGroups: [grp-tenantrt-none2]\n"
				 "  - name: c\n"
				 "    user: \"4294967295\"\n"
				 "  - name: d\n"
				 "    user: \"3999999:3999999\"\n",
				 env),
			 -1);
	/* 4294967295 is (uid_t)-1, "leave unchanged" to setresuid: it can
	 * only be a name, and no such user exists. */
	assert_printed(
		"t.yaml:3:11: tenant \"a\": unknown user \"dpdk-tenantrt-nobody\"; give a uid or a user of this host\n"
		"t.yaml:5:11: tenant \"b\": unknown group \"grp-tenantrt-none\"; give a gid or a group of this host\n"
		"t.yaml:6:27: tenant \"b\": unknown group \"grp-tenantrt-none2\" in supplementaryGroups; give a gid or a group of this host\n"
		"t.yaml:8:11: tenant \"c\": unknown user \"4294967295\"; give a uid or a user of this host\n");
	/* uid:gid with no passwd entry is fine: containers run such ids. */
	assert_int_equal(tr_cfg.tenants[3].user.uid, 3999999);
	assert_int_equal(tr_cfg.tenants[3].user.gid, 3999999);
}

static void test_resolve_nothing_to_do(void **state)
{
	(void)state;
	char *const env[] = { NULL };
	assert_int_equal(parse_and_resolve("tenants: [{name: a, nics: [net_null0]}]\n",
					   env),
			 0);
	assert_int_equal(tr_cfg.tenants[0].n_nics, 1);
	assert_string_equal(tr_cfg.tenants[0].nics[0].spec, "net_null0");
	/* A NULL environment is an empty one. */
	tr_config_teardown(NULL);
	assert_int_equal(parse_and_resolve("tenants: [{name: a, nics: [{env: X}]}]\n",
					   NULL),
			 -1);
	assert_printed("t.yaml:1:28: tenant \"a\": NIC env X is not set; is the "
		       "device plugin resource requested?\n");
	assert_int_equal(tr_cfg.tenants[0].n_nics, 0);
}

/* One shim resolves its own tenant only: another tenant's unset variable
 * and unknown user are not errors; its own unset variable is kept for the
 * shim to fill from the group manifest. */
static void test_resolve_one_tenant(void **state)
{
	(void)state;
	static const char yaml[] =
		"tenants:\n"
		"  - name: a\n"
		"    memory: {totalMb: 64}\n"
		"    nics: [{env: PCIDEVICE_A}, net_null0]\n"
		"  - name: b\n"
		"    memory: {totalMb: 64}\n"
		"    user: no-such-user-here\n"
		"    nics: [{env: PCIDEVICE_B}]\n";
	char *const env[] = { NULL };
	tr_diags_init(&tr_cfg_diags, "t.yaml");
	assert_int_equal(tr_config_parse_buffer(&tr_cfg, "t.yaml", yaml, strlen(yaml), &tr_cfg_diags), 0);
	assert_int_equal(tr_config_resolve_tenant(&tr_cfg, "a", env, true, &tr_cfg_diags), 0);
	assert_int_equal(tr_cfg_diags.n, 0);
	const struct tr_tenant *a = tr_config_find(&tr_cfg, "a");
	const struct tr_tenant *b = tr_config_find(&tr_cfg, "b");
	assert_int_equal(a->n_nics, 2);
	assert_nic(&a->nics[0], TR_NIC_ENV, "PCIDEVICE_A", NULL, 4, 12);
	assert_ptr_equal(tr_nic_env_unresolved(a), &a->nics[0]);
	assert_nic(&b->nics[0], TR_NIC_ENV, "PCIDEVICE_B", NULL, 8, 12);

	/* Without keep_unset_env the same unset variable is an error. */
	tr_config_free(&tr_cfg);
	tr_diags_free(&tr_cfg_diags);
	tr_diags_init(&tr_cfg_diags, "t.yaml");
	assert_int_equal(tr_config_parse_buffer(&tr_cfg, "t.yaml", yaml, strlen(yaml), &tr_cfg_diags), 0);
	assert_int_equal(tr_config_resolve_tenant(&tr_cfg, "a", env, false, &tr_cfg_diags), -1);
	assert_printed("t.yaml:4:12: tenant \"a\": NIC env PCIDEVICE_A is not set; is the device plugin resource requested?\n");
}

/* What the resolver quotes is shown as the parser shows it: escaped, and
 * cut with "..." after 64 characters. */
static void test_values_shown_as_parsed(void **state)
{
	(void)state;
	char *const env[] = { "PCIDEVICE_Q=0000:3b:02.0,a\"b\\c", NULL };
	char yaml[512];
	char long_name[81];
	memset(long_name, 'u', 80);
	long_name[80] = '\0';
	snprintf(yaml, sizeof(yaml),
		 "tenants:\n"
		 "  - name: a\n"
		 "    user: %s\n"
		 "    nics: [{env: PCIDEVICE_Q}]\n",
		 long_name);
	assert_int_equal(parse_and_resolve(yaml, env), -1);
	char want[1024];
	snprintf(want, sizeof(want),
		 "t.yaml:3:11: tenant \"a\": unknown user \"%.64s...\"; give a uid or a user of this host\n"
		 "t.yaml:4:12: tenant \"a\": NIC env PCIDEVICE_Q holds \"a\\\"b\\\\c\" which is not a PCI address\n",
		 long_name);
	assert_printed(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_env_expansion, tr_config_teardown),
		cmocka_unit_test_teardown(test_env_errors, tr_config_teardown),
		cmocka_unit_test_teardown(test_env_over_limit, tr_config_teardown),
		cmocka_unit_test_teardown(test_users, tr_config_teardown),
		cmocka_unit_test_teardown(test_user_errors, tr_config_teardown),
		cmocka_unit_test_teardown(test_values_shown_as_parsed, tr_config_teardown),
		cmocka_unit_test_teardown(test_resolve_nothing_to_do, tr_config_teardown),
		cmocka_unit_test_teardown(test_resolve_one_tenant, tr_config_teardown),
	};
	return cmocka_run_group_tests_name("resolve", tests, NULL, NULL);
}
