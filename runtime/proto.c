/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shim <-> library protocol's values (tenantrt_proto.h). DPDK-free: it
 * is built into libtenantrt and into the shim's core alike, so the string
 * the plan writes and the one tr_init() reads have one definition.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tenantrt_proto.h"

static const char *const mode_names[] = {
	[TR_DP_MODE_DISTRIBUTE] = "distribute",
	[TR_DP_MODE_SYMMETRIC] = "symmetric",
};
static const char *const tx_names[] = {
	[TR_DP_TX_AUTO] = "auto",
	[TR_DP_TX_OWN] = "own",
	[TR_DP_TX_RING] = "ring",
};
static const char *const state_names[] = {
	[TR_MEMBER_FREE] = "free",
	[TR_MEMBER_JOINING] = "joining",
	[TR_MEMBER_ACTIVE] = "active",
	[TR_MEMBER_LEAVING] = "leaving",
	[TR_MEMBER_DEAD] = "dead",
};
#define DIM(a) (sizeof(a) / sizeof((a)[0]))

static int name_index(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

const char *tr_dp_mode_name(enum tr_dp_mode m)
{
	return (unsigned)m < DIM(mode_names) ? mode_names[m] : "?";
}

int tr_dp_mode_parse(const char *s, enum tr_dp_mode *out)
{
	int i = name_index(mode_names, DIM(mode_names), s);
	if (i < 0)
		return -1;
	*out = (enum tr_dp_mode)i;
	return 0;
}

const char *tr_dp_tx_name(enum tr_dp_tx t)
{
	return (unsigned)t < DIM(tx_names) ? tx_names[t] : "?";
}

const char *tr_member_state_name(enum tr_member_state s)
{
	return (unsigned)s < DIM(state_names) ? state_names[s] : "?";
}

void tr_dp_conf_default(struct tr_dp_conf *c)
{
	*c = (struct tr_dp_conf){
		.mode = TR_DP_MODE_DISTRIBUTE,
		.burst = TR_DP_BURST_DEFAULT,
		.ring_size = TR_DP_RING_DEFAULT,
		.queues = 0,
		.tx = TR_DP_TX_AUTO,
	};
}

static int parse_uint(const char *v, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	unsigned long n;

	if (*v < '0' || *v > '9')
		return -EINVAL;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || n < lo || n > hi)
		return -EINVAL;
	*out = (unsigned)n;
	return 0;
}

static int parse_pair(char *kv, struct tr_dp_conf *c)
{
	char *v = strchr(kv, '=');
	int i;

	if (v == NULL)
		return -EINVAL;
	*v++ = '\0';
	if (strcmp(kv, "mode") == 0)
		return tr_dp_mode_parse(v, &c->mode) < 0 ? -EINVAL : 0;
	if (strcmp(kv, "burst") == 0)
		return parse_uint(v, TR_DP_BURST_MIN, TR_DP_BURST_MAX, &c->burst);
	if (strcmp(kv, "ring") == 0) {
		if (parse_uint(v, TR_DP_RING_MIN, TR_DP_RING_MAX, &c->ring_size) < 0 ||
		    (c->ring_size & (c->ring_size - 1)))
			return -EINVAL;
		return 0;
	}
	if (strcmp(kv, "queues") == 0)
		return parse_uint(v, 0, TR_MAX_MEMBERS, &c->queues);
	if (strcmp(kv, "tx") == 0) {
		i = name_index(tx_names, DIM(tx_names), v);
		if (i < 0)
			return -EINVAL;
		c->tx = (enum tr_dp_tx)i;
		return 0;
	}
	return -EINVAL;
}

int tr_dp_conf_parse(const char *s, struct tr_dp_conf *out)
{
	struct tr_dp_conf c;
	char buf[256];
	int rc;

	tr_dp_conf_default(&c);
	if (s != NULL && *s != '\0') {
		if (strlen(s) >= sizeof(buf))
			return -EINVAL;
		strcpy(buf, s);
		for (char *save = NULL, *kv = strtok_r(buf, ",", &save); kv;
		     kv = strtok_r(NULL, ",", &save))
			if ((rc = parse_pair(kv, &c)) < 0)
				return rc;
	}
	*out = c;
	return 0;
}

int tr_dp_conf_format(const struct tr_dp_conf *c, char *buf, size_t len)
{
	int n = snprintf(buf, len, "mode=%s,burst=%u,ring=%u,queues=%u",
			 tr_dp_mode_name(c->mode), c->burst, c->ring_size, c->queues);
	if (c->tx != TR_DP_TX_AUTO && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ",tx=%s", tr_dp_tx_name(c->tx));
	return n;
}
