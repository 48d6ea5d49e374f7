/*
 * cmd-serve.c: `camp serve DIR`: the camp in the foreground, as an
 * operator runs it: the SSH listener, which forks a session per
 * connection and keeps the federation child running.
 *
 * This is where the two sides meet, so that neither names the other:
 * the listener (sshd/) supervises a table of children it knows only as
 * a name and an entry point, and the table is made here, with
 * federation/'s entry point in it, and the scheduled backup's.
 */
#include "cli/cli.h"

#include <signal.h>
#include <stdlib.h>

#include "federation/federation.h"
#include "sshd/sshd.h"

static int serve_run(int argc, char **argv);

const struct cli_entry cli_serve_entry = {
	"serve",
	"serve DIR",
	"run the camp in the foreground",
	serve_run,
};

/* The scheduled backup, a job the listener forks when it is due: one
 * checked copy into DIR/backups, then the oldest beyond backup_keep go.
 * It reads the settings afresh, so a SIGHUP'd change applies. */
static int backup_job_main(const char *dir)
{
	struct config cfg;
	struct store *st;
	char *path = NULL;
	int r;

	signal(SIGHUP, SIG_IGN); /* a reload is for the long-lived children */
	if ((r = camp_dir_open(dir, &cfg, &st)) == 0) {
		r = backup_scheduled(st, dir, cfg.backup_keep, &path);
		store_close(st);
		config_free(&cfg);
	}
	if (r == 0)
		log_info("backed up the database to %s (checked)", path);
	else
		log_error("the scheduled backup failed: %s", err_last());
	free(path);
	return r ? 1 : 0;
}

static long backup_job_due(const char *dir, const struct config *cfg, int64_t running_s)
{
	return backup_due_in(dir, cfg->backup_every, running_s);
}

/* The processes `camp serve` runs beside the SSH listener: the
 * long-lived ones (restarted if they die) and the jobs it runs when they
 * are due.  The federation child also answers the sessions' remote
 * lookups (lookup/lookup.h). */
static const struct sshd_child serve_children[] = {
	{"federation", federation_main, NULL},
	{"backup", backup_job_main, backup_job_due},
	{NULL, NULL, NULL},
};

static int serve_run(int argc, char **argv)
{
	if (argc != 1)
		return cli_usage(&cli_serve_entry, "expected one camp folder");
	return sshd_serve(argv[0], serve_children);
}
