/*
 * cmd-restore.c: `camp restore DIR FILE`: puts a backup back in place of
 * the camp's database.
 *
 * It refuses while `camp serve` runs on DIR (the serve lock), checks the
 * file first (integrity, a camp's database, a schema this camp knows),
 * and keeps the database it replaces beside it, so a restore never
 * destroys anything.  It holds the serve lock while it works, so the
 * camp cannot start half-way through.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "store/store.h"

static int restore_run(int argc, char **argv);

const struct cli_entry cli_restore_entry = {
	"restore",
	"restore DIR FILE",
	"put a backup back in place of the database (with the camp stopped)",
	restore_run,
};

/* Refuses a folder that is no camp, or a camp being served; otherwise
 * takes the serve lock for this process. */
static int restore_lock(const char *dir)
{
	char *conf = xasprintf("%s/camp.conf", dir);
	struct stat sb;
	struct run_info run;
	int r = stat(conf, &sb);

	free(conf);
	if (r != 0)
		return err_set(CAMP_ENOENT, "%s is not a camp (no camp.conf)", dir);
	run_lock_probe(dir, &run);
	if (run.running || run_lock_take(dir) != 0)
		return err_set(CAMP_EPERM,
			       "camp serve is running on %s (pid %ld); stop it first, "
			       "then restore",
			       dir, run.pid);
	return 0;
}

static int restore_run(int argc, char **argv)
{
	char *kept = NULL;
	int schema;

	if (argc != 2)
		return cli_usage(&cli_restore_entry, "expected a camp folder and a file");
	if (restore_lock(argv[0]) != 0 || store_restore(argv[0], argv[1], &kept) != 0 ||
	    backup_verify(argv[1], &schema) != 0)
		return cli_fail();
	printf("Restored %s/camp.db from %s (schema version %d).\n", argv[0], argv[1],
	       schema);
	if (kept)
		printf("The database it replaced is kept as %s.\n", kept);
	if (schema < store_schema_latest())
		printf("It is from an older camp: camp serve will copy and migrate "
		       "it.\n");
	printf("Start the camp with:  camp serve %s\n", argv[0]);
	free(kept);
	return 0;
}
