/* SPDX-License-Identifier: BSD-3-Clause */
/* JSON output for `tenantrt plan --json` and `tenantrt status --json`. */
#ifndef TR_COMMON_JSON_H
#define TR_COMMON_JSON_H

#include <stdio.h>

/* s as a JSON string, quotes included; control bytes escaped. */
void tr_json_str(FILE *out, const char *s);

/* v[from..to) as a JSON array of strings. */
void tr_json_str_array(FILE *out, char *const *v, int from, int to);

#endif
