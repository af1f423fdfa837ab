/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host configs are checked on in the tests (unit tests through
 * helpers.h, the fuzz target directly), fixed so that expectations do not
 * depend on this machine: cpus 0-7, 0-3 on NUMA node 0 and 4-7 on node 1,
 * 1024 free 2M pages of 1024, no 1G pool, Debian's RTE_MAX_LCORE (128).
 * Needs no test framework.
 */
#ifndef TR_TESTS_UNIT_HOST_FACTS_H
#define TR_TESTS_UNIT_HOST_FACTS_H

#include <string.h>

#include "common/cpuset.h"
#include "config/model.h"

static inline void tr_test_host(struct tr_host_facts *f)
{
	memset(f, 0, sizeof(*f));
	for (unsigned c = 0; c < 8; c++) {
		tr_cpuset_set(&f->online, c);
		f->cpu_node[c] = c / 4;
	}
	f->numa_nodes = 2;
	f->pool_pages[TR_PAGE_2M] = 1024;
	f->free_pages[TR_PAGE_2M] = 1024;
	f->max_lcore = 128;
}

#endif
