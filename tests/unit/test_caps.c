/* SPDX-License-Identifier: BSD-3-Clause */
/* common/caps.c: capability masks as libcap names them (plans, status)
 * and as the kernel's headers do (plans). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <linux/capability.h>

#include "common/caps.h"

static void test_caps_format(void **state)
{
	(void)state;
	char b[128];
	tr_caps_format(0, b, sizeof(b));
	assert_string_equal(b, "none");
	uint64_t mask = (UINT64_C(1) << CAP_NET_RAW) | (UINT64_C(1) << CAP_NET_ADMIN);
	tr_caps_format(mask, b, sizeof(b));
	assert_string_equal(b, "cap_net_admin,cap_net_raw");
	tr_caps_format_upper(mask, b, sizeof(b));
	assert_string_equal(b, "CAP_NET_ADMIN CAP_NET_RAW");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caps_format),
	};
	return cmocka_run_group_tests_name("caps", tests, NULL, NULL);
}
