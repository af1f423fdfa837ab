/* SPDX-License-Identifier: BSD-3-Clause */
/* The bucket -> sink table of distribute mode (tr_flow.h). */
#include "tr_flow.h"

void tr_table_build(uint8_t *table, const uint8_t lcores[TR_MAX_MEMBERS])
{
	for (unsigned b = 0; b < TR_SHM_BUCKETS; b++) {
		uint32_t best = 0;
		uint8_t who = TR_SINK(0, 0);
		int found = 0;
		for (unsigned m = 0; m < TR_MAX_MEMBERS; m++) {
			for (unsigned j = 0; j < lcores[m] && j < 16; j++) {
				uint32_t s = tr__mix32((b + 1) * UINT32_C(0x9e3779b1) ^
						       tr__mix32((m + 1) * UINT32_C(0x85ebca77) ^
								 (j + 1) * UINT32_C(0x27d4eb2f)));
				if (!found || s > best) {
					found = 1;
					best = s;
					who = TR_SINK(m, j);
				}
			}
		}
		table[b] = who;
	}
}
