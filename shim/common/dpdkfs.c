/* SPDX-License-Identifier: BSD-3-Clause */
#include "common/dpdkfs.h"

#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "common/cleanup.h"

void tr_dpdk_path(const char *runtime_dir, const char *prefix,
		  const char *name, char *buf, size_t len)
{
	if (name)
		snprintf(buf, len, "%s/" TR_DPDK_SUBDIR "/%s/%s", runtime_dir, prefix, name);
	else
		snprintf(buf, len, "%s/" TR_DPDK_SUBDIR "/%s", runtime_dir, prefix);
}

pid_t tr_dpdk_file_pid(const char *name)
{
	static const char prefix[] = "fbarray_memseg-";
	if (strncmp(name, prefix, sizeof(prefix) - 1) != 0)
		return -1;
	const char *us = strrchr(name, '_');
	if (us == NULL || us[1] == '\0' || us < name + sizeof(prefix) - 1)
		return -1;
	long v = 0;
	for (const char *p = us + 1; *p; p++) {
		if (!isdigit((unsigned char)*p) || v > INT_MAX / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v > 0 ? (pid_t)v : -1;
}

int tr_dpdk_is_hugefile(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(name, prefix, n) == 0 &&
	       strncmp(name + n, TR_DPDK_HUGEFILE_INFIX, sizeof(TR_DPDK_HUGEFILE_INFIX) - 1) == 0;
}

bool tr_dpdk_primary_lock(const char *runtime_dir, const char *prefix, pid_t *holder)
{
	char path[4200];
	tr_dpdk_path(runtime_dir, prefix, TR_DPDK_CONFIG, path, sizeof(path));
	/* O_NONBLOCK: a FIFO planted by the tenant must not hang the shim
	 * (under the ledger lock); only a regular file is DPDK's config. */
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (holder)
		*holder = 0;
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	/* The whole file: DPDK locks only the memseg part of rte_mem_config,
	 * any overlap is reported. */
	struct flock fl = {
		.l_type = F_WRLCK,
		.l_whence = SEEK_SET,
		.l_start = 0,
		.l_len = 0,
	};
	if (fcntl(fd, F_GETLK, &fl) < 0 || fl.l_type == F_UNLCK)
		return false;
	if (holder)
		*holder = fl.l_pid > 0 ? fl.l_pid : 0;
	return true;
}
