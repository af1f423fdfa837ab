/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control plane's error contract (shim/ and the tenantrt CLI).
 *
 * A function that can fail takes a `struct tr_error *err` as its last
 * parameter and returns a negative value (normally -1) after filling it with
 * tr_err(). Callers add context on the way up with tr_err_wrap(), which
 * prefixes the message ("admit: " + "NIC ... is held by ..."). Only main()
 * and the supervisor print an error and exit, with err->code as the exit
 * status (sysexits.h).
 *
 * Messages are one line, say what and where, and what to do next.
 */
#ifndef TR_COMMON_ERROR_H
#define TR_COMMON_ERROR_H

#include <stdarg.h>
#include <sysexits.h>

#define TR_ERR_MSG_MAX 1024

struct tr_error {
	int code;                  /* a sysexits code, 0 when unset */
	int sys_errno;             /* errno at the failure, 0 if none */
	char msg[TR_ERR_MSG_MAX];
};

/* Fill err (if not NULL) with code and a formatted message; returns -1. */
int tr_err(struct tr_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* As tr_err, appending ": strerror(errnum)". */
int tr_err_sys(struct tr_error *err, int code, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Prefix context to an existing error ("ctx: old message"); returns -1. */
int tr_err_wrap(struct tr_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reset to "no error". */
void tr_err_clear(struct tr_error *err);

#endif
