/* SPDX-License-Identifier: BSD-3-Clause */
/* Default: no extra status columns (see status_extra.h for the hook). */
#include "status_extra.h"

void tr_status_extra_header(FILE *out)
{
	(void)out;
}

void tr_status_extra_member(const struct tr_lease *l, bool json, FILE *out)
{
	(void)l;
	(void)json;
	(void)out;
}
