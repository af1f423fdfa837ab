/* SPDX-License-Identifier: BSD-3-Clause */
/* A bounded-time client of DPDK's telemetry v2 socket (health/telemetry.h). */
#include "health/telemetry.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fsutil.h"

static enum tr_tel_status fail(struct tr_tel *t, enum tr_tel_status st, const char *what, int e)
{
	snprintf(t->what, sizeof(t->what), "%s", what);
	t->err = e;
	return st;
}

/* Wait for input until the deadline; then one recv. */
static enum tr_tel_status receive(struct tr_tel *t, const char *what, char *out, size_t len)
{
	for (;;) {
		double left = t->deadline - tr_now_s();
		if (left <= 0)
			return fail(t, TR_TEL_TIMEOUT, what, 0);
		struct pollfd p = { .fd = t->fd, .events = POLLIN };
		int r = poll(&p, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return fail(t, TR_TEL_ERROR, what, errno);
		if (r == 0)
			continue;   /* the deadline check above ends it */
		char sink[64];
		char *buf = out && len > 1 ? out : sink;
		size_t cap = out && len > 1 ? len - 1 : sizeof(sink) - 1;
		ssize_t n = recv(t->fd, buf, cap, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			return fail(t, TR_TEL_ERROR, what, errno);
		if (n == 0)
			return fail(t, TR_TEL_CLOSED, what, 0);
		buf[n] = '\0';
		return TR_TEL_OK;
	}
}

enum tr_tel_status tr_tel_open(struct tr_tel *t, const char *path, double timeout_s,
			       char *greet, size_t len)
{
	memset(t, 0, sizeof(*t));
	t->fd = -1;
	t->deadline = tr_now_s() + timeout_s;
	/* The tenant owns the dir: pin the socket inode itself. */
	_cleanup_close_ int pin = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pin < 0)
		return fail(t, errno == ENOENT ? TR_TEL_NONE : TR_TEL_ERROR, "open", errno);
	struct stat st;
	if (fstat(pin, &st) < 0 || !S_ISSOCK(st.st_mode))
		return fail(t, TR_TEL_ERROR, "open (not a socket)", EINVAL);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	snprintf(sun.sun_path, sizeof(sun.sun_path), "/proc/self/fd/%d", pin);
	t->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->fd < 0)
		return fail(t, TR_TEL_ERROR, "socket", errno);
	/* AF_UNIX connects at once or not at all: EAGAIN is a full backlog
	 * (the server is busy or frozen: try again until the deadline),
	 * ECONNREFUSED a socket nobody listens on (a killed app's). */
	while (connect(t->fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int e = errno;
		if (e == EAGAIN && tr_now_s() + 0.01 < t->deadline) {
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
			continue;
		}
		if (e == EAGAIN)
			return fail(t, TR_TEL_TIMEOUT, "connect (backlog full)", e);
		return fail(t, e == ECONNREFUSED ? TR_TEL_REFUSED : TR_TEL_ERROR, "connect", e);
	}
	return receive(t, "greeting", greet, len);
}

enum tr_tel_status tr_tel_cmd(struct tr_tel *t, const char *cmd, char *out, size_t len)
{
	if (t->fd < 0)
		return fail(t, TR_TEL_ERROR, cmd, EBADF);
	if (send(t->fd, cmd, strlen(cmd), MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		return fail(t, errno == EPIPE ? TR_TEL_CLOSED : TR_TEL_ERROR, cmd, errno);
	return receive(t, cmd, out, len);
}

void tr_tel_close(struct tr_tel *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

void tr_tel_describe(const struct tr_tel *t, enum tr_tel_status st, char *buf, size_t len)
{
	switch (st) {
	case TR_TEL_OK:
		snprintf(buf, len, "telemetry answered");
		break;
	case TR_TEL_NONE:
		snprintf(buf, len, "no telemetry socket yet");
		break;
	case TR_TEL_REFUSED:
		snprintf(buf, len, "telemetry refused the connection (%s)", strerror(t->err));
		break;
	case TR_TEL_TIMEOUT:
		snprintf(buf, len, "telemetry did not answer %s in time", t->what);
		break;
	case TR_TEL_CLOSED:
		snprintf(buf, len, "telemetry closed the connection at %s", t->what);
		break;
	default:
		snprintf(buf, len, "telemetry %s failed: %s", t->what, strerror(t->err));
	}
}

bool tr_tel_u64(const char *json, const char *key, uint64_t *out)
{
	char pat[80];
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	const char *p = strstr(json, pat);
	if (p == NULL)
		return false;
	p += strlen(pat);
	while (*p == ' ')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	*out = strtoull(p, NULL, 10);
	return true;
}
