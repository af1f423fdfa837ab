/* SPDX-License-Identifier: BSD-3-Clause */
/* A member's watch: its primary, its liveness, the watchdog, and how its
 * end is told (run/watchdog.h). */
#include "run/watchdog.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/pidfd.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/dpdkfs.h"
#include "common/exits.h"
#include "common/fsutil.h"
#include "health/health.h"

/* How long a secondary whose primary went waits for the primary's shim to
 * say whether it was on purpose (it records that before it lets its lease
 * go, right after its app ends). */
#define PRIMARY_VERDICT_WAIT_S 3.0

void tr_member_watch_init(struct tr_member_watch *mw, const char *name, struct tr_ledger *lg,
			  const struct tr_admission *adm, struct tr_role_watch *role, pid_t app,
			  unsigned watchdog_s, unsigned startup_s, unsigned stall_s,
			  unsigned stop_timeout)
{
	memset(mw, 0, sizeof(*mw));
	mw->name = name;
	mw->tenant = adm->lease.tenant;
	mw->lg = lg;
	mw->lease = &adm->lease;
	mw->role = role;
	mw->app = app;
	mw->primary_app = role ? role->primary : app;
	mw->watchdog_s = watchdog_s;
	mw->stop_timeout = stop_timeout;
	mw->policy = (struct tr_live_policy){ .startup = startup_s, .stall = stall_s,
					      .lock_hold = TR_LIVE_LOCK_HOLD_S };
	tr_probe_init(&mw->probe, adm->lease.tenant, adm->lease.runtime_dir, adm->lease.huge_dir,
		      adm->lease.member, adm->lease.role);
	/* A member starts at its admission. */
	double now = tr_now_s();
	long long wall = (long long)time(NULL);
	double age = adm->lease.since > 0 && wall > adm->lease.since ? (double)(wall - adm->lease.since) : 0;
	tr_liveness_init(&mw->lv, now - age, adm->lease.since > 0 ? adm->lease.since : wall);
	tr_health_path(lg->dir, adm->lease.tenant, adm->lease.member, mw->health_path,
		       sizeof(mw->health_path));
	mw->next_probe = now;
}

/* Every live lease of the tenant (malloc'd, *n); NULL on failure. */
static struct tr_lease *group_leases(struct tr_member_watch *mw, unsigned *n)
{
	struct tr_lease *v = NULL;
	*n = 0;
	if (tr_ledger_lock(mw->lg, false, NULL) < 0)
		return NULL;
	if (tr_ledger_scan(mw->lg, &v, n, NULL) < 0)
		v = NULL;
	tr_ledger_unlock(mw->lg);
	unsigned k = 0;
	for (unsigned i = 0; v && i < *n; i++)
		if (v[i].alive && strcmp(v[i].tenant, mw->tenant) == 0)
			v[k++] = v[i];
	*n = k;
	return v;
}

/* Is the lease file still held by a live shim? */
static bool lease_held(const char *file)
{
	_cleanup_close_ int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return false;
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		flock(fd, LOCK_UN);
		return false;
	}
	return errno == EWOULDBLOCK;
}

/*
 * The group's stuck member with the oldest "since", if any: its record in
 * *worst. Records not refreshed for a while (their shim is gone or frozen)
 * do not count: the lease tells about those.
 */
static bool group_stuck(struct tr_member_watch *mw, struct tr_health *worst, unsigned *member)
{
	unsigned n;
	_cleanup_free_ struct tr_lease *v = group_leases(mw, &n);
	bool any = false;
	long long now = (long long)time(NULL);
	for (unsigned i = 0; v && i < n; i++) {
		char path[4200];
		struct tr_health h;
		tr_health_path(mw->lg->dir, mw->tenant, v[i].member, path, sizeof(path));
		if (tr_health_read(path, &h) < 0 || h.state != TR_HEALTH_STUCK ||
		    now - h.probed > 10)
			continue;
		if (!any || h.stuck_at < worst->stuck_at) {
			*worst = h;
			*member = v[i].member;
			any = true;
		}
	}
	return any;
}

/* SIGTERM to every other member's shim, as a pod stop would: each
 * forwards it and SIGKILLs its app after its stop timeout. */
static void stop_others(struct tr_member_watch *mw)
{
	unsigned n;
	_cleanup_free_ struct tr_lease *v = group_leases(mw, &n);
	for (unsigned i = 0; v && i < n; i++) {
		if (v[i].member == mw->lease->member || v[i].shim_pid <= 0)
			continue;
		/* The pidfd first, then the lease still held: the pid is the
		 * live shim's, not a reused one. */
		_cleanup_close_ int pfd = pidfd_open(v[i].shim_pid, 0);
		if (pfd >= 0 && lease_held(v[i].file))
			pidfd_send_signal(pfd, SIGTERM, NULL, 0);
	}
}

/* The group's primary app, for the stop mark. */
static pid_t group_primary(struct tr_member_watch *mw)
{
	if (mw->primary_app > 0)
		return mw->primary_app;
	pid_t holder = 0;
	tr_dpdk_primary_lock(mw->lease->runtime_dir, mw->tenant, &holder);
	return holder;
}

static void mark(struct tr_member_watch *mw, enum tr_stop_reason reason)
{
	struct tr_stop_mark m = { reason, group_primary(mw), getpid(), (long long)time(NULL) };
	if (m.primary > 0)
		tr_stop_mark_write(mw->lg->dir, mw->tenant, &m, NULL);
}

static bool watchdog(struct tr_member_watch *mw, char *why, size_t len)
{
	struct tr_health worst;
	unsigned member = 0;
	if (mw->watchdog_s == 0 || mw->watchdog_fired || !group_stuck(mw, &worst, &member))
		return false;
	/* Counted from the verdict, so that status shows the stuck group
	 * for N seconds before the watchdog acts. */
	long long stuck_for = (long long)time(NULL) - worst.stuck_at;
	if (stuck_for < (long long)mw->watchdog_s)
		return false;
	mw->watchdog_fired = true;
	mark(mw, TR_STOP_WATCHDOG);
	stop_others(mw);
	snprintf(why, len,
		 "tenant \"%s\": watchdog: member %u found stuck %lld s ago (%s); stopping the group: SIGTERM to every member, SIGKILL after %u s",
		 mw->tenant, member, stuck_for, worst.why, mw->stop_timeout);
	return true;
}

static void probe(struct tr_member_watch *mw)
{
	struct tr_live_sample s;
	tr_probe_take(&mw->probe, mw->app, &s);
	long long wall = (long long)time(NULL);
	tr_liveness_feed(&mw->lv, &mw->policy, &s, wall);
	struct tr_health h;
	tr_liveness_record(&mw->lv, &s, mw->app, wall, &h);
	tr_health_write(mw->health_path, &h, NULL);
}

bool tr_member_watch_poll(void *ctx, char *why, size_t len)
{
	struct tr_member_watch *mw = ctx;
	if (mw->role && tr_role_watch_primary(mw->role, why, len))
		return true;
	double now = tr_now_s();
	if (now < mw->next_probe)
		return false;
	mw->next_probe = now + TR_LIVE_PERIOD_S;
	probe(mw);
	return watchdog(mw, why, len);
}

void tr_member_watch_signal(void *ctx, int sig)
{
	struct tr_member_watch *mw = ctx;
	if (sig != SIGTERM && sig != SIGINT)
		return;
	mw->stop_signal = true;
	/* Before the app hears it: a secondary that sees the primary go
	 * must find the reason already written. */
	if (mw->lease->role == TR_ROLE_PRIMARY)
		mark(mw, TR_STOP_PLANNED);
}

/* The primary's shim (that of primary_app) still holds its lease? */
static bool primary_shim_holds(struct tr_member_watch *mw)
{
	unsigned n;
	_cleanup_free_ struct tr_lease *v = group_leases(mw, &n);
	for (unsigned i = 0; v && i < n; i++)
		if (v[i].role == TR_ROLE_PRIMARY && v[i].app_pid == mw->primary_app)
			return true;
	return false;
}

static bool primary_gone(const struct tr_member_watch *mw)
{
	pid_t now = 0;
	return mw->role->fired ||
	       !(tr_dpdk_primary_lock(mw->role->runtime_dir, mw->tenant, &now) &&
		 now == mw->primary_app);
}

int tr_member_watch_end(struct tr_member_watch *mw, int status, char *why, size_t len)
{
	struct tr_stop_mark m;
	bool have = tr_stop_mark_read(mw->lg->dir, mw->tenant, &m) == 0 &&
		    m.primary == mw->primary_app;
	why[0] = '\0';
	if (mw->lease->role == TR_ROLE_PRIMARY) {
		/* An app that ended 0 by itself stopped on purpose too. */
		if (!have && status == 0)
			mark(mw, TR_STOP_PLANNED);
		if (have && m.reason == TR_STOP_WATCHDOG) {
			snprintf(why, len, "tenant \"%s\": the watchdog stopped the stuck group; exit %d",
				 mw->tenant, TR_EXIT_STUCK);
			return TR_EXIT_STUCK;
		}
		return status;
	}
	if (!have && primary_gone(mw)) {
		/* Its shim records why right after the app ends. */
		double end = tr_now_s() + PRIMARY_VERDICT_WAIT_S;
		while (!have && primary_shim_holds(mw) && tr_now_s() < end) {
			struct timespec ts = { 0, 50 * 1000 * 1000 };
			nanosleep(&ts, NULL);
			have = tr_stop_mark_read(mw->lg->dir, mw->tenant, &m) == 0 &&
			       m.primary == mw->primary_app;
		}
		if (!have) {
			snprintf(why, len,
				 "tenant \"%s\": primary (pid %d) died; secondary (pid %d) ended with it (status %d); exit %d",
				 mw->tenant, (int)mw->primary_app, (int)mw->app, status, EX_UNAVAILABLE);
			return EX_UNAVAILABLE;
		}
	}
	if (!have)
		return status;
	if (m.reason == TR_STOP_WATCHDOG) {
		snprintf(why, len, "tenant \"%s\": the watchdog stopped the stuck group; exit %d",
			 mw->tenant, TR_EXIT_STUCK);
		return TR_EXIT_STUCK;
	}
	snprintf(why, len,
		 "tenant \"%s\": primary (pid %d) stopped on purpose; secondary (pid %d) stopped with it (status %d); exit 0",
		 mw->tenant, (int)mw->primary_app, (int)mw->app, status);
	return 0;
}

void tr_member_watch_forget(struct tr_member_watch *mw)
{
	unlink(mw->health_path);
}
