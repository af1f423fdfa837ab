/* SPDX-License-Identifier: BSD-3-Clause */
/* STUB: replaced by the planner. */
#include "plan.h"
const char *tr_role_name(enum tr_role r)
{
	return r == TR_ROLE_PRIMARY ? "primary" : "secondary";
}
int tr_plan_build(struct tr_plan *out, const struct tr_config *cfg,
		  const struct tr_host_facts *facts, const struct tr_tenant *t,
		  enum tr_role role, unsigned member, const char *app,
		  char *const app_args[], int n_app_args, struct tr_error *err)
{
	(void)out; (void)cfg; (void)facts; (void)t; (void)role; (void)member;
	(void)app; (void)app_args; (void)n_app_args;
	return tr_err(err, EX_SOFTWARE, "planner not written yet");
}
void tr_plan_free(struct tr_plan *p) { (void)p; }
void tr_plan_print(const struct tr_plan *p, const struct tr_tenant *t, FILE *out)
{ (void)p; (void)t; (void)out; }
void tr_plan_print_json(const struct tr_plan *p, const struct tr_tenant *t, FILE *out)
{ (void)p; (void)t; (void)out; }
