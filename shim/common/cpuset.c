/* SPDX-License-Identifier: BSD-3-Clause */
#include "common/cpuset.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tr_cpuset_zero(struct tr_cpuset *s)
{
	memset(s, 0, sizeof(*s));
}

void tr_cpuset_set(struct tr_cpuset *s, unsigned cpu)
{
	if (cpu < TR_MAX_CPUS)
		s->w[cpu / 64] |= UINT64_C(1) << (cpu % 64);
}

bool tr_cpuset_isset(const struct tr_cpuset *s, unsigned cpu)
{
	return cpu < TR_MAX_CPUS && (s->w[cpu / 64] >> (cpu % 64)) & 1;
}

unsigned tr_cpuset_count(const struct tr_cpuset *s)
{
	unsigned n = 0;
	for (size_t i = 0; i < TR_MAX_CPUS / 64; i++)
		n += (unsigned)__builtin_popcountll(s->w[i]);
	return n;
}

bool tr_cpuset_empty(const struct tr_cpuset *s)
{
	return tr_cpuset_count(s) == 0;
}

bool tr_cpuset_and(struct tr_cpuset *out, const struct tr_cpuset *a,
		   const struct tr_cpuset *b)
{
	bool any = false;
	for (size_t i = 0; i < TR_MAX_CPUS / 64; i++) {
		out->w[i] = a->w[i] & b->w[i];
		any |= out->w[i] != 0;
	}
	return any;
}

bool tr_cpuset_subset(const struct tr_cpuset *a, const struct tr_cpuset *b)
{
	for (size_t i = 0; i < TR_MAX_CPUS / 64; i++)
		if (a->w[i] & ~b->w[i])
			return false;
	return true;
}

int tr_cpuset_nth(const struct tr_cpuset *s, unsigned n)
{
	for (unsigned cpu = 0; cpu < TR_MAX_CPUS; cpu++)
		if (tr_cpuset_isset(s, cpu) && n-- == 0)
			return (int)cpu;
	return -1;
}

int tr_cpuset_first(const struct tr_cpuset *s)
{
	return tr_cpuset_nth(s, 0);
}

static int parse_cpu(const char **p, unsigned long *out, char *why,
		     size_t why_len)
{
	if (!isdigit((unsigned char)**p)) {
		snprintf(why, why_len, "expected a cpu number at \"%s\"", *p);
		return -1;
	}
	char *end;
	errno = 0;
	unsigned long v = strtoul(*p, &end, 10);
	if (errno != 0 || v >= TR_MAX_CPUS) {
		snprintf(why, why_len, "cpu %.*s is beyond %d", (int)(end - *p),
			 *p, TR_MAX_CPUS - 1);
		return -1;
	}
	*p = end;
	*out = v;
	return 0;
}

int tr_cpuset_parse(struct tr_cpuset *out, const char *list, char *why,
		    size_t why_len)
{
	tr_cpuset_zero(out);
	const char *p = list;
	if (*p == '\0') {
		snprintf(why, why_len, "empty cpulist");
		return -1;
	}
	for (;;) {
		unsigned long lo, hi;
		if (parse_cpu(&p, &lo, why, why_len) < 0)
			return -1;
		hi = lo;
		if (*p == '-') {
			p++;
			if (parse_cpu(&p, &hi, why, why_len) < 0)
				return -1;
			if (hi < lo) {
				snprintf(why, why_len, "range %lu-%lu is reversed",
					 lo, hi);
				return -1;
			}
		}
		for (unsigned long c = lo; c <= hi; c++)
			tr_cpuset_set(out, (unsigned)c);
		if (*p == '\0')
			return 0;
		if (*p != ',') {
			snprintf(why, why_len, "unexpected '%c'", *p);
			return -1;
		}
		p++;
	}
}

size_t tr_cpuset_format(const struct tr_cpuset *s, char *buf, size_t len)
{
	size_t n = 0;
	if (len > 0)
		buf[0] = '\0';
	for (unsigned c = 0; c < TR_MAX_CPUS; c++) {
		if (!tr_cpuset_isset(s, c))
			continue;
		unsigned e = c;
		while (e + 1 < TR_MAX_CPUS && tr_cpuset_isset(s, e + 1))
			e++;
		int w = e == c ? snprintf(buf + n, len > n ? len - n : 0,
					  "%s%u", n ? "," : "", c)
			       : snprintf(buf + n, len > n ? len - n : 0,
					  "%s%u-%u", n ? "," : "", c, e);
		if (w > 0)
			n += (size_t)w;
		c = e;
	}
	return n;
}
