/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tenantrt-fwd's MAC rewrite, on a burst: destination := the frame's old
 * source (swap) or a fixed MAC, source := the output port's MAC; the
 * EtherType and what follows are kept. Two implementations with the same
 * result: one SSE shuffle + OR per frame (16 bytes loaded and stored once),
 * and a scalar one for CPUs without SSSE3 or frames shorter than 16 bytes.
 * fwd_rw_pick() chooses at run time. Only the mbuf's first line
 * (buf_addr, data_off, data_len, port) and the frame's first 16 bytes are
 * touched. rt_test_rewrite checks both against each other.
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

/* Every frame to one port; the mbufs are not written. */
static inline void fwd_rw_scalar(const struct fwd_rw *rw, struct rte_mbuf **pkts,
				 uint16_t n, uint16_t out)
{
	for (uint16_t i = 0; i < n && i < FWD_RW_AHEAD; i++)
		rte_prefetch0(fwd_rw_hdr(pkts[i]));
	for (uint16_t i = 0; i < n; i++) {
		if (i + FWD_RW_AHEAD < n)
			rte_prefetch0(fwd_rw_hdr(pkts[i + FWD_RW_AHEAD]));
		fwd_rw_one_scalar(rw, fwd_rw_hdr(pkts[i]), out);
	}
}

/* Each frame to the pair of its RX port, written to its ->port (the
 * frames of a port without a pair are left as they are, to be dropped). */
static inline void fwd_rw_scalar_each(const struct fwd_rw *rw,
				      struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint16_t out = rw->out[m->port & (FWD_RW_PORTS - 1)];
		if (likely(out != FWD_RW_DROP))
			fwd_rw_one_scalar(rw, fwd_rw_hdr(m), out);
		m->port = out;
	}
}

#ifdef FWD_RW_SSE
__attribute__((target("ssse3"))) static inline void
fwd_rw_one_sse(const struct fwd_rw *rw, uint8_t *h, uint16_t out)
{
	__m128i v = _mm_loadu_si128((const __m128i *)h);
	__m128i s = _mm_load_si128((const __m128i *)rw->shuf);

	v = _mm_or_si128(_mm_shuffle_epi8(v, s),
			 _mm_load_si128((const __m128i *)rw->or_[out]));
	_mm_storeu_si128((__m128i *)h, v);
}

/* The 16-byte load needs 16 bytes of frame; shorter ones go scalar. */
__attribute__((target("ssse3"))) static inline void
fwd_rw_sse(const struct fwd_rw *rw, struct rte_mbuf **pkts, uint16_t n,
	   uint16_t out)
{
	__m128i s = _mm_load_si128((const __m128i *)rw->shuf);
	__m128i o = _mm_load_si128((const __m128i *)rw->or_[out]);

	for (uint16_t i = 0; i < n && i < FWD_RW_AHEAD; i++)
		rte_prefetch0(fwd_rw_hdr(pkts[i]));
	for (uint16_t i = 0; i < n; i++) {
		uint8_t *h = fwd_rw_hdr(pkts[i]);
		if (i + FWD_RW_AHEAD < n)
			rte_prefetch0(fwd_rw_hdr(pkts[i + FWD_RW_AHEAD]));
		if (unlikely(pkts[i]->data_len < 16)) {
			fwd_rw_one_scalar(rw, h, out);
			continue;
		}
		__m128i v = _mm_loadu_si128((const __m128i *)h);
		_mm_storeu_si128((__m128i *)h, _mm_or_si128(_mm_shuffle_epi8(v, s), o));
	}
}

__attribute__((target("ssse3"))) static inline void
fwd_rw_sse_each(const struct fwd_rw *rw, struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint16_t out = rw->out[m->port & (FWD_RW_PORTS - 1)];
		if (likely(out != FWD_RW_DROP)) {
			if (likely(m->data_len >= 16))
				fwd_rw_one_sse(rw, fwd_rw_hdr(m), out);
			else
				fwd_rw_one_scalar(rw, fwd_rw_hdr(m), out);
		}
		m->port = out;
	}
}
#endif

/* The two forms of one implementation. */
struct fwd_rw_impl {
	const char *name;
	void (*all)(const struct fwd_rw *rw, struct rte_mbuf **pkts, uint16_t n,
		    uint16_t out);
	void (*each)(const struct fwd_rw *rw, struct rte_mbuf **pkts, uint16_t n);
};

static void fwd_rw_scalar_fn(const struct fwd_rw *rw, struct rte_mbuf **pkts,
			     uint16_t n, uint16_t out)
{
	fwd_rw_scalar(rw, pkts, n, out);
}

static void fwd_rw_scalar_each_fn(const struct fwd_rw *rw,
				  struct rte_mbuf **pkts, uint16_t n)
{
	fwd_rw_scalar_each(rw, pkts, n);
}

static const struct fwd_rw_impl fwd_rw_scalar_impl = {
	"scalar", fwd_rw_scalar_fn, fwd_rw_scalar_each_fn,
};

#ifdef FWD_RW_SSE
__attribute__((target("ssse3"))) static void
fwd_rw_sse_fn(const struct fwd_rw *rw, struct rte_mbuf **pkts, uint16_t n,
	      uint16_t out)
{
	fwd_rw_sse(rw, pkts, n, out);
}

__attribute__((target("ssse3"))) static void
fwd_rw_sse_each_fn(const struct fwd_rw *rw, struct rte_mbuf **pkts, uint16_t n)
{
	fwd_rw_sse_each(rw, pkts, n);
}

static const struct fwd_rw_impl fwd_rw_sse_impl = {
	"sse", fwd_rw_sse_fn, fwd_rw_sse_each_fn,
};
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
