/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The end of the error contract (common/error.h): a leaf states the fact,
 * each stage boundary adds its context once, and the program turns the
 * error into one line and an exit status here.
 */
#ifndef TR_COMMON_REPORT_H
#define TR_COMMON_REPORT_H

#include "common/error.h"

/*
 * Print "<prog>: [FILE:LINE:COL: ]tenant "<tenant>": <msg>" (no tenant part
 * when tenant is NULL) on stderr and return the exit status: err->code, or
 * EX_SOFTWARE when the error carries none.
 */
int tr_report(const char *prog, const char *tenant, const struct tr_error *err);

/* A note (not an error) in the same shape. */
void tr_report_note(const char *prog, const char *tenant, const char *what);

/* A warning: "<prog>: warning: tenant "<tenant>": <what>". */
void tr_report_warning(const char *prog, const char *tenant, const char *what);

#endif
