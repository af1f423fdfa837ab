/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The device plugin's device-info JSON (host/devinfo.h): a small reader
 * that finds one key at one level, and the check of a tenant's PCI NICs
 * against it.
 */
#include "host/devinfo.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "common/fsutil.h"

/* Skip a JSON string starting at s (on the opening quote); NULL if cut. */
static const char *skip_string(const char *s)
{
	for (s++; *s; s++) {
		if (*s == '\\') {
			if (*++s == '\0')
				return NULL;
		} else if (*s == '"') {
			return s + 1;
		}
	}
	return NULL;
}

/* The end (one past '}') of the object starting at s ('{'), or NULL. */
static const char *skip_object(const char *s)
{
	int depth = 0;
	while (*s) {
		if (*s == '"') {
			s = skip_string(s);
			if (s == NULL)
				return NULL;
			continue;
		}
		if (*s == '{' || *s == '[')
			depth++;
		else if ((*s == '}' || *s == ']') && --depth == 0)
			return s + 1;
		s++;
	}
	return NULL;
}

static const char *skip_ws(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return s;
}

/*
 * Find the member "key" directly inside the object [obj, end) and return
 * its value's start, or NULL. Only the top level of that object counts, so
 * a "dev-mount" inside another device's entry is never taken for ours.
 */
static const char *object_member(const char *obj, const char *end,
				 const char *key)
{
	const char *s = skip_ws(obj + 1);
	size_t klen = strlen(key);
	while (s < end && *s == '"') {
		const char *kend = skip_string(s);
		if (kend == NULL || kend > end)
			return NULL;
		bool match = (size_t)(kend - s - 2) == klen &&
			     strncmp(s + 1, key, klen) == 0;
		s = skip_ws(kend);
		if (*s != ':')
			return NULL;
		s = skip_ws(s + 1);
		if (match)
			return s;
		/* skip the value */
		if (*s == '{' || *s == '[')
			s = skip_object(s);
		else if (*s == '"')
			s = skip_string(s);
		else
			while (s && s < end && *s != ',' && *s != '}')
				s++;
		if (s == NULL || s >= end)
			return NULL;
		s = skip_ws(s);
		if (*s == ',')
			s = skip_ws(s + 1);
	}
	return NULL;
}

int tr_devinfo_dev_mount(const char *info_json, const char *bdf, char *out,
			  size_t out_len)
{
	const char *top = skip_ws(info_json);
	if (*top != '{')
		return -1;
	const char *top_end = skip_object(top);
	if (top_end == NULL)
		return -1;
	const char *dev = object_member(top, top_end, bdf);
	if (dev == NULL || *dev != '{')
		return -1;
	const char *dev_end = skip_object(dev);
	if (dev_end == NULL)
		return -1;
	const char *vfio = object_member(dev, dev_end, "vfio");
	if (vfio == NULL)
		return 0;
	if (*vfio != '{')
		return -1;
	const char *vfio_end = skip_object(vfio);
	if (vfio_end == NULL)
		return -1;
	const char *mnt = object_member(vfio, vfio_end, "dev-mount");
	if (mnt == NULL)
		return 0;
	if (*mnt != '"')
		return -1;
	const char *mend = skip_string(mnt);
	if (mend == NULL)
		return -1;
	/* Device paths carry no escapes; refuse rather than mis-decode one. */
	if (memchr(mnt + 1, '\\', (size_t)(mend - mnt - 2)) != NULL)
		return -1;
	tr_copy_field(out, out_len, mnt + 1, (size_t)(mend - mnt - 2));
	return 1;
}

static void where(char *buf, size_t len, const struct tr_config *cfg,
		  struct tr_mark m)
{
	if (m.line)
		snprintf(buf, len, " (%s:%u:%u)", cfg->file ? cfg->file : "tenants.yaml",
			 m.line, m.col);
	else
		buf[0] = '\0';
}

int tr_devinfo_check(const struct tr_config *cfg,
			     const struct tr_tenant *t, const char *root,
			     char *const envp[], struct tr_error *err)
{
	for (unsigned i = 0; i < t->n_nics; i++) {
		const struct tr_nic *nic = &t->nics[i];
		if (nic->kind != TR_NIC_PCI || nic->from_env == NULL)
			continue;
		char var[256];
		snprintf(var, sizeof(var), "%s_INFO", nic->from_env);
		const char *info = tr_env_get(envp, var);
		if (info == NULL || *info == '\0')
			continue; /* older device plugins set no _INFO */
		char at[PATH_MAX + 32], node[PATH_MAX];
		where(at, sizeof(at), cfg, nic->mark);
		int r = tr_devinfo_dev_mount(info, nic->spec, node, sizeof(node));
		if (r < 0)
			return tr_err(err, EX_CONFIG, "NIC %s from %s%s "
				      "is not described in %s; the device plugin's "
				      "variables disagree, recreate the pod", nic->spec, nic->from_env, at, var);
		if (r == 0)
			continue;
		char full[PATH_MAX * 2];
		snprintf(full, sizeof(full), "%s%s", root, node);
		struct stat st;
		if (stat(full, &st) < 0)
			return tr_err_sys(err, EX_CONFIG, errno, "NIC %s "
					  "from %s%s needs %s (%s) in the container",
					  nic->spec, nic->from_env, at, node, var);
		if (!S_ISCHR(st.st_mode))
			return tr_err(err, EX_CONFIG, "NIC %s: %s (%s) "
				      "is not a character device", nic->spec,
				      node, var);
	}
	return 0;
}
