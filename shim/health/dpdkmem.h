/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A running group's shared memory, read from outside without joining it:
 * root's probe reads what DPDK 22.11 keeps in it through the tenant's own
 * files, never through the app (no ptrace, no /proc/PID/mem: a container
 * has no CAP_SYS_PTRACE) and never taking a lock.
 *
 *   <runtime dir>/dpdk/<prefix>/config   the mmap of struct rte_mem_config
 *                                        (health/eallocks.h has its head)
 *     memsegs[i] at 136 + 136 * i        struct rte_memseg_list: base_va,
 *                                        page_sz, len; its fbarray's name
 *                                        "memseg-<kB>k-<socket>-<n>" at +40
 *     tailq heads                        "RTE_RING" etc. (32 bytes), after
 *                                        the TAILQ_HEAD {first, last}
 *   <huge dir>/<prefix>map_<n>           the pages: segment s of list i is
 *                                        file n = i * 8192 + s (one page
 *                                        each), or with
 *                                        --single-file-segments file n = i
 *                                        at offset s * page_sz
 *
 * Measured on Debian's 22.11.11 (x86_64): list 0 at 136, stride 136; the
 * RTE_RING head names the rte_ring tailq (every ring of the group, mempool
 * rings included). A config of another version is not read (magic,
 * version: health/eallocks.h).
 */
#ifndef TR_HOST_DPDKMEM_H
#define TR_HOST_DPDKMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TR_DPDK_MEM_LISTS 32

struct tr_dpdk_mem {
	unsigned n_lists;
	struct {
		unsigned idx;           /* its index in memsegs[] */
		uint64_t base, page_sz, len;
	} lists[TR_DPDK_MEM_LISTS];
	bool has_rings;
	uint64_t rings_first;       /* the rte_ring tailq's first entry */
	char huge_dir[4096];
	char prefix[64];
};

/* The memseg lists and the ring tailq from the config file's bytes (which
 * tr_dpdk_config_read gives). Pure. false: not a 22.11 config. */
bool tr_dpdk_mem_parse(const unsigned char *cfg, size_t len, const char *huge_dir,
		       const char *prefix, struct tr_dpdk_mem *m);

/* len bytes at the group's virtual address va; false when va is in no
 * list, its page has no file, or the read falls short. */
bool tr_dpdk_mem_read(const struct tr_dpdk_mem *m, uint64_t va, void *buf, size_t len);

/* <dpdk_dir>/config into a malloc'd buffer (*len), or NULL: a regular
 * file, not followed, at most 4 MiB. */
unsigned char *tr_dpdk_config_read(const char *dpdk_dir, size_t *len);

#endif
