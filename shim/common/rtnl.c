/* SPDX-License-Identifier: BSD-3-Clause */
/* rtnetlink through libmnl (common/rtnl.h). */
#include "common/rtnl.h"

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <arpa/inet.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"

int tr_rtnl_open(struct tr_rtnl *r, int netns_fd)
{
	memset(r, 0, sizeof(*r));
	_cleanup_close_ int self = -1;
	if (netns_fd >= 0) {
		self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (self < 0)
			return -errno;
		if (setns(netns_fd, CLONE_NEWNET) < 0)
			return -errno;
	}
	r->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	int e = r->nl ? 0 : -errno;
	/* Back to our own namespace before anything else can fail. */
	if (netns_fd >= 0 && setns(self, CLONE_NEWNET) < 0 && e == 0)
		e = -errno;
	if (e == 0 && mnl_socket_bind(r->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		e = -errno;
	if (e < 0) {
		tr_rtnl_close(r);
		return e;
	}
	int one = 1;
	/* Older kernels lack extended acks: then there is just no text. */
	(void)mnl_socket_setsockopt(r->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	r->portid = mnl_socket_get_portid(r->nl);
	r->seq = (unsigned)time(NULL);
	return 0;
}

void tr_rtnl_close(struct tr_rtnl *r)
{
	if (r->nl)
		mnl_socket_close(r->nl);
	r->nl = NULL;
}

/* --- acks and errors ------------------------------------------------------ */

/* What every callback of one exchange gets: the socket (for the ack
 * text) and the caller's callback with its data. */
struct talk_ctx {
	struct tr_rtnl *r;
	mnl_cb_t cb;
	void *data;
};

static int ack_attr(const struct nlattr *a, void *data)
{
	struct tr_rtnl *r = data;
	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		snprintf(r->ack, sizeof(r->ack), "%s", mnl_attr_get_str(a));
	return MNL_CB_OK;
}

/* NLMSG_ERROR: 0 is the ack; else errno, and the kernel's text if any. */
static int on_error(const struct nlmsghdr *h, void *data)
{
	struct talk_ctx *t = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
	if (h->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (e->error == 0)
		return MNL_CB_STOP;
	if (h->nlmsg_flags & NLM_F_ACK_TLVS) {
		/* The TLVs follow the request, or only its header if capped. */
		size_t off = sizeof(*e);
		if (!(h->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		if (mnl_nlmsg_size(off) <= h->nlmsg_len)
			mnl_attr_parse(h, (unsigned)off, ack_attr, t->r);
	}
	errno = -e->error;
	return MNL_CB_ERROR;
}

/* NLMSG_DONE of a dump may carry the dump's error. */
static int on_done(const struct nlmsghdr *h, void *data)
{
	(void)data;
	if (mnl_nlmsg_get_payload_len(h) >= sizeof(int)) {
		int e = *(const int *)mnl_nlmsg_get_payload(h);
		if (e < 0) {
			errno = -e;
			return MNL_CB_ERROR;
		}
	}
	return MNL_CB_STOP;
}

static int on_data(const struct nlmsghdr *h, void *data)
{
	struct talk_ctx *t = data;
	return t->cb ? t->cb(h, t->data) : MNL_CB_OK;
}

/* Send h and read the answers until the ack, the dump's end or an error;
 * each data message goes to cb with data. */
static int talk(struct tr_rtnl *r, struct nlmsghdr *h, mnl_cb_t cb, void *data)
{
	mnl_cb_t ctl[NLMSG_DONE + 1] = { 0 };
	ctl[NLMSG_ERROR] = on_error;
	ctl[NLMSG_DONE] = on_done;
	struct talk_ctx t = { r, cb, data };
	r->ack[0] = '\0';
	h->nlmsg_seq = ++r->seq;
	if (mnl_socket_sendto(r->nl, h, h->nlmsg_len) < 0)
		return -errno;
	/* Dump messages fill what the reader's buffer holds: take a large one. */
	char buf[32768];
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(r->nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		errno = 0;
		int rc = mnl_cb_run2(buf, (size_t)n, h->nlmsg_seq, r->portid, on_data, &t,
				     ctl, NLMSG_DONE + 1);
		if (rc == MNL_CB_ERROR)
			return errno ? -errno : -EIO;
		if (rc == MNL_CB_STOP)
			return 0;
	}
}

/* --- links ------------------------------------------------------------------ */

static void put_ifinfo(struct nlmsghdr *h, int ifindex)
{
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
}

static void copy_str(char *out, size_t len, const struct nlattr *a)
{
	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		snprintf(out, len, "%s", mnl_attr_get_str(a));
}

static void copy_mac(unsigned char *out, bool *has, const struct nlattr *a)
{
	if (mnl_attr_get_payload_len(a) == TR_MAC_LEN) {
		memcpy(out, mnl_attr_get_payload(a), TR_MAC_LEN);
		*has = true;
	}
}

static int linkinfo_attr(const struct nlattr *a, void *data)
{
	struct tr_link *l = data;
	if (mnl_attr_get_type(a) == IFLA_INFO_KIND)
		copy_str(l->kind, sizeof(l->kind), a);
	return MNL_CB_OK;
}

static int link_attr(const struct nlattr *a, void *data)
{
	struct tr_link *l = data;
	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME:
		copy_str(l->name, sizeof(l->name), a);
		break;
	case IFLA_MTU:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			l->mtu = mnl_attr_get_u32(a);
		break;
	case IFLA_ADDRESS:
		copy_mac(l->mac, &l->has_mac, a);
		break;
	case IFLA_PERM_ADDRESS:
		copy_mac(l->perm_mac, &l->has_perm_mac, a);
		break;
	case IFLA_LINKINFO:
		mnl_attr_parse_nested(a, linkinfo_attr, l);
		break;
	case IFLA_PARENT_DEV_NAME:
		copy_str(l->parent_dev, sizeof(l->parent_dev), a);
		break;
	case IFLA_PARENT_DEV_BUS_NAME:
		copy_str(l->parent_bus, sizeof(l->parent_bus), a);
		break;
	case IFLA_STATS64:
		if (mnl_attr_get_payload_len(a) >= sizeof(struct rtnl_link_stats64)) {
			struct rtnl_link_stats64 s;
			memcpy(&s, mnl_attr_get_payload(a), sizeof(s));
			l->rx_packets = s.rx_packets;
			l->tx_packets = s.tx_packets;
			l->rx_bytes = s.rx_bytes;
			l->tx_bytes = s.tx_bytes;
		}
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

static void parse_link(const struct nlmsghdr *h, struct tr_link *l)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(h);
	memset(l, 0, sizeof(*l));
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	mnl_attr_parse(h, sizeof(*ifi), link_attr, l);
}

static int one_link(const struct nlmsghdr *h, void *data)
{
	if (h->nlmsg_type == RTM_NEWLINK)
		parse_link(h, data);
	return MNL_CB_OK;
}

int tr_rtnl_link_get(struct tr_rtnl *r, int ifindex, const char *name,
		     struct tr_link *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = RTM_GETLINK;
	/* The ack ends the exchange after the one answer. */
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	put_ifinfo(h, ifindex > 0 ? ifindex : 0);
	if (ifindex <= 0) {
		if (name == NULL || *name == '\0' || strlen(name) >= IFNAMSIZ)
			return -ENODEV;
		mnl_attr_put_strz(h, IFLA_IFNAME, name);
	}
	memset(out, 0, sizeof(*out));
	out->ifindex = -1;
	int rc = talk(r, h, one_link, out);
	if (rc < 0)
		return rc;
	return out->ifindex > 0 ? 0 : -ENODEV;
}

struct dump_ctx {
	void (*fn)(const struct tr_link *l, void *ctx);
	void *ctx;
};

static int each_link(const struct nlmsghdr *h, void *data)
{
	struct dump_ctx *d = data;
	if (h->nlmsg_type == RTM_NEWLINK) {
		struct tr_link l;
		parse_link(h, &l);
		d->fn(&l, d->ctx);
	}
	return MNL_CB_OK;
}

int tr_rtnl_link_dump(struct tr_rtnl *r,
		      void (*fn)(const struct tr_link *l, void *ctx), void *ctx)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = RTM_GETLINK;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	put_ifinfo(h, 0);
	struct dump_ctx d = { fn, ctx };
	return talk(r, h, each_link, &d);
}

int tr_rtnl_link_change(struct tr_rtnl *r, int ifindex,
			const struct tr_link_change *c)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = RTM_NEWLINK;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_change = c->mask;
	ifi->ifi_flags = c->flags & c->mask;
	if (c->netns_fd >= 0)
		mnl_attr_put_u32(h, IFLA_NET_NS_FD, (uint32_t)c->netns_fd);
	if (c->name)
		mnl_attr_put_strz(h, IFLA_IFNAME, c->name);
	if (c->mac)
		mnl_attr_put(h, IFLA_ADDRESS, TR_MAC_LEN, c->mac);
	if (c->mtu)
		mnl_attr_put_u32(h, IFLA_MTU, c->mtu);
	return talk(r, h, NULL, NULL);
}

/* --- addresses ------------------------------------------------------------ */

struct addr_ctx {
	void (*fn)(int ifindex, int family, int scope, const char *text, void *ctx);
	void *ctx;
	const struct nlattr *local, *address;
};

static int addr_attr(const struct nlattr *a, void *data)
{
	struct addr_ctx *d = data;
	if (mnl_attr_get_type(a) == IFA_LOCAL)
		d->local = a;
	else if (mnl_attr_get_type(a) == IFA_ADDRESS)
		d->address = a;
	return MNL_CB_OK;
}

static int each_addr(const struct nlmsghdr *h, void *data)
{
	struct addr_ctx *d = data;
	if (h->nlmsg_type != RTM_NEWADDR)
		return MNL_CB_OK;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(h);
	d->local = d->address = NULL;
	mnl_attr_parse(h, sizeof(*ifa), addr_attr, d);
	/* IPv4 puts the interface's own address in IFA_LOCAL. */
	const struct nlattr *a = d->local ? d->local : d->address;
	char ip[INET6_ADDRSTRLEN] = "?", text[INET6_ADDRSTRLEN + 8];
	if (a && mnl_attr_get_payload_len(a) >= (ifa->ifa_family == AF_INET ? 4u : 16u))
		inet_ntop(ifa->ifa_family, mnl_attr_get_payload(a), ip, sizeof(ip));
	snprintf(text, sizeof(text), "%s/%u", ip, ifa->ifa_prefixlen);
	d->fn((int)ifa->ifa_index, ifa->ifa_family, ifa->ifa_scope, text, d->ctx);
	return MNL_CB_OK;
}

int tr_rtnl_addr_dump(struct tr_rtnl *r,
		      void (*fn)(int ifindex, int family, int scope,
				 const char *text, void *ctx),
		      void *ctx)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = RTM_GETADDR;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(h, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	struct addr_ctx d = { .fn = fn, .ctx = ctx };
	return talk(r, h, each_addr, &d);
}

/* --- MAC text -------------------------------------------------------------- */

void tr_mac_format(const unsigned char *m, char *out, size_t len)
{
	snprintf(out, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		 m[4], m[5]);
}

int tr_mac_parse(const char *s, unsigned char *mac)
{
	unsigned v[TR_MAC_LEN];
	char tail;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4],
		   &v[5], &tail) != TR_MAC_LEN)
		return -1;
	for (int i = 0; i < TR_MAC_LEN; i++)
		mac[i] = (unsigned char)v[i];
	return 0;
}
