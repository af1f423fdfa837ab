/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The stats files `tenantrt status` reads without DPDK: one per member and
 * the primary's group file, under <RUNTIME_DIRECTORY>/TR_STATS_DIR. Their
 * names, keys and values are tenantrt_proto.h's; this file writes them
 * (whole, through a rename) and removes them.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_mempool.h>

#include "tr_rt.h"

void tr__stats_init(struct tr_rt *rt)
{
	const char *d = getenv(TR_ENV_RUNTIME_DIRECTORY);

	if (d != NULL && *d != '\0')
		snprintf(rt->stats_dir, sizeof(rt->stats_dir), "%s/" TR_STATS_DIR, d);
}

static void remove_file(const struct tr_rt *rt, const char *name)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", rt->stats_dir, name);
	unlink(path);
}

static void member_file(char *name, size_t len, unsigned member)
{
	snprintf(name, len, TR_STATS_MEMBER_FMT, member);
}

void tr__stats_remove_member(struct tr_rt *rt, unsigned member)
{
	char name[32];

	if (rt->stats_dir[0] == '\0')
		return;
	member_file(name, sizeof(name), member);
	remove_file(rt, name);
}

/* The primary leaves no files behind in the tenant's runtime dir. */
void tr__stats_remove(struct tr_rt *rt)
{
	if (rt->stats_dir[0] == '\0')
		return;
	for (unsigned m = 0; m < TR_MAX_MEMBERS; m++)
		tr__stats_remove_member(rt, m);
	remove_file(rt, TR_STATS_GROUP);
	rmdir(rt->stats_dir);
}

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Write via a temporary file and rename, so readers never see half. */
static int write_atomic(const char *dir, const char *name, const char *text,
			size_t len)
{
	char tmp[PATH_MAX + 64], dst[PATH_MAX + 64];
	int fd, rc = 0;

	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	snprintf(dst, sizeof(dst), "%s/%s", dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != (ssize_t)len)
		rc = -EIO;
	close(fd);
	if (rc == 0 && rename(tmp, dst) < 0)
		rc = -errno;
	if (rc < 0)
		unlink(tmp);
	return rc;
}

/* A stats file's text, built line by line; len past the buffer: too long. */
struct text {
	char buf[4096];
	size_t len;
};

static void __attribute__((format(printf, 2, 3)))
add(struct text *t, const char *fmt, ...)
{
	size_t room = t->len < sizeof(t->buf) ? sizeof(t->buf) - t->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->buf + (sizeof(t->buf) - room), room, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n;
}

static int write_text(const struct tr_rt *rt, const char *name,
		      const struct text *t)
{
	if (t->len >= sizeof(t->buf))
		return -ENOBUFS;
	return write_atomic(rt->stats_dir, name, t->buf, t->len);
}

static int write_member(struct tr_rt *rt)
{
	struct tr_member_info mi;
	struct text t = {.len = 0};
	char name[32];

	tr_member_get(rt, rt->id.member, &mi);
	add(&t, TR_STAT_TENANT " %s\n", rt->id.tenant);
	add(&t, TR_STAT_MEMBER " %u\n", rt->id.member);
	add(&t, TR_STAT_ROLE " %s\n", tr_rt_role_name(rt->id.role));
	add(&t, TR_STAT_PID " %d\n", mi.pid);
	add(&t, TR_STAT_STATE " %s\n", tr_member_state_name(mi.state));
	add(&t, TR_STAT_LCORES " ");
	for (unsigned i = 0; i < mi.n_lcores; i++)
		add(&t, "%s%u", i ? "," : "", mi.lcores[i]);
	add(&t, "\n" TR_STAT_MODE " %s\n", tr_dp_mode_name(rt->id.dp.mode));

	const struct {
		const char *key;
		uint64_t v;
	} counts[] = {
		{TR_STAT_TIME_NS, realtime_ns()},
		{TR_STAT_PROCESSED, mi.processed},
		{TR_STAT_HANDLER_DROP, mi.handler_drop},
		{TR_STAT_RING_DROP, mi.ring_drop},
		{TR_STAT_BUSY_CYCLES, mi.busy_cycles},
		{TR_STAT_IDLE_POLLS, mi.idle_polls},
		{TR_STAT_TSC_HZ, rt->hz},
	};
	for (unsigned i = 0; i < RTE_DIM(counts); i++)
		add(&t, "%s %" PRIu64 "\n", counts[i].key, counts[i].v);
	add(&t, TR_STAT_LCORE_PROCESSED " ");
	for (unsigned j = 0; j < RTE_MAX(mi.n_run, 1u); j++)
		add(&t, "%s%" PRIu64, j ? "," : "", mi.lcore_processed[j]);
	add(&t, "\n" TR_STAT_LCORE_RX " ");
	for (unsigned j = 0; j < RTE_MAX(mi.n_run, 1u); j++)
		add(&t, "%s%" PRIu64, j ? "," : "", mi.lcore_rx[j]);
	add(&t, "\n");
	for (unsigned p = 0; p < rt->n_ports; p++)
		add(&t, TR_STAT_PORT " %u rx %" PRIu64 " tx %" PRIu64 " drop %" PRIu64
		    "\n", p, mi.port[p].rx, mi.port[p].tx, mi.port[p].drop);
	member_file(name, sizeof(name), rt->id.member);
	return write_text(rt, name, &t);
}

static int write_group(struct tr_rt *rt)
{
	struct text t = {.len = 0};

	add(&t, TR_STAT_TENANT " %s\n", rt->id.tenant);
	add(&t, TR_STAT_TIME_NS " %" PRIu64 "\n", realtime_ns());
	add(&t, TR_STAT_MODE " %s\n", tr_dp_mode_name(rt->id.dp.mode));
	add(&t, TR_STAT_MEMBERS " %u\n", rt->id.members);
	add(&t, TR_STAT_ACTIVE " %u\n", 1 + (unsigned)__builtin_popcount(rt->active));
	add(&t, TR_STAT_MEMPOOL_IN_USE " %u\n", tr_mempool_in_use(rt));
	add(&t, TR_STAT_MEMPOOL_SIZE " %u\n", rt->pool ? rt->pool->size : 0);
	for (unsigned p = 0; p < rt->n_ports; p++) {
		struct rte_eth_link l;
		tr_link_get(rt, (uint16_t)p, &l);
		add(&t, TR_STAT_PORT " %u name %s link %s speed %u\n", p,
		    rt->reg->port[p].name, l.link_status ? "up" : "down",
		    l.link_speed);
	}
	return write_text(rt, TR_STATS_GROUP, &t);
}

int tr_stats_write(struct tr_rt *rt)
{
	int rc;

	if (rt->stats_dir[0] == '\0')
		return -ENOENT;
	if (mkdir(rt->stats_dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	rc = write_member(rt);
	if (rc < 0 || rt->id.role != TR_RT_PRIMARY)
		return rc;
	return write_group(rt);
}
