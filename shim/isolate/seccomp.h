/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tenant's seccomp filter (libseccomp), loaded as the very last step
 * before exec (after no_new_privs, so it needs no CAP_SYS_ADMIN).
 *
 * Three kinds (security.seccomp in tenants.yaml):
 *   default     allow everything but the syscalls a DPDK data-plane app never
 *               makes and an attacker would: see tr_seccomp_default_names().
 *               They fail with EPERM (not a kill) so a tool that tries one
 *               sees a clear "Operation not permitted". Namespaces cannot
 *               be made through clone() either (a CLONE_NEW* flag: EPERM);
 *               clone3() answers ENOSYS so libc falls back to clone().
 *               ioctl TIOCSTI and TIOCLINUX (typing into a terminal) fail
 *               with EPERM, compared on the low 32 bits of cmd as the
 *               kernel reads it.
 *   unconfined  no filter.
 *   a file      a profile in this format, one directive per line (lines
 *               of any length; a NUL byte is refused):
 *
 *                 # comment (also after a directive)
 *                 default allow        what is not named: allow (the
 *                                      default) or deny (EPERM)
 *                 deny @default        every syscall of the default profile
 *                                      (with its clone/clone3 and terminal
 *                                      ioctl guards, unless the profile
 *                                      names clone/ioctl or denies by
 *                                      default)
 *                 deny ptrace          one syscall, by its name
 *                 allow bpf            later lines win over earlier ones
 *
 *               An unknown syscall name or directive is an error at
 *               FILE:LINE. Names not present on this architecture (e.g.
 *               a 32-bit only call) are accepted and have no effect.
 *
 * Syscalls of a foreign architecture (x32/i386 entry on x86_64) are killed:
 * libseccomp's default for a filter built for the native one.
 */
#ifndef TR_ISOLATE_SECCOMP_H
#define TR_ISOLATE_SECCOMP_H

#include <linux/filter.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "config/model.h"

/* Holes the default profile opens for what the tenant's NICs need. */
struct tr_seccomp_opts {
	bool allow_bpf;     /* an AF_XDP NIC (net_af_xdp) loads its program */
	bool allow_ioport;  /* PCI NICs: iopl/ioperm for legacy virtio ports */
	bool deny_rtnetlink;  /* socket(AF_NETLINK, *, NETLINK_ROUTE): EACCES,
				 even with a profile or unconfined: the only
				 door from a netns to the host's links */
};

/* The default profile's denied syscall names, NULL-terminated. */
const char *const *tr_seccomp_default_names(void);

static inline void tr_seccomp_releasep(scmp_filter_ctx *ctx)
{
	if (*ctx != NULL)
		seccomp_release(*ctx);
}
#define _cleanup_seccomp_ _cleanup_(tr_seccomp_releasep)

/*
 * Build the filter (not loaded). *out is NULL for unconfined. Errors:
 * EX_CONFIG for a bad or unreadable profile file (FILE:LINE: what),
 * EX_OSERR when libseccomp fails.
 */
int tr_seccomp_build(enum tr_seccomp_kind kind, const char *profile,
		     const struct tr_seccomp_opts *opts, scmp_filter_ctx *out,
		     struct tr_error *err);

/* Parse a profile file and report its first error (for the parent, before
 * fork, so a bad file is named before anything starts). */
int tr_seccomp_check_profile(const char *path, struct tr_error *err);

/* Build and load into the calling thread: the last step before exec. */
int tr_seccomp_apply(enum tr_seccomp_kind kind, const char *profile,
		     const struct tr_seccomp_opts *opts, struct tr_error *err);

/*
 * A filter compiled to BPF, so the forked child loads it with one prctl and
 * runs no libseccomp code (its allocations and feature probes cost ~1.5 ms
 * per start). len 0: no filter (unconfined).
 */
struct tr_seccomp_prog {
	unsigned short len;
	struct sock_filter *insns;   /* malloc'ed */
};

int tr_seccomp_compile(enum tr_seccomp_kind kind, const char *profile,
		       const struct tr_seccomp_opts *opts,
		       struct tr_seccomp_prog *out, struct tr_error *err);
void tr_seccomp_prog_free(struct tr_seccomp_prog *p);
/* Load into the calling thread; no_new_privs must be set. No allocation. */
int tr_seccomp_load_prog(const struct tr_seccomp_prog *p,
			 struct tr_error *err);

#endif
