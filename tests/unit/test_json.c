/* SPDX-License-Identifier: BSD-3-Clause */
/* common/json.c: strings and string arrays as `plan --json` and
 * `status --json` print them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "common/json.h"

static void test_json_escapes_and_arrays(void **state)
{
	(void)state;
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	assert_non_null(m);
	tr_json_str(m, "a\"b\\c\n\x01");
	char *v[] = { "x", "y" };
	tr_json_str_array(m, v, 0, 2);
	fclose(m);
	assert_string_equal(out, "\"a\\\"b\\\\c\\n\\u0001\"[\"x\", \"y\"]");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escapes_and_arrays),
	};
	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
