/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * common/dpdkfs.c: DPDK's file layout under a tenant's runtime dir, the
 * pid in a secondary's file names, and the primary's lock on its config
 * file (a real fcntl lock held by another process; a FIFO planted in its
 * place is no lock and does not hang the reader).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/dpdkfs.h"
#include "common/fsutil.h"
#include "helpers.h"

static void test_dpdk_file_pid(void **state)
{
	(void)state;
	assert_int_equal(tr_dpdk_file_pid("fbarray_memseg-2048k-0-0_42"), 42);
	assert_int_equal(tr_dpdk_file_pid("fbarray_memseg-1048576k-1-3_2"), 2);
	/* the primary's own lists carry no pid */
	assert_int_equal(tr_dpdk_file_pid("fbarray_memseg-2048k-0-0"), -1);
	assert_int_equal(tr_dpdk_file_pid("fbarray_memzone"), -1);
	assert_int_equal(tr_dpdk_file_pid("fbarray_memseg-2048k-0-0_"), -1);
	assert_int_equal(tr_dpdk_file_pid("fbarray_memseg-2048k-0-0_4x"), -1);
	assert_int_equal(tr_dpdk_file_pid("mp_socket_42_1234"), -1);
	assert_int_equal(tr_dpdk_file_pid("fbarray_memseg-2048k-0-0_99999999999"), -1);
}

static void test_dpdk_paths(void **state)
{
	(void)state;
	char buf[256];
	tr_dpdk_path("/run/tenantrt/acme", "acme", NULL, buf, sizeof(buf));
	assert_string_equal(buf, "/run/tenantrt/acme/dpdk/acme");
	tr_dpdk_path("/run/tenantrt/acme", "acme", TR_DPDK_CONFIG, buf, sizeof(buf));
	assert_string_equal(buf, "/run/tenantrt/acme/dpdk/acme/config");
	assert_true(tr_dpdk_is_hugefile("acmemap_0", "acme"));
	assert_false(tr_dpdk_is_hugefile("acmexmap_0", "acme"));
	assert_false(tr_dpdk_is_hugefile("globexmap_0", "acme"));
}

/* DPDK's primary lock: held by another process, seen with its pid; a FIFO
 * in its place is no lock and does not hang the reader. */
static void test_dpdk_primary_lock(void **state)
{
	(void)state;
	char d[PATH_MAX + 16], cfg[PATH_MAX + 32];
	snprintf(d, sizeof(d), "%s/dpdk/acme", tr_tmp);
	snprintf(cfg, sizeof(cfg), "%s/config", d);
	assert_int_equal(tr_mkdir_p(d, 0700), 0);
	pid_t holder = -1;
	assert_false(tr_dpdk_primary_lock(tr_tmp, "acme", &holder));
	assert_int_equal(holder, 0);
	tr_put(d, "config", "");
	assert_false(tr_dpdk_primary_lock(tr_tmp, "acme", NULL));

	pid_t c = tr_hold_fcntl_lock(cfg);
	assert_true(tr_dpdk_primary_lock(tr_tmp, "acme", &holder));
	assert_int_equal(holder, c);
	tr_child_kill(c);
	assert_false(tr_dpdk_primary_lock(tr_tmp, "acme", &holder));

	unlink(cfg);
	assert_int_equal(mkfifo(cfg, 0600), 0);
	assert_false(tr_dpdk_primary_lock(tr_tmp, "acme", &holder));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpdk_file_pid),
		cmocka_unit_test(test_dpdk_paths),
		cmocka_unit_test_setup_teardown(test_dpdk_primary_lock, tr_tmp_setup,
						tr_tmp_teardown),
	};
	return cmocka_run_group_tests_name("dpdkfs", tests, NULL, NULL);
}
