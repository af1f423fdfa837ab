/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 2, resolve: what the file refers to outside itself.
 *  - NICs {env: PCIDEVICE_X}: the variable's comma-separated BDFs become
 *    PCI NICs (marked with the env entry's position);
 *  - PCI BDFs normalised to "dddd:bb:dd.f";
 *  - user/group names to uid/gid through the passwd/group database.
 * envp is the environment to read (NULL-terminated, like environ), so tests
 * pass their own. Problems go to diags.
 */
#ifndef TR_RESOLVE_H
#define TR_RESOLVE_H

#include "diag.h"
#include "model.h"

int tr_config_resolve(struct tr_config *cfg, char *const envp[],
		      struct tr_diags *diags);

#endif
