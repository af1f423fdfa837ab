/* SPDX-License-Identifier: BSD-3-Clause */
/* STUB: replaced by its owner. */
#include <stdio.h>
#include <sysexits.h>
#include "cmd.h"
int tr_cmd_plan(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "tenantrt plan: not written yet\n");
	return EX_SOFTWARE;
}
