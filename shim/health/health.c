/* SPDX-License-Identifier: BSD-3-Clause */
/* Root's health records and stop marks (health/health.h). */
#include "health/health.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fsutil.h"

#define STOP_SUFFIX ".stop"
#define HEALTH_SUFFIX ".health"
#define LEASE_SUFFIX ".lease"

static const char *const state_names[] = {
	[TR_HEALTH_STARTING] = "starting",
	[TR_HEALTH_RUNNING] = "running",
	[TR_HEALTH_STUCK] = "stuck",
};

static const char *const reason_names[] = {
	[TR_STOP_NONE] = "none",
	[TR_STOP_PLANNED] = "planned",
	[TR_STOP_WATCHDOG] = "watchdog",
};

const char *tr_health_state_name(enum tr_health_state s)
{
	return (unsigned)s < TR_ARRAY_SIZE(state_names) ? state_names[s] : "?";
}

const char *tr_stop_reason_name(enum tr_stop_reason r)
{
	return (unsigned)r < TR_ARRAY_SIZE(reason_names) ? reason_names[r] : "?";
}

void tr_health_path(const char *ledger_dir, const char *tenant, unsigned member,
		    char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s.%u" HEALTH_SUFFIX, ledger_dir, tenant, member);
}

void tr_health_path_of_lease(const char *lease_file, char *buf, size_t len)
{
	size_t n = strlen(lease_file), s = strlen(LEASE_SUFFIX);
	if (n > s && strcmp(lease_file + n - s, LEASE_SUFFIX) == 0)
		snprintf(buf, len, "%.*s" HEALTH_SUFFIX, (int)(n - s), lease_file);
	else
		snprintf(buf, len, "%s" HEALTH_SUFFIX, lease_file);
}

int tr_health_format(const struct tr_health *h, char *buf, size_t len)
{
	int n = snprintf(buf, len,
			 "state=%s\nsince=%lld\nprobed=%lld\napp_pid=%d\nwhy=%s\n",
			 tr_health_state_name(h->state), h->since, h->probed,
			 (int)h->app_pid, h->why);
	if (n >= 0 && (size_t)n < len && h->state == TR_HEALTH_STUCK)
		n += snprintf(buf + n, len - (size_t)n, "stuck_at=%lld\n", h->stuck_at);
	if (n >= 0 && (size_t)n < len && h->have_packets)
		n += snprintf(buf + n, len - (size_t)n,
			      "rx=%" PRIu64 "\ntx=%" PRIu64 "\ndrops=%" PRIu64 "\n",
			      h->rx, h->tx, h->drops);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

/* Calls kv(key, value) for each "key=value" line of text. */
static void each_pair(const char *text, void (*kv)(void *, const char *, const char *),
		      void *ctx)
{
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, "\n");
		char line[512];
		tr_copy_field(line, sizeof(line), p, n);
		p += n + (p[n] == '\n');
		char *eq = strchr(line, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		kv(ctx, line, eq + 1);
	}
}

static void health_kv(void *ctx, const char *k, const char *v)
{
	struct tr_health *h = ctx;
	if (strcmp(k, "state") == 0) {
		h->state = (enum tr_health_state)-1;
		for (size_t i = 0; i < TR_ARRAY_SIZE(state_names); i++)
			if (strcmp(v, state_names[i]) == 0)
				h->state = (enum tr_health_state)i;
	} else if (strcmp(k, "since") == 0) {
		h->since = strtoll(v, NULL, 10);
	} else if (strcmp(k, "probed") == 0) {
		h->probed = strtoll(v, NULL, 10);
	} else if (strcmp(k, "stuck_at") == 0) {
		h->stuck_at = strtoll(v, NULL, 10);
	} else if (strcmp(k, "app_pid") == 0) {
		h->app_pid = (pid_t)strtol(v, NULL, 10);
	} else if (strcmp(k, "why") == 0) {
		snprintf(h->why, sizeof(h->why), "%s", v);
	} else if (strcmp(k, "rx") == 0) {
		h->rx = strtoull(v, NULL, 10);
		h->have_packets = true;
	} else if (strcmp(k, "tx") == 0) {
		h->tx = strtoull(v, NULL, 10);
	} else if (strcmp(k, "drops") == 0) {
		h->drops = strtoull(v, NULL, 10);
	}
}

int tr_health_parse(struct tr_health *h, const char *text)
{
	memset(h, 0, sizeof(*h));
	h->state = (enum tr_health_state)-1;
	each_pair(text, health_kv, h);
	if ((unsigned)h->state >= TR_ARRAY_SIZE(state_names) || h->since <= 0)
		return -1;
	return 0;
}

/* Write text to path through a temp file in its dir and a rename. */
static int write_atomic(const char *path, const char *text, size_t len,
			struct tr_error *err)
{
	char tmp[4300];
	snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid());
	unlink(tmp);
	_cleanup_close_ int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				      0600);
	if (fd < 0)
		return tr_err_sys(err, EX_CANTCREAT, errno, "cannot write %s", tmp);
	if (write(fd, text, len) != (ssize_t)len) {
		int e = errno;
		unlink(tmp);
		return tr_err_sys(err, EX_IOERR, e, "cannot write %s", tmp);
	}
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return tr_err_sys(err, EX_IOERR, e, "cannot rename %s", tmp);
	}
	return 0;
}

int tr_health_write(const char *path, const struct tr_health *h, struct tr_error *err)
{
	char buf[1024];
	int n = tr_health_format(h, buf, sizeof(buf));
	if (n < 0)
		return tr_err(err, EX_SOFTWARE, "health record too long");
	return write_atomic(path, buf, (size_t)n, err);
}

int tr_health_read(const char *path, struct tr_health *h)
{
	char buf[1024];
	if (tr_read_text(path, buf, sizeof(buf)) < 0)
		return -1;
	return tr_health_parse(h, buf);
}

static void stop_path(const char *ledger_dir, const char *tenant, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s" STOP_SUFFIX, ledger_dir, tenant);
}

static void stop_kv(void *ctx, const char *k, const char *v)
{
	struct tr_stop_mark *m = ctx;
	if (strcmp(k, "reason") == 0) {
		for (size_t i = 1; i < TR_ARRAY_SIZE(reason_names); i++)
			if (strcmp(v, reason_names[i]) == 0)
				m->reason = (enum tr_stop_reason)i;
	} else if (strcmp(k, "primary_pid") == 0) {
		m->primary = (pid_t)strtol(v, NULL, 10);
	} else if (strcmp(k, "by") == 0) {
		m->by = (pid_t)strtol(v, NULL, 10);
	} else if (strcmp(k, "since") == 0) {
		m->since = strtoll(v, NULL, 10);
	}
}

int tr_stop_mark_read(const char *ledger_dir, const char *tenant, struct tr_stop_mark *m)
{
	char path[4200], buf[512];
	memset(m, 0, sizeof(*m));
	stop_path(ledger_dir, tenant, path, sizeof(path));
	if (tr_read_text(path, buf, sizeof(buf)) < 0)
		return -1;
	each_pair(buf, stop_kv, m);
	return m->reason == TR_STOP_NONE ? -1 : 0;
}

int tr_stop_mark_write(const char *ledger_dir, const char *tenant,
		       const struct tr_stop_mark *m, struct tr_error *err)
{
	struct tr_stop_mark old;
	if (tr_stop_mark_read(ledger_dir, tenant, &old) == 0 && old.primary == m->primary)
		return 0;
	char path[4200], buf[512];
	stop_path(ledger_dir, tenant, path, sizeof(path));
	int n = snprintf(buf, sizeof(buf), "reason=%s\nprimary_pid=%d\nby=%d\nsince=%lld\n",
			 tr_stop_reason_name(m->reason), (int)m->primary, (int)m->by, m->since);
	return write_atomic(path, buf, (size_t)n, err);
}

void tr_stop_mark_clear(const char *ledger_dir, const char *tenant)
{
	char path[4200];
	stop_path(ledger_dir, tenant, path, sizeof(path));
	unlink(path);
}
