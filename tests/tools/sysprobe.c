/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One syscall an attacker would make, and what the kernel answered:
 *
 *   sysprobe ptrace PID          PTRACE_ATTACH to PID (detaches on success)
 *   sysprobe keyctl              read the session keyring's id
 *   sysprobe unshare             unshare(CLONE_NEWUSER)
 *   sysprobe clone-newuser       clone(CLONE_NEWUSER), the child exits
 *   sysprobe thread              pthread_create (glibc tries clone3)
 *   sysprobe setaffinity CPU     sched_setaffinity to that cpu only
 *   sysprobe getaffinity         print the allowed cpus
 *   sysprobe open PATH           open read-write
 *   sysprobe unlink PATH
 *   sysprobe list DIR            opendir + readdir
 *   sysprobe connect PATH        AF_UNIX SOCK_SEQPACKET (DPDK's mp_socket
 *                                and telemetry socket)
 *   sysprobe memfd-huge MB       hugepages through memfd (MFD_HUGETLB),
 *                                mapped and touched, as `--in-memory` does
 *
 *   sysprobe sleep SECONDS       stay alive (a tenant member holding the
 *                                tenant's cgroups, mount and runtime dir)
 *
 * Under tenantrt-shim it is started as `sysprobe <EAL args> -- OP ARGS`:
 * everything up to the first "--" is skipped.
 *
 * Prints "OP: ok" and exits 0, or "OP: ENAME (message)" and exits 1; 64 on
 * bad usage.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/keyctl.h>

static void *idle(void *arg)
{
	return arg;
}

static int report(const char *op, int r)
{
	if (r == 0) {
		printf("%s: ok\n", op);
		return 0;
	}
	printf("%s: %s (%s)\n", op, strerrorname_np(errno), strerror(errno));
	return 1;
}

static int do_ptrace(pid_t pid)
{
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0)
		return -1;
	waitpid(pid, NULL, __WALL);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return 0;
}

static int do_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd < 0)
		return -1;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	int r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	int e = errno;
	close(fd);
	errno = e;
	return r;
}

static int do_list(const char *path)
{
	DIR *d = opendir(path);
	if (d == NULL)
		return -1;
	errno = 0;
	while (readdir(d) != NULL)
		;
	int e = errno;
	closedir(d);
	errno = e;
	return e != 0 ? -1 : 0;
}

static int do_memfd_huge(unsigned long mb)
{
	size_t len = mb << 20;
	int fd = memfd_create("sysprobe", MFD_HUGETLB | MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)len) < 0)
		return -1;
	/* MAP_POPULATE: every page faulted in now, as DPDK touches its
	 * pages at allocation. Past a hugetlb rsvd limit mmap itself fails;
	 * past a plain limit the fault does (SIGBUS, the process dies). */
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, fd, 0);
	if (p == MAP_FAILED)
		return -1;
	memset(p, 1, len);
	munmap(p, len);
	close(fd);
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
	if (argc < 2)
		goto usage;
	const char *op = argv[1];
	const char *arg = argc > 2 ? argv[2] : NULL;

	if (strcmp(op, "ptrace") == 0 && arg)
		return report(op, do_ptrace((pid_t)atoi(arg)));
	if (strcmp(op, "keyctl") == 0) {
		long r = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
				 KEY_SPEC_SESSION_KEYRING, 1);
		return report(op, r < 0 ? -1 : 0);
	}
	if (strcmp(op, "unshare") == 0)
		return report(op, unshare(CLONE_NEWUSER));
	if (strcmp(op, "clone-newuser") == 0) {
		long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL,
				   NULL, NULL, 0);
		if (pid == 0)
			_exit(0);
		if (pid > 0)
			waitpid((pid_t)pid, NULL, 0);
		return report(op, pid < 0 ? -1 : 0);
	}
	if (strcmp(op, "thread") == 0) {
		pthread_t t;
		int r = pthread_create(&t, NULL, idle, NULL);
		if (r == 0)
			pthread_join(t, NULL);
		errno = r;
		return report(op, r == 0 ? 0 : -1);
	}
	if (strcmp(op, "setaffinity") == 0 && arg) {
		cpu_set_t s;
		CPU_ZERO(&s);
		CPU_SET(atoi(arg), &s);
		return report(op, sched_setaffinity(0, sizeof(s), &s));
	}
	if (strcmp(op, "getaffinity") == 0) {
		cpu_set_t s;
		if (sched_getaffinity(0, sizeof(s), &s) < 0)
			return report(op, -1);
		printf("getaffinity:");
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &s))
				printf(" %d", c);
		printf("\n");
		return 0;
	}
	if (strcmp(op, "open") == 0 && arg) {
		int fd = open(arg, O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
		return report(op, fd < 0 ? -1 : 0);
	}
	if (strcmp(op, "unlink") == 0 && arg)
		return report(op, unlink(arg));
	if (strcmp(op, "list") == 0 && arg)
		return report(op, do_list(arg));
	if (strcmp(op, "connect") == 0 && arg)
		return report(op, do_connect(arg));
	if (strcmp(op, "memfd-huge") == 0 && arg)
		return report(op, do_memfd_huge(strtoul(arg, NULL, 10)));
	if (strcmp(op, "sleep") == 0 && arg) {
		printf("sleep: pid %d\n", (int)getpid());
		fflush(stdout);
		sleep((unsigned)atoi(arg));
		return 0;
	}
usage:
	fprintf(stderr, "sysprobe: usage: see tests/tools/sysprobe.c\n");
	return 64;
}
