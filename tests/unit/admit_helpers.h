/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Admission in tests: a request for a made-up tenant, a "live shim" that
 * admits in a forked child and holds its lease until released (or is
 * killed -9, as a crashed shim), and a count of the ledger's leases. For
 * test_admit.c and test_sweep.c; the runtimeRoot is helpers.h's tr_tmp.
 */
#ifndef TR_TEST_ADMIT_HELPERS_H
#define TR_TEST_ADMIT_HELPERS_H

#include "helpers.h"
#include <sys/file.h>

#include "common/layout.h"
#include "host/admit.h"

static inline struct tr_admit_req req_for(const char *tenant, enum tr_role role,
				   const char *cpus, bool exclusive,
				   const char *nic, uint64_t quota)
{
	struct tr_admit_req r;
	memset(&r, 0, sizeof(r));
	r.tenant = tenant;
	r.role = role;
	r.max_secondaries = 2;
	r.free_pages = 100;
	r.lease.exclusive = exclusive;
	r.lease.cpus = tr_test_cpus(cpus);
	if (nic) {
		r.lease.n_nics = 1;
		snprintf(r.lease.nics[0], sizeof(r.lease.nics[0]), "%s", nic);
	}
	r.lease.quota_pages = quota;
	r.lease.page_bytes = 2 << 20;
	snprintf(r.lease.runtime_dir, sizeof(r.lease.runtime_dir), "%s/%s", tr_tmp, tenant);
	snprintf(r.lease.huge_dir, sizeof(r.lease.huge_dir), "%s/huge/%s", tr_tmp, tenant);
	return r;
}

struct holder {
	pid_t pid;
	int wfd;       /* close to let it exit */
	unsigned member;
};

/* A secondary asks for the first free slot, as the role stage picks it. */
static inline void pick_member(struct tr_ledger *lg, struct tr_admit_req *r)
{
	struct tr_lease *v = NULL;
	unsigned n = 0;
	if (r->role != TR_ROLE_SECONDARY)
		return;
	assert_int_equal(tr_ledger_lock(lg, false, NULL), 0);
	assert_int_equal(tr_ledger_scan(lg, &v, &n, NULL), 0);
	tr_ledger_unlock(lg);
	r->member = tr_admit_free_member(v, n, r->tenant, r->max_secondaries);
	free(v);
}

/* Admit in a child that keeps the lease until released; -1 if refused. */
static inline int hold(const struct tr_admit_req *r, struct holder *h)
{
	int go[2], back[2];
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(back), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Drop the other holders' pipe ends, or their release never
		 * reaches them. */
		for (int fd = 3; fd < 1024; fd++)
			if (fd != go[0] && fd != back[1])
				close(fd);
		struct tr_ledger lg;
		struct tr_admission adm;
		struct tr_admit_req mine = *r;
		int m = -1;
		if (tr_ledger_open(&lg, tr_tmp, true, NULL) == 0) {
			pick_member(&lg, &mine);
			if (tr_admit(&lg, &mine, &adm, NULL) == 0)
				m = (int)adm.lease.member;
		}
		(void)!write(back[1], &m, sizeof(m));
		char c;
		(void)!read(go[0], &c, 1);
		_exit(0);
	}
	close(go[0]);
	close(back[1]);
	int m = -1;
	assert_int_equal(read(back[0], &m, sizeof(m)), sizeof(m));
	close(back[0]);
	h->pid = pid;
	h->wfd = go[1];
	h->member = (unsigned)m;
	return m;
}

static inline void release(struct holder *h)
{
	close(h->wfd);
	waitpid(h->pid, NULL, 0);
}

static inline void crash(struct holder *h)
{
	kill(h->pid, SIGKILL);
	waitpid(h->pid, NULL, 0);
	close(h->wfd);
}

static inline int admit_here(const struct tr_admit_req *r, struct tr_admission *adm,
		      struct tr_error *err)
{
	struct tr_ledger lg;
	struct tr_admit_req mine = *r;
	assert_int_equal(tr_ledger_open(&lg, tr_tmp, true, NULL), 0);
	pick_member(&lg, &mine);
	int rc = tr_admit(&lg, &mine, adm, err);
	tr_ledger_close(&lg);
	return rc;
}

/* Leases in the ledger (alive_only: those whose flock is held). */
static inline unsigned count_leases(struct tr_ledger *lg, bool alive_only)
{
	struct tr_lease *v;
	unsigned n, k = 0;
	assert_int_equal(tr_ledger_lock(lg, false, NULL), 0);
	assert_int_equal(tr_ledger_scan(lg, &v, &n, NULL), 0);
	tr_ledger_unlock(lg);
	for (unsigned i = 0; i < n; i++)
		k += !alive_only || v[i].alive;
	free(v);
	return k;
}

/* The lease file of tenant's member, written as a shim would; the fd that
 * holds its flock when held (else -1, and the lease is stale). */
static inline int put_lease(const char *tenant, unsigned member, bool held)
{
	char dir[PATH_MAX + 16], path[PATH_MAX + 96];
	snprintf(dir, sizeof(dir), "%s/" TR_LEDGER_DIR, tr_tmp);
	snprintf(path, sizeof(path), "%s/%s.%u.lease", dir, tenant, member);
	struct tr_lease l;
	memset(&l, 0, sizeof(l));
	snprintf(l.tenant, sizeof(l.tenant), "%s", tenant);
	l.member = member;
	l.role = member ? TR_ROLE_SECONDARY : TR_ROLE_PRIMARY;
	snprintf(l.runtime_dir, sizeof(l.runtime_dir), "%s/%s", tr_tmp, tenant);
	int fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(tr_lease_write(fd, &l, NULL), 0);
	if (held) {
		assert_int_equal(flock(fd, LOCK_EX), 0);
		return fd;
	}
	close(fd);
	return -1;
}

static inline bool lease_exists(const char *tenant, unsigned member)
{
	char path[PATH_MAX + 96];
	snprintf(path, sizeof(path), "%s/" TR_LEDGER_DIR "/%s.%u.lease", tr_tmp, tenant, member);
	return access(path, F_OK) == 0;
}

/* Open, lock and scan the ledger as an admission does; *v to free. */
static inline unsigned scan(struct tr_ledger *lg, struct tr_lease **v)
{
	unsigned n = 0;
	assert_int_equal(tr_ledger_open(lg, tr_tmp, false, NULL), 0);
	assert_int_equal(tr_ledger_lock(lg, true, NULL), 0);
	assert_int_equal(tr_ledger_scan(lg, v, &n, NULL), 0);
	return n;
}

static inline void done(struct tr_ledger *lg, struct tr_lease *v)
{
	free(v);
	tr_ledger_unlock(lg);
	tr_ledger_close(lg);
}

#endif
