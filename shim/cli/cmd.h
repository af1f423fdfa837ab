/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The operator CLI's subcommands (`tenantrt <cmd> ...`), one file each.
 * Each takes argv after the subcommand name (argv[0] = the subcommand),
 * prints its own output and returns the process exit status (sysexits).
 */
#ifndef TR_CLI_CMD_H
#define TR_CLI_CMD_H

int tr_cmd_validate(int argc, char **argv); /* cmd_validate.c */
int tr_cmd_plan(int argc, char **argv);     /* cmd_plan.c */
int tr_cmd_status(int argc, char **argv);   /* cmd_status.c */
int tr_cmd_reap(int argc, char **argv);     /* cmd_reap.c */


#endif
