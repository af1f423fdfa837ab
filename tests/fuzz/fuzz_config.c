/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: arbitrary bytes through the whole front end a user's
 * tenants.yaml meets (parse, resolve, validate), with ASan and UBSan. The
 * loader must never crash, leak or read out of bounds on any input, and
 * must refuse every input it cannot read with at least one diagnostic.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/parse.h"
#include "config/diag.h"
#include "config/resolve.h"
#include "config/validate.h"

/* The host the unit tests check configs on (bad-input fixtures too). */
#include "../unit/host_facts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Static: struct tr_config is large, the fuzzer's stack is not. */
	static struct tr_config cfg;
	static struct tr_diags diags;
	static struct tr_host_facts facts;
	static char *const no_env[] = { NULL };
	tr_test_host(&facts);
	tr_diags_init(&diags, "fuzz.yaml");
	int rc = tr_config_parse_buffer(&cfg, "fuzz.yaml", (const char *)data,
					size, &diags);
	/* A refused input must say why. */
	if (rc < 0 && diags.n_errors == 0)
		abort();
	tr_config_resolve(&cfg, no_env, &diags);
	tr_config_validate(&cfg, &facts, &diags);
	char line[1400];
	for (unsigned i = 0; i < diags.n; i++) {
		tr_diag_format(&diags, i, line, sizeof(line));
		/* Every diagnostic is one line. */
		if (strchr(line, '\n') != NULL)
			abort();
	}
	tr_diags_free(&diags);
	tr_config_free(&cfg);
	return 0;
}
