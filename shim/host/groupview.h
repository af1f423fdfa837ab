/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a running group is, beyond its device list: the part of its record
 * (host/manifest.h) a secondary must match, so that a tenants.yaml edited
 * under a running group never reaches a member's EAL. DPDK checks none of
 * it: a secondary silently takes the primary's --single-file-segments and
 * --legacy-mem, accepts lcore ids the primary uses (per-lcore mempool
 * caches are then corrupted), and in another mount namespace maps its
 * pages from ordinary files it creates in a dir that is no hugetlbfs there
 * (it fails in EAL and leaves them, 2 MiB each).
 *
 *   memory flags    the group-wide ones (all but -m, --socket-mem,
 *                   --socket-limit and --huge-dir, which are the
 *                   primary's or checked apart) must be the record's;
 *                   singleFileSegments named on its own
 *   lcore layout    lcores.perPrimary/perSecondary must be the record's:
 *                   the ids come from them
 *   the group's     the runtime dir and the hugetlbfs this shim sees must
 *   view            be the primary's: the same device and inode as the
 *                   primary's shim recorded. A member in another mount
 *                   namespace that has the group's mounts (a per-member
 *                   namespace, a pod's shared volumes) sees the same ones.
 *
 * Each mismatch is a one-line refusal (EX_UNAVAILABLE) before EAL runs.
 */
#ifndef TR_HOST_GROUPVIEW_H
#define TR_HOST_GROUPVIEW_H

#include <stdbool.h>
#include <stdio.h>

#include "common/error.h"
#include "plan/plan.h"

struct tr_manifest;

/* A file as the kernel knows it: st_dev, st_ino. */
struct tr_fs_id {
	bool set;
	unsigned long long dev, ino;
};

/* The layout from plan p, and the view (its runtime dir and hugepage dir
 * as this process sees them) into m. */
void tr_group_view_of_plan(struct tr_manifest *m, const struct tr_plan *p);

/* The record's lines ("lcores_per_primary=2", "huge_fs=40:1", ...), and
 * one read back (keys it does not know are ignored). */
void tr_group_view_write(const struct tr_manifest *m, FILE *f);
void tr_group_view_read(struct tr_manifest *m, const char *key, const char *value);

/* Does this process see the running group's runtime dir (run_dir, the
 * tenant's; the record keeps its identity, not its path) and hugetlbfs as
 * its record rec has them? 0 when it does; -1 with the mount-namespace
 * refusal. For a secondary that cannot see its primary's DPDK lock. */
int tr_group_view_seen(const struct tr_manifest *rec, const char *run_dir,
		       struct tr_error *err);

/* May the secondary mine join the group whose record is primary? */
int tr_group_view_check(const struct tr_manifest *primary, const struct tr_manifest *mine,
			struct tr_error *err);

#endif
