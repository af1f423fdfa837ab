/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where tenantrt keeps its own things under a runtimeRoot (DPDK's files
 * are common/dpdkfs.h's):
 *
 *   <runtimeRoot>/.ledger/          root's records, mode 0700 (host/ledger.h):
 *     lock, <tenant>.<member>.lease the ledger's lock and leases
 *     <tenant>.uid                  the tenant's dynamic uid (host/dynuid.h)
 *     <tenant>.group                the group record (host/manifest.h)
 *     <tenant>.netns                its network record (host/netrec.h)
 *     netns/<tenant>[.user]         its netns and user ns pins
 *   <runtimeRoot>/<tenant>/         the tenant's RUNTIME_DIRECTORY: its own
 *                                   tmpfs (size- and inode-limited), owned
 *                                   by the tenant's uid, mode 0700
 *     tenantrt/                     libtenantrt's stats (tenantrt_proto.h)
 *   <hugepageDir>/<tenant>/         the tenant's hugetlbfs
 *     (default hugepageDir: <runtimeRoot>/hugepages)
 *
 * Nothing the shim reads back to decide anything lives in a dir a tenant
 * can write: the tenant's app owns <runtimeRoot>/<tenant> and its
 * hugetlbfs, root owns the rest.
 */
#ifndef TR_COMMON_LAYOUT_H
#define TR_COMMON_LAYOUT_H

#define TR_LEDGER_DIR ".ledger"
#define TR_NETREC_SUFFIX ".netns"
#define TR_NETNS_PIN_DIR "netns"
#define TR_DEFAULT_HUGEPAGE_SUBDIR "hugepages"
/* Before the group record moved to the ledger it lived in the runtime
 * dir; reclaim still removes a leftover of that name. */
#define TR_MANIFEST_NAME "tenantrt-manifest"
#define TR_GROUP_RECORD_SUFFIX ".group"
#define TR_UID_RECORD_SUFFIX ".uid"

/*
 * Entries of a runtimeRoot that are tenantrt's own: a tenant of that name
 * would share or shadow them, so validation refuses it (besides the first
 * component of a hugepageDir inside the runtimeRoot, which validation
 * works out from the config).
 */
#define TR_RESERVED_NAMES { TR_LEDGER_DIR, TR_DEFAULT_HUGEPAGE_SUBDIR }

/*
 * The tenant's runtime dir is a tmpfs of its own, so one tenant filling its
 * dir or its inodes cannot starve another (measured on 2 MiB pages, one
 * NUMA node: a primary uses 1.8 MiB and 13 inodes, each secondary 1.6 MiB
 * and 5 inodes; a kill -9'd secondary leaves its 1.5 MiB until its shim
 * clears them). 16 MiB holds a primary, about 7 live secondaries and some
 * leftovers. A DPDK member whose runtime dir is full dies of SIGBUS
 * (exit 135) when it first touches its memseg list: the shim checks the
 * free space before it starts one, and explains a 135.
 */
#define TR_RUNDIR_TMPFS_BYTES (16u << 20)
#define TR_RUNDIR_TMPFS_INODES 1024u
/* What one more member needs there, at least (a primary's 1.8 MiB). */
#define TR_RUNDIR_MEMBER_BYTES (2u << 20)
/* hugetlbfs nr_inodes = quota pages + this (the root dir, a few spare):
 * DPDK makes one file per page (one per memseg list with
 * --single-file-segments). */
#define TR_HUGEFS_SPARE_INODES 8u

/*
 * Dynamic uids (a tenant without `user:`, like systemd's DynamicUser=):
 * 60600-61099, inside the gap systemd leaves unused between the host users
 * it maps into containers (60514-60577) and its own DynamicUser= range
 * (61184-65519): above adduser's 59999, below 65534 (nobody), so it also
 * fits a container's 65536-uid map. The gid is the same number. Give no
 * `user:` from this range.
 */
#define TR_DYNUID_MIN 60600u
#define TR_DYNUID_MAX 61099u

#endif
