/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SR-IOV device plugin's PCIDEVICE_<RESOURCE>_INFO (device-info spec
 * JSON), next to the PCIDEVICE_<RESOURCE> list config/resolve.c expands:
 * each device's vfio group node must be in the container.
 */
#ifndef TR_HOST_DEVINFO_H
#define TR_HOST_DEVINFO_H

#include <stddef.h>

#include "common/error.h"
#include "config/model.h"

/*
 * The vfio group node ("dev-mount") of one device in a device-info JSON
 * ({"0000:3b:02.0":{"generic":{...},"vfio":{"dev-mount":"/dev/vfio/42",
 * ...}}}). Returns 1 and fills out when the device has one, 0 when the
 * device is listed without vfio (a netdevice VF), -1 when the device is
 * not in the JSON at all or the JSON is malformed around it.
 */
int tr_devinfo_dev_mount(const char *info_json, const char *bdf, char *out,
			 size_t out_len);

/*
 * For each of t's PCI NICs that came from PCIDEVICE_X (nic->from_env):
 * when PCIDEVICE_X_INFO is set, the device must be listed in it, and its
 * vfio group node (if any) must exist under root. EX_CONFIG otherwise.
 */
int tr_devinfo_check(const struct tr_config *cfg, const struct tr_tenant *t,
		     const char *root, char *const envp[], struct tr_error *err);

#endif
