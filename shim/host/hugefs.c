/* SPDX-License-Identifier: BSD-3-Clause */
#include "host/hugefs.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "common/cleanup.h"
#include "common/fsutil.h"

bool tr_hugefs_is(const char *dir, uint64_t *bsize, uint64_t *blocks)
{
	struct statfs sf;
	if (statfs(dir, &sf) < 0 || sf.f_type != HUGETLBFS_MAGIC)
		return false;
	if (bsize)
		*bsize = (uint64_t)sf.f_bsize;
	if (blocks)
		*blocks = (uint64_t)sf.f_blocks;
	return true;
}

bool tr_hugefs_size_limit(const char *dir, uint64_t *limit_pages)
{
	uint64_t blocks = 0;
	/* hugetlbfs reports f_blocks only when mounted with size=. */
	if (!tr_hugefs_is(dir, NULL, &blocks) || blocks == 0 || !tr_is_mountpoint(dir))
		return false;
	if (limit_pages)
		*limit_pages = blocks;
	return true;
}

uint64_t tr_hugefs_used_pages(const char *huge_dir, uint64_t page_bytes,
			      uint64_t max_files, bool *complete)
{
	if (complete)
		*complete = true;
	if (huge_dir == NULL || *huge_dir == '\0' || page_bytes == 0)
		return 0;
	struct statfs sf;
	if (tr_hugefs_size_limit(huge_dir, NULL) && statfs(huge_dir, &sf) == 0 &&
	    (uint64_t)sf.f_bsize == page_bytes)
		return (uint64_t)(sf.f_blocks - sf.f_bfree);
	/* The tenant writes this dir: a flood of empty files must not make
	 * the reader (admission, under the ledger lock) slow. getdents64 in
	 * small reads: readdir() would size its buffer by the hugetlbfs's
	 * block size and fetch 32,768 entries in one 1 MiB call. */
	_cleanup_close_ int fd = open(huge_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	uint64_t pages = 0, seen = 0;
	char buf[4096] __attribute__((aligned(8)));
	ssize_t n;
	while ((n = getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			const struct dirent64 *de = (const struct dirent64 *)(buf + off);
			off += de->d_reclen;
			if (++seen > max_files) {
				if (complete)
					*complete = false;
				return pages;
			}
			struct stat st;
			if (de->d_type != DT_REG && de->d_type != DT_UNKNOWN)
				continue;
			if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
			    !S_ISREG(st.st_mode))
				continue;
			uint64_t bytes = (uint64_t)st.st_blocks * 512;
			pages += (bytes + page_bytes - 1) / page_bytes;
		}
	}
	return pages;
}
