/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TENANTRT_SHIM_TIMING=1: one stderr line with the time each stage took,
 * from main() to the app's exec, for `make bench` and for finding a slow
 * host. Off, marks cost one branch.
 */
#ifndef TR_COMMON_TIMING_H
#define TR_COMMON_TIMING_H

#include <stdbool.h>

struct tr_timing {
	bool on;
	unsigned n;
	const char *label[16];
	double t[16];
};

/* On when env is set and not "0"; marks "main". */
void tr_timing_start(struct tr_timing *tm, const char *env);
/* The stage label ended now. */
void tr_timing_mark(struct tr_timing *tm, const char *label);
/* "<prog>: timing (usec): load 812 facts 95 ...; main to app exec 2310". */
void tr_timing_print(const struct tr_timing *tm, const char *prog);

#endif
