/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host's facts for validation and planning, read once:
 *   online cpus   /sys/devices/system/cpu/online
 *   NUMA          libnuma (numa_available, numa_max_node, numa_node_of_cpu)
 *   hugepages     /sys/kernel/mm/hugepages/hugepages-<kB>kB/{nr,free}_hugepages
 *   max_lcore     RTE_MAX_LCORE of the DPDK build we compile against
 */
#include "host/hostfacts.h"

#include <errno.h>
#include <inttypes.h>
#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Only the build config: no -march, no DPDK library at link time. */
#include <rte_build_config.h>

#include "common/cleanup.h"

#define SYS_CPU_ONLINE "/sys/devices/system/cpu/online"
#define SYS_HUGEPAGES "/sys/kernel/mm/hugepages"

/* Read one line of a small sysfs file into buf, without the newline. */
static int read_line(const char *path, char *buf, size_t len,
		     struct tr_error *err)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (f == NULL)
		return tr_err_sys(err, EX_OSFILE, errno, "cannot read %s", path);
	if (fgets(buf, (int)len, f) == NULL)
		return tr_err(err, EX_OSFILE, "%s is empty", path);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* A pool that does not exist (no 1G support) is an empty pool. */
static int read_pages(const char *kb, const char *file, uint64_t *out,
		      struct tr_error *err)
{
	char path[256], buf[64];
	snprintf(path, sizeof(path), SYS_HUGEPAGES "/hugepages-%s/%s", kb, file);
	*out = 0;
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		return tr_err_sys(err, EX_OSFILE, errno, "cannot read %s", path);
	}
	if (fgets(buf, sizeof(buf), f) == NULL)
		return tr_err(err, EX_OSFILE, "%s is empty", path);
	char *end;
	errno = 0;
	unsigned long long v = strtoull(buf, &end, 10);
	if (errno != 0 || end == buf)
		return tr_err(err, EX_OSFILE, "%s: \"%s\" is not a number", path,
			      buf);
	*out = v;
	return 0;
}

static int probe_numa(struct tr_host_facts *facts)
{
	/* Without NUMA support everything is node 0: one node. */
	facts->numa_nodes = 1;
	if (numa_available() < 0)
		return 0;
	int max = numa_max_node();
	if (max >= 0)
		facts->numa_nodes = (unsigned)max + 1;
	for (unsigned c = 0; c < TR_MAX_CPUS; c++) {
		if (!tr_cpuset_isset(&facts->online, c))
			continue;
		int node = numa_node_of_cpu((int)c);
		facts->cpu_node[c] = node > 0 ? (unsigned)node : 0;
	}
	return 0;
}

int tr_host_facts_probe(struct tr_host_facts *facts, struct tr_error *err)
{
	memset(facts, 0, sizeof(*facts));
	char buf[4096], why[128];
	if (read_line(SYS_CPU_ONLINE, buf, sizeof(buf), err) < 0)
		return -1;
	if (tr_cpuset_parse(&facts->online, buf, why, sizeof(why)) < 0)
		return tr_err(err, EX_OSFILE, "%s: %s", SYS_CPU_ONLINE, why);
	probe_numa(facts);
	static const char *const kb[2] = {
		[TR_PAGE_2M] = "2048kB",
		[TR_PAGE_1G] = "1048576kB",
	};
	for (int s = 0; s < 2; s++) {
		if (read_pages(kb[s], "nr_hugepages", &facts->pool_pages[s], err) < 0 ||
		    read_pages(kb[s], "free_hugepages", &facts->free_pages[s], err) < 0)
			return -1;
	}
	facts->max_lcore = RTE_MAX_LCORE;
	return 0;
}
