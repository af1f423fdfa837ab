/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PCI addresses: which strings are one, and the one spelling each leaves
 * in ("dddd:bb:dd.f", lowercase), which validation compares as strings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/cleanup.h"
#include "config/pciaddr.h"

static void test_normalised(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} good[] = {
		{ "0000:3b:02.0", "0000:3b:02.0" },
		{ "0000:3B:02.7", "0000:3b:02.7" },
		{ "3b:02.1", "0000:3b:02.1" },
		{ "ABCD:ff:1f.0", "abcd:ff:1f.0" },
	};
	for (size_t i = 0; i < TR_ARRAY_SIZE(good); i++) {
		char out[TR_PCI_ADDR_LEN];
		assert_int_equal(tr_pci_addr_normalise(good[i].in, out, sizeof(out)),
				 0);
		assert_string_equal(out, good[i].out);
	}
}

static void test_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",	      "0000:3b:02",    "0000:3b:20.0", "0000:3b:02.8",
		"3b:2.0",     "00000:3b:02.0", "0000:3b:02.0 ", "0000:3g:02.0",
		"0000-3b:02.0", "3b:02.01",    "net_null0",    ":3b:02.0",
	};
	for (size_t i = 0; i < TR_ARRAY_SIZE(bad); i++) {
		char out[TR_PCI_ADDR_LEN] = "untouched";
		if (tr_pci_addr_normalise(bad[i], out, sizeof(out)) == 0)
			fail_msg("\"%s\" taken for a PCI address", bad[i]);
		assert_string_equal(out, "untouched");
	}
}

/* The parser only asks whether a string is an address. */
static void test_question_only(void **state)
{
	(void)state;
	assert_int_equal(tr_pci_addr_normalise("3b:02.1", NULL, 0), 0);
	assert_int_equal(tr_pci_addr_normalise("net_ring0", NULL, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalised),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_question_only),
	};
	return cmocka_run_group_tests_name("pciaddr", tests, NULL, NULL);
}
