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
 *   trpkt recv IFACE EXPECT IDLE_MS [RUN [affinity]]
 *       count frames of run RUN arriving on IFACE; stop IDLE_MS after the
 *       last one, or 300 ms after EXPECT arrived (to see any extra); print
 *       the count, then "flows F split S reordered R marks M": S flows
 *       whose frames came with more than one mark (the last two bytes of
 *       the source MAC: tenantrt-fwd --mark writes the member and lcore
 *       that handled the frame there), R frames that came before an
 *       earlier one of their flow, M distinct marks seen. Exit 0 when
 *       count == EXPECT (and, with "affinity", S == 0 and R == 0), else 1.
 *   trpkt lat OUT IN COUNT GAP_MS [RUN]
 *       COUNT single frames into OUT, GAP_MS apart (an idle gap before
 *       each), each carrying its send time; print how long each took to
 *       come out of IN: "lat_us n N lost L min A p50 B p90 C p99 D max E".
 *       The first-packet latency of a poller that went idle in the gap.
 *       It spins on its receiving socket (run it on another cpu than the
 *       poller), so its own wake-up is not counted.
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

#define MAX_FLOWS 4096

static int do_recv(const char *ifname, unsigned expect, unsigned idle_ms,
		   uint32_t run, int affinity)
{
	int ifindex, fd = open_sock(ifname, &ifindex);
	uint8_t f[2048];
	unsigned got = 0, flows = 0, split = 0, reordered = 0, marks = 0;
	static int64_t last_seq[MAX_FLOWS];
	static int32_t mark_of[MAX_FLOWS];
	static uint8_t split_flow[MAX_FLOWS], mark_seen[65536];
	uint64_t last = now_ns(), done_at = 0;
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	for (unsigned i = 0; i < MAX_FLOWS; i++)
		last_seq[i] = -1, mark_of[i] = -1;
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
		/* the flow is its UDP source port (build()) */
		unsigned flow = (unsigned)(f[34] << 8 | f[35]) - 1000u;
		uint32_t seq;
		int32_t mark = f[10] << 8 | f[11];
		memcpy(&seq, f + 52, 4);
		if (flow >= MAX_FLOWS)
			continue;
		if (last_seq[flow] < 0)
			flows++;
		else if ((int64_t)seq < last_seq[flow])
			reordered++;
		if ((int64_t)seq > last_seq[flow])
			last_seq[flow] = seq;
		if (!mark_seen[mark]) {
			mark_seen[mark] = 1;
			marks++;
		}
		if (mark_of[flow] < 0) {
			mark_of[flow] = mark;
		} else if (mark_of[flow] != mark && !split_flow[flow]) {
			split_flow[flow] = 1;
			split++;
		}
	}
	printf("received %u\n", got);
	printf("flows %u split %u reordered %u marks %u\n", flows, split,
	       reordered, marks);
	if (got != expect)
		return 1;
	return affinity && (split || reordered) ? 1 : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int do_lat(const char *out, const char *in, unsigned count,
		  unsigned gap_ms, uint32_t run)
{
	int oi, ii, ofd = open_sock(out, &oi), ifd = open_sock(in, &ii);
	uint64_t *lat = calloc(count ? count : 1, sizeof(*lat));
	unsigned n = 0, lost = 0;
	uint8_t f[FRAME], r[2048];

	if (lat == NULL)
		return 2;
	for (unsigned i = 0; i < count; i++) {
		usleep(gap_ms * 1000u);
		build(f, i, 1, run);
		uint64_t t0 = now_ns(), end = t0 + 200000000u;
		if (send(ofd, f, FRAME, 0) < 0) {
			perror("trpkt: send");
			return 2;
		}
		/* Spin on the socket: the receiver's own wake-up from a
		 * sleep must not be part of what is measured. */
		for (;;) {
			uint64_t t = now_ns();
			if (t >= end) {
				lost++;
				break;
			}
			struct sockaddr_ll from;
			socklen_t fl = sizeof(from);
			ssize_t k = recvfrom(ifd, r, sizeof(r), MSG_DONTWAIT,
					     (struct sockaddr *)&from, &fl);
			uint32_t seq;
			if (k < 56 || from.sll_pkttype == PACKET_OUTGOING ||
			    memcmp(r + 42, MAGIC, 6) != 0 || memcmp(r + 48, &run, 4) != 0)
				continue;
			memcpy(&seq, r + 52, 4);
			if (seq != i)
				continue;
			lat[n++] = (now_ns() - t0) / 1000u;
			break;
		}
	}
	qsort(lat, n, sizeof(*lat), cmp_u64);
	if (n == 0) {
		printf("lat_us n 0 lost %u\n", lost);
		return 1;
	}
	printf("lat_us n %u lost %u min %llu p50 %llu p90 %llu p99 %llu max %llu\n",
	       n, lost, (unsigned long long)lat[0], (unsigned long long)lat[n / 2],
	       (unsigned long long)lat[n * 9 / 10], (unsigned long long)lat[n * 99 / 100],
	       (unsigned long long)lat[n - 1]);
	free(lat);
	return lost ? 1 : 0;
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
			       argc > 5 ? (uint32_t)atoi(argv[5]) : 0,
			       argc > 6 && strcmp(argv[6], "affinity") == 0);
	if (argc >= 6 && strcmp(argv[1], "lat") == 0)
		return do_lat(argv[2], argv[3], (unsigned)atoi(argv[4]),
			      (unsigned)atoi(argv[5]),
			      argc > 6 ? (uint32_t)atoi(argv[6]) : 0);
	fprintf(stderr, "usage: trpkt send IFACE COUNT [FLOWS [PPS [RUN]]]\n"
			"       trpkt recv IFACE EXPECT IDLE_MS [RUN [affinity]]\n"
			"       trpkt lat OUT IN COUNT GAP_MS [RUN]\n");
	return 64;
}
