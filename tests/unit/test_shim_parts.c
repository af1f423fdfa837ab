/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shim's pieces that need no DPDK process: ELF reading against the
 * real Debian binaries (checked against readelf), the group manifest's
 * split and checks, and supervision of plain children (exit codes, death
 * by signal, forwarding, stop timeout, the watch hook, orphan reaping).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host/elf.h"
#include "host/manifest.h"
#include "run/supervise.h"

/* --- ELF ------------------------------------------------------------------ */

static void readelf_build_id(const char *path, char *out, size_t len)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd),
		 "readelf -n '%s' 2>/dev/null | awk '/Build ID:/ {print $3; exit}'", path);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	out[0] = '\0';
	if (fgets(out, (int)len, f))
		out[strcspn(out, "\n")] = '\0';
	pclose(f);
}

static void test_elf_testpmd(void **state)
{
	(void)state;
	struct tr_elf_info info;
	struct tr_error err = { 0 };
	if (access("/usr/bin/dpdk-testpmd", X_OK) != 0)
		skip();
	assert_int_equal(tr_elf_inspect("dpdk-testpmd", "/nonexistent:/usr/bin", &info, &err), 0);
	assert_string_equal(info.path, "/usr/bin/dpdk-testpmd");
	assert_true(info.is_elf);
	assert_string_equal(info.dpdk_abi, "librte_eal.so.23");
	char want[160];
	readelf_build_id("/usr/bin/dpdk-testpmd", want, sizeof(want));
	assert_true(strlen(want) == 40);
	assert_string_equal(info.build_id, want);

	struct tr_elf_info other;
	assert_int_equal(tr_elf_inspect("/usr/bin/dpdk-proc-info", NULL, &other, &err), 0);
	assert_string_equal(other.dpdk_abi, "librte_eal.so.23");
	assert_string_not_equal(other.build_id, info.build_id);
}

static void test_elf_no_dpdk_and_script(void **state)
{
	(void)state;
	struct tr_elf_info info;
	struct tr_error err = { 0 };
	/* /bin/sh: ELF, no DPDK. */
	assert_int_equal(tr_elf_inspect("sh", "/bin", &info, &err), 0);
	assert_true(info.is_elf);
	assert_string_equal(info.dpdk_abi, "");
	/* A script: not ELF, no error. */
	char path[] = "/tmp/tr-elf-script.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "#!/bin/sh\nexit 0\n", 17), 17);
	close(fd);
	chmod(path, 0755);
	assert_int_equal(tr_elf_inspect(path, NULL, &info, &err), 0);
	assert_false(info.is_elf);
	unlink(path);
	/* Missing: one line saying what to do. */
	assert_int_equal(tr_elf_inspect("no-such-app-xyz", "/usr/bin", &info, &err), -1);
	assert_int_equal(err.code, EX_NOINPUT);
	assert_string_equal(err.msg, "app \"no-such-app-xyz\" not found in PATH; give its full path");
}

static void test_elf_follows_symlink(void **state)
{
	(void)state;
	char dir[] = "/tmp/tr-elf-link.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char link[300];
	snprintf(link, sizeof(link), "%s/mysh", dir);
	assert_int_equal(symlink("/bin/sh", link), 0);
	struct tr_elf_info info;
	struct tr_error err = { 0 };
	assert_int_equal(tr_elf_inspect("mysh", dir, &info, &err), 0);
	char real[4096];
	assert_non_null(realpath("/bin/sh", real));
	assert_string_equal(info.path, real);
	unlink(link);
	rmdir(dir);
}

/*
 * A crafted "app": a 2 GiB sparse ELF64 whose GNU build-id note claims a
 * descriptor of 2^31 + 16 bytes. Doubled in 32 bits that is 32, which
 * passed the size check and made the root shim write 4 GiB of hex into a
 * 41-byte buffer (SIGSEGV). It must be read as having no build-id.
 */
static void test_elf_note_size_overflow(void **state)
{
	(void)state;
	char path[] = "/tmp/tr-elf-evil.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const uint64_t note_off = 4096, desc = (UINT64_C(1) << 31) + 16;
	const uint64_t size = note_off + sizeof(Elf64_Nhdr) + 4 + desc + 64;
	Elf64_Ehdr eh = { .e_type = ET_EXEC, .e_machine = EM_X86_64,
			  .e_version = EV_CURRENT, .e_phoff = sizeof(Elf64_Ehdr),
			  .e_ehsize = sizeof(Elf64_Ehdr), .e_phentsize = sizeof(Elf64_Phdr),
			  .e_phnum = 1 };
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	Elf64_Phdr ph = { .p_type = PT_NOTE, .p_offset = note_off,
			  .p_filesz = size - note_off, .p_align = 4 };
	Elf64_Nhdr nh = { .n_namesz = 4, .n_descsz = (Elf64_Word)desc,
			  .n_type = NT_GNU_BUILD_ID };
	assert_int_equal(pwrite(fd, &eh, sizeof(eh), 0), sizeof(eh));
	assert_int_equal(pwrite(fd, &ph, sizeof(ph), sizeof(eh)), sizeof(ph));
	assert_int_equal(pwrite(fd, &nh, sizeof(nh), note_off), sizeof(nh));
	assert_int_equal(pwrite(fd, "GNU", 4, note_off + sizeof(nh)), 4);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	close(fd);
	struct tr_elf_info info;
	struct tr_error err = { 0 };
	assert_int_equal(tr_elf_read(path, &info, &err), 0);
	assert_true(info.is_elf);
	assert_string_equal(info.build_id, "");
	unlink(path);
}

/* --- manifest ------------------------------------------------------------- */

static void fake_plan(struct tr_plan *p, const char *const *eal, int n)
{
	memset(p, 0, sizeof(*p));
	p->argv[0] = "app";
	p->eal_first = 1;
	for (int i = 0; i < n; i++)
		p->argv[1 + i] = (char *)eal[i];
	p->eal_end = 1 + n;
	p->argc = p->eal_end;
	snprintf(p->iso.huge_dir, sizeof(p->iso.huge_dir), "/h/acme");
}

static void test_manifest_split_and_check(void **state)
{
	(void)state;
	static const char *const prim[] = {
		"--file-prefix=acme", "--proc-type=primary", "--lcores=0@0,1@1", "-m", "64",
		"--socket-limit=64", "--huge-dir=/h/acme", "--vdev=net_null0", "--no-pci",
	};
	static const char *const sec[] = {
		"--file-prefix=acme", "--proc-type=secondary", "--lcores=2@0,3@1",
		"--huge-dir=/h/acme", "--vdev=net_null0", "--no-pci",
	};
	static const char *const sec_bad[] = {
		"--file-prefix=acme", "--proc-type=secondary", "--huge-dir=/h/acme", "--no-pci",
	};
	struct tr_plan p;
	struct tr_elf_info e1 = { .path = "/usr/bin/dpdk-testpmd", .dpdk_abi = "librte_eal.so.23",
				  .build_id = "aa", .is_elf = true };
	struct tr_elf_info e2 = { .path = "/usr/bin/dpdk-proc-info", .dpdk_abi = "librte_eal.so.23",
				  .build_id = "bb", .is_elf = true };
	struct tr_elf_info e3 = { .path = "/opt/old/app", .dpdk_abi = "librte_eal.so.22",
				  .build_id = "cc", .is_elf = true };
	struct tr_manifest mp, ms, back;
	struct tr_error err = { 0 };
	bool foreign;

	fake_plan(&p, prim, 9);
	assert_int_equal(tr_manifest_from_plan(&mp, &p, &e1, true, true, &err), 0);
	assert_int_equal(mp.n_devices, 2);
	assert_string_equal(mp.devices[0], "--vdev=net_null0");
	assert_string_equal(mp.devices[1], "--no-pci");
	assert_int_equal(mp.n_mem, 4);
	assert_string_equal(mp.mem[0], "-m");
	assert_string_equal(mp.mem[1], "64");

	/* Through the file and back. */
	char dir[] = "/tmp/tr-manifest.XXXXXX";
	assert_non_null(mkdtemp(dir));
	assert_int_equal(tr_manifest_write(&mp, dir, "acme", &err), 0);
	assert_int_equal(tr_manifest_read(&back, dir, "acme", &err), 0);
	assert_int_equal(back.n_devices, 2);
	assert_string_equal(back.devices[1], "--no-pci");
	assert_string_equal(back.build_id, "aa");
	assert_true(back.huge_mounted);
	assert_true(back.run_mounted);
	/* Root's record, 0600; read only as a regular file. */
	char path[128];
	struct stat st;
	snprintf(path, sizeof(path), "%s/acme.group", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(path, sizeof(path), "%s/fifo.group", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	struct tr_manifest f;
	assert_int_equal(tr_manifest_read(&f, dir, "fifo", &err), -1);   /* no hang */
	assert_int_equal(err.code, EX_UNAVAILABLE);
	snprintf(path, sizeof(path), "%s/link.group", dir);
	assert_int_equal(symlink("acme.group", path), 0);
	assert_int_equal(tr_manifest_read(&f, dir, "link", &err), -1);   /* no follow */

	fake_plan(&p, sec, 6);
	assert_int_equal(tr_manifest_from_plan(&ms, &p, &e1, false, false, &err), 0);
	assert_int_equal(tr_manifest_check(&back, &ms, false, &foreign, &err), 0);
	assert_false(foreign);
	tr_manifest_free(&ms);

	/* Another binary of the same ABI: refused, or allowed with a flag. */
	assert_int_equal(tr_manifest_from_plan(&ms, &p, &e2, false, false, &err), 0);
	assert_int_equal(tr_manifest_check(&back, &ms, false, &foreign, &err), -1);
	assert_int_equal(err.code, EX_UNAVAILABLE);
	assert_string_equal(err.msg,
			    "/usr/bin/dpdk-proc-info is not the primary's binary (/usr/bin/dpdk-testpmd); function pointers (rte_hash, mempool ops) do not cross binaries; set group.allowForeignBinaries for tools like dpdk-proc-info");
	assert_int_equal(tr_manifest_check(&back, &ms, true, &foreign, &err), 0);
	assert_true(foreign);
	tr_manifest_free(&ms);

	/* Another DPDK ABI: refused even when foreign binaries are allowed. */
	assert_int_equal(tr_manifest_from_plan(&ms, &p, &e3, false, false, &err), 0);
	assert_int_equal(tr_manifest_check(&back, &ms, true, &foreign, &err), -1);
	assert_string_equal(err.msg,
			    "/opt/old/app links librte_eal.so.22 but the primary (/usr/bin/dpdk-testpmd) links librte_eal.so.23; secondaries must use the primary's DPDK ABI");
	tr_manifest_free(&ms);

	/* Another device list: refused. */
	fake_plan(&p, sec_bad, 4);
	assert_int_equal(tr_manifest_from_plan(&ms, &p, &e1, false, false, &err), 0);
	assert_int_equal(tr_manifest_check(&back, &ms, true, &foreign, &err), -1);
	assert_string_equal(err.msg,
			    "this secondary's devices (--no-pci) differ from the primary's (--vdev=net_null0 --no-pci); DPDK would fail or panic; restart the primary with the current config");
	tr_manifest_free(&ms);

	tr_manifest_free(&mp);
	tr_manifest_free(&back);
	char cmd[100];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* --- supervision ---------------------------------------------------------- */

static int prctl_subreaper(void)
{
	return prctl(PR_SET_CHILD_SUBREAPER, 1);
}

/* Fork `sh -c script` the way the shim does, supervise it. */
static int run_supervised(const char *script, unsigned stop_timeout,
			  bool (*watch)(void *, char *, size_t), void *ctx,
			  void (*after_start)(pid_t child))
{
	sigset_t old;
	assert_int_equal(tr_supervise_block(&old), 0);
	pid_t parent = getpid();
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		if (tr_supervise_child_prepare(&old, parent) < 0)
			_exit(99);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	if (after_start)
		after_start(child);
	struct tr_supervise s = { .child = child, .stop_timeout = stop_timeout,
				  .watch = watch, .watch_ctx = ctx, .name = "test" };
	int rc = tr_supervise_run(&s);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

static void test_exit_codes_pass_through(void **state)
{
	(void)state;
	assert_int_equal(run_supervised("exit 0", 5, NULL, NULL, NULL), 0);
	assert_int_equal(run_supervised("exit 3", 5, NULL, NULL, NULL), 3);
	assert_int_equal(run_supervised("kill -TERM $$", 5, NULL, NULL, NULL), 128 + SIGTERM);
	assert_int_equal(run_supervised("kill -KILL $$", 5, NULL, NULL, NULL), 128 + SIGKILL);
}

static void send_usr1_then_term(pid_t child)
{
	(void)child;
	/* To ourselves, the supervisor: it must forward them. */
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	kill(getpid(), SIGUSR1);
}

static void test_signal_forwarded(void **state)
{
	(void)state;
	/* The child turns USR1 into exit 42: proves the signal reached it. */
	assert_int_equal(run_supervised("trap 'exit 42' USR1; while :; do sleep 0.05; done", 5,
					NULL, NULL, send_usr1_then_term),
			 42);
}

static void send_term(pid_t child)
{
	(void)child;
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	kill(getpid(), SIGTERM);
}

static void test_stop_timeout_kills(void **state)
{
	(void)state;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	/* Ignores TERM: after 1 s the supervisor sends KILL. */
	assert_int_equal(run_supervised("trap '' TERM; while :; do sleep 0.05; done", 1, NULL, NULL,
					send_term),
			 128 + SIGKILL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double took = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	assert_true(took >= 1.1 && took < 3.0);
}

static int watch_calls;
static bool watch_third(void *ctx, char *why, size_t len)
{
	(void)ctx;
	if (++watch_calls < 3)
		return false;
	snprintf(why, len, "primary went away");
	return true;
}

static void test_watch_stops_app(void **state)
{
	(void)state;
	watch_calls = 0;
	assert_int_equal(run_supervised("while :; do sleep 0.05; done", 5, watch_third, NULL, NULL),
			 128 + SIGTERM);
	assert_int_equal(watch_calls, 3);
}

static void test_orphans_reaped(void **state)
{
	(void)state;
	/* As PID 1 the shim inherits orphans; here a subreaper stands in. */
	assert_int_equal(prctl_subreaper(), 0);
	assert_int_equal(run_supervised("sleep 0.1 & exit 5", 5, NULL, NULL, NULL), 5);
	struct timespec ts = { 0, 300 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	/* The orphan (reparented to us) has exited; the supervisor's WNOHANG
	 * loop of a second run reaps it, leaving no zombie behind. */
	assert_int_equal(run_supervised("exit 0", 5, NULL, NULL, NULL), 0);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf_testpmd),
		cmocka_unit_test(test_elf_no_dpdk_and_script),
		cmocka_unit_test(test_elf_follows_symlink),
		cmocka_unit_test(test_elf_note_size_overflow),
		cmocka_unit_test(test_manifest_split_and_check),
		cmocka_unit_test(test_exit_codes_pass_through),
		cmocka_unit_test(test_signal_forwarded),
		cmocka_unit_test(test_stop_timeout_kills),
		cmocka_unit_test(test_watch_stops_app),
		cmocka_unit_test(test_orphans_reaped),
	};
	return cmocka_run_group_tests_name("shim parts", tests, NULL, NULL);
}
