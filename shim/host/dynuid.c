/* SPDX-License-Identifier: BSD-3-Clause */
/* Dynamic uids: the records, the choice, the host's own users
 * (host/dynuid.h). */
#include "host/dynuid.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fsutil.h"

#define RANGE TR_DYNUID_RANGE

static void record_path(char *buf, size_t len, const char *ledger_dir,
			const char *tenant)
{
	snprintf(buf, len, "%s/%s" TR_UID_RECORD_SUFFIX, ledger_dir, tenant);
}

static int parse_record(const char *text, struct tr_uid_record *r)
{
	memset(r, 0, sizeof(*r));
	bool have_uid = false;
	for (const char *p = text; p && *p;) {
		unsigned long long v;
		char state[16];
		if (sscanf(p, "uid=%llu", &v) == 1 && v <= TR_DYNUID_MAX) {
			r->uid = (uid_t)v;
			have_uid = tr_dynuid_in_range(r->uid);
		} else if (sscanf(p, "state=%15s", state) == 1) {
			r->live = strcmp(state, "live") == 0;
		} else if (sscanf(p, "since=%llu", &v) == 1) {
			r->since = (long long)v;
		} else if (sscanf(p, "clean=%llu", &v) == 1) {
			r->clean = v == 1;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return have_uid ? 0 : -1;
}

int tr_dynuid_record_read(const char *ledger_dir, const char *tenant,
			  struct tr_uid_record *r)
{
	char path[4400], text[1024];
	record_path(path, sizeof(path), ledger_dir, tenant);
	/* Root's dir, but read as everything else the shim reads back:
	 * never follow, never block on open. Under the record's flock, shared:
	 * a writer rewrites it in place (write_record). */
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || flock(fd, LOCK_SH) < 0)
		return -1;
	ssize_t got = pread(fd, text, sizeof(text) - 1, 0);
	if (got < 0)
		return -1;
	text[got] = '\0';
	return parse_record(text, r) < 0 ? -1 : 0;
}

static int write_record(const char *ledger_dir, const char *runtime_root,
			const char *tenant, uid_t uid, bool live, bool clean,
			struct tr_error *err)
{
	char path[4400], text[4400];
	record_path(path, sizeof(path), ledger_dir, tenant);
	int n = snprintf(text, sizeof(text), "uid=%u\nstate=%s\nsince=%lld\nroot=%s\n%s",
			 (unsigned)uid, live ? "live" : "released",
			 (long long)time(NULL), runtime_root ? runtime_root : "",
			 !live && clean ? "clean=1\n" : "");
	if (n < 0 || (size_t)n >= sizeof(text))
		return tr_err(err, EX_SOFTWARE, "the uid record of tenant \"%s\" is too long", tenant);
	/*
	 * Rewritten in place under its flock, not replaced by a rename: on
	 * ext4 (a /run that is no tmpfs) a rename over the old record flushes
	 * the new one's data and frees the old one's blocks, 0.4-1 ms of every
	 * start and stop here against 0.05 ms. Readers take the flock shared
	 * and see the whole old or the whole new text; writers hold the ledger
	 * lock besides. A host crash mid-write leaves a record that does not
	 * parse: read as none, the tenant is given a uid again.
	 */
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
				      0600);
	if (fd < 0)
		return tr_err_sys(err, EX_CANTCREAT, errno, "cannot write %s", path);
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return tr_err(err, EX_CANTCREAT, "cannot write %s: not a regular file", path);
	if (flock(fd, LOCK_EX) < 0 || pwrite(fd, text, (size_t)n, 0) != n ||
	    ftruncate(fd, n) < 0)
		return tr_err_sys(err, EX_IOERR, errno, "cannot write %s", path);
	return 0;
}

int tr_dynuid_record_live(const char *ledger_dir, const char *runtime_root,
			  const char *tenant, uid_t uid, struct tr_error *err)
{
	struct tr_uid_record r;
	if (tr_dynuid_record_read(ledger_dir, tenant, &r) == 0 && r.live && r.uid == uid)
		return 0;
	return write_record(ledger_dir, runtime_root, tenant, uid, true, false, err);
}

void tr_dynuid_release(const char *ledger_dir, const char *tenant, bool clean)
{
	struct tr_uid_record r;
	if (tr_dynuid_record_read(ledger_dir, tenant, &r) == 0 && r.live)
		write_record(ledger_dir, NULL, tenant, r.uid, false, clean, NULL);
}

/* Calls fn for each tenant that has a uid record; stops when fn does. */
static void each_record(const char *ledger_dir,
			bool (*fn)(const char *tenant, const struct tr_uid_record *r,
				   void *arg),
			void *arg)
{
	_cleanup_closedir_ DIR *d = opendir(ledger_dir);
	if (d == NULL)
		return;
	struct dirent *de;
	size_t sl = strlen(TR_UID_RECORD_SUFFIX);
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		if (n <= sl || n - sl >= TR_NAME_MAX ||
		    strcmp(de->d_name + n - sl, TR_UID_RECORD_SUFFIX) != 0)
			continue;
		char tenant[TR_NAME_MAX];
		tr_copy_field(tenant, sizeof(tenant), de->d_name, n - sl);
		struct tr_uid_record r;
		if (tr_dynuid_record_read(ledger_dir, tenant, &r) == 0 && fn(tenant, &r, arg))
			return;
	}
}

struct orphan_ctx {
	const char *ledger_dir;
	const struct tr_lease *v;
	unsigned n;
};

static bool release_orphan(const char *tenant, const struct tr_uid_record *r, void *arg)
{
	struct orphan_ctx *c = arg;
	if (!r->live)
		return false;
	for (unsigned i = 0; i < c->n; i++)
		if (strcmp(c->v[i].tenant, tenant) == 0)
			return false;
	tr_dynuid_release(c->ledger_dir, tenant, false);   /* nothing was reclaimed */
	return false;
}

void tr_dynuid_sweep(const char *ledger_dir, const struct tr_lease *v, unsigned n)
{
	struct orphan_ctx c = { ledger_dir, v, n };
	each_record(ledger_dir, release_orphan, &c);
}

uid_t tr_dynuid_hash(const char *runtime_root, const char *tenant)
{
	/* FNV-1a over "<runtimeRoot>\0<tenant>": stable across versions and
	 * hosts, unlike anything seeded. */
	uint64_t h = UINT64_C(14695981039346656037);
	const char *parts[2] = { runtime_root, tenant };
	for (int k = 0; k < 2; k++) {
		for (const unsigned char *p = (const unsigned char *)parts[k]; *p; p++)
			h = (h ^ *p) * UINT64_C(1099511628211);
		h = (h ^ 0) * UINT64_C(1099511628211);
	}
	return (uid_t)(TR_DYNUID_MIN + h % RANGE);
}

/* Uids held by tenantrt itself for others: live records, other tenants'
 * leases (stale ones too: their tenant is not reclaimed yet). And the uids
 * some record gives back without a whole reclaim (dirty): the only ones
 * whose processes are looked for. */
struct held {
	const char *tenant;
	unsigned char bits[(RANGE + 7) / 8];
	unsigned char dirty[(RANGE + 7) / 8];
	unsigned char named[(RANGE + 7) / 8];
};

static void set_bit(unsigned char *bits, unsigned long id)
{
	if (id >= TR_DYNUID_MIN && id <= TR_DYNUID_MAX)
		bits[(id - TR_DYNUID_MIN) / 8] |= (unsigned char)(1u << ((id - TR_DYNUID_MIN) % 8));
}

static bool bit(const unsigned char *bits, uid_t uid)
{
	return bits[(uid - TR_DYNUID_MIN) / 8] & (1u << ((uid - TR_DYNUID_MIN) % 8));
}

static bool hold_live(const char *tenant, const struct tr_uid_record *r, void *arg)
{
	struct held *h = arg;
	set_bit(h->named, r->uid);
	if (!r->live && !r->clean)
		set_bit(h->dirty, r->uid);
	if (r->live && strcmp(tenant, h->tenant) != 0)
		set_bit(h->bits, r->uid);
	return false;
}

int tr_dynuid_pick(const char *ledger_dir, const char *runtime_root,
		   const char *tenant, const struct tr_lease *v, unsigned n,
		   tr_uid_taken_fn taken, void *ctx, uid_t *out,
		   struct tr_error *err)
{
	struct tr_uid_record mine;
	bool have = ledger_dir && tr_dynuid_record_read(ledger_dir, tenant, &mine) == 0;
	if (have && mine.live) {
		*out = mine.uid;
		return 0;
	}
	struct held h = { .tenant = tenant };
	if (ledger_dir)
		each_record(ledger_dir, hold_live, &h);
	for (unsigned i = 0; i < n; i++)
		if (strcmp(v[i].tenant, tenant) != 0)
			set_bit(h.bits, v[i].uid), set_bit(h.bits, v[i].gid);
	uid_t first = tr_dynuid_hash(runtime_root, tenant);
	for (unsigned k = 0; k <= RANGE; k++) {
		uid_t cand;
		if (k == 0) {
			if (!have)
				continue;
			cand = mine.uid;   /* the one it had last time */
		} else {
			cand = TR_DYNUID_MIN + (first - TR_DYNUID_MIN + k - 1) % RANGE;
		}
		if (bit(h.bits, cand))
			continue;
		/* Named by records, each of them clean: no process of a
		 * tenant's outlived its reclaim. */
		bool procs_free = bit(h.named, cand) && !bit(h.dirty, cand);
		if (taken && taken(cand, procs_free, ctx))
			continue;
		*out = cand;
		return 0;
	}
	return tr_err(err, EX_UNAVAILABLE,
		      "no free uid in %u-%u for a tenant without user: (every one is a user, a group, a running process or another tenant's); give it a user:",
		      TR_DYNUID_MIN, TR_DYNUID_MAX);
}

/* --- the host's own users: NSS and running processes ---------------------- */

static bool nss_has(uid_t id);

bool tr_nsswitch_files_only(const char *conf, const char *db)
{
	size_t dl = strlen(db);
	for (const char *p = conf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, db, dl) != 0 || p[dl] != ':')
			continue;
		const char *q = p + dl + 1;
		for (;;) {
			q += strspn(q, " \t");
			size_t n = strcspn(q, " \t\n#");
			if (n == 0)
				return *q == '\n' || *q == '\0' || *q == '#';
			if (!((n == 5 && strncmp(q, "files", 5) == 0) ||
			      (n == 7 && strncmp(q, "systemd", 7) == 0)))
				return false;   /* ldap, sss, an action [...] */
			q += n;
		}
	}
	return false;   /* not named: glibc's default, which is not only files */
}

/*
 * Only files: systemd's module answers, in our range, only from userdb
 * drop-ins (its dynamic users, homed users and containers have ranges of
 * their own) and from services in /run/systemd/userdb, of which only its
 * own (io.systemd.*) may be there.
 */
static bool nss_is_files(void)
{
	static int known = -1;
	if (known >= 0)
		return known;
	char conf[8192];
	known = 0;
	if (tr_read_text("/etc/nsswitch.conf", conf, sizeof(conf)) < 0 ||
	    !tr_nsswitch_files_only(conf, "passwd") || !tr_nsswitch_files_only(conf, "group"))
		return false;
	_cleanup_closedir_ DIR *d = opendir("/run/systemd/userdb");
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && strncmp(de->d_name, "io.systemd.", 11) != 0)
			return false;
	known = 1;
	return true;
}

static bool file_has(const char *path, uid_t id, bool group)
{
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return errno != ENOENT;   /* unreadable: taken */
	bool found = false;
	if (group) {
		struct group *g;
		while (!found && (g = fgetgrent(f)) != NULL)
			found = g->gr_gid == (gid_t)id;
	} else {
		struct passwd *pw;
		while (!found && (pw = fgetpwent(f)) != NULL)
			found = pw->pw_uid == id;
	}
	fclose(f);
	return found;
}

static bool dropin_has(uid_t id)
{
	static const char *const dirs[] = { "/etc/userdb", "/run/userdb", "/run/host/userdb",
					    "/usr/local/lib/userdb", "/usr/lib/userdb" };
	for (size_t i = 0; i < TR_ARRAY_SIZE(dirs); i++) {
		char path[96];
		snprintf(path, sizeof(path), "%s/%u.user", dirs[i], (unsigned)id);
		if (access(path, F_OK) == 0)
			return true;
		snprintf(path, sizeof(path), "%s/%u.group", dirs[i], (unsigned)id);
		if (access(path, F_OK) == 0)
			return true;
	}
	return false;
}

static bool db_has(uid_t id)
{
	if (nss_is_files())
		return file_has("/etc/passwd", id, false) || file_has("/etc/group", id, true) ||
		       dropin_has(id);
	return nss_has(id);
}

static bool nss_has(uid_t id)
{
	char buf[16384];
	struct passwd pw, *pwr = NULL;
	struct group gr, *grr = NULL;
	/* An error (a database we cannot read) counts as taken: never hand
	 * out a number we could not check. */
	int a = getpwuid_r(id, &pw, buf, sizeof(buf), &pwr);
	if (a != 0 && a != ENOENT && a != ESRCH)
		return true;
	if (pwr)
		return true;
	int b = getgrgid_r((gid_t)id, &gr, buf, sizeof(buf), &grr);
	if (b != 0 && b != ENOENT && b != ESRCH)
		return true;
	return grr != NULL;
}

/* "Uid:\tR\tE\tS\tF": each id in the range into bits. */
static void mark_ids(unsigned char *bits, const char *line)
{
	const char *p = strchr(line, ':');
	for (int i = 0; p && i < 4; i++) {
		char *end;
		unsigned long v = strtoul(p + 1, &end, 10);
		if (end == p + 1)
			break;
		set_bit(bits, v);
		p = end;
	}
}

/* Ids in the range any process runs with, from one pass over /proc. */
static void scan_procs(struct tr_host_uids *h)
{
	h->scanned = true;
	_cleanup_closedir_ DIR *d = opendir("/proc");
	if (d == NULL)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		char path[64], text[2048];
		snprintf(path, sizeof(path), "/proc/%s/status", de->d_name);
		_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t r = read(fd, text, sizeof(text) - 1);
		if (r <= 0)
			continue;
		text[r] = '\0';
		const char *u = strstr(text, "\nUid:");
		const char *g = strstr(text, "\nGid:");
		if (u)
			mark_ids(h->bits, u + 1);
		if (g)
			mark_ids(h->bits, g + 1);
	}
}

bool tr_dynuid_host_taken(uid_t uid, bool procs_free, void *ctx)
{
	struct tr_host_uids *h = ctx;
	if (!procs_free) {
		if (!h->scanned)
			scan_procs(h);
		if (tr_dynuid_in_range(uid) && bit(h->bits, uid))
			return true;
	}
	/* Admission asks again for the uid the plan was made with. */
	if (!h->db_checked || h->db_uid != uid) {
		h->db_uid = uid;
		h->db_taken = db_has(uid);
		h->db_checked = true;
	}
	return h->db_taken;
}
