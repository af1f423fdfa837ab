/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host's facts for validation and planning, read once:
 *   online cpus   /sys/devices/system/cpu/online
 *   NUMA          /sys/devices/system/node/{online,node<N>/cpulist}
 *                 (not libnuma: its constructor reads sysfs and /proc at
 *                 every start of every process linked with it, about
 *                 0.2 ms of each container's start, used or not)
 *   hugepages     /sys/kernel/mm/hugepages/hugepages-<kB>kB/{nr,free}_hugepages
 *   max_lcore     RTE_MAX_LCORE of the DPDK build we compile against
 */
#include "host/hostfacts.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Only the build config: no -march, no DPDK library at link time. */
#include <rte_build_config.h>

#include "common/fsutil.h"

#define SYS_CPU_ONLINE "/sys/devices/system/cpu/online"
#define SYS_HUGEPAGES "/sys/kernel/mm/hugepages"
#define SYS_NODE "/sys/devices/system/node"

static const char *pool_kb(enum tr_page_size s)
{
	return s == TR_PAGE_1G ? "1048576kB" : "2048kB";
}

/* A pool that does not exist (no 1G support) is an empty pool. */
static int read_pages(enum tr_page_size size, const char *file, uint64_t *out,
		      struct tr_error *err)
{
	char path[256], buf[64];
	snprintf(path, sizeof(path), SYS_HUGEPAGES "/hugepages-%s/%s", pool_kb(size), file);
	*out = 0;
	if (tr_read_text(path, buf, sizeof(buf)) < 0) {
		if (errno == ENOENT)
			return 0;
		return tr_err_sys(err, EX_OSFILE, errno, "cannot read %s", path);
	}
	char *end;
	errno = 0;
	unsigned long long v = strtoull(buf, &end, 10);
	if (errno != 0 || end == buf)
		return tr_err(err, EX_OSFILE, "%s: \"%s\" is not a number", path, buf);
	*out = v;
	return 0;
}

int tr_host_numa_nodes(struct tr_cpuset *nodes)
{
	char buf[1024], why[128];
	tr_cpuset_zero(nodes);
	if (tr_read_text(SYS_NODE "/online", buf, sizeof(buf)) < 0 ||
	    tr_cpuset_parse(nodes, buf, why, sizeof(why)) < 0 || tr_cpuset_empty(nodes))
		return -1;
	return 0;
}

static void probe_numa(struct tr_host_facts *facts)
{
	/* Without NUMA support (no node dir) everything is node 0. */
	struct tr_cpuset nodes;
	facts->numa_nodes = 1;
	if (tr_host_numa_nodes(&nodes) < 0)
		return;
	for (unsigned n = 0; n < TR_MAX_CPUS; n++) {
		if (!tr_cpuset_isset(&nodes, n))
			continue;
		facts->numa_nodes = n + 1;
		char path[96], buf[4096], why[128];
		struct tr_cpuset cpus;
		snprintf(path, sizeof(path), SYS_NODE "/node%u/cpulist", n);
		if (tr_read_text(path, buf, sizeof(buf)) < 0 ||
		    tr_cpuset_parse(&cpus, buf, why, sizeof(why)) < 0)
			continue;
		for (unsigned c = 0; c < TR_MAX_CPUS; c++)
			if (tr_cpuset_isset(&cpus, c) && tr_cpuset_isset(&facts->online, c))
				facts->cpu_node[c] = n;
	}
}

int tr_host_facts_probe(struct tr_host_facts *facts, struct tr_error *err)
{
	memset(facts, 0, sizeof(*facts));
	char buf[4096], why[128];
	if (tr_read_text(SYS_CPU_ONLINE, buf, sizeof(buf)) < 0)
		return tr_err_sys(err, EX_OSFILE, errno, "cannot read %s", SYS_CPU_ONLINE);
	if (tr_cpuset_parse(&facts->online, buf, why, sizeof(why)) < 0)
		return tr_err(err, EX_OSFILE, "%s: %s", SYS_CPU_ONLINE, why);
	probe_numa(facts);
	for (int s = TR_PAGE_2M; s <= TR_PAGE_1G; s++) {
		if (read_pages(s, "nr_hugepages", &facts->pool_pages[s], err) < 0 ||
		    read_pages(s, "free_hugepages", &facts->free_pages[s], err) < 0)
			return -1;
	}
	facts->max_lcore = RTE_MAX_LCORE;
	return 0;
}

uint64_t tr_host_free_pages(enum tr_page_size size, uint64_t fallback)
{
	uint64_t v;
	return read_pages(size, "free_hugepages", &v, NULL) == 0 ? v : fallback;
}
