/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * health/telemetry.c, a bounded-time client of DPDK's telemetry v2 socket,
 * against made-up servers in forked children: a healthy one (greeting,
 * then one reply a command), one that accepts and never speaks (as a
 * frozen primary: its backlog holds the connection), one that hangs on a
 * command; no socket, a regular file, a symlink planted where the socket
 * should be (root must not follow it), a socket nobody listens on. Every
 * failure comes within the deadline, never later.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/socket.h>
#include <sys/un.h>

#include "common/fsutil.h"
#include "helpers.h"
#include "health/telemetry.h"

enum mode { GOOD, SILENT, HANG_ON_STATS };

static char sock[PATH_MAX + 32];

/* A server at sock in a child; returns its pid once it listens. */
static pid_t serve(enum mode mode, bool listen_too)
{
	snprintf(sock, sizeof(sock), "%s/dpdk_telemetry.v2", tr_tmp);
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock);
	unlink(sock);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	if (!listen_too) {
		close(fd);   /* a killed app's socket: the file stays */
		return 0;
	}
	assert_int_equal(listen(fd, 1), 0);
	pid_t c = fork();
	assert_true(c >= 0);
	if (c == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;) {
			if (mode == SILENT) {
				pause();
				continue;
			}
			int cl = accept(fd, NULL, NULL);
			if (cl < 0)
				continue;
			const char *g = "{\"version\":\"DPDK 22.11.11\",\"pid\":4242,\"max_output_len\":16384}";
			send(cl, g, strlen(g), 0);
			char cmd[128];
			ssize_t n;
			while ((n = recv(cl, cmd, sizeof(cmd) - 1, 0)) > 0) {
				cmd[n] = '\0';
				const char *r = "{}";
				if (strcmp(cmd, "/ethdev/list") == 0)
					r = "{\"/ethdev/list\":[0,1]}";
				else if (strncmp(cmd, "/ethdev/stats,", 14) == 0) {
					if (mode == HANG_ON_STATS)
						pause();
					r = "{\"/ethdev/stats\":{\"ipackets\":100,\"opackets\":99,\"imissed\":1}}";
				}
				send(cl, r, strlen(r), 0);
			}
			close(cl);
		}
	}
	close(fd);
	return c;
}

static void test_good(void **state)
{
	(void)state;
	pid_t c = serve(GOOD, true);
	struct tr_tel t;
	char greet[256], reply[256];
	assert_int_equal(tr_tel_open(&t, sock, 1.0, greet, sizeof(greet)), TR_TEL_OK);
	uint64_t v;
	assert_true(tr_tel_u64(greet, "pid", &v));
	assert_int_equal(v, 4242);
	assert_int_equal(tr_tel_cmd(&t, "/ethdev/list", reply, sizeof(reply)), TR_TEL_OK);
	assert_string_equal(reply, "{\"/ethdev/list\":[0,1]}");
	assert_int_equal(tr_tel_cmd(&t, "/ethdev/stats,1", reply, sizeof(reply)), TR_TEL_OK);
	assert_true(tr_tel_u64(reply, "opackets", &v));
	assert_int_equal(v, 99);
	assert_false(tr_tel_u64(reply, "oerrors", &v));
	/* a reply longer than the buffer is cut, not overrun */
	char tiny[8];
	assert_int_equal(tr_tel_cmd(&t, "/ethdev/stats,0", tiny, sizeof(tiny)), TR_TEL_OK);
	assert_int_equal(strlen(tiny), 7);
	tr_tel_close(&t);
	tr_child_kill(c);
}

static void test_silent_and_hanging(void **state)
{
	(void)state;
	pid_t c = serve(SILENT, true);
	struct tr_tel t;
	char why[160];
	double t0 = tr_now_s();
	enum tr_tel_status st = tr_tel_open(&t, sock, 0.3, NULL, 0);
	double took = tr_now_s() - t0;
	assert_int_equal(st, TR_TEL_TIMEOUT);
	assert_true(took >= 0.29 && took < 0.6);
	tr_tel_describe(&t, st, why, sizeof(why));
	assert_string_equal(why, "telemetry did not answer greeting in time");
	tr_tel_close(&t);
	/* the backlog fills: later connects fail at once, never block */
	for (int i = 0; i < 4; i++) {
		t0 = tr_now_s();
		st = tr_tel_open(&t, sock, 0.2, NULL, 0);
		assert_true(tr_now_s() - t0 < 0.5);
		assert_int_equal(st, TR_TEL_TIMEOUT);
		tr_tel_close(&t);
	}
	tr_child_kill(c);

	c = serve(HANG_ON_STATS, true);
	char reply[256];
	assert_int_equal(tr_tel_open(&t, sock, 0.3, NULL, 0), TR_TEL_OK);
	assert_int_equal(tr_tel_cmd(&t, "/ethdev/list", reply, sizeof(reply)), TR_TEL_OK);
	t0 = tr_now_s();
	st = tr_tel_cmd(&t, "/ethdev/stats,0", reply, sizeof(reply));
	assert_int_equal(st, TR_TEL_TIMEOUT);
	assert_true(tr_now_s() - t0 < 0.5);
	tr_tel_describe(&t, st, why, sizeof(why));
	assert_string_equal(why, "telemetry did not answer /ethdev/stats,0 in time");
	tr_tel_close(&t);
	tr_child_kill(c);
}

static void test_not_a_live_socket(void **state)
{
	(void)state;
	struct tr_tel t;
	snprintf(sock, sizeof(sock), "%s/dpdk_telemetry.v2", tr_tmp);
	assert_int_equal(tr_tel_open(&t, sock, 0.2, NULL, 0), TR_TEL_NONE);
	tr_put(tr_tmp, "dpdk_telemetry.v2", "not a socket");
	assert_int_equal(tr_tel_open(&t, sock, 0.2, NULL, 0), TR_TEL_ERROR);
	unlink(sock);
	/* a socket nobody listens on (the app was killed) */
	serve(GOOD, false);
	assert_int_equal(tr_tel_open(&t, sock, 0.2, NULL, 0), TR_TEL_REFUSED);
	tr_tel_close(&t);
	unlink(sock);
	/* a live server elsewhere, and a link to it where the socket should be */
	pid_t c = serve(GOOD, true);
	char elsewhere[PATH_MAX + 32];
	snprintf(elsewhere, sizeof(elsewhere), "%s/other.sock", tr_tmp);
	assert_int_equal(rename(sock, elsewhere), 0);
	assert_int_equal(symlink(elsewhere, sock), 0);
	assert_int_equal(tr_tel_open(&t, sock, 0.2, NULL, 0), TR_TEL_ERROR);
	tr_tel_close(&t);
	/* through its own path it answers (the refusal was the link's) */
	assert_int_equal(tr_tel_open(&t, elsewhere, 0.2, NULL, 0), TR_TEL_OK);
	tr_tel_close(&t);
	tr_child_kill(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good, tr_tmp_setup, tr_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_silent_and_hanging, tr_tmp_setup, tr_tmp_teardown),
		cmocka_unit_test_setup_teardown(test_not_a_live_socket, tr_tmp_setup, tr_tmp_teardown),
	};
	return cmocka_run_group_tests_name("telemetry", tests, NULL, NULL);
}
