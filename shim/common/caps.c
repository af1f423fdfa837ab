/* SPDX-License-Identifier: BSD-3-Clause */
#include "common/caps.h"

#include <ctype.h>
#include <stdio.h>
#include <sys/capability.h>

void tr_caps_format(uint64_t mask, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int c = 0; c < 64; c++) {
		if (!(mask & (UINT64_C(1) << c)))
			continue;
		char *name = cap_to_name(c);
		int n = snprintf(buf + off, len - off, "%s%s", off > 0 ? "," : "",
				 name != NULL ? name : "?");
		cap_free(name);
		if (n < 0 || (size_t)n >= len - off)
			return;
		off += (size_t)n;
	}
	if (off == 0)
		snprintf(buf, len, "none");
}

void tr_caps_format_upper(uint64_t mask, char *buf, size_t len)
{
	tr_caps_format(mask, buf, len);
	if (mask == 0)
		return;
	for (char *c = buf; *c; c++)
		*c = *c == ',' ? ' ' : (char)toupper((unsigned char)*c);
}
