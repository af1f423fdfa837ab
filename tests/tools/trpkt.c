/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trpkt: a test traffic source and sink on a kernel interface (the far end
 * of a veth, or a net_tap's kernel side), through an AF_PACKET socket, so a
 * test can send exactly N frames and count exactly what came out.
 *
 *   trpkt send IFACE COUNT [FLOWS [PPS [RUN]]]
 *       COUNT UDP/IPv4 frames, 64 bytes, over FLOWS flows (source ports
 *       1000..), paced at PPS (0 = as fast as the socket takes them);
 *       RUN (a number) marks the frames of this run.
 *   trpkt recv IFACE EXPECT IDLE_MS [RUN]
 *       count frames of run RUN arriving on IFACE; stop IDLE_MS after the
 *       last one, or 300 ms after EXPECT arrived (to see any extra); print
 *       the count. Exit 0 when count == EXPECT, 1 otherwise.
 * Frames carry a magic and the run, so other traffic is not counted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "TRPKT1"
#define FRAME 64

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int open_sock(const char *ifname, int *ifindex)
{
	struct sockaddr_ll sll = {0};
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));

	if (fd < 0) {
		perror("trpkt: socket(AF_PACKET)");
		exit(2);
	}
	*ifindex = (int)if_nametoindex(ifname);
	if (*ifindex == 0) {
		fprintf(stderr, "trpkt: no interface %s\n", ifname);
		exit(2);
	}
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = *ifindex;
	/* A starved receiver must not lose frames in its own socket. */
	int big = 32 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("trpkt: bind");
		exit(2);
	}
	return fd;
}

static uint16_t csum(const uint8_t *p, unsigned n)
{
	uint32_t s = 0;
	for (unsigned i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void build(uint8_t *f, unsigned seq, unsigned flows, uint32_t run)
{
	uint8_t *ip = f + 14, *udp = f + 34, *pl = f + 42;
	uint16_t sport = (uint16_t)(1000 + seq % flows);

	memset(f, 0, FRAME);
	memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
	ip[0] = 0x45;
	ip[2] = 0, ip[3] = FRAME - 14;
	ip[8] = 64, ip[9] = 17;
	memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x01\x01", 8);
	uint16_t c = csum(ip, 20);
	ip[10] = (uint8_t)(c >> 8), ip[11] = (uint8_t)c;
	udp[0] = (uint8_t)(sport >> 8), udp[1] = (uint8_t)sport;
	udp[2] = 0, udp[3] = 9;
	udp[4] = 0, udp[5] = FRAME - 34;
	memcpy(pl, MAGIC, 6);
	memcpy(pl + 6, &run, 4);
	memcpy(pl + 10, &seq, 4);
}

static int do_send(const char *ifname, unsigned count, unsigned flows,
		   unsigned pps, uint32_t run)
{
	int ifindex, fd = open_sock(ifname, &ifindex);
	uint8_t f[FRAME];
	uint64_t t0 = now_ns();

	for (unsigned i = 0; i < count; i++) {
		build(f, i, flows ? flows : 1, run);
		while (send(fd, f, FRAME, 0) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN) {
				perror("trpkt: send");
				return 2;
			}
			usleep(100);
		}
		if (pps) {
			uint64_t due = t0 + (uint64_t)(i + 1) * 1000000000u / pps;
			while (now_ns() < due)
				if (due - now_ns() > 200000)
					usleep(100);
		}
	}
	printf("sent %u\n", count);
	return 0;
}

static int do_recv(const char *ifname, unsigned expect, unsigned idle_ms,
		   uint32_t run)
{
	int ifindex, fd = open_sock(ifname, &ifindex);
	uint8_t f[2048];
	unsigned got = 0;
	uint64_t last = now_ns(), done_at = 0;
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	/* Ready: the caller waits for this line before sending. */
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		uint64_t t = now_ns();
		if (done_at && t - done_at > 300000000u)
			break;
		if (!done_at && t - last > (uint64_t)idle_ms * 1000000u)
			break;
		if (poll(&pfd, 1, 50) <= 0)
			continue;
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, f, sizeof(f), 0, (struct sockaddr *)&from, &fl);
		if (n < 42 + 14 || from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (memcmp(f + 42, MAGIC, 6) != 0 || memcmp(f + 48, &run, 4) != 0)
			continue;
		got++;
		last = now_ns();
		if (got == expect && !done_at)
			done_at = last;
	}
	printf("received %u\n", got);
	return got == expect ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "send") == 0)
		return do_send(argv[2], (unsigned)atoi(argv[3]),
			       argc > 4 ? (unsigned)atoi(argv[4]) : 1,
			       argc > 5 ? (unsigned)atoi(argv[5]) : 0,
			       argc > 6 ? (uint32_t)atoi(argv[6]) : 0);
	if (argc >= 5 && strcmp(argv[1], "recv") == 0)
		return do_recv(argv[2], (unsigned)atoi(argv[3]),
			       (unsigned)atoi(argv[4]),
			       argc > 5 ? (uint32_t)atoi(argv[5]) : 0);
	fprintf(stderr, "usage: trpkt send IFACE COUNT [FLOWS [PPS [RUN]]]\n"
			"       trpkt recv IFACE EXPECT IDLE_MS [RUN]\n");
	return 64;
}
