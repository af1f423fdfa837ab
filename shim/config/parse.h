/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage 1, parse: tenants.yaml -> struct tr_config, through libyaml and
 * handler tables ({key, node type, handler, offsetof} per mapping).
 * Collects every problem it can into diags (unknown keys with "did you
 * mean", wrong types, malformed values) and goes on parsing.
 *
 * Bounded input: files over TR_CONFIG_MAX_BYTES, YAML aliases/anchors,
 * nesting deeper than TR_CONFIG_MAX_DEPTH are refused.
 */
#ifndef TR_CONFIG_PARSE_H
#define TR_CONFIG_PARSE_H

#include <stddef.h>

#include "config/diag.h"
#include "common/error.h"
#include "config/model.h"

#define TR_CONFIG_MAX_BYTES (1024 * 1024)
#define TR_CONFIG_MAX_DEPTH 16

/*
 * Parse buf (len bytes) named file into cfg (zeroed and defaulted first).
 * Returns 0 when no error diagnostic was added, else -1. cfg is always
 * safe to pass to tr_config_free afterwards.
 */
int tr_config_parse_buffer(struct tr_config *cfg, const char *file,
			   const char *buf, size_t len, struct tr_diags *diags);

/*
 * Read and parse a file. -1 with err (EX_NOINPUT, EX_DATAERR) when the file
 * cannot be read or is too big; parse problems go to diags (return -1).
 */
int tr_config_load(struct tr_config *cfg, const char *path,
		   struct tr_diags *diags, struct tr_error *err);

/* Where the config comes from when --config is not given:
 * $TENANTRT_CONFIG, else /etc/tenantrt/tenants.yaml. */
const char *tr_default_config_path(void);

#endif
