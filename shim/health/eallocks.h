/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EAL's shared locks, read from outside. A 22.11 group's shared memory
 * config (struct rte_mem_config, lib/eal/common/eal_memcfg.h, private to
 * DPDK) is the mmap of <runtime dir>/dpdk/<prefix>/config, so its lock words
 * can be read as plain bytes without joining the group:
 *
 *   offset  field                  type            guards
 *   0       magic                  u32 RTE_MAGIC   (written when init is done)
 *   4       version                u32 RTE_VERSION
 *   16      mlock                  rte_rwlock_t    memzones
 *   20      qlock                  rte_rwlock_t    tailqs (named objects)
 *   24      mplock                 rte_rwlock_t    mempools
 *   28      tlock                  rte_spinlock_t  timers
 *   32      memory_hotplug_lock    rte_rwlock_t    memory maps (EAL init of
 *                                                  every member, growth)
 *   heaps   malloc_heaps[i].lock   rte_spinlock_t  rte_malloc
 *
 * In 22.11 an rwlock is one int32 (bit 0: a writer waits, bit 1: a writer
 * holds it, each reader adds 4) and a spinlock one int (1: held); 0 is
 * free. A process killed inside one of these never
 * releases it, and every member that asks for it then spins forever (the
 * hazard measured by the health research: a secondary killed in EAL init
 * leaves memory_hotplug_lock or a heap lock held). A heap is found by its
 * name ("socket_<n>") at byte 144 of its 64-byte-aligned struct malloc_heap,
 * whose lock is its first word. Other DPDK versions are not read (magic
 * and version are checked).
 *
 * Legitimate holds are short: the health research measured at most 0.43 s
 * (memory_hotplug_lock while a primary maps 1 GiB; about 0.4 s a GiB), so
 * a word counts as held only when it is set in every read of a burst, and
 * a hold counts against the group only after TR_LIVE_LOCK_HOLD_S.
 */
#ifndef TR_HOST_EALLOCKS_H
#define TR_HOST_EALLOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TR_EAL_LOCKS_MAX 16

struct tr_eal_lock {
	char name[32];      /* "mplock", "heap socket_0" */
	const char *guards; /* "mempools" */
	int32_t value;
};

struct tr_eal_locks {
	bool readable;      /* a 22.11 config whose init is done */
	unsigned n_held;
	struct tr_eal_lock held[TR_EAL_LOCKS_MAX];
};

/* From the config file's bytes. Pure. */
void tr_eal_locks_parse(const unsigned char *buf, size_t len, struct tr_eal_locks *out);

/* Keep in a only the locks also held in b (the same word, set in both). */
void tr_eal_locks_intersect(struct tr_eal_locks *a, const struct tr_eal_locks *b);

/* "EAL lock mplock (mempools) held by a writer, EAL lock heap socket_0
 * (rte_malloc) held". */
void tr_eal_locks_describe(const struct tr_eal_locks *l, char *buf, size_t len);

#endif
