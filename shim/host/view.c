/* SPDX-License-Identifier: BSD-3-Clause */
#include "host/view.h"

#include <inttypes.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "common/fsutil.h"

/* CAP_SYS_ADMIN in this process's effective set (/proc/self/status). */
static bool has_sys_admin(void)
{
	char buf[16384];
	if (tr_read_text("/proc/self/status", buf, sizeof(buf)) < 0)
		return false;
	const char *p = strstr(buf, "\nCapEff:");
	if (p == NULL)
		return false;
	uint64_t eff = strtoull(p + 8, NULL, 16);
	return (eff >> CAP_SYS_ADMIN) & 1;
}

void tr_view_probe(struct tr_container_facts *c)
{
	c->no_mount_ns = !has_sys_admin();
	c->ro_paths = 0;
	for (unsigned bit = 1; bit <= TR_RO_ALL; bit <<= 1) {
		struct statvfs sv;
		if (statvfs(tr_ro_path(bit), &sv) == 0 && (sv.f_flag & ST_RDONLY))
			c->ro_paths |= bit;
	}
}
