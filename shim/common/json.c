/* SPDX-License-Identifier: BSD-3-Clause */
#include "common/json.h"

void tr_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		switch (*c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		default:
			if (*c < 0x20 || *c == 0x7f)
				fprintf(out, "\\u%04x", *c);
			else
				fputc(*c, out);
		}
	}
	fputc('"', out);
}

void tr_json_str_array(FILE *out, char *const *v, int from, int to)
{
	fputc('[', out);
	for (int i = from; i < to; i++) {
		if (i > from)
			fputs(", ", out);
		tr_json_str(out, v[i]);
	}
	fputc(']', out);
}
