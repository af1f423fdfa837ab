/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libtenantrt's API with a real EAL: a primary alone on a net_null pair,
 * without hugepages (--no-huge) so it runs anywhere. The EAL starts once per
 * process, so the tests share it, in order: refusals before tr_init, then
 * identity, registry, links, the data path, the stats file, and tr_fini.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "tenantrt.h"

static struct tr_rt *rt;
static char dir[64];
static char prefix[32];

static int run_init(void)
{
	char *argv[] = {
		"rt_test_api", "--no-huge", "-m", "128", "--no-pci", "-l", "0",
		"--file-prefix", prefix, "--vdev=net_null0", "--vdev=net_null1",
		"--log-level=lib.eal:error", "--", "--app-arg", NULL,
	};
	int used = 0;

	rt = tr_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv, &used);
	if (rt == NULL)
		return -1;
	/* The EAL consumed everything up to "--"; the app args follow. */
	assert_string_equal(argv[used + 1], "--app-arg");
	return 0;
}

static void refuses_bad_environment(void **state)
{
	char *argv[] = {"rt_test_api", "--no-huge", NULL};
	(void)state;

	unsetenv("TENANTRT_TENANT");
	assert_null(tr_init(2, argv, NULL));
	assert_int_equal(rte_errno, EINVAL);
	assert_non_null(strstr(tr_strerror(), "TENANTRT_TENANT is not set"));

	setenv("TENANTRT_TENANT", "rtt", 1);
	setenv("TENANTRT_DATAPATH", "mode=sideways", 1);
	assert_null(tr_init(2, argv, NULL));
	assert_int_equal(rte_errno, EINVAL);
	assert_non_null(strstr(tr_strerror(), "TENANTRT_DATAPATH=mode=sideways"));

	setenv("TENANTRT_DATAPATH", "mode=distribute,burst=32", 1);
	setenv("TENANTRT_MEMBERS", "99", 1);
	assert_null(tr_init(2, argv, NULL));
	assert_non_null(strstr(tr_strerror(), "TENANTRT_MEMBERS=99: expected a number from 1 to 16"));
	unsetenv("TENANTRT_MEMBERS");
}

static void init_gives_identity(void **state)
{
	const struct tr_identity *id;
	(void)state;

	setenv("TENANTRT_TENANT", "rtt", 1);
	setenv("TENANTRT_ROLE", "primary", 1);
	setenv("TENANTRT_MEMBER", "0", 1);
	setenv("TENANTRT_MEMBERS", "1", 1);
	setenv("TENANTRT_DATAPATH", "mode=distribute,burst=16,ring=256", 1);
	setenv("RUNTIME_DIRECTORY", dir, 1);
	if (run_init() < 0)
		fail_msg("tr_init: %s (rte_errno %d)", tr_strerror(), rte_errno);
	id = tr_identity(rt);
	assert_string_equal(id->tenant, "rtt");
	assert_int_equal(id->role, TR_RT_PRIMARY);
	assert_int_equal(id->member, 0);
	assert_int_equal(id->members, 1);
	assert_int_equal(id->n_lcores, 1);
	assert_int_equal(id->lcores[0], 0);
	assert_int_equal(id->dp.burst, 16);
	assert_int_equal(id->dp.ring_size, 256);
	assert_int_equal(tr_port_count(rt), 2);
}

static void registry_and_links(void **state)
{
	struct tr_member_info mi;
	struct rte_eth_link l;
	(void)state;

	assert_int_equal(tr_member_get(rt, 0, &mi), 0);
	assert_int_equal(mi.state, TR_MEMBER_ACTIVE);
	assert_int_equal(mi.role, TR_RT_PRIMARY);
	assert_int_equal(mi.pid, getpid());
	assert_int_equal(mi.n_lcores, 1);
	assert_int_equal(tr_member_get(rt, 1, &mi), -EINVAL);
	assert_int_equal(tr_link_get(rt, 0, &l), 0);
	assert_int_equal(l.link_status, RTE_ETH_LINK_UP);
	assert_int_equal(tr_link_get(rt, 2, &l), -EINVAL);
	assert_int_equal(tr_group_check(rt), 0);
}

static void noop_cb(uint16_t p, const struct rte_eth_link *l, void *a)
{
	(void)p, (void)l, (void)a;
}

static void link_callbacks_are_bounded(void **state)
{
	(void)state;
	assert_int_equal(tr_link_callback_register(rt, NULL, NULL), -EINVAL);
	for (int i = 0; i < 4; i++)
		assert_int_equal(tr_link_callback_register(rt, noop_cb, NULL), 0);
	assert_int_equal(tr_link_callback_register(rt, noop_cb, NULL), -ENOSPC);
}

struct run {
	volatile bool stop;
	uint64_t seen;
	uint64_t limit;
	uint64_t wrong_port;
};

/* Forward port 0 -> 1 and 1 -> 0, drop every 4th packet, stop at limit.
 * A burst from a port's queue is said to come from that port. */
static uint16_t handler(struct rte_mbuf **pkts, uint16_t n, uint16_t rx_port,
			void *arg)
{
	struct run *r = arg;
	for (uint16_t i = 0; i < n; i++, r->seen++) {
		if (pkts[i]->port != rx_port)
			r->wrong_port++;
		pkts[i]->port = (r->seen % 4 == 3) ? TR_DP_DROP : pkts[i]->port ^ 1;
	}
	if (r->seen >= r->limit)
		r->stop = true;
	return TR_DP_MIXED;
}

static void data_path_counts_everything(void **state)
{
	struct run r = {.limit = 200000};
	struct tr_dp_ops ops = {.handle = handler, .arg = &r};
	struct tr_member_info mi;
	uint64_t rx = 0, tx = 0, drop = 0;
	(void)state;

	assert_int_equal(tr_dp_run(rt, &(struct tr_dp_ops){0}, &r.stop), -EINVAL);
	assert_int_equal(tr_dp_run(rt, &ops, &r.stop), 0);
	assert_int_equal(tr_member_get(rt, 0, &mi), 0);
	for (int p = 0; p < 2; p++) {
		rx += mi.port[p].rx;
		tx += mi.port[p].tx;
		drop += mi.port[p].drop;
	}
	assert_true(r.seen >= r.limit);
	assert_int_equal(r.wrong_port, 0);
	assert_int_equal(mi.processed, r.seen);
	assert_int_equal(rx, r.seen);
	/* Every packet is sent, dropped by the handler, or dropped at TX. */
	assert_int_equal(tx + drop + mi.handler_drop, rx);
	assert_int_equal(mi.handler_drop, r.seen / 4);
	assert_int_equal(mi.ring_drop, 0);
	/* net_null frees what it sends: nothing stays allocated. */
	assert_int_equal(tr_mempool_in_use(rt), 0);
}

/* Everything to port 1, said by the return value alone: sent as it is,
 * no mbuf written. */
static uint16_t to_port1(struct rte_mbuf **pkts, uint16_t n, uint16_t rx_port,
			 void *arg)
{
	struct run *r = arg;
	(void)pkts;
	(void)rx_port;
	r->seen += n;
	if (r->seen >= r->limit)
		r->stop = true;
	return 1;
}

static void data_path_single_port_bursts(void **state)
{
	struct run r = {.limit = 100000};
	struct tr_dp_ops ops = {.handle = to_port1, .arg = &r};
	struct tr_member_info before, after;
	(void)state;

	assert_int_equal(tr_member_get(rt, 0, &before), 0);
	assert_int_equal(tr_dp_run(rt, &ops, &r.stop), 0);
	assert_int_equal(tr_member_get(rt, 0, &after), 0);
	assert_int_equal(after.port[1].tx + after.port[1].drop -
			 before.port[1].tx - before.port[1].drop, r.seen);
	assert_int_equal(after.port[0].tx, before.port[0].tx);
	assert_int_equal(after.handler_drop, before.handler_drop);
}

static void stats_file(void **state)
{
	char path[128], line[256];
	FILE *f;
	int found = 0;
	(void)state;

	assert_int_equal(tr_stats_write(rt), 0);
	snprintf(path, sizeof(path), "%s/tenantrt/member-0", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		found += strcmp(line, "tenant rtt\n") == 0;
		found += strcmp(line, "role primary\n") == 0;
		found += strcmp(line, "state active\n") == 0;
		found += strcmp(line, "mode distribute\n") == 0;
		found += strncmp(line, "port 1 rx ", 10) == 0;
	}
	fclose(f);
	assert_int_equal(found, 5);
	snprintf(path, sizeof(path), "%s/tenantrt/group", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	found = 0;
	while (fgets(line, sizeof(line), f)) {
		found += strcmp(line, "mempool_in_use 0\n") == 0;
		found += strcmp(line, "port 0 name net_null0 link up speed 10000\n") == 0;
	}
	fclose(f);
	assert_int_equal(found, 2);
}

static void fini_removes_its_files(void **state)
{
	char path[128];
	(void)state;

	assert_int_equal(tr_fini(rt), 0);
	rt = NULL;
	snprintf(path, sizeof(path), "%s/tenantrt", dir);
	assert_int_equal(access(path, F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refuses_bad_environment),
		cmocka_unit_test(init_gives_identity),
		cmocka_unit_test(registry_and_links),
		cmocka_unit_test(link_callbacks_are_bounded),
		cmocka_unit_test(data_path_counts_everything),
		cmocka_unit_test(data_path_single_port_bursts),
		cmocka_unit_test(stats_file),
		cmocka_unit_test(fini_removes_its_files),
	};
	int rc;

	snprintf(dir, sizeof(dir), "/tmp/rt_test_api.%d", getpid());
	snprintf(prefix, sizeof(prefix), "rtt%d", getpid());
	if (mkdir(dir, 0700) < 0)
		return 1;
	rc = cmocka_run_group_tests_name("rt_test_api", tests, NULL, NULL);
	/* the EAL's runtime files under dir */
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	return rc;
}
