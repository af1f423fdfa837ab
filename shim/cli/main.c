/* SPDX-License-Identifier: BSD-3-Clause */
/* tenantrt: the operator CLI. A table of subcommands; each lives in cmd_*.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli/cmd.h"
#include "common/exits.h"

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

static const struct subcommand subcommands[] = {
	{ "validate", tr_cmd_validate, "check a tenants.yaml, every problem as FILE:LINE:COL" },
	{ "plan", tr_cmd_plan, "the exact argv, env and isolation a tenant process gets" },
	{ "status", tr_cmd_status, "running tenants: members, lcores, hugepages, NICs" },
	{ "reap", tr_cmd_reap, "reclaim what dead tenants left (hugepages, leases, dirs)" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: tenantrt <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(out, "  %-9s %s\n", subcommands[i].name, subcommands[i].help);
	fprintf(out, "\n'tenantrt <command> --help' for its options.\n");
	if (out == stdout)
		tr_exits_print(out);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "tenantrt: unknown command \"%s\"; try 'tenantrt --help'\n",
		argv[1]);
	return EX_USAGE;
}
