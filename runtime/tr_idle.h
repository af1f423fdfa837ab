/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Adaptive polling: what an lcore does after a run of empty loop turns.
 * It spins a few turns (traffic often resumes at once), then pauses the
 * core between polls, then sleeps with a doubling period capped at
 * max_us, or, where its queues can wake it (RX interrupts, readable
 * packet sockets) and no cap was asked for, waits for them. The cap
 * bounds how late the first packet after an idle period is seen: a sleep
 * never runs past it. No DPDK state and no syscalls (the caller sleeps or
 * waits), so the unit tests (rt_test_idle) cover the schedule directly.
 */
#ifndef TR_IDLE_H
#define TR_IDLE_H

#include <stdbool.h>
#include <stdint.h>

/* Empty turns spent spinning, then pausing (rte_pause: ~20-50 ns each
 * plus the poll itself), before the first sleep. */
#define TR_IDLE_SPIN_TURNS 64
#define TR_IDLE_PAUSE_TURNS 512
/* The first sleep; each further one doubles up to the cap. */
#define TR_IDLE_SLEEP_MIN_US 10
/* The default cap: the first packet after an idle period waits at most
 * about this long (plus the kernel's wake-up). */
#define TR_IDLE_SLEEP_MAX_US 100

enum tr_idle_act {
	TR_IDLE_SPIN,   /* poll again at once */
	TR_IDLE_PAUSE,  /* rte_pause(), then poll */
	TR_IDLE_SLEEP,  /* sleep *us microseconds, then poll */
	TR_IDLE_WAIT,   /* wait for an RX interrupt, at most *us microseconds */
};

struct tr_idle {
	uint32_t empty;    /* empty turns in a row */
	uint32_t sleep_us; /* the next sleep */
	uint32_t max_us;   /* cap of a sleep */
	uint32_t wait_us;  /* longest interrupt wait (housekeeping's period) */
	bool intr;         /* its queues can wake it by interrupt */
};

/* A schedule with sleeps capped at max_us (0: TR_IDLE_SLEEP_MAX_US); with
 * intr, interrupt waits of at most wait_us instead of sleeps. */
void tr_idle_init(struct tr_idle *s, uint32_t max_us, bool intr, uint32_t wait_us);

/* One more empty turn: what to do now. *us is set for SLEEP and WAIT. */
enum tr_idle_act tr_idle_next(struct tr_idle *s, uint32_t *us);

/* A turn found work: start over. */
static inline void tr_idle_reset(struct tr_idle *s)
{
	s->empty = 0;
	s->sleep_us = TR_IDLE_SLEEP_MIN_US;
}

#endif
