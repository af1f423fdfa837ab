/* SPDX-License-Identifier: BSD-3-Clause */
#include "common/report.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * One write(2) per line: a detached sweeper, the shim and the app share
 * one stderr (often one file, at one offset), and a line written in pieces
 * came out with another process's output between its pieces.
 */
static void line(const char *prog, const char *where, const char *kind,
		 const char *tenant, const char *what)
{
	char buf[4096];
	int n = snprintf(buf, sizeof(buf), "%s: %s%s%s%s%s%s%s\n", prog, where,
			 where[0] ? ": " : "", kind, tenant ? "tenant \"" : "", tenant ? tenant : "",
			 tenant ? "\": " : "", what);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1;
	if ((size_t)n >= sizeof(buf))
		buf[len - 1] = '\n';   /* cut, still one line */
	for (size_t off = 0; off < len;) {
		ssize_t w = write(STDERR_FILENO, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		off += (size_t)w;
	}
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
