/* SPDX-License-Identifier: BSD-3-Clause */
/* Can the tenant's uid get to its dirs and its app? (host/reach.h) */
#include "host/reach.h"

#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "common/fsutil.h"

static bool has_cap(uint64_t caps, int cap)
{
	return (caps & (UINT64_C(1) << cap)) != 0;
}

void tr_reach_who_of(struct tr_reach_who *who, const struct tr_isolation *iso)
{
	*who = (struct tr_reach_who){
		.uid = iso->uid,
		.gid = iso->gid,
		.supp = iso->supp,
		.n_supp = iso->n_supp,
		.dac_read_search = has_cap(iso->caps, CAP_DAC_READ_SEARCH),
		.dac_override = has_cap(iso->caps, CAP_DAC_OVERRIDE),
	};
}

static bool in_groups(const struct tr_reach_who *who, gid_t group)
{
	if (group == who->gid)
		return true;
	for (unsigned i = 0; i < who->n_supp; i++)
		if (who->supp && who->supp[i] == group)
			return true;
	return false;
}

bool tr_reach_allows(const struct tr_reach_who *who, mode_t mode, uid_t owner,
		     gid_t group, enum tr_reach_class *cls)
{
	/* From the mode alone (POSIX ACLs are not read: reach.h). One
	 * class only, as the kernel does: an owner without x is refused
	 * even when the others have it. */
	enum tr_reach_class c = owner == who->uid ? TR_REACH_OWNER
				: in_groups(who, group) ? TR_REACH_GROUP
							: TR_REACH_OTHER;
	if (cls)
		*cls = c;
	mode_t x = c == TR_REACH_OWNER ? S_IXUSR : c == TR_REACH_GROUP ? S_IXGRP : S_IXOTH;
	if (mode & x)
		return true;
	if (S_ISDIR(mode))
		return who->dac_read_search || who->dac_override;
	/* CAP_DAC_OVERRIDE executes a file that anyone may execute. */
	return who->dac_override && (mode & (S_IXUSR | S_IXGRP | S_IXOTH));
}

/* 0 passes, 1 stops it (*b filled), -1 cannot be stat'ed: not there yet
 * (set-up makes it 0755, and all below it), or set-up will say why. */
static int judge(const char *path, const struct tr_reach_who *who,
		 struct tr_reach_block *b)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	enum tr_reach_class cls;
	if (tr_reach_allows(who, st.st_mode, st.st_uid, st.st_gid, &cls))
		return 0;
	snprintf(b->path, sizeof(b->path), "%s", path);
	b->mode = st.st_mode;
	b->owner = st.st_uid;
	b->group = st.st_gid;
	b->cls = cls;
	return 1;
}

int tr_reach_walk(const char *path, bool whole, const struct tr_reach_who *who,
		  struct tr_reach_block *b)
{
	char prefix[4096];
	size_t len = strlen(path);
	if (len == 0 || len >= sizeof(prefix) || path[0] != '/')
		return 0;
	while (len > 1 && path[len - 1] == '/')
		len--;
	int rc = judge("/", who, b);
	for (size_t i = 1; rc == 0 && i <= len; i++) {
		/* The end of a component: "/a" of "/a/b", then "/a/b";
		 * none in "//". */
		if ((i < len && path[i] != '/') || path[i - 1] == '/')
			continue;
		if (i == len && !whole)
			break;
		memcpy(prefix, path, i);
		prefix[i] = '\0';
		rc = judge(prefix, who, b);
	}
	return rc == 1;
}

/* chmod's letter for the class the mode was judged by. */
static char class_letter(enum tr_reach_class c)
{
	return c == TR_REACH_OWNER ? 'u' : c == TR_REACH_GROUP ? 'g' : 'o';
}

/* "root:root", numbers where the databases have no name. */
static void owner_names(uid_t uid, gid_t gid, char *out, size_t len)
{
	char buf[8192], u[64], g[64];
	struct passwd pw, *pwr = NULL;
	struct group gr, *grr = NULL;
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &pwr) == 0 && pwr)
		snprintf(u, sizeof(u), "%s", pwr->pw_name);
	else
		snprintf(u, sizeof(u), "%u", (unsigned)uid);
	if (getgrgid_r(gid, &gr, buf, sizeof(buf), &grr) == 0 && grr)
		snprintf(g, sizeof(g), "%s", grr->gr_name);
	else
		snprintf(g, sizeof(g), "%u", (unsigned)gid);
	snprintf(out, len, "%s:%s", u, g);
}

/*
 * The one line: "<what> <path>: <who> cannot reach it: <dir> is 0700
 * root:root; make it searchable (chmod o+x <dir>) or <instead>".
 */
static int refuse(struct tr_error *err, const char *what, const char *path,
		  const char *who, const struct tr_reach_block *b, const char *instead)
{
	char owner[160];
	owner_names(b->owner, b->group, owner, sizeof(owner));
	bool dir = S_ISDIR(b->mode);
	return tr_err(err, EX_CONFIG, "%s %s: %s cannot %s it: %s is %04o %s; make it %s (chmod %c+x %s) or %s",
		      what, path, who, dir ? "reach" : "execute", b->path,
		      (unsigned)(b->mode & 07777), owner, dir ? "searchable" : "executable",
		      class_letter(b->cls),
		      b->path, instead);
}

int tr_reach_check(const struct tr_isolation *iso, const char *app_path,
		   struct tr_error *err)
{
	if (iso->uid == 0)
		return 0;
	struct tr_reach_who who;
	tr_reach_who_of(&who, iso);
	char uid[32];
	snprintf(uid, sizeof(uid), "uid %u", (unsigned)iso->uid);
	struct tr_reach_block b;
	/* In a mount namespace of its own the member finds a 0755 tmpfs on
	 * each root (isolate/mountns.c): their ancestors are the host's. */
	bool whole = !iso->mount_ns;
	if (tr_reach_walk(iso->runtime_root, whole, &who, &b) == 1)
		return refuse(err, "runtimeRoot", iso->runtime_root, uid, &b,
			      "choose another runtimeRoot");
	/* As isolate/mountns.c decides whether its cover of runtimeRoot
	 * holds hugepageDir. */
	bool covered = iso->mount_ns && tr_path_below(iso->huge_root, iso->runtime_root, NULL);
	if (!covered && tr_reach_walk(iso->huge_root, whole, &who, &b) == 1)
		return refuse(err, "hugepageDir", iso->huge_root, uid, &b,
			      "choose another hugepageDir");
	if (app_path && app_path[0] && tr_reach_walk(app_path, true, &who, &b) == 1) {
		char instead[64];
		snprintf(instead, sizeof(instead), "install it where %s may run it", uid);
		return refuse(err, "app", app_path, uid, &b, instead);
	}
	return 0;
}

/* The first tenant not running as root that root's path stops, or -1. */
static int first_stopped(const struct tr_config *cfg, const char *root,
			 struct tr_reach_block *b)
{
	for (unsigned i = 0; i < cfg->n_tenants; i++) {
		const struct tr_tenant *t = &cfg->tenants[i];
		/* A dynamic uid owns nothing and is in no group yet. */
		struct tr_reach_who who = { .uid = (uid_t)-1, .gid = (gid_t)-1 };
		if (t->user.set) {
			if (!t->user.resolved || t->user.uid == 0)
				continue;
			who.uid = t->user.uid;
			who.gid = t->user.gid;
			who.supp = t->user.supp;
			who.n_supp = t->user.n_supp;
		}
		for (unsigned c = 0; c < t->security.n_caps; c++) {
			who.dac_read_search |= t->security.caps[c] == CAP_DAC_READ_SEARCH;
			who.dac_override |= t->security.caps[c] == CAP_DAC_OVERRIDE;
		}
		/* Only the ancestors: without a mount namespace the root
		 * itself counts too, but validate cannot know which the
		 * shim gets, and a warning must not cry wolf. */
		if (tr_reach_walk(root, false, &who, b) == 1)
			return (int)i;
	}
	return -1;
}

/* Warns when root stops a tenant, unless at the dir that *said (when not
 * empty) already named; *said gets the dir named. */
static void warn_root(const struct tr_config *cfg, struct tr_diags *d, const char *key,
		      const char *root, struct tr_mark mark, char *said, size_t said_len)
{
	struct tr_reach_block b;
	int i = first_stopped(cfg, root, &b);
	if (i < 0 || strcmp(b.path, said) == 0)
		return;
	snprintf(said, said_len, "%s", b.path);
	const struct tr_tenant *t = &cfg->tenants[i];
	char owner[160], who[64];
	owner_names(b.owner, b.group, owner, sizeof(owner));
	if (t->user.set)
		snprintf(who, sizeof(who), "uid %u", (unsigned)t->user.uid);
	else
		snprintf(who, sizeof(who), "its dynamic uid");
	tr_diag_warn(d, mark,
		     "host: %s \"%s\": tenant \"%s\" runs as %s, which cannot reach it: %s is %04o %s; make it searchable (chmod %c+x %s) or choose another %s",
		     key, root, t->name, who, b.path, (unsigned)(b.mode & 07777), owner, class_letter(b.cls),
		     b.path, key);
}

void tr_reach_warn(const struct tr_config *cfg, struct tr_diags *d)
{
	const char *root = tr_host_runtime_root(&cfg->host);
	char hbuf[4096], said[4096] = "";
	const char *huge = tr_host_hugepage_dir(&cfg->host, hbuf, sizeof(hbuf));
	warn_root(cfg, d, "runtimeRoot", root, cfg->host.runtime_root_mark, said, sizeof(said));
	/* One warning for one dir above both. */
	if (!tr_path_below(huge, root, NULL))
		warn_root(cfg, d, "hugepageDir", huge, cfg->host.hugepage_dir_mark, said,
			  sizeof(said));
}
