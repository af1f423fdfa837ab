/* SPDX-License-Identifier: BSD-3-Clause */
/* The host's facts for validation and planning: online cpus, NUMA nodes,
 * hugepage pools (all sysfs), RTE_MAX_LCORE. */
#ifndef TR_HOST_HOSTFACTS_H
#define TR_HOST_HOSTFACTS_H

#include <stdint.h>

#include "common/error.h"
#include "config/model.h"

int tr_host_facts_probe(struct tr_host_facts *facts, struct tr_error *err);

/* The pool's free pages of one size now (admission re-reads it under the
 * ledger lock); fallback when sysfs cannot tell. */
uint64_t tr_host_free_pages(enum tr_page_size size, uint64_t fallback);

/* The online NUMA nodes (/sys/devices/system/node/online); -1 when the
 * kernel has no NUMA support (no such file). */
int tr_host_numa_nodes(struct tr_cpuset *nodes);

#endif
