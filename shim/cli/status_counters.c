/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet counters for `tenantrt status`, read from the stats file each
 * libtenantrt member rewrites every second (tenantrt_proto.h documents the
 * format): <runtime dir>/tenantrt/member-<i>, "key value" lines and one
 * "port P rx N tx N drop N" line per port. Reading a small tmpfs file keeps
 * the CLI free of DPDK; an app that does not use libtenantrt (testpmd)
 * simply has no file, and its cells say "-".
 */
#include "cli/status_counters.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "common/cleanup.h"

struct member_counters {
	uint64_t rx, tx, drops, processed;
};

static bool read_counters(const struct tr_lease *l, struct member_counters *c)
{
	char path[TR_LEASE_PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/" TR_STATS_DIR "/" TR_STATS_MEMBER_FMT,
		 l->runtime_dir, l->member);
	/* The tenant writes this dir: no FIFO or symlink may hang or steer
	 * the reader. */
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	_cleanup_fclose_ FILE *f = fdopen(TAKE_FD(fd), "re");
	if (f == NULL)
		return false;
	memset(c, 0, sizeof(*c));
	char line[256];
	while (fgets(line, sizeof(line), f)) {
		unsigned port;
		uint64_t rx, tx, drop, v;
		if (sscanf(line, TR_STAT_PORT " %u rx %" SCNu64 " tx %" SCNu64 " drop %" SCNu64,
			   &port, &rx, &tx, &drop) == 4) {
			c->rx += rx;
			c->tx += tx;
			c->drops += drop;
		} else if (sscanf(line, TR_STAT_RING_DROP " %" SCNu64, &v) == 1 ||
			   sscanf(line, TR_STAT_HANDLER_DROP " %" SCNu64, &v) == 1) {
			c->drops += v;
		} else if (sscanf(line, TR_STAT_PROCESSED " %" SCNu64, &v) == 1) {
			c->processed = v;
		}
	}
	return true;
}

void tr_status_extra_header(FILE *out)
{
	fprintf(out, "  %-12s %-12s %-12s %-10s", "RX", "TX", "PROCESSED", "DROPS");
}

void tr_status_extra_member(const struct tr_lease *l, bool json, FILE *out)
{
	struct member_counters c;
	bool have = l->alive && read_counters(l, &c);
	if (json) {
		if (have)
			fprintf(out,
				", \"packets\": {\"rx\": %" PRIu64 ", \"tx\": %" PRIu64
				", \"processed\": %" PRIu64 ", \"drops\": %" PRIu64 "}",
				c.rx, c.tx, c.processed, c.drops);
		return;
	}
	if (!have) {
		fprintf(out, "  %-12s %-12s %-12s %-10s", "-", "-", "-", "-");
		return;
	}
	fprintf(out, "  %-12" PRIu64 " %-12" PRIu64 " %-12" PRIu64 " %-10" PRIu64,
		c.rx, c.tx, c.processed, c.drops);
}
