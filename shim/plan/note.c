/* SPDX-License-Identifier: BSD-3-Clause */
/* The plan's notes (plan/plan.h): a leaf, so that the planner and
 * netplan.c both write them without calling each other. */
#include <stdarg.h>
#include <stdio.h>

#include "plan/plan.h"

void tr_plan_note(struct tr_plan *p, const char *fmt, ...)
{
	if (p->n_notes >= TR_PLAN_MAX_NOTES)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->notes[p->n_notes++], sizeof(p->notes[0]), fmt, ap);
	va_end(ap);
}
