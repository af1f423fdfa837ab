/* SPDX-License-Identifier: BSD-3-Clause */
#include "host/role.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"

int tr_role_request_parse(const char *s, enum tr_role_request *out)
{
	if (strcmp(s, "auto") == 0)
		*out = TR_REQ_AUTO;
	else if (strcmp(s, "primary") == 0)
		*out = TR_REQ_PRIMARY;
	else if (strcmp(s, "secondary") == 0)
		*out = TR_REQ_SECONDARY;
	else
		return -1;
	return 0;
}

void tr_role_config_path(const char *runtime_dir, const char *tenant,
			 char *buf, size_t len)
{
	snprintf(buf, len, "%s/dpdk/%s/config", runtime_dir, tenant);
}

bool tr_role_lock_held(const char *runtime_dir, const char *tenant,
		       pid_t *holder)
{
	char path[4200];
	tr_role_config_path(runtime_dir, tenant, path, sizeof(path));
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
