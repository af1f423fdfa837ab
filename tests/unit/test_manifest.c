/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * host/manifest.c: the group record a primary writes and its secondaries
 * check: the plan's EAL args split into devices and memory flags, written
 * and read back, and each refusal (another binary, another DPDK ABI,
 * another device list) with its exact line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <sys/stat.h>

#include "helpers.h"
#include "host/manifest.h"


static void fake_plan(struct tr_plan *p, const char *const *eal, int n)
{
	memset(p, 0, sizeof(*p));
	p->argv[0] = "app";
	p->eal_first = 1;
	for (int i = 0; i < n; i++)
		p->argv[1 + i] = (char *)eal[i];
	p->eal_end = 1 + n;
	p->argc = p->eal_end;
	snprintf(p->iso.huge_dir, sizeof(p->iso.huge_dir), "/h/acme");
}

static void test_manifest_split_and_check(void **state)
{
	(void)state;
	static const char *const prim[] = {
		"--file-prefix=acme", "--proc-type=primary", "--lcores=0@0,1@1", "-m", "64",
		"--socket-limit=64", "--huge-dir=/h/acme", "--vdev=net_null0", "--no-pci",
	};
	static const char *const sec[] = {
		"--file-prefix=acme", "--proc-type=secondary", "--lcores=2@0,3@1",
		"--huge-dir=/h/acme", "--vdev=net_null0", "--no-pci",
	};
	static const char *const sec_bad[] = {
		"--file-prefix=acme", "--proc-type=secondary", "--huge-dir=/h/acme", "--no-pci",
	};
	struct tr_plan p;
	struct tr_elf_info e1 = { .path = "/usr/bin/dpdk-testpmd", .dpdk_abi = "librte_eal.so.23",
				  .build_id = "aa", .is_elf = true };
	struct tr_elf_info e2 = { .path = "/usr/bin/dpdk-proc-info", .dpdk_abi = "librte_eal.so.23",
				  .build_id = "bb", .is_elf = true };
	struct tr_elf_info e3 = { .path = "/opt/old/app", .dpdk_abi = "librte_eal.so.22",
				  .build_id = "cc", .is_elf = true };
	struct tr_manifest mp, ms, back;
	struct tr_error err = { 0 };
	bool foreign;

	fake_plan(&p, prim, 9);
	assert_int_equal(tr_manifest_from_plan(&mp, &p, &e1, true, true, &err), 0);
	assert_int_equal(mp.n_devices, 2);
	assert_string_equal(mp.devices[0], "--vdev=net_null0");
	assert_string_equal(mp.devices[1], "--no-pci");
	assert_int_equal(mp.n_mem, 4);
	assert_string_equal(mp.mem[0], "-m");
	assert_string_equal(mp.mem[1], "64");

	/* Through the file and back. */
	assert_int_equal(tr_manifest_write(&mp, tr_tmp, "acme", &err), 0);
	assert_int_equal(tr_manifest_read(&back, tr_tmp, "acme", &err), 0);
	assert_int_equal(back.n_devices, 2);
	assert_string_equal(back.devices[1], "--no-pci");
	assert_string_equal(back.build_id, "aa");
	assert_true(back.huge_mounted);
	assert_true(back.run_mounted);
	/* Root's record (<ledger>/<tenant>.group, 0600), read only as a
	 * regular file: never through a link, never blocking on a FIFO. */
	char path[PATH_MAX + 32];
	struct stat st;
	snprintf(path, sizeof(path), "%s/acme.group", tr_tmp);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	struct tr_manifest f;
	snprintf(path, sizeof(path), "%s/fifo.group", tr_tmp);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(tr_manifest_read(&f, tr_tmp, "fifo", &err), -1);
	assert_int_equal(err.code, EX_UNAVAILABLE);
	snprintf(path, sizeof(path), "%s/link.group", tr_tmp);
	assert_int_equal(symlink("acme.group", path), 0);
	assert_int_equal(tr_manifest_read(&f, tr_tmp, "link", &err), -1);

	fake_plan(&p, sec, 6);
	assert_int_equal(tr_manifest_from_plan(&ms, &p, &e1, false, false, &err), 0);
	assert_int_equal(tr_manifest_check(&back, &ms, false, &foreign, &err), 0);
	assert_false(foreign);
	tr_manifest_free(&ms);

	/* Another binary of the same ABI: refused, or allowed with a flag. */
	assert_int_equal(tr_manifest_from_plan(&ms, &p, &e2, false, false, &err), 0);
	assert_int_equal(tr_manifest_check(&back, &ms, false, &foreign, &err), -1);
	assert_int_equal(err.code, EX_UNAVAILABLE);
	assert_string_equal(err.msg,
			    "/usr/bin/dpdk-proc-info is not the primary's binary (/usr/bin/dpdk-testpmd); function pointers (rte_hash, mempool ops) do not cross binaries; set group.allowForeignBinaries for tools like dpdk-proc-info");
	assert_int_equal(tr_manifest_check(&back, &ms, true, &foreign, &err), 0);
	assert_true(foreign);
	tr_manifest_free(&ms);

	/* Another DPDK ABI: refused even when foreign binaries are allowed. */
	assert_int_equal(tr_manifest_from_plan(&ms, &p, &e3, false, false, &err), 0);
	assert_int_equal(tr_manifest_check(&back, &ms, true, &foreign, &err), -1);
	assert_string_equal(err.msg,
			    "/opt/old/app links librte_eal.so.22 but the primary (/usr/bin/dpdk-testpmd) links librte_eal.so.23; secondaries must use the primary's DPDK ABI");
	tr_manifest_free(&ms);

	/* Another device list: refused. */
	fake_plan(&p, sec_bad, 4);
	assert_int_equal(tr_manifest_from_plan(&ms, &p, &e1, false, false, &err), 0);
	assert_int_equal(tr_manifest_check(&back, &ms, true, &foreign, &err), -1);
	assert_string_equal(err.msg,
			    "this secondary's devices (--no-pci) differ from the primary's (--vdev=net_null0 --no-pci); DPDK would fail or panic; restart the primary with the current config");
	tr_manifest_free(&ms);

	tr_manifest_free(&mp);
	tr_manifest_free(&back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_manifest_split_and_check, tr_tmp_setup,
						tr_tmp_teardown),
	};
	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
