/* SPDX-License-Identifier: BSD-3-Clause */
/* What `tenantrt status` and `tenantrt reap` share. */
#ifndef TR_CMD_ROOT_H
#define TR_CMD_ROOT_H

#include <stddef.h>

/* The runtimeRoot: root_opt (--runtime-root) if set, else the host section
 * of the config (config, else the default path). Only parses the file: a
 * config that no longer validates must not stop a status or a reap.
 * Returns 0, or an exit status after printing why. */
int tr_cmd_runtime_root(const char *cmd, const char *config, const char *root_opt,
			char *out, size_t len);

#endif
