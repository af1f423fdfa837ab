/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * health/dpdkmem.c: a group's memory read from outside, in a temp dir that
 * stands in for the hugetlbfs (ordinary sparse files of one page each): the
 * memseg lists and the ring tailq found in a made-up 22.11 config; an
 * address read from the page file that backs it (one file per page, or one
 * per list with --single-file-segments); an address outside every list,
 * across a page, or in a page with no file, not read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "dpdk_config.h"
#include "helpers.h"
#include "health/dpdkmem.h"

static unsigned char cfg[TC_SIZE];

/* <tr_tmp>/pfxmap_<n>, size bytes, with text at offset at. */
static void page_file(unsigned n, uint64_t size, uint64_t at, const char *text)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/pfxmap_%u", tr_tmp, n);
	int fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	assert_int_equal(pwrite(fd, text, strlen(text) + 1, (off_t)at), (ssize_t)strlen(text) + 1);
	close(fd);
}

static void test_parse(void **state)
{
	(void)state;
	struct tr_dpdk_mem m;
	tc_config(cfg);
	tc_u64(cfg, TC_RING_HEAD - 16, TC_BASE + 0x1000);
	assert_true(tr_dpdk_mem_parse(cfg, sizeof(cfg), "/huge/acme", "acme", &m));
	assert_int_equal(m.n_lists, 1);
	assert_int_equal(m.lists[0].idx, 0);
	assert_true(m.lists[0].base == TC_BASE);
	assert_true(m.lists[0].page_sz == TC_PAGE);
	assert_true(m.has_rings);
	assert_true(m.rings_first == TC_BASE + 0x1000);
	/* list 2 in use too (lists are found by their name) */
	tc_u64(cfg, 136 + 2 * 136, TC_BASE + UINT64_C(0x800000000));
	tc_u64(cfg, 136 + 2 * 136 + 8, TC_PAGE);
	tc_u64(cfg, 136 + 2 * 136 + 24, UINT64_C(0x400000000));
	strcpy((char *)cfg + 136 + 2 * 136 + 40, "memseg-2048k-0-2");
	assert_true(tr_dpdk_mem_parse(cfg, sizeof(cfg), "/huge/acme", "acme", &m));
	assert_int_equal(m.n_lists, 2);
	assert_int_equal(m.lists[1].idx, 2);
	/* not 22.11 */
	tc_u32(cfg, 4, 0x17070000u);
	assert_false(tr_dpdk_mem_parse(cfg, sizeof(cfg), "/huge/acme", "acme", &m));
}

static void test_read(void **state)
{
	(void)state;
	struct tr_dpdk_mem m;
	tc_config(cfg);
	assert_true(tr_dpdk_mem_parse(cfg, sizeof(cfg), tr_tmp, "pfx", &m));
	page_file(0, TC_PAGE, 0x100, "page zero");
	page_file(3, TC_PAGE, 0x40, "page three");
	char buf[16] = "";
	assert_true(tr_dpdk_mem_read(&m, TC_BASE + 0x100, buf, 10));
	assert_string_equal(buf, "page zero");
	assert_true(tr_dpdk_mem_read(&m, TC_BASE + 3 * TC_PAGE + 0x40, buf, 11));
	assert_string_equal(buf, "page three");
	/* no file for page 1; below the list; across a page */
	assert_false(tr_dpdk_mem_read(&m, TC_BASE + TC_PAGE, buf, 4));
	assert_false(tr_dpdk_mem_read(&m, TC_BASE - 8, buf, 4));
	assert_false(tr_dpdk_mem_read(&m, TC_BASE + TC_PAGE - 2, buf, 4));
}

static void test_read_single_file(void **state)
{
	(void)state;
	struct tr_dpdk_mem m;
	tc_config(cfg);
	assert_true(tr_dpdk_mem_parse(cfg, sizeof(cfg), tr_tmp, "pfx", &m));
	/* --single-file-segments: list 0 is pfxmap_0, page s at s * page */
	page_file(0, 4 * TC_PAGE, 2 * TC_PAGE + 0x10, "third page");
	char buf[16] = "";
	assert_true(tr_dpdk_mem_read(&m, TC_BASE + 2 * TC_PAGE + 0x10, buf, 11));
	assert_string_equal(buf, "third page");
	assert_false(tr_dpdk_mem_read(&m, TC_BASE + 5 * TC_PAGE, buf, 4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test_setup_teardown(test_read, tr_tmp_setup, tr_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_read_single_file, tr_tmp_setup, tr_tmp_teardown),
	};
	return cmocka_run_group_tests_name("dpdkmem", tests, NULL, NULL);
}
