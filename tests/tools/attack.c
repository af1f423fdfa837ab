/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A hostile tenant app for tests/integration/suite_attacks.sh: one attack
 * per subcommand, run THROUGH the shim as a tenant's app. It prints one
 * line, "DONE" when the kernel let it, or "refused: ENAME" with the errno
 * the kernel answered, then details on later lines, and exits 0 / 1.
 *
 *   attack open-write PATH       open PATH for writing (never writes: a
 *                                success must not harm the host)
 *   attack create DIR            create a new file in DIR (deleted at once)
 *   attack read PATH             read a byte of PATH
 *   attack stat PATH             does PATH exist in this view?
 *   attack list DIR              the names in DIR, one per later line
 *   attack kill PID [SIG]        kill(PID, SIG), SIG 0 by default
 *   attack umount DIR            umount2(DIR) (escape the view)
 *   attack remount-rw            mount(MS_REMOUNT|MS_BIND) of / read-write
 *   attack rewrite PATH TEXT...  replace PATH's contents with the lines
 *                                TEXT (a tenant writing its own dir)
 *   attack fill DIR              write one file in DIR until it is full:
 *                                "refused: ENOSPC" and "wrote N kB"
 *   attack inodes DIR MAX        create empty files in DIR until ENOSPC or
 *                                MAX: "refused: ENOSPC" and "created N"
 *   attack fifo PATH             put a FIFO at PATH (for a reader to trip on)
 *   attack shm KEY SECONDS       a SysV shm segment with KEY, kept SECONDS
 *   attack own-cgroup CTRL FILE  open FILE of this process's own CTRL
 *                                cgroup (hugetlb: v2, cpuset: v1 or v2) for
 *                                writing; its path on the next line
 *   attack fake-primary TENANT SECONDS PATH TEXT...
 *                                act as the tenant's DPDK primary (hold the
 *                                write lock on $RUNTIME_DIRECTORY/dpdk/
 *                                TENANT/config), rewrite PATH with TEXT
 *                                lines (one "rewrite PATH: ..." line), then
 *                                stay alive SECONDS
 *   attack fill-primary TENANT SECONDS
 *                                as fake-primary, then fill
 *                                $RUNTIME_DIRECTORY as fill does, and stay
 *   attack sigbus                die of SIGBUS
 *   attack mounts                the mount points this process sees
 *                                (/proc/self/mountinfo), one per line
 *   attack caps                  print CapEff, Uid and the securebits of
 *                                this process
 *   attack sleep SECONDS         stay alive ("pid N" first)
 *
 * Not through the shim:
 *   attack make-elf PATH         a 2 GiB sparse ELF64 whose build-id note
 *                                claims a descriptor of 2^31 + 16 bytes
 *
 * Under tenantrt-shim it is started as `attack <EAL args> -- OP ARGS`:
 * everything up to the first "--" is skipped.
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int refused(int e)
{
	printf("refused: %s\n", strerrorname_np(e) ? strerrorname_np(e) : "?");
	return 1;
}

static int done(void)
{
	printf("DONE\n");
	return 0;
}

static int op_open_write(const char *path)
{
	int fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return refused(errno);
	close(fd);
	return done();
}

static int op_create(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/tenantrt-attack.%d", dir, (int)getpid());
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return refused(errno);
	close(fd);
	unlink(path);
	return done();
}

static int op_read(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return refused(errno);
	char c;
	ssize_t r = read(fd, &c, 1);
	int e = errno;
	close(fd);
	if (r < 0)
		return refused(e);
	return done();
}

static int op_stat(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return refused(errno);
	return done();
}

static int op_list(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return refused(errno);
	done();
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			printf("%s\n", de->d_name);
	closedir(d);
	return 0;
}

static int op_kill(const char *pid, const char *sig)
{
	if (kill((pid_t)atoi(pid), sig ? atoi(sig) : 0) < 0)
		return refused(errno);
	return done();
}

static int op_umount(const char *dir)
{
	if (umount2(dir, MNT_DETACH) < 0)
		return refused(errno);
	return done();
}

static int op_remount_rw(void)
{
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND, NULL) < 0)
		return refused(errno);
	return done();
}

static int op_rewrite(const char *path, char **lines, int n)
{
	FILE *f = fopen(path, "we");
	if (f == NULL)
		return refused(errno);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s\n", lines[i]);
	if (fclose(f) != 0)
		return refused(errno);
	return done();
}

static int op_fill(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/tenantrt-fill.%d", dir, (int)getpid());
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return refused(errno);
	static char buf[1 << 16];
	unsigned long long kb = 0;
	int e = 0;
	for (;;) {
		ssize_t w = write(fd, buf, sizeof(buf));
		if (w < 0) {
			e = errno;
			break;
		}
		kb += (unsigned long long)w >> 10;
		if (kb > (8ull << 20)) /* 8 GiB: no limit at all */
			break;
	}
	close(fd);
	/* The file stays: the dir stays full for whoever comes next. */
	if (e == 0)
		return done();
	refused(e);
	printf("wrote %llu kB\n", kb);
	return 1;
}

static int op_inodes(const char *dir, const char *max_s)
{
	unsigned long max = strtoul(max_s, NULL, 10), n = 0;
	int e = 0;
	for (; n < max; n++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/tenantrt-inode.%lu", dir, n);
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			e = errno;
			break;
		}
		close(fd);
	}
	if (e == 0)
		done();
	else
		refused(e);
	printf("created %lu\n", n);
	return e ? 1 : 0;
}

static int op_fifo(const char *path)
{
	unlink(path);
	if (mkfifo(path, 0600) < 0)
		return refused(errno);
	return done();
}

static int op_shm(const char *key, const char *secs)
{
	int id = shmget((key_t)strtol(key, NULL, 0), 4096, IPC_CREAT | IPC_EXCL | 0600);
	if (id < 0)
		return refused(errno);
	done();
	fflush(stdout);
	sleep((unsigned)atoi(secs));
	shmctl(id, IPC_RMID, NULL);
	return 0;
}

static int op_caps(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	if (f == NULL)
		return refused(errno);
	done();
	char line[256];
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "CapEff:", 7) == 0 || strncmp(line, "Uid:", 4) == 0)
			fputs(line, stdout);
	fclose(f);
	printf("Securebits:\t0x%x\n", (unsigned)prctl(PR_GET_SECUREBITS));
	return 0;
}

/* This process's cgroup path for ctrl, from /proc/self/cgroup: a v1
 * hierarchy naming it, else the v2 one ("0::"). */
static int own_cgroup_dir(const char *ctrl, char *out, size_t len)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	if (f == NULL)
		return -1;
	char line[4096], v1[4096] = "", v2[4096] = "";
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
		if (b == NULL)
			continue;
		*b = '\0';
		if (strcmp(a + 1, "") == 0)
			snprintf(v2, sizeof(v2), "%s", b + 1);
		else if (strstr(a + 1, ctrl))
			snprintf(v1, sizeof(v1), "%s", b + 1);
	}
	fclose(f);
	struct stat st;
	if (v1[0] && strcmp(ctrl, "hugetlb") != 0)
		snprintf(out, len, "/sys/fs/cgroup/%s%s", ctrl, v1);
	else if (stat("/sys/fs/cgroup/unified", &st) == 0)
		snprintf(out, len, "/sys/fs/cgroup/unified%s", v2);
	else
		snprintf(out, len, "/sys/fs/cgroup%s", v2);
	return 0;
}

static int op_own_cgroup(const char *ctrl, const char *file)
{
	char dir[4096], path[8300];
	if (own_cgroup_dir(ctrl, dir, sizeof(dir)) < 0)
		return refused(errno);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	int rc = op_open_write(path);
	printf("%s\n", path);
	return rc;
}

static int op_fake_primary(const char *tenant, const char *secs, const char *path,
			   char **lines, int n)
{
	const char *rd = getenv("RUNTIME_DIRECTORY");
	char dir[4096], cfg[4200];
	if (rd == NULL)
		return refused(EINVAL);
	snprintf(dir, sizeof(dir), "%s/dpdk", rd);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/dpdk/%s", rd, tenant);
	mkdir(dir, 0700);
	snprintf(cfg, sizeof(cfg), "%s/config", dir);
	int fd = open(cfg, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	if (fd < 0 || fcntl(fd, F_SETLK, &fl) < 0)
		return refused(errno);
	done();
	printf("pid %d\nrewrite %s: ", (int)getpid(), path);
	op_rewrite(path, lines, n);
	fflush(stdout);
	sleep((unsigned)atoi(secs));
	return 0;
}

static int op_fill_primary(const char *tenant, const char *secs)
{
	char *none[] = { NULL };
	const char *rd = getenv("RUNTIME_DIRECTORY");
	if (rd == NULL)
		return refused(EINVAL);
	/* The lock, the fill, then the wait: a secondary must see a live
	 * primary and a full dir. */
	if (fork() == 0) {
		int rc = op_fill(rd);
		fflush(stdout);
		_exit(rc);
	}
	int ws;
	wait(&ws);
	return op_fake_primary(tenant, secs, "/dev/null", none, 0);
}

static int op_mounts(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (f == NULL)
		return refused(errno);
	done();
	char line[8192], point[4096];
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1)
			printf("%s\n", point);
	fclose(f);
	return 0;
}

static int op_sleep(const char *secs)
{
	printf("pid %d\n", (int)getpid());
	fflush(stdout);
	sleep((unsigned)atoi(secs));
	return 0;
}

/* ELF64 header, one PT_NOTE covering [4096, 4096 + 2^31 + 64), and there
 * a GNU build-id note whose n_descsz (2^31 + 16) doubled wraps to 32. */
static int op_make_elf(const char *path)
{
	const uint64_t note_off = 4096, desc = (UINT64_C(1) << 31) + 16;
	const uint64_t size = note_off + sizeof(Elf64_Nhdr) + 4 + desc + 64;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0)
		return refused(errno);
	Elf64_Ehdr eh = { 0 };
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = 1;
	Elf64_Phdr ph = { .p_type = PT_NOTE, .p_offset = note_off,
			  .p_filesz = size - note_off, .p_memsz = size - note_off,
			  .p_align = 4 };
	Elf64_Nhdr nh = { .n_namesz = 4, .n_descsz = (Elf64_Word)desc,
			  .n_type = NT_GNU_BUILD_ID };
	int ok = pwrite(fd, &eh, sizeof(eh), 0) == sizeof(eh) &&
		 pwrite(fd, &ph, sizeof(ph), sizeof(eh)) == sizeof(ph) &&
		 pwrite(fd, &nh, sizeof(nh), (off_t)note_off) == sizeof(nh) &&
		 pwrite(fd, "GNU", 4, (off_t)(note_off + sizeof(nh))) == 4 &&
		 ftruncate(fd, (off_t)size) == 0;
	int e = errno;
	close(fd);
	if (!ok)
		return refused(e);
	return done();
}

int main(int argc, char **argv)
{
	int i = 1;
	for (int k = 1; k < argc; k++)
		if (strcmp(argv[k], "--") == 0) {
			i = k + 1;
			break;
		}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (i >= argc)
		goto usage;
	const char *op = argv[i];
	char **a = argv + i + 1;
	int n = argc - i - 1;
	if (strcmp(op, "open-write") == 0 && n == 1)
		return op_open_write(a[0]);
	if (strcmp(op, "create") == 0 && n == 1)
		return op_create(a[0]);
	if (strcmp(op, "read") == 0 && n == 1)
		return op_read(a[0]);
	if (strcmp(op, "stat") == 0 && n == 1)
		return op_stat(a[0]);
	if (strcmp(op, "list") == 0 && n == 1)
		return op_list(a[0]);
	if (strcmp(op, "kill") == 0 && (n == 1 || n == 2))
		return op_kill(a[0], n == 2 ? a[1] : NULL);
	if (strcmp(op, "umount") == 0 && n == 1)
		return op_umount(a[0]);
	if (strcmp(op, "remount-rw") == 0 && n == 0)
		return op_remount_rw();
	if (strcmp(op, "rewrite") == 0 && n >= 1)
		return op_rewrite(a[0], a + 1, n - 1);
	if (strcmp(op, "fill") == 0 && n == 1)
		return op_fill(a[0]);
	if (strcmp(op, "inodes") == 0 && n == 2)
		return op_inodes(a[0], a[1]);
	if (strcmp(op, "fifo") == 0 && n == 1)
		return op_fifo(a[0]);
	if (strcmp(op, "shm") == 0 && n == 2)
		return op_shm(a[0], a[1]);
	if (strcmp(op, "own-cgroup") == 0 && n == 2)
		return op_own_cgroup(a[0], a[1]);
	if (strcmp(op, "fake-primary") == 0 && n >= 3)
		return op_fake_primary(a[0], a[1], a[2], a + 3, n - 3);
	if (strcmp(op, "fill-primary") == 0 && n == 2)
		return op_fill_primary(a[0], a[1]);
	if (strcmp(op, "mounts") == 0 && n == 0)
		return op_mounts();
	if (strcmp(op, "sigbus") == 0 && n == 0)
		return raise(SIGBUS);
	if (strcmp(op, "caps") == 0 && n == 0)
		return op_caps();
	if (strcmp(op, "sleep") == 0 && n == 1)
		return op_sleep(a[0]);
	if (strcmp(op, "make-elf") == 0 && n == 1)
		return op_make_elf(a[0]);
usage:
	fprintf(stderr, "attack: unknown or malformed subcommand; see tests/tools/attack.c\n");
	return 64;
}
