/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trring: the ceiling of the distribute mode's hand-off, an SP/SC rte_ring
 * moving bursts of pointers from one lcore to another, nothing else.
 *
 *   trring <EAL args with two lcores> -- [SECONDS [BURST]]
 * The main lcore produces, the worker consumes; prints
 *   ring_mpps <million pointers per second> burst <n> seconds <s>
 */
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_ring.h>

static struct rte_ring *ring;
static volatile int stop;
static unsigned burst = 32;
static uint64_t consumed;

static int consumer(void *arg)
{
	void *objs[512];
	uint64_t n = 0;
	(void)arg;
	while (!stop)
		n += rte_ring_sc_dequeue_burst(ring, objs, burst, NULL);
	consumed = n;
	return 0;
}

int main(int argc, char **argv)
{
	int n = rte_eal_init(argc, argv);
	void *objs[512];
	double secs = 3;
	unsigned worker;

	if (n < 0) {
		fprintf(stderr, "trring: rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 69;
	}
	if (argc - n > 1)
		secs = atof(argv[n + 1]);
	if (argc - n > 2)
		burst = (unsigned)atoi(argv[n + 2]);
	if (burst == 0 || burst > 512 || secs <= 0) {
		fprintf(stderr, "usage: trring <EAL args> -- [SECONDS [BURST 1..512]]\n");
		return 64;
	}
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		fprintf(stderr, "trring: needs two lcores (e.g. --lcores=0@0,1@1)\n");
		return 64;
	}
	for (unsigned i = 0; i < burst; i++)
		objs[i] = (void *)(uintptr_t)(i + 1);
	ring = rte_ring_create("trring", 1024, rte_socket_id(),
			       RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (ring == NULL) {
		fprintf(stderr, "trring: ring: %s\n", rte_strerror(rte_errno));
		return 70;
	}
	rte_eal_remote_launch(consumer, NULL, worker);
	uint64_t end = rte_get_tsc_cycles() + (uint64_t)(secs * rte_get_tsc_hz());
	uint64_t t0 = rte_get_tsc_cycles();
	while (rte_get_tsc_cycles() < end)
		for (int k = 0; k < 64; k++)
			rte_ring_sp_enqueue_burst(ring, objs, burst, NULL);
	stop = 1;
	rte_eal_wait_lcore(worker);
	double s = (double)(rte_get_tsc_cycles() - t0) / rte_get_tsc_hz();
	printf("ring_mpps %.1f burst %u seconds %.2f\n", consumed / s / 1e6, burst, s);
	rte_ring_free(ring);
	rte_eal_cleanup();
	return 0;
}
