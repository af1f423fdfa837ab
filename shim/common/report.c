/* SPDX-License-Identifier: BSD-3-Clause */
#include "common/report.h"

#include <stdio.h>

static void line(const char *prog, const char *where, const char *kind,
		 const char *tenant, const char *what)
{
	fprintf(stderr, "%s: %s%s%s", prog, where, where[0] ? ": " : "", kind);
	if (tenant)
		fprintf(stderr, "tenant \"%s\": ", tenant);
	fprintf(stderr, "%s\n", what);
}

void tr_report_note(const char *prog, const char *tenant, const char *what)
{
	line(prog, "", "", tenant, what);
}

void tr_report_warning(const char *prog, const char *tenant, const char *what)
{
	line(prog, "", "warning: ", tenant, what);
}

int tr_report(const char *prog, const char *tenant, const struct tr_error *err)
{
	line(prog, err->where, "", tenant, err->msg[0] ? err->msg : "failed (no detail)");
	return err->code ? err->code : EX_SOFTWARE;
}
