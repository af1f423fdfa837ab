/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Refusals that more than one stage can reach, written once. Each states
 * the fact and what to do; the caller's tr_report() says which tenant.
 */
#ifndef TR_COMMON_MESSAGES_H
#define TR_COMMON_MESSAGES_H

/* %d: the running primary's pid. */
#define TR_MSG_PRIMARY_RUNS \
	"a primary is already running (pid %d); start with --role secondary or auto"

#define TR_MSG_NO_SECONDARIES \
	"an independent primary (group.maxSecondaries is 0) takes no secondaries; raise group.maxSecondaries"

#define TR_MSG_NO_PRIMARY \
	"no primary is running; start one first, or give --wait-primary SECONDS"

#endif
