/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * host/devinfo.c: the device plugin's device-info JSON, and a tenant's
 * PCI NICs checked against it (a real char device stands in for the vfio
 * group node).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "host/devinfo.h"

static void acme(struct tr_config *cfg, struct tr_tenant **t)
{
	memset(cfg, 0, sizeof(*cfg));
	tr_host_defaults(&cfg->host);
	cfg->file = "tenants.yaml";
	cfg->n_tenants = 1;
	*t = &cfg->tenants[0];
	tr_tenant_defaults(*t);
	snprintf((*t)->name, sizeof((*t)->name), "acme");
	(*t)->has_cpus = true;
	(*t)->cpus = tr_test_cpus("1-2");
	(*t)->cpus_mark = (struct tr_mark){ 14, 10 };
	(*t)->memory.has_total = true;
	(*t)->memory.total_mb = 128;
	(*t)->memory.has_limit = true;
	(*t)->memory.limit_mb = 192;
	(*t)->memory.limit_mark = (struct tr_mark){ 13, 16 };
}

/* As the SR-IOV device plugin writes it (device-info spec v1.1.0). */
static const char info_json[] =
	"{\"0000:3b:02.0\":{\"generic\":{\"deviceID\":\"0000:3b:02.0\"},"
	"\"vfio\":{\"mount\":\"/dev/vfio/vfio\",\"dev-mount\":\"/dev/vfio/42\"}},"
	" \"0000:3b:02.1\" : { \"generic\" : {\"deviceID\":\"0000:3b:02.1\","
	"\"note\":\"a } and \\\" inside\"} } }";

static void test_info_dev_mount(void **state)
{
	(void)state;
	char node[64];
	assert_int_equal(tr_devinfo_dev_mount(info_json, "0000:3b:02.0", node,
					       sizeof(node)), 1);
	assert_string_equal(node, "/dev/vfio/42");
	/* a netdevice VF: listed, no vfio */
	assert_int_equal(tr_devinfo_dev_mount(info_json, "0000:3b:02.1", node,
					       sizeof(node)), 0);
	assert_int_equal(tr_devinfo_dev_mount(info_json, "0000:3b:02.2", node,
					       sizeof(node)), -1);
	/* the BDF only as a value inside another entry is not an entry */
	assert_int_equal(tr_devinfo_dev_mount("{\"a\":{\"x\":\"0000:3b:02.0\"}}",
					       "0000:3b:02.0", node, sizeof(node)), -1);
	assert_int_equal(tr_devinfo_dev_mount("{\"0000:3b:02.0\":{", "0000:3b:02.0",
					       node, sizeof(node)), -1);
	assert_int_equal(tr_devinfo_dev_mount("[]", "0000:3b:02.0", node,
					       sizeof(node)), -1);
}

static void test_device_info(void **state)
{
	(void)state;
	struct tr_config cfg;
	struct tr_tenant *t;
	struct tr_error err = { 0 };
	acme(&cfg, &t);
	t->n_nics = 2;
	t->nics[0] = (struct tr_nic){ .kind = TR_NIC_PCI, .spec = "0000:3b:02.0",
				      .from_env = "PCIDEVICE_INTEL_COM_SRIOV",
				      .mark = { 20, 9 } };
	t->nics[1] = (struct tr_nic){ .kind = TR_NIC_VDEV, .spec = "net_null0" };

	/* no _INFO (an older device plugin): nothing to check */
	char *none[] = { "PCIDEVICE_INTEL_COM_SRIOV=0000:3b:02.0", NULL };
	assert_int_equal(tr_devinfo_check(&cfg, t, "", none, &err), 0);

	/* /dev/null stands in for the vfio group node: a real char device */
	char *good[] = { "PCIDEVICE_INTEL_COM_SRIOV_INFO={\"0000:3b:02.0\":{\"vfio\":"
			 "{\"dev-mount\":\"/dev/null\"}}}", NULL };
	assert_int_equal(tr_devinfo_check(&cfg, t, "", good, &err), 0);

	char *gone[] = { "PCIDEVICE_INTEL_COM_SRIOV_INFO={\"0000:3b:02.0\":{\"vfio\":"
			 "{\"dev-mount\":\"/dev/vfio/no-such-group\"}}}", NULL };
	assert_int_equal(tr_devinfo_check(&cfg, t, "", gone, &err), -1);
	assert_int_equal(err.code, EX_CONFIG);
	assert_string_equal(err.msg, "NIC 0000:3b:02.0 from "
			    "PCIDEVICE_INTEL_COM_SRIOV (tenants.yaml:20:9) needs "
			    "/dev/vfio/no-such-group (PCIDEVICE_INTEL_COM_SRIOV_INFO) "
			    "in the container: No such file or directory");

	char *other[] = { "PCIDEVICE_INTEL_COM_SRIOV_INFO={\"0000:3b:02.7\":{}}", NULL };
	assert_int_equal(tr_devinfo_check(&cfg, t, "", other, &err), -1);
	assert_string_equal(err.msg, "NIC 0000:3b:02.0 from "
			    "PCIDEVICE_INTEL_COM_SRIOV (tenants.yaml:20:9) is not "
			    "described in PCIDEVICE_INTEL_COM_SRIOV_INFO; the device "
			    "plugin's variables disagree, recreate the pod");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_info_dev_mount),
		cmocka_unit_test(test_device_info),
	};
	return cmocka_run_group_tests_name("devinfo", tests, NULL, NULL);
}
