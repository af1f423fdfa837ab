/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A client of DPDK's telemetry socket (v2: SOCK_SEQPACKET, one JSON
 * message a reply; the server first sends {"version", "pid",
 * "max_output_len"}), in bounded time: a stuck or hostile peer never hangs
 * the caller, whatever it does.
 *
 *   - the socket is nonblocking: connect fails at once on a full backlog;
 *     every reply is awaited with poll() until one deadline for the whole
 *     session;
 *   - the path lies in the tenant's runtime dir, which the tenant writes:
 *     the last component is opened O_PATH|O_NOFOLLOW and must be a socket,
 *     then connected through /proc/self/fd/N, so a symlink planted there
 *     never steers root's connection to another socket (and the path's
 *     length is no matter);
 *   - replies are read into a fixed buffer and cut there.
 *
 * Nothing here takes a DPDK lock: what a command costs the app is the
 * caller's choice (health/probe.c sends only lock-free ones).
 */
#ifndef TR_HOST_TELEMETRY_H
#define TR_HOST_TELEMETRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tr_tel_status {
	TR_TEL_OK = 0,
	TR_TEL_NONE,        /* no socket there (not up yet, or no telemetry) */
	TR_TEL_REFUSED,     /* nobody listens, or the backlog is full */
	TR_TEL_TIMEOUT,     /* no reply before the deadline */
	TR_TEL_CLOSED,      /* the peer closed (too many clients?) */
	TR_TEL_ERROR,       /* anything else (errno in the session) */
};

struct tr_tel {
	int fd;
	double deadline;    /* monotonic seconds */
	int err;            /* errno of the last failure */
	char what[64];      /* what failed: "connect", "/ethdev/stats,0" */
};

/* Connect and read the greeting (into greet, may be NULL), all before
 * now + timeout_s. */
enum tr_tel_status tr_tel_open(struct tr_tel *t, const char *path, double timeout_s,
			       char *greet, size_t len);
/* Send cmd and read its reply into out, before the session's deadline. */
enum tr_tel_status tr_tel_cmd(struct tr_tel *t, const char *cmd, char *out, size_t len);
void tr_tel_close(struct tr_tel *t);

/* One line on the failure: "telemetry /ethdev/stats,0 timed out after 500 ms". */
void tr_tel_describe(const struct tr_tel *t, enum tr_tel_status st, char *buf, size_t len);

/* The unsigned number after "\"key\":" in a JSON reply; false if none. */
bool tr_tel_u64(const char *json, const char *key, uint64_t *out);

#endif
