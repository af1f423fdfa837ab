/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every fixture in tests/fixtures/bad/ (*.yaml) through parse -> resolve -> validate,
 * as `tenantrt validate` would run them. A fixture opens with its expected
 * output, one line each:
 *
 *   # expect: LINE:COL: tenant "acme": what is wrong
 *   # expect: what is wrong                 (a diagnostic without position)
 *
 * and the test asserts the printed diagnostics are exactly those lines, in
 * order, with the fixture's path as the file name, and that at least one
 * is an error. One cmocka test per fixture, named after it, so a new
 * fixture needs no code here. The environment (below) and the host facts
 * (tr_test_host) are fixed so the expectations do not depend on this
 * machine.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "helpers.h"

#define FIXTURES TR_SOURCE_DIR "/tests/fixtures/bad"
#define EXPECT_TAG "# expect: "
#define MAX_LINES 64

/* The SR-IOV device plugin's variables as a pod would see them. */
static char *const fixture_env[] = {
	"PCIDEVICE_INTEL_COM_SRIOV=0000:3b:02.0,0000:3b:02.1",
	"PCIDEVICE_EMPTY=",
	"PCIDEVICE_BAD=0000:3b:02.2,zz",
	"PATH=/usr/bin:/bin",
	NULL,
};

struct lines {
	unsigned n;
	char *line[MAX_LINES];
};

static void lines_free(struct lines *l)
{
	for (unsigned i = 0; i < l->n; i++)
		free(l->line[i]);
	l->n = 0;
}

/* Split text into lines (without the newline). */
static void lines_split(struct lines *l, const char *text)
{
	const char *p = text;
	while (*p && l->n < MAX_LINES) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		l->line[l->n++] = strndup(p, len);
		p += len + (nl ? 1 : 0);
	}
}

/* The fixture's "# expect:" header, each turned into a full printed line. */
static void read_expectations(const char *path, struct lines *want)
{
	_cleanup_fclose_ FILE *f = fopen(path, "r");
	assert_non_null(f);
	char buf[2048];
	while (fgets(buf, sizeof(buf), f) && want->n < MAX_LINES) {
		if (strncmp(buf, EXPECT_TAG, strlen(EXPECT_TAG)) != 0)
			break;
		char *msg = buf + strlen(EXPECT_TAG);
		msg[strcspn(msg, "\n")] = '\0';
		unsigned line, col;
		int used = 0;
		char *full = NULL;
		/* "12:5: ..." has a position; anything else has none. */
		if (sscanf(msg, "%u:%u: %n", &line, &col, &used) == 2 && used > 0)
			assert_true(asprintf(&full, "%s:%s", path, msg) > 0);
		else
			assert_true(asprintf(&full, "%s: %s", path, msg) > 0);
		want->line[want->n++] = full;
	}
}

static void run_fixture(void **state)
{
	const char *path = *state;
	struct lines want = { 0 }, got = { 0 };
	read_expectations(path, &want);
	if (want.n == 0)
		fail_msg("%s: no \"# expect: \" line at the top", path);

	static struct tr_config cfg;
	static struct tr_diags diags;
	struct tr_host_facts facts;
	struct tr_error err = { 0 };
	tr_test_host(&facts);
	tr_diags_init(&diags, path);
	if (tr_config_load(&cfg, path, &diags, &err) < 0 && err.code != 0)
		fail_msg("%s: not read: %s", path, err.msg);
	tr_config_resolve(&cfg, fixture_env, &diags);
	tr_config_validate(&cfg, &facts, &diags);

	char *out = tr_diags_text(&diags);
	lines_split(&got, out);

	/* Print both sides in full on a mismatch: the diff is the fix. */
	bool same = got.n == want.n;
	for (unsigned i = 0; same && i < want.n; i++)
		same = strcmp(got.line[i], want.line[i]) == 0;
	if (!same) {
		fprintf(stderr, "%s: diagnostics differ\n--- expected\n", path);
		for (unsigned i = 0; i < want.n; i++)
			fprintf(stderr, "%s\n", want.line[i]);
		fprintf(stderr, "+++ got\n%s", out);
	}
	unsigned n_errors = diags.n_errors;
	free(out);
	lines_free(&want);
	lines_free(&got);
	tr_diags_free(&diags);
	tr_config_free(&cfg);
	assert_true(same);
	assert_true(n_errors > 0);
}

int main(void)
{
	glob_t g;
	if (glob(FIXTURES "/*.yaml", 0, NULL, &g) != 0) {
		fprintf(stderr, "test_bad_inputs: no fixtures in %s\n", FIXTURES);
		return 1;
	}
	struct CMUnitTest *tests = calloc(g.gl_pathc, sizeof(*tests));
	if (tests == NULL)
		return 1;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *slash = strrchr(g.gl_pathv[i], '/');
		tests[i].name = slash ? slash + 1 : g.gl_pathv[i];
		tests[i].test_func = run_fixture;
		tests[i].initial_state = g.gl_pathv[i];
	}
	int failed = _cmocka_run_group_tests("bad_inputs", tests, g.gl_pathc,
					     NULL, NULL);
	free(tests);
	globfree(&g);
	return failed;
}
