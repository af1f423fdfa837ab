/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * host/netdev.c's PCI facts on a made-up sysfs tree (the layout of the
 * kernel's: bus/pci/devices/<BDF> links into devices/pci0000:00/, driver
 * and physfn/virtfnN links, class/net links to the netdevs below their
 * device), so every verdict is checked without the devices: a VF bound to
 * vfio-pci, a PF with its VFs and an up netdev, a virtio NIC whose netdev
 * sits one level deeper (<BDF>/virtio2/net/eth0, as this host's eth0), an
 * unbound device, a missing one. Also the initial-netns test on a made-up
 * /proc, and the address list.
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
#include <sys/stat.h>
#include <unistd.h>

#include "common/fsutil.h"
#include "host/netdev.h"

static char root[256];

static void mkdirs(const char *rel)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(tr_mkdir_p(p, 0755), 0);
}

static void lnk(const char *rel, const char *target)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(symlink(target, p), 0);
}

static void put(const char *rel, const char *text)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

#define DEV "devices/pci0000:00/"
#define PF "0000:3b:00.0"
#define VF "0000:3b:02.0"
#define VIRTIO "0000:00:03.0"
#define BARE "0000:00:05.0"

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/tr-netdev-test.XXXXXX");
	assert_non_null(mkdtemp(root));
	mkdirs("bus/pci/drivers/vfio-pci");
	mkdirs("bus/pci/drivers/ixgbe");
	mkdirs("bus/pci/drivers/virtio-pci");
	mkdirs("bus/pci/devices");
	mkdirs("class/net");
	/* The PF: ixgbe, a netdev that is up, one VF. */
	mkdirs(DEV PF "/net/enp59s0f0");
	lnk("bus/pci/devices/" PF, "../../../" DEV PF);
	lnk(DEV PF "/driver", "../../../bus/pci/drivers/ixgbe");
	lnk(DEV PF "/virtfn0", "../" VF);
	put(DEV PF "/net/enp59s0f0/flags", "0x1003\n");
	lnk("class/net/enp59s0f0", "../../" DEV PF "/net/enp59s0f0");
	/* The VF: vfio-pci, no netdev. */
	mkdirs(DEV VF);
	lnk("bus/pci/devices/" VF, "../../../" DEV VF);
	lnk(DEV VF "/driver", "../../../bus/pci/drivers/vfio-pci");
	lnk(DEV VF "/physfn", "../" PF);
	/* virtio: the netdev one level deeper, down, but with an address. */
	mkdirs(DEV VIRTIO "/virtio2/net/eth0");
	lnk("bus/pci/devices/" VIRTIO, "../../../" DEV VIRTIO);
	lnk(DEV VIRTIO "/driver", "../../../bus/pci/drivers/virtio-pci");
	put(DEV VIRTIO "/virtio2/net/eth0/flags", "0x1002\n");
	lnk("class/net/eth0", "../../" DEV VIRTIO "/virtio2/net/eth0");
	/* A device without a driver; and a virtual netdev elsewhere. */
	mkdirs(DEV BARE);
	lnk("bus/pci/devices/" BARE, "../../../" DEV BARE);
	mkdirs("devices/virtual/net/lo");
	put("devices/virtual/net/lo/flags", "0x9\n");
	lnk("class/net/lo", "../../devices/virtual/net/lo");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

static const struct tr_if_addrs addrs = {
	.n = 3,
	.v = {
		{ .ifname = "eth0", .text = "192.0.2.2", .global = true },
		{ .ifname = "eth0", .text = "fe80::1", .global = false },
		{ .ifname = "enp59s0f0", .text = "fe80::2", .global = false },
	},
};

static void test_vf_bound_to_vfio(void **state)
{
	(void)state;
	struct tr_pci_fact f;
	tr_netdev_pci_probe(root, VF, &addrs, &f);
	assert_true(f.exists);
	assert_string_equal(f.bdf, VF);
	assert_string_equal(f.driver, "vfio-pci");
	assert_string_equal(f.physfn, PF);
	assert_string_equal(f.netdev, "");
	assert_false(f.netdev_up);
	assert_int_equal(f.n_addrs, 0);
}

static void test_pf_with_an_up_netdev(void **state)
{
	(void)state;
	struct tr_pci_fact f;
	tr_netdev_pci_probe(root, PF, &addrs, &f);
	assert_true(f.exists);
	assert_string_equal(f.driver, "ixgbe");
	assert_string_equal(f.physfn, "");
	assert_string_equal(f.netdev, "enp59s0f0");
	assert_true(f.netdev_up);
	/* Only a link-local address: not counted as the host's use. */
	assert_int_equal(f.n_addrs, 0);
}

static void test_netdev_one_level_deeper(void **state)
{
	(void)state;
	struct tr_pci_fact f;
	tr_netdev_pci_probe(root, VIRTIO, &addrs, &f);
	assert_true(f.exists);
	assert_string_equal(f.driver, "virtio-pci");
	assert_string_equal(f.netdev, "eth0");
	assert_false(f.netdev_up);
	assert_int_equal(f.n_addrs, 1);
	assert_string_equal(f.addr, "192.0.2.2");
}

static void test_unbound_and_missing(void **state)
{
	(void)state;
	struct tr_pci_fact f;
	tr_netdev_pci_probe(root, BARE, &addrs, &f);
	assert_true(f.exists);
	assert_string_equal(f.driver, "");
	assert_string_equal(f.netdev, "");
	tr_netdev_pci_probe(root, "0000:00:09.0", &addrs, &f);
	assert_false(f.exists);
	assert_string_equal(f.bdf, "0000:00:09.0");
	/* A name that would walk out of the tree is no device. */
	tr_netdev_pci_probe(root, "../../x", &addrs, &f);
	assert_false(f.exists);
	/* The BDF may be the fact's own buffer (the gatherer does that). */
	snprintf(f.bdf, sizeof(f.bdf), "%s", VF);
	tr_netdev_pci_probe(root, f.bdf, &addrs, &f);
	assert_true(f.exists);
	assert_string_equal(f.driver, "vfio-pci");
}

static void test_initial_netns(void **state)
{
	(void)state;
	char proc[300];
	snprintf(proc, sizeof(proc), "%s/proc", root);
	mkdirs("proc/sys/net/core");
	assert_false(tr_netdev_initial_netns(proc));
	put("proc/sys/net/core/netdev_max_backlog", "1000\n");
	assert_true(tr_netdev_initial_netns(proc));
}

static void test_addrs_of(void **state)
{
	(void)state;
	char a[64];
	assert_int_equal(tr_netdev_addrs_of(&addrs, "eth0", a, sizeof(a)), 1);
	assert_string_equal(a, "192.0.2.2");
	assert_int_equal(tr_netdev_addrs_of(&addrs, "enp59s0f0", a, sizeof(a)), 0);
	assert_string_equal(a, "");
	assert_int_equal(tr_netdev_addrs_of(NULL, "eth0", a, sizeof(a)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vf_bound_to_vfio),
		cmocka_unit_test(test_pf_with_an_up_netdev),
		cmocka_unit_test(test_netdev_one_level_deeper),
		cmocka_unit_test(test_unbound_and_missing),
		cmocka_unit_test(test_initial_netns),
		cmocka_unit_test(test_addrs_of),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
