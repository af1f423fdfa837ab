/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Validation rules, each with its exact message and position, under host
 * facts chosen per test (the shared bad-input fixtures cover the rules
 * under one fixed host; these vary the host: no pool, one node, a small
 * RTE_MAX_LCORE, and pin boundaries and what must NOT be reported).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "helpers.h"

static char *const test_env[] = {
	"PCIDEVICE_INTEL_COM_SRIOV=0000:3b:02.0,0000:3b:02.1",
	NULL,
};

/* tr_test_host's, changed by the tests that vary the host. */
static struct tr_host_facts facts;

/* Parse and resolve yaml (must be clean), leaving tr_cfg for the test. */
static void parse(const char *yaml)
{
	tr_test_config_clean(&tr_cfg, &tr_cfg_diags, "t.yaml", yaml, test_env, NULL, TR_TEST_RESOLVE);
}

/* Validate tr_cfg; compare every printed line and the return value. */
static void expect_cfg(int want_rc, const char *want)
{
	int rc = tr_config_validate(&tr_cfg, &facts, &tr_cfg_diags);
	assert_diags(&tr_cfg_diags, want);
	assert_int_equal(rc, want_rc);
}

static void expect(const char *yaml, int want_rc, const char *want)
{
	parse(yaml);
	expect_cfg(want_rc, want);
}

static int setup(void **state)
{
	(void)state;
	tr_test_host(&facts);
	tr_diags_init(&tr_cfg_diags, "t.yaml");
	return 0;
}

/* --- names ------------------------------------------------------------------ */

static void test_name_is_valid(void **state)
{
	(void)state;
	static const struct {
		const char *name, *why; /* why NULL: valid */
	} cases[] = {
		{ "a", NULL },
		{ "acme", NULL },
		{ "acme-1_x", NULL },
		{ "abcdefghijklmnopqrstuvwxyz01234", NULL }, /* 31 */
		{ "abcdefghijklmnopqrstuvwxyz012345", "it is 32 characters, more than 31" },
		{ "", "it is empty" },
		{ "Acme", "'A' is upper case" },
		{ "acMe", "'M' is upper case" },
		{ "9lives", "it must start with a letter" },
		{ "-x", "it must start with a letter" },
		{ "_x", "it must start with a letter" },
		{ "a.b", "'.' is not allowed" },
		{ "..", "'.' is not allowed" },
		{ "a/b", "'/' is not allowed" },
		{ "a b", "' ' is not allowed" },
		{ "a\tb", "byte 0x09 is not allowed" },
		{ "caf\xc3\xa9", "byte 0xc3 is not allowed" },
	};
	for (size_t i = 0; i < TR_ARRAY_SIZE(cases); i++) {
		char why[128] = "";
		bool ok = tr_name_is_valid(cases[i].name, why, sizeof(why));
		if (cases[i].why == NULL) {
			if (!ok)
				fail_msg("\"%s\" refused: %s", cases[i].name, why);
		} else {
			if (ok)
				fail_msg("\"%s\" accepted", cases[i].name);
			assert_string_equal(why, cases[i].why);
		}
	}
}

/* DPDK's secondary socket path must fit sun_path: root + 2*name + 42. */
static void test_socket_path_boundary(void **state)
{
	(void)state;
	char yaml[512];
	/* 55 + 2*5 + 42 = 107: fits exactly */
	const char *root55 = "/a23456789/b23456789/c23456789/d23456789/e23456789/f234";
	assert_int_equal(strlen(root55), 55);
	snprintf(yaml, sizeof(yaml),
		 "host: {runtimeRoot: %s}\ntenants:\n  - name: short\n    memory: {totalMb: 64}\n",
		 root55);
	expect(yaml, 0, "");
	snprintf(yaml, sizeof(yaml),
		 "host: {runtimeRoot: %s5}\ntenants:\n  - name: short\n    memory: {totalMb: 64}\n",
		 root55);
	expect(yaml, -1,
	       "t.yaml:3:11: tenant \"short\": DPDK's socket path "
	       "/a23456789/b23456789/c23456789/d23456789/e23456789/f2345/short/dpdk/short/mp_socket_<pid>_<tsc> "
	       "can reach 108 bytes, more than the 107 a UNIX socket path holds; shorten host.runtimeRoot or the name\n");
}

static void test_duplicate_name(void **state)
{
	(void)state;
	expect("tenants:\n"
	       "  - name: acme\n"
	       "    cpus: \"0\"\n"
	       "    memory: {totalMb: 64}\n"
	       "  - name: acme\n"
	       "    cpus: \"1\"\n"
	       "    memory: {totalMb: 64}\n",
	       -1,
	       "t.yaml:5:11: tenant \"acme\": name is already used by the tenant at line 2; tenant names must be unique\n");
}

/* --- the example and warnings ---------------------------------------------- */

static void test_example_is_valid(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	tr_diags_init(&tr_cfg_diags, "examples/tenants.yaml");
	assert_int_equal(tr_config_load(&tr_cfg, TR_SOURCE_DIR "/examples/tenants.yaml",
					&tr_cfg_diags, &err), 0);
	assert_int_equal(tr_config_resolve(&tr_cfg, test_env, &tr_cfg_diags), 0);
	/* valid; acme's three members on its one cpu are worth a warning */
	static const char acme_shares[] =
		"examples/tenants.yaml:19:7: warning: tenant \"acme\": its 3 members' 6 lcores "
		"(perPrimary 2 + 2 x perSecondary 2) get 1 cpu (1): lcores of different members "
		"share cpu 1, up to 6 on one, their main lcores too; each gets part of a cpu; "
		"give the tenant more cpus or fewer lcores\n";
	expect_cfg(0, acme_shares);
	/* and on a host like this one: 2 cpus, one node */
	tr_cpuset_zero(&facts.online);
	tr_cpuset_set(&facts.online, 0);
	tr_cpuset_set(&facts.online, 1);
	facts.numa_nodes = 1;
	tr_diags_free(&tr_cfg_diags);
	tr_diags_init(&tr_cfg_diags, "examples/tenants.yaml");
	expect_cfg(0, acme_shares);
}

/*
 * Placement (config/placement.c): lcores of different members on one cpu
 * are warned about, once per tenant, at its lcores (else its cpus); a
 * member's own lcores beyond its cpus are its choice, not warned about.
 */
static void test_placement_sharing(void **state)
{
	(void)state;
	/* client_server_mp's shape: 2 cpus, primary + 1 secondary, 1 lcore
	 * each: the mains get a cpu each; 2 lcores each: each member's worker
	 * beside its own main; an independent primary with 3 lcores on 2
	 * cpus: its own choice */
	expect("tenants:\n"
	       "  - name: cs\n"
	       "    cpus: \"0-1\"\n"
	       "    memory: {totalMb: 64}\n"
	       "    lcores: {perPrimary: 1, perSecondary: 1}\n"
	       "    group: {maxSecondaries: 1}\n"
	       "  - name: two\n"
	       "    cpus: \"2-3\"\n"
	       "    memory: {totalMb: 64}\n"
	       "    group: {maxSecondaries: 1}\n"
	       "  - name: solo\n"
	       "    cpus: \"4-5\"\n"
	       "    memory: {totalMb: 64}\n"
	       "    lcores: {perPrimary: 3}\n",
	       0, "");
	tr_config_teardown(NULL);
	tr_diags_init(&tr_cfg_diags, "t.yaml");
	/* 3 members on 2 cpus: mains share; 2 members x 2 on 3 cpus: the
	 * secondary's worker lands on the primary's cpu; per-role cpus that
	 * overlap */
	expect("tenants:\n"
	       "  - name: three\n"
	       "    cpus: \"0-1\"\n"
	       "    memory: {totalMb: 64}\n"
	       "    lcores: {perPrimary: 1, perSecondary: 1}\n"
	       "    group: {maxSecondaries: 2}\n"
	       "  - name: workers\n"
	       "    cpus: \"2-4\"\n"
	       "    memory: {totalMb: 64}\n"
	       "    group: {maxSecondaries: 1}\n"
	       "  - name: roles\n"
	       "    cpus: \"5-7\"\n"
	       "    memory: {totalMb: 64}\n"
	       "    lcores: {perPrimary: 2, perSecondary: 1, primaryCpus: \"5-6\", secondaryCpus: \"6-7\"}\n"
	       "    group: {maxSecondaries: 2}\n",
	       0,
	       "t.yaml:5:13: warning: tenant \"three\": its 3 members' 3 lcores (perPrimary 1 + 2 x "
	       "perSecondary 1) get 2 cpus (0-1): lcores of different members share cpu 0, up "
	       "to 2 on one, their main lcores too; each gets part of a cpu; give the tenant "
	       "more cpus or fewer lcores\n"
	       "t.yaml:8:11: warning: tenant \"workers\": its 2 members' 4 lcores (perPrimary 2 + "
	       "1 x perSecondary 2) get 3 cpus (2-4): lcores of different members share cpu 2, "
	       "up to 2 on one; each gets part of a cpu; give the tenant more cpus or fewer "
	       "lcores\n"
	       "t.yaml:14:13: warning: tenant \"roles\": its 3 members' 4 lcores (perPrimary 2 + "
	       "2 x perSecondary 1) get 3 cpus (5-7): lcores of different members share cpu 6, "
	       "up to 2 on one; each gets part of a cpu; give the tenant more cpus or fewer "
	       "lcores\n");
}

/* Warnings alone leave the file valid. */
static void test_warnings_only(void **state)
{
	(void)state;
	expect("tenants:\n"
	       "  - name: acme\n"
	       "    cpus: \"0-1\"\n"
	       "    cpuPolicy: shared\n"
	       "    memory:\n"
	       "      socketMb: [64, 64]\n"
	       "  - name: globex\n"
	       "    cpus: \"1-2\"\n"
	       "    cpuPolicy: shared\n"
	       "    memory: {totalMb: 64}\n",
	       0,
	       "t.yaml:6:17: warning: tenant \"acme\": memory.socketMb puts 64 MiB on NUMA node 1, where none of its cpus (0-1) are; every access crosses nodes\n"
	       "t.yaml:8:11: warning: tenant \"globex\": cpu 1 is shared with tenant \"acme\" (line 3); both poll, so each gets only part of it\n");
}

/* The cpu->node map decides the NUMA warning: all on node 0 here. */
static void test_numa_map_from_facts(void **state)
{
	(void)state;
	for (unsigned c = 0; c < 8; c++)
		facts.cpu_node[c] = 1;
	expect("tenants:\n"
	       "  - name: acme\n"
	       "    cpus: \"0-1\"\n"
	       "    memory:\n"
	       "      socketMb: [0, 64]\n",
	       0, "");
	for (unsigned c = 0; c < 8; c++)
		facts.cpu_node[c] = 0;
	expect("tenants:\n"
	       "  - name: acme\n"
	       "    cpus: \"0-1\"\n"
	       "    memory:\n"
	       "      socketMb: [0, 64]\n",
	       0,
	       "t.yaml:5:17: warning: tenant \"acme\": memory.socketMb puts 64 MiB on NUMA node 1, where none of its cpus (0-1) are; every access crosses nodes\n");
}

/* --- hugepage pool ------------------------------------------------------------ */

static void test_no_pool(void **state)
{
	(void)state;
	facts.pool_pages[TR_PAGE_2M] = 0;
	expect("host:\n"
	       "  hugepageSize: 2M\n"
	       "tenants:\n"
	       "  - name: acme\n"
	       "    memory: {totalMb: 4096}\n",
	       -1,
	       "t.yaml:2:17: host: no hugepages of 2M are reserved; reserve them with 'echo 1024 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages' (deploy/host/setup.sh does this)\n");
	/* without a host section: a line without position */
	expect("tenants:\n"
	       "  - name: acme\n"
	       "    memory: {totalMb: 64}\n",
	       -1,
	       "t.yaml: host: no hugepages of 2M are reserved; reserve them with 'echo 1024 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages' (deploy/host/setup.sh does this)\n");
}

static void test_pool_sum(void **state)
{
	(void)state;
	facts.pool_pages[TR_PAGE_2M] = 100; /* 200 MiB */
	expect("tenants:\n"
	       "  - name: acme\n"
	       "    cpus: \"0\"\n"
	       "    memory: {totalMb: 100, limitMb: 200}\n"
	       "  - name: globex\n"
	       "    cpus: \"1\"\n"
	       "    memory: {totalMb: 2}\n",
	       -1,
	       "t.yaml:7:23: tenant \"globex\": with this one the tenants' memory limits add up to 202 MiB, more than the pool: host has 100 hugepages of 2M (200 MiB)\n");
	/* exactly the pool is fine */
	expect("tenants:\n"
	       "  - name: acme\n"
	       "    cpus: \"0\"\n"
	       "    memory: {totalMb: 100, limitMb: 198}\n"
	       "  - name: globex\n"
	       "    cpus: \"1\"\n"
	       "    memory: {totalMb: 2}\n",
	       0, "");
}

static void test_1g_pages(void **state)
{
	(void)state;
	facts.pool_pages[TR_PAGE_1G] = 2;
	expect("host: {hugepageSize: 1G}\n"
	       "tenants:\n"
	       "  - name: acme\n"
	       "    memory: {totalMb: 1024, limitMb: 3072}\n",
	       -1,
	       "t.yaml:4:38: tenant \"acme\": memory limit 3072 MiB is more than the pool: host has 2 hugepages of 1G (2048 MiB)\n");
}

/* --- lcores -------------------------------------------------------------------- */

static void test_max_lcore(void **state)
{
	(void)state;
	facts.max_lcore = 6;
	/* 2 + 2 x 2 = 6 ids: 0-5 fit */
	expect("tenants:\n"
	       "  - name: acme\n"
	       "    memory: {totalMb: 64}\n"
	       "    group: {maxSecondaries: 2}\n",
	       0, "");
	expect("tenants:\n"
	       "  - name: acme\n"
	       "    memory: {totalMb: 64}\n"
	       "    group: {maxSecondaries: 3}\n",
	       -1,
	       "t.yaml:2:11: tenant \"acme\": the group needs 8 lcore ids (perPrimary 2 + maxSecondaries 3 x perSecondary 2), more than DPDK's RTE_MAX_LCORE 6\n");
}

/* perSecondary 0 is fine without secondaries. */
static void test_per_secondary_zero_alone(void **state)
{
	(void)state;
	expect("tenants:\n"
	       "  - name: acme\n"
	       "    memory: {totalMb: 64}\n"
	       "    lcores: {perSecondary: 0}\n",
	       0, "");
}

/* --- NICs --------------------------------------------------------------------- */

static void test_nic_interfaces(void **state)
{
	(void)state;
	expect("tenants:\n"
	       "  - name: acme\n"
	       "    cpus: \"0\"\n"
	       "    memory: {totalMb: 64}\n"
	       "    nics:\n"
	       "      - net_af_packet0,iface=eth1\n"
	       "      - net_af_packet1,qpairs=2,iface=eth1\n"
	       "  - name: globex\n"
	       "    cpus: \"1\"\n"
	       "    memory: {totalMb: 64}\n"
	       "    nics:\n"
	       "      - net_pcap0,rx_iface=eth2,tx_iface=eth1\n"
	       "      - net_pcap1,iface=eth10\n"
	       "      - net_null0\n"
	       "  - name: initech\n"
	       "    cpus: \"2\"\n"
	       "    memory: {totalMb: 64}\n"
	       "    nics:\n"
	       "      - net_null0\n"
	       "      - net_memif0,socket=/run/memif.sock\n"
	       "      - net_memif1,socket=/run/memif.sock\n",
	       -1,
	       "t.yaml:7:9: tenant \"acme\": NIC net_af_packet1,qpairs=2,iface=eth1 uses interface eth1, which the NIC at line 6 already uses\n"
	       "t.yaml:12:9: tenant \"globex\": NIC net_pcap0,rx_iface=eth2,tx_iface=eth1 uses interface eth1, already given to tenant \"acme\" (line 6)\n");
}

static void test_nic_pci_forms(void **state)
{
	(void)state;
	expect("tenants:\n"
	       "  - name: acme\n"
	       "    cpus: \"0\"\n"
	       "    memory: {totalMb: 64}\n"
	       "    nics:\n"
	       "      - 0000:3B:02.1\n"
	       "  - name: globex\n"
	       "    cpus: \"1\"\n"
	       "    memory: {totalMb: 64}\n"
	       "    nics:\n"
	       "      - env: PCIDEVICE_INTEL_COM_SRIOV\n",
	       -1,
	       "t.yaml:11:9: tenant \"globex\": NIC 0000:3b:02.1 (from $PCIDEVICE_INTEL_COM_SRIOV) is already given to tenant \"acme\" (line 6)\n");
}

/* --- eal ------------------------------------------------------------------------ */

/* Every option tenantrt owns is refused in each form getopt accepts. */
static void test_owned_options_refused(void **state)
{
	(void)state;
	parse("tenants:\n  - name: acme\n    memory: {totalMb: 64}\n");
	struct tr_tenant *t = &tr_cfg.tenants[0];
	unsigned n = 0;
	for (const char *const *o = tr_owned_eal_options; *o; o++, n++) {
		/* options without a value: a following entry is not theirs */
		static const char *const flags[] = {
			"--huge-unlink", "--no-huge", "--no-pci", "--no-shconf",
			"--in-memory", "--legacy-mem", "--single-file-segments",
		};
		bool flag = false;
		for (size_t k = 0; k < TR_ARRAY_SIZE(flags); k++)
			flag |= strcmp(*o, flags[k]) == 0;
		const char *forms[3][2] = { { *o, flag ? NULL : "1" }, { NULL, NULL },
					    { NULL, NULL } };
		char eq[64], glued[64];
		snprintf(eq, sizeof(eq), "%s=1", *o);
		snprintf(glued, sizeof(glued), "%s1", *o);
		forms[1][0] = (*o)[1] == '-' ? eq : glued;
		forms[2][0] = *o;
		for (int f = 0; f < 3; f++) {
			t->n_eal = 0;
			t->eal[t->n_eal] = strdup(forms[f][0]);
			t->eal_marks[t->n_eal++] = (struct tr_mark){ 9, 7 };
			if (forms[f][1]) {
				t->eal[t->n_eal] = strdup(forms[f][1]);
				t->eal_marks[t->n_eal++] = (struct tr_mark){ 10, 7 };
			}
			tr_diags_free(&tr_cfg_diags);
			tr_diags_init(&tr_cfg_diags, "t.yaml");
			int rc = tr_config_validate(&tr_cfg, &facts, &tr_cfg_diags);
			if (rc != -1 || tr_cfg_diags.n != 1 ||
			    strstr(tr_cfg_diags.items[0].msg, "is refused: ") == NULL)
				fail_msg("%s (form %d): %u diagnostics, first: %s", forms[f][0], f,
					 tr_cfg_diags.n, tr_cfg_diags.n ? tr_cfg_diags.items[0].msg : "-");
			assert_int_equal(tr_cfg_diags.items[0].mark.line, 9);
			for (unsigned e = 0; e < t->n_eal; e++)
				free(t->eal[e]);
			t->n_eal = 0;
		}
	}
	assert_true(n >= 20);
}

static void test_eal_allowed(void **state)
{
	(void)state;
	expect("tenants:\n"
	       "  - name: acme\n"
	       "    memory: {totalMb: 64}\n"
	       "    eal: [\"--log-level\", \"-m\", \"--base-virtaddr=0x1000000\", \"-d\", \"librte_net_null.so\",\n"
	       "          \"-n4\", \"--huge-worker-stack\", \"--huge-worker-stack=512\", \"--telemetry\",\n"
	       "          \"--iova-mode=va\", \"--vfio-intr\", \"msix\", \"-v\", \"--match-alloc\"]\n",
	       0, "");
}

static void test_eal_value_of_refused_is_skipped(void **state)
{
	(void)state;
	/* "-l 0-1": one line for -l, none for its value; "-m" last: refused,
	 * not also "needs a value" */
	expect("tenants:\n"
	       "  - name: acme\n"
	       "    memory: {totalMb: 64}\n"
	       "    eal:\n"
	       "      - -l\n"
	       "      - 0-1\n"
	       "      - --huge-unlink=always\n"
	       "      - --block\n"
	       "      - 0000:00:01.0\n"
	       "      - -m\n",
	       -1,
	       "t.yaml:5:9: tenant \"acme\": eal argument \"-l\" is refused: tenantrt maps each member's own lcore ids onto the tenant's cpus (lcores, cpus)\n"
	       "t.yaml:7:9: tenant \"acme\": eal argument \"--huge-unlink=always\" is refused: secondaries cannot map unlinked hugepage files, and tenantrt reaps the tenant's files by name\n"
	       "t.yaml:8:9: tenant \"acme\": eal argument \"--block\" is refused: tenantrt builds every member's device list from nics\n"
	       "t.yaml:10:9: tenant \"acme\": eal argument \"-m\" is refused: tenantrt plans memory from memory.totalMb\n");
}

/* --- conflicts table: what must not fire ------------------------------------ */

static void test_conflicts_need_both_sides(void **state)
{
	(void)state;
	expect("tenants:\n"
	       "  - name: acme\n"
	       "    cpus: \"0\"\n"
	       "    memory: {totalMb: 64}\n"
	       "    nics: [\"net_af_packet0,iface=a0\"]\n"
	       "    datapath: {mode: symmetric}\n"
	       "  - name: globex\n"
	       "    cpus: \"1-4\"\n"
	       "    lcores: {perPrimary: 1, perSecondary: 1}\n"
	       "    memory: {totalMb: 64}\n"
	       "    nics: [\"net_af_packet1,iface=g0\", net_memif0]\n"
	       "    group: {maxSecondaries: 3, singleFileSegments: true}\n"
	       "  - name: initech\n"
	       "    cpus: \"5-7\"\n"
	       "    lcores: {perPrimary: 1, perSecondary: 1}\n"
	       "    memory: {totalMb: 64}\n"
	       "    nics: [net_ring0, \"net_tap0,iface=i0\"]\n"
	       "    group: {maxSecondaries: 2}\n"
	       "    datapath: {mode: symmetric}\n",
	       0, "");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, tr_config_teardown)
	const struct CMUnitTest tests[] = {
		T(test_name_is_valid),
		T(test_socket_path_boundary),
		T(test_duplicate_name),
		T(test_example_is_valid),
		T(test_placement_sharing),
		T(test_warnings_only),
		T(test_numa_map_from_facts),
		T(test_no_pool),
		T(test_pool_sum),
		T(test_1g_pages),
		T(test_max_lcore),
		T(test_per_secondary_zero_alone),
		T(test_nic_interfaces),
		T(test_nic_pci_forms),
		T(test_owned_options_refused),
		T(test_eal_allowed),
		T(test_eal_value_of_refused_is_skipped),
		T(test_conflicts_need_both_sides),
	};
#undef T
	return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
