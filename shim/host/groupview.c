/* SPDX-License-Identifier: BSD-3-Clause */
/* A running group's layout and view, and a secondary's check against them
 * (host/groupview.h). */
#include "host/groupview.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "common/cpuset.h"
#include "host/manifest.h"

static void fs_id(const char *path, struct tr_fs_id *id)
{
	struct stat st;
	memset(id, 0, sizeof(*id));
	if (path[0] && stat(path, &st) == 0) {
		id->set = true;
		id->dev = (unsigned long long)st.st_dev;
		id->ino = (unsigned long long)st.st_ino;
	}
}

void tr_group_view_of_plan(struct tr_manifest *m, const struct tr_plan *p)
{
	m->per_primary = p->per_primary;
	m->per_secondary = p->per_secondary;
	size_t k = 0;
	m->lcores[0] = '\0';
	for (unsigned i = 0; i < p->n_lcores && k < sizeof(m->lcores); i++)
		k += (size_t)snprintf(m->lcores + k, sizeof(m->lcores) - k, "%s%u", i ? "," : "",
				      p->lcore_ids[i]);
	snprintf(m->run_dir, sizeof(m->run_dir), "%s", p->iso.runtime_dir);
	fs_id(p->iso.runtime_dir, &m->run_id);
	fs_id(p->iso.huge_dir, &m->huge_id);
}

void tr_group_view_write(const struct tr_manifest *m, FILE *f)
{
	fprintf(f, "lcores_per_primary=%u\nlcores_per_secondary=%u\nlcores=%s\n", m->per_primary,
		m->per_secondary, m->lcores);
	if (m->run_id.set)
		fprintf(f, "run_fs=%llu:%llu\n", m->run_id.dev, m->run_id.ino);
	if (m->huge_id.set)
		fprintf(f, "huge_fs=%llu:%llu\n", m->huge_id.dev, m->huge_id.ino);
}

static void read_id(const char *v, struct tr_fs_id *id)
{
	char *end;
	id->dev = strtoull(v, &end, 10);
	id->set = *end == ':';
	if (id->set)
		id->ino = strtoull(end + 1, NULL, 10);
}

void tr_group_view_read(struct tr_manifest *m, const char *key, const char *value)
{
	if (strcmp(key, "lcores_per_primary") == 0)
		m->per_primary = (unsigned)strtoul(value, NULL, 10);
	else if (strcmp(key, "lcores_per_secondary") == 0)
		m->per_secondary = (unsigned)strtoul(value, NULL, 10);
	else if (strcmp(key, "lcores") == 0)
		snprintf(m->lcores, sizeof(m->lcores), "%s", value);
	else if (strcmp(key, "run_fs") == 0)
		read_id(value, &m->run_id);
	else if (strcmp(key, "huge_fs") == 0)
		read_id(value, &m->huge_id);
}

/* The group-wide memory flags of a record, space-separated ("" if none). */
static void group_flags(const struct tr_manifest *m, char *buf, size_t len)
{
	size_t k = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < m->n_mem && k < len; i++) {
		const char *a = m->mem[i];
		if (strcmp(a, "-m") == 0) {
			i++;   /* and its value */
			continue;
		}
		if (strncmp(a, "--socket-mem", 12) == 0 || strncmp(a, "--socket-limit", 14) == 0 ||
		    strncmp(a, "--huge-dir", 10) == 0) {
			if (strchr(a, '=') == NULL)
				i++;
			continue;
		}
		k += (size_t)snprintf(buf + k, len - k, "%s%s", k ? " " : "", a);
	}
}

static bool has_flag(const char *flags, const char *flag)
{
	size_t n = strlen(flag);
	for (const char *p = flags; (p = strstr(p, flag)) != NULL; p += n)
		if ((p == flags || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return true;
	return false;
}

static int check_memory(const struct tr_manifest *primary, const struct tr_manifest *mine,
			struct tr_error *err)
{
	char theirs[1024], ours[1024];
	group_flags(primary, theirs, sizeof(theirs));
	group_flags(mine, ours, sizeof(ours));
	if (strcmp(theirs, ours) == 0)
		return 0;
	bool p_sfs = has_flag(theirs, "--single-file-segments"),
	     m_sfs = has_flag(ours, "--single-file-segments");
	if (p_sfs != m_sfs)
		return tr_err(err, EX_UNAVAILABLE,
			      "group.singleFileSegments is %s here but the running group's primary runs %s --single-file-segments; DPDK would silently use the primary's layout; restart the group to apply the edit, or set it back",
			      m_sfs ? "true" : "false", p_sfs ? "with" : "without");
	return tr_err(err, EX_UNAVAILABLE,
		      "memory flags (%s) differ from the running group's (%s); DPDK would silently use the primary's; restart the group to apply the edit, or set them back",
		      ours[0] ? ours : "none", theirs[0] ? theirs : "none");
}

static int check_lcores(const struct tr_manifest *primary, const struct tr_manifest *mine,
			struct tr_error *err)
{
	/* A record without a layout (an older shim's): nothing to compare. */
	if (primary->per_primary == 0 || mine->per_primary == 0 ||
	    (primary->per_primary == mine->per_primary &&
	     primary->per_secondary == mine->per_secondary))
		return 0;
	struct tr_cpuset a, b, both;
	char why[64];
	bool overlap = tr_cpuset_parse(&a, primary->lcores, why, sizeof(why)) == 0 &&
		       tr_cpuset_parse(&b, mine->lcores, why, sizeof(why)) == 0 &&
		       tr_cpuset_and(&both, &a, &b);
	if (overlap)
		return tr_err(err, EX_UNAVAILABLE,
			      "lcores.perPrimary/perSecondary are %u/%u here but %u/%u in the running group: this secondary's lcore ids %s would overlap the primary's %s; restart the group to apply the edit, or set them back",
			      mine->per_primary, mine->per_secondary, primary->per_primary,
			      primary->per_secondary, mine->lcores, primary->lcores);
	return tr_err(err, EX_UNAVAILABLE,
		      "lcores.perPrimary/perSecondary are %u/%u here but %u/%u in the running group: lcore ids would no longer be unique in the group; restart the group to apply the edit, or set them back",
		      mine->per_primary, mine->per_secondary, primary->per_primary,
		      primary->per_secondary);
}

static int check_view(const char *what, const char *path, const struct tr_fs_id *theirs,
		      const struct tr_fs_id *ours, struct tr_error *err)
{
	if (!theirs->set || (ours->set && ours->dev == theirs->dev && ours->ino == theirs->ino))
		return 0;
	return tr_err(err, EX_UNAVAILABLE,
		      "this shim does not see the group's %s at %s (device %u:%u here, %u:%u for the primary): it runs in another mount namespace than its primary, and DPDK would map ordinary files there; give every member the group's mounts (one pod, the same volumes)",
		      what, path, ours->set ? major((dev_t)ours->dev) : 0,
		      ours->set ? minor((dev_t)ours->dev) : 0, major((dev_t)theirs->dev),
		      minor((dev_t)theirs->dev));
}

/* The group's hugetlbfs and runtime dir, as its record has them, against
 * what this process sees at huge_dir and run_dir. */
static int check_views(const struct tr_manifest *rec, const char *huge_dir,
		       const struct tr_fs_id *huge, const char *run_dir,
		       const struct tr_fs_id *run, struct tr_error *err)
{
	if (check_view("hugetlbfs", huge_dir, &rec->huge_id, huge, err) < 0 ||
	    check_view("runtime dir", run_dir, &rec->run_id, run, err) < 0)
		return -1;
	return 0;
}

int tr_group_view_seen(const struct tr_manifest *rec, const char *run_dir,
		       struct tr_error *err)
{
	struct tr_fs_id run, huge;
	fs_id(run_dir, &run);
	fs_id(rec->huge_dir, &huge);
	return check_views(rec, rec->huge_dir, &huge, run_dir, &run, err);
}

int tr_group_view_check(const struct tr_manifest *primary, const struct tr_manifest *mine,
			struct tr_error *err)
{
	if (check_views(primary, mine->huge_dir, &mine->huge_id, mine->run_dir, &mine->run_id,
			err) < 0 ||
	    check_memory(primary, mine, err) < 0 || check_lcores(primary, mine, err) < 0)
		return -1;
	return 0;
}
