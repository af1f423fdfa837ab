/* SPDX-License-Identifier: BSD-3-Clause */
#include "common/timing.h"

#include <stdio.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/fsutil.h"

void tr_timing_start(struct tr_timing *tm, const char *env)
{
	memset(tm, 0, sizeof(*tm));
	tm->on = env && *env && strcmp(env, "0") != 0;
	tr_timing_mark(tm, "main");
}

void tr_timing_mark(struct tr_timing *tm, const char *label)
{
	if (!tm->on || tm->n >= TR_ARRAY_SIZE(tm->t))
		return;
	tm->label[tm->n] = label;
	tm->t[tm->n++] = tr_now_s();
}

void tr_timing_print(const struct tr_timing *tm, const char *prog)
{
	if (!tm->on || tm->n < 2)
		return;
	char buf[512];
	size_t k = 0;
	for (unsigned i = 1; i < tm->n && k < sizeof(buf); i++)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, " %s %.0f", tm->label[i],
				      (tm->t[i] - tm->t[i - 1]) * 1e6);
	fprintf(stderr, "%s: timing (usec):%s; main to app exec %.0f\n", prog, buf,
		(tm->t[tm->n - 1] - tm->t[0]) * 1e6);
}
