/* SPDX-License-Identifier: BSD-3-Clause */
/* STUB: replaced by the shim. */
#include <stdio.h>
#include <sysexits.h>
int main(void)
{
	fprintf(stderr, "tenantrt-shim: not written yet\n");
	return EX_SOFTWARE;
}
