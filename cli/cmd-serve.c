/*
 * cmd-serve.c: `camp serve DIR`: the camp in the foreground, as an
 * operator runs it: the SSH listener, which forks a session per
 * connection and keeps the federation child running.
 *
 * This is where the two sides meet, so that neither names the other:
 * the listener (sshd/) supervises a table of children it knows only as
 * a name and an entry point, and the table is made here, with
 * federation/'s entry point in it.
 */
#include "cli/cli.h"

#include "federation/federation.h"
#include "sshd/sshd.h"

static int serve_run(int argc, char **argv);

const struct cli_entry cli_serve_entry = {
	"serve",
	"serve DIR",
	"run the camp in the foreground",
	serve_run,
};

/* The long-lived processes `camp serve` keeps running beside the SSH
 * listener (restarted if they die).  The federation child also answers
 * the sessions' remote lookups (lookup/lookup.h). */
static const struct sshd_child serve_children[] = {
	{"federation", federation_main},
	{NULL, NULL},
};

static int serve_run(int argc, char **argv)
{
	if (argc != 1)
		return cli_usage(&cli_serve_entry, "expected one camp folder");
	return sshd_serve(argv[0], serve_children);
}
