/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The group record: what a primary's shim records at admission, so each
 * secondary's shim can check it joins the same group in a compatible way
 * before EAL runs. DPDK only compares version strings; a secondary with
 * another device list panics ("Cannot allocate ethdev shared data") and
 * another binary breaks function pointers in shared memory.
 *
 * It lives where only root writes: <runtimeRoot>/.ledger/<tenant>.group
 * (0600 in a 0700 dir), never in the tenant's runtime dir, whose app could
 * rewrite it for the next secondary. It is read with O_NOFOLLOW|O_NONBLOCK,
 * and what a secondary adopts from it (its device list) passes the same
 * rules as tenants.yaml (plan.c: plan_nics). Reclaim removes it.
 *
 * Format: "key=value" lines, repeated keys for lists, in argv order.
 */
#ifndef TR_HOST_MANIFEST_H
#define TR_HOST_MANIFEST_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/error.h"
#include "host/elf.h"
#include "host/groupview.h"
#include "plan/plan.h"

#define TR_MANIFEST_MAX_ARGS 64

struct tr_manifest {
	pid_t primary_shim_pid;
	char binary[4096];
	char build_id[TR_ELF_BUILD_ID_MAX];
	char dpdk_abi[TR_ELF_ABI_MAX];
	char huge_dir[4096];
	bool huge_mounted;
	bool run_mounted;                      /* the runtime dir's tmpfs */
	unsigned n_devices;
	char *devices[TR_MANIFEST_MAX_ARGS];   /* "-a", "0000:..", "--no-pci", ... */
	unsigned n_mem;
	char *mem[TR_MANIFEST_MAX_ARGS];       /* "-m", "64", "--socket-limit", ... */
	/* The group's layout and view (host/groupview.h). */
	unsigned per_primary, per_secondary;   /* lcores.perPrimary/perSecondary */
	char lcores[256];                      /* the member's lcore ids, "0,1" */
	struct tr_fs_id run_id, huge_id;       /* its runtime dir and hugetlbfs */
	char run_dir[4096];                    /* (not recorded: the lease has it) */
};

/* Split the plan's EAL args into the device list and the memory flags. */
int tr_manifest_from_plan(struct tr_manifest *m, const struct tr_plan *p,
			  const struct tr_elf_info *elf, bool huge_mounted,
			  bool run_mounted, struct tr_error *err);
int tr_manifest_write(const struct tr_manifest *m, const char *ledger_dir,
		      const char *tenant, struct tr_error *err);
int tr_manifest_read(struct tr_manifest *m, const char *ledger_dir,
		     const char *tenant, struct tr_error *err);
void tr_manifest_free(struct tr_manifest *m);

/*
 * May this secondary (its own manifest, from its plan and binary) join the
 * primary's group? Refusals are -1 with EX_UNAVAILABLE. A foreign binary
 * that the tenant allows sets *foreign (the caller warns).
 */
int tr_manifest_check(const struct tr_manifest *primary,
		      const struct tr_manifest *mine, bool allow_foreign,
		      bool *foreign, struct tr_error *err);

/*
 * The group stage, after the tenant's dirs exist: a primary writes its
 * record (mine, from its plan and binary); a secondary checks that it fits
 * the primary's (theirs, NULL when there is none) and takes the primary's
 * "mounted" flags into *huge_mounted and *run_mounted, so the last member
 * to leave unmounts
 * what the primary mounted. *foreign is set when the tenant allows a
 * binary other than the primary's to join (the caller warns).
 */
int tr_manifest_settle(const struct tr_plan *p, const struct tr_elf_info *elf,
		       const struct tr_manifest *theirs, bool allow_foreign,
		       bool *huge_mounted, bool *run_mounted, bool *foreign,
		       struct tr_error *err);

#endif
