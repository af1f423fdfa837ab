/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 2, resolve: what the file refers to outside itself.
 *  - NICs {env: PCIDEVICE_X}: the variable's comma-separated BDFs become
 *    PCI NICs (marked with the env entry's position);
 *  - PCI BDFs normalised to "dddd:bb:dd.f" (config/pciaddr.h);
 *  - user/group names to uid/gid through the passwd/group database.
 * envp is the environment to read (NULL-terminated, like environ), so tests
 * pass their own. Problems go to diags.
 */
#ifndef TR_CONFIG_RESOLVE_H
#define TR_CONFIG_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "config/diag.h"
#include "config/model.h"

int tr_config_resolve(struct tr_config *cfg, char *const envp[],
		      struct tr_diags *diags);

/*
 * What one shim needs: resolve only tenant `only` (NULL: all). Other
 * tenants' {env:} NICs stay unexpanded (validation skips them) and their
 * users unresolved: in a pod, another tenant's device-plugin variable and
 * user are not in this container. With keep_unset_env, an unset variable of
 * `only` is no error: a secondary takes its devices from the primary's
 * group manifest (the device plugin sets PCIDEVICE_* only in the container
 * that requested the resource). tr_nic_env_unresolved finds such an entry.
 */
int tr_config_resolve_tenant(struct tr_config *cfg, const char *only,
			     char *const envp[], bool keep_unset_env,
			     struct tr_diags *diags);
const struct tr_nic *tr_nic_env_unresolved(const struct tr_tenant *t);

#endif
