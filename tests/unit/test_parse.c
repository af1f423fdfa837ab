/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config/parse.c, the parser: every handler and value type, defaults,
 * marks, the example and good fixtures, bounded input, and parse errors
 * with their exact text and position. (Each bad fixture's full output
 * is pinned by test_bad_inputs; here the cases that need code around
 * them.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "helpers.h"

#define GOOD TR_SOURCE_DIR "/tests/fixtures/good/"


static int parse(const char *yaml)
{
	return tr_test_config(&tr_cfg, &tr_cfg_diags, "t.yaml", yaml, NULL, NULL, TR_TEST_PARSE);
}

static int load(const char *path)
{
	struct tr_error err = { 0 };
	tr_diags_init(&tr_cfg_diags, path);
	int rc = tr_config_load(&tr_cfg, path, &tr_cfg_diags, &err);
	if (rc < 0 && err.code != 0)
		fail_msg("%s: %s", path, err.msg);
	return rc;
}

static void assert_printed(const char *want)
{
	assert_diags(&tr_cfg_diags, want);
}

static void assert_mark(struct tr_mark m, unsigned line, unsigned col)
{
	assert_int_equal(m.line, line);
	assert_int_equal(m.col, col);
}

/* --- good input ---------------------------------------------------------- */

static void test_example(void **state)
{
	(void)state;
	assert_int_equal(load(TR_SOURCE_DIR "/examples/tenants.yaml"), 0);
	assert_int_equal(tr_cfg_diags.n, 0);
	assert_string_equal(tr_cfg.file, TR_SOURCE_DIR "/examples/tenants.yaml");
	assert_string_equal(tr_cfg.host.runtime_root, "/run/tenantrt");
	assert_mark(tr_cfg.host.runtime_root_mark, 7, 16);
	assert_int_equal(tr_cfg.host.page_size, TR_PAGE_2M);
	assert_true(tr_cfg.host.has_cpus);
	assert_cpus(&tr_cfg.host.cpus, "0-1");
	assert_int_equal(tr_cfg.n_tenants, 2);

	const struct tr_tenant *a = &tr_cfg.tenants[0];
	assert_string_equal(a->name, "acme");
	assert_mark(a->mark, 12, 5);
	assert_mark(a->name_mark, 12, 11);
	assert_true(a->memory.has_total);
	assert_int_equal(a->memory.total_mb, 128);
	assert_mark(a->memory.total_mark, 14, 16);
	assert_true(a->memory.has_limit);
	assert_int_equal(a->memory.limit_mb, 192);
	assert_false(a->memory.has_socket);
	assert_cpus(&a->cpus, "1");
	assert_int_equal(a->cpu_policy, TR_CPU_EXCLUSIVE);
	assert_int_equal(a->lcores.per_primary, 2);
	assert_int_equal(a->n_nics, 2);
	assert_int_equal(a->nics[0].kind, TR_NIC_VDEV);
	assert_string_equal(a->nics[0].spec, "net_af_packet0,iface=acme0");
	assert_mark(a->nics[0].mark, 22, 9);
	assert_string_equal(a->nics[1].spec, "net_af_packet1,iface=acme1");
	assert_int_equal(a->group.max_secondaries, 2);
	assert_true(a->group.allow_foreign_binaries);
	assert_false(a->group.single_file_segments);
	assert_int_equal(a->datapath.mode, TR_DP_MODE_DISTRIBUTE);
	assert_int_equal(a->datapath.burst, 32);
	assert_int_equal(a->datapath.ring_size, 1024);

	const struct tr_tenant *g = &tr_cfg.tenants[1];
	assert_string_equal(g->name, "globex");
	assert_int_equal(g->memory.total_mb, 64);
	assert_false(g->memory.has_limit);
	assert_int_equal(g->cpu_policy, TR_CPU_SHARED);
	assert_int_equal(g->group.max_secondaries, 0);
	assert_int_equal(g->n_eal, 1);
	assert_string_equal(g->eal[0], "--log-level=lib.eal:notice");
	assert_mark(g->eal_marks[0], 42, 11);
}

static void test_full(void **state)
{
	(void)state;
	assert_int_equal(load(GOOD "full.yaml"), 0);
	assert_int_equal(tr_cfg_diags.n, 0);
	const struct tr_host *h = &tr_cfg.host;
	assert_string_equal(h->runtime_root, "/run/tenantrt-test");
	assert_string_equal(h->hugepage_dir, "/dev/hugepages-test");
	assert_mark(h->hugepage_dir_mark, 4, 16);
	assert_int_equal(h->page_size, TR_PAGE_1G);
	assert_mark(h->page_size_mark, 5, 17);
	assert_cpus(&h->cpus, "0-5");
	assert_mark(h->cpus_mark, 6, 9);
	assert_mark(h->mark, 3, 3);

	assert_int_equal(tr_cfg.n_tenants, 1);
	const struct tr_tenant *t = &tr_cfg.tenants[0];
	assert_false(t->memory.has_total);
	assert_true(t->memory.has_socket);
	assert_int_equal(t->memory.n_socket, 2);
	assert_int_equal(t->memory.socket_mb[0], 256);
	assert_int_equal(t->memory.socket_mb[1], 128);
	assert_mark(t->memory.socket_mark, 11, 17);
	assert_int_equal(t->memory.limit_mb, 512);
	assert_mark(t->memory.limit_mark, 12, 16);
	assert_mark(t->memory.mark, 11, 7);
	assert_true(t->has_cpus);
	assert_cpus(&t->cpus, "2-5");
	assert_mark(t->cpus_mark, 13, 11);
	assert_int_equal(t->cpu_policy, TR_CPU_SHARED);
	assert_mark(t->cpu_policy_mark, 14, 16);

	assert_int_equal(t->lcores.per_primary, 3);
	assert_int_equal(t->lcores.per_secondary, 1);
	assert_true(t->lcores.has_primary_cpus);
	assert_cpus(&t->lcores.primary_cpus, "2-3");
	assert_true(t->lcores.has_secondary_cpus);
	assert_cpus(&t->lcores.secondary_cpus, "4-5");
	assert_mark(t->lcores.mark, 16, 7);

	/* NICs are kept as written; resolve.c normalises and expands. */
	assert_int_equal(t->n_nics, 4);
	assert_int_equal(t->nics[0].kind, TR_NIC_PCI);
	assert_string_equal(t->nics[0].spec, "0000:3B:02.0");
	assert_int_equal(t->nics[1].kind, TR_NIC_PCI);
	assert_string_equal(t->nics[1].spec, "3b:02.1");
	assert_int_equal(t->nics[2].kind, TR_NIC_VDEV);
	assert_string_equal(t->nics[2].spec, "net_ring0,nodes=[0,1]");
	assert_int_equal(t->nics[3].kind, TR_NIC_ENV);
	assert_string_equal(t->nics[3].spec, "PCIDEVICE_INTEL_COM_SRIOV");
	assert_null(t->nics[3].from_env);
	assert_mark(t->nics[3].mark, 24, 9);

	assert_int_equal(t->group.max_secondaries, 4);
	assert_true(t->group.single_file_segments);
	assert_true(t->group.allow_foreign_binaries);
	assert_mark(t->group.mark, 26, 7);

	assert_true(t->user.set);
	assert_string_equal(t->user.user, "1000");
	assert_string_equal(t->user.group, "1001");
	assert_mark(t->user.mark, 29, 11);
	assert_int_equal(t->user.n_supp, 2);
	assert_string_equal(t->user.supp_names[0], "root");
	assert_string_equal(t->user.supp_names[1], "27");
	assert_mark(t->user.supp_marks[1], 30, 33);

	assert_int_equal(t->security.seccomp, TR_SECCOMP_PROFILE);
	assert_string_equal(t->security.seccomp_profile, "/etc/tenantrt/acme.json");
	assert_mark(t->security.seccomp_mark, 32, 16);
	/* Names with and without CAP_, any case; the repeat is kept once. */
	assert_int_equal(t->security.n_caps, 3);
	assert_int_equal(t->security.caps[0], CAP_NET_RAW);
	assert_int_equal(t->security.caps[1], CAP_NET_ADMIN);
	assert_int_equal(t->security.caps[2], CAP_SYS_NICE);
	assert_mark(t->security.caps_mark, 33, 21);
	assert_mark(t->security.mark, 32, 7);

	assert_int_equal(t->datapath.mode, TR_DP_MODE_SYMMETRIC);
	assert_int_equal(t->datapath.burst, 64);
	assert_int_equal(t->datapath.ring_size, 4096);
	assert_int_equal(t->datapath.queues, 2);
	assert_mark(t->datapath.mark, 35, 7);

	assert_int_equal(t->n_eal, 2);
	assert_string_equal(t->eal[0], "--log-level=lib.eal:debug");
	assert_string_equal(t->eal[1], "--no-telemetry");
	assert_mark(t->eal_marks[1], 41, 9);
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(load(GOOD "minimal.yaml"), 0);
	assert_null(tr_cfg.host.runtime_root);
	assert_null(tr_cfg.host.hugepage_dir);
	assert_int_equal(tr_cfg.host.page_size, TR_PAGE_2M);
	assert_false(tr_cfg.host.has_cpus);
	assert_int_equal(tr_cfg.host.mark.line, 0);
	const struct tr_tenant *t = &tr_cfg.tenants[0];
	assert_string_equal(t->name, "solo");
	assert_false(t->has_cpus);
	assert_int_equal(t->cpus_mark.line, 0);
	assert_int_equal(t->cpu_policy, TR_CPU_EXCLUSIVE);
	assert_int_equal(t->lcores.per_primary, 2);
	assert_int_equal(t->lcores.per_secondary, 2);
	assert_false(t->lcores.has_primary_cpus);
	assert_int_equal(t->n_nics, 0);
	assert_int_equal(t->group.max_secondaries, 0);
	assert_false(t->group.single_file_segments);
	assert_false(t->group.allow_foreign_binaries);
	assert_false(t->user.set);
	assert_int_equal(t->security.seccomp, TR_SECCOMP_DEFAULT);
	assert_int_equal(t->security.n_caps, 0);
	assert_int_equal(t->datapath.mode, TR_DP_MODE_DISTRIBUTE);
	assert_int_equal(t->datapath.burst, 32);
	assert_int_equal(t->datapath.ring_size, 1024);
	assert_int_equal(t->datapath.queues, 0);
	assert_int_equal(t->health.watchdog, 0);
	assert_int_equal(t->health.startup, TR_HEALTH_STARTUP_DEFAULT);
	assert_int_equal(t->health.stall, TR_HEALTH_STALL_DEFAULT);
	assert_int_equal(t->n_eal, 0);
}

/* health: the watchdog (0 = off), the start-up and stall bounds. */
static void test_health(void **state)
{
	(void)state;
	assert_int_equal(parse("tenants:\n"
			       "  - name: a\n"
			       "    health: {watchdog: 20, startup: 90, stall: 3}\n"),
			 0);
	const struct tr_tenant *t = &tr_cfg.tenants[0];
	assert_int_equal(t->health.watchdog, 20);
	assert_int_equal(t->health.startup, 90);
	assert_int_equal(t->health.stall, 3);
	assert_mark(t->health.mark, 3, 13);
	tr_config_teardown(NULL);

	assert_int_equal(parse("tenants:\n"
			       "  - name: a\n"
			       "    health: {watchdog: 86401, stall: 0, startup: x, restart: 1}\n"),
			 -1);
	assert_printed(
		"t.yaml:3:24: tenant \"a\": health.watchdog \"86401\": too large (at most 86400)\n"
		"t.yaml:3:38: tenant \"a\": health.stall \"0\": must be 1..3600\n"
		"t.yaml:3:50: tenant \"a\": health.startup \"x\": not a whole number\n"
		"t.yaml:3:53: tenant \"a\": unknown key \"health.restart\"; known keys: watchdog, startup, stall\n");
}

static void test_flow_style(void **state)
{
	(void)state;
	assert_int_equal(load(GOOD "flow.yaml"), 0);
	assert_int_equal(tr_cfg.host.page_size, TR_PAGE_2M);
	/* A plain int is a cpulist of one. */
	assert_cpus(&tr_cfg.host.cpus, "3");
	assert_int_equal(tr_cfg.n_tenants, 2);
	assert_cpus(&tr_cfg.tenants[0].cpus, "1");
	assert_string_equal(tr_cfg.tenants[0].nics[0].spec, "net_null0");
	assert_string_equal(tr_cfg.tenants[1].user.user, "root");
	assert_null(tr_cfg.tenants[1].user.group);
	assert_int_equal(tr_cfg.tenants[1].security.seccomp, TR_SECCOMP_UNCONFINED);
	assert_mark(tr_cfg.tenants[1].mark, 1, 113);
}

static void test_hugepage_sizes(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		enum tr_page_size want;
	} cases[] = {
		{ "2M", TR_PAGE_2M },	     { "2MB", TR_PAGE_2M },
		{ "2048kB", TR_PAGE_2M },    { "2mb", TR_PAGE_2M },
		{ "1G", TR_PAGE_1G },	     { "1GB", TR_PAGE_1G },
		{ "1048576kB", TR_PAGE_1G }, { "1g", TR_PAGE_1G },
	};
	for (size_t i = 0; i < TR_ARRAY_SIZE(cases); i++) {
		char yaml[256];
		snprintf(yaml, sizeof(yaml),
			 "host: {hugepageSize: %s}\ntenants: [{name: a}]\n",
			 cases[i].text);
		assert_int_equal(parse(yaml), 0);
		assert_int_equal(tr_cfg.host.page_size, cases[i].want);
		tr_config_teardown(NULL);
	}
	assert_int_equal(parse("host: {hugepageSize: 4K}\ntenants: [{name: a}]\n"),
			 -1);
	assert_printed("t.yaml:1:22: host: hugepageSize \"4K\": must be 2M or 1G\n");
}

static void test_bools_and_numbers(void **state)
{
	(void)state;
	assert_int_equal(parse("tenants:\n"
			       "  - name: a\n"
			       "    group: {singleFileSegments: TRUE, "
			       "allowForeignBinaries: false}\n"
			       "    memory: {totalMb: \"0128\", limitMb: +256}\n"
			       "    datapath: {burst: 512, ringSize: 65536, "
			       "queues: 4294967295}\n"),
			 0);
	const struct tr_tenant *t = &tr_cfg.tenants[0];
	assert_true(t->group.single_file_segments);
	assert_false(t->group.allow_foreign_binaries);
	assert_int_equal(t->memory.total_mb, 128);
	assert_int_equal(t->memory.limit_mb, 256);
	assert_int_equal(t->datapath.burst, 512);
	assert_int_equal(t->datapath.ring_size, 65536);
	assert_int_equal(t->datapath.queues, 4294967295u);
	tr_config_teardown(NULL);

	assert_int_equal(parse("tenants:\n"
			       "  - name: a\n"
			       "    datapath: {burst: 1x, ringSize: 131072, queues: -0}\n"
			       "    memory: {totalMb: \"\"}\n"),
			 -1);
	assert_printed(
		"t.yaml:3:23: tenant \"a\": datapath.burst \"1x\": not a whole number\n"
		"t.yaml:3:37: tenant \"a\": datapath.ringSize \"131072\": must be 64..65536\n"
		"t.yaml:3:53: tenant \"a\": datapath.queues \"-0\": must not be negative\n"
		"t.yaml:4:23: tenant \"a\": memory.totalMb \"\": not a whole number\n");
}

static void test_user_forms(void **state)
{
	(void)state;
	static const struct {
		const char *text, *user, *group;
	} cases[] = {
		{ "1000", "1000", NULL },
		{ "\"1000:1000\"", "1000", "1000" },
		{ "dpdk", "dpdk", NULL },
		{ "dpdk:netdev", "dpdk", "netdev" },
	};
	for (size_t i = 0; i < TR_ARRAY_SIZE(cases); i++) {
		char yaml[256];
		snprintf(yaml, sizeof(yaml), "tenants: [{name: a, user: %s}]\n",
			 cases[i].text);
		assert_int_equal(parse(yaml), 0);
		const struct tr_user *u = &tr_cfg.tenants[0].user;
		assert_true(u->set);
		assert_string_equal(u->user, cases[i].user);
		if (cases[i].group)
			assert_string_equal(u->group, cases[i].group);
		else
			assert_null(u->group);
		tr_config_teardown(NULL);
	}
	assert_int_equal(parse("tenants: [{name: a, user: \":5\"}]\n"), -1);
	assert_printed("t.yaml:1:27: tenant \"a\": user \":5\": must be uid[:gid] "
		       "or name[:group]\n");
}

static void test_every_problem_reported(void **state)
{
	(void)state;
	/* Problems in several tenants and the host: all of them, in order. */
	assert_int_equal(parse("host:\n"
			       "  runtimeRoot: relative\n"
			       "tenants:\n"
			       "  - name: acme\n"
			       "    cpu: 1\n"
			       "  - name: globex\n"
			       "    nics: [\"0000:3b:02\"]\n"
			       "    security: {capabilities: [NET_BOGUS]}\n"),
			 -1);
	assert_int_equal(tr_cfg_diags.n_errors, 4);
	assert_printed(
		"t.yaml:2:16: host: runtimeRoot \"relative\": must be an absolute path\n"
		"t.yaml:5:5: tenant \"acme\": unknown key \"cpu\"; did you mean \"cpus\"?\n"
		"t.yaml:7:12: tenant \"globex\": NIC \"0000:3b:02\" is neither a PCI "
		"address (dddd:bb:dd.f) nor a vdev (driver<index>[,key=value...])\n"
		"t.yaml:8:31: tenant \"globex\": security.capabilities \"NET_BOGUS\": "
		"unknown capability; see capabilities(7) for the names\n");
	/* Good tenants are still there for the stages after. */
	assert_int_equal(tr_cfg.n_tenants, 2);
}

static void test_name_read_first(void **state)
{
	(void)state;
	/* The name comes last in the mapping but names the earlier problem. */
	assert_int_equal(parse("tenants:\n"
			       "  - cpuPolicy: greedy\n"
			       "    name: late\n"),
			 -1);
	assert_printed("t.yaml:2:16: tenant \"late\": cpuPolicy \"greedy\": must be "
		       "exclusive or shared\n");
}

static void test_nul_in_scalar(void **state)
{
	(void)state;
	assert_int_equal(parse("tenants: [{name: \"ac\\0me\"}]\n"), -1);
	assert_printed("t.yaml:1:18: tenant #1: \"name\" contains a NUL byte\n");
	assert_int_equal(tr_cfg.n_tenants, 0);
}

static void test_long_values_stay_one_line(void **state)
{
	(void)state;
	/* A quoted value with a line break and 100 x's: shown escaped and cut. */
	char yaml[512];
	char xs[101];
	memset(xs, 'x', 100);
	xs[100] = '\0';
	snprintf(yaml, sizeof(yaml),
		 "tenants: [{name: a, cpuPolicy: \"a\\nb%s\"}]\n", xs);
	assert_int_equal(parse(yaml), -1);
	char *got = tr_diags_text(&tr_cfg_diags);
	assert_non_null(strstr(got, "cpuPolicy \"a\\x0ab"));
	assert_non_null(strstr(got, "xxx...\": must be exclusive or shared\n"));
	assert_ptr_equal(strchr(got, '\n'), got + strlen(got) - 1);
	free(got);
}

static void test_too_many_tenants(void **state)
{
	(void)state;
	char *yaml = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&yaml, &len);
	fprintf(f, "tenants:\n");
	for (int i = 0; i <= TR_MAX_TENANTS; i++)
		fprintf(f, "  - name: t%d\n", i);
	fclose(f);
	assert_int_equal(parse(yaml), -1);
	assert_printed("t.yaml:2:3: \"tenants\" has 65 entries; at most 64 tenants\n");
	assert_int_equal(tr_cfg.n_tenants, 0);
	free(yaml);
}

static void test_too_many_list_entries(void **state)
{
	(void)state;
	assert_int_equal(parse("tenants:\n"
			       "  - name: a\n"
			       "    eal: [a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,"
			       "u,v,w,x,y,z,aa,ab,ac,ad,ae,af,ag]\n"
			       "    supplementaryGroups: [1,2,3,4,5,6,7,8,9]\n"
			       "    memory: {socketMb: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,"
			       "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}\n"
			       "    security: {capabilities: [1,2,3,4,5,6,7,8,9,10,"
			       "11,12,13,14,15,16,17]}\n"),
			 -1);
	assert_printed(
		"t.yaml:3:10: tenant \"a\": \"eal\" has 33 entries; at most 32 EAL arguments\n"
		"t.yaml:4:26: tenant \"a\": \"supplementaryGroups\" has 9 entries; at most 8 supplementary groups\n"
		"t.yaml:5:24: tenant \"a\": \"memory.socketMb\" has 33 entries; at most 32 NUMA nodes\n"
		"t.yaml:6:30: tenant \"a\": \"security.capabilities\" has 17 entries; at most 16 capabilities\n");
}

/* A refused entry leaves the rest of its list as read, in order, each with
 * its own mark; socketMb alone is all or nothing; a capability named twice
 * is kept once. */
static void test_list_entries_kept(void **state)
{
	(void)state;
	assert_int_equal(parse("tenants:\n"
			       "  - name: a\n"
			       "    memory: {socketMb: [32, x, 32]}\n"
			       "    nics: [net_null0, [x], net_null1]\n"
			       "    eal: [--a, {b: c}, --d]\n"
			       "    supplementaryGroups: [\"\", 7]\n"
			       "    security: {capabilities: [NET_RAW, bogus, "
			       "cap_net_raw, NET_ADMIN]}\n"),
			 -1);
	const struct tr_tenant *t = &tr_cfg.tenants[0];
	assert_false(t->memory.has_socket);
	assert_int_equal(t->memory.n_socket, 0);
	assert_int_equal(t->n_nics, 2);
	assert_string_equal(t->nics[1].spec, "net_null1");
	assert_mark(t->nics[1].mark, 4, 28);
	assert_int_equal(t->n_eal, 2);
	assert_string_equal(t->eal[1], "--d");
	assert_mark(t->eal_marks[1], 5, 24);
	assert_int_equal(t->user.n_supp, 1);
	assert_string_equal(t->user.supp_names[0], "7");
	assert_mark(t->user.supp_marks[0], 6, 31);
	assert_int_equal(t->security.n_caps, 2);
	assert_int_equal(t->security.caps[0], CAP_NET_RAW);
	assert_int_equal(t->security.caps[1], CAP_NET_ADMIN);
	assert_int_equal(tr_cfg_diags.n_errors, 5);
}

static void test_empty_inputs(void **state)
{
	(void)state;
	static const char *const empties[] = { "", "# only a comment\n", "---\n",
					       "~\n", "\n\n   \n" };
	for (size_t i = 0; i < TR_ARRAY_SIZE(empties); i++) {
		assert_int_equal(parse(empties[i]), -1);
		assert_printed("t.yaml: empty configuration; expected a \"tenants\" list\n");
		tr_config_teardown(NULL);
	}
}

static void test_yaml_syntax_error(void **state)
{
	(void)state;
	assert_int_equal(parse("tenants:\n  - name: a\n   bad: [\n"), -1);
	assert_int_equal(tr_cfg_diags.n, 1);
	char *got = tr_diags_text(&tr_cfg_diags);
	/* libyaml's own words and position, marks made 1-based. */
	assert_string_equal(got, "t.yaml:3:4: not valid YAML: did not find "
				 "expected '-' indicator while parsing a block "
				 "collection\n");
	free(got);
}

static void test_bounds(void **state)
{
	(void)state;
	/* Anchors are refused even when nothing refers to them. */
	assert_int_equal(parse("tenants: &t [{name: a}]\n"), -1);
	assert_printed("t.yaml:1:10: YAML anchors and aliases are not allowed\n");
	tr_config_teardown(NULL);

	/* Exactly TR_CONFIG_MAX_DEPTH levels are fine, one more is not. */
	char yaml[256];
	int open = TR_CONFIG_MAX_DEPTH - 4; /* root, tenants, tenant, memory */
	snprintf(yaml, sizeof(yaml),
		 "tenants: [{name: a, memory: {socketMb: %.*s1%.*s}}]\n", open,
		 "[[[[[[[[[[[[[[[[[[[[", open, "]]]]]]]]]]]]]]]]]]]]");
	assert_int_equal(parse(yaml), -1);
	assert_printed("t.yaml:1:41: tenant \"a\": \"memory.socketMb[0]\" must be "
		       "a number\n");
	tr_config_teardown(NULL);
	open++;
	snprintf(yaml, sizeof(yaml),
		 "tenants: [{name: a, memory: {socketMb: %.*s1%.*s}}]\n", open,
		 "[[[[[[[[[[[[[[[[[[[[", open, "]]]]]]]]]]]]]]]]]]]]");
	assert_int_equal(parse(yaml), -1);
	assert_printed("t.yaml:1:52: nested deeper than 16 levels\n");
	tr_config_teardown(NULL);

	/* The buffer bound applies to parse_buffer too. */
	size_t big = TR_CONFIG_MAX_BYTES + 1;
	char *buf = malloc(big);
	assert_non_null(buf);
	memset(buf, '#', big);
	tr_diags_init(&tr_cfg_diags, "t.yaml");
	assert_int_equal(tr_config_parse_buffer(&tr_cfg, "t.yaml", buf, big, &tr_cfg_diags),
			 -1);
	assert_printed("t.yaml: 1048577 bytes is more than the 1048576 a "
		       "configuration may have\n");
	free(buf);
}

static void test_load_errors(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	tr_diags_init(&tr_cfg_diags, "x");
	assert_int_equal(tr_config_load(&tr_cfg, "/nonexistent/tenants.yaml", &tr_cfg_diags,
					&err), -1);
	assert_int_equal(err.code, EX_NOINPUT);
	assert_string_equal(err.msg, "cannot open /nonexistent/tenants.yaml: No "
				     "such file or directory");
	assert_int_equal(tr_cfg_diags.n, 0);

	tr_err_clear(&err);
	assert_int_equal(tr_config_load(&tr_cfg, "/", &tr_cfg_diags, &err), -1);
	assert_int_equal(err.code, EX_NOINPUT);
	assert_string_equal(err.msg, "/ is a directory; give the tenants.yaml file");

	/* Too big: refused from its size, before a byte is parsed. */
	char path[] = "/tmp/tenantrt-test-config-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, TR_CONFIG_MAX_BYTES + 1), 0);
	close(fd);
	tr_err_clear(&err);
	assert_int_equal(tr_config_load(&tr_cfg, path, &tr_cfg_diags, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	char want[256];
	snprintf(want, sizeof(want), "%s: 1048577 bytes is more than the 1048576 "
		 "a configuration may have", path);
	assert_string_equal(err.msg, want);
	assert_int_equal(tr_cfg_diags.n, 0);
	unlink(path);
}

static void test_vdev_forms(void **state)
{
	(void)state;
	assert_int_equal(parse("tenants:\n"
			       "  - name: a\n"
			       "    nics: [net_null0, \"net_tap12,iface=t0,mac=fixed\","
			       " \"net_bonding0,mode=1,slave=[a,b]\","
			       " \"eth_pcap0,rx_pcap=/tmp/x.pcap\"]\n"),
			 0);
	assert_int_equal(tr_cfg.tenants[0].n_nics, 4);
	assert_string_equal(tr_cfg.tenants[0].nics[1].spec, "net_tap12,iface=t0,mac=fixed");
	assert_string_equal(tr_cfg.tenants[0].nics[2].spec,
			    "net_bonding0,mode=1,slave=[a,b]");
	tr_config_teardown(NULL);
	assert_int_equal(parse("tenants:\n"
			       "  - name: a\n"
			       "    nics: [\"0null\", \"net_ring0,=x\", "
			       "\"net_ring0,a=[b\", {env: X, other: 1}, [x]]\n"),
			 -1);
	assert_printed(
		"t.yaml:3:12: tenant \"a\": NIC \"0null\" is neither a PCI address (dddd:bb:dd.f) nor a vdev (driver<index>[,key=value...])\n"
		"t.yaml:3:21: tenant \"a\": NIC \"net_ring0,=x\" is neither a PCI address (dddd:bb:dd.f) nor a vdev (driver<index>[,key=value...])\n"
		"t.yaml:3:37: tenant \"a\": NIC \"net_ring0,a=[b\" is neither a PCI address (dddd:bb:dd.f) nor a vdev (driver<index>[,key=value...])\n"
		"t.yaml:3:64: tenant \"a\": unknown key \"nics[3].other\"; known keys: env, pci, driver, allow, pf\n"
		"t.yaml:3:75: tenant \"a\": \"nics[4]\" must be a PCI address, a vdev, {env: VARIABLE} or {pci: ADDRESS}\n");
	/* The env entry beside the unknown key is still taken. */
	assert_int_equal(tr_cfg.tenants[0].n_nics, 1);
	assert_int_equal(tr_cfg.tenants[0].nics[0].kind, TR_NIC_ENV);
}

static void test_top_level(void **state)
{
	(void)state;
	assert_int_equal(parse("host: [a]\ntenants: {name: a}\nextra: 1\n"), -1);
	assert_printed("t.yaml:1:7: \"host\" must be a mapping\n"
		       "t.yaml:2:10: \"tenants\" must be a list of tenants\n"
		       "t.yaml:3:1: unknown key \"extra\"; known keys: host, tenants\n");
	tr_config_teardown(NULL);
	assert_int_equal(parse("[a]: 1\ntenants: [{name: a}]\n"), -1);
	assert_printed("t.yaml:1:1: keys must be plain words, not a list\n");
}

static void test_tags_read_as_strings(void **state)
{
	(void)state;
	assert_int_equal(parse("tenants:\n"
			       "  - name: !!str acme\n"
			       "    memory: {totalMb: !!int 64}\n"
			       "    cpus: !mine \"1-2\"\n"
			       "    group: {singleFileSegments: !!bool true}\n"),
			 0);
	assert_string_equal(tr_cfg.tenants[0].name, "acme");
	assert_int_equal(tr_cfg.tenants[0].memory.total_mb, 64);
	assert_cpus(&tr_cfg.tenants[0].cpus, "1-2");
	assert_true(tr_cfg.tenants[0].group.single_file_segments);
}

static void test_many_problems_capped(void **state)
{
	(void)state;
	/* 300 unknown keys: all counted, TR_DIAG_MAX kept, one closing line. */
	char *yaml = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&yaml, &len);
	fprintf(f, "tenants:\n  - name: a\n");
	for (int i = 0; i < 300; i++)
		fprintf(f, "    k%d: 1\n", i);
	fclose(f);
	assert_int_equal(parse(yaml), -1);
	free(yaml);
	assert_int_equal(tr_cfg_diags.n_errors, 300);
	assert_int_equal(tr_cfg_diags.n, TR_DIAG_MAX);
	assert_true(tr_cfg_diags.truncated);
	char *got = tr_diags_text(&tr_cfg_diags);
	assert_non_null(strstr(got, "t.yaml:3:5: tenant \"a\": unknown key \"k0\"; "
				    "known keys: name, memory,"));
	assert_non_null(strstr(got, "\nt.yaml: too many problems; fix the ones "
				    "above first\n"));
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_example, tr_config_teardown),
		cmocka_unit_test_teardown(test_full, tr_config_teardown),
		cmocka_unit_test_teardown(test_defaults, tr_config_teardown),
		cmocka_unit_test_teardown(test_flow_style, tr_config_teardown),
		cmocka_unit_test_teardown(test_hugepage_sizes, tr_config_teardown),
		cmocka_unit_test_teardown(test_bools_and_numbers, tr_config_teardown),
		cmocka_unit_test_teardown(test_health, tr_config_teardown),
		cmocka_unit_test_teardown(test_user_forms, tr_config_teardown),
		cmocka_unit_test_teardown(test_every_problem_reported, tr_config_teardown),
		cmocka_unit_test_teardown(test_name_read_first, tr_config_teardown),
		cmocka_unit_test_teardown(test_nul_in_scalar, tr_config_teardown),
		cmocka_unit_test_teardown(test_long_values_stay_one_line, tr_config_teardown),
		cmocka_unit_test_teardown(test_too_many_tenants, tr_config_teardown),
		cmocka_unit_test_teardown(test_too_many_list_entries, tr_config_teardown),
		cmocka_unit_test_teardown(test_list_entries_kept, tr_config_teardown),
		cmocka_unit_test_teardown(test_empty_inputs, tr_config_teardown),
		cmocka_unit_test_teardown(test_yaml_syntax_error, tr_config_teardown),
		cmocka_unit_test_teardown(test_bounds, tr_config_teardown),
		cmocka_unit_test_teardown(test_load_errors, tr_config_teardown),
		cmocka_unit_test_teardown(test_vdev_forms, tr_config_teardown),
		cmocka_unit_test_teardown(test_top_level, tr_config_teardown),
		cmocka_unit_test_teardown(test_tags_read_as_strings, tr_config_teardown),
		cmocka_unit_test_teardown(test_many_problems_capped, tr_config_teardown),
	};
	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
