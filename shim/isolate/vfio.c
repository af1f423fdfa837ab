/* SPDX-License-Identifier: BSD-3-Clause */
#include "isolate/vfio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"

int tr_vfio_group_of(const char *sysfs, const char *bdf)
{
	char path[512], target[512];
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/iommu_group", sysfs, bdf);
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return -1;
	target[n] = '\0';
	const char *base = strrchr(target, '/');
	base = base ? base + 1 : target;
	char *end;
	long g = strtol(base, &end, 10);
	return (*base && *end == '\0' && g >= 0 && g < 1000000) ? (int)g : -1;
}

int tr_vfio_give(const char *sysfs, const char *dev, const char *nic, uid_t uid,
		 gid_t gid, struct tr_error *err)
{
	if (strchr(nic, ':') == NULL || strncmp(nic, "iface=", 6) == 0)
		return 0;
	int g = tr_vfio_group_of(sysfs, nic);
	if (g < 0)
		return 0;
	char dir[512], name[16];
	snprintf(dir, sizeof(dir), "%s/dev/vfio", dev);
	snprintf(name, sizeof(name), "%d", g);
	_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (dfd < 0 || fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISCHR(st.st_mode))
		return 0;
	if ((st.st_uid != uid || st.st_gid != gid) &&
	    fchownat(dfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
		return tr_err_sys(err, EX_NOPERM, errno,
				  "cannot give %s/%s (the vfio group of %s) to uid %u", dir, name,
				  nic, (unsigned)uid);
	return 1;
}
