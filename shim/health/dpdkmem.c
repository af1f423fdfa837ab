/* SPDX-License-Identifier: BSD-3-Clause */
/* A group's shared memory read through its files (health/dpdkmem.h). */
#include "health/dpdkmem.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/dpdkfs.h"
#include "health/eallocks.h"

#define MEMSEGS_OFF 136
#define MSL_SIZE 136
#define MSL_NAME_OFF 40        /* the fbarray's name inside the list */
#define MAX_SEGS_PER_LIST 8192 /* RTE_MAX_MEMSEG_PER_LIST */
#define CONFIG_MAX (4u << 20)

static uint64_t u64_at(const unsigned char *b, size_t off)
{
	uint64_t v;
	memcpy(&v, b + off, sizeof(v));
	return v;
}

bool tr_dpdk_mem_parse(const unsigned char *cfg, size_t len, const char *huge_dir,
		       const char *prefix, struct tr_dpdk_mem *m)
{
	memset(m, 0, sizeof(*m));
	struct tr_eal_locks version;
	tr_eal_locks_parse(cfg, len, &version);
	if (!version.readable)
		return false;
	snprintf(m->huge_dir, sizeof(m->huge_dir), "%s", huge_dir);
	snprintf(m->prefix, sizeof(m->prefix), "%s", prefix);
	for (unsigned i = 0; i < TR_DPDK_MEM_LISTS; i++) {
		size_t off = MEMSEGS_OFF + (size_t)i * MSL_SIZE;
		if (off + MSL_SIZE > len)
			break;
		const char *name = (const char *)cfg + off + MSL_NAME_OFF;
		if (strncmp(name, "memseg-", 7) != 0)
			continue;   /* an unused list has no name */
		uint64_t base = u64_at(cfg, off), psz = u64_at(cfg, off + 8),
			 mlen = u64_at(cfg, off + 24);
		if (psz == 0 || (psz & (psz - 1)) || base == 0)
			continue;
		m->lists[m->n_lists].idx = i;
		m->lists[m->n_lists].base = base;
		m->lists[m->n_lists].page_sz = psz;
		m->lists[m->n_lists].len = mlen;
		m->n_lists++;
	}
	/* struct rte_tailq_head: TAILQ_HEAD {first, last}, then its name. */
	static const char ring_head[] = "RTE_RING";
	for (size_t off = 16; off + sizeof(ring_head) <= len; off++) {
		if (memcmp(cfg + off, ring_head, sizeof(ring_head)) != 0)
			continue;
		m->rings_first = u64_at(cfg, off - 16);
		m->has_rings = true;
		break;
	}
	return m->n_lists > 0;
}

bool tr_dpdk_mem_read(const struct tr_dpdk_mem *m, uint64_t va, void *buf, size_t len)
{
	for (unsigned i = 0; i < m->n_lists; i++) {
		uint64_t base = m->lists[i].base, psz = m->lists[i].page_sz;
		if (va < base || va - base >= m->lists[i].len)
			continue;
		uint64_t seg = (va - base) / psz, in = (va - base) % psz;
		if (in + len > psz || seg >= MAX_SEGS_PER_LIST)
			return false;   /* the probe never reads across a page */
		char path[4300];
		uint64_t n = (uint64_t)m->lists[i].idx * MAX_SEGS_PER_LIST + seg;
		snprintf(path, sizeof(path), "%s/%s" TR_DPDK_HUGEFILE_INFIX "%llu", m->huge_dir,
			 m->prefix, (unsigned long long)n);
		uint64_t at = in;
		_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		struct stat st;
		if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
				(uint64_t)st.st_size > psz)) {
			close(fd);
			fd = -1;
		}
		if (fd < 0) {
			/* --single-file-segments: one file per list. */
			snprintf(path, sizeof(path), "%s/%s" TR_DPDK_HUGEFILE_INFIX "%u", m->huge_dir,
				 m->prefix, m->lists[i].idx);
			fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
			if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
			    (uint64_t)st.st_size < (seg + 1) * psz)
				return false;
			at = seg * psz + in;
		}
		return pread(fd, buf, len, (off_t)at) == (ssize_t)len;
	}
	return false;
}

unsigned char *tr_dpdk_config_read(const char *dpdk_dir, size_t *len)
{
	char path[4200];
	*len = 0;
	snprintf(path, sizeof(path), "%s/" TR_DPDK_CONFIG, dpdk_dir);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0)
		return NULL;
	size_t want = (size_t)st.st_size < CONFIG_MAX ? (size_t)st.st_size : CONFIG_MAX;
	unsigned char *buf = malloc(want);
	if (buf == NULL)
		return NULL;
	ssize_t n = pread(fd, buf, want, 0);
	if (n <= 0) {
		free(buf);
		return NULL;
	}
	*len = (size_t)n;
	return buf;
}
