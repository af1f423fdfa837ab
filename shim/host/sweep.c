/* SPDX-License-Identifier: BSD-3-Clause */
/* Claim under the ledger lock, reclaim without it (host/sweep.h). */
#include "host/sweep.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "host/dynuid.h"
#include "health/health.h"

static void say(const struct tr_reclaimer *r, const char *what, const char *detail)
{
	if (r == NULL || r->note == NULL)
		return;
	char buf[TR_LEASE_PATH_MAX + TR_ERR_MSG_MAX];
	snprintf(buf, sizeof(buf), "%s%s", what, detail);
	r->note(r->ctx, buf);
}

/* A stale lease goes with its member's health record. */
static int unlink_lease(const char *file)
{
	char health[TR_LEASE_PATH_MAX + 16];
	tr_health_path_of_lease(file, health, sizeof(health));
	unlink(health);
	return unlink(file);
}

static struct tr_claim *claim_new(struct tr_sweep_claims *c)
{
	if (c->n == c->cap) {
		unsigned cap = c->cap ? c->cap * 2 : 2;
		struct tr_claim *v = realloc(c->v, cap * sizeof(*v));
		if (v == NULL)
			return NULL;
		c->v = v;
		c->cap = cap;
	}
	struct tr_claim *k = &c->v[c->n];
	memset(k, 0, sizeof(*k));
	return k;
}

/* Take a stale lease's flock: its fd, or -1 when someone has it now. */
static int take(const char *file)
{
	int fd = open(file, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void let_go(struct tr_claim *k)
{
	for (unsigned j = 0; j < k->n; j++)
		if (k->fd[j] >= 0)
			close(k->fd[j]);
	k->n = 0;
}

/* Take v[idx[0..m)] for one claim, write "reclaiming" into each; false
 * (nothing held) when one of them was taken meanwhile. */
static bool hold(struct tr_claim *k, struct tr_lease *v, const unsigned *idx,
		 unsigned m, bool whole)
{
	for (unsigned j = 0; j < m; j++) {
		int fd = take(v[idx[j]].file);
		if (fd < 0) {
			let_go(k);
			return false;
		}
		k->fd[k->n] = fd;
		snprintf(k->file[k->n], sizeof(k->file[0]), "%s", v[idx[j]].file);
		k->n++;
	}
	for (unsigned j = 0; j < m; j++) {
		struct tr_lease *l = &v[idx[j]];
		l->reclaiming = getpid();
		l->reclaim_whole = whole;
		l->alive = true;
		(void)tr_lease_write(k->fd[j], l, NULL);
	}
	return true;
}

static bool backing_off(const struct tr_lease *l, enum tr_sweep_pace pace)
{
	return pace == TR_SWEEP_PACED && l->reclaim_failed != 0 &&
	       (long long)time(NULL) - l->reclaim_failed < TR_SWEEP_BACKOFF_S;
}

/* What the reclaimer of a whole tenant works from: its first stale lease
 * (the primary's, when it has one), knowing a mount or cgroup any of them
 * recorded. */
static void merge_into(struct tr_lease *into, const struct tr_lease *l, bool first)
{
	if (first) {
		*into = *l;
		return;
	}
	into->huge_mounted = into->huge_mounted || l->huge_mounted;
	into->run_mounted = into->run_mounted || l->run_mounted;
	if (into->cgroup[0] == '\0')
		snprintf(into->cgroup, sizeof(into->cgroup), "%s", l->cgroup);
	if (into->runtime_dir[0] == '\0')
		snprintf(into->runtime_dir, sizeof(into->runtime_dir), "%s", l->runtime_dir);
	if (into->huge_dir[0] == '\0')
		snprintf(into->huge_dir, sizeof(into->huge_dir), "%s", l->huge_dir);
}

/* v[a..b) is one tenant's leases (the scan sorts by tenant). */
static void claim_tenant(struct tr_lease *v, unsigned a, unsigned b,
			 enum tr_sweep_pace pace, struct tr_sweep_claims *out)
{
	bool live = false, taken = false, waiting = false;
	unsigned idx[TR_MAX_MEMBERS + 1], m = 0;
	for (unsigned i = a; i < b; i++) {
		const struct tr_lease *l = &v[i];
		if (l->alive && l->reclaiming == 0)
			live = true;
		else if (l->alive && l->reclaim_whole)
			taken = true;
		else if (!l->alive && m < TR_MAX_MEMBERS + 1) {
			idx[m++] = i;
			waiting = waiting || backing_off(l, pace);
		}
	}
	if (m == 0 || taken)
		return;
	if (!live) {
		if (waiting)
			return;
		struct tr_claim *k = claim_new(out);
		if (k == NULL || !hold(k, v, idx, m, true))
			return;
		k->whole = true;
		for (unsigned j = 0; j < m; j++)
			merge_into(&k->lease, &v[idx[j]], j == 0);
		out->n++;
		return;
	}
	/* A dead member of a live tenant: its own leftovers only. */
	for (unsigned j = 0; j < m; j++) {
		if (backing_off(&v[idx[j]], pace))
			continue;
		struct tr_claim *k = claim_new(out);
		if (k == NULL || !hold(k, v, &idx[j], 1, false))
			continue;
		k->lease = v[idx[j]];
		out->n++;
	}
}

void tr_sweep_claim(struct tr_ledger *lg, struct tr_lease *v, unsigned n,
		    enum tr_sweep_pace pace, const struct tr_reclaimer *r,
		    struct tr_sweep_claims *out)
{
	/* A uid record live without any lease: its shim died between the
	 * two writes at admission. */
	tr_dynuid_sweep(lg->dir, v, n);
	for (unsigned a = 0; a < n;) {
		unsigned b = a;
		while (b < n && strcmp(v[b].tenant, v[a].tenant) == 0)
			b++;
		if (strcmp(v[a].tenant, "?") == 0) {
			/* Half-written by a shim killed at admission: it
			 * names nothing to reclaim. */
			for (unsigned i = a; i < b; i++)
				if (!v[i].alive && unlink_lease(v[i].file) == 0)
					say(r, "removed stale lease ", v[i].file);
		} else {
			claim_tenant(v, a, b, pace, out);
		}
		a = b;
	}
}

int tr_sweep_claim_own(struct tr_ledger *lg, struct tr_lease *v, unsigned n,
		       const struct tr_lease *own, int own_fd,
		       struct tr_sweep_claims *out)
{
	(void)lg;
	struct tr_claim *k = claim_new(out);
	if (k == NULL)
		return -1;
	k->whole = true;
	k->own = true;
	k->lease = *own;
	k->lease.reclaiming = getpid();
	k->lease.reclaim_whole = true;
	k->fd[0] = own_fd;
	snprintf(k->file[0], sizeof(k->file[0]), "%s", own->file);
	k->n = 1;
	(void)tr_lease_write(own_fd, &k->lease, NULL);
	for (unsigned i = 0; i < n; i++) {
		if (strcmp(v[i].tenant, own->tenant) != 0 || v[i].alive)
			continue;
		int fd = take(v[i].file);
		if (fd < 0 || k->n >= TR_MAX_MEMBERS + 1) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		v[i].reclaiming = getpid();
		v[i].reclaim_whole = true;
		v[i].alive = true;
		(void)tr_lease_write(fd, &v[i], NULL);
		merge_into(&k->lease, &v[i], false);
		k->fd[k->n] = fd;
		snprintf(k->file[k->n], sizeof(k->file[0]), "%s", v[i].file);
		k->n++;
	}
	out->n++;
	return 0;
}

int tr_sweep_find(const struct tr_sweep_claims *c, const char *file)
{
	for (unsigned i = 0; i < c->n; i++)
		for (unsigned j = 0; j < c->v[i].n; j++)
			if (strcmp(c->v[i].file[j], file) == 0)
				return (int)i;
	return -1;
}

/* Is the file at path still the one fd holds (not replaced meanwhile)? */
static bool same_file(int fd, const char *path)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* Under the lock: the leases of what was given back go; the others say
 * when it failed, and are let go (stale again). */
static void settle(struct tr_ledger *lg, struct tr_claim *k, bool done,
		   const struct tr_reclaimer *r)
{
	bool locked = tr_ledger_lock(lg, true, NULL) == 0;
	for (unsigned j = 0; j < k->n; j++) {
		if (!same_file(k->fd[j], k->file[j]))
			continue;
		if (done) {
			if (unlink_lease(k->file[j]) == 0 && !(k->own && j == 0))
				say(r, "removed stale lease ", k->file[j]);
			continue;
		}
		char text[16384];
		ssize_t got = pread(k->fd[j], text, sizeof(text) - 1, 0);
		struct tr_lease l;
		if (got <= 0)
			continue;
		text[got] = '\0';
		if (tr_lease_parse(&l, text) < 0)
			continue;
		l.reclaiming = 0;
		l.reclaim_whole = false;
		l.reclaim_failed = (long long)time(NULL);
		(void)tr_lease_write(k->fd[j], &l, NULL);
	}
	/* A whole tenant given back: its group record goes and its dynamic
	 * uid is handed back (its mounts are gone, nothing of the host is
	 * owned by it any more); clean when its cgroup was killed, so none
	 * of its processes runs with the uid. */
	if (done && k->whole)
		tr_ledger_forget_tenant(lg, k->lease.tenant, k->lease.cgroup[0] != '\0');
	/* Unlinked (or marked) before the flocks go: nobody sees the lease
	 * stale and still unsettled. */
	let_go(k);
	if (locked)
		tr_ledger_unlock(lg);
}

int tr_sweep_reclaim_one(struct tr_ledger *lg, struct tr_sweep_claims *c,
			 unsigned i, const struct tr_reclaimer *r,
			 struct tr_error *err)
{
	struct tr_claim *k = &c->v[i];
	struct tr_error e = { 0 };
	int got = 0;
	if (k->n == 0)
		return 0;   /* settled already */
	if (k->whole && r && r->reclaim)
		got = r->reclaim(&k->lease, r->note, r->ctx, &e);
	else if (!k->whole && r && r->reclaim_member)
		got = r->reclaim_member(&k->lease, r->note, r->ctx, &e);
	if (got < 0)
		say(r, "kept for a later reap: ", e.msg);
	settle(lg, k, got == 0, r);
	if (got < 0 && err)
		*err = e;
	return got;
}

unsigned tr_sweep_reclaim_all(struct tr_ledger *lg, struct tr_sweep_claims *c,
			      const struct tr_reclaimer *r)
{
	unsigned failed = 0;
	for (unsigned i = 0; i < c->n; i++)
		if (c->v[i].n > 0 && tr_sweep_reclaim_one(lg, c, i, r, NULL) < 0)
			failed++;
	return failed;
}

/* In the detached child: every fd but 0-2 and the claims' goes, so the
 * child holds no lease, lock or pipe of the shim's. */
static void close_all_but_claims(const struct tr_sweep_claims *c)
{
	DIR *d = opendir("/proc/self/fd");
	if (d == NULL)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		int fd = atoi(de->d_name);
		bool keep = fd <= 2 || fd == dirfd(d);
		for (unsigned i = 0; i < c->n && !keep; i++)
			for (unsigned j = 0; j < c->v[i].n && !keep; j++)
				keep = c->v[i].fd[j] == fd;
		if (!keep)
			close(fd);
	}
	closedir(d);
}

pid_t tr_sweep_detach(struct tr_ledger *lg, struct tr_sweep_claims *c,
		      const struct tr_reclaimer *r)
{
	unsigned held = 0;
	for (unsigned i = 0; i < c->n; i++)
		held += c->v[i].n;
	if (held == 0)
		return 0;
	pid_t pid = fork();
	if (pid < 0) {
		tr_sweep_free(c);
		return -1;
	}
	if (pid == 0) {
		struct tr_ledger own;
		/* Its own session, no stdin or stdout of the shim's (a caller
		 * reading them to the end would wait for it); stderr stays for
		 * what it removed. */
		setsid();
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
		}
		close_all_but_claims(c);
		if (tr_ledger_open(&own, lg->root, false, NULL) == 0)
			tr_sweep_reclaim_all(&own, c, r);
		_exit(0);
	}
	/* The child holds the flocks now (its copies of the same open
	 * files); ours only close. */
	for (unsigned i = 0; i < c->n; i++)
		let_go(&c->v[i]);
	c->n = 0;
	return pid;
}

void tr_sweep_free(struct tr_sweep_claims *c)
{
	for (unsigned i = 0; i < c->n; i++)
		let_go(&c->v[i]);
	free(c->v);
	memset(c, 0, sizeof(*c));
}
