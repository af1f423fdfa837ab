/* SPDX-License-Identifier: BSD-3-Clause */
/* common/exits.c: the one table of exit statuses, as --help prints it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/exits.h"

/* Every code the table lists appears once; --help prints them all. */
static void test_exit_table(void **state)
{
	(void)state;
	int seen[256] = { 0 };
	unsigned n = 0;
	for (const struct tr_exit_code *e = tr_exit_codes; e->name; e++, n++)
		if (e->code >= 0)
			assert_int_equal(seen[e->code]++, 0);
	assert_true(n >= 15);
	assert_int_equal(seen[EX_USAGE], 1);
	assert_int_equal(seen[EX_TEMPFAIL], 1);
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	tr_exits_print(m);
	fclose(m);
	assert_non_null(strstr(out, "  75   EX_TEMPFAIL"));
	assert_non_null(strstr(out, "  127"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_table),
	};
	return cmocka_run_group_tests_name("exits", tests, NULL, NULL);
}
