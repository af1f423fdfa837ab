/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a hostile tenant with a kernel NIC tries on the network, and what
 * the kernel answered; and the test side's own probes (suite_network.sh).
 *
 * As a tenant (under tenantrt-shim: everything up to the first "--" is
 * skipped, the EAL arguments):
 *   trnet names IF...           if_nametoindex each: "IF: ifindex N" / ENODEV
 *   trnet sifflags IF           SIOCGIFFLAGS, then SIOCSIFFLAGS with the same
 *                               flags (a no-op if it got through)
 *   trnet sniff SECS MARK...    AF_PACKET/ETH_P_ALL on every interface it
 *                               can see; counts frames carrying each marker
 *   trnet inject IFINDEX        one frame sent on that ifindex
 *   trnet rtnl                  socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)
 *   trnet nsids                 RTM_GETNSID: the netns ids it knows
 *   trnet newnsid-pid PID       RTM_NEWNSID for PID's netns
 *   trnet target-links NSID     RTM_GETLINK dump of IFLA_TARGET_NETNSID
 *   trnet target-del NSID IDX   RTM_DELLINK of ifindex IDX there
 *   trnet target-veth NSID A B  a veth A in netns NSID, its peer B here
 *   trnet move-pid IF PID       IFLA_NET_NS_PID: IF into PID's netns
 *   trnet sleep SECS
 * As the test (root):
 *   trnet send IF N MARK        N broadcast frames (ethertype 0x88b5)
 *   trnet stats NETNS IF        "rx R tx T" (IFLA_STATS64) of IF read in
 *                               NETNS: a pin or /proc/PID/ns/net ("-": ours)
 *   trnet link NETNS IF         "name up|down mtu M mac X flags 0xF"
 *
 * Prints "OP: ok[ ...]" and exits 0, or "OP: ENAME (message)" and exits 1;
 * 64 on bad usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/rtnl.h"

#define ETH_P_TEST 0x88b5

static int report(const char *op, int r, const char *extra)
{
	if (r == 0) {
		printf("%s: ok%s%s\n", op, extra && *extra ? " " : "", extra ? extra : "");
		return 0;
	}
	int e = r < 0 ? -r : errno;
	printf("%s: %s (%s)\n", op, strerrorname_np(e), strerror(e));
	return 1;
}

/* --- raw rtnetlink, as an attacker writes it ----------------------------- */

struct nl {
	struct mnl_socket *s;
	unsigned seq, portid;
};

static int nl_open(struct nl *n)
{
	n->s = mnl_socket_open(NETLINK_ROUTE);
	if (n->s == NULL)
		return -errno;
	if (mnl_socket_bind(n->s, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	n->portid = mnl_socket_get_portid(n->s);
	n->seq = (unsigned)time(NULL);
	return 0;
}

/* Send, then run cb over the answers; 0 or -errno (the dump's, the ack's). */
static int nl_talk(struct nl *n, struct nlmsghdr *h, mnl_cb_t cb, void *data)
{
	h->nlmsg_seq = ++n->seq;
	if (mnl_socket_sendto(n->s, h, h->nlmsg_len) < 0)
		return -errno;
	static char buf[32768];
	for (;;) {
		ssize_t r = mnl_socket_recvfrom(n->s, buf, sizeof(buf));
		if (r < 0)
			return -errno;
		/* NLMSG_DONE of a failed dump carries its error. */
		const struct nlmsghdr *m = (const struct nlmsghdr *)buf;
		if (m->nlmsg_type == NLMSG_DONE && mnl_nlmsg_get_payload_len(m) >= sizeof(int) &&
		    *(const int *)mnl_nlmsg_get_payload(m) < 0)
			return *(const int *)mnl_nlmsg_get_payload(m);
		errno = 0;
		int rc = mnl_cb_run(buf, (size_t)r, h->nlmsg_seq, n->portid, cb, data);
		if (rc == MNL_CB_ERROR)
			return errno ? -errno : -EIO;
		if (rc == MNL_CB_STOP)
			return 0;
	}
}

static struct nlmsghdr *msg(char *buf, int type, int flags, int ifindex)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = (unsigned short)type;
	h->nlmsg_flags = (unsigned short)(NLM_F_REQUEST | flags);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return h;
}

static int name_attr(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == IFLA_IFNAME) {
		char *names = data;
		size_t k = strlen(names);
		snprintf(names + k, 4096 - k, "%s%s", k ? " " : "", mnl_attr_get_str(a));
	}
	return MNL_CB_OK;
}

static int link_names(const struct nlmsghdr *h, void *data)
{
	if (h->nlmsg_type == RTM_NEWLINK)
		mnl_attr_parse(h, sizeof(struct ifinfomsg), name_attr, data);
	return MNL_CB_OK;
}

static int do_target_links(int nsid)
{
	struct nl n;
	char buf[MNL_SOCKET_BUFFER_SIZE], names[4096] = "";
	int r = nl_open(&n);
	if (r < 0)
		return report("target-links", r, NULL);
	struct nlmsghdr *h = msg(buf, RTM_GETLINK, NLM_F_DUMP, 0);
	mnl_attr_put_u32(h, IFLA_TARGET_NETNSID, (uint32_t)nsid);
	r = nl_talk(&n, h, link_names, names);
	if (r == 0 && names[0] == '\0')
		return report("target-links", 0, "(none)");
	return report("target-links", r, names);
}

static int do_target_del(int nsid, int ifindex)
{
	struct nl n;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int r = nl_open(&n);
	if (r < 0)
		return report("target-del", r, NULL);
	struct nlmsghdr *h = msg(buf, RTM_DELLINK, NLM_F_ACK, ifindex);
	mnl_attr_put_u32(h, IFLA_TARGET_NETNSID, (uint32_t)nsid);
	return report("target-del", nl_talk(&n, h, NULL, NULL), NULL);
}

static int do_target_veth(int nsid, const char *name, const char *peer)
{
	struct nl n;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int r = nl_open(&n);
	if (r < 0)
		return report("target-veth", r, NULL);
	struct nlmsghdr *h = msg(buf, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_u32(h, IFLA_TARGET_NETNSID, (uint32_t)nsid);
	mnl_attr_put_strz(h, IFLA_IFNAME, name);
	struct nlattr *li = mnl_attr_nest_start(h, IFLA_LINKINFO);
	mnl_attr_put_strz(h, IFLA_INFO_KIND, "veth");
	struct nlattr *data = mnl_attr_nest_start(h, IFLA_INFO_DATA);
	struct nlattr *p = mnl_attr_nest_start(h, VETH_INFO_PEER);
	struct ifinfomsg *pi = mnl_nlmsg_put_extra_header(h, sizeof(*pi));
	pi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(h, IFLA_IFNAME, peer);
	mnl_attr_nest_end(h, p);
	mnl_attr_nest_end(h, data);
	mnl_attr_nest_end(h, li);
	return report("target-veth", nl_talk(&n, h, NULL, NULL), NULL);
}

static int do_move_pid(const char *ifname, int pid)
{
	struct nl n;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int r = nl_open(&n);
	if (r < 0)
		return report("move-pid", r, NULL);
	unsigned idx = if_nametoindex(ifname);
	if (idx == 0)
		return report("move-pid", -errno, NULL);
	struct nlmsghdr *h = msg(buf, RTM_NEWLINK, NLM_F_ACK, (int)idx);
	mnl_attr_put_u32(h, IFLA_NET_NS_PID, (uint32_t)pid);
	return report("move-pid", nl_talk(&n, h, NULL, NULL), NULL);
}

static int nsid_attr(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == NETNSA_NSID) {
		char *ids = data;
		size_t k = strlen(ids);
		snprintf(ids + k, 1024 - k, "%s%d", k ? " " : "", (int)mnl_attr_get_u32(a));
	}
	return MNL_CB_OK;
}

static int nsid_msg(const struct nlmsghdr *h, void *data)
{
	if (h->nlmsg_type == RTM_NEWNSID)
		mnl_attr_parse(h, sizeof(struct rtgenmsg), nsid_attr, data);
	return MNL_CB_OK;
}

static int do_nsids(void)
{
	struct nl n;
	char buf[MNL_SOCKET_BUFFER_SIZE], ids[1024] = "";
	int r = nl_open(&n);
	if (r < 0)
		return report("nsids", r, NULL);
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = RTM_GETNSID;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	struct rtgenmsg *g = mnl_nlmsg_put_extra_header(h, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	r = nl_talk(&n, h, nsid_msg, ids);
	return report("nsids", r, ids[0] ? ids : "(none)");
}

static int do_newnsid_pid(int pid)
{
	struct nl n;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int r = nl_open(&n);
	if (r < 0)
		return report("newnsid-pid", r, NULL);
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = RTM_NEWNSID;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	struct rtgenmsg *g = mnl_nlmsg_put_extra_header(h, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(h, NETNSA_PID, (uint32_t)pid);
	mnl_attr_put_u32(h, NETNSA_NSID, (uint32_t)-1);
	return report("newnsid-pid", nl_talk(&n, h, NULL, NULL), NULL);
}

/* --- packets and ioctls ---------------------------------------------------- */

static int do_names(char **names, int n)
{
	int bad = 0;
	for (int i = 0; i < n; i++) {
		unsigned idx = if_nametoindex(names[i]);
		char extra[32];
		snprintf(extra, sizeof(extra), "ifindex %u", idx);
		bad |= report(names[i], idx ? 0 : -errno, extra);
	}
	return bad;
}

static int do_sifflags(const char *ifname)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return report("sifflags", -errno, NULL);
	/* Its own flags: a broken containment is then a no-op, never a
	 * host interface taken down. */
	return report("sifflags", ioctl(s, SIOCSIFFLAGS, &ifr) < 0 ? -errno : 0, NULL);
}

static void frame(unsigned char *f, size_t len, const char *mark)
{
	memset(f, 0, len);
	memset(f, 0xff, 6);                       /* broadcast */
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x01", 6);
	f[12] = ETH_P_TEST >> 8;
	f[13] = ETH_P_TEST & 0xff;
	snprintf((char *)f + 14, len - 14, "%s", mark);
}

static int send_on(int ifindex, int n, const char *mark)
{
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_TEST));
	if (s < 0)
		return -errno;
	struct sockaddr_ll sa = { .sll_family = AF_PACKET, .sll_ifindex = ifindex,
				  .sll_halen = 6, .sll_protocol = htons(ETH_P_TEST) };
	memset(sa.sll_addr, 0xff, 6);
	unsigned char f[64];
	frame(f, sizeof(f), mark);
	for (int i = 0; i < n; i++)
		if (sendto(s, f, sizeof(f), 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			int e = errno;
			close(s);
			return -e;
		}
	close(s);
	return 0;
}

static int do_inject(int ifindex)
{
	return report("inject", send_on(ifindex, 1, "INJECTED"), NULL);
}

static int do_send(const char *ifname, int n, const char *mark)
{
	unsigned idx = if_nametoindex(ifname);
	if (idx == 0)
		return report("send", -errno, NULL);
	return report("send", send_on((int)idx, n, mark), NULL);
}

static int do_sniff(int secs, char **marks, int n_marks)
{
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (s < 0)
		return report("sniff", -errno, NULL);
	printf("sniff: listening\n");
	fflush(stdout);
	unsigned counts[16] = { 0 }, total = 0;
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long left = (t0.tv_sec + secs - now.tv_sec) * 1000 + (t0.tv_nsec - now.tv_nsec) / 1000000;
		if (left <= 0)
			break;
		struct pollfd p = { .fd = s, .events = POLLIN };
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		unsigned char f[2048];
		ssize_t r = recv(s, f, sizeof(f), 0);
		if (r <= 0)
			continue;
		total++;
		for (int m = 0; m < n_marks && m < 16; m++)
			if (r > 14 && memmem(f + 14, (size_t)r - 14, marks[m], strlen(marks[m])))
				counts[m]++;
	}
	for (int m = 0; m < n_marks && m < 16; m++)
		printf("sniff %s: %u\n", marks[m], counts[m]);
	printf("sniff: ok %u frames\n", total);
	return 0;
}

static int do_rtnl(void)
{
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s >= 0)
		close(s);
	return report("rtnl", s < 0 ? -errno : 0, NULL);
}

/* --- the test's probes ----------------------------------------------------- */

static int in_netns(const char *ns, struct tr_rtnl *r)
{
	int fd = -1;
	if (strcmp(ns, "-") != 0 && (fd = open(ns, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	int rc = tr_rtnl_open(r, fd);
	if (fd >= 0)
		close(fd);
	return rc;
}

static int do_stats(const char *ns, const char *ifname)
{
	struct tr_rtnl r;
	struct tr_link l;
	int rc = in_netns(ns, &r);
	if (rc == 0)
		rc = tr_rtnl_link_get(&r, 0, ifname, &l);
	if (rc < 0)
		return report("stats", rc, NULL);
	printf("rx %llu tx %llu\n", (unsigned long long)l.rx_packets,
	       (unsigned long long)l.tx_packets);
	return 0;
}

static int do_link(const char *ns, const char *ifname)
{
	struct tr_rtnl r;
	struct tr_link l;
	int rc = in_netns(ns, &r);
	if (rc == 0)
		rc = tr_rtnl_link_get(&r, 0, ifname, &l);
	if (rc < 0)
		return report("link", rc, NULL);
	char mac[20] = "-";
	if (l.has_mac)
		tr_mac_format(l.mac, mac, sizeof(mac));
	printf("%s %s mtu %u mac %s flags 0x%x\n", l.name, (l.flags & IFF_UP) ? "up" : "down",
	       l.mtu, mac, l.flags);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "trnet: bad usage; see the comment at the top of tests/tools/trnet.c\n");
	return 64;
}

int main(int argc, char **argv)
{
	/* Under the shim: skip the EAL arguments up to "--". */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			argv += i;
			argc -= i;
			break;
		}
	if (argc < 2)
		return usage();
	const char *op = argv[1];
	char **a = argv + 2;
	int n = argc - 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(op, "names") == 0 && n >= 1)
		return do_names(a, n);
	if (strcmp(op, "sifflags") == 0 && n == 1)
		return do_sifflags(a[0]);
	if (strcmp(op, "sniff") == 0 && n >= 1)
		return do_sniff(atoi(a[0]), a + 1, n - 1);
	if (strcmp(op, "inject") == 0 && n == 1)
		return do_inject(atoi(a[0]));
	if (strcmp(op, "rtnl") == 0 && n == 0)
		return do_rtnl();
	if (strcmp(op, "nsids") == 0 && n == 0)
		return do_nsids();
	if (strcmp(op, "newnsid-pid") == 0 && n == 1)
		return do_newnsid_pid(atoi(a[0]));
	if (strcmp(op, "target-links") == 0 && n == 1)
		return do_target_links(atoi(a[0]));
	if (strcmp(op, "target-del") == 0 && n == 2)
		return do_target_del(atoi(a[0]), atoi(a[1]));
	if (strcmp(op, "target-veth") == 0 && n == 3)
		return do_target_veth(atoi(a[0]), a[1], a[2]);
	if (strcmp(op, "move-pid") == 0 && n == 2)
		return do_move_pid(a[0], atoi(a[1]));
	if (strcmp(op, "sleep") == 0 && n == 1) {
		printf("sleep: pid %d\n", (int)getpid());
		sleep((unsigned)atoi(a[0]));
		return 0;
	}
	if (strcmp(op, "send") == 0 && n == 3)
		return do_send(a[0], atoi(a[1]), a[2]);
	if (strcmp(op, "stats") == 0 && n == 2)
		return do_stats(a[0], a[1]);
	if (strcmp(op, "link") == 0 && n == 2)
		return do_link(a[0], a[1]);
	return usage();
}
