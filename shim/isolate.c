/* SPDX-License-Identifier: BSD-3-Clause */
/* STUB: replaced by the isolation work. */
#include "isolate.h"
int tr_isolate_tenant_setup(const struct tr_plan *p, const char *tenant,
			    struct tr_error *err)
{
	(void)p; (void)tenant; (void)err;
	return 0;
}
int tr_isolate_child(const struct tr_plan *p, const char *tenant,
		     struct tr_error *err)
{
	(void)p; (void)tenant; (void)err;
	return 0;
}
int tr_isolate_tenant_teardown(const char *tenant, struct tr_error *err)
{
	(void)tenant; (void)err;
	return 0;
}
bool tr_isolate_quota_is_hard(const char *tenant)
{
	(void)tenant;
	return false;
}
