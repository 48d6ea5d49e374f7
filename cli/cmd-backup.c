/*
 * cmd-backup.c: `camp backup DIR FILE`: a consistent copy of the
 * database, made with SQLite's online backup while the camp serves, then
 * checked (PRAGMA integrity_check) and recorded as the last good backup
 * that camp status shows.
 */
#include "cli/cli.h"

#include <limits.h>
#include <stdlib.h>

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
	char where[PATH_MAX];
	int r, schema;

	if (argc != 2)
		return cli_usage(&cli_backup_entry,
				 "expected a camp folder and a file name");
	if (camp_dir_open(argv[0], &cfg, &st) != 0)
		return cli_fail();
	if ((r = store_backup(st, argv[1])) == 0 &&
	    (r = backup_verify(argv[1], &schema)) == 0 &&
	    backup_record(st, realpath(argv[1], where) ? where : argv[1], now_s()) != 0)
		fprintf(stderr,
			"camp: the backup is good, but camp status will not show "
			"it: %s\n",
			err_last());
	store_close(st);
	config_free(&cfg);
	if (r != 0)
		return cli_fail();
	printf("Backed up %s/camp.db to %s (checked)\n", argv[0], argv[1]);
	return 0;
}
