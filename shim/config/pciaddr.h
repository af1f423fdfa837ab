/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PCI addresses as tenants.yaml and the device plugin write them. A leaf:
 * the parser uses it to tell a PCI NIC from a vdev, the resolver to give
 * every address one spelling, and neither has to include the other.
 */
#ifndef TR_CONFIG_PCIADDR_H
#define TR_CONFIG_PCIADDR_H

#include <stddef.h>

/* "dddd:bb:dd.f" and its NUL. */
#define TR_PCI_ADDR_LEN 13

/*
 * Is s a PCI address, "dddd:bb:dd.f" or "bb:dd.f" (hex, any case, device
 * 00-1f, function 0-7)? 0 with its canonical lowercase domain form in out
 * (when out is not NULL), else -1 and out untouched.
 */
int tr_pci_addr_normalise(const char *s, char *out, size_t len);

#endif
