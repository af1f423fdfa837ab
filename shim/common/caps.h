/* SPDX-License-Identifier: BSD-3-Clause */
/* Capability names, as libcap spells them, for plans, status and tests. */
#ifndef TR_COMMON_CAPS_H
#define TR_COMMON_CAPS_H

#include <stddef.h>
#include <stdint.h>

/* Names of mask (bit n = capability n), "cap_net_admin,cap_net_raw";
 * "none" for 0. */
void tr_caps_format(uint64_t mask, char *buf, size_t len);

/* The same as the kernel's headers spell them: "CAP_NET_ADMIN CAP_NET_RAW"
 * (space-separated; "none" for 0), for plans. */
void tr_caps_format_upper(uint64_t mask, char *buf, size_t len);

#endif
