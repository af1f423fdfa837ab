/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 1, parse: tenants.yaml -> struct tr_config.
 *
 * Two passes over the bytes. The first walks libyaml's events only to bound
 * the input: it refuses anchors and aliases (an alias bomb expands
 * exponentially in anything that walks the tree), nesting deeper than
 * TR_CONFIG_MAX_DEPTH and more than one document, and reports libyaml's own
 * syntax error with its position. Only then is the document loaded and
 * walked through handler tables, one per mapping: {key, node type, handler,
 * offsetof} in the manner of netplan's parse.c; every list goes through
 * one walker (h_list) and a table of what the list holds, so a handler
 * only does what is its own. Every problem becomes one
 * diagnostic and the walk goes on, so a user sees all of them at once.
 * Cross-tenant rules are validate.c's; this file only reads faithfully.
 */
#include "config/parse.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "common/cleanup.h"
#include "config/pciaddr.h"

#define PATH_MAX_LEN 96
#define MAX_FIELDS 16 /* keys in the largest table */

struct parser {
	struct tr_diags *diags;
	yaml_document_t *doc;
	char ctx[TR_NAME_MAX * 4 + 32]; /* "tenant \"acme\": ", "host: ", "" */
};

struct field;
struct list;
typedef void handler_fn(struct parser *p, yaml_node_t *node, void *base,
			const struct field *f, const char *path);

struct range {
	uint64_t min, max;
	bool pow2;
};

/*
 * One key of a mapping. The tables below are designated initialisers:
 * what an entry leaves out is zero, and zero means "none" for every member
 * but off, so the optional offsets are kept plus one (OPT).
 */
struct field {
	const char *key;
	yaml_node_type_t type;  /* YAML_NO_NODE: the handler checks */
	const char *what;       /* for "must be <what>"; NULL: type's word */
	handler_fn *handle;     /* NULL: read elsewhere (a tenant's name) */
	size_t off;             /* the value inside base */
	size_t mark;            /* OPT(offset) of its struct tr_mark, or 0 */
	size_t has;             /* OPT(offset) of its bool has_*, or 0 */
	const struct field *sub;   /* h_mapping: the mapping's keys */
	const struct range *range; /* h_u64, h_uint: NULL for any value */
	const struct list *list;   /* h_list: what the list holds */
};

#define OPT(off) ((off) + 1)

static struct tr_mark mark_of(const yaml_node_t *n)
{
	return (struct tr_mark){ (unsigned)n->start_mark.line + 1,
				 (unsigned)n->start_mark.column + 1 };
}


#define diag(p, node, fmt, ...)                                                \
	tr_diag_err((p)->diags, mark_of(node), "%s" fmt, (p)->ctx, ##__VA_ARGS__)

static yaml_node_t *node_at(struct parser *p, int index)
{
	return yaml_document_get_node(p->doc, index);
}

/* The value of key in map (its first, if written twice), or NULL: for the
 * keys that are read ahead of the table walk or must be there. */
static yaml_node_t *value_of(struct parser *p, yaml_node_t *map,
			     const char *key)
{
	for (yaml_node_pair_t *pair = map->data.mapping.pairs.start;
	     pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = node_at(p, pair->key);
		yaml_node_t *v = node_at(p, pair->value);
		if (k && v && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return v;
	}
	return NULL;
}

/* The scalar's text; NULL (after a diagnostic) when it has a NUL byte in it,
 * which a double-quoted "\0" can produce and C strings cannot carry. */
static const char *scalar(struct parser *p, yaml_node_t *n, const char *path)
{
	const char *v = (const char *)n->data.scalar.value;
	if (strlen(v) != n->data.scalar.length) {
		diag(p, n, "\"%s\" contains a NUL byte", path);
		return NULL;
	}
	return v;
}

static void *at(void *base, size_t off)
{
	return (char *)base + off;
}

/* Where an OPT() offset points, or NULL for none. */
static void *opt_at(void *base, size_t opt)
{
	return opt ? at(base, opt - 1) : NULL;
}

static const char *type_word(yaml_node_type_t t)
{
	return t == YAML_SEQUENCE_NODE  ? "a list"
	       : t == YAML_MAPPING_NODE ? "a mapping"
					: "a single value";
}

/* --- did you mean ------------------------------------------------------ */

static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return UINT32_MAX;
	unsigned row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag_prev = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned up = row[j];
			/* A case slip ("totalMB") costs less than a typo. */
			unsigned cost = a[i - 1] == b[j - 1] ? 0
				: tolower((unsigned char)a[i - 1]) ==
						tolower((unsigned char)b[j - 1])
					? 0
					: 1;
			unsigned best = diag_prev + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag_prev = up;
		}
	}
	return row[lb];
}

static const char *closest_key(const struct field *table, const char *key)
{
	const char *best = NULL;
	unsigned best_d = UINT32_MAX;
	for (const struct field *f = table; f->key; f++) {
		unsigned d = edit_distance(key, f->key);
		if (d < best_d) {
			best_d = d;
			best = f->key;
		}
	}
	size_t len = strlen(key);
	return best_d <= 2 && best_d < len ? best : NULL;
}

static void unknown_key(struct parser *p, yaml_node_t *key_node,
			const struct field *table, const char *key,
			const char *prefix)
{
	const char *dot = *prefix ? "." : "";
	const char *near = closest_key(table, key);
	if (near) {
		diag(p, key_node, "unknown key \"%s%s%s\"; did you mean \"%s%s%s\"?",
		     prefix, dot, TR_SHOW(key), prefix, dot, near);
		return;
	}
	char known[512];
	size_t o = 0;
	for (const struct field *f = table; f->key && o < sizeof(known); f++)
		o += (size_t)snprintf(known + o, sizeof(known) - o, "%s%s",
				      o ? ", " : "", f->key);
	diag(p, key_node, "unknown key \"%s%s%s\"; known keys: %s", prefix, dot,
	     TR_SHOW(key), known);
}

/* --- the mapping walker ------------------------------------------------- */

static void walk_mapping(struct parser *p, yaml_node_t *map,
			 const struct field *table, void *base,
			 const char *prefix)
{
	yaml_node_pair_t *start = map->data.mapping.pairs.start;
	yaml_node_pair_t *top = map->data.mapping.pairs.top;
	unsigned first_line[MAX_FIELDS] = { 0 };
	for (yaml_node_pair_t *pair = start; pair < top; pair++) {
		yaml_node_t *k = node_at(p, pair->key);
		yaml_node_t *v = node_at(p, pair->value);
		if (k == NULL || v == NULL)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			diag(p, k, "keys%s%s must be plain words, not %s",
			     *prefix ? " in " : "", prefix, type_word(k->type));
			continue;
		}
		const char *key = scalar(p, k, prefix);
		if (key == NULL)
			continue;
		const struct field *f = table;
		while (f->key && strcmp(f->key, key) != 0)
			f++;
		if (f->key == NULL) {
			unknown_key(p, k, table, key, prefix);
			continue;
		}
		/* Only known keys can be duplicates worth a line of their own
		 * (an unknown one is reported anyway), so one slot per table
		 * entry keeps this linear in the size of the mapping. */
		size_t slot = (size_t)(f - table);
		if (slot < MAX_FIELDS && first_line[slot] != 0) {
			diag(p, k, "duplicate key \"%s%s%s\" (first at line %u)",
			     prefix, *prefix ? "." : "", f->key, first_line[slot]);
			continue;
		}
		if (slot < MAX_FIELDS)
			first_line[slot] = mark_of(k).line;
		char path[PATH_MAX_LEN];
		snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "",
			 f->key);
		struct tr_mark *mark = opt_at(base, f->mark);
		if (mark)
			*mark = mark_of(v);
		if (f->type != YAML_NO_NODE && v->type != f->type) {
			diag(p, v, "\"%s\" must be %s", path,
			     f->what ? f->what : type_word(f->type));
			continue;
		}
		if (f->handle)
			f->handle(p, v, base, f, path);
	}
}

static void h_mapping(struct parser *p, yaml_node_t *n, void *base,
		      const struct field *f, const char *path)
{
	walk_mapping(p, n, f->sub, at(base, f->off), path);
}

/* --- scalar handlers ---------------------------------------------------- */

/* A copy of v, or NULL after the diagnostic. */
static char *copy_of(struct parser *p, yaml_node_t *n, const char *v,
		     const char *path)
{
	char *copy = strdup(v);
	if (copy == NULL)
		diag(p, n, "out of memory reading \"%s\"", path);
	return copy;
}

static bool set_string(struct parser *p, yaml_node_t *n, char **dst,
		       const char *v, const char *path)
{
	char *copy = copy_of(p, n, v, path);
	if (copy == NULL)
		return false;
	free(*dst);
	*dst = copy;
	return true;
}

static void set_has(void *base, const struct field *f)
{
	bool *has = opt_at(base, f->has);
	if (has)
		*has = true;
}

static void h_abs_path(struct parser *p, yaml_node_t *n, void *base,
		       const struct field *f, const char *path)
{
	const char *v = scalar(p, n, path);
	if (v == NULL)
		return;
	if (v[0] != '/') {
		diag(p, n, "%s \"%s\": must be an absolute path", path,
		     TR_SHOW(v));
		return;
	}
	set_string(p, n, at(base, f->off), v, path);
}

/* v, the text of scalar n, as a decimal number in [r->min, r->max]; -1
 * after a diagnostic. */
static int number(struct parser *p, yaml_node_t *n, const char *v,
		  const char *path, const struct range *r, uint64_t *out)
{
	const char *d = v[0] == '+' ? v + 1 : v;
	if (v[0] == '-' && v[1] != '\0' && strspn(v + 1, "0123456789") ==
						     strlen(v + 1)) {
		diag(p, n, "%s \"%s\": must not be negative", path, TR_SHOW(v));
		return -1;
	}
	if (*d == '\0' || strspn(d, "0123456789") != strlen(d)) {
		diag(p, n, "%s \"%s\": not a whole number", path, TR_SHOW(v));
		return -1;
	}
	errno = 0;
	unsigned long long x = strtoull(d, NULL, 10);
	if (errno == ERANGE || x > r->max) {
		if (r->min == 0)
			diag(p, n, "%s \"%s\": too large (at most %" PRIu64 ")",
			     path, TR_SHOW(v), r->max);
		else
			diag(p, n, "%s \"%s\": must be %" PRIu64 "..%" PRIu64,
			     path, TR_SHOW(v), r->min, r->max);
		return -1;
	}
	if (r->pow2 && (x < r->min || (x & (x - 1)) != 0)) {
		diag(p, n, "%s \"%s\": must be a power of two from %" PRIu64
		     " to %" PRIu64, path, TR_SHOW(v), r->min, r->max);
		return -1;
	}
	if (x < r->min) {
		diag(p, n, "%s \"%s\": must be %" PRIu64 "..%" PRIu64, path,
		     TR_SHOW(v), r->min, r->max);
		return -1;
	}
	*out = x;
	return 0;
}

static const struct range any_u64 = { 0, UINT64_MAX, false };
static const struct range any_uint = { 0, UINT32_MAX, false };

static void h_u64(struct parser *p, yaml_node_t *n, void *base,
		  const struct field *f, const char *path)
{
	const char *v = scalar(p, n, path);
	const struct range *r = f->range ? f->range : &any_u64;
	uint64_t x;
	if (v && number(p, n, v, path, r, &x) == 0) {
		*(uint64_t *)at(base, f->off) = x;
		set_has(base, f);
	}
}

static void h_uint(struct parser *p, yaml_node_t *n, void *base,
		   const struct field *f, const char *path)
{
	const char *v = scalar(p, n, path);
	const struct range *r = f->range ? f->range : &any_uint;
	uint64_t x;
	if (v && number(p, n, v, path, r, &x) == 0) {
		*(unsigned *)at(base, f->off) = (unsigned)x;
		set_has(base, f);
	}
}

static void h_bool(struct parser *p, yaml_node_t *n, void *base,
		   const struct field *f, const char *path)
{
	/* YAML 1.2's booleans only: "yes"/"on" are YAML 1.1 surprises. */
	static const char *const yes[] = { "true", "True", "TRUE" };
	static const char *const no[] = { "false", "False", "FALSE" };
	const char *v = scalar(p, n, path);
	if (v == NULL)
		return;
	for (size_t i = 0; i < TR_ARRAY_SIZE(yes); i++) {
		if (strcmp(v, yes[i]) == 0 || strcmp(v, no[i]) == 0) {
			*(bool *)at(base, f->off) = strcmp(v, yes[i]) == 0;
			return;
		}
	}
	diag(p, n, "%s \"%s\": must be true or false", path, TR_SHOW(v));
}

static void h_cpulist(struct parser *p, yaml_node_t *n, void *base,
		      const struct field *f, const char *path)
{
	const char *v = scalar(p, n, path);
	if (v == NULL)
		return;
	char why[128];
	if (tr_cpuset_parse(at(base, f->off), v, why, sizeof(why)) < 0) {
		tr_cpuset_zero(at(base, f->off));
		/* why quotes the rest of the list, which may span lines. */
		for (char *c = why; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = ' ';
		diag(p, n, "%s \"%s\": %s", path, TR_SHOW(v), why);
		return;
	}
	set_has(base, f);
}

/* A scalar that must be one of a few words; the index, or -1. */
static int one_of(struct parser *p, yaml_node_t *n, const char *path,
		  const char *const *words, const char *expected)
{
	const char *v = scalar(p, n, path);
	if (v == NULL)
		return -1;
	for (int i = 0; words[i]; i++)
		if (strcmp(v, words[i]) == 0)
			return i;
	diag(p, n, "%s \"%s\": must be %s", path, TR_SHOW(v), expected);
	return -1;
}

static void h_page_size(struct parser *p, yaml_node_t *n, void *base,
			const struct field *f, const char *path)
{
	const char *v = scalar(p, n, path);
	if (v == NULL)
		return;
	static const struct {
		const char *s;
		enum tr_page_size size;
	} sizes[] = {
		{ "2M", TR_PAGE_2M },	  { "2MB", TR_PAGE_2M },
		{ "2048kB", TR_PAGE_2M }, { "2048K", TR_PAGE_2M },
		{ "1G", TR_PAGE_1G },	  { "1GB", TR_PAGE_1G },
		{ "1048576kB", TR_PAGE_1G }, { "1048576K", TR_PAGE_1G },
	};
	for (size_t i = 0; i < TR_ARRAY_SIZE(sizes); i++) {
		if (strcasecmp(v, sizes[i].s) == 0) {
			*(enum tr_page_size *)at(base, f->off) = sizes[i].size;
			return;
		}
	}
	diag(p, n, "%s \"%s\": must be 2M or 1G", path, TR_SHOW(v));
}

static void h_cpu_policy(struct parser *p, yaml_node_t *n, void *base,
			 const struct field *f, const char *path)
{
	static const char *const words[] = { "exclusive", "shared", NULL };
	int i = one_of(p, n, path, words, "exclusive or shared");
	if (i >= 0)
		*(enum tr_cpu_policy *)at(base, f->off) =
			i == 0 ? TR_CPU_EXCLUSIVE : TR_CPU_SHARED;
}

static void h_dp_mode(struct parser *p, yaml_node_t *n, void *base,
		      const struct field *f, const char *path)
{
	static const char *const words[] = { "distribute", "symmetric", NULL };
	int i = one_of(p, n, path, words, "distribute or symmetric");
	if (i >= 0)
		(void)tr_dp_mode_parse(words[i], (enum tr_dp_mode *)at(base, f->off));
}

static void h_network(struct parser *p, yaml_node_t *n, void *base,
		      const struct field *f, const char *path)
{
	static const char *const words[] = { "own", "host", NULL };
	int i = one_of(p, n, path, words, "own or host");
	if (i >= 0)
		*(enum tr_network *)at(base, f->off) = i == 0 ? TR_NET_OWN : TR_NET_HOST;
}

static void h_seccomp(struct parser *p, yaml_node_t *n, void *base,
		      const struct field *f, const char *path)
{
	(void)f;
	struct tr_security *s = base;
	const char *v = scalar(p, n, path);
	if (v == NULL)
		return;
	if (strcmp(v, "default") == 0) {
		s->seccomp = TR_SECCOMP_DEFAULT;
	} else if (strcmp(v, "unconfined") == 0) {
		s->seccomp = TR_SECCOMP_UNCONFINED;
	} else if (v[0] == '/') {
		if (set_string(p, n, &s->seccomp_profile, v, path))
			s->seccomp = TR_SECCOMP_PROFILE;
	} else {
		diag(p, n, "%s \"%s\": must be default, unconfined or an absolute "
		     "path to a profile", path, TR_SHOW(v));
	}
}

/* "uid", "uid:gid", "name", "name:group"; resolve.c looks them up. */
static void h_user(struct parser *p, yaml_node_t *n, void *base,
		   const struct field *f, const char *path)
{
	struct tr_user *u = at(base, f->off);
	const char *v = scalar(p, n, path);
	if (v == NULL)
		return;
	const char *colon = strchr(v, ':');
	size_t ulen = colon ? (size_t)(colon - v) : strlen(v);
	if (ulen == 0 || (colon && (colon[1] == '\0' || strchr(colon + 1, ':')))) {
		diag(p, n, "%s \"%s\": must be uid[:gid] or name[:group]", path,
		     TR_SHOW(v));
		return;
	}
	char *user = strndup(v, ulen);
	char *group = colon ? strdup(colon + 1) : NULL;
	if (user == NULL || (colon && group == NULL)) {
		free(user);
		free(group);
		diag(p, n, "out of memory reading \"%s\"", path);
		return;
	}
	free(u->user);
	free(u->group);
	u->user = user;
	u->group = group;
	u->set = true;
}

/* --- lists --------------------------------------------------------------- */

/* One entry of a list, as the walker hands it on. */
struct item {
	yaml_node_t *node;
	const char *text;  /* a scalar's text, NUL-free; NULL for other nodes */
	unsigned index;
	const char *path;  /* "eal[2]" */
	const char *list;  /* "eal" */
};

/* What is specific to one list, for one entry: true when it is taken.
 * owner is the struct that holds the list (the field's off). */
typedef bool item_fn(struct parser *p, const struct item *it, void *owner);

#define TYPE(t) (1u << (t))

/*
 * A list, read by h_list: its length is checked, then each entry's node
 * type and a scalar's text, and item() does the rest.
 */
struct list {
	unsigned max;           /* entries the model holds */
	const char *too_many;   /* "at most <max> <too_many>" */
	const char *empty;      /* refuse an empty list: "is empty; <empty>" */
	unsigned types;         /* TYPE()s an entry may be; 0: item() checks */
	const char *item_what;  /* "\"<list>[i]\" must be <item_what>" */
	item_fn *item;
	/* After the walk, if set; all_taken: every entry was. */
	void (*done)(void *owner, bool all_taken);
};

static unsigned seq_len(const yaml_node_t *seq)
{
	return (unsigned)(seq->data.sequence.items.top -
			  seq->data.sequence.items.start);
}

static bool take_item(struct parser *p, const struct list *l,
		      yaml_node_t *node, unsigned index, const char *list,
		      void *owner)
{
	char path[PATH_MAX_LEN];
	snprintf(path, sizeof(path), "%s[%u]", list, index);
	struct item it = { .node = node, .index = index, .path = path,
			   .list = list };
	if (l->types != 0) {
		if (!(l->types & TYPE(node->type))) {
			diag(p, node, "\"%s\" must be %s", path, l->item_what);
			return false;
		}
		if (node->type == YAML_SCALAR_NODE &&
		    (it.text = scalar(p, node, path)) == NULL)
			return false;
	}
	return l->item(p, &it, owner);
}

static void h_list(struct parser *p, yaml_node_t *seq, void *base,
		   const struct field *f, const char *path)
{
	const struct list *l = f->list;
	void *owner = at(base, f->off);
	unsigned n = seq_len(seq);
	bool all_taken = false;
	if (n == 0 && l->empty) {
		diag(p, seq, "\"%s\" is empty; %s", path, l->empty);
	} else if (n > l->max) {
		diag(p, seq, "\"%s\" has %u entries; at most %u %s", path, n,
		     l->max, l->too_many);
	} else {
		yaml_node_item_t *items = seq->data.sequence.items.start;
		all_taken = true;
		for (unsigned i = 0; i < n; i++) {
			yaml_node_t *it = node_at(p, items[i]);
			bool taken = it == NULL ||
				     take_item(p, l, it, i, path, owner);
			all_taken = all_taken && taken;
		}
	}
	if (l->done)
		l->done(owner, all_taken);
}

/* Entries and their marks, side by side in the model. */
static bool append_copy(struct parser *p, const struct item *it, char **strs,
			struct tr_mark *marks, unsigned *n)
{
	char *copy = copy_of(p, it->node, it->text, it->path);
	if (copy == NULL)
		return false;
	marks[*n] = mark_of(it->node);
	strs[(*n)++] = copy;
	return true;
}

static bool socket_mb_item(struct parser *p, const struct item *it,
			   void *owner)
{
	struct tr_memory *m = owner;
	uint64_t x;
	if (number(p, it->node, it->text, it->path, &any_u64, &x) < 0)
		return false;
	m->socket_mb[m->n_socket++] = x;
	return true;
}

/* All or nothing: a list with a bad entry gives no per-node memory. */
static void socket_mb_done(void *owner, bool all_taken)
{
	struct tr_memory *m = owner;
	m->has_socket = all_taken;
	if (!all_taken)
		m->n_socket = 0;
}

static const struct list socket_mb_list = {
	.max = TR_MAX_NUMA, .too_many = "NUMA nodes",
	.types = TYPE(YAML_SCALAR_NODE), .item_what = "a number",
	.item = socket_mb_item, .done = socket_mb_done,
};

/* "driver<index>[,key=value...]": a driver name that ends in an instance
 * number, then kvargs whose values may hold [a,b] lists. */
static bool is_vdev(const char *s)
{
	const char *p = s;
	if (!isalpha((unsigned char)*p))
		return false;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	if (p == s || !isdigit((unsigned char)p[-1]))
		return false;
	const char *name_end = p;
	const char *q = name_end - 1;
	while (q > s && isdigit((unsigned char)q[-1]))
		q--;
	if (q == s) /* all digits: no driver name */
		return false;
	while (*p == ',') {
		p++;
		const char *k = p;
		while (isalnum((unsigned char)*p) || *p == '_' || *p == '-')
			p++;
		if (p == k || *p != '=')
			return false;
		p++;
		const char *v = p;
		int depth = 0;
		while (*p && (*p != ',' || depth > 0)) {
			if ((unsigned char)*p < 0x21 || *p == 0x7f)
				return false;
			if (*p == '[')
				depth++;
			else if (*p == ']' && --depth < 0)
				return false;
			p++;
		}
		if (p == v || depth != 0)
			return false;
	}
	return *p == '\0';
}

static bool is_env_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* A NIC written as a mapping: {env: VAR, ...} or {pci: BDF, ...}. */
struct env_nic {
	char *var;
	struct tr_mark var_mark;
	char *pci;
	struct tr_nic_policy policy;
};

static void h_env_var(struct parser *p, yaml_node_t *n, void *base,
		      const struct field *f, const char *path)
{
	const char *v = scalar(p, n, path);
	if (v == NULL)
		return;
	if (!is_env_name(v)) {
		diag(p, n, "%s \"%s\": not an environment variable name", path,
		     TR_SHOW(v));
		return;
	}
	set_string(p, n, at(base, f->off), v, path);
}

/* A PCI address, kept in its one spelling "dddd:bb:dd.f". */
static void h_bdf(struct parser *p, yaml_node_t *n, void *base,
		  const struct field *f, const char *path)
{
	const char *v = scalar(p, n, path);
	char bdf[TR_PCI_ADDR_LEN];
	if (v == NULL)
		return;
	if (tr_pci_addr_normalise(v, bdf, sizeof(bdf)) < 0) {
		diag(p, n, "%s \"%s\": not a PCI address (dddd:bb:dd.f)", path,
		     TR_SHOW(v));
		return;
	}
	set_string(p, n, at(base, f->off), bdf, path);
}

/* A kernel driver's name as sysfs spells it: "vfio-pci", "mlx5_core". */
static void h_driver(struct parser *p, yaml_node_t *n, void *base,
		     const struct field *f, const char *path)
{
	const char *v = scalar(p, n, path);
	if (v == NULL)
		return;
	size_t len = strlen(v);
	if (len == 0 || len > 31 || strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_-") != len) {
		diag(p, n, "%s \"%s\": not a driver name (as in /sys/bus/pci/drivers/)",
		     path, TR_SHOW(v));
		return;
	}
	set_string(p, n, at(base, f->off), v, path);
}

static bool allow_item(struct parser *p, const struct item *it, void *owner)
{
	struct tr_nic_policy *pol = owner;
	char bdf[TR_PCI_ADDR_LEN];
	if (tr_pci_addr_normalise(it->text, bdf, sizeof(bdf)) < 0) {
		diag(p, it->node, "%s \"%s\": not a PCI address (dddd:bb:dd.f)",
		     it->path, TR_SHOW(it->text));
		return false;
	}
	char *copy = copy_of(p, it->node, bdf, it->path);
	if (copy == NULL)
		return false;
	pol->allow[pol->n_allow++] = copy;
	return true;
}

static const struct list allow_list = {
	.max = TR_MAX_NICS, .too_many = "devices",
	.types = TYPE(YAML_SCALAR_NODE), .item_what = "a PCI address",
	.item = allow_item,
};

static const struct field env_nic_fields[] = {
	{ .key = "env", .type = YAML_SCALAR_NODE, .what = "a variable name",
	  .handle = h_env_var, .off = offsetof(struct env_nic, var),
	  .mark = OPT(offsetof(struct env_nic, var_mark)) },
	{ .key = "pci", .type = YAML_SCALAR_NODE, .what = "a PCI address",
	  .handle = h_bdf, .off = offsetof(struct env_nic, pci) },
	{ .key = "driver", .type = YAML_SCALAR_NODE, .what = "a driver name",
	  .handle = h_driver, .off = offsetof(struct env_nic, policy.driver) },
	{ .key = "allow", .type = YAML_SEQUENCE_NODE,
	  .what = "a list of PCI addresses", .handle = h_list,
	  .off = offsetof(struct env_nic, policy), .list = &allow_list },
	{ .key = "pf", .type = YAML_SCALAR_NODE, .what = "a PCI address",
	  .handle = h_bdf, .off = offsetof(struct env_nic, policy.pf) },
	{ 0 },
};

static bool add_nic(struct parser *p, const struct item *it,
		    struct tr_tenant *t, enum tr_nic_kind kind,
		    const char *spec)
{
	char *copy = copy_of(p, it->node, spec, it->path);
	if (copy == NULL)
		return false;
	t->nics[t->n_nics++] = (struct tr_nic){
		.kind = kind, .spec = copy, .mark = mark_of(it->node)
	};
	return true;
}

/* {env: VAR} (with an optional allow-list: allow, pf), or {pci: BDF};
 * either may name the driver of a bifurcated NIC. */
static bool nic_mapping(struct parser *p, const struct item *it,
			struct tr_tenant *t)
{
	struct env_nic e = { 0 };
	unsigned before = p->diags->n_errors;
	bool taken = false;
	walk_mapping(p, it->node, env_nic_fields, &e, it->path);
	/* A bad key beside a good env or pci is said, and the NIC kept. */
	if (e.var && e.pci) {
		diag(p, it->node, "\"%s\" has both env and pci; give one", it->path);
	} else if (e.pci && (e.policy.pf || e.policy.n_allow)) {
		diag(p, it->node, "\"%s\": allow and pf limit what an env variable may name; a pci NIC names its device itself",
		     it->path);
	} else if (e.var || e.pci) {
		taken = add_nic(p, it, t, e.var ? TR_NIC_ENV : TR_NIC_PCI,
				e.var ? e.var : e.pci);
		if (taken) {
			t->nics[t->n_nics - 1].policy = e.policy;
			memset(&e.policy, 0, sizeof(e.policy));
		}
	} else if (p->diags->n_errors == before) {
		diag(p, it->node, "\"%s\" must be {env: VARIABLE} or {pci: ADDRESS}",
		     it->path);
	}
	free(e.var);
	free(e.pci);
	tr_nic_policy_free(&e.policy);
	return taken;
}

/* A PCI address or a vdev, told apart here; {env: VAR} is resolve's. */
static bool nic_item(struct parser *p, const struct item *it, void *owner)
{
	struct tr_tenant *t = owner;
	if (it->text) {
		if (tr_pci_addr_normalise(it->text, NULL, 0) == 0)
			return add_nic(p, it, t, TR_NIC_PCI, it->text);
		if (is_vdev(it->text))
			return add_nic(p, it, t, TR_NIC_VDEV, it->text);
		diag(p, it->node, "NIC \"%s\" is neither a PCI address "
		     "(dddd:bb:dd.f) nor a vdev (driver<index>[,key=value...])",
		     TR_SHOW(it->text));
		return false;
	}
	return nic_mapping(p, it, t);
}

static const struct list nics_list = {
	.max = TR_MAX_NICS, .too_many = "NICs per tenant",
	.types = TYPE(YAML_SCALAR_NODE) | TYPE(YAML_MAPPING_NODE),
	.item_what = "a PCI address, a vdev, {env: VARIABLE} or {pci: ADDRESS}",
	.item = nic_item,
};

static bool eal_item(struct parser *p, const struct item *it, void *owner)
{
	struct tr_tenant *t = owner;
	return append_copy(p, it, t->eal, t->eal_marks, &t->n_eal);
}

static const struct list eal_list = {
	.max = TR_MAX_EAL_ARGS, .too_many = "EAL arguments",
	.types = TYPE(YAML_SCALAR_NODE), .item_what = "a string",
	.item = eal_item,
};

/* "NET_RAW", "CAP_NET_RAW", "cap_net_raw" -> CAP_NET_RAW through libcap,
 * so the names are the kernel's and new ones need no table here. */
static int cap_number(const char *name, cap_value_t *out)
{
	char buf[64] = "cap_";
	const char *bare = strncasecmp(name, "cap_", 4) == 0 ? name + 4 : name;
	if (*bare == '\0' || strlen(bare) + 5 > sizeof(buf))
		return -1;
	for (size_t i = 0; bare[i]; i++) {
		if (!isalnum((unsigned char)bare[i]) && bare[i] != '_')
			return -1;
		buf[4 + i] = (char)tolower((unsigned char)bare[i]);
	}
	buf[4 + strlen(bare)] = '\0';
	return cap_from_name(buf, out);
}

static bool cap_item(struct parser *p, const struct item *it, void *owner)
{
	struct tr_security *s = owner;
	cap_value_t c;
	if (cap_number(it->text, &c) < 0) {
		diag(p, it->node, "%s \"%s\": unknown capability; see "
		     "capabilities(7) for the names", it->list,
		     TR_SHOW(it->text));
		return false;
	}
	for (unsigned k = 0; k < s->n_caps; k++)
		if (s->caps[k] == (int)c)
			return true; /* named twice: kept once */
	s->caps[s->n_caps++] = (int)c;
	return true;
}

static const struct list caps_list = {
	.max = TR_MAX_CAPS, .too_many = "capabilities",
	.types = TYPE(YAML_SCALAR_NODE), .item_what = "a capability name",
	.item = cap_item,
};

/* Names or gids as written; resolve.c looks them up. */
static bool supp_group_item(struct parser *p, const struct item *it,
			    void *owner)
{
	struct tr_user *u = owner;
	if (*it->text == '\0') {
		diag(p, it->node, "\"%s\" is empty; give a group name or gid",
		     it->path);
		return false;
	}
	return append_copy(p, it, u->supp_names, u->supp_marks, &u->n_supp);
}

static const struct list supp_groups_list = {
	.max = TR_MAX_SUPP_GROUPS, .too_many = "supplementary groups",
	.types = TYPE(YAML_SCALAR_NODE), .item_what = "a group name or gid",
	.item = supp_group_item,
};

/* env.pass: "NAME" or "PREFIX*" (a star only at the end, after at least
 * one character: passing everything would undo the scrub). */
static bool env_pass_item(struct parser *p, const struct item *it,
			  void *owner)
{
	struct tr_env *e = owner;
	size_t n = strlen(it->text);
	char name[128];
	bool star = n > 0 && it->text[n - 1] == '*';
	if (n == 0 || n >= sizeof(name) || (star && n == 1)) {
		diag(p, it->node, "%s \"%s\": give a variable name, or a "
		     "prefix ending in * such as MYAPP_*", it->path,
		     TR_SHOW(it->text));
		return false;
	}
	memcpy(name, it->text, n - star);
	name[n - star] = '\0';
	if (!is_env_name(name)) {
		diag(p, it->node, "%s \"%s\": not an environment variable "
		     "name (or a prefix ending in *)", it->path,
		     TR_SHOW(it->text));
		return false;
	}
	return append_copy(p, it, e->pass, e->pass_marks, &e->n_pass);
}

static const struct list env_pass_list = {
	.max = TR_MAX_ENV_PASS, .too_many = "variables or prefixes",
	.types = TYPE(YAML_SCALAR_NODE), .item_what = "a variable name",
	.item = env_pass_item,
};

/* env.set: {NAME: value, ...}; any keys, so no field table. */
static void h_env_set(struct parser *p, yaml_node_t *map, void *base,
		      const struct field *f, const char *path)
{
	struct tr_env *e = at(base, f->off);
	for (yaml_node_pair_t *pair = map->data.mapping.pairs.start;
	     pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = node_at(p, pair->key);
		yaml_node_t *v = node_at(p, pair->value);
		if (k == NULL || v == NULL)
			continue;
		const char *key = k->type == YAML_SCALAR_NODE ? scalar(p, k, path) : NULL;
		if (key == NULL || !is_env_name(key)) {
			if (k->type != YAML_SCALAR_NODE || key != NULL)
				diag(p, k, "%s: key \"%s\" is not an environment "
				     "variable name", path,
				     key ? TR_SHOW(key) : "(not a word)");
			continue;
		}
		if (v->type != YAML_SCALAR_NODE) {
			diag(p, v, "%s.%s must be a single value", path, TR_SHOW(key));
			continue;
		}
		const char *val = scalar(p, v, path);
		if (val == NULL)
			continue;
		bool dup = false;
		for (unsigned i = 0; i < e->n_set && !dup; i++)
			if (strcmp(e->set_key[i], key) == 0) {
				diag(p, k, "duplicate key \"%s.%s\" (first at line %u)",
				     path, TR_SHOW(key), e->set_marks[i].line);
				dup = true;
			}
		if (dup)
			continue;
		if (e->n_set >= TR_MAX_ENV_SET) {
			diag(p, k, "\"%s\" has more than %d variables", path,
			     TR_MAX_ENV_SET);
			return;
		}
		char *kc = copy_of(p, k, key, path), *vc = copy_of(p, v, val, path);
		if (kc == NULL || vc == NULL) {
			free(kc);
			free(vc);
			continue;
		}
		e->set_key[e->n_set] = kc;
		e->set_val[e->n_set] = vc;
		e->set_marks[e->n_set++] = mark_of(k);
	}
}

/* --- the tables ---------------------------------------------------------- */

static const struct range burst_range = { TR_DP_BURST_MIN, TR_DP_BURST_MAX, false };
static const struct range ring_range = { TR_DP_RING_MIN, TR_DP_RING_MAX, true };

#define CPULIST "a cpulist like \"0-3,8\""

static const struct field host_fields[] = {
	{ .key = "runtimeRoot", .type = YAML_SCALAR_NODE,
	  .what = "an absolute path", .handle = h_abs_path,
	  .off = offsetof(struct tr_host, runtime_root),
	  .mark = OPT(offsetof(struct tr_host, runtime_root_mark)) },
	{ .key = "hugepageDir", .type = YAML_SCALAR_NODE,
	  .what = "an absolute path", .handle = h_abs_path,
	  .off = offsetof(struct tr_host, hugepage_dir),
	  .mark = OPT(offsetof(struct tr_host, hugepage_dir_mark)) },
	{ .key = "hugepageSize", .type = YAML_SCALAR_NODE, .what = "2M or 1G",
	  .handle = h_page_size, .off = offsetof(struct tr_host, page_size),
	  .mark = OPT(offsetof(struct tr_host, page_size_mark)) },
	{ .key = "cpus", .type = YAML_SCALAR_NODE, .what = CPULIST,
	  .handle = h_cpulist, .off = offsetof(struct tr_host, cpus),
	  .mark = OPT(offsetof(struct tr_host, cpus_mark)),
	  .has = OPT(offsetof(struct tr_host, has_cpus)) },
	{ 0 },
};

static const struct field memory_fields[] = {
	{ .key = "totalMb", .type = YAML_SCALAR_NODE, .what = "a number",
	  .handle = h_u64, .off = offsetof(struct tr_memory, total_mb),
	  .mark = OPT(offsetof(struct tr_memory, total_mark)),
	  .has = OPT(offsetof(struct tr_memory, has_total)) },
	{ .key = "socketMb", .type = YAML_SEQUENCE_NODE,
	  .what = "a list of numbers, one per NUMA node", .handle = h_list,
	  .mark = OPT(offsetof(struct tr_memory, socket_mark)),
	  .list = &socket_mb_list },
	{ .key = "limitMb", .type = YAML_SCALAR_NODE, .what = "a number",
	  .handle = h_u64, .off = offsetof(struct tr_memory, limit_mb),
	  .mark = OPT(offsetof(struct tr_memory, limit_mark)),
	  .has = OPT(offsetof(struct tr_memory, has_limit)) },
	{ 0 },
};

static const struct field lcores_fields[] = {
	{ .key = "perPrimary", .type = YAML_SCALAR_NODE, .what = "a number",
	  .handle = h_uint, .off = offsetof(struct tr_lcores, per_primary) },
	{ .key = "perSecondary", .type = YAML_SCALAR_NODE, .what = "a number",
	  .handle = h_uint, .off = offsetof(struct tr_lcores, per_secondary) },
	{ .key = "primaryCpus", .type = YAML_SCALAR_NODE, .what = CPULIST,
	  .handle = h_cpulist, .off = offsetof(struct tr_lcores, primary_cpus),
	  .has = OPT(offsetof(struct tr_lcores, has_primary_cpus)) },
	{ .key = "secondaryCpus", .type = YAML_SCALAR_NODE, .what = CPULIST,
	  .handle = h_cpulist,
	  .off = offsetof(struct tr_lcores, secondary_cpus),
	  .has = OPT(offsetof(struct tr_lcores, has_secondary_cpus)) },
	{ 0 },
};

static const struct field group_fields[] = {
	{ .key = "maxSecondaries", .type = YAML_SCALAR_NODE, .what = "a number",
	  .handle = h_uint, .off = offsetof(struct tr_group, max_secondaries) },
	{ .key = "singleFileSegments", .type = YAML_SCALAR_NODE,
	  .what = "true or false", .handle = h_bool,
	  .off = offsetof(struct tr_group, single_file_segments) },
	{ .key = "allowForeignBinaries", .type = YAML_SCALAR_NODE,
	  .what = "true or false", .handle = h_bool,
	  .off = offsetof(struct tr_group, allow_foreign_binaries) },
	{ 0 },
};

static const struct field security_fields[] = {
	{ .key = "seccomp", .type = YAML_SCALAR_NODE,
	  .what = "default, unconfined or a profile path", .handle = h_seccomp,
	  .mark = OPT(offsetof(struct tr_security, seccomp_mark)) },
	{ .key = "capabilities", .type = YAML_SEQUENCE_NODE, .what = "a list",
	  .handle = h_list,
	  .mark = OPT(offsetof(struct tr_security, caps_mark)),
	  .list = &caps_list },
	{ 0 },
};

static const struct field datapath_fields[] = {
	{ .key = "mode", .type = YAML_SCALAR_NODE,
	  .what = "distribute or symmetric", .handle = h_dp_mode,
	  .off = offsetof(struct tr_datapath, mode) },
	{ .key = "burst", .type = YAML_SCALAR_NODE, .what = "a number",
	  .handle = h_uint, .off = offsetof(struct tr_datapath, burst),
	  .range = &burst_range },
	{ .key = "ringSize", .type = YAML_SCALAR_NODE, .what = "a number",
	  .handle = h_uint, .off = offsetof(struct tr_datapath, ring_size),
	  .range = &ring_range },
	{ .key = "queues", .type = YAML_SCALAR_NODE, .what = "a number",
	  .handle = h_uint, .off = offsetof(struct tr_datapath, queues) },
	{ 0 },
};

static const struct range watchdog_range = { 0, 86400, false };
static const struct range startup_range = { 1, 86400, false };
static const struct range stall_range = { 1, 3600, false };

static const struct field health_fields[] = {
	{ .key = "watchdog", .type = YAML_SCALAR_NODE, .what = "seconds",
	  .handle = h_uint, .off = offsetof(struct tr_health_conf, watchdog),
	  .range = &watchdog_range },
	{ .key = "startup", .type = YAML_SCALAR_NODE, .what = "seconds",
	  .handle = h_uint, .off = offsetof(struct tr_health_conf, startup),
	  .range = &startup_range },
	{ .key = "stall", .type = YAML_SCALAR_NODE, .what = "seconds",
	  .handle = h_uint, .off = offsetof(struct tr_health_conf, stall),
	  .range = &stall_range },
	{ 0 },
};

/* pid_max can be raised to 2^22; fewer than 8 cannot start an EAL. */
static const struct range pids_range = { 8, UINT64_C(1) << 22, false };
/* Below 32 MiB a testpmd primary is OOM-killed at start; 16 TiB is far
 * beyond any host. */
static const struct range memory_mb_range = { 32, UINT64_C(1) << 24, false };

static const struct field limits_fields[] = {
	{ .key = "pids", .type = YAML_SCALAR_NODE, .what = "a number",
	  .handle = h_u64, .off = offsetof(struct tr_limits, pids),
	  .mark = OPT(offsetof(struct tr_limits, pids_mark)),
	  .has = OPT(offsetof(struct tr_limits, has_pids)),
	  .range = &pids_range },
	{ .key = "memoryMb", .type = YAML_SCALAR_NODE, .what = "a number",
	  .handle = h_u64, .off = offsetof(struct tr_limits, memory_mb),
	  .mark = OPT(offsetof(struct tr_limits, memory_mark)),
	  .has = OPT(offsetof(struct tr_limits, has_memory)),
	  .range = &memory_mb_range },
	{ 0 },
};

static const struct field env_fields[] = {
	{ .key = "pass", .type = YAML_SEQUENCE_NODE,
	  .what = "a list of variable names or PREFIX_*", .handle = h_list,
	  .list = &env_pass_list },
	{ .key = "set", .type = YAML_MAPPING_NODE,
	  .what = "a mapping of NAME: value", .handle = h_env_set },
	{ 0 },
};

static const struct field tenant_fields[] = {
	/* No handler: read ahead of the others by read_name, for the
	 * context prefix. */
	{ .key = "name" },
	{ .key = "memory", .type = YAML_MAPPING_NODE, .handle = h_mapping,
	  .off = offsetof(struct tr_tenant, memory),
	  .mark = OPT(offsetof(struct tr_tenant, memory.mark)),
	  .sub = memory_fields },
	{ .key = "cpus", .type = YAML_SCALAR_NODE, .what = CPULIST,
	  .handle = h_cpulist, .off = offsetof(struct tr_tenant, cpus),
	  .mark = OPT(offsetof(struct tr_tenant, cpus_mark)),
	  .has = OPT(offsetof(struct tr_tenant, has_cpus)) },
	{ .key = "cpuPolicy", .type = YAML_SCALAR_NODE,
	  .what = "exclusive or shared", .handle = h_cpu_policy,
	  .off = offsetof(struct tr_tenant, cpu_policy),
	  .mark = OPT(offsetof(struct tr_tenant, cpu_policy_mark)) },
	{ .key = "lcores", .type = YAML_MAPPING_NODE, .handle = h_mapping,
	  .off = offsetof(struct tr_tenant, lcores),
	  .mark = OPT(offsetof(struct tr_tenant, lcores.mark)),
	  .sub = lcores_fields },
	{ .key = "nics", .type = YAML_SEQUENCE_NODE, .handle = h_list,
	  .list = &nics_list },
	{ .key = "network", .type = YAML_SCALAR_NODE, .what = "own or host",
	  .handle = h_network, .off = offsetof(struct tr_tenant, network),
	  .mark = OPT(offsetof(struct tr_tenant, network_mark)) },
	{ .key = "group", .type = YAML_MAPPING_NODE, .handle = h_mapping,
	  .off = offsetof(struct tr_tenant, group),
	  .mark = OPT(offsetof(struct tr_tenant, group.mark)),
	  .sub = group_fields },
	{ .key = "user", .type = YAML_SCALAR_NODE,
	  .what = "a string like \"1000:1000\" or \"dpdk\"", .handle = h_user,
	  .off = offsetof(struct tr_tenant, user),
	  .mark = OPT(offsetof(struct tr_tenant, user.mark)) },
	{ .key = "supplementaryGroups", .type = YAML_SEQUENCE_NODE,
	  .handle = h_list, .off = offsetof(struct tr_tenant, user),
	  .list = &supp_groups_list },
	{ .key = "security", .type = YAML_MAPPING_NODE, .handle = h_mapping,
	  .off = offsetof(struct tr_tenant, security),
	  .mark = OPT(offsetof(struct tr_tenant, security.mark)),
	  .sub = security_fields },
	{ .key = "datapath", .type = YAML_MAPPING_NODE, .handle = h_mapping,
	  .off = offsetof(struct tr_tenant, datapath),
	  .mark = OPT(offsetof(struct tr_tenant, datapath.mark)),
	  .sub = datapath_fields },
	{ .key = "health", .type = YAML_MAPPING_NODE, .handle = h_mapping,
	  .off = offsetof(struct tr_tenant, health),
	  .mark = OPT(offsetof(struct tr_tenant, health.mark)),
	  .sub = health_fields },
	{ .key = "eal", .type = YAML_SEQUENCE_NODE, .what = "a list of strings",
	  .handle = h_list, .list = &eal_list },
	{ .key = "limits", .type = YAML_MAPPING_NODE, .handle = h_mapping,
	  .off = offsetof(struct tr_tenant, limits),
	  .mark = OPT(offsetof(struct tr_tenant, limits.mark)),
	  .sub = limits_fields },
	{ .key = "env", .type = YAML_MAPPING_NODE, .handle = h_mapping,
	  .off = offsetof(struct tr_tenant, env),
	  .mark = OPT(offsetof(struct tr_tenant, env.mark)),
	  .sub = env_fields },
	{ 0 },
};

/* --- tenants and the top level ------------------------------------------ */

/* walk_mapping's duplicate slots cover the largest table. */
_Static_assert(TR_ARRAY_SIZE(tenant_fields) <= MAX_FIELDS + 1,
	       "raise MAX_FIELDS");

/* The name first, so every other problem of the tenant can say whose it
 * is; false when the tenant has no usable name. */
static bool read_name(struct parser *p, yaml_node_t *map, struct tr_tenant *t)
{
	yaml_node_t *v = value_of(p, map, "name");
	if (v == NULL) {
		diag(p, map, "missing \"name\"");
		return false;
	}
	t->name_mark = mark_of(v);
	if (v->type != YAML_SCALAR_NODE) {
		diag(p, v, "\"name\" must be a string");
		return false;
	}
	const char *name = scalar(p, v, "name");
	if (name == NULL)
		return false;
	if (strlen(name) >= TR_NAME_MAX) {
		diag(p, v, "name \"%s\": longer than %d characters",
		     TR_SHOW(name), TR_NAME_MAX - 1);
		return false;
	}
	memcpy(t->name, name, strlen(name) + 1);
	return true;
}

/* True when the tenant is kept. */
static bool parse_tenant(struct parser *p, yaml_node_t *n,
			 struct tr_config *cfg)
{
	if (n->type != YAML_MAPPING_NODE) {
		diag(p, n, "must be a mapping with at least \"name\"");
		return false;
	}
	struct tr_tenant *t = &cfg->tenants[cfg->n_tenants];
	memset(t, 0, sizeof(*t));
	tr_tenant_defaults(t);
	t->mark = mark_of(n);
	bool named = read_name(p, n, t);
	if (named)
		snprintf(p->ctx, sizeof(p->ctx), "tenant \"%s\": ",
			 TR_SHOW(t->name));
	walk_mapping(p, n, tenant_fields, t, "");
	/* Later stages key everything on the name: a nameless tenant has
	 * been reported and is of no use to them. */
	if (named)
		cfg->n_tenants++;
	else
		tr_tenant_free(t);
	return named;
}

/* While a tenant is read, its diagnostics say whose they are: by number
 * until its name is known. */
static bool tenant_item(struct parser *p, const struct item *it, void *owner)
{
	snprintf(p->ctx, sizeof(p->ctx), "tenant #%u: ", it->index + 1);
	bool kept = parse_tenant(p, it->node, owner);
	p->ctx[0] = '\0';
	return kept;
}

/* A tenant that is not a mapping is refused by parse_tenant, in the
 * tenant's context, hence no types here. */
static const struct list tenants_list = {
	.max = TR_MAX_TENANTS, .too_many = "tenants",
	.empty = "list at least one tenant", .item = tenant_item,
};

static void h_host(struct parser *p, yaml_node_t *n, void *base,
		   const struct field *f, const char *path)
{
	(void)f, (void)path;
	struct tr_config *cfg = base;
	snprintf(p->ctx, sizeof(p->ctx), "host: ");
	cfg->host.mark = mark_of(n);
	walk_mapping(p, n, host_fields, &cfg->host, "");
	p->ctx[0] = '\0';
}

static const struct field top_fields[] = {
	{ .key = "host", .type = YAML_MAPPING_NODE, .handle = h_host },
	{ .key = "tenants", .type = YAML_SEQUENCE_NODE,
	  .what = "a list of tenants", .handle = h_list,
	  .list = &tenants_list },
	{ 0 },
};

/* --- libyaml ------------------------------------------------------------- */

static void yaml_error(struct tr_diags *diags, const yaml_parser_t *y)
{
	if (y->error == YAML_MEMORY_ERROR) {
		tr_diag_err(diags, (struct tr_mark){ 0, 0 },
			    "out of memory reading the YAML");
	} else if (y->error == YAML_READER_ERROR) {
		/* Encoding errors have an offset but no line yet. */
		tr_diag_err(diags, (struct tr_mark){ 0, 0 },
			    "not valid YAML: %s at byte %zu",
			    y->problem ? y->problem : "unreadable input",
			    y->problem_offset);
	} else {
		struct tr_mark m = { (unsigned)y->problem_mark.line + 1,
				     (unsigned)y->problem_mark.column + 1 };
		tr_diag_err(diags, m, "not valid YAML: %s%s%s",
			    y->problem ? y->problem : "syntax error",
			    y->context ? " " : "", y->context ? y->context : "");
	}
}

static struct tr_mark event_mark(const yaml_event_t *e)
{
	return (struct tr_mark){ (unsigned)e->start_mark.line + 1,
				 (unsigned)e->start_mark.column + 1 };
}

/* Bounds the input before anything walks a tree of it. Returns the number
 * of documents (0: empty), or -1 after a diagnostic. */
static int prescan(const char *buf, size_t len, struct tr_diags *diags)
{
	_cleanup_(yaml_parser_delete) yaml_parser_t y;
	memset(&y, 0, sizeof(y));
	if (!yaml_parser_initialize(&y)) {
		tr_diag_err(diags, (struct tr_mark){ 0, 0 },
			    "out of memory reading the YAML");
		return -1;
	}
	yaml_parser_set_input_string(&y, (const unsigned char *)buf, len);
	unsigned depth = 0;
	int docs = 0;
	for (;;) {
		_cleanup_(yaml_event_delete) yaml_event_t e;
		memset(&e, 0, sizeof(e));
		if (!yaml_parser_parse(&y, &e)) {
			yaml_error(diags, &y);
			return -1;
		}
		const yaml_char_t *anchor = NULL;
		switch (e.type) {
		case YAML_STREAM_END_EVENT:
			return docs;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				tr_diag_err(diags, event_mark(&e),
					    "a second YAML document; put every "
					    "tenant in one document");
				return -1;
			}
			break;
		case YAML_ALIAS_EVENT:
			tr_diag_err(diags, event_mark(&e),
				    "YAML anchors and aliases are not allowed");
			return -1;
		case YAML_SCALAR_EVENT:
			anchor = e.data.scalar.anchor;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			anchor = e.type == YAML_SEQUENCE_START_EVENT
					 ? e.data.sequence_start.anchor
					 : e.data.mapping_start.anchor;
			if (++depth > TR_CONFIG_MAX_DEPTH) {
				tr_diag_err(diags, event_mark(&e),
					    "nested deeper than %d levels",
					    TR_CONFIG_MAX_DEPTH);
				return -1;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		if (anchor) {
			tr_diag_err(diags, event_mark(&e),
				    "YAML anchors and aliases are not allowed");
			return -1;
		}
	}
}

static bool is_null_scalar(const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *v = (const char *)n->data.scalar.value;
	return *v == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0;
}

int tr_config_parse_buffer(struct tr_config *cfg, const char *file,
			   const char *buf, size_t len, struct tr_diags *diags)
{
	unsigned errors_before = diags->n_errors;
	tr_config_clear(cfg);
	tr_host_defaults(&cfg->host);
	cfg->file = strdup(file ? file : "<config>");
	const struct tr_mark nowhere = { 0, 0 };

	if (len > TR_CONFIG_MAX_BYTES) {
		tr_diag_err(diags, nowhere, "%zu bytes is more than the %d a "
			    "configuration may have", len, TR_CONFIG_MAX_BYTES);
		return -1;
	}
	int docs = prescan(buf, len, diags);
	if (docs < 0)
		return -1;

	_cleanup_(yaml_parser_delete) yaml_parser_t y;
	memset(&y, 0, sizeof(y));
	_cleanup_(yaml_document_delete) yaml_document_t doc;
	memset(&doc, 0, sizeof(doc));
	if (!yaml_parser_initialize(&y)) {
		tr_diag_err(diags, nowhere, "out of memory reading the YAML");
		return -1;
	}
	yaml_parser_set_input_string(&y, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&y, &doc)) {
		yaml_error(diags, &y);
		return -1;
	}
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (docs == 0 || root == NULL || is_null_scalar(root)) {
		tr_diag_err(diags, nowhere,
			    "empty configuration; expected a \"tenants\" list");
		return -1;
	}
	struct parser p = { .diags = diags, .doc = &doc, .ctx = "" };
	if (root->type != YAML_MAPPING_NODE) {
		diag(&p, root, "the top level must be a mapping with \"host\" "
		     "and \"tenants\"");
		return -1;
	}
	walk_mapping(&p, root, top_fields, cfg, "");
	if (value_of(&p, root, "tenants") == NULL)
		tr_diag_err(diags, nowhere, "no \"tenants\" list; add one with "
			    "at least one tenant");
	return diags->n_errors > errors_before ? -1 : 0;
}

int tr_config_load(struct tr_config *cfg, const char *path,
		   struct tr_diags *diags, struct tr_error *err)
{
	tr_config_clear(cfg);
	/* O_NONBLOCK: a FIFO given as the config must not hang the caller
	 * (opening one blocks until a writer comes); only a regular file is
	 * a configuration. Symlinks are followed: a ConfigMap mounts its
	 * files as links into ..data. */
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return tr_err_sys(err, EX_NOINPUT, errno, "cannot open %s", path);
	struct stat st;
	if (fstat(fd, &st) < 0)
		return tr_err_sys(err, EX_NOINPUT, errno, "cannot stat %s", path);
	if (S_ISDIR(st.st_mode))
		return tr_err(err, EX_NOINPUT, "%s is a directory; give the "
			      "tenants.yaml file", path);
	if (!S_ISREG(st.st_mode))
		return tr_err(err, EX_NOINPUT, "%s is not a regular file (a FIFO or "
			      "a device?); give the tenants.yaml file", path);
	if (S_ISREG(st.st_mode) && st.st_size > TR_CONFIG_MAX_BYTES)
		return tr_err(err, EX_DATAERR, "%s: %lld bytes is more than the "
			      "%d a configuration may have", path,
			      (long long)st.st_size, TR_CONFIG_MAX_BYTES);
	/* Read one byte past the bound so a file that grows while it is read
	 * is bounded too. */
	_cleanup_free_ char *buf = malloc(TR_CONFIG_MAX_BYTES + 1);
	if (buf == NULL)
		return tr_err(err, EX_OSERR, "out of memory reading %s", path);
	size_t len = 0;
	while (len < TR_CONFIG_MAX_BYTES + 1) {
		ssize_t r = read(fd, buf + len, TR_CONFIG_MAX_BYTES + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return tr_err_sys(err, EX_NOINPUT, errno, "cannot read %s",
					  path);
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > TR_CONFIG_MAX_BYTES)
		return tr_err(err, EX_DATAERR, "%s: more than the %d bytes a "
			      "configuration may have", path, TR_CONFIG_MAX_BYTES);
	return tr_config_parse_buffer(cfg, path, buf, len, diags);
}

const char *tr_default_config_path(void)
{
	const char *env = getenv("TENANTRT_CONFIG");
	return env && *env ? env : "/etc/tenantrt/tenants.yaml";
}
