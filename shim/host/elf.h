/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the group manifest needs to know of an app binary, read from its
 * ELF64 file directly (no libelf: the shim stays small and fast):
 *  - the DPDK ABI it links: the DT_NEEDED "librte_eal.so.N" (empty for a
 *    statically linked app);
 *  - its NT_GNU_BUILD_ID, as hex (empty when the linker wrote none);
 *  - the real path: PATH lookup for a bare name, symlinks resolved.
 */
#ifndef TR_HOST_ELF_H
#define TR_HOST_ELF_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"

#define TR_ELF_ABI_MAX 64
#define TR_ELF_BUILD_ID_MAX 129   /* 64 bytes as hex + NUL */

struct tr_elf_info {
	char path[4096];                  /* resolved real path */
	char dpdk_abi[TR_ELF_ABI_MAX];    /* "librte_eal.so.23" or "" */
	char build_id[TR_ELF_BUILD_ID_MAX];
	bool is_elf;                      /* false: a script or other file */
};

/*
 * Find app like execvp does (a name without '/' is looked up in path_env,
 * "PATH" semantics; NULL = the default path), resolve symlinks into out.
 * -1 with EX_NOINPUT when there is no such executable.
 */
int tr_elf_find(const char *app, const char *path_env, char *out, size_t len,
		struct tr_error *err);

/* Read the ELF at path. A file that is not ELF (a shell script wrapping the
 * app) is no error: is_elf false, no ABI, no build-id. -1 with EX_DATAERR
 * for a broken or 32-bit ELF. */
int tr_elf_read(const char *path, struct tr_elf_info *info,
		struct tr_error *err);

/* Find + read in one step. */
int tr_elf_inspect(const char *app, const char *path_env,
		   struct tr_elf_info *info, struct tr_error *err);

#endif
