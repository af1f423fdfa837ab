/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tenantrt-fwd's MAC rewrite, on a burst: destination := the frame's old
 * source (swap) or a fixed MAC, source := the output port's MAC; the
 * EtherType and what follows are kept. Two implementations with the same
 * result: one SSE shuffle + OR per frame (16 bytes loaded and stored once),
 * and a scalar one for CPUs without SSSE3 or frames shorter than 16 bytes.
 * fwd_rw_pick() chooses at run time. Only the mbuf's first line
 * (buf_addr, data_off, data_len, port) and the frame's first 16 bytes are
 * touched, and ->port only when the burst came from several ports.
 * rt_test_rewrite checks both against each other.
 */
#ifndef TR_FWD_REWRITE_H
#define TR_FWD_REWRITE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_prefetch.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define FWD_RW_SSE 1
#endif

#define FWD_RW_PORTS 8
/* Set as the output of an RX port without a pair: dropped. */
#define FWD_RW_DROP UINT16_MAX
/* Frames fetched ahead of the one rewritten. */
#define FWD_RW_AHEAD 8

struct fwd_rw {
	/* out[p]: the output port of RX port p (FWD_RW_DROP: none) */
	uint16_t out[FWD_RW_PORTS];
	bool swap;
	uint8_t dst[6];
	uint8_t src[FWD_RW_PORTS][6];
	/* The SSE form: new header = shuffle(old, shuf) | or_[out]. shuf
	 * moves the old source into the destination (swap) or clears it, and
	 * clears the source; or_ brings the port's MAC (and the fixed
	 * destination). */
	uint8_t shuf[16] __attribute__((aligned(16)));
	uint8_t or_[FWD_RW_PORTS][16] __attribute__((aligned(16)));
};

static inline void fwd_rw_init(struct fwd_rw *rw, bool swap, const uint8_t dst[6],
			       const uint8_t src[][6], const uint16_t *out,
			       unsigned n_ports)
{
	memset(rw, 0, sizeof(*rw));
	rw->swap = swap;
	if (!swap)
		memcpy(rw->dst, dst, 6);
	for (unsigned i = 0; i < 16; i++)
		rw->shuf[i] = 0x80; /* pshufb: a set top bit gives 0 */
	for (unsigned i = 0; i < 6 && swap; i++)
		rw->shuf[i] = (uint8_t)(6 + i);
	for (unsigned i = 12; i < 16; i++)
		rw->shuf[i] = (uint8_t)i;
	for (unsigned p = 0; p < FWD_RW_PORTS; p++) {
		rw->out[p] = p < n_ports ? out[p] : FWD_RW_DROP;
		if (p >= n_ports)
			continue;
		memcpy(rw->src[p], src[p], 6);
		memcpy(&rw->or_[p][6], src[p], 6);
		if (!swap)
			memcpy(&rw->or_[p][0], dst, 6);
	}
}

static inline uint8_t *fwd_rw_hdr(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod(m, uint8_t *);
}

static inline void fwd_rw_one_scalar(const struct fwd_rw *rw, uint8_t *h,
				     uint16_t out)
{
	if (rw->swap)
		memcpy(h, h + 6, 6);
	else
		memcpy(h, rw->dst, 6);
	memcpy(h + 6, rw->src[out], 6);
}

/*
 * After a burst was rewritten for out0 (the pair of its first frame's RX
 * port) and some frame came from another port: each frame gets its own
 * output port in ->port, and those whose port differs from out0 their
 * source MAC (the destination does not depend on the port). A burst whose
 * first port has no pair is rewritten here frame by frame (full is set).
 */
static inline void fwd_rw_fixup(const struct fwd_rw *rw, struct rte_mbuf **pkts,
				uint16_t n, uint16_t out0, bool full)
{
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint16_t out = rw->out[m->port & (FWD_RW_PORTS - 1)];
		if (out != FWD_RW_DROP) {
			if (full)
				fwd_rw_one_scalar(rw, fwd_rw_hdr(m), out);
			else if (out != out0)
				memcpy(fwd_rw_hdr(m) + 6, rw->src[out], 6);
		}
		m->port = out;
	}
}

/*
 * Rewrite a burst (n >= 1) whose frames came from RX port rx, or, rx being
 * FWD_RW_MIXED, from ports only their mbufs tell. @return the output port
 * when every frame came from one RX port, whose pair it is (no mbuf field
 * written); else FWD_RW_DROP, each frame's output port written to its
 * ->port (FWD_RW_DROP for a port without a pair: the frame is dropped, and
 * may have been rewritten all the same).
 */
#define FWD_RW_MIXED (UINT16_MAX - 1)

static inline __attribute__((always_inline)) uint16_t
fwd_rw_scalar(const struct fwd_rw *rw, struct rte_mbuf **pkts, uint16_t n,
	      uint16_t rx)
{
	bool scan = rx == FWD_RW_MIXED;
	uint16_t p0 = scan ? pkts[0]->port : rx, d = 0;
	uint16_t out0 = rw->out[p0 & (FWD_RW_PORTS - 1)];

	if (unlikely(out0 == FWD_RW_DROP)) {
		fwd_rw_fixup(rw, pkts, n, out0, true);
		return FWD_RW_DROP;
	}
	for (uint16_t i = 0; i < n && i < FWD_RW_AHEAD; i++)
		rte_prefetch0(fwd_rw_hdr(pkts[i]));
	for (uint16_t i = 0; i < n; i++) {
		if (i + FWD_RW_AHEAD < n)
			rte_prefetch0(fwd_rw_hdr(pkts[i + FWD_RW_AHEAD]));
		if (scan)
			d |= pkts[i]->port ^ p0;
		fwd_rw_one_scalar(rw, fwd_rw_hdr(pkts[i]), out0);
	}
	if (likely(d == 0))
		return out0;
	fwd_rw_fixup(rw, pkts, n, out0, false);
	return FWD_RW_DROP;
}

#ifdef FWD_RW_SSE
__attribute__((target("ssse3"))) static inline __m128i
fwd_rw_v(__m128i v, __m128i s, __m128i o)
{
	return _mm_or_si128(_mm_shuffle_epi8(v, s), o);
}

/* The same, 16 bytes at a time, four frames at once (four independent
 * load-shuffle-store chains), the next four fetched meanwhile. A 16-byte
 * access needs 16 bytes of frame: a group with a shorter one goes
 * scalar. With rx known, the mbufs' ports are not read. */
__attribute__((target("ssse3"), always_inline)) static inline uint16_t
fwd_rw_sse(const struct fwd_rw *rw, struct rte_mbuf **pkts, uint16_t n,
	   uint16_t rx)
{
	bool scan = rx == FWD_RW_MIXED;
	uint16_t p0 = scan ? pkts[0]->port : rx, d = 0, i = 0;
	uint16_t out0 = rw->out[p0 & (FWD_RW_PORTS - 1)];
	__m128i s, o;

	if (unlikely(out0 == FWD_RW_DROP)) {
		fwd_rw_fixup(rw, pkts, n, out0, true);
		return FWD_RW_DROP;
	}
	s = _mm_load_si128((const __m128i *)rw->shuf);
	o = _mm_load_si128((const __m128i *)rw->or_[out0]);
	for (uint16_t k = 0; k < n && k < 4; k++)
		rte_prefetch0(fwd_rw_hdr(pkts[k]));
	for (; i + 4 <= n; i += 4) {
		struct rte_mbuf *m0 = pkts[i], *m1 = pkts[i + 1];
		struct rte_mbuf *m2 = pkts[i + 2], *m3 = pkts[i + 3];
		if (i + 8 <= n) {
			rte_prefetch0(fwd_rw_hdr(pkts[i + 4]));
			rte_prefetch0(fwd_rw_hdr(pkts[i + 5]));
			rte_prefetch0(fwd_rw_hdr(pkts[i + 6]));
			rte_prefetch0(fwd_rw_hdr(pkts[i + 7]));
		} else {
			for (uint16_t k = i + 4; k < n; k++)
				rte_prefetch0(fwd_rw_hdr(pkts[k]));
		}
		if (scan)
			d |= (m0->port ^ p0) | (m1->port ^ p0) | (m2->port ^ p0) |
			     (m3->port ^ p0);
		if (unlikely(m0->data_len < 16 || m1->data_len < 16 ||
			     m2->data_len < 16 || m3->data_len < 16)) {
			for (uint16_t k = i; k < i + 4; k++)
				fwd_rw_one_scalar(rw, fwd_rw_hdr(pkts[k]), out0);
			continue;
		}
		uint8_t *h0 = fwd_rw_hdr(m0), *h1 = fwd_rw_hdr(m1);
		uint8_t *h2 = fwd_rw_hdr(m2), *h3 = fwd_rw_hdr(m3);
		__m128i v0 = _mm_loadu_si128((const __m128i *)h0);
		__m128i v1 = _mm_loadu_si128((const __m128i *)h1);
		__m128i v2 = _mm_loadu_si128((const __m128i *)h2);
		__m128i v3 = _mm_loadu_si128((const __m128i *)h3);
		_mm_storeu_si128((__m128i *)h0, fwd_rw_v(v0, s, o));
		_mm_storeu_si128((__m128i *)h1, fwd_rw_v(v1, s, o));
		_mm_storeu_si128((__m128i *)h2, fwd_rw_v(v2, s, o));
		_mm_storeu_si128((__m128i *)h3, fwd_rw_v(v3, s, o));
	}
	for (; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint8_t *h = fwd_rw_hdr(m);
		if (scan)
			d |= m->port ^ p0;
		if (unlikely(m->data_len < 16)) {
			fwd_rw_one_scalar(rw, h, out0);
			continue;
		}
		_mm_storeu_si128((__m128i *)h,
				 fwd_rw_v(_mm_loadu_si128((const __m128i *)h), s, o));
	}
	if (likely(d == 0))
		return out0;
	fwd_rw_fixup(rw, pkts, n, out0, false);
	return FWD_RW_DROP;
}
#endif

/* One implementation, called through a pointer (--rewrite). */
struct fwd_rw_impl {
	const char *name;
	uint16_t (*burst)(const struct fwd_rw *rw, struct rte_mbuf **pkts,
			  uint16_t n, uint16_t rx);
};

static uint16_t fwd_rw_scalar_fn(const struct fwd_rw *rw, struct rte_mbuf **pkts,
				 uint16_t n, uint16_t rx)
{
	return fwd_rw_scalar(rw, pkts, n, rx);
}

static const struct fwd_rw_impl fwd_rw_scalar_impl = {"scalar", fwd_rw_scalar_fn};

#ifdef FWD_RW_SSE
__attribute__((target("ssse3"))) static uint16_t
fwd_rw_sse_fn(const struct fwd_rw *rw, struct rte_mbuf **pkts, uint16_t n,
	      uint16_t rx)
{
	return fwd_rw_sse(rw, pkts, n, rx);
}

static const struct fwd_rw_impl fwd_rw_sse_impl = {"sse", fwd_rw_sse_fn};
#endif

/* SSE when the CPU has SSSE3, unless want is "scalar". */
static inline const struct fwd_rw_impl *fwd_rw_pick(const char *want)
{
#ifdef FWD_RW_SSE
	if ((want == NULL || strcmp(want, "scalar") != 0) &&
	    __builtin_cpu_supports("ssse3"))
		return &fwd_rw_sse_impl;
#endif
	(void)want;
	return &fwd_rw_scalar_impl;
}

#endif
