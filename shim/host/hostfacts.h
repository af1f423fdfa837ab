/* SPDX-License-Identifier: BSD-3-Clause */
/* The host's facts for validation and planning: online cpus (sysfs), NUMA
 * nodes (libnuma), hugepage pools (sysfs), RTE_MAX_LCORE. */
#ifndef TR_HOST_HOSTFACTS_H
#define TR_HOST_HOSTFACTS_H

#include "common/error.h"
#include "config/model.h"

int tr_host_facts_probe(struct tr_host_facts *facts, struct tr_error *err);

#endif
