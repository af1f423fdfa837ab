/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Can the tenant's uid get to what it needs? A member runs as the tenant's
 * uid (its `user:`, else a dynamic uid: host/dynuid.h), and the kernel lets
 * it through a path only where it may search every directory on the way:
 * EAL makes <runtime dir>/dpdk/<tenant> and maps files in the hugetlbfs
 * dir, and the exec needs the app's dirs searchable and its file
 * executable. A runtimeRoot under a 0700 dir (`mktemp -d`, /root) would
 * otherwise fail late, in EAL:
 *   EAL: Error creating '<runtimeRoot>/<tenant>/dpdk': Permission denied
 * The shim checks after the plan and before admission (a refusal holds
 * nothing: no lease, no dir, no mount), and `tenantrt plan` refuses alike.
 *
 * What the member passes through, as the host has it:
 *  - runtimeRoot's ancestors, and runtimeRoot itself unless the member has
 *    a mount namespace of its own: there isolate/mountns.c covers
 *    runtimeRoot with a 0755 tmpfs holding the tenant's dir alone. The
 *    same for hugepageDir (nothing more to pass when it lies below
 *    runtimeRoot and the cover holds it). The tenant's own dirs are made
 *    its own, 0700, by the shim.
 *  - the app as the shim resolved it (host/elf.h: its real path): its dirs,
 *    then an exec bit of the tenant's class on the file.
 * A component missing yet is made 0755 by the shim's set-up: the walk stops
 * there.
 *
 * Whose bits count, as the kernel's generic permission check decides from
 * stat(): the owner's when st_uid is the tenant's uid, else the group's
 * when st_gid is its gid or one of its configured supplementaryGroups (the
 * shim sets exactly those, never root's), else the others'. POSIX ACLs are
 * not read: a dir that lets the uid through by a named ACL entry alone is
 * refused here (give it o+x, or a user: in its group). A tenant that keeps
 * CAP_DAC_READ_SEARCH or CAP_DAC_OVERRIDE passes every dir, and with
 * CAP_DAC_OVERRIDE executes any file with an exec bit; uid 0 is not
 * checked.
 */
#ifndef TR_HOST_REACH_H
#define TR_HOST_REACH_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/error.h"
#include "config/diag.h"
#include "config/model.h"
#include "plan/plan.h"

/* Whose permission bits of a file decide for the tenant. */
enum tr_reach_class {
	TR_REACH_OWNER,
	TR_REACH_GROUP,
	TR_REACH_OTHER,
};

/* The credentials the member execs with. */
struct tr_reach_who {
	uid_t uid;
	gid_t gid;
	const gid_t *supp;         /* its supplementary groups (may be NULL) */
	unsigned n_supp;
	bool dac_read_search;      /* keeps CAP_DAC_READ_SEARCH */
	bool dac_override;         /* keeps CAP_DAC_OVERRIDE */
};

/* The credentials of a plan's member. */
void tr_reach_who_of(struct tr_reach_who *who, const struct tr_isolation *iso);

/*
 * Pure: may who search (mode is a dir's) or execute (any other file) what
 * has mode, owner and group? *cls (may be NULL) gets the class whose bits
 * decided.
 */
bool tr_reach_allows(const struct tr_reach_who *who, mode_t mode, uid_t owner,
		     gid_t group, enum tr_reach_class *cls);

/* The component of a path that stops the tenant. */
struct tr_reach_block {
	char path[4096];
	mode_t mode;
	uid_t owner;
	gid_t group;
	enum tr_reach_class cls;
};

/*
 * stat() "/", then each prefix of the absolute path down to its parent,
 * and path itself when whole: 0 when who passes each (or a component does
 * not exist yet, or cannot be stat'ed: set-up says why then), 1 with *b
 * naming the first that stops it.
 */
int tr_reach_walk(const char *path, bool whole, const struct tr_reach_who *who,
		  struct tr_reach_block *b);

/*
 * The shim's check of a plan before admission (and `tenantrt plan`'s):
 * the dirs above the member's runtime and hugetlbfs dirs, and the app at
 * app_path (NULL: not checked). 0, or -1 with EX_CONFIG and one line:
 *   runtimeRoot /tmp/x/run: uid 60600 cannot reach it: /tmp/x is 0700
 *   root:root; make it searchable (chmod o+x /tmp/x) or choose another
 *   runtimeRoot
 */
int tr_reach_check(const struct tr_isolation *iso, const char *app_path,
		   struct tr_error *err);

/*
 * `tenantrt validate`'s early word on what the shim would refuse: a
 * warning at host.runtimeRoot (host.hugepageDir) when a tenant that does
 * not run as root cannot pass one of its ancestors. A dynamic uid is not
 * picked yet: it owns nothing and is in no group, so the others' bits
 * decide.
 */
void tr_reach_warn(const struct tr_config *cfg, struct tr_diags *d);

#endif
