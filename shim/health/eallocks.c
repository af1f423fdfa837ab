/* SPDX-License-Identifier: BSD-3-Clause */
/* The EAL's shared lock words, read as bytes (health/eallocks.h). */
#include "health/eallocks.h"

#include <stdio.h>
#include <string.h>

#include "common/cleanup.h"

#define RTE_MAGIC_22 19820526u
/* RTE_VERSION's year and month bytes (22.11): RTE_VERSION_NUM(22, 11, x, y). */
#define VERSION_YEAR_MONTH ((22u << 8) | 11u)
#define HEAP_NAME_OFF 144
#define HEAP_ALIGN 64

static const struct {
	const char *name;
	const char *guards;
	size_t off;
} words[] = {
	{ "mlock", "memzones", 16 },
	{ "qlock", "tailqs", 20 },
	{ "mplock", "mempools", 24 },
	{ "tlock", "timers", 28 },
	{ "memory_hotplug_lock", "memory maps", 32 },
};

static int32_t word_at(const unsigned char *buf, size_t off)
{
	int32_t v;
	memcpy(&v, buf + off, sizeof(v));
	return v;
}

static void add(struct tr_eal_locks *out, const char *name, const char *guards, int32_t v)
{
	if (out->n_held >= TR_EAL_LOCKS_MAX)
		return;
	struct tr_eal_lock *l = &out->held[out->n_held++];
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->guards = guards;
	l->value = v;
}

void tr_eal_locks_parse(const unsigned char *buf, size_t len, struct tr_eal_locks *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 64)
		return;
	uint32_t magic, version;
	memcpy(&magic, buf, 4);
	memcpy(&version, buf + 4, 4);
	if (magic != RTE_MAGIC_22 || (version >> 16) != VERSION_YEAR_MONTH)
		return;
	out->readable = true;
	for (size_t i = 0; i < TR_ARRAY_SIZE(words); i++) {
		int32_t v = word_at(buf, words[i].off);
		if (v != 0)
			add(out, words[i].name, words[i].guards, v);
	}
	/* The heaps: "socket_<n>" at byte 144 of a 64-aligned struct. */
	for (size_t off = HEAP_ALIGN; off + HEAP_NAME_OFF + 16 <= len; off += HEAP_ALIGN) {
		const char *name = (const char *)buf + off + HEAP_NAME_OFF;
		if (strncmp(name, "socket_", 7) != 0 || name[7] < '0' || name[7] > '9' ||
		    memchr(name, '\0', 16) == NULL)
			continue;
		int32_t v = word_at(buf, off);
		if (v != 0) {
			char what[32];
			snprintf(what, sizeof(what), "heap %.15s", name);
			add(out, what, "rte_malloc", v);
		}
	}
}

void tr_eal_locks_intersect(struct tr_eal_locks *a, const struct tr_eal_locks *b)
{
	unsigned k = 0;
	for (unsigned i = 0; i < a->n_held; i++) {
		bool both = false;
		for (unsigned j = 0; j < b->n_held && !both; j++)
			both = strcmp(a->held[i].name, b->held[j].name) == 0;
		if (both)
			a->held[k++] = a->held[i];
	}
	a->n_held = k;
	a->readable = a->readable && b->readable;
}

/* 22.11's rwlock word: bit 0 a writer waits, bit 1 a writer holds, +4 a reader. */
static void holder(const struct tr_eal_lock *x, char *buf, size_t len)
{
	if (strncmp(x->name, "heap ", 5) == 0 || strcmp(x->name, "tlock") == 0)
		snprintf(buf, len, "held");
	else if (x->value & 2)
		snprintf(buf, len, "held by a writer");
	else if (x->value >= 4)
		snprintf(buf, len, "held by %d reader%s%s", x->value >> 2, x->value >= 8 ? "s" : "",
			 x->value & 1 ? ", a writer waiting" : "");
	else
		snprintf(buf, len, "set (%d)", (int)x->value);
}

void tr_eal_locks_describe(const struct tr_eal_locks *l, char *buf, size_t len)
{
	size_t k = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < l->n_held && k < len; i++) {
		const struct tr_eal_lock *x = &l->held[i];
		char how[64];
		holder(x, how, sizeof(how));
		k += (size_t)snprintf(buf + k, len - k, "%sEAL lock %s (%s) %s", i ? ", " : "",
				      x->name, x->guards, how);
	}
}
