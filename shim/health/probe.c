/* SPDX-License-Identifier: BSD-3-Clause */
/* One bounded-time probe of a member (health/probe.h). */
#include "health/probe.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/dpdkfs.h"
#include "common/fsutil.h"
#include "health/dpdkmem.h"
#include "health/eallocks.h"
#include "health/telemetry.h"
#include "tenantrt_proto.h"

/* A port count above this is cut. */
#define TEL_MAX_PORTS 16
/* After a telemetry timeout its handler thread may spin on a dead lock, and
 * each new connection would cost the app one more such thread and one of
 * its 10 client slots (health research §4): ask again only after this. */
#define TEL_QUIET_S 10.0
/* Lock words are read this many times, 1 ms apart: held means held in
 * every read, not a busy but healthy lock caught once. */
#define LOCK_READS 5

void tr_probe_init(struct tr_probe *p, const char *tenant, const char *runtime_dir,
		   const char *huge_dir, unsigned member, enum tr_role role)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->tenant, sizeof(p->tenant), "%s", tenant);
	snprintf(p->runtime_dir, sizeof(p->runtime_dir), "%s", runtime_dir);
	snprintf(p->huge_dir, sizeof(p->huge_dir), "%s", huge_dir);
	p->member = member;
	p->role = role;
}

bool tr_probe_parse_stats(const char *text, pid_t pid, struct tr_live_sample *s)
{
	const char *line = text;
	bool mine = false, have_time = false;
	uint64_t rx = 0, tx = 0, drops = 0;
	while (*line) {
		size_t n = strcspn(line, "\n");
		char l[256];
		tr_copy_field(l, sizeof(l), line, n);
		line += n + (line[n] == '\n');
		long long v;
		unsigned port;
		uint64_t a, b, c, x;
		if (sscanf(l, TR_STAT_PID " %lld", &v) == 1)
			mine = v == (long long)pid;
		else if (sscanf(l, TR_STAT_TIME_NS " %" SCNu64, &x) == 1)
			s->heartbeat = x, have_time = true;
		else if (sscanf(l, TR_STAT_PORT " %u rx %" SCNu64 " tx %" SCNu64 " drop %" SCNu64,
				&port, &a, &b, &c) == 4)
			rx += a, tx += b, drops += c;
		else if (sscanf(l, TR_STAT_PROCESSED " %" SCNu64, &x) == 1)
			s->processed = x, s->have_processed = true;
		else if (sscanf(l, TR_STAT_RING_DROP " %" SCNu64, &x) == 1 ||
			 sscanf(l, TR_STAT_HANDLER_DROP " %" SCNu64, &x) == 1)
			drops += x;
	}
	if (!mine || !have_time)
		return false;
	s->has_heartbeat = true;
	s->have_packets = true;
	s->rx = rx;
	s->tx = tx;
	s->drops = drops;
	return true;
}

/* libtenantrt's stats file of this member, if its app writes one. */
static bool probe_stats(const struct tr_probe *p, pid_t app, struct tr_live_sample *s)
{
	char path[4200], text[4096];
	snprintf(path, sizeof(path), "%s/" TR_STATS_DIR "/" TR_STATS_MEMBER_FMT, p->runtime_dir,
		 p->member);
	if (tr_read_text(path, text, sizeof(text)) < 0)
		return false;
	return tr_probe_parse_stats(text, app, s);
}

/* The ports' counters through telemetry (lock-free commands only): true
 * when it answered; a timeout sets *blocked. */
static bool probe_telemetry(struct tr_probe *p, const char *dpdk_dir, pid_t app,
			    struct tr_live_sample *s, bool *blocked, char *why, size_t len)
{
	char path[4300], reply[2048], greet[256];
	struct tr_tel t;
	*blocked = false;
	if (tr_now_s() < p->tel_quiet_until) {
		snprintf(why, len, "telemetry left alone after a timeout");
		return false;
	}
	snprintf(path, sizeof(path), "%s/" TR_DPDK_TELEMETRY, dpdk_dir);
	enum tr_tel_status st = tr_tel_open(&t, path, TR_PROBE_TIMEOUT_S, greet, sizeof(greet));
	uint64_t pid = 0;
	if (st == TR_TEL_OK && tr_tel_u64(greet, "pid", &pid) && pid != (uint64_t)app) {
		/* Another process's socket (in another PID namespace, or an
		 * earlier primary's): its counters are not this member's. */
		tr_tel_close(&t);
		snprintf(why, len, "the telemetry socket is pid %" PRIu64 "'s", pid);
		return false;
	}
	if (st == TR_TEL_OK)
		st = tr_tel_cmd(&t, "/ethdev/list", reply, sizeof(reply));
	uint64_t rx = 0, tx = 0, drops = 0, miss = 0;
	unsigned nports = 0;
	if (st == TR_TEL_OK) {
		/* {"/ethdev/list":[0,1]} */
		const char *q = strchr(reply, '[');
		unsigned ports[TEL_MAX_PORTS];
		while (q && *q && *q != ']' && nports < TEL_MAX_PORTS) {
			q++;
			char *end;
			unsigned long v = strtoul(q, &end, 10);
			if (end == q)
				break;
			ports[nports++] = (unsigned)v;
			q = end;
		}
		for (unsigned i = 0; i < nports && st == TR_TEL_OK; i++) {
			char cmd[48];
			uint64_t v;
			snprintf(cmd, sizeof(cmd), "/ethdev/stats,%u", ports[i]);
			st = tr_tel_cmd(&t, cmd, reply, sizeof(reply));
			if (st != TR_TEL_OK)
				break;
			if (tr_tel_u64(reply, "ipackets", &v))
				rx += v;
			if (tr_tel_u64(reply, "opackets", &v))
				tx += v;
			static const char *const lost[] = { "imissed", "ierrors", "oerrors", "rx_nombuf" };
			for (size_t k = 0; k < TR_ARRAY_SIZE(lost); k++)
				if (tr_tel_u64(reply, lost[k], &v))
					drops += v, miss += k == 0 || k == 3 ? v : 0;
		}
	}
	tr_tel_close(&t);
	if (st != TR_TEL_OK) {
		tr_tel_describe(&t, st, why, len);
		if (st == TR_TEL_TIMEOUT) {
			*blocked = true;
			p->tel_quiet_until = tr_now_s() + TEL_QUIET_S;
		}
		return false;
	}
	/* A NIC that drops for want of a poller while its RX count stands
	 * still: nobody polls it (health research §8). */
	if (p->have_ports && rx == p->port_rx && miss > p->port_miss) {
		*blocked = true;
		snprintf(why, len,
			 "its ports drop packets (missed or no mbuf: %" PRIu64 " -> %" PRIu64 ") while their RX count stands at %" PRIu64,
			 p->port_miss, miss, rx);
	} else if (p->have_ports && rx == p->port_rx && tx == p->port_tx) {
		if (p->idle_since == 0)
			p->idle_since = (long long)time(NULL);
		snprintf(why, len, "telemetry answered; idle: its %u ports' counters unchanged for %lld s",
			 nports, (long long)time(NULL) - p->idle_since);
	} else {
		p->idle_since = 0;
		snprintf(why, len, "telemetry answered; its %u ports move", nports);
	}
	p->have_ports = true;
	p->port_rx = rx;
	p->port_tx = tx;
	p->port_miss = miss;
	if (!s->have_packets) {
		s->have_packets = true;
		s->rx = rx;
		s->tx = tx;
		s->drops = drops;
	}
	return true;
}

/* The EAL lock words held in every one of a short burst of reads. */
static void held_locks(const char *dpdk_dir, const unsigned char *cfg, size_t clen,
		       struct tr_eal_locks *locks)
{
	tr_eal_locks_parse(cfg, clen, locks);
	for (int i = 1; i < LOCK_READS && locks->n_held; i++) {
		struct timespec ts = { 0, 1000 * 1000 };
		nanosleep(&ts, NULL);
		size_t n;
		_cleanup_free_ unsigned char *again = tr_dpdk_config_read(dpdk_dir, &n);
		struct tr_eal_locks b = { 0 };
		if (again)
			tr_eal_locks_parse(again, n, &b);
		tr_eal_locks_intersect(locks, &b);
	}
}

/* 'T' (stopped, traced) or 'D' (uninterruptible): a process that polls
 * nothing. 0 for anything else. */
static char proc_state(pid_t pid)
{
	char path[64], text[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (tr_read_text(path, text, sizeof(text)) < 0)
		return 0;
	const char *close_paren = strrchr(text, ')');
	if (close_paren == NULL || close_paren[1] != ' ')
		return 0;
	char st = close_paren[2];
	return st == 'T' || st == 't' || st == 'D' ? st : 0;
}

void tr_probe_take(struct tr_probe *p, pid_t app, struct tr_live_sample *s)
{
	memset(s, 0, sizeof(*s));
	s->t = tr_now_s();
	if (app <= 0) {
		snprintf(s->why, sizeof(s->why), "the app is not forked yet");
		return;
	}
	char dpdk_dir[4300];
	tr_dpdk_path(p->runtime_dir, p->tenant, NULL, dpdk_dir, sizeof(dpdk_dir));

	bool lib = probe_stats(p, app, s);
	pid_t holder = 0;
	bool lock = tr_dpdk_primary_lock(p->runtime_dir, p->tenant, &holder);
	bool primary_up = lock && (holder == app || holder == 0);

	/* The group's shared memory: its lock words and its rings. */
	char sign[200] = "";
	size_t clen;
	_cleanup_free_ unsigned char *cfg = tr_dpdk_config_read(dpdk_dir, &clen);
	struct tr_eal_locks locks = { 0 };
	struct tr_rings rings = { 0 };
	if (cfg) {
		held_locks(dpdk_dir, cfg, clen, &locks);
		struct tr_dpdk_mem mem;
		if (tr_dpdk_mem_parse(cfg, clen, p->huge_dir, p->tenant, &mem))
			tr_rings_read(&mem, &rings);
	}
	char st = proc_state(app);
	if (tr_rings_stuck(&p->rings, &rings, sign, sizeof(sign))) {
		s->blocked = true;
	} else if (st) {
		s->blocked = true;
		snprintf(sign, sizeof(sign), "the app (pid %d) is %s", (int)app,
			 st == 'D' ? "in uninterruptible sleep (D)" : "stopped (SIGSTOP or traced)");
	} else if (locks.n_held) {
		s->lock_held = true;
		tr_eal_locks_describe(&locks, sign, sizeof(sign));
	}
	p->rings = rings;

	char tel[200] = "";
	bool tel_blocked = false, tel_ok = false;
	if (p->role == TR_ROLE_PRIMARY && primary_up)
		tel_ok = probe_telemetry(p, dpdk_dir, app, s, &tel_blocked, tel, sizeof(tel));
	if (tel_blocked && !s->blocked) {
		s->blocked = true;
		snprintf(sign, sizeof(sign), "%s", tel);
	}

	if (p->role == TR_ROLE_PRIMARY)
		s->up = lib || primary_up;
	else
		s->up = lib || lock;   /* joined a group whose primary is up */

	if (s->blocked || s->lock_held)
		snprintf(s->why, sizeof(s->why), "%s", sign);
	else if (lib)
		snprintf(s->why, sizeof(s->why), "libtenantrt stats of pid %d", (int)app);
	else if (p->role == TR_ROLE_PRIMARY && !primary_up)
		snprintf(s->why, sizeof(s->why), "EAL has not taken its config lock yet");
	else if (p->role == TR_ROLE_PRIMARY)
		snprintf(s->why, sizeof(s->why), "holds its EAL lock; %s",
			 tel_ok || tel[0] ? tel : "no telemetry");
	else
		snprintf(s->why, sizeof(s->why), lock ? "its primary is up" : "no primary holds the EAL lock");
}
