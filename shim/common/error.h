/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control plane's error contract (shim/ and the tenantrt CLI).
 *
 * A function that can fail takes a `struct tr_error *err` as its last
 * parameter and returns a negative value (normally -1) after filling it with
 * tr_err(). The leaf states the fact ("NIC iface=x is held by tenant "b"
 * (pid 7); ...") and what to do next, not whose it is: the program says
 * which tenant once, when common/report.c turns the error into its one
 * line and err->code into the exit status (common/exits.h). A stage adds
 * context with tr_err_wrap() only where the fact alone would not say what
 * failed. An error that points into tenants.yaml carries its position
 * (tr_err_at), printed first, as diagnostics are: FILE:LINE:COL.
 *
 * Only main() and the supervisor print and exit.
 */
#ifndef TR_COMMON_ERROR_H
#define TR_COMMON_ERROR_H

#include <stdarg.h>
#include <sysexits.h>

#define TR_ERR_MSG_MAX 1024

struct tr_error {
	int code;                  /* a sysexits code, 0 when unset */
	int sys_errno;             /* errno at the failure, 0 if none */
	char where[512];           /* "FILE:LINE:COL" in tenants.yaml, or "" */
	char msg[TR_ERR_MSG_MAX];
};

/* Fill err (if not NULL) with code and a formatted message; returns -1. */
int tr_err(struct tr_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* As tr_err, for a fact at line:col of file (tenants.yaml). */
int tr_err_at(struct tr_error *err, int code, const char *file, unsigned line,
	      unsigned col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* As tr_err, appending ": strerror(errnum)". */
int tr_err_sys(struct tr_error *err, int code, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Prefix context to an existing error ("ctx: old message"); returns -1. */
int tr_err_wrap(struct tr_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reset to "no error". */
void tr_err_clear(struct tr_error *err);

#endif
