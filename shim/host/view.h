/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The member's view of the host, as this shim can make it: a mount
 * namespace of its own when the shim holds CAP_SYS_ADMIN (a host, a
 * privileged container), else the container's own namespaces, of which
 * plan and status report which host paths stay read-only (TR_RO_*).
 * Filled into the container facts, an input of the plan.
 */
#ifndef TR_HOST_VIEW_H
#define TR_HOST_VIEW_H

#include "config/model.h"

void tr_view_probe(struct tr_container_facts *c);

#endif
