/* SPDX-License-Identifier: BSD-3-Clause */
#include "host/admit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run/reap.h"
#include "isolate/tenantfs.h"
#include "common/cleanup.h"

static int mkdir_p(const char *path, mode_t mode)
{
	char tmp[TR_LEASE_PATH_MAX];
	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int tr_ledger_open(struct tr_ledger *lg, const char *runtime_root, bool create,
		   struct tr_error *err)
{
	lg->lock_fd = -1;
	snprintf(lg->root, sizeof(lg->root), "%s", runtime_root);
	snprintf(lg->dir, sizeof(lg->dir), "%s/.ledger", runtime_root);
	if (create && mkdir_p(lg->dir, 0700) < 0)
		return tr_err_sys(err, EX_CANTCREAT, errno,
				  "cannot create the ledger %s", lg->dir);
	char path[TR_LEASE_PATH_MAX + 8];
	snprintf(path, sizeof(path), "%s/lock", lg->dir);
	lg->lock_fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT : 0), 0600);
	if (lg->lock_fd < 0) {
		if (!create && errno == ENOENT)
			return tr_err(err, EX_NOINPUT,
				      "no ledger under %s: no tenant was started with this runtimeRoot",
				      runtime_root);
		return tr_err_sys(err, EX_CANTCREAT, errno, "cannot open %s", path);
	}
	return 0;
}

void tr_ledger_close(struct tr_ledger *lg)
{
	if (lg->lock_fd >= 0)
		close(lg->lock_fd);
	lg->lock_fd = -1;
}

int tr_ledger_lock(struct tr_ledger *lg, bool exclusive, struct tr_error *err)
{
	while (flock(lg->lock_fd, exclusive ? LOCK_EX : LOCK_SH) < 0)
		if (errno != EINTR)
			return tr_err_sys(err, EX_OSERR, errno, "cannot lock the ledger %s",
					  lg->dir);
	return 0;
}

void tr_ledger_unlock(struct tr_ledger *lg)
{
	flock(lg->lock_fd, LOCK_UN);
}

/* --- lease text ----------------------------------------------------------- */

int tr_lease_format(const struct tr_lease *l, char *buf, size_t len)
{
	char cpus[1024], mcpus[1024];
	tr_cpuset_format(&l->cpus, cpus, sizeof(cpus));
	tr_cpuset_format(&l->member_cpus, mcpus, sizeof(mcpus));
	int n = snprintf(buf, len,
			 "tenant=%s\nmember=%u\nrole=%s\nshim_pid=%d\napp_pid=%d\n"
			 "since=%lld\nexclusive=%d\ncpus=%s\nmember_cpus=%s\nlcores=%s\n"
			 "quota_pages=%" PRIu64 "\npage_bytes=%" PRIu64 "\n"
			 "huge_mounted=%d\nruntime_dir=%s\nhuge_dir=%s\nconfig=%s\n",
			 l->tenant, l->member, tr_role_name(l->role), (int)l->shim_pid,
			 (int)l->app_pid, l->since, l->exclusive ? 1 : 0, cpus, mcpus,
			 l->lcores, l->quota_pages, l->page_bytes,
			 l->huge_mounted ? 1 : 0, l->runtime_dir, l->huge_dir, l->config);
	for (unsigned i = 0; i < l->n_nics && n >= 0 && (size_t)n < len; i++)
		n += snprintf(buf + n, len - (size_t)n, "nic=%s\n", l->nics[i]);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}

#define COPY_FIELD(dst, v) snprintf((dst), sizeof(dst), "%s", (v))

int tr_lease_parse(struct tr_lease *l, const char *text)
{
	memset(l, 0, sizeof(*l));
	const char *p = text;
	bool have_tenant = false;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[TR_LEASE_PATH_MAX + 32];
		if (n >= sizeof(line))
			return -1;
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (nl ? 1 : 0);
		char *eq = strchr(line, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		const char *k = line, *v = eq + 1;
		char why[64];
		if (strcmp(k, "tenant") == 0) {
			COPY_FIELD(l->tenant, v);
			have_tenant = true;
		} else if (strcmp(k, "member") == 0) {
			l->member = (unsigned)strtoul(v, NULL, 10);
		} else if (strcmp(k, "role") == 0) {
			l->role = strcmp(v, "primary") == 0 ? TR_ROLE_PRIMARY : TR_ROLE_SECONDARY;
		} else if (strcmp(k, "shim_pid") == 0) {
			l->shim_pid = (pid_t)strtol(v, NULL, 10);
		} else if (strcmp(k, "app_pid") == 0) {
			l->app_pid = (pid_t)strtol(v, NULL, 10);
		} else if (strcmp(k, "since") == 0) {
			l->since = strtoll(v, NULL, 10);
		} else if (strcmp(k, "exclusive") == 0) {
			l->exclusive = strcmp(v, "1") == 0;
		} else if (strcmp(k, "cpus") == 0) {
			if (*v && tr_cpuset_parse(&l->cpus, v, why, sizeof(why)) < 0)
				return -1;
		} else if (strcmp(k, "member_cpus") == 0) {
			if (*v && tr_cpuset_parse(&l->member_cpus, v, why, sizeof(why)) < 0)
				return -1;
		} else if (strcmp(k, "lcores") == 0) {
			COPY_FIELD(l->lcores, v);
		} else if (strcmp(k, "quota_pages") == 0) {
			l->quota_pages = strtoull(v, NULL, 10);
		} else if (strcmp(k, "page_bytes") == 0) {
			l->page_bytes = strtoull(v, NULL, 10);
		} else if (strcmp(k, "huge_mounted") == 0) {
			l->huge_mounted = strcmp(v, "1") == 0;
		} else if (strcmp(k, "runtime_dir") == 0) {
			COPY_FIELD(l->runtime_dir, v);
		} else if (strcmp(k, "huge_dir") == 0) {
			COPY_FIELD(l->huge_dir, v);
		} else if (strcmp(k, "config") == 0) {
			COPY_FIELD(l->config, v);
		} else if (strcmp(k, "nic") == 0 && l->n_nics < TR_MAX_NICS) {
			COPY_FIELD(l->nics[l->n_nics], v);
			l->n_nics++;
		}
	}
	return have_tenant ? 0 : -1;
}

/* --- scanning ------------------------------------------------------------- */

static int lease_cmp(const void *a, const void *b)
{
	const struct tr_lease *x = a, *y = b;
	int c = strcmp(x->tenant, y->tenant);
	if (c)
		return c;
	return x->member < y->member ? -1 : x->member > y->member;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a > b && strcmp(s + a - b, suffix) == 0;
}

int tr_ledger_scan(struct tr_ledger *lg, struct tr_lease **out, unsigned *n,
		   struct tr_error *err)
{
	*out = NULL;
	*n = 0;
	DIR *d = opendir(lg->dir);
	if (d == NULL)
		return tr_err_sys(err, EX_OSERR, errno, "cannot read the ledger %s", lg->dir);
	struct tr_lease *v = NULL;
	unsigned cnt = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!has_suffix(de->d_name, ".lease"))
			continue;
		char path[TR_LEASE_PATH_MAX + 300];
		snprintf(path, sizeof(path), "%s/%s", lg->dir, de->d_name);
		_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			continue;
		char text[16384];
		ssize_t r = pread(fd, text, sizeof(text) - 1, 0);
		if (r < 0)
			continue;
		text[r] = '\0';
		if (cnt == cap) {
			cap = cap ? cap * 2 : 8;
			struct tr_lease *nv = realloc(v, cap * sizeof(*v));
			if (nv == NULL) {
				free(v);
				closedir(d);
				return tr_err(err, EX_OSERR, "out of memory reading the ledger");
			}
			v = nv;
		}
		struct tr_lease *l = &v[cnt];
		if (tr_lease_parse(l, text) < 0) {
			/* A lease half-written by a shim killed at admission:
			 * keep it only while someone holds it. */
			memset(l, 0, sizeof(*l));
			snprintf(l->tenant, sizeof(l->tenant), "?");
		}
		/* Alive when its shim still holds the flock. */
		if (flock(fd, LOCK_SH | LOCK_NB) < 0) {
			l->alive = (errno == EWOULDBLOCK);
		} else {
			l->alive = false;
			flock(fd, LOCK_UN);
		}
		snprintf(l->file, sizeof(l->file), "%s", path);
		cnt++;
	}
	closedir(d);
	if (cnt > 1)
		qsort(v, cnt, sizeof(*v), lease_cmp);
	*out = v;
	*n = cnt;
	return 0;
}

void tr_nic_identity(const struct tr_nic *nic, char *buf, size_t len)
{
	if (nic->kind != TR_NIC_VDEV) {
		snprintf(buf, len, "%s", nic->spec);
		return;
	}
	/* net_af_packet / net_tap / net_pcap bind a kernel interface: that
	 * interface is what two tenants must not share. */
	const char *iface = strstr(nic->spec, "iface=");
	if (iface) {
		size_t n = strcspn(iface, ",");
		snprintf(buf, len, "%.*s", (int)n, iface);
		return;
	}
	size_t n = strcspn(nic->spec, ",");
	snprintf(buf, len, "%.*s", (int)n, nic->spec);
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

/* --- admission ------------------------------------------------------------ */

static int write_lease(int fd, const struct tr_lease *l, struct tr_error *err)
{
	char buf[16384];
	int n = tr_lease_format(l, buf, sizeof(buf));
	if (n < 0)
		return tr_err(err, EX_SOFTWARE, "lease of tenant \"%s\" is too large", l->tenant);
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n)
		return tr_err_sys(err, EX_IOERR, errno, "cannot write the lease of tenant \"%s\"",
				  l->tenant);
	return 0;
}

static int check_rules(const struct tr_admit_req *req, const struct tr_lease *v,
		       unsigned n, unsigned *member, bool *primary_held,
		       struct tr_error *err)
{
	const struct tr_lease *me = &req->lease;
	const char *t = req->tenant;
	const struct tr_lease *primary = NULL;
	unsigned n_sec = 0;
	bool used[TR_MAX_MEMBER_LCORES + 1] = { false };
	char sec_pids[256] = "";

	for (unsigned i = 0; i < n; i++) {
		const struct tr_lease *l = &v[i];
		if (!l->alive)
			continue;
		if (strcmp(l->tenant, t) == 0) {
			if (l->role == TR_ROLE_PRIMARY) {
				primary = l;
			} else {
				n_sec++;
				size_t k = strlen(sec_pids);
				snprintf(sec_pids + k, sizeof(sec_pids) - k, "%s%d",
					 k ? ", " : "", (int)(l->app_pid ? l->app_pid : l->shim_pid));
			}
			if (l->member <= TR_MAX_MEMBER_LCORES)
				used[l->member] = true;
			continue;
		}
		/* Another tenant: NICs and exclusive cpus. */
		pid_t who = l->app_pid ? l->app_pid : l->shim_pid;
		for (unsigned a = 0; a < me->n_nics; a++)
			for (unsigned b = 0; b < l->n_nics; b++)
				if (nic_is_host_resource(me->nics[a]) &&
				    strcmp(me->nics[a], l->nics[b]) == 0)
					return tr_err(err, EX_UNAVAILABLE,
						      "tenant \"%s\": NIC %s is held by tenant \"%s\" (pid %d); stop it or give this tenant another NIC",
						      t, me->nics[a], l->tenant, (int)who);
		struct tr_cpuset both;
		if ((me->exclusive || l->exclusive) &&
		    tr_cpuset_and(&both, &me->cpus, &l->cpus)) {
			char list[256];
			tr_cpuset_format(&both, list, sizeof(list));
			return tr_err(err, EX_UNAVAILABLE,
				      "tenant \"%s\": its cpus overlap tenant \"%s\" (pid %d) on cpus %s, and one of the two has cpuPolicy exclusive; give them disjoint cpus",
				      t, l->tenant, (int)who, list);
		}
	}

	*primary_held = primary != NULL || req->primary_lock_held;
	if (req->role == TR_ROLE_PRIMARY) {
		if (primary)
			return tr_err(err, EX_UNAVAILABLE,
				      "tenant \"%s\": a primary is already running (pid %d); start with --role secondary or auto",
				      t, (int)(primary->app_pid ? primary->app_pid : primary->shim_pid));
		if (req->primary_lock_held)
			return tr_err(err, EX_UNAVAILABLE,
				      "tenant \"%s\": a primary is already running (pid %d); start with --role secondary or auto",
				      t, (int)req->primary_lock_pid);
		if (n_sec > 0)
			return tr_err(err, EX_UNAVAILABLE,
				      "tenant \"%s\": secondaries of the previous primary still run (pid %s); a new primary would re-initialise memory under them; wait until they stop",
				      t, sec_pids);
		*member = 0;
		return 0;
	}

	if (primary == NULL && !req->primary_lock_held)
		return tr_err(err, EX_UNAVAILABLE,
			      "tenant \"%s\": no primary is running; start one first, or give --wait-primary SECONDS",
			      t);
	if (req->max_secondaries == 0)
		return tr_err(err, EX_UNAVAILABLE,
			      "tenant \"%s\": an independent primary (group.maxSecondaries is 0) takes no secondaries; raise group.maxSecondaries",
			      t);
	if (n_sec >= req->max_secondaries)
		return tr_err(err, EX_UNAVAILABLE,
			      "tenant \"%s\": all %u secondary slots are taken (pid %s); stop one or raise group.maxSecondaries",
			      t, req->max_secondaries, sec_pids);
	for (unsigned m = 1; m <= req->max_secondaries && m <= TR_MAX_MEMBER_LCORES; m++)
		if (!used[m]) {
			*member = m;
			return 0;
		}
	return tr_err(err, EX_UNAVAILABLE, "tenant \"%s\": no free member index", t);
}

/* Pages promised to running tenants other than ours and not yet in use. */
static uint64_t promised_pages(const struct tr_lease *v, unsigned n,
			       const char *tenant, char *who, size_t wlen)
{
	uint64_t sum = 0;
	who[0] = '\0';
	for (unsigned i = 0; i < n; i++) {
		const struct tr_lease *l = &v[i];
		if (!l->alive || l->role != TR_ROLE_PRIMARY || strcmp(l->tenant, tenant) == 0)
			continue;
		uint64_t used = tr_tenantfs_used_pages(l->huge_dir, l->page_bytes);
		if (l->quota_pages > used) {
			sum += l->quota_pages - used;
			size_t k = strlen(who);
			snprintf(who + k, wlen - k, "%s\"%s\" pid %d", k ? ", " : "",
				 l->tenant, (int)(l->app_pid ? l->app_pid : l->shim_pid));
		}
	}
	return sum;
}

static uint64_t sysfs_free_pages(uint64_t page_bytes, uint64_t fallback)
{
	char path[128];
	snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%" PRIu64 "kB/free_hugepages",
		 page_bytes >> 10);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	unsigned long long v;
	if (f == NULL || fscanf(f, "%llu", &v) != 1)
		return fallback;
	return v;
}

int tr_admit(struct tr_ledger *lg, const struct tr_admit_req *req,
	     struct tr_admission *adm, struct tr_error *err)
{
	adm->fd = -1;
	adm->first = false;
	adm->lost_primary_race = false;
	if (tr_ledger_lock(lg, true, err) < 0)
		return -1;
	struct tr_lease *v = NULL;
	unsigned n = 0;
	int rc = -1;
	_cleanup_close_ int fd = -1;

	if (tr_ledger_scan(lg, &v, &n, err) < 0)
		goto out;
	int reclaimed = tr_reap_stale(lg, v, n, req->note, req->note_ctx, NULL);
	/* Under the lock: the host facts were read before it, and since then
	 * a reclaim may have given pages back or a tenant faulted its in. */
	uint64_t free_pages = req->free_pages;
	if (req->reread_free_pages || reclaimed > 0)
		free_pages = sysfs_free_pages(req->lease.page_bytes, free_pages);
	unsigned member = 0;
	bool primary_held = false;
	if (check_rules(req, v, n, &member, &primary_held, err) < 0) {
		adm->lost_primary_race = req->role == TR_ROLE_PRIMARY && primary_held;
		goto out;
	}

	if (req->role == TR_ROLE_PRIMARY && req->lease.quota_pages > 0) {
		char who[512];
		uint64_t promised = promised_pages(v, n, req->tenant, who, sizeof(who));
		uint64_t avail = free_pages > promised ? free_pages - promised : 0;
		if (req->lease.quota_pages > avail) {
			rc = tr_err(err, EX_UNAVAILABLE,
				    "tenant \"%s\": hugepage quota of %" PRIu64 " pages does not fit: %" PRIu64 " free, %" PRIu64 " promised to running tenants%s%s%s; free hugepages or lower memory.limitMb",
				    req->tenant, req->lease.quota_pages, free_pages,
				    promised, who[0] ? " (" : "", who, who[0] ? ")" : "");
			goto out;
		}
	}

	adm->lease = req->lease;
	adm->lease.member = member;
	adm->lease.role = req->role;
	adm->lease.shim_pid = getpid();
	adm->lease.app_pid = 0;
	adm->lease.since = (long long)time(NULL);
	snprintf(adm->lease.tenant, sizeof(adm->lease.tenant), "%s", req->tenant);
	snprintf(adm->lease.file, sizeof(adm->lease.file), "%s/%s.%u.lease", lg->dir,
		 req->tenant, member);
	adm->first = true;
	for (unsigned i = 0; i < n; i++)
		if (v[i].alive && strcmp(v[i].tenant, req->tenant) == 0)
			adm->first = false;

	fd = open(adm->lease.file, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		rc = tr_err_sys(err, EX_CANTCREAT, errno, "cannot create lease %s",
				adm->lease.file);
		goto out;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		rc = tr_err_sys(err, EX_UNAVAILABLE, errno, "lease %s is held by another shim",
				adm->lease.file);
		goto out;
	}
	if (write_lease(fd, &adm->lease, err) < 0) {
		unlink(adm->lease.file);
		goto out;
	}
	adm->lease.alive = true;
	adm->fd = TAKE_FD(fd);
	rc = 0;
out:
	free(v);
	tr_ledger_unlock(lg);
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
	int rc = write_lease(adm->fd, &adm->lease, err);
	tr_ledger_unlock(lg);
	return rc;
}

int tr_admission_release(struct tr_ledger *lg, struct tr_admission *adm,
			 tr_note_fn note, void *ctx, struct tr_error *err)
{
	if (adm->fd < 0)
		return 0;
	if (tr_ledger_lock(lg, true, err) < 0)
		return -1;
	struct tr_lease *v = NULL;
	unsigned n = 0;
	int rc = tr_ledger_scan(lg, &v, &n, err);
	bool keep_lease = false;
	if (rc == 0) {
		bool others = false;
		for (unsigned i = 0; i < n; i++)
			if (v[i].alive && strcmp(v[i].tenant, adm->lease.tenant) == 0 &&
			    strcmp(v[i].file, adm->lease.file) != 0)
				others = true;
		if (!others) {
			/* Our own tenant first, whatever else is stuck: the
			 * lease names its files and mount, so it goes only
			 * once they are gone. Kept (closed, hence stale), the
			 * next admission or `tenantrt reap` tries again. */
			int r = tr_reap_tenant(&adm->lease, note, ctx, err);
			keep_lease = r != 0;
			if (r < 0)
				rc = -1;
			/* Stale leases of this tenant (a member whose shim
			 * was killed) and of others: what cannot be reclaimed
			 * now stays for later, and is no failure of ours. */
			tr_reap_stale(lg, v, n, note, ctx, NULL);
		}
	}
	/* Unlink before close: under the ledger lock nobody sees the lease
	 * go stale in between. */
	if (!keep_lease)
		unlink(adm->lease.file);
	close(adm->fd);
	adm->fd = -1;
	free(v);
	tr_ledger_unlock(lg);
	return rc < 0 ? -1 : 0;
}
