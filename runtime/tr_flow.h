/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How distribute mode spreads flows: the symmetric flow hash of a frame and
 * the bucket -> sink table, a sink being one lcore of one member (each
 * member lcore drains a ring of its own). No DPDK state and no syscalls, so
 * the unit tests (rt_test_datapath) cover them directly. The hash is inline:
 * the primary computes it per packet.
 */
#ifndef TR_FLOW_H
#define TR_FLOW_H

#include <stdint.h>
#include <string.h>

#include "tr_shm.h"

/* A sink as one byte: lcore j (0..15) of member m (0..15). */
#define TR_SINK(m, j) ((uint8_t)((m) << 4 | (j)))
#define TR_SINK_MEMBER(s) ((unsigned)(s) >> 4)
#define TR_SINK_LCORE(s) ((unsigned)(s) & 15u)
_Static_assert(TR_MAX_MEMBERS <= 16 && TR_MAX_LCORES_PER_MEMBER <= 16,
	       "a sink is member and lcore in 4 bits each");

/* A 32-bit finaliser (murmur3's): good avalanche, a few cycles. */
static inline uint32_t tr__mix32(uint32_t h)
{
	h ^= h >> 16;
	h *= UINT32_C(0x85ebca6b);
	h ^= h >> 13;
	h *= UINT32_C(0xc2b2ae35);
	h ^= h >> 16;
	return h;
}

static inline uint32_t tr__rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint16_t tr__rd16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* Order-independent combination of two endpoints (address, port). */
static inline uint32_t tr__sym(uint32_t a1, uint32_t a2, uint16_t p1, uint16_t p2,
			   uint32_t proto)
{
	uint32_t lo = a1 < a2 ? a1 : a2, hi = a1 < a2 ? a2 : a1;
	uint32_t plo = p1 < p2 ? p1 : p2, phi = p1 < p2 ? p2 : p1;
	return tr__mix32(lo * UINT32_C(0x9e3779b1) ^ tr__mix32(hi ^ proto) ^
		     ((plo << 16) | phi) * UINT32_C(0x27d4eb2f));
}

static inline uint32_t tr__fold128(const uint8_t *a)
{
	return tr__rd32(a) ^ tr__rd32(a + 4) ^ tr__rd32(a + 8) ^ tr__rd32(a + 12);
}

/*
 * Hash of a frame's flow, the same for both directions: the addresses and
 * the ports are put in order before mixing. Ethernet (one VLAN tag
 * skipped), IPv4 and IPv6 with TCP/UDP/SCTP ports (not for IPv4 fragments),
 * other IP protocols by addresses, non-IP frames by their MAC pair.
 * len is the frame's first segment length; a short frame hashes what it has.
 */
static inline uint32_t tr_flow_hash(const uint8_t *f, uint32_t len)
{
	uint32_t off = 12;
	uint16_t et;

	if (len < 14)
		return 0;
	et = (uint16_t)(f[12] << 8 | f[13]);
	if ((et == 0x8100 || et == 0x88a8) && len >= 18) {
		et = (uint16_t)(f[16] << 8 | f[17]);
		off = 16;
	}
	off += 2;
	if (et == 0x0800 && len >= off + 20) {
		const uint8_t *ip = f + off;
		uint32_t ihl = (uint32_t)(ip[0] & 0xf) * 4;
		uint32_t proto = ip[9];
		uint16_t frag = (uint16_t)((ip[6] & 0x3f) << 8 | ip[7]);
		uint16_t p1 = 0, p2 = 0;
		if ((proto == 6 || proto == 17 || proto == 132) && frag == 0 &&
		    len >= off + ihl + 4) {
			p1 = tr__rd16(ip + ihl);
			p2 = tr__rd16(ip + ihl + 2);
		}
		return tr__sym(tr__rd32(ip + 12), tr__rd32(ip + 16), p1, p2, proto);
	}
	if (et == 0x86dd && len >= off + 40) {
		const uint8_t *ip = f + off;
		uint32_t proto = ip[6];
		uint16_t p1 = 0, p2 = 0;
		if ((proto == 6 || proto == 17 || proto == 132) &&
		    len >= off + 44) {
			p1 = tr__rd16(ip + 40);
			p2 = tr__rd16(ip + 42);
		}
		return tr__sym(tr__fold128(ip + 8), tr__fold128(ip + 24), p1, p2, proto);
	}
	/* Not IP: the MAC pair (dst 0..5, src 6..11). */
	return tr__sym(tr__rd32(f) ^ tr__rd16(f + 4), tr__rd32(f + 6) ^ tr__rd16(f + 10), 0, 0, et);
}


/*
 * Fill table[TR_SHM_BUCKETS] with sinks: lcores[m] is how many lcores of
 * member m take flows (0: none). Each bucket goes to the sink with the
 * highest score(bucket, sink) (rendezvous hashing), so removing a member
 * moves only its buckets, adding one takes about its share of every
 * other's, and a member's buckets spread evenly over its lcores. No sink
 * at all maps every bucket to TR_SINK(0, 0): the primary handles flows
 * itself.
 */
void tr_table_build(uint8_t *table, const uint8_t lcores[TR_MAX_MEMBERS]);

#endif
