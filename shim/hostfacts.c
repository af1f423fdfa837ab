/* SPDX-License-Identifier: BSD-3-Clause */
/* STUB: replaced by the host probe. */
#include "hostfacts.h"
#include <string.h>
int tr_host_facts_probe(struct tr_host_facts *facts, struct tr_error *err)
{
	(void)err;
	memset(facts, 0, sizeof(*facts));
	return 0;
}
