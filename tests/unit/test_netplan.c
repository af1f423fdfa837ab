/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The network part of the plan (plan/netplan.c, config/netnics.c) against
 * made-up device facts: which namespace, what moves, every device check's
 * verdict, and what the contained devices allow (capabilities, seccomp).
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

#include "common/layout.h"
#include "config/netnics.h"
#include "config/parse.h"
#include "config/resolve.h"
#include "config/validate.h"
#include "plan/plan.h"

#define CAP(c) (UINT64_C(1) << (c))

static struct tr_config cfg;
static struct tr_host_facts facts;
static struct tr_net_facts net;
static struct tr_plan plan;
static char *env[4];

static void host_facts(void)
{
	memset(&facts, 0, sizeof(facts));
	for (unsigned c = 0; c < 4; c++)
		tr_cpuset_set(&facts.online, c);
	facts.numa_nodes = 1;
	facts.pool_pages[TR_PAGE_2M] = 1024;
	facts.free_pages[TR_PAGE_2M] = 1024;
	facts.max_lcore = 128;
}

/* The host's own netns; no devices yet (add_iface, add_pci). */
static void on_host(void)
{
	memset(&net, 0, sizeof(net));
	net.known = true;
	net.initial_netns = true;
	net.netns_host_owned = true;
	net.netns_ino = 4026531840;
}

static void in_container(bool host_owned)
{
	on_host();
	net.initial_netns = false;
	net.netns_host_owned = host_owned;
	net.netns_ino = 4026532999;
}

static struct tr_iface_fact *add_iface(const char *name, enum tr_if_where where)
{
	struct tr_iface_fact *x = &net.ifaces[net.n_ifaces++];
	memset(x, 0, sizeof(*x));
	snprintf(x->name, sizeof(x->name), "%s", name);
	x->where = where;
	x->ifindex = 7;
	x->up = true;
	return x;
}

static struct tr_pci_fact *add_pci(const char *bdf, const char *driver, const char *pf)
{
	struct tr_pci_fact *x = &net.pci[net.n_pci++];
	memset(x, 0, sizeof(*x));
	snprintf(x->bdf, sizeof(x->bdf), "%s", bdf);
	x->exists = true;
	snprintf(x->driver, sizeof(x->driver), "%s", driver);
	snprintf(x->physfn, sizeof(x->physfn), "%s", pf);
	return x;
}

/* tenants.yaml with one tenant "t" whose extra lines follow; parsed,
 * resolved (with env) and validated. */
static void load(const char *tenant_lines)
{
	char yaml[4096];
	snprintf(yaml, sizeof(yaml),
		 "host:\n  runtimeRoot: /run/trn\ntenants:\n"
		 "  - name: t\n    memory: {totalMb: 64}\n    cpus: \"1\"\n%s",
		 tenant_lines);
	struct tr_diags d;
	tr_config_free(&cfg);
	host_facts();
	tr_diags_init(&d, "n.yaml");
	int rc = tr_config_parse_buffer(&cfg, "n.yaml", yaml, strlen(yaml), &d);
	if (rc == 0)
		rc = tr_config_resolve_tenant(&cfg, "t", env, true, &d);
	if (rc == 0)
		rc = tr_config_validate(&cfg, &facts, &d);
	if (rc != 0) {
		tr_diags_print(&d, stderr);
		fail_msg("the config does not validate");
	}
	tr_diags_free(&d);
}

/* The plan of t's member with the facts (NULL: none gathered). */
static void build(enum tr_role role, const struct tr_net_facts *f,
		  char *const *group, unsigned n_group)
{
	struct tr_error err = { 0 };
	struct tr_plan_input in = {
		.cfg = &cfg, .tenant = &cfg.tenants[0], .host = &facts,
		.role = role, .member = role == TR_ROLE_PRIMARY ? 0 : 1, .app = "APP",
		.group_devices = group, .n_group_devices = n_group, .net = f,
		.dynamic_uid = TR_DYNUID_MIN,   /* a tenant without user: */
	};
	tr_plan_free(&plan);
	if (tr_plan_build(&plan, &in, &err) < 0)
		fail_msg("plan: %s", err.msg);
}

static const struct tr_net_plan *np = &plan.iso.net;

/* The refusal the shim would say, or "" when none. */
static const char *refusal(void)
{
	static struct tr_error err;
	memset(&err, 0, sizeof(err));
	if (tr_net_plan_refusal(np, &err) == 0)
		return "";
	assert_int_equal(err.code, EX_CONFIG);
	return err.msg;
}

static bool noted(const char *part)
{
	for (unsigned i = 0; i < plan.n_notes; i++)
		if (strstr(plan.notes[i], part))
			return true;
	return false;
}

static void test_vdev_kinds(void **state)
{
	(void)state;
	assert_int_equal(tr_vdev_net_kind("net_af_packet0,iface=a"), TR_VDEV_NET_AF_PACKET);
	assert_int_equal(tr_vdev_net_kind("net_tap1,iface=x"), TR_VDEV_NET_TAP);
	assert_int_equal(tr_vdev_net_kind("net_af_xdp0,iface=a"), TR_VDEV_NET_AF_XDP);
	assert_int_equal(tr_vdev_net_kind("net_pcap0,rx_iface=a,tx_iface=b"), TR_VDEV_NET_PCAP);
	/* pcap on files is no kernel interface */
	assert_int_equal(tr_vdev_net_kind("net_pcap0,rx_pcap=/a,tx_pcap=/b"), TR_VDEV_NET_NONE);
	assert_int_equal(tr_vdev_net_kind("net_null0"), TR_VDEV_NET_NONE);
	char names[8][IFNAMSIZ];
	unsigned n = 0;
	struct tr_nic a = { .kind = TR_NIC_VDEV, .spec = "net_pcap0,rx_iface=a,tx_iface=b,iface=a" };
	struct tr_nic tap = { .kind = TR_NIC_VDEV, .spec = "net_tap0,iface=t0" };
	struct tr_nic lng = { .kind = TR_NIC_VDEV, .spec = "net_af_packet0,iface=abcdefghijklmnop" };
	tr_nic_ifaces(&a, names, &n, 8);
	tr_nic_ifaces(&tap, names, &n, 8);   /* made inside: nothing to move */
	tr_nic_ifaces(&lng, names, &n, 8);   /* longer than a name can be */
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "a");
	assert_string_equal(names[1], "b");
}

static void test_af_packet_own_userns(void **state)
{
	(void)state;
	load("    nics: [\"net_af_packet0,iface=v0\", \"net_af_packet1,iface=v1\"]\n");
	on_host();
	add_iface("v0", TR_IF_HERE);
	add_iface("v1", TR_IF_HERE)->up = false;
	build(TR_ROLE_PRIMARY, &net, NULL, 0);
	assert_int_equal(np->mode, TR_NETNS_OWN);
	assert_true(np->userns);
	assert_int_equal(np->n_ifaces, 2);
	assert_string_equal(np->ifaces[1], "v1");
	assert_string_equal(np->pin, "/run/trn/.ledger/netns/t");
	assert_string_equal(np->user_pin, "/run/trn/.ledger/netns/t.user");
	assert_string_equal(np->record, "/run/trn/.ledger/t.netns");
	assert_string_equal(np->hide, "/run/trn/.ledger");
	assert_int_equal(np->n_checks, 2);
	assert_true(np->checks[1].ok);
	assert_non_null(strstr(np->checks[1].text, "on the host (ifindex 7, down)"));
	assert_string_equal(refusal(), "");
	assert_int_equal(plan.iso.caps, CAP(CAP_NET_RAW) | CAP(CAP_NET_ADMIN));
	assert_false(np->deny_rtnetlink);
	/* A secondary finds them in the tenant's netns. */
	on_host();
	add_iface("v0", TR_IF_TENANT);
	add_iface("v1", TR_IF_TENANT);
	build(TR_ROLE_PRIMARY, &net, NULL, 0);
	assert_string_equal(refusal(), "");
	assert_non_null(strstr(np->checks[0].text, "in the tenant's network namespace"));
}

static void test_interface_refusals(void **state)
{
	(void)state;
	load("    nics: [\"net_af_packet0,iface=eth0\"]\n");
	on_host();
	struct tr_iface_fact *x = add_iface("eth0", TR_IF_HERE);
	x->n_addrs = 2;
	snprintf(x->addr, sizeof(x->addr), "192.0.2.2");
	build(TR_ROLE_PRIMARY, &net, NULL, 0);
	assert_string_equal(refusal(),
			    "interface eth0 carries host addresses (192.0.2.2, ...); moving it into the tenant's network namespace would take them from the host: give the tenant an interface without addresses");
	assert_false(np->checks[0].ok);
	on_host();   /* nowhere */
	build(TR_ROLE_PRIMARY, &net, NULL, 0);
	assert_string_equal(refusal(),
			    "no interface eth0 on this host; create it first (e.g. one end of a veth pair)");
	/* In another tenant's netns: admission decides (names the holder). */
	on_host();
	snprintf(add_iface("eth0", TR_IF_OTHER)->other, TR_NAME_MAX, "b");
	build(TR_ROLE_PRIMARY, &net, NULL, 0);
	assert_string_equal(refusal(), "");
	assert_non_null(strstr(np->checks[0].text, "tenant \"b\""));
	/* No facts: not checked, nothing refused. */
	build(TR_ROLE_PRIMARY, NULL, NULL, 0);
	assert_string_equal(refusal(), "");
	assert_string_equal(np->checks[0].text, "not checked (no host facts)");
}

static void test_memory_vdevs_get_an_empty_netns(void **state)
{
	(void)state;
	load("    nics: [net_null0, net_ring0]\n");
	build(TR_ROLE_PRIMARY, NULL, NULL, 0);
	assert_int_equal(np->mode, TR_NETNS_OWN);
	assert_false(np->userns);
	assert_int_equal(np->n_ifaces, 0);
	assert_int_equal(np->n_checks, 0);
	assert_int_equal(plan.iso.caps, 0);
	/* network: host opts out */
	load("    nics: [net_null0]\n    network: host\n");
	build(TR_ROLE_PRIMARY, NULL, NULL, 0);
	assert_int_equal(np->mode, TR_NETNS_HOST);
	assert_int_equal(np->pin[0], '\0');
}

static void test_tap_and_xdp(void **state)
{
	(void)state;
	load("    nics: [\"net_tap0,iface=t0\"]\n");
	on_host();
	build(TR_ROLE_PRIMARY, &net, NULL, 0);
	assert_int_equal(np->mode, TR_NETNS_OWN);
	assert_true(np->userns);
	assert_int_equal(np->n_ifaces, 0);   /* the PMD makes t0 inside */
	assert_true(plan.iso.caps & CAP(CAP_NET_ADMIN));
	load("    nics: [\"net_af_xdp0,iface=x0\"]\n");
	add_iface("x0", TR_IF_HERE);
	build(TR_ROLE_PRIMARY, &net, NULL, 0);
	/* XDP needs CAP_BPF in the host's user namespace: no user ns. */
	assert_false(np->userns);
	assert_true(np->allow_bpf);
	assert_true(plan.iso.caps & CAP(CAP_BPF));
	assert_true(noted("net_af_xdp loads its XDP program with CAP_BPF"));
}

static void test_container_netns(void **state)
{
	(void)state;
	load("    nics: [\"net_af_packet0,iface=v0\"]\n");
	in_container(true);
	add_iface("v0", TR_IF_HERE);
	build(TR_ROLE_PRIMARY, &net, NULL, 0);
	assert_int_equal(np->mode, TR_NETNS_CONTAINER);
	assert_int_equal(np->container_ino, 4026532999ULL);
	assert_int_equal(np->n_ifaces, 0);      /* nothing moves */
	assert_false(np->userns);
	/* af_packet needs no rtnetlink: the door to the host is shut. */
	assert_true(np->deny_rtnetlink);
	assert_string_equal(refusal(), "");
	assert_int_equal(plan.iso.caps, CAP(CAP_NET_RAW) | CAP(CAP_NET_ADMIN));
	/* A user namespace owns the pod's netns: nothing to shut. */
	in_container(false);
	add_iface("v0", TR_IF_HERE);
	build(TR_ROLE_PRIMARY, &net, NULL, 0);
	assert_false(np->deny_rtnetlink);
	/* The interface must be in the container already. */
	in_container(true);
	build(TR_ROLE_PRIMARY, &net, NULL, 0);
	assert_non_null(strstr(refusal(), "no interface v0 in this container's network namespace"));
	/* tap needs rtnetlink (its link-state interrupt): said, not shut. */
	load("    nics: [\"net_tap0,iface=t0\"]\n");
	in_container(true);
	build(TR_ROLE_PRIMARY, &net, NULL, 0);
	assert_false(np->deny_rtnetlink);
	assert_true(noted("net_tap in a network namespace the host's user namespace owns"));
}

static void test_pci_checks(void **state)
{
	(void)state;
	env[0] = "PCIDEVICE_X=0000:3b:02.0";
	env[1] = NULL;
	load("    nics:\n      - {env: PCIDEVICE_X, allow: [\"0000:3b:02.1\"], pf: \"0000:3b:00.0\"}\n");
	/* A VF of the allowed PF, bound to vfio-pci: IPC_LOCK, I/O ports. */
	on_host();
	add_pci("0000:3b:02.0", "vfio-pci", "0000:3b:00.0");
	build(TR_ROLE_PRIMARY, &net, NULL, 0);
	assert_string_equal(refusal(), "");
	assert_true(np->ipc_lock);
	assert_true(np->allow_ioport);
	assert_int_equal(plan.iso.caps, CAP(CAP_IPC_LOCK));
	assert_string_equal(np->checks[0].text, "bound to vfio-pci, a VF of 0000:3b:00.0");
	/* Another PF's VF: outside the allow-list. */
	on_host();
	add_pci("0000:3b:02.0", "vfio-pci", "0000:5e:00.0");
	build(TR_ROLE_PRIMARY, &net, NULL, 0);
	assert_string_equal(refusal(),
			    "NIC 0000:3b:02.0 (from $PCIDEVICE_X) is not a device tenants.yaml allows for $PCIDEVICE_X (allow 0000:3b:02.1; VFs of 0000:3b:00.0)");
	assert_false(np->ipc_lock);
	assert_int_equal(plan.iso.caps, 0);
	/* Not bound to vfio-pci. */
	on_host();
	add_pci("0000:3b:02.0", "iavf", "0000:3b:00.0");
	build(TR_ROLE_PRIMARY, &net, NULL, 0);
	assert_non_null(strstr(refusal(), "is bound to iavf, not vfio-pci"));
	/* Missing. */
	on_host();
	add_pci("0000:3b:02.0", "", "")->exists = false;
	build(TR_ROLE_PRIMARY, &net, NULL, 0);
	assert_string_equal(refusal(),
			    "NIC 0000:3b:02.0 (from $PCIDEVICE_X): no such PCI device (/sys/bus/pci/devices/0000:3b:02.0)");
	/* No facts: not checked, and so no IPC_LOCK. */
	build(TR_ROLE_PRIMARY, NULL, NULL, 0);
	assert_string_equal(refusal(), "");
	assert_false(np->ipc_lock);
	assert_int_equal(plan.iso.caps, 0);
}

static void test_host_nic_from_env(void **state)
{
	(void)state;
	env[0] = "PCIDEVICE_X=0000:00:03.0";
	env[1] = NULL;
	load("    nics: [{env: PCIDEVICE_X}]\n");
	on_host();
	struct tr_pci_fact *x = add_pci("0000:00:03.0", "virtio-pci", "");
	snprintf(x->netdev, sizeof(x->netdev), "eth0");
	x->netdev_up = true;
	x->n_addrs = 1;
	snprintf(x->addr, sizeof(x->addr), "192.0.2.2");
	build(TR_ROLE_PRIMARY, &net, NULL, 0);
	assert_string_equal(refusal(),
			    "NIC 0000:00:03.0 (from $PCIDEVICE_X) is the device of eth0, which the host uses (up, address 192.0.2.2); name the device in tenants.yaml to give it anyway");
	assert_int_equal(plan.iso.caps, 0);
	/* Named in tenants.yaml, with its driver: the operator's call. */
	load("    nics: [{pci: \"0000:00:03.0\", driver: virtio-pci}]\n");
	build(TR_ROLE_PRIMARY, &net, NULL, 0);
	assert_string_equal(refusal(), "");
	assert_non_null(strstr(np->checks[0].text, "given because tenants.yaml names it"));
	/* not vfio: no IPC_LOCK even so */
	assert_false(np->ipc_lock);
}

static void test_secondary_adopts_under_the_same_checks(void **state)
{
	(void)state;
	env[0] = NULL;
	load("    nics: [{env: PCIDEVICE_X, allow: [\"0000:3b:02.0\"]}]\n"
	     "    group: {maxSecondaries: 1}\n");
	char *group[] = { "-a", "0000:3b:02.0", "-a", "0000:3b:02.7", "--no-pci" };
	on_host();
	add_pci("0000:3b:02.0", "vfio-pci", "0000:3b:00.0");
	add_pci("0000:3b:02.7", "vfio-pci", "0000:3b:00.0");
	build(TR_ROLE_SECONDARY, &net, group, 5);
	assert_string_equal(refusal(),
			    "NIC 0000:3b:02.7 (from $PCIDEVICE_X, adopted from the primary) is not a device tenants.yaml allows for $PCIDEVICE_X (allow 0000:3b:02.0)");
	build(TR_ROLE_SECONDARY, &net, group, 2);
	assert_string_equal(refusal(), "");
	assert_true(np->ipc_lock);
}

static int teardown(void **state)
{
	(void)state;
	tr_plan_free(&plan);
	tr_config_free(&cfg);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vdev_kinds),
		cmocka_unit_test(test_af_packet_own_userns),
		cmocka_unit_test(test_interface_refusals),
		cmocka_unit_test(test_memory_vdevs_get_an_empty_netns),
		cmocka_unit_test(test_tap_and_xdp),
		cmocka_unit_test(test_container_netns),
		cmocka_unit_test(test_pci_checks),
		cmocka_unit_test(test_host_nic_from_env),
		cmocka_unit_test(test_secondary_adopts_under_the_same_checks),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
