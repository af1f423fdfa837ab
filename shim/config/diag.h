/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Diagnostics of a tenants.yaml: every problem found, not only the first.
 * Each prints as one line:
 *   FILE:LINE:COL: tenant "x": what is wrong
 *   FILE:LINE:COL: host: what is wrong
 *   FILE: what is wrong                      (no position, e.g. empty file)
 * The context ("tenant \"x\": ") is part of msg, written by the rule.
 */
#ifndef TR_CONFIG_DIAG_H
#define TR_CONFIG_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "config/model.h"

enum tr_severity {
	TR_DIAG_ERROR = 0,
	TR_DIAG_WARNING = 1,
};

struct tr_diag {
	enum tr_severity severity;
	struct tr_mark mark;
	char *msg;
};

#define TR_DIAG_MAX 200   /* more than this is one "too many problems" line */

struct tr_diags {
	const char *file;      /* not owned */
	unsigned n;
	unsigned n_errors;
	bool truncated;
	struct tr_diag items[TR_DIAG_MAX];
};

void tr_diags_init(struct tr_diags *d, const char *file);
void tr_diag_add(struct tr_diags *d, enum tr_severity sev, struct tr_mark mark,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Shorthands for errors and warnings. */
#define tr_diag_err(d, ...) tr_diag_add((d), TR_DIAG_ERROR, __VA_ARGS__)
#define tr_diag_warn(d, ...) tr_diag_add((d), TR_DIAG_WARNING, __VA_ARGS__)
/*
 * A value from the file (or the environment) as it may stand between quotes
 * in a one-line message: quotes and backslashes escaped, control bytes as
 * \xNN, and after TR_SHOW_MAX characters "...". Returns buf; TR_SHOW_LEN
 * holds any value.
 */
#define TR_SHOW_MAX 64
#define TR_SHOW_LEN (TR_SHOW_MAX * 4 + 8)
const char *tr_diag_show(const char *s, char *buf, size_t len);
/* The same into a buffer that lasts as long as the enclosing block. */
#define TR_SHOW(s) tr_diag_show((s), (char[TR_SHOW_LEN]){ 0 }, TR_SHOW_LEN)

/* Sort by position, print one line each ("warning: " before warnings). */
void tr_diags_print(const struct tr_diags *d, FILE *out);
/* The same for one tenant's member (`tenantrt plan --tenant T`, the shim):
 * every error, and only the warnings about T or the host, not the other
 * tenants'. */
void tr_diags_print_for(const struct tr_diags *d, const char *tenant, FILE *out);
/* Format item i as its printed line (without newline) into buf. */
void tr_diag_format(const struct tr_diags *d, unsigned i, char *buf, size_t len);
void tr_diags_free(struct tr_diags *d);

#endif
