/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * isolate/vfio.c on a made-up sysfs and /dev: which vfio group node a PCI
 * NIC has, given to the tenant's uid and back to root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "isolate/vfio.h"

/* A NIC's vfio group, from a made-up sysfs and /dev: given to the
 * tenant's uid, given back to root; nothing else is touched. */
static void test_vfio_groups(void **state)
{
	(void)state;
	char top[] = "/tmp/tr-vfio.XXXXXX", path[512], cmd[600];
	assert_non_null(mkdtemp(top));
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %1$s/sys/bus/pci/devices/0000:3b:02.0 %1$s/sys/bus/pci/devices/0000:3b:02.1 "
		 "%1$s/sys/kernel/iommu_groups/42 %1$s/sys/kernel/iommu_groups/43 %1$s/dev/vfio && "
		 "ln -s ../../../../kernel/iommu_groups/42 %1$s/sys/bus/pci/devices/0000:3b:02.0/iommu_group && "
		 "ln -s ../../../../kernel/iommu_groups/43 %1$s/sys/bus/pci/devices/0000:3b:02.1/iommu_group && "
		 "ln -s /dev/null %1$s/dev/vfio/43",
		 top);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/dev/vfio/42", top);
	assert_int_equal(mknod(path, S_IFCHR | 0600, makedev(1, 3)), 0);
	assert_int_equal(tr_vfio_group_of(top, "0000:3b:02.0"), 42);
	assert_int_equal(tr_vfio_group_of(top, "0000:3b:09.0"), -1);
	struct tr_error err = { 0 };
	struct stat st;
	assert_int_equal(tr_vfio_give(top, top, "0000:3b:02.0", 60700, 60700, &err), 1);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 60700);
	assert_int_equal(st.st_gid, 60700);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* vdevs, interfaces, devices without a group, a link where the node
	 * should be: nothing to give */
	assert_int_equal(tr_vfio_give(top, top, "net_null0", 60700, 60700, &err), 0);
	assert_int_equal(tr_vfio_give(top, top, "iface=eth0", 60700, 60700, &err), 0);
	assert_int_equal(tr_vfio_give(top, top, "0000:3b:09.0", 60700, 60700, &err), 0);
	assert_int_equal(tr_vfio_give(top, top, "0000:3b:02.1", 60700, 60700, &err), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_int_equal(st.st_uid, 0);
	/* back to root at reclaim */
	assert_int_equal(tr_vfio_give(top, top, "0000:3b:02.0", 0, 0, &err), 1);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vfio_groups),
	};
	return cmocka_run_group_tests_name("vfio", tests, NULL, NULL);
}
