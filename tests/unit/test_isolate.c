/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * isolate/isolate.c: the holes the default seccomp profile opens (and the
 * rtnetlink rule it adds), planned from the devices the plan judged. Its parts have their own tests (test_cgroup.c,
 * test_seccomp.c, test_privs.c); the kernel side (real cgroups,
 * capabilities, uids, DPDK under the filter) is
 * tests/integration/suite_isolation.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "isolate/isolate.h"
#include "isolate/seccomp.h"

/* The holes and the rtnetlink rule follow the contained devices the plan
 * judged (plan/netplan.c), not the device arguments: an -a of a device
 * that failed its checks opens nothing. */
static void test_seccomp_opts_from_plan(void **state)
{
	(void)state;
	static struct tr_plan p;
	struct tr_seccomp_opts o;
	char *argv[] = { "app", "-a", "0000:3b:02.0", "--vdev=net_af_xdp0,iface=e", "--", NULL };
	memset(&p, 0, sizeof(p));
	p.argc = 5;
	for (int i = 0; i < 5; i++)
		p.argv[i] = argv[i];
	p.eal_first = 1;
	p.eal_end = 4;
	tr_isolate_seccomp_opts(&p, &o);
	assert_false(o.allow_bpf);
	assert_false(o.allow_ioport);
	assert_false(o.deny_rtnetlink);
	p.iso.net.allow_bpf = true;
	tr_isolate_seccomp_opts(&p, &o);
	assert_true(o.allow_bpf);
	assert_false(o.allow_ioport);
	p.iso.net.allow_bpf = false;
	p.iso.net.allow_ioport = true;
	p.iso.net.deny_rtnetlink = true;
	tr_isolate_seccomp_opts(&p, &o);
	assert_false(o.allow_bpf);
	assert_true(o.allow_ioport);
	assert_true(o.deny_rtnetlink);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seccomp_opts_from_plan),
	};
	return cmocka_run_group_tests_name("isolate", tests, NULL, NULL);
}
