/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Dynamic uids: a tenant without `user:` runs as a uid/gid of its own,
 * allocated like systemd's DynamicUser= from TR_DYNUID_MIN..TR_DYNUID_MAX
 * (common/layout.h says why that range), so no tenant runs as host root
 * unless its config says `user: root`.
 *
 * Recorded in the ledger (root's, 0700) as <ledger>/<tenant>.uid:
 *   uid=60712  state=live|released  since=<unix time>  root=<runtimeRoot>
 *   clean=1    (released after the whole tenant was reclaimed)
 * The gid is the same number.
 *
 * The uid of a tenant is, in this order of preference:
 *   1. the uid of its live record (its group is running: every member of
 *      a group shares the uid that owns the group's files);
 *   2. the uid it had last time (a released record), so it keeps its uid
 *      across restarts while nobody else took it;
 *   3. a hash of (runtimeRoot, tenant) into the range, then the next ones,
 *      in order (deterministic: the same host state gives the same uid,
 *      so `tenantrt plan` shows the uid that will run).
 * A candidate is free when no other tenant's record holds it live, no
 * other tenant's lease (live or stale) names it, the user and group
 * databases have no entry with that number, and no process runs with it
 * (real, effective, saved or fs uid or gid).
 *
 * The process check is a pass over /proc (0.8 ms on a quiet host), so it
 * is skipped for a uid that every record naming it gives back clean: a
 * tenant reclaimed whole had each member's cgroup killed and removed, and
 * a tenant's processes cannot leave their cgroup, so none of them runs
 * with it. That is the common case: a tenant restarting gets the uid it
 * had. A first start, or a uid an orphan sweep released, is checked.
 * The user and group databases are read as files when nsswitch.conf
 * names only files (and systemd's module, whose own ranges lie outside
 * ours): loading NSS modules costs 0.5 ms.
 *
 * A record turns live at the admission of the tenant's first member and
 * is released when the tenant is reclaimed (its mounts are gone, so
 * nothing of the host stays owned by the uid; its SysV/POSIX IPC objects
 * lived in the members' own IPC namespaces). A live record whose tenant
 * has no lease left (a shim killed between the two writes) is released by
 * the next sweep.
 */
#ifndef TR_HOST_DYNUID_H
#define TR_HOST_DYNUID_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/error.h"
#include "common/layout.h"
#include "host/lease.h"

struct tr_uid_record {
	uid_t uid;
	bool live;
	bool clean;   /* released after a whole reclaim */
	long long since;
};

/* 0 and *r, 1 when the tenant has no record, -1 when it is unreadable. */
int tr_dynuid_record_read(const char *ledger_dir, const char *tenant,
			  struct tr_uid_record *r);

#define TR_DYNUID_RANGE (TR_DYNUID_MAX - TR_DYNUID_MIN + 1)

/* Is uid taken on this host outside tenantrt's records (a user or group
 * entry, a process)? procs_free: the records tell that no process runs
 * with it (above). Production: tr_dynuid_host_taken with a zeroed struct
 * tr_host_uids as ctx (at most one pass over /proc, one database lookup
 * a uid); tests give their own. */
typedef bool (*tr_uid_taken_fn)(uid_t uid, bool procs_free, void *ctx);
struct tr_host_uids {
	bool scanned;
	unsigned char bits[(TR_DYNUID_RANGE + 7) / 8];
	uid_t db_uid;        /* the last database lookup, and its answer */
	bool db_checked, db_taken;
};
bool tr_dynuid_host_taken(uid_t uid, bool procs_free, void *ctx);

/* Does the "db:" line of an nsswitch.conf text name only files (and
 * systemd)? Then the databases are read as files. */
bool tr_nsswitch_files_only(const char *conf, const char *db);

/*
 * The tenant's uid as described above. ledger_dir may name a ledger that
 * does not exist yet (no record). v/n: the ledger's leases (may be empty).
 * -1 with EX_UNAVAILABLE when the whole range is taken.
 */
int tr_dynuid_pick(const char *ledger_dir, const char *runtime_root,
		   const char *tenant, const struct tr_lease *v, unsigned n,
		   tr_uid_taken_fn taken, void *ctx, uid_t *out,
		   struct tr_error *err);

/* With the ledger locked: make uid the tenant's live record. */
int tr_dynuid_record_live(const char *ledger_dir, const char *runtime_root,
			  const char *tenant, uid_t uid, struct tr_error *err);

/* With the ledger locked: hand the tenant's uid back (record released);
 * clean when the whole tenant was reclaimed (its cgroups are gone). */
void tr_dynuid_release(const char *ledger_dir, const char *tenant, bool clean);

/* With the ledger locked: release the live records of tenants that have no
 * lease in v (whatever their state). */
void tr_dynuid_sweep(const char *ledger_dir, const struct tr_lease *v,
		     unsigned n);

/* The first candidate of (runtimeRoot, tenant): step 3's hash. */
uid_t tr_dynuid_hash(const char *runtime_root, const char *tenant);

static inline bool tr_dynuid_in_range(uid_t uid)
{
	return uid >= TR_DYNUID_MIN && uid <= TR_DYNUID_MAX;
}

#endif
