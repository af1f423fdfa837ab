/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command lines tenantrt-shim and tenantrt refuse, as one table (in
 * the manner of DPDK's app/test/test_eal_flags.c): each row runs a built
 * binary (TR_BUILD_DIR) with an argument vector and asserts its exit
 * status and the exact first line it prints on stderr, and that a refusal
 * prints nothing on stdout; --help exits 0, prints nothing on stderr and
 * shows the exit-code table. A few rows pass the usage check on purpose
 * (a boundary value) and stop at the next stage, so the table also pins
 * what is accepted.
 *
 * Each binary runs as its name (argv[0], as a container's PATH lookup
 * gives it), with stdin from /dev/null and an environment holding only
 * PATH and LC_ALL=C: no TENANTRT_* variable of the caller leaks in. The
 * rows that get past the shim's usage check need root (the shim refuses
 * any other uid, 77: a row pins that, run as nobody); the rows that load a
 * config (flagged pool) need the host's 2M hugepage pool that `make test`
 * reserves. Each is skipped where it cannot run.
 *
 * One cmocka test per row, named after it. To add a row: run the binary,
 * copy its status and first stderr line here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <grp.h>

#include "helpers.h"

#ifndef TR_BUILD_DIR
#error "TR_BUILD_DIR: the Makefile's build dir, where the binaries under test are"
#endif

#define MINIMAL TR_SOURCE_DIR "/tests/fixtures/good/minimal.yaml"
/* A FIFO where a config is expected: made by main() for the rows below. */
#define FIFO_CONFIG "/tmp/tenantrt-test-usage.fifo.yaml"
#define SHIM "tenantrt-shim"
#define CLI "tenantrt"
#define MAX_ARGS 12

struct usage_row {
	const char *name;               /* what the row checks */
	const char *argv[MAX_ARGS];     /* argv[0]: the binary in TR_BUILD_DIR */
	int exit;                       /* its exit status */
	const char *err;                /* its first stderr line; NULL: none */
	const char *out;                /* a line of stdout; NULL: stdout empty */
	bool pool;                      /* loads a config: needs a 2M pool */
	int as;                         /* ROOT: needs root; NOBODY: run as
					   uid 65534 (and needs root to get
					   there); 0: anyone */
};

enum { ROOT = 1, NOBODY = 2 };

/* A refused command line: status, first stderr line, nothing on stdout. */
#define REFUSED(name, status, line, ...) { name, { __VA_ARGS__ }, status, line, NULL, false, 0 }
/* The same for a shim that gets past its usage check: it must be root. */
#define REFUSED_ROOT(name, status, line, ...) { name, { __VA_ARGS__ }, status, line, NULL, false, ROOT }
/* The same run as uid 65534. */
#define REFUSED_NOBODY(name, status, line, ...) { name, { __VA_ARGS__ }, status, line, NULL, false, NOBODY }
/* The same for one that loads MINIMAL, which needs a 2M pool to be valid. */
#define REFUSED_POOL(name, status, line, ...) { name, { __VA_ARGS__ }, status, line, NULL, true, ROOT }
/* --help: exit 0, nothing on stderr, the exit-code table on stdout. */
#define HELP(name, ...) { name, { __VA_ARGS__ }, 0, NULL, "exit status:", false, 0 }

#define SHIM_RANGE(opt, v) SHIM ": " opt " \"" v "\": expected seconds (0-86400)"
#define PLAN_HELP "; see 'tenantrt plan --help'"

static const struct usage_row rows[] = {
	/* --- tenantrt-shim ------------------------------------------------- */
	REFUSED("shim: unknown option", EX_USAGE,
		SHIM ": unrecognized option '--bogus'",
		SHIM, "--bogus", "--tenant", "acme", "--", "app"),
	REFUSED("shim: unknown short option", EX_USAGE,
		SHIM ": invalid option -- 'x'",
		SHIM, "-x", "--tenant", "acme", "--", "app"),
	REFUSED("shim: --tenant without its value", EX_USAGE,
		SHIM ": option '--tenant' requires an argument",
		SHIM, "--tenant"),
	REFUSED("shim: -t without its value", EX_USAGE,
		SHIM ": option requires an argument -- 't'",
		SHIM, "-t"),
	REFUSED("shim: --role without its value", EX_USAGE,
		SHIM ": option '--role' requires an argument",
		SHIM, "--tenant", "acme", "--role"),
	REFUSED("shim: no --tenant", EX_USAGE,
		SHIM ": no tenant: give --tenant NAME or set TENANTRT_TENANT",
		SHIM, "--", "app"),
	REFUSED("shim: an empty --tenant", EX_USAGE,
		SHIM ": no tenant: give --tenant NAME or set TENANTRT_TENANT",
		SHIM, "--tenant", "", "--", "app"),
	REFUSED("shim: a bad --role", EX_USAGE,
		SHIM ": --role \"boss\": expected primary, secondary or auto",
		SHIM, "--tenant", "acme", "--role", "boss", "--", "app"),
	REFUSED("shim: --role is case-sensitive", EX_USAGE,
		SHIM ": --role \"Primary\": expected primary, secondary or auto",
		SHIM, "--tenant", "acme", "--role", "Primary", "--", "app"),
	REFUSED("shim: --wait-primary not a number", EX_USAGE,
		SHIM_RANGE("--wait-primary", "x"),
		SHIM, "--tenant", "acme", "--wait-primary", "x", "--", "app"),
	REFUSED("shim: --wait-primary with a unit", EX_USAGE,
		SHIM_RANGE("--wait-primary", "1s"),
		SHIM, "--tenant", "acme", "--wait-primary", "1s", "--", "app"),
	REFUSED("shim: --wait-primary negative", EX_USAGE,
		SHIM_RANGE("--wait-primary", "-1"),
		SHIM, "--tenant", "acme", "--wait-primary", "-1", "--", "app"),
	REFUSED("shim: --wait-primary past a day", EX_USAGE,
		SHIM_RANGE("--wait-primary", "86401"),
		SHIM, "--tenant", "acme", "--wait-primary", "86401", "--", "app"),
	REFUSED("shim: --stop-timeout not a number", EX_USAGE,
		SHIM_RANGE("--stop-timeout", "ten"),
		SHIM, "--tenant", "acme", "--stop-timeout", "ten", "--", "app"),
	REFUSED("shim: --stop-timeout past a day", EX_USAGE,
		SHIM_RANGE("--stop-timeout", "1e9"),
		SHIM, "--tenant", "acme", "--stop-timeout", "1e9", "--", "app"),
	REFUSED("shim: no app", EX_USAGE,
		SHIM ": no app: give it after \"--\", e.g. " SHIM " --tenant acme -- dpdk-testpmd",
		SHIM, "--tenant", "acme"),
	REFUSED("shim: no app after --", EX_USAGE,
		SHIM ": no app: give it after \"--\", e.g. " SHIM " --tenant acme -- dpdk-testpmd",
		SHIM, "--tenant", "acme", "--"),
	REFUSED("shim: --tenant given twice", EX_USAGE,
		SHIM ": --tenant is given twice (\"acme\", then \"globex\"); give it once",
		SHIM, "--tenant", "acme", "--tenant", "globex", "--", "app"),
	REFUSED("shim: --role given twice", EX_USAGE,
		SHIM ": --role is given twice (\"primary\", then \"secondary\"); give it once",
		SHIM, "--tenant", "acme", "--role", "primary", "-r", "secondary", "--", "app"),
	REFUSED("shim: --stop-timeout nan is not a number of seconds", EX_USAGE,
		SHIM_RANGE("--stop-timeout", "nan"),
		SHIM, "--tenant", "acme", "--stop-timeout", "nan", "--", "app"),
	REFUSED("shim: --wait-primary inf neither", EX_USAGE,
		SHIM_RANGE("--wait-primary", "inf"),
		SHIM, "--tenant", "acme", "--wait-primary", "inf", "--", "app"),
	REFUSED_NOBODY("shim: not root", EX_NOPERM,
		SHIM ": must run as root (uid 0, also inside a container): it mounts the "
		"tenant's hugetlbfs, makes its cgroups and drops to the tenant's uid",
		SHIM, "--config", MINIMAL, "--tenant", "solo", "--", "app"),
	REFUSED_ROOT("shim: a FIFO as the config does not hang it", EX_NOINPUT,
		SHIM ": " FIFO_CONFIG " is not a regular file (a FIFO or a device?); give the tenants.yaml file",
		SHIM, "--config", FIFO_CONFIG, "--tenant", "solo", "--", "app"),
	REFUSED_ROOT("shim: 86400 and 0 seconds are accepted; the config is read next", EX_NOINPUT,
		SHIM ": cannot open /nonexistent/tenants.yaml: No such file or directory",
		SHIM, "--config", "/nonexistent/tenants.yaml", "--tenant", "acme",
		"--wait-primary", "86400", "--stop-timeout", "0", "--", "app"),
	REFUSED_POOL("shim: a tenant the config does not have", EX_USAGE,
		SHIM ": tenant \"nosuch\" is not in " MINIMAL "; give one of its tenants",
		SHIM, "--config", MINIMAL, "--tenant", "nosuch", "--", "app"),
	/* APP [EAL options] -- [app options]: an owned EAL option is refused
	 * before the config is read */
	REFUSED("shim: an EAL option tenants.yaml owns, before the app's --", EX_USAGE,
		SHIM ": tenant \"acme\": EAL option --file-prefix is tenantrt's (the tenant's name); remove it",
		SHIM, "--config", "/nonexistent/tenants.yaml", "--tenant", "acme", "--", "app",
		"--file-prefix=x", "--", "-i"),
	REFUSED("shim: a word before the app's -- that is no EAL option", EX_USAGE,
		SHIM ": tenant \"acme\": \"-i\" before the app's \"--\": -i is not a DPDK 22.11 EAL option; app options go after \"--\"",
		SHIM, "--config", "/nonexistent/tenants.yaml", "--tenant", "acme", "--", "app",
		"-i", "--"),
	REFUSED("shim: an allowed EAL option passes; the config is read next", EX_NOINPUT,
		SHIM ": cannot open /nonexistent/tenants.yaml: No such file or directory",
		SHIM, "--config", "/nonexistent/tenants.yaml", "--tenant", "acme", "--", "app",
		"--log-level=lib.eal:debug", "--", "-i"),
	HELP("shim: --help prints the exit-code table", SHIM, "--help"),
	HELP("shim: -h too", SHIM, "-h"),

	/* --- tenantrt ------------------------------------------------------- */
	REFUSED("cli: no command", EX_USAGE,
		"usage: tenantrt <command> [options]",
		CLI),
	REFUSED("cli: unknown command", EX_USAGE,
		"tenantrt: unknown command \"frob\"; try 'tenantrt --help'",
		CLI, "frob"),
	REFUSED("cli: an option for a command", EX_USAGE,
		"tenantrt: unknown command \"--version\"; try 'tenantrt --help'",
		CLI, "--version"),
	HELP("cli: --help prints the exit-code table", CLI, "--help"),
	HELP("cli: -h too", CLI, "-h"),

	REFUSED_POOL("plan: an EAL option tenants.yaml owns, before the app's --", EX_USAGE,
		"tenantrt plan: tenant \"solo\": EAL option -m is tenantrt's: set memory.totalMb/socketMb in tenants.yaml",
		CLI, "plan", "--config", MINIMAL, "--tenant", "solo", "--", "app", "-m", "64", "--"),
	REFUSED("plan: unknown option", EX_USAGE,
		"tenantrt plan: unknown option \"--bogus\"" PLAN_HELP,
		CLI, "plan", "--bogus"),
	REFUSED("plan: unknown short option", EX_USAGE,
		"tenantrt plan: unknown option \"-x\"" PLAN_HELP,
		CLI, "plan", "-x"),
	REFUSED("plan: --tenant without its value", EX_USAGE,
		"tenantrt plan: option \"--tenant\" needs a value" PLAN_HELP,
		CLI, "plan", "--tenant"),
	REFUSED("plan: -t without its value", EX_USAGE,
		"tenantrt plan: option \"-t\" needs a value" PLAN_HELP,
		CLI, "plan", "-t"),
	REFUSED("plan: --tenant is required", EX_USAGE,
		"tenantrt plan: --tenant NAME is required" PLAN_HELP,
		CLI, "plan", "--config", MINIMAL),
	REFUSED("plan: --role auto is the shim's only", EX_USAGE,
		"tenantrt plan: --role \"auto\" is neither primary nor secondary" PLAN_HELP,
		CLI, "plan", "--tenant", "solo", "--role", "auto"),
	REFUSED("plan: --member not a number", EX_USAGE,
		"tenantrt plan: --member \"x\" is not a member number" PLAN_HELP,
		CLI, "plan", "--tenant", "solo", "--member", "x"),
	REFUSED("plan: --member negative", EX_USAGE,
		"tenantrt plan: --member \"-1\" is not a member number" PLAN_HELP,
		CLI, "plan", "--tenant", "solo", "--member", "-1"),
	REFUSED("plan: --member past a million", EX_USAGE,
		"tenantrt plan: --member \"1000001\" is not a member number" PLAN_HELP,
		CLI, "plan", "--tenant", "solo", "--member", "1000001"),
	REFUSED("plan: --tenant given twice", EX_USAGE,
		"tenantrt plan: --tenant is given twice (\"solo\", then \"other\"); give it once",
		CLI, "plan", "--tenant", "solo", "-t", "other"),
	REFUSED("plan: --role given twice", EX_USAGE,
		"tenantrt plan: --role is given twice (\"primary\", then \"secondary\"); give it once",
		CLI, "plan", "--tenant", "solo", "--role", "primary", "--role", "secondary"),
	REFUSED("plan: unexpected argument", EX_USAGE,
		"tenantrt plan: unexpected argument \"extra\"; put the app after --" PLAN_HELP,
		CLI, "plan", "--tenant", "solo", "extra"),
	REFUSED_POOL("plan: a tenant the config does not have", EX_USAGE,
		"tenantrt plan: no tenant \"nosuch\" in " MINIMAL " (it has: solo)",
		CLI, "plan", "--config", MINIMAL, "--tenant", "nosuch"),
	REFUSED_POOL("plan: a secondary of an independent primary", EX_USAGE,
		"tenantrt plan: tenant \"solo\": an independent primary (group.maxSecondaries is 0) "
		"takes no secondaries; raise group.maxSecondaries",
		CLI, "plan", "--config", MINIMAL, "--tenant", "solo", "--role", "secondary"),
	HELP("plan: --help prints the exit-code table", CLI, "plan", "--help"),

	REFUSED("validate: unknown option", EX_USAGE,
		"tenantrt validate: unknown option \"--bogus\"; see 'tenantrt validate --help'",
		CLI, "validate", "--bogus"),
	REFUSED("validate: --config without its value", EX_USAGE,
		"tenantrt validate: option \"--config\" needs a value; see 'tenantrt validate --help'",
		CLI, "validate", "--config"),
	REFUSED("validate: --config given twice", EX_USAGE,
		"tenantrt validate: --config is given twice (\"a.yaml\", then \"b.yaml\"); give it once",
		CLI, "validate", "--config", "a.yaml", "-c", "b.yaml"),
	REFUSED("validate: a FIFO as the config does not hang it", EX_NOINPUT,
		"tenantrt validate: " FIFO_CONFIG " is not a regular file (a FIFO or a device?); give the tenants.yaml file",
		CLI, "validate", "--config", FIFO_CONFIG),
	REFUSED("validate: unexpected argument", EX_USAGE,
		"tenantrt validate: unexpected argument \"extra\"; see 'tenantrt validate --help'",
		CLI, "validate", "extra"),
	REFUSED("validate: a config that is not there", EX_NOINPUT,
		"tenantrt validate: cannot open /nonexistent.yaml: No such file or directory",
		CLI, "validate", "--config", "/nonexistent.yaml"),
	HELP("validate: --help prints the exit-code table", CLI, "validate", "--help"),

	REFUSED("status: unknown option", EX_USAGE,
		"tenantrt status: unknown option \"--bogus\"; see 'tenantrt status --help'",
		CLI, "status", "--bogus"),
	REFUSED("status: --runtime-root without its value", EX_USAGE,
		"tenantrt status: option \"--runtime-root\" needs a value; see 'tenantrt status --help'",
		CLI, "status", "--runtime-root"),
	REFUSED("status: unexpected argument", EX_USAGE,
		"tenantrt status: unexpected argument \"extra\"; see 'tenantrt status --help'",
		CLI, "status", "extra"),
	REFUSED("status: --config and --runtime-root together", EX_USAGE,
		"tenantrt status: give --config or --runtime-root, not both (the runtimeRoot would be ambiguous)",
		CLI, "status", "--config", MINIMAL, "--runtime-root", "/run/tenantrt"),
	REFUSED("status: a relative --runtime-root", EX_USAGE,
		"tenantrt status: --runtime-root \"run/tenantrt\" is not an absolute path; give it as in host.runtimeRoot",
		CLI, "status", "--runtime-root", "run/tenantrt"),
	REFUSED("status: a FIFO as the config does not hang it", EX_NOINPUT,
		"tenantrt status: " FIFO_CONFIG " is not a regular file (a FIFO or a device?); give the tenants.yaml file",
		CLI, "status", "--config", FIFO_CONFIG),
	REFUSED("status: --tenant given twice", EX_USAGE,
		"tenantrt status: --tenant is given twice (\"a\", then \"b\"); give it once",
		CLI, "status", "--tenant", "a", "--tenant", "b"),
	REFUSED("status: --check without --tenant", EX_USAGE,
		"tenantrt status: --check needs --tenant T",
		CLI, "status", "--check"),
	HELP("status: --help prints the exit-code table", CLI, "status", "--help"),

	REFUSED("reap: unknown option", EX_USAGE,
		"tenantrt reap: unknown option \"--bogus\"; see 'tenantrt reap --help'",
		CLI, "reap", "--bogus"),
	REFUSED("reap: -R without its value", EX_USAGE,
		"tenantrt reap: option \"-R\" needs a value; see 'tenantrt reap --help'",
		CLI, "reap", "-R"),
	REFUSED("reap: --runtime-root given twice", EX_USAGE,
		"tenantrt reap: --runtime-root is given twice (\"/a\", then \"/b\"); give it once",
		CLI, "reap", "-R", "/a", "-R", "/b"),
	REFUSED("reap: --config and --runtime-root together", EX_USAGE,
		"tenantrt reap: give --config or --runtime-root, not both (the runtimeRoot would be ambiguous)",
		CLI, "reap", "--config", MINIMAL, "-R", "/run/tenantrt"),
	REFUSED("reap: unexpected argument (not a tenant to reap)", EX_USAGE,
		"tenantrt reap: unexpected argument \"acme\"; see 'tenantrt reap --help'",
		CLI, "reap", "acme"),
	HELP("reap: --help prints the exit-code table", CLI, "reap", "--help"),
};

static bool have_2m_pool(void)
{
	char buf[32];
	return tr_slurp("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", buf,
			sizeof(buf)) > 0 && strtoul(buf, NULL, 10) > 0;
}

/* What a file written by the child holds, from its start; free() it. */
static char *read_back(FILE *f)
{
	fflush(f);
	struct stat st;
	assert_int_equal(fstat(fileno(f), &st), 0);
	char *text = malloc((size_t)st.st_size + 1);
	assert_non_null(text);
	assert_int_equal(pread(fileno(f), text, (size_t)st.st_size, 0), st.st_size);
	text[st.st_size] = '\0';
	fclose(f);
	return text;
}

/* text holds line as one of its lines. */
static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

/* uid 65534 may not reach the build dir (a clone under /root): a copy of
 * the binary in a 0755 dir of /tmp, its path in path; the dir in dir. */
static void copy_for_nobody(const char *src, char *dir, char *path, size_t len)
{
	snprintf(dir, PATH_MAX, "/tmp/tenantrt-usage.XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(path, len, "%s/%s", dir, strrchr(src, '/') + 1);
	int in = open(src, O_RDONLY | O_CLOEXEC);
	int out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	assert_true(in >= 0 && out >= 0);
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
}

static void run_row(void **state)
{
	const struct usage_row *r = *state;
	if ((r->pool && !have_2m_pool()) || (r->as && geteuid() != 0))
		skip();
	char path[PATH_MAX], dir[PATH_MAX] = "";
	snprintf(path, sizeof(path), "%s/%s", TR_BUILD_DIR, r->argv[0]);
	if (r->as == NOBODY) {
		char src[PATH_MAX];
		snprintf(src, sizeof(src), "%s", path);
		copy_for_nobody(src, dir, path, sizeof(path));
	}
	FILE *out = tmpfile(), *err = tmpfile();
	assert_true(out && err);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		static char *const env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
		int in = open("/dev/null", O_RDONLY);
		if (in < 0 || dup2(in, STDIN_FILENO) < 0 || dup2(fileno(out), STDOUT_FILENO) < 0 ||
		    dup2(fileno(err), STDERR_FILENO) < 0)
			_exit(120);
		if (r->as == NOBODY && (setgroups(0, NULL) < 0 || setgid(65534) < 0 ||
					setuid(65534) < 0))
			_exit(122);
		alarm(20);   /* a row that got past the usage check must not hang */
		execve(path, (char *const *)r->argv, env);
		_exit(121);
	}
	int status = tr_child_exit(pid);
	if (dir[0]) {
		unlink(path);
		rmdir(dir);
	}
	char *o = read_back(out), *e = read_back(err);
	char first[2048];
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(e, "\n"), e);

	bool ok = status == r->exit &&
		  (r->err ? strcmp(first, r->err) == 0 : e[0] == '\0') &&
		  (r->out ? has_line(o, r->out) : o[0] == '\0');
	if (!ok) {
		fprintf(stderr, "%s:", path);
		for (int i = 1; r->argv[i]; i++)
			fprintf(stderr, " '%s'", r->argv[i]);
		fprintf(stderr, "\n--- want: exit %d\n%s\n+++ got: exit %d\n%s--- stdout\n%s",
			r->exit, r->err ? r->err : "(no stderr)", status, e, o);
	}
	free(o);
	free(e);
	assert_true(ok);
}

int main(void)
{
	enum { N = sizeof(rows) / sizeof(rows[0]) };
	unlink(FIFO_CONFIG);
	if (mkfifo(FIFO_CONFIG, 0644) < 0) {
		perror(FIFO_CONFIG);
		return 1;
	}
	struct CMUnitTest tests[N];
	for (size_t i = 0; i < N; i++)
		tests[i] = (struct CMUnitTest){ .name = rows[i].name, .test_func = run_row,
						.initial_state = (void *)&rows[i] };
	int failed = _cmocka_run_group_tests("usage", tests, N, NULL, NULL);
	unlink(FIFO_CONFIG);
	return failed;
}
