/* SPDX-License-Identifier: BSD-3-Clause */
/* A tenant's network record in the ledger (host/netrec.h). */
#include "host/netrec.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fsutil.h"
#include "common/layout.h"

void tr_netrec_path(const char *ledger_dir, const char *tenant, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s" TR_NETREC_SUFFIX, ledger_dir, tenant);
}

void tr_netrec_pin_dir(const char *ledger_dir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/" TR_NETNS_PIN_DIR, ledger_dir);
}

static void mac_or_dash(bool has, const unsigned char *mac, char *out, size_t len)
{
	if (has)
		tr_mac_format(mac, out, len);
	else
		snprintf(out, len, "-");
}

int tr_netrec_format(const struct tr_netrec *r, char *buf, size_t len)
{
	int n = snprintf(buf, len,
			 "tenant=%s\nmode=%s\nuserns=%d\nhost=%llu:%llu\npin=%s\npin_id=%llu:%llu\n"
			 "user_pin=%s\nuser_id=%llu:%llu\n",
			 r->tenant, r->mode == TR_NETREC_CONTAINER ? "container" : "own",
			 r->userns ? 1 : 0, r->host_dev, r->host_ino, r->pin, r->pin_dev,
			 r->pin_ino, r->user_pin, r->user_dev, r->user_ino);
	for (unsigned i = 0; i < r->n_ifs && n >= 0 && (size_t)n < len; i++) {
		const struct tr_netrec_if *f = &r->ifs[i];
		char mac[20], perm[20];
		mac_or_dash(f->has_mac, f->mac, mac, sizeof(mac));
		mac_or_dash(f->has_perm_mac, f->perm_mac, perm, sizeof(perm));
		n += snprintf(buf + n, len - (size_t)n,
			      "if=%s ifindex=%d ns_ifindex=%d flags=0x%x mtu=%u mac=%s perm=%s kind=%s parent=%s\n",
			      f->name, f->ifindex, f->ns_ifindex, f->flags, f->mtu, mac, perm,
			      f->kind[0] ? f->kind : "-", f->parent[0] ? f->parent : "-");
	}
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}

static int parse_id(const char *v, unsigned long long *dev, unsigned long long *ino)
{
	char tail;
	return sscanf(v, "%llu:%llu%c", dev, ino, &tail) == 2 ? 0 : -1;
}

/* "name k=v k=v ..." of an if= line. */
static int parse_if(struct tr_netrec_if *f, char *v)
{
	char *save = NULL;
	char *name = strtok_r(v, " ", &save);
	if (name == NULL || strlen(name) >= IFNAMSIZ)
		return -1;
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	for (char *kv = strtok_r(NULL, " ", &save); kv; kv = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(kv, '=');
		if (eq == NULL)
			return -1;
		*eq = '\0';
		const char *k = kv, *x = eq + 1;
		if (strcmp(k, "ifindex") == 0)
			f->ifindex = atoi(x);
		else if (strcmp(k, "ns_ifindex") == 0)
			f->ns_ifindex = atoi(x);
		else if (strcmp(k, "flags") == 0)
			f->flags = (unsigned)strtoul(x, NULL, 16);
		else if (strcmp(k, "mtu") == 0)
			f->mtu = (unsigned)strtoul(x, NULL, 10);
		else if (strcmp(k, "mac") == 0)
			f->has_mac = tr_mac_parse(x, f->mac) == 0;
		else if (strcmp(k, "perm") == 0)
			f->has_perm_mac = tr_mac_parse(x, f->perm_mac) == 0;
		else if (strcmp(k, "kind") == 0)
			snprintf(f->kind, sizeof(f->kind), "%s", strcmp(x, "-") ? x : "");
		else if (strcmp(k, "parent") == 0)
			snprintf(f->parent, sizeof(f->parent), "%s", strcmp(x, "-") ? x : "");
	}
	return f->ifindex > 0 ? 0 : -1;
}

int tr_netrec_parse(struct tr_netrec *r, const char *text)
{
	memset(r, 0, sizeof(*r));
	bool have_tenant = false;
	const char *p = text, *k;
	char line[TR_NETREC_PATH_MAX + 64], *v;
	int more;
	while ((more = tr_kv_next(&p, line, sizeof(line), &k, &v)) > 0) {
		int bad = 0;
		if (strcmp(k, "tenant") == 0) {
			snprintf(r->tenant, sizeof(r->tenant), "%s", v);
			have_tenant = *v != '\0';
		} else if (strcmp(k, "mode") == 0) {
			r->mode = strcmp(v, "container") == 0 ? TR_NETREC_CONTAINER : TR_NETREC_OWN;
		} else if (strcmp(k, "userns") == 0) {
			r->userns = strcmp(v, "1") == 0;
		} else if (strcmp(k, "host") == 0) {
			bad = parse_id(v, &r->host_dev, &r->host_ino);
		} else if (strcmp(k, "pin") == 0) {
			snprintf(r->pin, sizeof(r->pin), "%s", v);
		} else if (strcmp(k, "pin_id") == 0) {
			bad = parse_id(v, &r->pin_dev, &r->pin_ino);
		} else if (strcmp(k, "user_pin") == 0) {
			snprintf(r->user_pin, sizeof(r->user_pin), "%s", v);
		} else if (strcmp(k, "user_id") == 0) {
			bad = parse_id(v, &r->user_dev, &r->user_ino);
		} else if (strcmp(k, "if") == 0) {
			if (r->n_ifs >= TR_NET_MAX_IFACES)
				return -1;
			bad = parse_if(&r->ifs[r->n_ifs], v);
			r->n_ifs += bad == 0;
		}
		if (bad)
			return -1;
	}
	return more == 0 && have_tenant ? 0 : -1;
}

int tr_netrec_load(const char *path, struct tr_netrec *r, struct tr_error *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		return tr_err_sys(err, EX_OSFILE, errno, "cannot read the network record %s", path);
	}
	_cleanup_free_ char *text = malloc(65536);
	if (text == NULL)
		return tr_err(err, EX_OSERR, "out of memory");
	ssize_t n = read(fd, text, 65535);
	if (n < 0)
		return tr_err_sys(err, EX_OSFILE, errno, "cannot read the network record %s", path);
	text[n] = '\0';
	if (tr_netrec_parse(r, text) < 0)
		return tr_err(err, EX_OSFILE, "the network record %s is malformed", path);
	return 0;
}

int tr_netrec_save(const char *path, const struct tr_netrec *r, struct tr_error *err)
{
	_cleanup_free_ char *text = malloc(65536);
	if (text == NULL)
		return tr_err(err, EX_OSERR, "out of memory");
	int n = tr_netrec_format(r, text, 65536);
	if (n < 0)
		return tr_err(err, EX_SOFTWARE, "the network record of tenant \"%s\" is too large",
			      r->tenant);
	char tmp[TR_NETREC_PATH_MAX + 8];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	_cleanup_close_ int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
				      0600);
	if (fd < 0)
		return tr_err_sys(err, EX_CANTCREAT, errno, "cannot write %s", tmp);
	/* In place, whole (rename), before what it describes happens: a
	 * reclaim after the shim is killed finds it. No fsync: a crash of the
	 * host takes the namespace and its pins with it (the record is read
	 * back only against a live pin), and an fsync on the start path costs
	 * a tenant 0.25 ms a write. */
	if (write(fd, text, (size_t)n) != n || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return tr_err_sys(err, EX_IOERR, e, "cannot write the network record %s", path);
	}
	return 0;
}

void tr_netrec_each(const char *ledger_dir,
		    void (*fn)(const struct tr_netrec *r, void *ctx), void *ctx)
{
	DIR *d = opendir(ledger_dir);
	if (d == NULL)
		return;
	_cleanup_free_ struct tr_netrec *r = malloc(sizeof(*r));
	struct dirent *de;
	size_t sl = strlen(TR_NETREC_SUFFIX);
	while (r && (de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		if (n <= sl || strcmp(de->d_name + n - sl, TR_NETREC_SUFFIX) != 0)
			continue;
		char path[TR_NETREC_PATH_MAX + 300];
		snprintf(path, sizeof(path), "%s/%s", ledger_dir, de->d_name);
		if (tr_netrec_load(path, r, NULL) == 0)
			fn(r, ctx);
	}
	closedir(d);
}
