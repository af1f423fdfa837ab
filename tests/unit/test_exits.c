/* SPDX-License-Identifier: BSD-3-Clause */
/* common/exits.c: the one table of exit statuses, as --help prints it and
 * as README.md lists it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
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

/* README.md lists every code of the table, with its name, and no other. */
static void test_exit_table_in_readme(void **state)
{
	(void)state;
	FILE *f = fopen(TR_SOURCE_DIR "/README.md", "r");
	assert_non_null(f);
	static char text[1 << 20];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	unsigned rows = 0;
	for (const struct tr_exit_code *e = tr_exit_codes; e->name; e++) {
		char row[128];
		if (e->code < 0)
			continue;
		snprintf(row, sizeof(row), "\n| %d | %s |", e->code,
			 e->name[0] == '-' ? "" : e->name);
		if (strstr(text, row) == NULL)
			fail_msg("README.md has no row \"%s\" for exit status %d", row + 1, e->code);
		rows++;
	}
	/* and no row for a code the table does not have */
	for (const char *p = strstr(text, "\n| status | name | when |"); p && (p = strstr(p + 1, "\n| ")) &&
	     p[3] >= '0' && p[3] <= '9';) {
		int code = atoi(p + 3);
		bool known = false;
		for (const struct tr_exit_code *e = tr_exit_codes; e->name; e++)
			known |= e->code == code;
		if (!known)
			fail_msg("README.md lists exit status %d, which tenantrt does not use", code);
	}
	assert_true(rows >= 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_table),
		cmocka_unit_test(test_exit_table_in_readme),
	};
	return cmocka_run_group_tests_name("exits", tests, NULL, NULL);
}
