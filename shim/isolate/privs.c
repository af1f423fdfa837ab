/* SPDX-License-Identifier: BSD-3-Clause */
#include "isolate/privs.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common/caps.h"

/* The highest capability the running kernel knows (it may be newer or
 * older than our headers). */
static int last_cap(void)
{
	int n = (int)cap_max_bits();
	return (n > 0 ? n : CAP_LAST_CAP + 1) - 1;
}

static bool planned(const struct tr_isolation *iso, int cap)
{
	return cap < 64 && (iso->caps & (UINT64_C(1) << cap)) != 0;
}

static int drop_bounding(const struct tr_isolation *iso, struct tr_error *err)
{
	int last = last_cap();
	for (int c = 0; c <= last; c++) {
		if (planned(iso, c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			return tr_err_sys(err, EX_NOPERM, errno,
					  "cannot drop capability %d from the "
					  "bounding set (the shim needs "
					  "CAP_SETPCAP)", c);
	}
	return 0;
}

static int set_ids(const struct tr_isolation *iso, struct tr_error *err)
{
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return tr_err_sys(err, EX_OSERR, errno,
				  "prctl(PR_SET_KEEPCAPS)");
	/* Only the groups the tenant config names: never the shim's. */
	if (setgroups(iso->n_supp, iso->n_supp > 0 ? iso->supp : NULL) < 0)
		return tr_err_sys(err, EX_NOPERM, errno,
				  "cannot set %u supplementary groups",
				  iso->n_supp);
	if (setresgid(iso->gid, iso->gid, iso->gid) < 0)
		return tr_err_sys(err, EX_NOPERM, errno, "cannot set gid %u",
				  (unsigned)iso->gid);
	if (setresuid(iso->uid, iso->uid, iso->uid) < 0)
		return tr_err_sys(err, EX_NOPERM, errno, "cannot set uid %u",
				  (unsigned)iso->uid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return tr_err_sys(err, EX_OSERR, errno,
				  "prctl(PR_SET_KEEPCAPS, 0)");
	return 0;
}

static int set_caps(const struct tr_isolation *iso, struct tr_error *err)
{
	_cleanup_cap_ cap_t caps = cap_init();
	if (caps == NULL)
		return tr_err_sys(err, EX_OSERR, errno, "cap_init");
	cap_value_t list[64];
	int n = 0;
	for (int c = 0; c <= last_cap() && c < 64; c++)
		if (planned(iso, c))
			list[n++] = c;
	if (n > 0) {
		static const cap_flag_t flags[] = { CAP_EFFECTIVE, CAP_PERMITTED,
						    CAP_INHERITABLE };
		for (size_t i = 0; i < TR_ARRAY_SIZE(flags); i++)
			if (cap_set_flag(caps, flags[i], n, list, CAP_SET) < 0)
				return tr_err_sys(err, EX_OSERR, errno,
						  "cap_set_flag");
	}
	if (cap_set_proc(caps) < 0) {
		char names[512];
		tr_caps_format(iso->caps, names, sizeof(names));
		return tr_err_sys(err, EX_NOPERM, errno,
				  "cannot keep capabilities %s (does the shim "
				  "hold them?)", names);
	}
	/* Ambient: what a non-root uid keeps across exec of a plain binary.
	 * One CLEAR_ALL, not libcap's reset (a prctl per capability). */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		return tr_err_sys(err, EX_OSERR, errno,
				  "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
	for (int i = 0; i < n; i++)
		if (cap_set_ambient(list[i], CAP_SET) < 0)
			return tr_err_sys(err, EX_NOPERM, errno,
					  "cannot raise ambient capability %d",
					  list[i]);
	return 0;
}

/*
 * The kernel clears the parent-death signal when the uid/gid changes
 * (commit_creds), so a supervisor's PR_SET_PDEATHSIG armed before us would
 * silently stop working for tenants with a user: arm it again, and fail if
 * the parent is already gone (we were reparented in between).
 */
static int rearm_pdeathsig(int sig, pid_t parent, struct tr_error *err)
{
	if (sig == 0)
		return 0;
	if (prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) < 0)
		return tr_err_sys(err, EX_OSERR, errno,
				  "prctl(PR_SET_PDEATHSIG)");
	if (getppid() != parent)
		return tr_err(err, EX_OSERR,
			      "the supervisor (pid %d) died while the member "
			      "was starting", (int)parent);
	return 0;
}

/*
 * A member that stays uid 0 (`user: root`): uid 0 regains every
 * capability of its bounding set at exec, and a setuid back to 0 would
 * restore them; lock both doors (SECBIT_NOROOT, SECBIT_NO_SETUID_FIXUP,
 * each locked, inherited across fork and exec). Needs CAP_SETPCAP, so
 * first. Never for another uid: NO_SETUID_FIXUP would make the uid change
 * keep every capability.
 */
static int lock_root(const struct tr_isolation *iso, struct tr_error *err)
{
	if ((iso->has_user ? iso->uid : getuid()) != 0)
		return 0;
	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
					     SECBIT_NO_SETUID_FIXUP |
					     SECBIT_NO_SETUID_FIXUP_LOCKED,
		  0, 0, 0) < 0)
		return tr_err_sys(err, EX_NOPERM, errno,
				  "cannot lock the securebits of a uid 0 member (the shim needs CAP_SETPCAP)");
	return 0;
}

int tr_privs_drop(const struct tr_isolation *iso,
		  const struct tr_seccomp_prog *filter, struct tr_error *err)
{
	int pdeath = 0;
	pid_t parent = getppid();
	if (prctl(PR_GET_PDEATHSIG, &pdeath, 0, 0, 0) < 0)
		pdeath = 0;
	if (lock_root(iso, err) < 0 || drop_bounding(iso, err) < 0)
		return -1;
	if (iso->has_user && set_ids(iso, err) < 0)
		return -1;
	if (iso->has_user && rearm_pdeathsig(pdeath, parent, err) < 0)
		return -1;
	if (set_caps(iso, err) < 0)
		return -1;
	/* A filter needs no_new_privs (or CAP_SYS_ADMIN, which a tenant
	 * should not keep): set it whenever one is loaded. */
	if ((iso->no_new_privs || filter->len > 0) &&
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return tr_err_sys(err, EX_OSERR, errno,
				  "prctl(PR_SET_NO_NEW_PRIVS)");
	if (tr_seccomp_load_prog(filter, err) < 0)
		return -1;
	return 0;
}
