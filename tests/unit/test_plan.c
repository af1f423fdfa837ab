/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The planner against fixed host facts: golden renderings of every role of
 * the example tenants (tests/fixtures/golden/, regenerate with
 * TR_UPDATE_GOLDEN=1 and review the diff), and the properties every plan
 * must have whatever the config: lcore ids unique within a group, memory
 * flags on the primary only, one device list for all members, "--" before
 * app args, usage errors for impossible roles.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sysexits.h>

#include "common/cleanup.h"
#include "common/layout.h"
#include "helpers.h"
#include "config/validate.h"
#include "plan/plan.h"

#define EXAMPLE TR_SOURCE_DIR "/examples/tenants.yaml"
#define GOLDEN TR_SOURCE_DIR "/tests/fixtures/golden"

static char *const test_env[] = {
	"PCIDEVICE_INTEL_COM_SRIOV=0000:3b:02.0,0000:3b:02.1",
	NULL,
};

static struct tr_host_facts facts;
static struct tr_net_facts net_facts;

/* The network the goldens plan on: the host's own netns, the example's
 * interfaces on the host (veths, no address), the device plugin's two VFs
 * of PF 0000:3b:00.0 bound to vfio-pci. */
static void fixed_net(struct tr_net_facts *f)
{
	static const char *const ifs[] = { "acme0", "acme1", "globex0", "globex1" };
	static const char *const vfs[] = { "0000:3b:02.0", "0000:3b:02.1" };
	memset(f, 0, sizeof(*f));
	f->known = true;
	f->initial_netns = true;
	f->netns_ino = 4026531840;
	f->netns_host_owned = true;
	for (unsigned i = 0; i < 4; i++) {
		struct tr_iface_fact *x = &f->ifaces[f->n_ifaces++];
		snprintf(x->name, sizeof(x->name), "%s", ifs[i]);
		x->where = TR_IF_HERE;
		x->ifindex = 10 + (int)i;
		x->up = true;
		snprintf(x->kind, sizeof(x->kind), "veth");
	}
	for (unsigned i = 0; i < 2; i++) {
		struct tr_pci_fact *x = &f->pci[f->n_pci++];
		snprintf(x->bdf, sizeof(x->bdf), "%s", vfs[i]);
		x->exists = true;
		snprintf(x->driver, sizeof(x->driver), "vfio-pci");
		snprintf(x->physfn, sizeof(x->physfn), "0000:3b:00.0");
	}
}

/* Parse, resolve and validate; the planner's contract is a valid config. */
static void load_buffer(const char *name, const char *yaml)
{
	tr_test_host(&facts);
	fixed_net(&net_facts);
	tr_test_config_valid(&tr_cfg, name, yaml, test_env, &facts);
}

static void load_example(void)
{
	static char buf[65536];
	assert_true(tr_slurp(EXAMPLE, buf, sizeof(buf)) > 0);
	load_buffer("examples/tenants.yaml", buf);
}

static const struct tr_tenant *tenant(const char *name)
{
	const struct tr_tenant *t = tr_config_find(&tr_cfg, name);
	assert_non_null(t);
	return t;
}

static struct tr_plan plan; /* big: not on the stack */

/* The plan's input for the app "APP" with args, no container, no group. */
static struct tr_plan_input input(const char *name, enum tr_role role, unsigned member,
				  char *const args[], int n_args)
{
	return (struct tr_plan_input){
		.cfg = &tr_cfg,
		.tenant = tenant(name),
		.host = &facts,
		.role = role,
		.member = member,
		.app = "APP",
		.app_args = args,
		.n_app_args = n_args,
		/* A tenant without user: runs as what the ledger gives it. */
		.dynamic_uid = TR_DYNUID_MIN,
		.net = &net_facts,
	};
}

static void build(const char *name, enum tr_role role, unsigned member,
		  char *const args[], int n_args)
{
	struct tr_error err = { 0 };
	struct tr_plan_input in = input(name, role, member, args, n_args);
	if (tr_plan_build(&plan, &in, &err) < 0)
		fail_msg("plan %s %s %u: %s", name, tr_role_name(role), member,
			 err.msg);
}

static void compare_golden(const char *file, const char *got)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", GOLDEN, file);
	if (getenv("TR_UPDATE_GOLDEN")) {
		_cleanup_fclose_ FILE *w = fopen(path, "w");
		assert_non_null(w);
		fputs(got, w);
		return;
	}
	static char want[65536];
	if (tr_slurp(path, want, sizeof(want)) < 0)
		fail_msg("%s missing; run with TR_UPDATE_GOLDEN=1 and review it", path);
	if (strcmp(want, got) != 0) {
		fprintf(stderr, "--- %s\n%s+++ got\n%s", path, want, got);
		fail_msg("%s differs", file);
	}
}

static void golden(const char *file, bool json)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	assert_non_null(m);
	const struct tr_tenant *t = NULL;
	for (unsigned i = 0; i < tr_cfg.n_tenants; i++)
		if (strncmp(file, tr_cfg.tenants[i].name, strlen(tr_cfg.tenants[i].name)) == 0)
			t = &tr_cfg.tenants[i];
	assert_non_null(t);
	if (json)
		tr_plan_print_json(&plan, t, m);
	else
		tr_plan_print(&plan, t, m);
	fclose(m);
	compare_golden(file, out);
	free(out);
}

/* --- goldens: every role of the example tenants -------------------------- */

static void test_golden_example(void **state)
{
	(void)state;
	load_example();
	static const struct {
		const char *tenant;
		enum tr_role role;
		unsigned member;
		const char *file;
	} cases[] = {
		{ "acme", TR_ROLE_PRIMARY, 0, "acme-primary.txt" },
		{ "acme", TR_ROLE_SECONDARY, 1, "acme-secondary-1.txt" },
		{ "acme", TR_ROLE_SECONDARY, 2, "acme-secondary-2.txt" },
		{ "globex", TR_ROLE_PRIMARY, 0, "globex-primary.txt" },
	};
	char *args[] = { "-i", "--forward-mode=io" };
	for (size_t i = 0; i < TR_ARRAY_SIZE(cases); i++) {
		build(cases[i].tenant, cases[i].role, cases[i].member, args, 2);
		golden(cases[i].file, false);
		tr_plan_free(&plan);
	}
	build("acme", TR_ROLE_PRIMARY, 0, args, 2);
	golden("acme-primary.json", true);
	tr_plan_free(&plan);
	build("acme", TR_ROLE_SECONDARY, 2, NULL, 0);
	golden("acme-secondary-2.json", true);
	tr_plan_free(&plan);
}

/* A tenant with everything: socketMb on two nodes, PCI NICs from the device
 * plugin's variable, a user, extra caps, own cpus per role, eal extras. */
static const char rich_yaml[] =
	"host:\n"
	"  runtimeRoot: /run/trt\n"
	"  hugepageDir: /dev/hugepages/trt\n"
	"tenants:\n"
	"  - name: rich\n"
	"    memory:\n"
	"      socketMb: [256, 128]\n"
	"      limitMb: 512\n"
	"    cpus: \"2-5\"\n"
	"    lcores:\n"
	"      perPrimary: 3\n"
	"      perSecondary: 2\n"
	"      primaryCpus: \"2-3\"\n"
	"      secondaryCpus: \"4-5\"\n"
	"    nics:\n"
	"      - env: PCIDEVICE_INTEL_COM_SRIOV\n"
	"      - net_ring0\n"
	"    group:\n"
	"      maxSecondaries: 3\n"
	"      singleFileSegments: true\n"
	"    user: \"1000:1000\"\n"
	"    security:\n"
	"      seccomp: /etc/tenantrt/rich.json\n"
	"      capabilities: [CAP_SYS_NICE]\n"
	"    datapath:\n"
	"      mode: symmetric\n"
	"      burst: 64\n"
	"      ringSize: 2048\n"
	"      queues: 4\n"
	"    eal: [\"--log-level=lib.eal:debug\", \"--base-virtaddr\", \"0x200000000\"]\n"
	"  - name: plain\n"
	"    memory: {totalMb: 64}\n"
	"    cpus: \"6-7\"\n";

static void test_golden_rich(void **state)
{
	(void)state;
	load_buffer("rich.yaml", rich_yaml);
	/* the user's own EAL option, then the app's words, its own "--" too */
	char *args[] = { "--log-level=pmd.net.ring:debug", "--", "--", "it's \"quoted\"\\" };
	build("rich", TR_ROLE_PRIMARY, 0, args, 4);
	golden("rich-primary.txt", false);
	golden("rich-primary.json", true);
	tr_plan_free(&plan);
	build("rich", TR_ROLE_SECONDARY, 3, NULL, 0);
	golden("rich-secondary-3.txt", false);
	tr_plan_free(&plan);
	build("plain", TR_ROLE_PRIMARY, 0, NULL, 0);
	golden("plain-primary.txt", false);
	tr_plan_free(&plan);
}

/* --- properties ------------------------------------------------------------ */

static int arg_index(const struct tr_plan *p, const char *arg)
{
	for (int i = p->eal_first; i < p->eal_end; i++)
		if (strcmp(p->argv[i], arg) == 0)
			return i;
	return -1;
}

static bool has_prefix_arg(const struct tr_plan *p, const char *prefix)
{
	for (int i = p->eal_first; i < p->eal_end; i++)
		if (strncmp(p->argv[i], prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

/* The device list: "-a BDF", "--vdev=..", "--no-pci", joined. */
static void device_list(const struct tr_plan *p, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int i = p->eal_first; i < p->eal_end; i++) {
		const char *a = p->argv[i];
		if (strcmp(a, "-a") == 0 && i + 1 < p->eal_end)
			n += (size_t)snprintf(buf + n, len - n, "-a %s|", p->argv[++i]);
		else if (strncmp(a, "--vdev=", 7) == 0 || strcmp(a, "--no-pci") == 0)
			n += (size_t)snprintf(buf + n, len - n, "%s|", a);
	}
}

/* For every member of every tenant of both configs: ids unique in the
 * group and below RTE_MAX_LCORE, lcores on the role's cpus, memory flags
 * on the primary only, the same device list, "--" last of the EAL part. */
static void check_group_properties(void)
{
	for (unsigned ti = 0; ti < tr_cfg.n_tenants; ti++) {
		const struct tr_tenant *t = &tr_cfg.tenants[ti];
		bool seen[128] = { false };
		char devices0[2048] = "", devices[2048];
		for (unsigned m = 0; m <= t->group.max_secondaries; m++) {
			enum tr_role role = m ? TR_ROLE_SECONDARY : TR_ROLE_PRIMARY;
			char *args[] = { "-x" };
			build(t->name, role, m, args, 1);
			unsigned want = m ? t->lcores.per_secondary : t->lcores.per_primary;
			assert_int_equal(plan.n_lcores, want);
			const struct tr_cpuset *cpus = tr_tenant_cpus(&tr_cfg, &facts, t);
			if (m == 0 && t->lcores.has_primary_cpus)
				cpus = &t->lcores.primary_cpus;
			if (m > 0 && t->lcores.has_secondary_cpus)
				cpus = &t->lcores.secondary_cpus;
			for (unsigned j = 0; j < plan.n_lcores; j++) {
				unsigned id = plan.lcore_ids[j];
				assert_true(id < facts.max_lcore);
				if (seen[id])
					fail_msg("tenant %s: lcore %u planned twice (member %u)",
						 t->name, id, m);
				seen[id] = true;
				assert_true(tr_cpuset_isset(cpus, plan.lcore_cpus[j]));
				assert_true(tr_cpuset_isset(&plan.iso.member_cpus,
							    plan.lcore_cpus[j]));
			}
			bool mem = arg_index(&plan, "-m") >= 0 ||
				   has_prefix_arg(&plan, "--socket-mem=");
			assert_int_equal(mem, m == 0);
			assert_int_equal(has_prefix_arg(&plan, "--socket-limit="), m == 0);
			device_list(&plan, devices, sizeof(devices));
			if (m == 0)
				memcpy(devices0, devices, sizeof(devices));
			else
				assert_string_equal(devices, devices0);
			/* "--" ends the EAL part; app args follow untouched */
			assert_string_equal(plan.argv[plan.eal_end], "--");
			assert_string_equal(plan.argv[plan.eal_end + 1], "-x");
			assert_int_equal(plan.argc, plan.eal_end + 2);
			assert_null(plan.argv[plan.argc]);
			assert_string_equal(plan.argv[0], "APP");
			assert_int_equal(plan.eal_first, 1);
			tr_plan_free(&plan);
		}
	}
}

static void test_group_properties_example(void **state)
{
	(void)state;
	load_example();
	check_group_properties();
}

static void test_group_properties_rich(void **state)
{
	(void)state;
	load_buffer("rich.yaml", rich_yaml);
	check_group_properties();
}

/* A big group: 1 + 20 members, 3 + 20 x 5 ids = 103, all distinct. */
static void test_group_properties_big(void **state)
{
	(void)state;
	load_buffer("big.yaml",
		    "tenants:\n"
		    "  - name: big\n"
		    "    memory: {totalMb: 128}\n"
		    "    lcores: {perPrimary: 3, perSecondary: 5}\n"
		    "    group: {maxSecondaries: 20}\n"
		    "    nics: [net_null0, net_null1]\n");
	check_group_properties();
	build("big", TR_ROLE_SECONDARY, 20, NULL, 0);
	assert_int_equal(plan.lcore_ids[0], 3 + 19 * 5);
	assert_int_equal(plan.lcore_ids[4], 102);
	/* cpus 0-7: the 21 main lcores are dealt first (secondary 20's on
	 * cpu 20 mod 8), then the workers: 2 of the primary and 4 of each of
	 * the 19 secondaries before this one's come first */
	assert_int_equal(plan.lcore_cpus[0], 20 % 8);
	assert_int_equal(plan.lcore_cpus[1], (21 + 2 + 19 * 4) % 8);
	assert_int_equal(plan.lcore_cpus[4], (21 + 2 + 19 * 4 + 3) % 8);
	tr_plan_free(&plan);
}

static void test_memory_flags(void **state)
{
	(void)state;
	load_buffer("rich.yaml", rich_yaml);
	build("rich", TR_ROLE_PRIMARY, 0, NULL, 0);
	/* each node: its own pre-allocation + the headroom 512 - 384 */
	assert_true(arg_index(&plan, "--socket-mem=256,128") >= 0);
	assert_true(arg_index(&plan, "--socket-limit=384,256") >= 0);
	assert_int_equal(arg_index(&plan, "-m"), -1);
	assert_int_equal(plan.iso.huge_limit_bytes, UINT64_C(512) << 20);
	assert_int_equal(plan.iso.numa_nodes, 0x3);
	tr_plan_free(&plan);
	build("plain", TR_ROLE_PRIMARY, 0, NULL, 0);
	int m = arg_index(&plan, "-m");
	assert_true(m >= 0);
	assert_string_equal(plan.argv[m + 1], "64");
	/* -m may land anywhere: every one of the 2 nodes gets the limit */
	assert_true(arg_index(&plan, "--socket-limit=64,64") >= 0);
	assert_int_equal(plan.iso.numa_nodes, 0);
	tr_plan_free(&plan);
}

/* The app's environment is the plan's: the caller's passes only by name. */
static void test_env_scrubbed(void **state)
{
	(void)state;
	load_buffer("env.yaml",
		    "host: {runtimeRoot: /run/tenantrt}\n"
		    "tenants:\n"
		    "  - name: acme\n"
		    "    memory: {totalMb: 64}\n"
		    "    cpus: \"1\"\n"
		    "    env:\n"
		    "      pass: [MYAPP_*, TERM, TENANTRT_TENANT]\n"
		    "      set: {LOG_LEVEL: debug, TERM: dumb}\n"
		    "    limits: {pids: 64, memoryMb: 300}\n");
	char *const caller[] = {
		"LD_PRELOAD=/tmp/evil.so", "LD_LIBRARY_PATH=/tmp", "PATH=/tmp/evil",
		"MYAPP_B=2", "MYAPP_A=1", "HOME=/root", "TENANTRT_TENANT=globex",
		"TERM=xterm", "MYAPPX=no", "SSH_AUTH_SOCK=/tmp/agent", NULL,
	};
	struct tr_error err = { 0 };
	struct tr_plan_input in = input("acme", TR_ROLE_PRIMARY, 0, NULL, 0);
	in.envp = caller;
	assert_int_equal(tr_plan_build(&plan, &in, &err), 0);
	static const char *const want[] = {
		"RUNTIME_DIRECTORY=/run/tenantrt/acme", "TENANTRT_TENANT=acme",
		"TENANTRT_ROLE=primary", "TENANTRT_MEMBER=0", "TENANTRT_MEMBERS=1",
		"TENANTRT_DATAPATH=mode=distribute,burst=32,ring=1024,queues=0",
		"LOG_LEVEL=debug", "TERM=dumb", "MYAPP_A=1", "MYAPP_B=2",
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	};
	assert_int_equal(plan.envc, (int)TR_ARRAY_SIZE(want));
	for (size_t i = 0; i < TR_ARRAY_SIZE(want); i++)
		assert_string_equal(plan.env[i], want[i]);
	assert_null(plan.env[plan.envc]);
	/* Limits and the cgroup, for the whole tenant. */
	assert_int_equal(plan.iso.pids_max, 64);
	assert_int_equal(plan.iso.memory_max_bytes, UINT64_C(300) << 20);
	char g[TR_CGROUP_NAME_MAX];
	tr_cg_group_name(g, sizeof(g), "/run/tenantrt", "acme");
	assert_string_equal(plan.iso.cgroup, g);
	tr_plan_free(&plan);
	/* The same tenant under another runtimeRoot: another cgroup. */
	in.runtime_root_real = "/srv/other-root";
	assert_int_equal(tr_plan_build(&plan, &in, &err), 0);
	assert_string_not_equal(plan.iso.cgroup, g);
	tr_plan_free(&plan);
	/* Defaults grow with the group. */
	load_example();
	build("acme", TR_ROLE_PRIMARY, 0, NULL, 0);
	assert_int_equal(plan.iso.pids_max, 256 + 32 * tenant("acme")->group.max_secondaries);
	assert_int_equal(plan.iso.memory_max_bytes >> 20,
			 512 + 64 * tenant("acme")->group.max_secondaries);
	tr_plan_free(&plan);
}

static void test_env_and_iso(void **state)
{
	(void)state;
	load_example();
	build("acme", TR_ROLE_SECONDARY, 2, NULL, 0);
	assert_int_equal(plan.envc, 7);
	assert_string_equal(plan.env[0], "RUNTIME_DIRECTORY=/run/tenantrt/acme");
	assert_string_equal(plan.env[1], "TENANTRT_TENANT=acme");
	assert_string_equal(plan.env[2], "TENANTRT_ROLE=secondary");
	assert_string_equal(plan.env[3], "TENANTRT_MEMBER=2");
	assert_string_equal(plan.env[4], "TENANTRT_MEMBERS=3");
	assert_string_equal(plan.env[5],
			    "TENANTRT_DATAPATH=mode=distribute,burst=32,ring=1024,queues=0");
	assert_string_equal(plan.env[6],
			    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	assert_null(plan.env[7]);
	assert_string_equal(plan.iso.runtime_dir, "/run/tenantrt/acme");
	assert_string_equal(plan.iso.huge_dir, "/run/tenantrt/hugepages/acme");
	assert_int_equal(plan.iso.page_bytes, 2 << 20);
	assert_int_equal(plan.iso.huge_limit_bytes, UINT64_C(192) << 20);
	/* No user: the uid the ledger allocated, its own gid, no groups. */
	assert_true(plan.iso.has_user);
	assert_true(plan.iso.dynamic_user);
	assert_int_equal(plan.iso.uid, TR_DYNUID_MIN);
	assert_int_equal(plan.iso.gid, TR_DYNUID_MIN);
	assert_int_equal(plan.iso.n_supp, 0);
	assert_true(plan.iso.mount_ns);
	assert_true(plan.iso.no_new_privs);
	/* net_af_packet: raw socket + interface flags, nothing else */
	assert_int_equal(plan.iso.caps, (UINT64_C(1) << CAP_NET_RAW) |
						(UINT64_C(1) << CAP_NET_ADMIN));
	tr_plan_free(&plan);

	load_buffer("rich.yaml", rich_yaml);
	build("rich", TR_ROLE_PRIMARY, 0, NULL, 0);
	assert_true(plan.iso.has_user);
	assert_false(plan.iso.dynamic_user);
	assert_int_equal(plan.iso.uid, 1000);
	assert_int_equal(plan.iso.gid, 1000);
	/* PCI via vfio: IPC_LOCK; SYS_NICE is the tenant's own extra. */
	assert_int_equal(plan.iso.caps, (UINT64_C(1) << CAP_IPC_LOCK) |
						(UINT64_C(1) << CAP_SYS_NICE));
	assert_int_equal(plan.iso.seccomp, TR_SECCOMP_PROFILE);
	assert_string_equal(plan.iso.seccomp_profile, "/etc/tenantrt/rich.json");
	assert_string_equal(plan.env[5],
			    "TENANTRT_DATAPATH=mode=symmetric,burst=64,ring=2048,queues=4");
	/* PCI NICs: -a each, no --no-pci */
	int a = arg_index(&plan, "-a");
	assert_true(a >= 0);
	assert_string_equal(plan.argv[a + 1], "0000:3b:02.0");
	assert_string_equal(plan.argv[a + 2], "-a");
	assert_string_equal(plan.argv[a + 3], "0000:3b:02.1");
	assert_int_equal(arg_index(&plan, "--no-pci"), -1);
	assert_true(arg_index(&plan, "--single-file-segments") >= 0);
	tr_plan_free(&plan);
}

static void expect_usage(const char *name, enum tr_role role, unsigned member,
			 const char *msg)
{
	struct tr_error err = { 0 };
	struct tr_plan_input in = input(name, role, member, NULL, 0);
	assert_int_equal(tr_plan_build(&plan, &in, &err), -1);
	assert_int_equal(err.code, EX_USAGE);
	assert_string_equal(err.msg, msg);
	assert_int_equal(plan.argc, 0);
}

static void test_bad_roles(void **state)
{
	(void)state;
	load_example();
	expect_usage("acme", TR_ROLE_SECONDARY, 0,
		     "member 0 is the primary; secondaries are members 1-2");
	expect_usage("acme", TR_ROLE_SECONDARY, 3,
		     "secondary 3 is beyond group.maxSecondaries 2; use a member in 1-2");
	expect_usage("acme", TR_ROLE_PRIMARY, 1,
		     "the primary is member 0, not 1; secondaries are members 1-2");
	expect_usage("globex", TR_ROLE_SECONDARY, 1,
		     "an independent primary (group.maxSecondaries is 0) takes no secondaries; raise group.maxSecondaries");
}

/* --- inputs besides the config ----------------------------------------- */

/* The container's ceilings narrow the tenant: its cpus, a primary's quota. */
static void test_container_limits(void **state)
{
	(void)state;
	load_example();
	struct tr_container_facts c = { .has_cpus = true, .cpus_from = "Cpus_allowed_list" };
	struct tr_plan_input in = input("acme", TR_ROLE_PRIMARY, 0, NULL, 0);
	struct tr_error err = { 0 };
	in.container = &c;

	c.cpus = tr_test_cpus("1-3");
	assert_int_equal(tr_plan_build(&plan, &in, &err), 0);
	assert_cpus(&plan.iso.cpus, "1");
	tr_plan_free(&plan);

	c.cpus = tr_test_cpus("0");
	assert_int_equal(tr_plan_build(&plan, &in, &err), -1);
	assert_int_equal(err.code, EX_CONFIG);
	assert_string_equal(err.msg, "its cpus 1 (examples/tenants.yaml:16:11) and this "
			    "container's cpus 0 (Cpus_allowed_list) do not overlap; give the "
			    "tenant the cpus the container gets (CPU manager, --cpuset-cpus) "
			    "or run it where its cpus are");
	assert_int_equal(plan.argc, 0);

	/* a ceiling of exactly the limit is fine, one page less is not */
	c.cpus = tr_test_cpus("0-1");
	c.has_huge_limit = true;
	c.huge_limit_bytes = UINT64_C(192) << 20;
	snprintf(c.huge_from, sizeof(c.huge_from), "TENANTRT_HUGEPAGES_LIMIT");
	assert_int_equal(tr_plan_build(&plan, &in, &err), 0);
	assert_int_equal(plan.claims.quota_pages, 96);
	tr_plan_free(&plan);
	c.huge_limit_bytes = UINT64_C(190) << 20;
	assert_int_equal(tr_plan_build(&plan, &in, &err), -1);
	assert_string_equal(err.msg, "its hugepage limit 192 MiB (examples/tenants.yaml:15:16) "
			    "is above this container's 190 MiB (TENANTRT_HUGEPAGES_LIMIT); "
			    "set resources.limits.hugepages-2Mi to 192Mi or lower the "
			    "tenant's memory");
	/* a secondary allocates no pages: its own ceiling does not matter */
	in = input("acme", TR_ROLE_SECONDARY, 1, NULL, 0);
	in.container = &c;
	assert_int_equal(tr_plan_build(&plan, &in, &err), 0);
	tr_plan_free(&plan);
}

/* What admission leases is the plan's: quota in whole pages, NIC ids. */
static void test_claims(void **state)
{
	(void)state;
	load_example();
	build("acme", TR_ROLE_SECONDARY, 2, NULL, 0);
	assert_true(plan.claims.exclusive);
	assert_int_equal(plan.claims.quota_pages, 96);
	assert_int_equal(plan.claims.max_secondaries, 2);
	assert_string_equal(plan.claims.lcores, "4,5");
	assert_int_equal(plan.claims.n_nics, 2);
	assert_string_equal(plan.claims.nics[0], "iface=acme0");
	assert_string_equal(plan.claims.nics[1], "iface=acme1");
	tr_plan_free(&plan);
}

/* The identity a NIC is leased by: the interface of a kernel-backed vdev,
 * else the vdev name or the PCI address. */
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

static const char tools_yaml[] =
	"host:\n  cpus: \"0-3\"\n"
	"tenants:\n"
	"  - name: tools\n"
	"    memory: {totalMb: 64}\n"
	"    cpus: \"0-1\"\n"
	"    cpuPolicy: shared\n"
	"    nics: [{env: PCIDEVICE_NOT_IN_THIS_CONTAINER}, net_null0]\n"
	"    group: {maxSecondaries: 2, allowForeignBinaries: true}\n";

/*
 * The tool quirk table: dpdk-proc-info forces -c1, so it gets no --lcores
 * (golden); and a secondary whose {env:} NIC is unset in its container
 * takes the running group's devices, saying so.
 */
static void test_tools_and_adoption(void **state)
{
	(void)state;
	static struct tr_diags d;
	fixed_net(&net_facts);
	char *env[] = { NULL };
	tr_test_host(&facts);
	tr_test_config_clean(&tr_cfg, &d, "tools.yaml", tools_yaml, env, NULL, TR_TEST_PARSE);
	assert_int_equal(tr_config_resolve_tenant(&tr_cfg, "tools", env, true, &d), 0);
	assert_int_equal(tr_config_validate(&tr_cfg, &facts, &d), 0);
	tr_diags_free(&d);

	char *group[] = { "-a", "0000:3b:02.0", "--vdev=net_null0", NULL };
	struct tr_plan_input in = input("tools", TR_ROLE_SECONDARY, 1, NULL, 0);
	struct tr_error err = { 0 };
	in.app = "dpdk-proc-info";
	in.app_path = "/usr/bin/dpdk-proc-info";
	in.group_devices = group;
	in.n_group_devices = 3;
	assert_int_equal(tr_plan_build(&plan, &in, &err), 0);
	assert_false(has_prefix_arg(&plan, "--lcores"));
	assert_int_equal(plan.n_lcores, 1);
	assert_int_equal(plan.lcore_cpus[0], 0);
	assert_int_equal(plan.n_notes, 2);
	assert_string_equal(plan.notes[0], "PCIDEVICE_NOT_IN_THIS_CONTAINER is not set in "
			    "this container; using the primary's devices (0000:3b:02.0, net_null0)");
	assert_string_equal(plan.notes[1], "dpdk-proc-info sets its own -c1 (lcore 0); "
			    "--lcores not passed");
	golden("tools-secondary-1-proc-info.txt", false);
	tr_plan_free(&plan);

	/* the quirk goes by the binary's name, wherever it lives */
	in.app = "./proc-info-wrapper";
	in.app_path = "/opt/dpdk/bin/dpdk-proc-info";
	assert_int_equal(tr_plan_build(&plan, &in, &err), 0);
	assert_false(has_prefix_arg(&plan, "--lcores"));
	tr_plan_free(&plan);

	/* a primary has nobody to take devices from */
	in = input("tools", TR_ROLE_PRIMARY, 0, NULL, 0);
	assert_int_equal(tr_plan_build(&plan, &in, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_string_equal(err.where, "tools.yaml:8:12");
	assert_string_equal(err.msg, "NIC env PCIDEVICE_NOT_IN_THIS_CONTAINER "
			    "is not set; is the device plugin resource requested?");

	/*
	 * What a secondary adopts passes the YAML's rules, whoever wrote the
	 * record: a vdev the tenant does not list (it would bring
	 * NET_RAW/NET_ADMIN), a BDF that is no canonical address, another
	 * option: refused.
	 */
	static char *const forged[][3] = {
		{ "--vdev=net_af_packet0,iface=eth0", NULL, NULL },
		{ "-a", "3b:02.0", NULL },
		{ "-a", "0000:3b:02.0,class=eth", NULL },
		{ "--vdev", "net_tap0", NULL },
		{ "-b", "0000:3b:02.1", NULL },
	};
	static const char *const named[] = {
		"net_af_packet0,iface=eth0", "3b:02.0", "0000:3b:02.0,class=eth", "net_tap0", "-b",
	};
	for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
		in = input("tools", TR_ROLE_SECONDARY, 1, NULL, 0);
		in.group_devices = forged[i];
		in.n_group_devices = forged[i][1] ? 2 : 1;
		assert_int_equal(tr_plan_build(&plan, &in, &err), -1);
		assert_int_equal(err.code, EX_UNAVAILABLE);
		char want[256];
		snprintf(want, sizeof(want),
			 "the group record names device \"%s\", which tenants.yaml does not give this tenant; restart its primary",
			 named[i]);
		assert_string_equal(err.msg, want);
	}
}

/* Who a member runs as, and where its view of the host comes from. */
static void test_identity_and_view(void **state)
{
	(void)state;
	load_example();
	struct tr_plan_input in = input("globex", TR_ROLE_PRIMARY, 0, NULL, 0);
	struct tr_error err = { 0 };
	/* No user: and no uid from the ledger: nothing to run as. */
	in.dynamic_uid = 0;
	assert_int_equal(tr_plan_build(&plan, &in, &err), -1);
	assert_int_equal(err.code, EX_SOFTWARE);

	/* A container where the shim lacks CAP_SYS_ADMIN: its view, said. */
	struct tr_container_facts c = { .no_mount_ns = true, .ro_paths = TR_RO_ROOT | TR_RO_SYS };
	in = input("globex", TR_ROLE_PRIMARY, 0, NULL, 0);
	in.container = &c;
	assert_int_equal(tr_plan_build(&plan, &in, &err), 0);
	assert_false(plan.iso.mount_ns);
	assert_int_equal(plan.iso.view_ro, TR_RO_ROOT | TR_RO_SYS);
	assert_int_equal(plan.n_notes, 0);
	char buf[512];
	tr_view_format(plan.iso.mount_ns, plan.iso.view_ro, buf, sizeof(buf));
	assert_string_equal(buf, "the container's (the shim lacks CAP_SYS_ADMIN): read-only / /sys; "
			    "writable /proc/sys /sys/fs/cgroup");
	tr_plan_free(&plan);
	tr_config_free(&tr_cfg);

	/* user: root there: the plan says what that means. SYS_ADMIN is never
	 * planned (validation refuses it; the plan drops it anyway). */
	load_buffer("root.yaml", "tenants:\n  - name: r\n    memory: {totalMb: 64}\n"
				 "    user: root\n    security: {capabilities: [NET_ADMIN]}\n");
	in = input("r", TR_ROLE_PRIMARY, 0, NULL, 0);
	in.container = &c;
	assert_int_equal(tr_plan_build(&plan, &in, &err), 0);
	assert_int_equal(plan.iso.uid, 0);
	assert_false(plan.iso.dynamic_user);
	assert_int_equal(plan.n_notes, 1);
	assert_string_equal(plan.notes[0], "user root without a mount namespace of its own (the shim lacks CAP_SYS_ADMIN here): the app can write every root-owned file this container mounts writable, /run/tenantrt/.ledger among them");
	tr_plan_free(&plan);
	tr_config_free(&tr_cfg);
	struct tr_tenant *t = NULL;
	load_buffer("root.yaml", "tenants:\n  - name: r\n    memory: {totalMb: 64}\n");
	t = &tr_cfg.tenants[0];
	t->security.caps[t->security.n_caps++] = CAP_SYS_ADMIN;   /* as if unvalidated */
	build("r", TR_ROLE_PRIMARY, 0, NULL, 0);
	assert_int_equal(plan.iso.caps & (UINT64_C(1) << CAP_SYS_ADMIN), 0);
	assert_true(plan.iso.mount_ns);
	tr_plan_free(&plan);
}

/* --- the user's command line: APP [EAL options] -- [app options] ---------- */

static int argv_find(const struct tr_plan *p, const char *arg)
{
	for (int i = 0; i < p->argc; i++)
		if (strcmp(p->argv[i], arg) == 0)
			return i;
	return -1;
}

/*
 * What the user writes before the app's "--" goes to EAL, after the
 * planned EAL args and before the plan's "--"; what follows it is the
 * app's; without a "--" every word is the app's, as before.
 */
static void test_user_eal_args(void **state)
{
	(void)state;
	load_example();
	char *habit[] = { "--log-level=lib.eal:debug", "--log-level", "pmd:info", "--", "-i" };
	build("globex", TR_ROLE_PRIMARY, 0, habit, 5);
	int d = argv_find(&plan, "--log-level=lib.eal:debug");
	assert_int_equal(d, plan.user_eal_first);
	assert_true(d > argv_find(&plan, "--no-pci"));
	/* after the tenant's own eal list */
	assert_true(d > argv_find(&plan, "--log-level=lib.eal:notice"));
	assert_string_equal(plan.argv[d + 1], "--log-level");
	assert_string_equal(plan.argv[d + 2], "pmd:info");
	assert_int_equal(plan.eal_end, d + 3);
	assert_string_equal(plan.argv[plan.eal_end], "--");
	assert_string_equal(plan.argv[plan.eal_end + 1], "-i");
	assert_int_equal(plan.argc, plan.eal_end + 2);
	tr_plan_free(&plan);

	/* `-- dpdk-testpmd -- -i` used to become "... -- -- -i" */
	char *bare[] = { "--", "-i" };
	build("globex", TR_ROLE_PRIMARY, 0, bare, 2);
	assert_int_equal(plan.user_eal_first, plan.eal_end);
	assert_string_equal(plan.argv[plan.eal_end + 1], "-i");
	assert_int_equal(plan.argc, plan.eal_end + 2);
	tr_plan_free(&plan);

	/* no "--": all the app's, even what looks like an EAL option */
	char *old[] = { "-i", "--log-level=x" };
	build("globex", TR_ROLE_PRIMARY, 0, old, 2);
	assert_int_equal(plan.user_eal_first, plan.eal_end);
	assert_string_equal(plan.argv[plan.eal_end + 1], "-i");
	assert_string_equal(plan.argv[plan.eal_end + 2], "--log-level=x");
	tr_plan_free(&plan);

	/* a secondary: the same, after its device list */
	char *sec[] = { "-v", "--", "--proc-id=1" };
	build("acme", TR_ROLE_SECONDARY, 1, sec, 3);
	assert_int_equal(argv_find(&plan, "-v"), plan.eal_end - 1);
	assert_string_equal(plan.argv[plan.eal_end + 1], "--proc-id=1");
	tr_plan_free(&plan);
}

static void expect_user_refused(char *const args[], int n, const char *msg)
{
	struct tr_error err = { 0 };
	struct tr_plan_input in = input("globex", TR_ROLE_PRIMARY, 0, args, n);
	assert_int_equal(tr_plan_build(&plan, &in, &err), -1);
	assert_int_equal(err.code, EX_USAGE);
	assert_string_equal(err.msg, msg);
	assert_int_equal(plan.argc, 0);
}

/* An EAL option the tenant's YAML owns: refused, naming its setting. */
static void test_user_eal_refused(void **state)
{
	(void)state;
	load_example();
	char *prefix[] = { "--file-prefix=x", "--", "-i" };
	expect_user_refused(prefix, 3,
			    "EAL option --file-prefix is tenantrt's (the tenant's name); remove it");
	char *l[] = { "-l", "0-1", "--" };
	expect_user_refused(l, 3, "EAL option -l is tenantrt's: set lcores.perPrimary/perSecondary and cpus in tenants.yaml");
	char *lc[] = { "--lcores=0@1", "--" };
	expect_user_refused(lc, 2, "EAL option --lcores is tenantrt's: set lcores.perPrimary/perSecondary and cpus in tenants.yaml");
	char *m[] = { "-m64", "--" };
	expect_user_refused(m, 2, "EAL option -m is tenantrt's: set memory.totalMb/socketMb in tenants.yaml");
	char *sm[] = { "--socket-mem", "64", "--" };
	expect_user_refused(sm, 3, "EAL option --socket-mem is tenantrt's: set memory.totalMb/socketMb in tenants.yaml");
	char *a[] = { "-a", "0000:3b:00.0", "--" };
	expect_user_refused(a, 3, "EAL option -a is tenantrt's: set nics in tenants.yaml");
	char *vdev[] = { "--vdev=net_null9", "--" };
	expect_user_refused(vdev, 2, "EAL option --vdev is tenantrt's: set nics in tenants.yaml");
	char *nopci[] = { "--no-pci", "--" };
	expect_user_refused(nopci, 2, "EAL option --no-pci is tenantrt's: set nics in tenants.yaml");
	char *abbrev[] = { "--proc=auto", "--" };
	expect_user_refused(abbrev, 2, "EAL option \"--proc=auto\" (--proc-type) is tenantrt's (the member's role: tenantrt-shim --role); remove it");
	char *unknown[] = { "--forward-mode=io", "--", "-i" };
	expect_user_refused(unknown, 3, "\"--forward-mode=io\" before the app's \"--\" is not a DPDK 22.11 EAL option; app options go after \"--\"");
	char *word[] = { "-v", "foo", "--" };
	expect_user_refused(word, 3, "\"foo\" before the app's \"--\" is not an EAL option; app arguments go after \"--\"");
	/* every option tenantrt owns, in its plain form */
	for (const char *const *o = tr_owned_eal_options; *o; o++) {
		char *one[] = { (char *)*o, "1", "--" };
		struct tr_error err = { 0 };
		struct tr_plan_input in = input("globex", TR_ROLE_PRIMARY, 0, one, 3);
		if (tr_plan_build(&plan, &in, &err) != -1 || err.code != EX_USAGE ||
		    strstr(err.msg, "is tenantrt's") == NULL)
			fail_msg("%s: %s", *o, err.msg);
	}
}

/* DPDK's client_server_mp as a group on 2 cpus: the members' main lcores
 * on different cpus (the issue: both on cpu 0, cpu 1 idle). */
static void test_client_server_mp_group(void **state)
{
	(void)state;
	load_buffer("cs.yaml",
		    "tenants:\n"
		    "  - name: cs\n"
		    "    memory: {totalMb: 256}\n"
		    "    cpus: \"0-1\"\n"
		    "    cpuPolicy: shared\n"
		    "    lcores: {perPrimary: 2, perSecondary: 2}\n"
		    "    nics: [net_null0, net_null1]\n"
		    "    group: {maxSecondaries: 1, allowForeignBinaries: true}\n");
	build("cs", TR_ROLE_PRIMARY, 0, NULL, 0);
	assert_true(arg_index(&plan, "--lcores=0@0,1@0") >= 0);
	tr_plan_free(&plan);
	build("cs", TR_ROLE_SECONDARY, 1, NULL, 0);
	assert_true(arg_index(&plan, "--lcores=2@1,3@1") >= 0);
	assert_cpus(&plan.iso.member_cpus, "1");
	assert_int_equal(plan.n_notes, 0);
	tr_plan_free(&plan);

	/* a container that gives cpu 1 only: validation could not see it,
	 * the plan says so */
	struct tr_container_facts c = { .has_cpus = true, .cpus_from = "Cpus_allowed_list" };
	c.cpus = tr_test_cpus("1");
	struct tr_plan_input in = input("cs", TR_ROLE_PRIMARY, 0, NULL, 0);
	struct tr_error err = { 0 };
	in.container = &c;
	assert_int_equal(tr_plan_build(&plan, &in, &err), 0);
	assert_true(arg_index(&plan, "--lcores=0@1,1@1") >= 0);
	assert_int_equal(plan.n_notes, 1);
	assert_string_equal(plan.notes[0], "this container gives the tenant cpus 1 only: its 4 lcores "
			    "share them (up to 4 on one cpu), so each busy-polling lcore gets part of a cpu");
	tr_plan_free(&plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_golden_example, tr_config_teardown),
		cmocka_unit_test_teardown(test_golden_rich, tr_config_teardown),
		cmocka_unit_test_teardown(test_group_properties_example, tr_config_teardown),
		cmocka_unit_test_teardown(test_group_properties_rich, tr_config_teardown),
		cmocka_unit_test_teardown(test_group_properties_big, tr_config_teardown),
		cmocka_unit_test_teardown(test_memory_flags, tr_config_teardown),
		cmocka_unit_test_teardown(test_env_and_iso, tr_config_teardown),
		cmocka_unit_test_teardown(test_env_scrubbed, tr_config_teardown),
		cmocka_unit_test_teardown(test_bad_roles, tr_config_teardown),
		cmocka_unit_test_teardown(test_container_limits, tr_config_teardown),
		cmocka_unit_test_teardown(test_claims, tr_config_teardown),
		cmocka_unit_test(test_nic_identity),
		cmocka_unit_test_teardown(test_tools_and_adoption, tr_config_teardown),
		cmocka_unit_test_teardown(test_user_eal_args, tr_config_teardown),
		cmocka_unit_test_teardown(test_user_eal_refused, tr_config_teardown),
		cmocka_unit_test_teardown(test_client_server_mp_group, tr_config_teardown),
		cmocka_unit_test_teardown(test_identity_and_view, tr_config_teardown),
	};
	return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
