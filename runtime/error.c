/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The library's error contract (tenantrt.h): a failing call sets rte_errno
 * and keeps one line saying what and where, for tr_strerror().
 */
#include <stdarg.h>
#include <stdio.h>

#include <rte_errno.h>

#include "tr_rt.h"

static char last_error[512];

int tr__fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	rte_errno = err;
	return -1;
}

void tr__error_clear(void)
{
	last_error[0] = '\0';
}

const char *tr_strerror(void)
{
	return last_error;
}
