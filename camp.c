/*
 * camp.c: main() and the table of `camp` subcommands an operator runs.
 *
 * argv[1] is looked up in the table; each command lives in a file of its
 * own in cli/ and parses its own flags with opts_parse().  Usage errors
 * exit 2 with the usage on stderr; any other failure exits 1 with one
 * line on stderr.  Only version and help, which are about the binary
 * itself, are written here.
 */
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

static int version_run(int argc, char **argv);
static int help_run(int argc, char **argv);

static const struct cli_entry version_entry = {
	"version",
	"version",
	"print the version",
	version_run,
};

static const struct cli_entry help_entry = {
	"help",
	"help",
	"show this help",
	help_run,
};

/* Every subcommand, in the order `camp help` lists them. */
static const struct cli_entry *const commands[] = {
	&cli_init_entry,       &cli_serve_entry,  &cli_invite_entry, &cli_backup_entry,
	&cli_restore_entry,    &cli_status_entry, &cli_doctor_entry, &cli_ui_entry,
	&cli_federation_entry, &version_entry,	  &help_entry,	     NULL,
};

static int version_run(int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return cli_usage(&version_entry, "takes no arguments");
	printf("camp %s\n", CAMP_VERSION);
	return 0;
}

static void print_usage(FILE *f)
{
	fprintf(f, "usage: camp COMMAND [ARGS]\n\n");
	for (const struct cli_entry *const *c = commands; *c; c++)
		fprintf(f, "  camp %s\n      %s\n", (*c)->usage, (*c)->summary);
}

static int help_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("camp %s: a social network server for one small community.\n\n",
	       CAMP_VERSION);
	print_usage(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	log_set_role("camp");
	umask(077); /* keys, the database and the config are the camp's alone */
	if (argc < 2) {
		print_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	for (const struct cli_entry *const *c = commands; *c; c++)
		if (strcmp((*c)->name, argv[1]) == 0)
			return (*c)->run(argc - 2, argv + 2);
	fprintf(stderr, "camp: unknown command '%s'\n", argv[1]);
	print_usage(stderr);
	return CLI_EXIT_USAGE;
}
