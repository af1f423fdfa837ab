/* SPDX-License-Identifier: BSD-3-Clause */
/* STUB: replaced by the resolver. */
#include "resolve.h"
int tr_config_resolve(struct tr_config *cfg, char *const envp[],
		      struct tr_diags *diags)
{
	(void)cfg; (void)envp; (void)diags;
	return 0;
}
