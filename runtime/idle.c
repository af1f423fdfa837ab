/* SPDX-License-Identifier: BSD-3-Clause */
/* The adaptive polling schedule (tr_idle.h). */
#include "tr_idle.h"

void tr_idle_init(struct tr_idle *s, uint32_t max_us, bool intr, uint32_t wait_us)
{
	s->max_us = max_us ? max_us : TR_IDLE_SLEEP_MAX_US;
	if (s->max_us < TR_IDLE_SLEEP_MIN_US)
		s->max_us = TR_IDLE_SLEEP_MIN_US;
	s->intr = intr;
	s->wait_us = wait_us ? wait_us : s->max_us;
	tr_idle_reset(s);
}

enum tr_idle_act tr_idle_next(struct tr_idle *s, uint32_t *us)
{
	if (s->empty < TR_IDLE_PAUSE_TURNS)
		s->empty++;
	if (s->empty < TR_IDLE_SPIN_TURNS)
		return TR_IDLE_SPIN;
	if (s->empty < TR_IDLE_PAUSE_TURNS)
		return TR_IDLE_PAUSE;
	if (s->intr) {
		*us = s->wait_us;
		return TR_IDLE_WAIT;
	}
	*us = s->sleep_us < s->max_us ? s->sleep_us : s->max_us;
	if (s->sleep_us < s->max_us)
		s->sleep_us *= 2;
	return TR_IDLE_SLEEP;
}
