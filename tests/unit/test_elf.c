/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * host/elf.c against real binaries: Debian's DPDK apps (ABI and build-id,
 * checked against readelf), /bin/sh (ELF without DPDK), a script, a
 * symlink, a missing app, a file that only starts like an ELF, and a
 * crafted 2 GiB sparse one whose build-id note size wraps in 32 bits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>

#include "helpers.h"
#include "host/elf.h"

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
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/script", tr_tmp);
	tr_put(tr_tmp, "script", "#!/bin/sh\nexit 0\n");
	assert_int_equal(chmod(path, 0755), 0);
	assert_int_equal(tr_elf_inspect(path, NULL, &info, &err), 0);
	assert_false(info.is_elf);
	/* Missing: one line saying what to do. */
	assert_int_equal(tr_elf_inspect("no-such-app-xyz", "/usr/bin", &info, &err), -1);
	assert_int_equal(err.code, EX_NOINPUT);
	assert_string_equal(err.msg, "app \"no-such-app-xyz\" not found in PATH; give its full path");
}

static void test_elf_follows_symlink(void **state)
{
	(void)state;
	char link[PATH_MAX + 16];
	snprintf(link, sizeof(link), "%s/mysh", tr_tmp);
	assert_int_equal(symlink("/bin/sh", link), 0);
	struct tr_elf_info info;
	struct tr_error err = { 0 };
	assert_int_equal(tr_elf_inspect("mysh", tr_tmp, &info, &err), 0);
	char real[PATH_MAX];
	assert_non_null(realpath("/bin/sh", real));
	assert_string_equal(info.path, real);
}

/* A copy of /bin/sh's ELF header alone: its program headers lie past the
 * end, so it is refused as broken, not read past its end. Shorter than a
 * header, it is no ELF at all (exec would say so). */
static void test_elf_truncated(void **state)
{
	(void)state;
	unsigned char hdr[64];
	int in = open("/bin/sh", O_RDONLY);
	assert_true(in >= 0);
	assert_int_equal(read(in, hdr, sizeof(hdr)), sizeof(hdr));
	close(in);
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/cut", tr_tmp);
	int out = open(path, O_CREAT | O_WRONLY, 0755);
	assert_true(out >= 0);
	assert_int_equal(write(out, hdr, sizeof(hdr)), sizeof(hdr));
	close(out);

	struct tr_elf_info info;
	struct tr_error err = { 0 };
	assert_int_equal(tr_elf_read(path, &info, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	char want[PATH_MAX + 64];
	snprintf(want, sizeof(want), "\"%s\" is not a well-formed ELF64 file", path);
	assert_string_equal(err.msg, want);

	assert_int_equal(truncate(path, 7), 0);
	assert_int_equal(tr_elf_read(path, &info, &err), 0);
	assert_false(info.is_elf);
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
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/evil", tr_tmp);
	int fd = open(path, O_CREAT | O_WRONLY, 0755);
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
}

#define T(f) cmocka_unit_test_setup_teardown(f, tr_tmp_setup, tr_tmp_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf_testpmd),
		T(test_elf_no_dpdk_and_script),
		T(test_elf_follows_symlink),
		T(test_elf_truncated),
		T(test_elf_note_size_overflow),
	};
	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
