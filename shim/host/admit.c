/* SPDX-License-Identifier: BSD-3-Clause */
#include "host/admit.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/messages.h"
#include "host/dynuid.h"
#include "health/health.h"
#include "host/hostfacts.h"
#include "common/fsutil.h"
#include "host/hugefs.h"
#include "host/sweep.h"

void tr_admit_req_from_plan(struct tr_admit_req *req, const struct tr_plan *p,
			    const char *config)
{
	memset(req, 0, sizeof(*req));
	req->tenant = p->tenant;
	req->role = p->role;
	req->member = p->member;
	req->max_secondaries = p->claims.max_secondaries;
	struct tr_lease *l = &req->lease;
	l->exclusive = p->claims.exclusive;
	l->cpus = p->iso.cpus;
	l->member_cpus = p->iso.member_cpus;
	snprintf(l->lcores, sizeof(l->lcores), "%s", p->claims.lcores);
	snprintf(l->placement, sizeof(l->placement), "%s", p->claims.placement);
	l->n_nics = p->claims.n_nics;
	memcpy(l->nics, p->claims.nics, sizeof(l->nics));
	l->page_bytes = p->iso.page_bytes;
	l->quota_pages = p->claims.quota_pages;
	snprintf(l->runtime_dir, sizeof(l->runtime_dir), "%s", p->iso.runtime_dir);
	snprintf(l->huge_dir, sizeof(l->huge_dir), "%s", p->iso.huge_dir);
	snprintf(l->config, sizeof(l->config), "%s", config ? config : "");
	l->uid = p->iso.uid;
	l->gid = p->iso.gid;
	l->dynamic_uid = p->iso.dynamic_user;
	l->mount_ns = p->iso.mount_ns;
	l->view_ro = p->iso.view_ro;
	snprintf(l->cgroup, sizeof(l->cgroup), "%s", p->iso.cgroup);
}

unsigned tr_admit_free_member(const struct tr_lease *v, unsigned n,
			      const char *tenant, unsigned max_secondaries)
{
	/* A slot nobody holds; else one a dead member's reclaim is giving
	 * back (admission waits for it). */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned m = 1; m <= max_secondaries && m < TR_MAX_MEMBERS; m++) {
			bool taken = false;
			for (unsigned i = 0; i < n && !taken; i++)
				taken = v[i].alive && v[i].member == m &&
					strcmp(v[i].tenant, tenant) == 0 &&
					(pass == 0 || v[i].reclaiming == 0);
			if (!taken)
				return m;
		}
	return 1;
}

/*
 * Only a PCI device or a kernel interface is a host resource two tenants
 * can fight over. A vdev such as net_null0 or net_ring0 lives inside its
 * process: two tenants' net_null0 are different devices (validation
 * agrees), so admission does not lease them.
 */
static bool nic_is_host_resource(const char *id)
{
	return strncmp(id, "iface=", 6) == 0 || strchr(id, ':') != NULL;
}

/* A lease being reclaimed whole: its tenant is gone, but what it held
 * (NICs, cpus, pages, dirs) is not given back yet. */
static bool being_reclaimed(const struct tr_lease *l)
{
	return l->alive && l->reclaiming != 0 && l->reclaim_whole;
}

/* Refused for what a reclaim is giving back: *blocker names the lease. */
static int blocked(char *blocker, const struct tr_lease *l, struct tr_error *err,
		   const char *what)
{
	snprintf(blocker, TR_LEASE_PATH_MAX, "%s", l->file);
	return tr_err(err, EX_UNAVAILABLE,
		      "%s tenant \"%s\", which pid %d is reclaiming now; retry in a moment",
		      what, l->tenant, (int)l->reclaiming);
}

static int check_rules(const struct tr_admit_req *req, const struct tr_lease *v,
		       unsigned n, bool *retry, char *blocker, struct tr_error *err)
{
	const struct tr_lease *me = &req->lease;
	const char *t = req->tenant;
	const struct tr_lease *primary = NULL;
	unsigned n_sec = 0;
	bool used[TR_MAX_MEMBERS] = { false };
	const struct tr_lease *going[TR_MAX_MEMBERS] = { NULL };
	char sec_pids[256] = "";

	for (unsigned i = 0; i < n; i++) {
		const struct tr_lease *l = &v[i];
		if (!l->alive)
			continue;
		if (strcmp(l->tenant, t) == 0) {
			if (being_reclaimed(l))
				return blocked(blocker, l, err, "the previous run of");
			if (l->member < TR_MAX_MEMBERS && l->reclaiming)
				going[l->member] = l;   /* a dead member, going */
			if (l->reclaiming)
				continue;
			if (l->member < TR_MAX_MEMBERS)
				used[l->member] = true;
			if (l->role == TR_ROLE_PRIMARY) {
				primary = l;
			} else {
				n_sec++;
				size_t k = strlen(sec_pids);
				snprintf(sec_pids + k, sizeof(sec_pids) - k, "%s%d",
					 k ? ", " : "", (int)tr_lease_pid(l));
			}
			continue;
		}
		/* Another tenant: its uid, NICs and exclusive cpus. */
		pid_t who = tr_lease_pid(l);
		if ((me->dynamic_uid || l->dynamic_uid) && me->uid == l->uid)
			return tr_err(err, EX_UNAVAILABLE,
				      "uid %u is %s of tenant \"%s\" (pid %d); two tenants never share a uid: give this tenant another user:",
				      (unsigned)me->uid, l->dynamic_uid ? "the dynamic uid" : "the user",
				      l->tenant, (int)who);
		for (unsigned a = 0; a < me->n_nics; a++)
			for (unsigned b = 0; b < l->n_nics; b++)
				if (nic_is_host_resource(me->nics[a]) &&
				    strcmp(me->nics[a], l->nics[b]) == 0) {
					if (being_reclaimed(l))
						return blocked(blocker, l, err, "its NIC is still held by");
					return tr_err(err, EX_UNAVAILABLE,
						      "NIC %s is held by tenant \"%s\" (pid %d); stop it or give this tenant another NIC",
						      me->nics[a], l->tenant, (int)who);
				}
		struct tr_cpuset both;
		if ((me->exclusive || l->exclusive) &&
		    tr_cpuset_and(&both, &me->cpus, &l->cpus)) {
			char list[256];
			if (being_reclaimed(l))
				return blocked(blocker, l, err, "its cpus are still held by");
			tr_cpuset_format(&both, list, sizeof(list));
			return tr_err(err, EX_UNAVAILABLE,
				      "its cpus overlap tenant \"%s\" (pid %d) on cpus %s, and one of the two has cpuPolicy exclusive; give them disjoint cpus",
				      l->tenant, (int)who, list);
		}
	}

	bool held = primary != NULL || req->primary_lock_held;
	if (req->role == TR_ROLE_PRIMARY) {
		/* Another primary came first: auto may join it instead. */
		*retry = held;
		if (primary)
			return tr_err(err, EX_UNAVAILABLE, TR_MSG_PRIMARY_RUNS,
				      (int)tr_lease_pid(primary));
		if (req->primary_lock_held)
			return tr_err(err, EX_UNAVAILABLE, TR_MSG_PRIMARY_RUNS,
				      (int)req->primary_lock_pid);
		if (n_sec > 0)
			return tr_err(err, EX_UNAVAILABLE,
				      "secondaries of the previous primary still run (pid %s); a new primary would re-initialise memory under them; wait until they stop",
				      sec_pids);
		return 0;
	}

	if (!held)
		return tr_err(err, EX_UNAVAILABLE, TR_MSG_NO_PRIMARY);
	if (req->max_secondaries == 0)
		return tr_err(err, EX_UNAVAILABLE, TR_MSG_NO_SECONDARIES);
	if (n_sec >= req->max_secondaries)
		return tr_err(err, EX_UNAVAILABLE,
			      "all %u secondary slots are taken (pid %s); stop one or raise group.maxSecondaries",
			      req->max_secondaries, sec_pids);
	if (req->member > 0 && req->member < TR_MAX_MEMBERS && !used[req->member] &&
	    going[req->member])
		return blocked(blocker, going[req->member], err, "its member slot is still held by a dead member of");
	if (req->member == 0 || req->member >= TR_MAX_MEMBERS || used[req->member]) {
		*retry = true;
		return tr_err(err, EX_UNAVAILABLE, "member slot %u was taken meanwhile",
			      req->member);
	}
	return 0;
}

/* Pages promised to running tenants other than ours and not yet in use. */
static uint64_t promised_pages(const struct tr_lease *v, unsigned n,
			       const char *tenant, char *who, size_t wlen)
{
	uint64_t sum = 0;
	who[0] = '\0';
	for (unsigned i = 0; i < n; i++) {
		const struct tr_lease *l = &v[i];
		if (!l->alive || l->reclaiming || l->role != TR_ROLE_PRIMARY ||
		    strcmp(l->tenant, tenant) == 0)
			continue;
		/* Bounded: an undercount only promises more, never less. */
		uint64_t used = tr_hugefs_used_pages(l->huge_dir, l->page_bytes,
						     l->quota_pages + TR_HUGEFS_WALK_SPARE, NULL);
		if (l->quota_pages > used) {
			sum += l->quota_pages - used;
			size_t k = strlen(who);
			snprintf(who + k, wlen - k, "%s\"%s\" pid %d", k ? ", " : "",
				 l->tenant, (int)tr_lease_pid(l));
		}
	}
	return sum;
}

/*
 * A tenant without `user:` runs as the uid the plan was made with only if
 * the ledger, now locked, still gives it that uid (another tenant may have
 * taken it since the plan was made): then the uid's record turns live.
 * Else the member is planned again (retry and replan).
 */
static int claim_uid(struct tr_ledger *lg, const struct tr_admit_req *req,
		     const struct tr_lease *v, unsigned n, struct tr_admission *adm,
		     struct tr_error *err)
{
	struct tr_host_uids own = { 0 };
	uid_t uid;
	if (tr_dynuid_pick(lg->dir, lg->root, req->tenant, v, n, tr_dynuid_host_taken,
			   req->host_uids ? req->host_uids : &own, &uid, err) < 0)
		return -1;
	if (uid != req->lease.uid) {
		adm->retry = adm->replan = true;
		return tr_err(err, EX_UNAVAILABLE,
			      "its dynamic uid changed since it was planned (%u, now %u)",
			      (unsigned)req->lease.uid, (unsigned)uid);
	}
	return tr_dynuid_record_live(lg->dir, lg->root, req->tenant, uid, err);
}

/* The first tenant whose whole state is being given back, or NULL. */
static const struct tr_lease *any_reclaim(const struct tr_lease *v, unsigned n,
					  const char *but)
{
	for (unsigned i = 0; i < n; i++)
		if (being_reclaimed(&v[i]) && strcmp(v[i].tenant, but) != 0)
			return &v[i];
	return NULL;
}

/* With the ledger locked and scanned: the rules, the quota, the lease. */
static int admit_locked(struct tr_ledger *lg, const struct tr_admit_req *req,
			const struct tr_lease *v, unsigned n, struct tr_admission *adm,
			char *blocker, struct tr_error *err)
{
	/* Under the lock: the host facts were read before it, and since then
	 * a reclaim may have given pages back or a tenant faulted its in. */
	uint64_t free_pages = req->free_pages;
	if (req->reread_free_pages)
		free_pages = tr_host_free_pages(req->lease.page_bytes == (UINT64_C(1) << 30)
							? TR_PAGE_1G : TR_PAGE_2M, free_pages);
	if (check_rules(req, v, n, &adm->retry, blocker, err) < 0)
		return -1;

	if (req->role == TR_ROLE_PRIMARY && req->lease.quota_pages > 0) {
		char who[512];
		uint64_t promised = promised_pages(v, n, req->tenant, who, sizeof(who));
		uint64_t avail = free_pages > promised ? free_pages - promised : 0;
		if (req->lease.quota_pages > avail) {
			/* A tenant being given back frees its pages soon. */
			const struct tr_lease *going = any_reclaim(v, n, req->tenant);
			if (going)
				snprintf(blocker, TR_LEASE_PATH_MAX, "%s", going->file);
			return tr_err(err, EX_UNAVAILABLE,
				      "hugepage quota of %" PRIu64 " pages does not fit: %" PRIu64 " free, %" PRIu64 " promised to running tenants%s%s%s; free hugepages or lower memory.limitMb",
				      req->lease.quota_pages, free_pages,
				      promised, who[0] ? " (" : "", who, who[0] ? ")" : "");
		}
	}

	if (req->lease.dynamic_uid && claim_uid(lg, req, v, n, adm, err) < 0)
		return -1;

	adm->lease = req->lease;
	adm->lease.member = req->member;
	adm->lease.role = req->role;
	adm->lease.shim_pid = getpid();
	adm->lease.app_pid = 0;
	adm->lease.since = (long long)time(NULL);
	snprintf(adm->lease.tenant, sizeof(adm->lease.tenant), "%s", req->tenant);
	snprintf(adm->lease.file, sizeof(adm->lease.file), "%s/%s.%u.lease", lg->dir,
		 req->tenant, req->member);
	adm->first = true;
	for (unsigned i = 0; i < n; i++)
		if (v[i].alive && strcmp(v[i].tenant, req->tenant) == 0)
			adm->first = false;

	_cleanup_close_ int fd = open(adm->lease.file, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return tr_err_sys(err, EX_CANTCREAT, errno, "cannot create lease %s",
				  adm->lease.file);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		return tr_err_sys(err, EX_UNAVAILABLE, errno, "lease %s is held by another shim",
				  adm->lease.file);
	/* The tenant's first member makes what the whole tenant shares (its
	 * network namespace: req->hook), under the lock and recorded first. */
	if (tr_lease_write(fd, &adm->lease, err) < 0 ||
	    (adm->first && req->hook && req->hook->first(req->hook->ctx, err) < 0)) {
		unlink(adm->lease.file);
		return -1;
	}
	adm->lease.alive = true;
	adm->fd = TAKE_FD(fd);
	/* A new group: an earlier one's stop is history. */
	if (req->role == TR_ROLE_PRIMARY)
		tr_stop_mark_clear(lg->dir, req->tenant);
	return 0;
}

/* How long an admission waits for a reclaim that gives back what it needs. */
#define RECLAIM_WAIT_S 15.0

int tr_admit(struct tr_ledger *lg, const struct tr_admit_req *req,
	     struct tr_admission *adm, struct tr_error *err)
{
	adm->fd = -1;
	adm->first = false;
	adm->retry = false;
	adm->replan = false;
	adm->sweeper = 0;
	struct tr_sweep_claims claims = { 0 };
	double deadline = tr_now_s() + RECLAIM_WAIT_S;
	int rc;
	for (;;) {
		struct tr_lease *v = NULL;
		unsigned n = 0;
		char blocker[TR_LEASE_PATH_MAX] = "";
		if (tr_ledger_lock(lg, true, err) < 0) {
			rc = -1;
			break;
		}
		rc = tr_ledger_scan(lg, &v, &n, err);
		if (rc == 0) {
			tr_sweep_claim(lg, v, n, TR_SWEEP_PACED, req->reclaim, &claims);
			rc = admit_locked(lg, req, v, n, adm, blocker, err);
		}
		free(v);
		tr_ledger_unlock(lg);
		if (rc == 0 || blocker[0] == '\0' || tr_now_s() > deadline)
			break;
		/* What we wait for: our own claim, given back now; another's,
		 * polled. */
		int k = tr_sweep_find(&claims, blocker);
		if (k >= 0)
			tr_sweep_reclaim_one(lg, &claims, (unsigned)k, req->reclaim, NULL);
		else
			usleep(20 * 1000);
	}
	/* The rest goes back in a child: no admission waits for the teardown
	 * of a tenant it does not need anything of. */
	if (req->reclaim && req->reclaim->reclaim)
		adm->sweeper = tr_sweep_detach(lg, &claims, req->reclaim);
	else
		tr_sweep_reclaim_all(lg, &claims, req->reclaim);
	tr_sweep_free(&claims);
	return rc;
}

int tr_admission_update(struct tr_ledger *lg, struct tr_admission *adm,
			struct tr_error *err)
{
	if (adm->fd < 0)
		return tr_err(err, EX_SOFTWARE, "no lease held");
	/* Under the ledger lock: a scan must never read the lease between
	 * its truncation and its rewrite. */
	if (tr_ledger_lock(lg, true, err) < 0)
		return -1;
	int rc = tr_lease_write(adm->fd, &adm->lease, err);
	tr_ledger_unlock(lg);
	return rc;
}

int tr_admission_release(struct tr_ledger *lg, struct tr_admission *adm,
			 const struct tr_reclaimer *r, struct tr_error *err)
{
	if (adm->fd < 0)
		return 0;
	if (tr_ledger_lock(lg, true, err) < 0)
		return -1;
	struct tr_lease *v = NULL;
	unsigned n = 0;
	struct tr_sweep_claims claims = { 0 };
	int own = -1;
	int rc = tr_ledger_scan(lg, &v, &n, err);
	if (rc == 0) {
		bool others = false;
		for (unsigned i = 0; i < n; i++)
			if (v[i].alive && !v[i].reclaiming && strcmp(v[i].tenant, adm->lease.tenant) == 0 &&
			    strcmp(v[i].file, adm->lease.file) != 0)
				others = true;
		if (!others) {
			/* The last member: our tenant's state goes, with our
			 * lease held (marked reclaiming) until it is gone. */
			if (tr_sweep_claim_own(lg, v, n, &adm->lease, adm->fd, &claims) == 0) {
				own = 0;
				adm->fd = -1;
			}
		}
		/* What others left: claimed now, given back after the lock. */
		tr_sweep_claim(lg, v, n, TR_SWEEP_PACED, r, &claims);
	}
	if (adm->fd >= 0) {
		if (adm->left_behind) {
			/* Our leaf still has processes: the lease stays,
			 * stale, for a later sweep to kill them. */
			adm->lease.reclaim_failed = (long long)time(NULL);
			(void)tr_lease_write(adm->fd, &adm->lease, NULL);
		} else {
			/* Unlink before close: under the ledger lock nobody
			 * sees the lease go stale in between. */
			unlink(adm->lease.file);
		}
		close(adm->fd);
		adm->fd = -1;
	}
	free(v);
	tr_ledger_unlock(lg);
	/* Our own tenant first: the lease names its files and mount, so it
	 * goes only once they are gone. Kept (stale), the next admission or
	 * `tenantrt reap` tries again. */
	if (own == 0 && tr_sweep_reclaim_one(lg, &claims, 0, r, err) < 0)
		rc = -1;
	/* Others: what cannot be given back now stays for later, and is no
	 * failure of ours. */
	tr_sweep_reclaim_all(lg, &claims, r);
	tr_sweep_free(&claims);
	return rc < 0 ? -1 : 0;
}
