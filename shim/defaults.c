/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>

#include "cmd.h"

const char *tr_default_config_path(void)
{
	const char *env = getenv("TENANTRT_CONFIG");
	return env && *env ? env : "/etc/tenantrt/tenants.yaml";
}
