/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where tenantrt keeps its own things under a runtimeRoot (DPDK's files
 * are common/dpdkfs.h's):
 *
 *   <runtimeRoot>/.ledger/          root's records (host/ledger.h)
 *     <tenant>.netns                its network record (host/netrec.h)
 *     netns/<tenant>[.user]         its netns and user ns pins
 *   <runtimeRoot>/<tenant>/         the tenant's RUNTIME_DIRECTORY
 *     tenantrt-manifest             the group record (host/manifest.h)
 *     tenantrt/                     libtenantrt's stats (tenantrt_proto.h)
 *   <hugepageDir>/<tenant>/         the tenant's hugetlbfs
 *     (default hugepageDir: <runtimeRoot>/hugepages)
 */
#ifndef TR_COMMON_LAYOUT_H
#define TR_COMMON_LAYOUT_H

#define TR_LEDGER_DIR ".ledger"
#define TR_NETREC_SUFFIX ".netns"
#define TR_NETNS_PIN_DIR "netns"
#define TR_DEFAULT_HUGEPAGE_SUBDIR "hugepages"
#define TR_MANIFEST_NAME "tenantrt-manifest"

#endif
