/* SPDX-License-Identifier: BSD-3-Clause */
/* The symmetric flow hash and the bucket -> member table (tr_flow.h). */
#include <string.h>

#include "tr_flow.h"

/* A 32-bit finaliser (murmur3's): good avalanche, a few cycles. */
static inline uint32_t mix32(uint32_t h)
{
	h ^= h >> 16;
	h *= UINT32_C(0x85ebca6b);
	h ^= h >> 13;
	h *= UINT32_C(0xc2b2ae35);
	h ^= h >> 16;
	return h;
}

static inline uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint16_t rd16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* Order-independent combination of two endpoints (address, port). */
static inline uint32_t sym(uint32_t a1, uint32_t a2, uint16_t p1, uint16_t p2,
			   uint32_t proto)
{
	uint32_t lo = a1 < a2 ? a1 : a2, hi = a1 < a2 ? a2 : a1;
	uint32_t plo = p1 < p2 ? p1 : p2, phi = p1 < p2 ? p2 : p1;
	return mix32(lo * UINT32_C(0x9e3779b1) ^ mix32(hi ^ proto) ^
		     ((plo << 16) | phi) * UINT32_C(0x27d4eb2f));
}

static inline uint32_t fold128(const uint8_t *a)
{
	return rd32(a) ^ rd32(a + 4) ^ rd32(a + 8) ^ rd32(a + 12);
}

uint32_t tr_flow_hash(const uint8_t *f, uint32_t len)
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
			p1 = rd16(ip + ihl);
			p2 = rd16(ip + ihl + 2);
		}
		return sym(rd32(ip + 12), rd32(ip + 16), p1, p2, proto);
	}
	if (et == 0x86dd && len >= off + 40) {
		const uint8_t *ip = f + off;
		uint32_t proto = ip[6];
		uint16_t p1 = 0, p2 = 0;
		if ((proto == 6 || proto == 17 || proto == 132) &&
		    len >= off + 44) {
			p1 = rd16(ip + 40);
			p2 = rd16(ip + 42);
		}
		return sym(fold128(ip + 8), fold128(ip + 24), p1, p2, proto);
	}
	/* Not IP: the MAC pair (dst 0..5, src 6..11). */
	return sym(rd32(f) ^ rd16(f + 4), rd32(f + 6) ^ rd16(f + 10), 0, 0, et);
}

void tr_table_build(uint8_t *table, uint32_t active)
{
	for (unsigned b = 0; b < TR_SHM_BUCKETS; b++) {
		uint32_t best = 0;
		uint8_t who = 0;
		int found = 0;
		for (unsigned m = 0; m < TR_MAX_MEMBERS; m++) {
			if (!(active & (UINT32_C(1) << m)))
				continue;
			uint32_t s = mix32((b + 1) * UINT32_C(0x9e3779b1) ^
					   mix32((m + 1) * UINT32_C(0x85ebca77)));
			if (!found || s > best) {
				found = 1;
				best = s;
				who = (uint8_t)m;
			}
		}
		table[b] = who;
	}
}
