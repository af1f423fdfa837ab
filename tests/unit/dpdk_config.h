/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A made-up DPDK 22.11 shared memory config (the bytes of
 * <runtime dir>/dpdk/<prefix>/config) with the fields health/eallocks.h and
 * health/dpdkmem.h read, at the offsets measured on Debian's 22.11.11: for
 * test_eallocks.c, test_dpdkmem.c, test_rings.c and test_probe.c.
 */
#ifndef TR_TESTS_UNIT_DPDK_CONFIG_H
#define TR_TESTS_UNIT_DPDK_CONFIG_H

#include <stdint.h>
#include <string.h>

#define TC_SIZE 25344
#define TC_BASE UINT64_C(0x100200000)   /* memseg list 0's base_va */
#define TC_PAGE (UINT64_C(2) << 20)
#define TC_RING_HEAD 17560              /* "RTE_RING"; its first entry 16 before */
#define TC_HEAP 19136                   /* malloc_heaps[0], lock first */

static inline void tc_u32(unsigned char *b, size_t off, uint32_t v)
{
	memcpy(b + off, &v, 4);
}

static inline void tc_u64(unsigned char *b, size_t off, uint64_t v)
{
	memcpy(b + off, &v, 8);
}

/* A healthy config: no lock held, list 0 in use, an empty ring tailq. */
static inline void tc_config(unsigned char *b)
{
	memset(b, 0, TC_SIZE);
	tc_u32(b, 0, 19820526u);          /* RTE_MAGIC */
	tc_u32(b, 4, 0x160B0B63u);        /* 22.11.11 */
	tc_u64(b, 136, TC_BASE);
	tc_u64(b, 144, TC_PAGE);
	tc_u64(b, 160, UINT64_C(0x400000000));
	strcpy((char *)b + 176, "memseg-2048k-0-0");
	strcpy((char *)b + TC_RING_HEAD, "RTE_RING");
	strcpy((char *)b + TC_RING_HEAD + 48, "RTE_MEMPOOL");
	strcpy((char *)b + TC_HEAP + 144, "socket_0");
}

#endif
