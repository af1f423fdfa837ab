/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trstat: attach to a running DPDK primary as a secondary and measure its
 * ports' packet rates from the port counters over a fixed window, the same
 * way for any app (tenantrt-fwd, dpdk-testpmd): the benchmark's meter.
 *
 *   trstat <EAL args of the primary's group> --proc-type=secondary -- WINDOW_MS
 * prints one line:
 *   window_ms <ms> rx_pps <n> tx_pps <n> rx <delta> tx <delta> imissed <delta>
 * Give it an lcore id the group does not use (e.g. --lcores=7@0): it polls
 * nothing and allocates no mbufs, so it does not disturb the app.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void sum(uint64_t *rx, uint64_t *tx, uint64_t *missed)
{
	uint16_t p;
	*rx = *tx = *missed = 0;
	RTE_ETH_FOREACH_DEV(p) {
		struct rte_eth_stats st;
		if (rte_eth_stats_get(p, &st) == 0) {
			*rx += st.ipackets;
			*tx += st.opackets;
			*missed += st.imissed;
		}
	}
}

int main(int argc, char **argv)
{
	int n = rte_eal_init(argc, argv);
	uint64_t rx0, tx0, m0, rx1, tx1, m1, t0, t1;
	long ms;

	if (n < 0) {
		fprintf(stderr, "trstat: rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 69;
	}
	if (argc - n < 2 || (ms = atol(argv[n + 1])) <= 0) {
		fprintf(stderr, "usage: trstat <EAL args> -- WINDOW_MS\n");
		rte_eal_cleanup();
		return 64;
	}
	sum(&rx0, &tx0, &m0);
	t0 = now_ns();
	struct timespec d = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
	nanosleep(&d, NULL);
	sum(&rx1, &tx1, &m1);
	t1 = now_ns();
	double s = (double)(t1 - t0) / 1e9;
	printf("window_ms %.0f rx_pps %.0f tx_pps %.0f rx %" PRIu64 " tx %" PRIu64
	       " imissed %" PRIu64 "\n", s * 1e3, (double)(rx1 - rx0) / s,
	       (double)(tx1 - tx0) / s, rx1 - rx0, tx1 - tx0, m1 - m0);
	rte_eal_cleanup();
	return 0;
}
