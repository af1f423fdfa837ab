/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Validation rules for isolation (config/rules_iso.h): paths and names
 * that cannot collide with the host or with tenantrt's own entries, who a
 * tenant runs as, what it may never keep, and sums that cannot wrap.
 * Pure, like every rule: the config in, diagnostics out.
 */
#include "config/rules_iso.h"

#include <linux/capability.h>
#include <stdio.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/fsutil.h"
#include "common/layout.h"

/*
 * System directories: a runtimeRoot or hugepageDir may be none of these,
 * nor lie inside the ones of `inside` (the host's own content, pseudo
 * filesystems): the shim creates, chowns, mounts over and covers what is
 * there.
 */
static const char *const system_dirs[] = {
	"/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64",
	"/libx32", "/media", "/mnt", "/opt", "/proc", "/root", "/run", "/sbin",
	"/srv", "/sys", "/tmp", "/usr", "/var", "/var/cache", "/var/lib", "/var/log",
	"/var/run", "/var/tmp", "/var/spool", "/run/lock", "/run/user", "/dev/shm",
	"/dev/mqueue", "/dev/pts",
};
static const char *const system_trees[] = {
	"/proc", "/sys", "/boot", "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32",
	"/lib64", "/libx32", "/root", "/dev/pts", "/dev/shm", "/dev/mqueue",
};

static const char *const reserved_names[] = TR_RESERVED_NAMES;

static struct tr_mark mark_or(struct tr_mark a, struct tr_mark b)
{
	return a.line ? a : b;
}

/* Is dir equal to or below top? */
static bool within(const char *dir, const char *top)
{
	size_t n = strlen(top);
	if (strcmp(top, "/") == 0)
		return true;
	return strncmp(dir, top, n) == 0 && (dir[n] == '\0' || dir[n] == '/');
}

/* The canonical spelling of an absolute path (no "//", ".", "..", trailing
 * "/"), into out. */
static void canonical(const char *path, char *out, size_t len)
{
	char comps[64][256];
	int n = 0;
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		size_t k = strcspn(p, "/");
		if (k == 0)
			break;
		if (k == 1 && p[0] == '.') {
			/* nothing */
		} else if (k == 2 && p[0] == '.' && p[1] == '.') {
			if (n > 0)
				n--;
		} else if (n < 64) {
			snprintf(comps[n++], sizeof(comps[0]), "%.*s", (int)k, p);
		}
		p += k;
	}
	size_t w = 0;
	out[0] = '\0';
	for (int i = 0; i < n && w < len; i++)
		w += (size_t)snprintf(out + w, len - w, "/%s", comps[i]);
	if (n == 0)
		snprintf(out, len, "/");
}

/* One path of the host section; false when it is refused (said). */
static bool check_path(struct tr_diags *d, const char *key, const char *path,
		       struct tr_mark at)
{
	for (const char *p = path; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			tr_diag_err(d, at,
				    "host: %s \"%s\": a newline or control character in a path is refused",
				    key, TR_SHOW(path));
			return false;
		}
	char canon[4096];
	canonical(path, canon, sizeof(canon));
	if (strcmp(canon, path) != 0) {
		tr_diag_err(d, at,
			    "host: %s \"%s\" is not canonical (\"//\", \".\", \"..\" or a trailing \"/\"); write \"%s\"",
			    key, TR_SHOW(path), TR_SHOW(canon));
		return false;
	}
	for (size_t i = 0; i < TR_ARRAY_SIZE(system_dirs); i++)
		if (strcmp(path, system_dirs[i]) == 0) {
			tr_diag_err(d, at,
				    "host: %s \"%s\" is a system directory; tenantrt mounts over and covers what it holds: use a directory of its own such as /run/tenantrt",
				    key, path);
			return false;
		}
	for (size_t i = 0; i < TR_ARRAY_SIZE(system_trees); i++)
		if (within(path, system_trees[i])) {
			tr_diag_err(d, at,
				    "host: %s \"%s\" is inside %s, which holds the host's own files; use a directory of its own such as /run/tenantrt",
				    key, path, system_trees[i]);
			return false;
		}
	return true;
}

void tr_rule_paths(const struct tr_config *cfg, struct tr_diags *d)
{
	const struct tr_host *h = &cfg->host;
	const char *root = tr_host_runtime_root(h);
	char hbuf[4096];
	const char *huge = tr_host_hugepage_dir(h, hbuf, sizeof(hbuf));
	struct tr_mark rmark = mark_or(h->runtime_root_mark, h->mark);
	struct tr_mark hmark = mark_or(h->hugepage_dir_mark, h->mark);
	bool ok = check_path(d, "runtimeRoot", root, rmark);
	if (h->hugepage_dir)
		ok = check_path(d, "hugepageDir", huge, hmark) && ok;
	if (!ok)
		return;
	const char *rel = NULL;
	if (strcmp(huge, root) == 0) {
		tr_diag_err(d, hmark,
			    "host: hugepageDir \"%s\" is the runtimeRoot; tenant T's runtime dir and hugetlbfs would both be %s/T",
			    huge, root);
		return;
	}
	if (tr_path_below(root, huge, &rel)) {
		tr_diag_err(d, rmark,
			    "host: runtimeRoot \"%s\" is inside hugepageDir \"%s\", where each tenant's hugetlbfs is mounted; keep them apart",
			    root, huge);
		return;
	}
	char first[256] = "";
	if (tr_path_below(huge, root, &rel)) {
		snprintf(first, sizeof(first), "%.*s", (int)strcspn(rel, "/"), rel);
		if (strcmp(first, TR_LEDGER_DIR) == 0)
			tr_diag_err(d, hmark,
				    "host: hugepageDir \"%s\" is inside the ledger %s/" TR_LEDGER_DIR ", which is root's alone",
				    huge, root);
	}
	for (unsigned i = 0; i < cfg->n_tenants; i++) {
		const struct tr_tenant *t = &cfg->tenants[i];
		struct tr_mark at = mark_or(t->name_mark, t->mark);
		bool reserved = false;
		for (size_t r = 0; r < TR_ARRAY_SIZE(reserved_names); r++)
			reserved = reserved || strcmp(t->name, reserved_names[r]) == 0;
		if (reserved)
			tr_diag_err(d, at,
				    "tenant \"%s\": name is reserved: %s/%s is tenantrt's own; choose another name",
				    t->name, root, t->name);
		else if (first[0] && strcmp(t->name, first) == 0)
			/* Its runtime dir would hold the hugepage root: the
			 * tenant could swap it for a link. */
			tr_diag_err(d, hmark,
				    "host: hugepageDir \"%s\" is inside tenant \"%s\"'s runtime dir %s/%s (line %u), which its app may write; put it outside",
				    huge, t->name, root, t->name, at.line);
	}
}

void tr_rule_identity(const struct tr_config *cfg, struct tr_diags *d)
{
	for (unsigned i = 0; i < cfg->n_tenants; i++) {
		const struct tr_tenant *t = &cfg->tenants[i];
		const struct tr_user *u = &t->user;
		struct tr_mark tmark = mark_or(t->name_mark, t->mark);
		if (u->set && u->resolved && u->uid == 0)
			tr_diag_warn(d, mark_or(u->mark, tmark),
				     "tenant \"%s\": user \"%s\" runs its app as host uid 0: without capabilities and with the host read-only in its mount namespace, but it can read root-only files (/etc/shadow) and signal every root process; remove user: to give it a uid of its own",
				     t->name, TR_SHOW(u->user));
		else if (u->set && u->resolved && u->uid >= TR_DYNUID_MIN && u->uid <= TR_DYNUID_MAX)
			tr_diag_warn(d, mark_or(u->mark, tmark),
				     "tenant \"%s\": uid %u is in tenantrt's dynamic range %u-%u, which tenants without user: get; admission refuses it while such a tenant holds it",
				     t->name, (unsigned)u->uid, TR_DYNUID_MIN, TR_DYNUID_MAX);
		for (unsigned c = 0; c < t->security.n_caps; c++)
			if (t->security.caps[c] == CAP_SYS_ADMIN)
				tr_diag_err(d, mark_or(t->security.caps_mark, tmark),
					    "tenant \"%s\": security.capabilities SYS_ADMIN is never kept: it would let the app unmount its view of the host and remount it writable",
					    t->name);
	}
}

void tr_rule_memory_sums(const struct tr_config *cfg, struct tr_diags *d)
{
	for (unsigned i = 0; i < cfg->n_tenants; i++) {
		const struct tr_tenant *t = &cfg->tenants[i];
		const struct tr_memory *m = &t->memory;
		uint64_t sum = 0;
		for (unsigned n = 0; n < m->n_socket; n++) {
			if (m->socket_mb[n] > TR_MEMORY_MAX_MB - sum) {
				tr_diag_err(d, mark_or(m->socket_mark, mark_or(m->mark, t->mark)),
					    "tenant \"%s\": memory.socketMb adds up to more than %llu MiB; no host has that",
					    t->name, (unsigned long long)TR_MEMORY_MAX_MB);
				break;
			}
			sum += m->socket_mb[n];
		}
	}
}
