/* SPDX-License-Identifier: BSD-3-Clause */
/* What a vdev is to the kernel's network stack (config/netnics.h). */
#include "config/netnics.h"

#include <stdio.h>
#include <string.h>

#include "common/cleanup.h"

static const struct {
	const char *prefix;
	enum tr_vdev_net kind;
} drivers[] = {
	{ "net_af_packet", TR_VDEV_NET_AF_PACKET },
	{ "net_af_xdp", TR_VDEV_NET_AF_XDP },
	{ "net_pcap", TR_VDEV_NET_PCAP },
	{ "net_tap", TR_VDEV_NET_TAP },
};

/* net_pcap binds interfaces through these keys; the others take iface. */
static const char *const pcap_keys[] = { "iface", "rx_iface", "rx_iface_in", "tx_iface" };
static const char *const iface_key[] = { "iface" };

/* Calls fn for the value of each key of keys in spec's kvargs. */
static void each_value(const char *spec, const char *const *keys, size_t n_keys,
		       void (*fn)(const char *v, size_t len, void *ctx), void *ctx)
{
	const char *p = strchr(spec, ',');
	while (p != NULL) {
		p++;
		size_t kv = strcspn(p, ",");
		const char *eq = memchr(p, '=', kv);
		if (eq != NULL)
			for (size_t k = 0; k < n_keys; k++)
				if (strlen(keys[k]) == (size_t)(eq - p) &&
				    strncmp(p, keys[k], (size_t)(eq - p)) == 0)
					fn(eq + 1, kv - (size_t)(eq - p) - 1, ctx);
		p = strchr(p, ',');
	}
}

static void count_value(const char *v, size_t len, void *ctx)
{
	(void)v;
	*(bool *)ctx |= len > 0;
}

enum tr_vdev_net tr_vdev_net_kind(const char *spec)
{
	if (spec == NULL)
		return TR_VDEV_NET_NONE;
	for (size_t i = 0; i < TR_ARRAY_SIZE(drivers); i++) {
		size_t n = strlen(drivers[i].prefix);
		if (strncmp(spec, drivers[i].prefix, n) != 0)
			continue;
		if (drivers[i].kind != TR_VDEV_NET_PCAP)
			return drivers[i].kind;
		/* net_pcap on files (rx_pcap=, tx_pcap=) needs no network. */
		bool any = false;
		each_value(spec, pcap_keys, TR_ARRAY_SIZE(pcap_keys), count_value, &any);
		return any ? TR_VDEV_NET_PCAP : TR_VDEV_NET_NONE;
	}
	return TR_VDEV_NET_NONE;
}

const char *tr_vdev_net_name(enum tr_vdev_net k)
{
	for (size_t i = 0; i < TR_ARRAY_SIZE(drivers); i++)
		if (drivers[i].kind == k)
			return drivers[i].prefix;
	return "-";
}

bool tr_nic_is_kernel(const struct tr_nic *nic)
{
	return nic->kind == TR_NIC_VDEV && tr_vdev_net_kind(nic->spec) != TR_VDEV_NET_NONE;
}

struct names {
	char (*v)[IFNAMSIZ];
	unsigned *n, max;
};

static void add_name(const char *v, size_t len, void *ctx)
{
	struct names *s = ctx;
	if (len == 0 || len >= IFNAMSIZ || *s->n >= s->max)
		return;
	for (unsigned i = 0; i < *s->n; i++)
		if (strlen(s->v[i]) == len && strncmp(s->v[i], v, len) == 0)
			return;
	snprintf(s->v[*s->n], IFNAMSIZ, "%.*s", (int)len, v);
	(*s->n)++;
}

void tr_nic_ifaces(const struct tr_nic *nic, char (*names)[IFNAMSIZ],
		   unsigned *n, unsigned max)
{
	struct names s = { names, n, max };
	if (nic->kind != TR_NIC_VDEV)
		return;
	switch (tr_vdev_net_kind(nic->spec)) {
	case TR_VDEV_NET_AF_PACKET:
	case TR_VDEV_NET_AF_XDP:
		each_value(nic->spec, iface_key, 1, add_name, &s);
		break;
	case TR_VDEV_NET_PCAP:
		each_value(nic->spec, pcap_keys, TR_ARRAY_SIZE(pcap_keys), add_name, &s);
		break;
	default:
		break;   /* net_tap makes its own inside; the rest have none */
	}
}
