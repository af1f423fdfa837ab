/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The AF_PACKET sockets behind a net_af_packet port (pktsock.c): those
 * bound to the interface, in the order they were opened, and only those.
 * Packet sockets need CAP_NET_RAW: skipped without it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tr_rt.h"

static int packet_socket(int ifindex)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0 || ifindex == 0)
		return fd;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = ifindex };
	assert_int_equal(bind(fd, (struct sockaddr *)&sll, sizeof(sll)), 0);
	return fd;
}

static void finds_the_bound_ones_in_order(void **state)
{
	(void)state;
	int lo = (int)if_nametoindex("lo");
	assert_true(lo > 0);
	int a = packet_socket(lo);
	if (a < 0)
		skip();   /* no CAP_NET_RAW */
	int unbound = packet_socket(0);
	int udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);   /* not a packet socket */
	int b = packet_socket(lo);
	int fds[4] = { -1, -1, -1, -1 };
	assert_int_equal(tr__pktsock_find(lo, fds, 4), 2);
	assert_int_equal(fds[0], a);
	assert_int_equal(fds[1], b);
	assert_int_equal(fds[2], -1);
	/* More than fit: all counted (the caller sees it cannot use them). */
	int one[1] = { -1 };
	assert_int_equal(tr__pktsock_find(lo, one, 1), 2);
	/* Another interface index: none. */
	assert_int_equal(tr__pktsock_find(lo + 1000, fds, 4), 0);
	close(a);
	close(b);
	close(udp);
	close(unbound);
	assert_int_equal(tr__pktsock_find(lo, fds, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_the_bound_ones_in_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
