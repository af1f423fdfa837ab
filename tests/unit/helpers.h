/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the control plane's unit tests (tests/unit/test_*.c) share, so that
 * no test writes its own copy. Include it after <cmocka.h>: the helpers
 * assert, and a failed assertion fails the test that called them.
 *
 *   tr_test_cpus, assert_cpus          cpusets from and to "0-3,8" lists
 *   tr_tmp, tr_tmp_setup/_teardown     a fresh temp dir per test or group
 *   tr_cgroot_setup/_teardown          ... that is also the cgroup root
 *   tr_put, tr_slurp, tr_rmtree        files under a made-up tree
 *   tr_test_host                       the host facts configs are checked on
 *                                      (host_facts.h, shared with the fuzz
 *                                      target)
 *   tr_test_config, tr_test_config_clean, tr_test_config_valid
 *                                      a YAML buffer through parse, resolve,
 *                                      validate
 *   tr_cfg, tr_cfg_diags, tr_config_teardown
 *                                      a test's config and diagnostics
 *   tr_diags_text, assert_diags        diagnostics as printed, as a string
 *   tr_capture_stderr, tr_capture_end  what the code under test printed
 *   tr_hold_fcntl_lock, tr_child_kill, tr_child_exit, assert_child_exit
 *                                      forked children: a lock holder (as
 *                                      DPDK's primary), an exit status
 *
 * Every function is static inline: each test is its own binary, and one it
 * does not call costs nothing (and draws no unused-function warning).
 * libtenantrt's tests (rt_test_*.c) are built without the control plane's
 * headers and do not include this file.
 */
#ifndef TR_TESTS_UNIT_HELPERS_H
#define TR_TESTS_UNIT_HELPERS_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cpuset.h"
#include "config/diag.h"
#include "config/model.h"
#include "config/parse.h"
#include "config/resolve.h"
#include "config/validate.h"
#include "host_facts.h"
#include "isolate/cgroup.h"

/* --- cpusets ---------------------------------------------------------------- */

/* The cpuset of a list the test knows to be good ("1-2,5"). */
static inline struct tr_cpuset tr_test_cpus(const char *list)
{
	struct tr_cpuset s;
	char why[128];
	if (tr_cpuset_parse(&s, list, why, sizeof(why)) < 0)
		fail_msg("cpu list \"%s\": %s", list, why);
	return s;
}

/* s, formatted as a list, is exactly want. */
static inline void assert_cpus(const struct tr_cpuset *s, const char *want)
{
	char buf[256];
	tr_cpuset_format(s, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

/* --- temp dirs and files ------------------------------------------------------ */

static inline int tr_rmtree_one(const char *path, const struct stat *st, int flag,
				struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

/* rm -rf dir, never following a link out of it; 0 when it is gone. */
static inline int tr_rmtree(const char *dir)
{
	if (dir[0] == '\0')
		return 0;
	if (nftw(dir, tr_rmtree_one, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
		return -1;
	return access(dir, F_OK) == 0 ? -1 : 0;
}

/*
 * The temp dir of the running test, /tmp/tr-<test binary>.XXXXXX. Give
 * tr_tmp_setup and tr_tmp_teardown to cmocka as a test's (or a group's)
 * setup and teardown.
 */
static char tr_tmp[PATH_MAX] __attribute__((unused));

static inline int tr_tmp_setup(void **state)
{
	(void)state;
	snprintf(tr_tmp, sizeof(tr_tmp), "/tmp/tr-%s.XXXXXX", program_invocation_short_name);
	return mkdtemp(tr_tmp) ? 0 : -1;
}

static inline int tr_tmp_teardown(void **state)
{
	(void)state;
	int rc = tr_rmtree(tr_tmp);
	tr_tmp[0] = '\0';
	return rc;
}

/* tr_tmp as the cgroup root (tr_cgroup_set_fsroot): a made-up
 * /sys/fs/cgroup, so that no cgroup of the host is made, joined or
 * removed by the code under test. */
static inline int tr_cgroot_setup(void **state)
{
	if (tr_tmp_setup(state) < 0)
		return -1;
	tr_cgroup_set_fsroot(tr_tmp);
	return 0;
}

static inline int tr_cgroot_teardown(void **state)
{
	tr_cgroup_set_fsroot("/sys/fs/cgroup");
	return tr_tmp_teardown(state);
}

/* Write text to root/rel, making the dirs on the way (mkdir -p). */
static inline void tr_put(const char *root, const char *rel, const char *text)
{
	char path[PATH_MAX * 2];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			fail_msg("mkdir %s: %s", path, strerror(errno));
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	if (f == NULL)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* The whole of a file into buf (NUL-terminated, cut to len - 1 bytes);
 * its length, or -1 when it cannot be read. */
static inline ssize_t tr_slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return -1;
	size_t n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return (ssize_t)n;
}

/* --- configs ------------------------------------------------------------------- */

/* The config a test works on and its diagnostics (statics: zeroed at
 * start); tr_config_teardown, as a cmocka teardown, frees both. */
static struct tr_config tr_cfg __attribute__((unused));
static struct tr_diags tr_cfg_diags __attribute__((unused));

static inline int tr_config_teardown(void **state)
{
	(void)state;
	tr_config_free(&tr_cfg);
	tr_diags_free(&tr_cfg_diags);
	return 0;
}

enum tr_test_stage {
	TR_TEST_PARSE,
	TR_TEST_RESOLVE,      /* parse, then resolve in env */
	TR_TEST_VALIDATE,     /* ..., then validate against host */
};

/*
 * yaml, named name in its diagnostics, through the config stages up to
 * last, stopping at the first one that fails. cfg and d are freed first:
 * give them zeroed (static) or as a previous call left them. Returns 0, or
 * the failing stage's result; the diagnostics are in d.
 */
static inline int tr_test_config(struct tr_config *cfg, struct tr_diags *d, const char *name,
				 const char *yaml, char *const env[],
				 const struct tr_host_facts *host, enum tr_test_stage last)
{
	tr_config_free(cfg);
	tr_diags_free(d);
	tr_diags_init(d, name);
	int rc = tr_config_parse_buffer(cfg, name, yaml, strlen(yaml), d);
	if (rc == 0 && last >= TR_TEST_RESOLVE)
		rc = tr_config_resolve(cfg, env, d);
	if (rc == 0 && last >= TR_TEST_VALIDATE)
		rc = tr_config_validate(cfg, host, d);
	return rc;
}

/* As tr_test_config, which must pass up to last with no error (warnings
 * allowed): the config a test goes on from. */
static inline void tr_test_config_clean(struct tr_config *cfg, struct tr_diags *d,
					const char *name, const char *yaml, char *const env[],
					const struct tr_host_facts *host,
					enum tr_test_stage last)
{
	if (tr_test_config(cfg, d, name, yaml, env, host, last) != 0 || d->n_errors) {
		tr_diags_print(d, stderr);
		fail_msg("%s does not get through the config stages", name);
	}
}

/* A valid config (through validation against host), diagnostics dropped. */
static inline void tr_test_config_valid(struct tr_config *cfg, const char *name,
					const char *yaml, char *const env[],
					const struct tr_host_facts *host)
{
	struct tr_diags d = { 0 };
	tr_test_config_clean(cfg, &d, name, yaml, env, host, TR_TEST_VALIDATE);
	tr_diags_free(&d);
}

/* The diagnostics as tr_diags_print prints them; free() it. */
static inline char *tr_diags_text(const struct tr_diags *d)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	assert_non_null(m);
	tr_diags_print(d, m);
	assert_int_equal(fclose(m), 0);
	return out;
}

/* d prints exactly want (both shown when not). */
static inline void assert_diags(const struct tr_diags *d, const char *want)
{
	char *got = tr_diags_text(d);
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "diagnostics differ\n--- expected\n%s+++ got\n%s", want, got);
		free(got);
		fail();
	}
	free(got);
}

/* --- what the code under test prints ------------------------------------------- */

struct tr_capture {
	int saved_fd;
	FILE *file;
};

/* From here to tr_capture_end, stderr goes to a temp file. */
static inline void tr_capture_stderr(struct tr_capture *c)
{
	fflush(stderr);
	c->file = tmpfile();
	assert_non_null(c->file);
	c->saved_fd = dup(STDERR_FILENO);
	assert_true(c->saved_fd >= 0);
	assert_true(dup2(fileno(c->file), STDERR_FILENO) >= 0);
}

/* stderr back; what was printed meanwhile (free() it). */
static inline char *tr_capture_end(struct tr_capture *c)
{
	fflush(stderr);
	assert_true(dup2(c->saved_fd, STDERR_FILENO) >= 0);
	close(c->saved_fd);
	long n = ftell(c->file);
	assert_true(n >= 0);
	char *text = malloc((size_t)n + 1);
	assert_non_null(text);
	rewind(c->file);
	assert_int_equal(fread(text, 1, (size_t)n, c->file), (size_t)n);
	text[n] = '\0';
	fclose(c->file);
	return text;
}

/* --- forked children ------------------------------------------------------------- */

/*
 * A child holding an fcntl write lock on the whole of path, as DPDK's
 * primary holds its config file, until tr_child_kill (or the test's own
 * end: it dies with its parent). Returns its pid once the lock is held.
 */
static inline pid_t tr_hold_fcntl_lock(const char *path)
{
	int ready[2];
	assert_int_equal(pipe(ready), 0);
	pid_t parent = getpid();
	pid_t c = fork();
	assert_true(c >= 0);
	if (c == 0) {
		close(ready[0]);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(1);
		int fd = open(path, O_RDWR);
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		if (fd < 0 || fcntl(fd, F_SETLK, &fl) < 0)
			_exit(1);
		(void)!write(ready[1], "x", 1);
		for (;;)
			pause();
	}
	close(ready[1]);
	char x;
	ssize_t n = read(ready[0], &x, 1);
	close(ready[0]);
	if (n != 1) {
		waitpid(c, NULL, 0);
		fail_msg("the child could not lock %s", path);
	}
	return c;
}

/* SIGKILL a child and reap it. */
static inline void tr_child_kill(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Wait for a child, which must have exited (not died of a signal); its
 * exit status. */
static inline int tr_child_exit(pid_t pid)
{
	int ws;
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	if (!WIFEXITED(ws))
		fail_msg("child %d died of signal %d", (int)pid,
			 WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
	return WEXITSTATUS(ws);
}

/* ... with exactly want. */
static inline void assert_child_exit(pid_t pid, int want)
{
	assert_int_equal(tr_child_exit(pid), want);
}

#endif
