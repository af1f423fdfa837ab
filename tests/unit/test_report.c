/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * common/report.c: the one line an error, a note or a warning becomes,
 * exactly: "<prog>: [FILE:LINE:COL: ][warning: ][tenant "<t>": ]<what>",
 * and the exit status an error gives.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/report.h"
#include "helpers.h"

/* tr_report's line and its exit status. */
static char *report(const char *tenant, const struct tr_error *err, int *status)
{
	struct tr_capture c;
	tr_capture_stderr(&c);
	*status = tr_report("tenantrt-shim", tenant, err);
	return tr_capture_end(&c);
}

static void assert_report(const char *tenant, const struct tr_error *err, int want_status,
			  const char *want_line)
{
	int status;
	char *out = report(tenant, err, &status);
	assert_string_equal(out, want_line);
	assert_int_equal(status, want_status);
	free(out);
}

static void test_error_lines(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	tr_err(&err, EX_UNAVAILABLE, "no primary is running");
	assert_report("acme", &err, EX_UNAVAILABLE,
		      "tenantrt-shim: tenant \"acme\": no primary is running\n");
	assert_report(NULL, &err, EX_UNAVAILABLE, "tenantrt-shim: no primary is running\n");

	/* a fact in tenants.yaml: its position first, as diagnostics are */
	tr_err_at(&err, EX_DATAERR, "/etc/tenantrt/tenants.yaml", 8, 12, "NIC env X is not set");
	assert_report("acme", &err, EX_DATAERR,
		      "tenantrt-shim: /etc/tenantrt/tenants.yaml:8:12: tenant \"acme\": NIC env X is not set\n");
	assert_report(NULL, &err, EX_DATAERR,
		      "tenantrt-shim: /etc/tenantrt/tenants.yaml:8:12: NIC env X is not set\n");
}

/* An error without a code is a bug of ours; without words, still a line. */
static void test_error_without_code_or_message(void **state)
{
	(void)state;
	struct tr_error err = { 0 };
	assert_report("acme", &err, EX_SOFTWARE,
		      "tenantrt-shim: tenant \"acme\": failed (no detail)\n");
	tr_err(&err, 0, "half-filled");
	assert_report(NULL, &err, EX_SOFTWARE, "tenantrt-shim: half-filled\n");
}

static void test_note_and_warning_lines(void **state)
{
	(void)state;
	struct tr_capture c;
	tr_capture_stderr(&c);
	tr_report_note("tenantrt-shim", "acme", "using the primary's devices");
	tr_report_note("tenantrt-shim", NULL, "removed stale lease /run/x");
	tr_report_warning("tenantrt-shim", "acme", "dpdk-proc-info is not the primary's binary");
	tr_report_warning("tenantrt plan", NULL, "no hugepages free");
	char *out = tr_capture_end(&c);
	assert_string_equal(out,
			    "tenantrt-shim: tenant \"acme\": using the primary's devices\n"
			    "tenantrt-shim: removed stale lease /run/x\n"
			    "tenantrt-shim: warning: tenant \"acme\": dpdk-proc-info is not the primary's binary\n"
			    "tenantrt plan: warning: no hugepages free\n");
	free(out);
}

/*
 * Two processes on one stderr (a file both write at one shared offset, as
 * a shim and the sweeper it forked do): each line stays whole. Written in
 * pieces, the other's lines landed between the pieces.
 */
#define LINES 3000
static void test_lines_whole_when_two_processes_share_stderr(void **state)
{
	(void)state;
	struct tr_capture c;
	tr_capture_stderr(&c);
	pid_t pid = fork();
	assert_true(pid >= 0);
	const char *who = pid == 0 ? "child" : "parent";
	for (int i = 0; i < LINES; i++)
		tr_report_note("tenantrt-shim", who, "interface tv0 back on the host");
	if (pid == 0)
		_exit(0);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	char *out = tr_capture_end(&c);
	const char *want[] = {
		"tenantrt-shim: tenant \"child\": interface tv0 back on the host",
		"tenantrt-shim: tenant \"parent\": interface tv0 back on the host",
	};
	unsigned seen[2] = { 0, 0 }, bad = 0;
	for (char *save = NULL, *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (strcmp(l, want[0]) == 0)
			seen[0]++;
		else if (strcmp(l, want[1]) == 0)
			seen[1]++;
		else
			bad++;
	}
	assert_int_equal(bad, 0);
	assert_int_equal(seen[0], LINES);
	assert_int_equal(seen[1], LINES);
	free(out);
}

/* Longer than a line may be: cut, still one line. */
static void test_long_line_cut(void **state)
{
	(void)state;
	char what[6000];
	memset(what, 'x', sizeof(what) - 1);
	what[sizeof(what) - 1] = '\0';
	struct tr_capture c;
	tr_capture_stderr(&c);
	tr_report_note("tenantrt-shim", "acme", what);
	char *out = tr_capture_end(&c);
	size_t n = strlen(out);
	assert_true(n > 1000 && n < sizeof(what));
	assert_int_equal(out[n - 1], '\n');
	assert_ptr_equal(strchr(out, '\n'), out + n - 1);
	assert_int_equal(strncmp(out, "tenantrt-shim: tenant \"acme\": xxx", 33), 0);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_lines),
		cmocka_unit_test(test_error_without_code_or_message),
		cmocka_unit_test(test_note_and_warning_lines),
		cmocka_unit_test(test_lines_whole_when_two_processes_share_stderr),
		cmocka_unit_test(test_long_line_cut),
	};
	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
