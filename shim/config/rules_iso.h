/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Validation rules for isolation, run by tr_config_validate with the others:
 *
 *   tr_rule_paths        runtimeRoot and hugepageDir: no newline or control
 *                        character, canonical (no "//", ".", "..", trailing
 *                        "/"), not a system directory (/, /bin, /boot, /dev,
 *                        /etc, /home, /lib*, /media, /mnt, /opt, /proc,
 *                        /root, /run, /sbin, /srv, /sys, /tmp, /usr, /var,
 *                        /var/{cache,lib,log,run,tmp,spool}, /run/{lock,user},
 *                        /dev/{shm,mqueue,pts}) nor inside one of /proc, /sys,
 *                        /boot, /etc, /usr, /bin, /sbin, /lib*, /root,
 *                        /dev/{pts,shm,mqueue}; the two not the same, the
 *                        runtimeRoot not inside the hugepageDir, the
 *                        hugepageDir not inside a tenant's runtime dir nor
 *                        the ledger; no tenant named after tenantrt's own
 *                        entries (TR_RESERVED_NAMES in common/layout.h).
 *   tr_rule_identity     `user:` resolving to uid 0 is a warning (one line
 *                        at the user: key); a uid in the dynamic range is a
 *                        warning; SYS_ADMIN in security.capabilities is an
 *                        error (it would undo the member's mount namespace).
 *   tr_rule_memory_sums  memory.socketMb must add up without wrapping.
 */
#ifndef TR_CONFIG_RULES_ISO_H
#define TR_CONFIG_RULES_ISO_H

#include "config/diag.h"
#include "config/model.h"

/* More MiB than any host has (1 EiB): sums stay far from wrapping. */
#define TR_MEMORY_MAX_MB (UINT64_C(1) << 40)

void tr_rule_paths(const struct tr_config *cfg, struct tr_diags *d);
void tr_rule_identity(const struct tr_config *cfg, struct tr_diags *d);
void tr_rule_memory_sums(const struct tr_config *cfg, struct tr_diags *d);

#endif
