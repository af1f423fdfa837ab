/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a hugetlbfs holds: is a dir one, with which size= limit, and how
 * many pages its files use. Read by admission (the quota's free pool),
 * `tenantrt status`, and the tenant fs set-up.
 */
#ifndef TR_HOST_HUGEFS_H
#define TR_HOST_HUGEFS_H

#include <stdbool.h>
#include <stdint.h>

/* Is dir on a hugetlbfs? *bsize (page size) and *blocks (size= in pages,
 * 0 without size=) may be NULL. */
bool tr_hugefs_is(const char *dir, uint64_t *bsize, uint64_t *blocks);

/* Is dir a hugetlbfs mountpoint with a size= limit? *limit_pages gets it. */
bool tr_hugefs_size_limit(const char *dir, uint64_t *limit_pages);

/*
 * Hugepages in use under huge_dir. A mount with size= answers in one
 * statfs; otherwise (hugetlbfs without size= reports no usage, e.g. one
 * provided from outside) the allocated size of its files is summed, over
 * at most max_files entries (a tenant's dir holds one file per page it
 * uses: its quota and a few): past that the walk stops, *complete (may be
 * NULL) is false and the count is a lower bound, so a tenant flooding its
 * dir with empty files slows no one's admission.
 */
#define TR_HUGEFS_WALK_SPARE 64
uint64_t tr_hugefs_used_pages(const char *huge_dir, uint64_t page_bytes,
			      uint64_t max_files, bool *complete);

#endif
