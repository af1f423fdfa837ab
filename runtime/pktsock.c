/* SPDX-License-Identifier: BSD-3-Clause */
/* The AF_PACKET sockets behind a net_af_packet port (tr_rt.h). */
#include <dirent.h>
#include <linux/if_packet.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "tr_rt.h"

static int by_fd(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

unsigned tr__pktsock_find(int ifindex, int *fds, unsigned max)
{
	DIR *d = opendir("/proc/self/fd");
	unsigned n = 0;

	if (d == NULL)
		return 0;
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		int fd = atoi(de->d_name), dom = 0;
		socklen_t len = sizeof(dom);
		struct sockaddr_ll sll;
		socklen_t sl = sizeof(sll);

		if (fd <= 2 || fd == dirfd(d) ||
		    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &len) < 0 || dom != AF_PACKET ||
		    getsockname(fd, (struct sockaddr *)&sll, &sl) < 0 ||
		    sll.sll_ifindex != ifindex)
			continue;
		if (n < max)
			fds[n] = fd;
		n++;
	}
	closedir(d);
	if (n <= max)
		qsort(fds, n, sizeof(*fds), by_fd);
	return n;
}
