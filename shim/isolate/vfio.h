/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The vfio group of each PCI NIC belongs to the tenant's uid while the
 * tenant runs: tenants are no longer root by default, and DPDK 22.11's
 * primary opens /dev/vfio/<group> O_RDWR (eal_vfio.c; secondaries get the
 * fd from it over the multi-process channel). /dev/vfio/vfio is 0666
 * already. Given at the primary's set-up, given back to root:root when the
 * tenant is reclaimed. The group comes from sysfs
 * (<sysfs>/bus/pci/devices/<BDF>/iommu_group -> .../iommu_groups/<N>); a
 * device without one, or without its node in /dev/vfio, is left alone
 * (issue 11's device checks refuse what is not bound to vfio-pci).
 *
 * sysfs and dev are "" in production, a made-up tree in tests.
 */
#ifndef TR_ISOLATE_VFIO_H
#define TR_ISOLATE_VFIO_H

#include <sys/types.h>

#include "common/error.h"

/* The group number of bdf, or -1. */
int tr_vfio_group_of(const char *sysfs, const char *bdf);

/* chown the vfio group of nic (a NIC identity; only a PCI address has
 * one) to uid:gid. 1 when given, 0 when there is none, -1 with err. */
int tr_vfio_give(const char *sysfs, const char *dev, const char *nic, uid_t uid,
		 gid_t gid, struct tr_error *err);

#endif
