/*
 * cli.c: what the operator's commands share: how a usage error and a
 * failure are reported, and how an invite is printed (by init and
 * invite alike, its code on the last line for scripts).
 *
 * Reports go to stderr in one place so that every command fails the
 * same way: usage errors exit 2, everything else 1 with one line.
 */
#include "cli/cli.h"

int cli_usage(const struct cli_entry *e, const char *why)
{
	fprintf(stderr, "camp %s: %s\nusage: camp %s\n", e->name, why, e->usage);
	return CLI_EXIT_USAGE;
}

int cli_fail(void)
{
	fprintf(stderr, "camp: %s\n", err_last());
	return 1;
}

void cli_print_invite(const struct config *cfg, const char *code, int admin)
{
	struct buf join = BUF_INIT;

	config_ssh_command(cfg, "join", &join);
	printf("%s invite, single use.  To join, run:\n"
	       "  %s join %s YOURNAME\n"
	       "or, to be asked for everything step by step:\n"
	       "  %s\n"
	       "Invite code:\n%s\n",
	       admin ? "An admin" : "A member", buf_str(&join), code, buf_str(&join),
	       code);
	buf_free(&join);
}
