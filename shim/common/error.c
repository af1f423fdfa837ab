/* SPDX-License-Identifier: BSD-3-Clause */
#include "common/error.h"

#include <stdio.h>
#include <string.h>

static int tr_verr(struct tr_error *err, int code, int errnum, const char *fmt,
		   va_list ap)
{
	if (err == NULL)
		return -1;
	err->code = code;
	err->sys_errno = errnum;
	err->where[0] = '\0';
	int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	if (errnum != 0 && n >= 0 && (size_t)n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - (size_t)n, ": %s",
			 strerror(errnum));
	return -1;
}

int tr_err(struct tr_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tr_verr(err, code, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int tr_err_at(struct tr_error *err, int code, const char *file, unsigned line,
	      unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tr_verr(err, code, 0, fmt, ap);
	va_end(ap);
	if (err)
		snprintf(err->where, sizeof(err->where), "%s:%u:%u", file, line, col);
	return -1;
}

int tr_err_sys(struct tr_error *err, int code, int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tr_verr(err, code, errnum, fmt, ap);
	va_end(ap);
	return -1;
}

int tr_err_wrap(struct tr_error *err, const char *fmt, ...)
{
	if (err == NULL)
		return -1;
	char prefix[TR_ERR_MSG_MAX];
	char old[TR_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
	return -1;
}

void tr_err_clear(struct tr_error *err)
{
	if (err == NULL)
		return;
	err->code = 0;
	err->sys_errno = 0;
	err->where[0] = '\0';
	err->msg[0] = '\0';
}
