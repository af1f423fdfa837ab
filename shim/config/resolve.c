/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 2, resolve: what tenants.yaml refers to outside itself.
 *
 * {env: PCIDEVICE_X} NICs come from Kubernetes' SR-IOV device plugin, which
 * hands a pod its virtual functions as comma-separated BDFs in
 * PCIDEVICE_<RESOURCE> (a sibling PCIDEVICE_<RESOURCE>_INFO JSON carries
 * more detail; not needed yet). Every PCI address leaves here in one
 * spelling, "dddd:bb:dd.f" lowercase, so validation compares NICs as
 * strings and the plan hands DPDK exactly what it prints back.
 */
#include "config/resolve.h"

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/fsutil.h"
#include "config/pciaddr.h"

#define ctx_err(d, t, mark, fmt, ...)                                          \
	tr_diag_err((d), (mark), "tenant \"%s\": " fmt, TR_SHOW((t)->name),  \
		    ##__VA_ARGS__)

/*
 * Expand one {env: VAR} NIC into out[] (PCI NICs); returns how many, or -1
 * after a diagnostic.
 */
static int expand_env(const struct tr_tenant *t, const struct tr_nic *nic,
		      char *const envp[], struct tr_nic *out, unsigned room,
		      struct tr_diags *diags)
{
	const char *var = nic->spec;
	const char *val = tr_env_get(envp, var);
	if (val == NULL) {
		ctx_err(diags, t, nic->mark, "NIC env %s is not set; is the device "
			"plugin resource requested?", var);
		return -1;
	}
	_cleanup_free_ char *copy = strdup(val);
	if (copy == NULL) {
		ctx_err(diags, t, nic->mark, "out of memory reading NIC env %s",
			var);
		return -1;
	}
	unsigned n = 0;
	bool bad = false;
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*tok))
			tok++;
		char *end = tok + strlen(tok);
		while (end > tok && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*tok == '\0')
			continue; /* "a,,b" or a trailing comma */
		char bdf[TR_PCI_ADDR_LEN];
		if (tr_pci_addr_normalise(tok, bdf, sizeof(bdf)) < 0) {
			ctx_err(diags, t, nic->mark, "NIC env %s holds \"%s\" "
				"which is not a PCI address", var,
				TR_SHOW(tok));
			bad = true;
			continue;
		}
		if (n >= room) {
			ctx_err(diags, t, nic->mark, "NIC env %s brings the "
				"tenant over %d NICs", var, TR_MAX_NICS);
			bad = true;
			break;
		}
		out[n].kind = TR_NIC_PCI;
		out[n].spec = strdup(bdf);
		out[n].from_env = strdup(var);
		out[n].mark = nic->mark;
		/* Each device the variable names is held to the entry's
		 * policy (its driver, allow-list, PF). */
		int pol = tr_nic_policy_copy(&out[n].policy, &nic->policy);
		n++;
		if (out[n - 1].spec == NULL || out[n - 1].from_env == NULL || pol < 0) {
			ctx_err(diags, t, nic->mark, "out of memory reading NIC "
				"env %s", var);
			bad = true;
			break;
		}
	}
	if (bad) {
		for (unsigned i = 0; i < n; i++) {
			free(out[i].spec);
			free(out[i].from_env);
			tr_nic_policy_free(&out[i].policy);
			memset(&out[i], 0, sizeof(out[i]));
		}
		return -1;
	}
	if (n == 0) {
		ctx_err(diags, t, nic->mark, "NIC env %s is empty; the device "
			"plugin gave this container no device", var);
		return -1;
	}
	return (int)n;
}

/*
 * expand: expand {env: VAR} NICs (else they stay TR_NIC_ENV entries, which
 * validation skips); keep_unset: an unset VAR leaves its entry in place
 * without a diagnostic, for tr_nic_env_unresolved to find.
 */
static void resolve_nics(struct tr_tenant *t, char *const envp[], bool expand,
			 bool keep_unset, struct tr_diags *diags)
{
	struct tr_nic out[TR_MAX_NICS];
	unsigned n = 0;
	memset(out, 0, sizeof(out));
	for (unsigned i = 0; i < t->n_nics; i++) {
		struct tr_nic *nic = &t->nics[i];
		if (nic->kind == TR_NIC_ENV &&
		    (!expand || (keep_unset && tr_env_get(envp, nic->spec) == NULL))) {
			if (n < TR_MAX_NICS) {
				out[n++] = *nic;
				continue;
			}
		}
		if (nic->kind == TR_NIC_ENV) {
			int got = expand_env(t, nic, envp, out + n,
					     TR_MAX_NICS - n, diags);
			if (got > 0)
				n += (unsigned)got;
			free(nic->spec);
			free(nic->from_env);
			tr_nic_policy_free(&nic->policy);
			continue;
		}
		if (nic->kind == TR_NIC_PCI) {
			char bdf[TR_PCI_ADDR_LEN];
			if (tr_pci_addr_normalise(nic->spec, bdf, sizeof(bdf)) == 0 &&
			    strcmp(bdf, nic->spec) != 0) {
				char *norm = strdup(bdf);
				if (norm) {
					free(nic->spec);
					nic->spec = norm;
				}
			}
		}
		if (n >= TR_MAX_NICS) {
			/* Only reachable after an env expansion filled up. */
			free(nic->spec);
			free(nic->from_env);
			tr_nic_policy_free(&nic->policy);
			continue;
		}
		out[n++] = *nic;
	}
	memcpy(t->nics, out, sizeof(out));
	t->n_nics = n;
}

/* A uid/gid written as a number; -1 when s is not one. */
static int parse_id(const char *s, unsigned *out)
{
	if (*s == '\0' || strspn(s, "0123456789") != strlen(s))
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, NULL, 10);
	/* (uid_t)-1 means "unchanged" to setresuid: never a tenant's id. */
	if (errno == ERANGE || v >= UINT32_MAX)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static size_t pw_buf_size(void)
{
	long n = sysconf(_SC_GETPW_R_SIZE_MAX);
	return n > 0 && n < 1 << 20 ? (size_t)n : 16384;
}

/* What resolve asks of the passwd and group databases. */
enum nss_query { PW_BY_NAME, PW_BY_UID, GR_BY_NAME };

/* All it takes from an answer: the ids. The entry's strings live in a
 * buffer that is gone when lookup returns. */
struct nss_ids {
	uid_t uid; /* 0 for a group */
	gid_t gid;
};

/* 0 found, 1 not found, -1 error (errno). The get*_r call is retried with
 * a larger buffer for as long as it says ERANGE, up to 1 MiB. */
static int lookup(enum nss_query q, const char *name, uid_t uid,
		  struct nss_ids *out)
{
	for (size_t size = pw_buf_size(); size <= 1 << 20; size *= 2) {
		_cleanup_free_ char *buf = malloc(size);
		if (buf == NULL)
			return -1;
		struct passwd pw, *pw_res = NULL;
		struct group gr, *gr_res = NULL;
		int rc;
		if (q == GR_BY_NAME)
			rc = getgrnam_r(name, &gr, buf, size, &gr_res);
		else if (q == PW_BY_NAME)
			rc = getpwnam_r(name, &pw, buf, size, &pw_res);
		else
			rc = getpwuid_r(uid, &pw, buf, size, &pw_res);
		if (rc == ERANGE)
			continue;
		if (rc != 0) {
			errno = rc;
			return -1;
		}
		if (pw_res)
			*out = (struct nss_ids){ pw.pw_uid, pw.pw_gid };
		else if (gr_res)
			*out = (struct nss_ids){ .gid = gr.gr_gid };
		return pw_res || gr_res ? 0 : 1;
	}
	errno = ERANGE;
	return -1;
}

/* A group as written (gid or name) -> gid; -1 after a diagnostic. */
static int resolve_group(const struct tr_tenant *t, const char *g,
			 struct tr_mark mark, const char *where,
			 struct tr_diags *diags, gid_t *out)
{
	unsigned id;
	if (parse_id(g, &id) == 0) {
		*out = (gid_t)id;
		return 0;
	}
	struct nss_ids gr;
	int rc = lookup(GR_BY_NAME, g, 0, &gr);
	if (rc == 0) {
		*out = gr.gid;
		return 0;
	}
	if (rc > 0)
		ctx_err(diags, t, mark, "unknown group \"%s\"%s; give a gid or a "
			"group of this host", TR_SHOW(g), where);
	else
		ctx_err(diags, t, mark, "cannot look up group \"%s\"%s: %s",
			TR_SHOW(g), where, strerror(errno));
	return -1;
}

static void resolve_user(struct tr_tenant *t, struct tr_diags *diags)
{
	struct tr_user *u = &t->user;
	if (u->set && u->user) {
		unsigned id;
		struct nss_ids pw = { 0 };
		int found = 0;
		if (parse_id(u->user, &id) == 0) {
			u->uid = (uid_t)id;
			if (u->group == NULL)
				found = lookup(PW_BY_UID, NULL, u->uid, &pw);
			if (found > 0)
				ctx_err(diags, t, u->mark, "user %u has no passwd "
					"entry to take a group from; write "
					"\"%u:GID\"", id, id);
		} else {
			found = lookup(PW_BY_NAME, u->user, 0, &pw);
			if (found == 0)
				u->uid = pw.uid;
			else if (found > 0)
				ctx_err(diags, t, u->mark, "unknown user \"%s\"; "
					"give a uid or a user of this host",
					TR_SHOW(u->user));
		}
		if (found < 0)
			ctx_err(diags, t, u->mark, "cannot look up user \"%s\": %s",
				TR_SHOW(u->user), strerror(errno));
		bool gid_ok = false;
		if (u->group)
			gid_ok = resolve_group(t, u->group, u->mark, "", diags, &u->gid) == 0;
		else if (found == 0)
			u->gid = pw.gid, gid_ok = true;
		u->resolved = found == 0 && gid_ok;
	}
	for (unsigned i = 0; i < u->n_supp; i++)
		resolve_group(t, u->supp_names[i], u->supp_marks[i],
			      " in supplementaryGroups", diags, &u->supp[i]);
}

int tr_config_resolve(struct tr_config *cfg, char *const envp[],
		      struct tr_diags *diags)
{
	return tr_config_resolve_tenant(cfg, NULL, envp, false, diags);
}

int tr_config_resolve_tenant(struct tr_config *cfg, const char *only,
			     char *const envp[], bool keep_unset_env,
			     struct tr_diags *diags)
{
	unsigned errors_before = diags->n_errors;
	for (unsigned i = 0; i < cfg->n_tenants; i++) {
		struct tr_tenant *t = &cfg->tenants[i];
		bool mine = only == NULL || strcmp(t->name, only) == 0;
		resolve_nics(t, envp, mine, mine && keep_unset_env, diags);
		if (mine)
			resolve_user(t, diags);
	}
	return diags->n_errors > errors_before ? -1 : 0;
}

const struct tr_nic *tr_nic_env_unresolved(const struct tr_tenant *t)
{
	for (unsigned i = 0; i < t->n_nics; i++)
		if (t->nics[i].kind == TR_NIC_ENV)
			return &t->nics[i];
	return NULL;
}
