/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the app must not inherit from whoever started the shim: its open
 * descriptors and its terminal. Runs in the forked child, first:
 *
 *   - every descriptor above 2 becomes close-on-exec (close_range with
 *     CLOSE_RANGE_CLOEXEC, 5.11+; else one fcntl per open fd), so a root
 *     file the caller opened (fd 7 of a root shell) never reaches the app,
 *     while the shim's own error pipe stays usable until the exec itself;
 *   - setsid(): a new session without a controlling terminal, so TIOCSTI
 *     on the caller's tty fails with EPERM (the kernel allows it only on
 *     one's controlling tty) and the app cannot type into the caller's
 *     shell. The default seccomp profile also denies TIOCSTI and
 *     TIOCLINUX (isolate/seccomp.h).
 *
 * stdin, stdout and stderr stay: they are the container's log.
 */
#ifndef TR_ISOLATE_INHERIT_H
#define TR_ISOLATE_INHERIT_H

#include "common/error.h"

int tr_inherit_nothing(struct tr_error *err);

#endif
