/* SPDX-License-Identifier: BSD-3-Clause */
/* STUB: replaced by the parser. */
#include "config.h"
int tr_config_parse_buffer(struct tr_config *cfg, const char *file,
			   const char *buf, size_t len, struct tr_diags *diags)
{
	(void)cfg; (void)file; (void)buf; (void)len;
	tr_diag_err(diags, (struct tr_mark){0, 0}, "parser not written yet");
	return -1;
}
int tr_config_load(struct tr_config *cfg, const char *path,
		   struct tr_diags *diags, struct tr_error *err)
{
	(void)cfg; (void)path; (void)diags;
	return tr_err(err, EX_SOFTWARE, "parser not written yet");
}
