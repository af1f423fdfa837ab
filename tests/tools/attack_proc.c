/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Process attacks a tenant app would make, for suite_attacks_proc.sh:
 *
 *   attack_proc double-fork SECONDS FILE [stay]
 *                                         leave a sleeper behind (fork,
 *                                         setsid, fork again), write its
 *                                         pid to FILE, exit 0 at once (or,
 *                                         with "stay", sleep as well)
 *   attack_proc fork-bomb                 fork until the kernel says no,
 *                                         hold the children, then end them
 *   attack_proc memory-hog MB             touch MB MiB of memory, 1 MiB at
 *                                         a time, saying how far it got
 *   attack_proc read-fd FD                read what fd FD holds
 *   attack_proc tiocsti FD                push "\n" into the terminal on FD
 *                                         (TIOCSTI), then again with bit 32
 *                                         of cmd set, then TIOCLINUX; then
 *                                         how many bytes the terminal's
 *                                         input holds ("queued: N")
 *   attack_proc env NAME                  print NAME's value, or <unset>
 *   attack_proc session                   session id, pid, controlling tty
 *   attack_proc sleep SECONDS             stay alive
 *   attack_proc cgroup                    print /proc/self/cgroup: where the
 *                                         app is at its first instruction
 *   attack_proc hold-primary SECONDS      take the DPDK primary's lock as EAL
 *                                         does (a write lock on
 *                                         $RUNTIME_DIRECTORY/dpdk/<tenant>/
 *                                         config), so secondaries can join
 *
 * Under tenantrt-shim it runs as `attack_proc <EAL args> -- OP ARGS`:
 * everything up to the first "--" is skipped.
 *
 * Prints "OP: ok ..." or "OP: ENAME (message)", one line per attempt;
 * exit 0 when every attempt succeeded, 1 otherwise, 64 on bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CHILDREN 100000

static int fail(const char *op)
{
	printf("%s: %s (%s)\n", op, strerrorname_np(errno), strerror(errno));
	fflush(stdout);
	return 1;
}

static int double_fork(unsigned seconds, const char *file, bool stay)
{
	int p[2];
	if (pipe(p) < 0)
		return fail("double-fork");
	pid_t child = fork();
	if (child < 0)
		return fail("double-fork");
	if (child == 0) {
		/* The classic daemon: new session, then a grandchild that is
		 * nobody's child once this one exits. */
		setsid();
		pid_t g = fork();
		if (g == 0) {
			close(p[0]);
			pid_t me = getpid();
			(void)!write(p[1], &me, sizeof(me));
			close(p[1]);
			sleep(seconds);
			_exit(0);
		}
		_exit(g > 0 ? 0 : 1);
	}
	close(p[1]);
	pid_t g = 0;
	(void)!read(p[0], &g, sizeof(g));
	waitpid(child, NULL, 0);
	FILE *f = fopen(file, "w");
	if (f == NULL || g <= 0)
		return fail("double-fork");
	fprintf(f, "%d\n", (int)g);
	fclose(f);
	printf("double-fork: ok, sleeper pid %d\n", (int)g);
	if (stay)
		sleep(seconds);
	return 0;
}

static int fork_bomb(void)
{
	static pid_t kids[MAX_CHILDREN];
	unsigned n = 0;
	int e = 0;
	while (n < MAX_CHILDREN) {
		pid_t c = fork();
		if (c == 0) {
			pause();
			_exit(0);
		}
		if (c < 0) {
			e = errno;
			break;
		}
		kids[n++] = c;
	}
	for (unsigned i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (unsigned i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
	if (e == 0) {
		printf("fork-bomb: ok, %u processes and no limit\n", n);
		return 0;
	}
	errno = e;
	printf("fork-bomb: %s (%s) after %u processes\n", strerrorname_np(e),
	       strerror(e), n);
	return 1;
}

static int memory_hog(unsigned mb)
{
	for (unsigned i = 1; i <= mb; i++) {
		char *p = malloc(1 << 20);
		if (p == NULL)
			return fail("memory-hog");
		memset(p, 0x5a, 1 << 20);
		if (i % 16 == 0 || i == mb) {
			printf("memory-hog: %u MiB\n", i);
			fflush(stdout);
		}
	}
	printf("memory-hog: ok, %u MiB touched\n", mb);
	return 0;
}

static int read_fd(int fd)
{
	char buf[256];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return fail("read-fd");
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("read-fd: ok, read \"%s\"\n", buf);
	return 0;
}

/* Before anything else it does: the limits that hold it from here on. */
static int self_cgroup(void)
{
	char buf[4096];
	int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
	if (n < 0)
		return fail("cgroup");
	fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	return 0;
}

static int tiocsti(int fd)
{
	char c = '\n';
	int bad = 0;
	if (ioctl(fd, TIOCSTI, &c) < 0)
		bad |= fail("tiocsti");
	else
		printf("tiocsti: ok, INJECTED\n");
	/* The kernel reads cmd as 32 bits; a filter comparing 64 would miss
	 * this spelling of the same request. */
	if (syscall(SYS_ioctl, fd, (1UL << 32) | TIOCSTI, &c) < 0)
		bad |= fail("tiocsti-hi");
	else
		printf("tiocsti-hi: ok, INJECTED\n");
	char sub = 0;
	if (ioctl(fd, TIOCLINUX, &sub) < 0)
		bad |= fail("tioclinux");
	else
		printf("tioclinux: ok\n");
	int queued = -1;
	if (ioctl(fd, FIONREAD, &queued) < 0)
		bad |= fail("queued");
	else
		printf("queued: %d\n", queued);
	fflush(stdout);
	return bad;
}

static int session(void)
{
	char buf[1024];
	int tty_nr = -1;
	FILE *f = fopen("/proc/self/stat", "re");
	if (f && fgets(buf, sizeof(buf), f)) {
		const char *p = strrchr(buf, ')');
		int ppid, pgrp, sid;
		char st;
		if (p)
			sscanf(p + 1, " %c %d %d %d %d", &st, &ppid, &pgrp, &sid, &tty_nr);
	}
	if (f)
		fclose(f);
	printf("session: sid %d pid %d tty %s\n", (int)getsid(0), (int)getpid(),
	       tty_nr == 0 ? "none" : "yes");
	return 0;
}

static int hold_primary(unsigned seconds)
{
	const char *rd = getenv("RUNTIME_DIRECTORY"), *t = getenv("TENANTRT_TENANT");
	char dir[4096], path[4200];
	if (rd == NULL || t == NULL) {
		errno = EINVAL;
		return fail("hold-primary");
	}
	snprintf(dir, sizeof(dir), "%s/dpdk", rd);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/dpdk/%s", rd, t);
	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/config", dir);
	int fd = open(path, O_RDWR | O_CREAT, 0600);
	struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	if (fd < 0 || fcntl(fd, F_SETLK, &l) < 0)
		return fail("hold-primary");
	printf("hold-primary: pid %d\n", (int)getpid());
	fflush(stdout);
	sleep(seconds);
	return 0;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			argv[i] = argv[0];
			argv += i;
			argc -= i;
			break;
		}
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *op = argc > 1 ? argv[1] : "";
	const char *a = argc > 2 ? argv[2] : NULL;
	const char *b = argc > 3 ? argv[3] : NULL;
	if (strcmp(op, "double-fork") == 0 && a && b)
		return double_fork((unsigned)atoi(a), b,
				   argc > 4 && strcmp(argv[4], "stay") == 0);
	if (strcmp(op, "fork-bomb") == 0)
		return fork_bomb();
	if (strcmp(op, "memory-hog") == 0 && a)
		return memory_hog((unsigned)atoi(a));
	if (strcmp(op, "read-fd") == 0 && a)
		return read_fd(atoi(a));
	if (strcmp(op, "tiocsti") == 0 && a)
		return tiocsti(atoi(a));
	if (strcmp(op, "env") == 0 && a) {
		const char *v = getenv(a);
		printf("env %s: %s\n", a, v ? v : "<unset>");
		return 0;
	}
	if (strcmp(op, "session") == 0)
		return session();
	if (strcmp(op, "hold-primary") == 0 && a)
		return hold_primary((unsigned)atoi(a));
	if (strcmp(op, "cgroup") == 0)
		return self_cgroup();
	if (strcmp(op, "sleep") == 0 && a) {
		printf("sleep: pid %d\n", (int)getpid());
		sleep((unsigned)atoi(a));
		return 0;
	}
	fprintf(stderr, "attack_proc: bad usage; see the comment at the top of tests/tools/attack_proc.c\n");
	return 64;
}
