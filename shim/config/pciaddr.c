/* SPDX-License-Identifier: BSD-3-Clause */
#include "config/pciaddr.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int hex_field(const char **p, size_t digits, unsigned *out)
{
	unsigned v = 0;
	for (size_t i = 0; i < digits; i++) {
		char c = (*p)[i];
		if (!isxdigit((unsigned char)c))
			return -1;
		v = v * 16 + (unsigned)(isdigit((unsigned char)c)
						? c - '0'
						: tolower((unsigned char)c) - 'a' + 10);
	}
	*p += digits;
	*out = v;
	return 0;
}

int tr_pci_addr_normalise(const char *s, char *out, size_t len)
{
	unsigned domain = 0, bus, dev, fn;
	const char *p = s;
	/* With a domain the first colon comes after four digits, without one
	 * after two. */
	const char *colon = strchr(s, ':');
	if (colon == NULL)
		return -1;
	if (colon - s == 4) {
		if (hex_field(&p, 4, &domain) < 0)
			return -1;
		p++;
	} else if (colon - s != 2) {
		return -1;
	}
	if (hex_field(&p, 2, &bus) < 0 || *p++ != ':' ||
	    hex_field(&p, 2, &dev) < 0 || *p++ != '.' ||
	    !(*p >= '0' && *p <= '7') || p[1] != '\0')
		return -1;
	fn = (unsigned)(*p - '0');
	if (dev > 0x1f)
		return -1;
	if (out && len > 0)
		snprintf(out, len, "%04x:%02x:%02x.%x", domain, bus, dev, fn);
	return 0;
}
