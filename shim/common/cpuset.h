/* SPDX-License-Identifier: BSD-3-Clause */
/* Sets of cpu (or NUMA node) numbers, parsed from Linux cpulists ("0-3,8,10-11"). */
#ifndef TR_COMMON_CPUSET_H
#define TR_COMMON_CPUSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TR_MAX_CPUS 1024

struct tr_cpuset {
	uint64_t w[TR_MAX_CPUS / 64];
};

void tr_cpuset_zero(struct tr_cpuset *s);
void tr_cpuset_set(struct tr_cpuset *s, unsigned cpu);
bool tr_cpuset_isset(const struct tr_cpuset *s, unsigned cpu);
unsigned tr_cpuset_count(const struct tr_cpuset *s);
bool tr_cpuset_empty(const struct tr_cpuset *s);
/* out = a & b; returns whether out is non-empty. */
bool tr_cpuset_and(struct tr_cpuset *out, const struct tr_cpuset *a,
		   const struct tr_cpuset *b);
/* Is every member of a also in b? */
bool tr_cpuset_subset(const struct tr_cpuset *a, const struct tr_cpuset *b);
/* The n-th (0-based) member in ascending order, or -1. */
int tr_cpuset_nth(const struct tr_cpuset *s, unsigned n);
/* First member, or -1. */
int tr_cpuset_first(const struct tr_cpuset *s);

/*
 * Parse a cpulist. Returns 0, or -1 with a short reason in why[] (e.g.
 * "range 5-3 is reversed", "cpu 2048 is beyond 1023").
 */
int tr_cpuset_parse(struct tr_cpuset *out, const char *list, char *why,
		    size_t why_len);
/* Format as a compact cpulist ("0-3,8"); returns the length written. */
size_t tr_cpuset_format(const struct tr_cpuset *s, char *buf, size_t len);

#endif
