/*
 * cmd-backup.c: `camp backup DIR FILE`: a consistent copy of the
 * database, made with SQLite's online backup while the camp serves.
 */
#include "cli/cli.h"

#include "store/store.h"

static int backup_run(int argc, char **argv);

const struct cli_entry cli_backup_entry = {
	"backup",
	"backup DIR FILE",
	"copy the database safely while serving",
	backup_run,
};

static int backup_run(int argc, char **argv)
{
	struct config cfg;
	struct store *st;
	int r;

	if (argc != 2)
		return cli_usage(&cli_backup_entry,
				 "expected a camp folder and a file name");
	if (camp_dir_open(argv[0], &cfg, &st) != 0)
		return cli_fail();
	r = store_backup(st, argv[1]);
	store_close(st);
	config_free(&cfg);
	if (r != 0)
		return cli_fail();
	printf("Backed up %s/camp.db to %s\n", argv[0], argv[1]);
	return 0;
}
