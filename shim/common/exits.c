/* SPDX-License-Identifier: BSD-3-Clause */
#include "common/exits.h"

const struct tr_exit_code tr_exit_codes[] = {
	{ 0, "OK", "done; for the shim: the app exited 0, or (a secondary) its primary stopped on purpose" },
	{ EX_USAGE, "EX_USAGE", "bad command line: unknown option or tenant, no app, a bad value" },
	{ EX_DATAERR, "EX_DATAERR", "tenants.yaml is invalid (every problem as FILE:LINE:COL)" },
	{ EX_NOINPUT, "EX_NOINPUT", "a file is missing: the config, the app, the ledger" },
	{ EX_UNAVAILABLE, "EX_UNAVAILABLE", "refused: a NIC, cpu, slot or quota is held, no primary; a secondary whose primary died (crashed, killed)" },
	{ EX_SOFTWARE, "EX_SOFTWARE", "an internal error in tenantrt" },
	{ EX_OSERR, "EX_OSERR", "the system refused (fork, pipe, cgroup, memory)" },
	{ EX_OSFILE, "EX_OSFILE", "a host file is unreadable or malformed (sysfs, /proc)" },
	{ EX_CANTCREAT, "EX_CANTCREAT", "cannot create a runtime dir, lease or record" },
	{ EX_IOERR, "EX_IOERR", "cannot write a lease or record" },
	{ EX_TEMPFAIL, "EX_TEMPFAIL", "a tenant could not be reclaimed now (busy mount); `tenantrt reap` later" },
	{ EX_NOPERM, "EX_NOPERM", "not permitted: not root, no CAP_SYS_ADMIN for a mount" },
	{ EX_CONFIG, "EX_CONFIG", "the config cannot run here: container limits, the app's own -c1, a seccomp profile, a dir the tenant's uid cannot reach" },
	{ TR_EXIT_STUCK, "-", "a stuck group (no progress): `status --check` found it, or the shim's watchdog stopped it" },
	{ 126, "-", "the app cannot be executed" },
	{ 127, "-", "the app is not found" },
	{ -1, "-", "any other: the app's own exit status; 128+N when signal N ended it" },
	{ 0, NULL, NULL },
};

void tr_exits_print(FILE *out)
{
	fprintf(out, "exit status:\n");
	for (const struct tr_exit_code *e = tr_exit_codes; e->name; e++) {
		if (e->code < 0)
			fprintf(out, "  %-4s %-15s %s\n", "*", "", e->what);
		else
			fprintf(out, "  %-4d %-15s %s\n", e->code,
				e->name[0] == '-' ? "" : e->name, e->what);
	}
}
