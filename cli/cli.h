/*
 * cli.h: the `camp` subcommands an operator runs on the server's own
 * shell (init, serve, invite, backup, restore, status, doctor, ui,
 * federation), one file
 * each, tmux-style: a command is an entry (name, usage, summary, run)
 * that camp.c lists in its table.
 *
 * cli/ is the top of the house: it may call every room below (sshd/,
 * tui/, federation/, store/, common/), and nothing calls it but main().
 * It is also where the rooms are wired together: `camp serve` hands the
 * listener the federation child's entry point, so sshd/ never names
 * federation/.  Exit statuses: 0 on success, 2 for a usage error (the
 * usage on stderr), 1 for anything else (one line on stderr).
 */
#ifndef CAMP_CLI_H
#define CAMP_CLI_H

#include <stdio.h>

#include "common/common.h"

#define CLI_EXIT_USAGE 2

/* One subcommand: `camp NAME ARGS`; run() gets the words after NAME and
 * returns the exit status. */
struct cli_entry {
	const char *name;
	const char *usage; /* the whole usage, after "camp " */
	const char *summary;
	int (*run)(int argc, char **argv);
};

/* The operator's commands, one file each (cli/cmd-NAME.c). */
extern const struct cli_entry cli_init_entry;
extern const struct cli_entry cli_serve_entry;
extern const struct cli_entry cli_invite_entry;
extern const struct cli_entry cli_backup_entry;
extern const struct cli_entry cli_restore_entry;
extern const struct cli_entry cli_doctor_entry;
extern const struct cli_entry cli_status_entry;
extern const struct cli_entry cli_ui_entry;
extern const struct cli_entry cli_federation_entry;

/* ---- cli.c: what the commands share ------------------------------------ */

/* Prints "camp NAME: why" and the usage of e on stderr; returns
 * CLI_EXIT_USAGE. */
int cli_usage(const struct cli_entry *e, const char *why);
/* Prints "camp: " and err_last() on stderr; returns the exit status 1. */
int cli_fail(void);
/* Prints an invite with the ssh commands that use it; the code is the
 * last line, for scripts. */
void cli_print_invite(const struct config *cfg, const char *code, int admin);

#endif
