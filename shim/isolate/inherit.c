/* SPDX-License-Identifier: BSD-3-Clause */
#include "isolate/inherit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <stdlib.h>
#include <unistd.h>

/* Before 5.11 (no CLOSE_RANGE_CLOEXEC): mark each open fd one by one. */
static int cloexec_each(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (d == NULL)
		return -1;
	int self = dirfd(d);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		int fd = atoi(de->d_name);
		if (fd <= 2 || fd == self)
			continue;
		int fl = fcntl(fd, F_GETFD);
		if (fl >= 0 && fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 0;
}

int tr_inherit_nothing(struct tr_error *err)
{
	int r = close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	if (r < 0 && (errno == ENOSYS || errno == EINVAL))
		r = cloexec_each();
	if (r < 0)
		return tr_err_sys(err, EX_OSERR, errno,
				  "cannot mark inherited descriptors close-on-exec");
	/* Fails only for a process group leader; a forked child is none. */
	if (setsid() < 0)
		return tr_err_sys(err, EX_OSERR, errno, "setsid");
	return 0;
}
