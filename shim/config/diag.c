/* SPDX-License-Identifier: BSD-3-Clause */
#include "config/diag.h"

#include <stdlib.h>
#include <string.h>

void tr_diags_init(struct tr_diags *d, const char *file)
{
	memset(d, 0, sizeof(*d));
	d->file = file;
}

void tr_diag_add(struct tr_diags *d, enum tr_severity sev, struct tr_mark mark,
		 const char *fmt, ...)
{
	if (sev == TR_DIAG_ERROR)
		d->n_errors++;
	if (d->n >= TR_DIAG_MAX) {
		d->truncated = true;
		return;
	}
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* A diagnostic is one line whatever a rule quoted from the file: a
	 * multi-line YAML scalar must not forge or break the next line. */
	for (char *c = buf; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	struct tr_diag *it = &d->items[d->n];
	it->msg = strdup(buf);
	if (it->msg == NULL)
		return;
	it->severity = sev;
	it->mark = mark;
	d->n++;
}

const char *tr_diag_show(const char *s, char *buf, size_t len)
{
	size_t o = 0, i = 0;
	for (; s[i] != '\0' && i < TR_SHOW_MAX && o + 5 < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			o += (size_t)snprintf(buf + o, len - o, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	if (s[i] != '\0' && o + 4 < len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

static int by_position(const void *a, const void *b)
{
	const struct tr_diag *x = a, *y = b;
	if (x->mark.line != y->mark.line)
		return x->mark.line < y->mark.line ? -1 : 1;
	if (x->mark.col != y->mark.col)
		return x->mark.col < y->mark.col ? -1 : 1;
	return 0;
}

void tr_diag_format(const struct tr_diags *d, unsigned i, char *buf, size_t len)
{
	const struct tr_diag *it = &d->items[i];
	const char *sev = it->severity == TR_DIAG_WARNING ? "warning: " : "";
	const char *file = d->file ? d->file : "<config>";
	if (it->mark.line > 0)
		snprintf(buf, len, "%s:%u:%u: %s%s", file, it->mark.line,
			 it->mark.col, sev, it->msg);
	else
		snprintf(buf, len, "%s: %s%s", file, sev, it->msg);
}

/* A warning about another tenant than only ("tenant \"x\": ..."). */
static bool other_tenants(const struct tr_diag *g, const char *only)
{
	static const char lead[] = "tenant \"";
	size_t n = only ? strlen(only) : 0;
	if (only == NULL || g->severity != TR_DIAG_WARNING ||
	    strncmp(g->msg, lead, sizeof(lead) - 1) != 0)
		return false;
	const char *name = g->msg + sizeof(lead) - 1;
	return !(strncmp(name, only, n) == 0 && name[n] == '"');
}

void tr_diags_print(const struct tr_diags *d, FILE *out)
{
	tr_diags_print_for(d, NULL, out);
}

void tr_diags_print_for(const struct tr_diags *d, const char *tenant, FILE *out)
{
	/* Stable order for users and tests: by position in the file. */
	struct tr_diags *m = (struct tr_diags *)d;
	qsort(m->items, m->n, sizeof(m->items[0]), by_position);
	char line[1400];
	for (unsigned i = 0; i < d->n; i++) {
		if (other_tenants(&d->items[i], tenant))
			continue;
		tr_diag_format(d, i, line, sizeof(line));
		fprintf(out, "%s\n", line);
	}
	if (d->truncated)
		fprintf(out, "%s: too many problems; fix the ones above first\n",
			d->file ? d->file : "<config>");
}

void tr_diags_free(struct tr_diags *d)
{
	for (unsigned i = 0; i < d->n; i++)
		free(d->items[i].msg);
	d->n = 0;
}
