/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How distribute mode spreads flows: the symmetric flow hash of a frame and
 * the bucket -> member table. No DPDK state and no syscalls, so the unit
 * tests (rt_test_datapath) cover them directly.
 */
#ifndef TR_FLOW_H
#define TR_FLOW_H

#include <stdint.h>

#include "tr_shm.h"

/*
 * Hash of a frame's flow, the same for both directions: the addresses and
 * the ports are put in order before mixing. Ethernet (one VLAN tag
 * skipped), IPv4 and IPv6 with TCP/UDP/SCTP ports (not for IPv4 fragments),
 * other IP protocols by addresses, non-IP frames by their MAC pair.
 * len is the frame's first segment length; a short frame hashes what it has.
 */
uint32_t tr_flow_hash(const uint8_t *frame, uint32_t len);

/*
 * Fill table[TR_SHM_BUCKETS] with members from active (bit i: member i may
 * take flows), by rendezvous hashing: each bucket goes to the member with
 * the highest score(bucket, member). Removing a member moves only its
 * buckets; adding one takes about 1/n of every other's. An empty set maps
 * every bucket to member 0 (the primary handles flows itself).
 */
void tr_table_build(uint8_t *table, uint32_t active);

#endif
