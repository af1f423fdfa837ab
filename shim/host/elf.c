/* SPDX-License-Identifier: BSD-3-Clause */
#include "host/elf.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"

static bool is_exec_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

int tr_elf_find(const char *app, const char *path_env, char *out, size_t len,
		struct tr_error *err)
{
	char cand[PATH_MAX];

	if (app == NULL || *app == '\0')
		return tr_err(err, EX_USAGE, "no app given");
	if (strchr(app, '/') != NULL) {
		snprintf(cand, sizeof(cand), "%s", app);
	} else {
		/* The same search execvpe() will do, so the manifest
		 * describes the binary that really runs. */
		const char *p = path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
		bool found = false;
		while (!found) {
			const char *colon = strchr(p, ':');
			size_t n = colon ? (size_t)(colon - p) : strlen(p);
			if (n == 0)
				snprintf(cand, sizeof(cand), "./%s", app);
			else
				snprintf(cand, sizeof(cand), "%.*s/%s", (int)n, p, app);
			if (is_exec_file(cand))
				found = true;
			else if (colon == NULL)
				break;
			else
				p = colon + 1;
		}
		if (!found)
			return tr_err(err, EX_NOINPUT,
				      "app \"%s\" not found in PATH; give its full path", app);
	}
	if (!is_exec_file(cand))
		return tr_err(err, EX_NOINPUT,
			      "app \"%s\" is not an executable file", cand);
	char real[PATH_MAX];
	if (realpath(cand, real) == NULL)
		return tr_err_sys(err, EX_NOINPUT, errno, "app \"%s\"", cand);
	if (strlen(real) >= len)
		return tr_err(err, EX_NOINPUT, "app path \"%s\" is too long", real);
	memcpy(out, real, strlen(real) + 1);
	return 0;
}

struct elf_map {
	const uint8_t *base;
	size_t size;
};

static bool in_file(const struct elf_map *m, uint64_t off, uint64_t len)
{
	return off <= m->size && len <= m->size - off;
}

/* File offset of a virtual address, through the PT_LOAD segments (the
 * dynamic section's pointers are addresses, not offsets). */
static bool vaddr_to_off(const struct elf_map *m, const Elf64_Phdr *ph,
			 unsigned n, uint64_t vaddr, uint64_t *off)
{
	for (unsigned i = 0; i < n; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (vaddr >= ph[i].p_vaddr &&
		    vaddr - ph[i].p_vaddr < ph[i].p_filesz) {
			*off = ph[i].p_offset + (vaddr - ph[i].p_vaddr);
			return in_file(m, *off, 1);
		}
	}
	return false;
}

static void read_needed(const struct elf_map *m, const Elf64_Phdr *ph,
			unsigned n, struct tr_elf_info *info)
{
	for (unsigned i = 0; i < n; i++) {
		if (ph[i].p_type != PT_DYNAMIC)
			continue;
		if (!in_file(m, ph[i].p_offset, ph[i].p_filesz))
			return;
		const Elf64_Dyn *dyn = (const Elf64_Dyn *)(m->base + ph[i].p_offset);
		size_t nd = ph[i].p_filesz / sizeof(Elf64_Dyn);
		uint64_t strtab = 0, strsz = 0;
		for (size_t d = 0; d < nd && dyn[d].d_tag != DT_NULL; d++) {
			if (dyn[d].d_tag == DT_STRTAB)
				strtab = dyn[d].d_un.d_ptr;
			else if (dyn[d].d_tag == DT_STRSZ)
				strsz = dyn[d].d_un.d_val;
		}
		uint64_t stroff;
		if (strtab == 0 || !vaddr_to_off(m, ph, n, strtab, &stroff) ||
		    !in_file(m, stroff, strsz))
			return;
		const char *strs = (const char *)(m->base + stroff);
		for (size_t d = 0; d < nd && dyn[d].d_tag != DT_NULL; d++) {
			if (dyn[d].d_tag != DT_NEEDED || dyn[d].d_un.d_val >= strsz)
				continue;
			const char *name = strs + dyn[d].d_un.d_val;
			size_t maxlen = strsz - dyn[d].d_un.d_val;
			if (strnlen(name, maxlen) == maxlen)
				continue;
			if (strncmp(name, "librte_eal.so.", 14) == 0) {
				snprintf(info->dpdk_abi, sizeof(info->dpdk_abi), "%s", name);
				return;
			}
		}
		return;
	}
}

static void read_build_id(const struct elf_map *m, const Elf64_Phdr *ph,
			  unsigned n, struct tr_elf_info *info)
{
	for (unsigned i = 0; i < n; i++) {
		if (ph[i].p_type != PT_NOTE || !in_file(m, ph[i].p_offset, ph[i].p_filesz))
			continue;
		uint64_t off = ph[i].p_offset, end = off + ph[i].p_filesz;
		while (off + sizeof(Elf64_Nhdr) <= end) {
			const Elf64_Nhdr *nh = (const Elf64_Nhdr *)(m->base + off);
			/* 64-bit sums of 32-bit sizes: a crafted size near 2^31
			 * or 2^32 must not wrap into a small one. */
			uint64_t namesz = nh->n_namesz, descsz = nh->n_descsz;
			uint64_t name_off = off + sizeof(*nh);
			uint64_t desc_off = name_off + ((namesz + 3) & ~UINT64_C(3));
			uint64_t next = desc_off + ((descsz + 3) & ~UINT64_C(3));
			if (next > end)
				break;
			if (nh->n_type == NT_GNU_BUILD_ID && namesz == 4 &&
			    memcmp(m->base + name_off, "GNU", 4) == 0 && descsz > 0 &&
			    descsz < sizeof(info->build_id) / 2) {
				for (unsigned b = 0; b < descsz; b++)
					sprintf(info->build_id + 2 * b, "%02x",
						m->base[desc_off + b]);
				return;
			}
			off = next;
		}
	}
}

int tr_elf_read(const char *path, struct tr_elf_info *info,
		struct tr_error *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tr_err_sys(err, EX_NOINPUT, errno, "cannot open \"%s\"", path);
	struct stat st;
	if (fstat(fd, &st) < 0)
		return tr_err_sys(err, EX_NOINPUT, errno, "cannot stat \"%s\"", path);
	snprintf(info->path, sizeof(info->path), "%s", path);
	info->dpdk_abi[0] = '\0';
	info->build_id[0] = '\0';
	info->is_elf = false;
	if ((size_t)st.st_size < sizeof(Elf64_Ehdr))
		return 0;
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return tr_err_sys(err, EX_NOINPUT, errno, "cannot map \"%s\"", path);
	struct elf_map m = { p, (size_t)st.st_size };
	const Elf64_Ehdr *eh = p;
	int rc = 0;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		goto out;
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    !in_file(&m, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr))) {
		rc = tr_err(err, EX_DATAERR, "\"%s\" is not a well-formed ELF64 file", path);
		goto out;
	}
	info->is_elf = true;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(m.base + eh->e_phoff);
	read_needed(&m, ph, eh->e_phnum, info);
	read_build_id(&m, ph, eh->e_phnum, info);
out:
	munmap(p, m.size);
	return rc;
}

int tr_elf_inspect(const char *app, const char *path_env,
		   struct tr_elf_info *info, struct tr_error *err)
{
	char real[PATH_MAX];
	if (tr_elf_find(app, path_env, real, sizeof(real), err) < 0)
		return -1;
	return tr_elf_read(real, info, err);
}
