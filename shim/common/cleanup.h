/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scoped resources: cleanup attributes and explicit hand-over of ownership.
 *
 *   _cleanup_free_ char *s = strdup(x);    freed when s leaves scope
 *   _cleanup_close_ int fd = open(...);     closed when fd leaves scope
 *   return TAKE_FD(fd);                     hand the fd on; cleanup sees -1
 */
#ifndef TR_COMMON_CLEANUP_H
#define TR_COMMON_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void tr_freep(void *p)
{
	free(*(void **)p);
}

static inline void tr_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

static inline void tr_fclosep(FILE **f)
{
	if (*f != NULL)
		fclose(*f);
}

static inline void tr_closedirp(DIR **d)
{
	if (*d != NULL)
		closedir(*d);
}

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(tr_freep)
#define _cleanup_close_ _cleanup_(tr_closep)
#define _cleanup_fclose_ _cleanup_(tr_fclosep)
#define _cleanup_closedir_ _cleanup_(tr_closedirp)

#define TAKE_PTR(p)                                                            \
	({                                                                     \
		__typeof__(p) _p = (p);                                        \
		(p) = NULL;                                                    \
		_p;                                                            \
	})

#define TAKE_FD(fd)                                                            \
	({                                                                     \
		int _fd = (fd);                                                \
		(fd) = -1;                                                     \
		_fd;                                                           \
	})

#define TR_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
