/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every exit status tenantrt-shim and the tenantrt CLI use, in one table
 * (sysexits(3) codes, then the app's own). `--help` prints it, the README
 * lists it, and a unit test holds the two to it.
 */
#ifndef TR_COMMON_EXITS_H
#define TR_COMMON_EXITS_H

#include <stdio.h>
#include <sysexits.h>

/*
 * A group that makes no progress (health/liveness.h): `tenantrt status
 * --check` found it stuck, or a shim's watchdog stopped it. Not a sysexits
 * code (none means "hung"); 124 is what timeout(1) exits with when it had
 * to stop a command that ran out of time, which is what the watchdog does,
 * and it is none of the codes the shim uses for its own refusals or for an
 * app killed by a signal (128+N). A restart is the remedy.
 */
#define TR_EXIT_STUCK 124

struct tr_exit_code {
	int code;               /* -1: a range, described in what */
	const char *name;       /* "EX_USAGE" */
	const char *what;       /* when it is used, one line */
};

/* The table, ending with { 0, NULL, NULL }. */
extern const struct tr_exit_code tr_exit_codes[];

/* The table as --help shows it: "  64  EX_USAGE  bad command line ...". */
void tr_exits_print(FILE *out);

#endif
