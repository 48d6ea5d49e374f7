/*
 * backup.c: the camp's copies of itself: scheduled backups in
 * DIR/backups, checking a copy, the record of the last good one, and
 * restoring a copy in place of camp.db.
 *
 * A backup counts only once PRAGMA integrity_check has passed on the
 * copy itself, so "the last good backup" that camp status shows is one
 * that can be restored.  A restore never destroys: the database it
 * replaces is kept beside it.  The schedule is read from the backups
 * folder alone (backup_due_in), because the listener that keeps it must
 * never open the database.
 */
#include "store/store-private.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BACKUP_FIRST_S 60   /* the first backup of a camp, after the start */
#define RECORD_WAIT_MS 2000 /* how long recording a backup waits for writers */

static const char key_backup_at[] = "backup_last_at";
static const char key_backup_path[] = "backup_last_path";

/* 1 for the names scheduled backups have: camp-YYYYmmdd-HHMMSS.db. */
static int backup_name_ok(const char *name)
{
	static const char shape[] = "camp-########-######.db"; /* # a digit */

	if (strlen(name) != sizeof shape - 1)
		return 0;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == '#' ? name[i] < '0' || name[i] > '9'
				    : name[i] != shape[i])
			return 0;
	return 1;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The scheduled backups in DIR/backups, oldest first (their names sort
 * by time).  *names is caller-freed with each name. */
static void backup_list(const char *folder, char ***names, int *n)
{
	DIR *d = opendir(folder);
	struct dirent *e;

	*names = NULL;
	*n = 0;
	while (d && (e = readdir(d)) != NULL) {
		if (!backup_name_ok(e->d_name))
			continue;
		*names = xrealloc(*names, sizeof **names * (size_t)(*n + 1));
		(*names)[(*n)++] = xstrdup(e->d_name);
	}
	if (d)
		closedir(d);
	if (*n > 1)
		qsort(*names, (size_t)*n, sizeof **names, name_cmp);
}

static void names_free(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

long backup_due_in(const char *dir, long every, int64_t running_s)
{
	char *folder = xasprintf("%s/backups", dir), **names, *newest;
	struct stat sb;
	long due;
	int n;

	if (every <= 0) {
		free(folder);
		return -1;
	}
	backup_list(folder, &names, &n);
	newest = n ? xasprintf("%s/%s", folder, names[n - 1]) : NULL;
	if (newest && stat(newest, &sb) == 0)
		due = (long)(sb.st_mtime + every - now_s());
	else
		due = (long)((every < BACKUP_FIRST_S ? every : BACKUP_FIRST_S) -
			     running_s);
	names_free(names, n);
	free(newest);
	free(folder);
	return due < 0 ? 0 : due;
}

/* Checks an open copy: integrity, the camp's tables, a schema this
 * binary knows. */
static int backup_check(struct store *st, int *schema)
{
	static const char ok[] = "PRAGMA integrity_check";
	static const char tables[] =
		"SELECT count(*) FROM sqlite_master WHERE type = 'table'"
		"  AND name IN ('accounts', 'posts', 'settings')";
	static const char version[] = "PRAGMA user_version";
	char *verdict = NULL;
	int64_t n = 0, v = 0;
	int r;

	if ((r = sql_text(st, "checking the copy", ok, &verdict, "")) != 0)
		return r == CAMP_ENOENT ? err_set(CAMP_EINVAL, "no integrity verdict")
					: r;
	r = verdict && strcmp(verdict, "ok") == 0
		    ? 0
		    : err_set(CAMP_EINVAL, "it is damaged (%.200s)",
			      verdict ? verdict : "");
	free(verdict);
	if (r == 0 && (r = sql_int64(st, "checking the copy", tables, &n, "")) == 0 &&
	    n != 3)
		r = err_set(CAMP_EINVAL, "it is not a camp's database");
	if (r == 0 && (r = sql_int64(st, "checking the copy", version, &v, "")) == 0 &&
	    v > store_schema_latest())
		r = err_set(CAMP_EVERSION,
			    "it has schema version %lld, from a newer camp; this camp "
			    "knows versions up to %d",
			    (long long)v, store_schema_latest());
	*schema = (int)v;
	return r;
}

int backup_verify(const char *path, int *schema)
{
	struct store *st;
	struct stat sb;
	int r;

	*schema = 0;
	if (stat(path, &sb) != 0)
		return err_set(CAMP_ENOENT, "%s: %s", path, strerror(errno));
	if ((r = store_open_raw(path, 1, &st)) != 0)
		return r;
	r = backup_check(st, schema);
	store_close(st);
	if (r != 0)
		r = err_set(r, "%s: %s", path, err_last());
	return r;
}

int backup_record(struct store *st, const char *path, int64_t at)
{
	char when[24];
	int r;

	snprintf(when, sizeof when, "%lld", (long long)at);
	/* A note, not the backup: it waits for busy writers only briefly. */
	sqlite3_busy_timeout(st->db, RECORD_WAIT_MS);
	if ((r = store_tx_begin(st, "recording the backup")) == 0) {
		if ((r = setting_set(st, key_backup_at, when)) == 0)
			r = setting_set(st, key_backup_path, path);
		r = store_tx_end(st, r);
	}
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	return r;
}

int backup_last(struct store *st, int64_t *at, char **path)
{
	char *when = NULL;
	int r;

	*at = 0;
	*path = NULL;
	if ((r = setting_get(st, key_backup_at, &when)) != 0 ||
	    (r = setting_get(st, key_backup_path, path)) != 0) {
		free(when);
		return r;
	}
	*at = when ? strtoll(when, NULL, 10) : 0;
	free(when);
	return 0;
}

/* Removes all but the newest keep scheduled backups, and copies left
 * half-written by a backup that was stopped. */
static void backup_prune(const char *folder, long keep)
{
	char **names;
	int n;
	DIR *d = opendir(folder);
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL)
		if (strncmp(e->d_name, "camp-", 5) == 0 &&
		    strstr(e->d_name, ".db.tmp.")) {
			char *p = xasprintf("%s/%s", folder, e->d_name);
			unlink(p);
			free(p);
		}
	if (d)
		closedir(d);
	backup_list(folder, &names, &n);
	for (int i = 0; i < n - keep; i++) {
		char *p = xasprintf("%s/%s", folder, names[i]);
		if (unlink(p) == 0)
			log_info("removed the old backup %s", p);
		free(p);
	}
	names_free(names, n);
}

int backup_scheduled(struct store *st, const char *dir, long keep, char **path)
{
	char *folder = xasprintf("%s/backups", dir), stamp[32];
	int64_t now = now_s();
	time_t t = (time_t)now;
	struct tm tm;
	int r, schema;

	*path = NULL;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	if (mkdir(folder, 0700) != 0 && errno != EEXIST) {
		r = err_set(CAMP_EIO, "cannot create %s: %s", folder, strerror(errno));
		goto out;
	}
	*path = xasprintf("%s/camp-%s.db", folder, stamp);
	if ((r = store_backup(st, *path)) != 0 ||
	    (r = backup_verify(*path, &schema)) != 0 ||
	    (r = backup_record(st, *path, now)) != 0)
		goto out;
	backup_prune(folder, keep);
out:
	if (r != 0 && *path) {
		unlink(*path);
		free(*path);
		*path = NULL;
	}
	free(folder);
	return r;
}

/* Folds the WAL of the database at db into the file (so the file alone
 * is the whole database) and lets it go.  A database that cannot be
 * opened is left as it is. */
static void restore_fold_wal(const char *db)
{
	struct store *st;

	if (store_open_raw(db, 0, &st) != 0)
		return;
	sqlite3_wal_checkpoint_v2(store_db(st), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL,
				  NULL);
	store_close(st);
}

/* Moves path (and its -wal, if one is left) to kept. */
static int restore_keep(const char *path, const char *kept)
{
	char *wal = xasprintf("%s-wal", path), *kept_wal = xasprintf("%s-wal", kept);
	char *shm = xasprintf("%s-shm", path);
	int r = 0;

	if (rename(path, kept) != 0)
		r = err_set(CAMP_EIO, "cannot move %s aside: %s", path, strerror(errno));
	else if (rename(wal, kept_wal) != 0 && errno != ENOENT)
		r = err_set(CAMP_EIO, "cannot move %s aside: %s", wal, strerror(errno));
	if (r == 0)
		unlink(shm);
	free(wal);
	free(kept_wal);
	free(shm);
	return r;
}

int store_restore(const char *dir, const char *file, char **kept)
{
	char *db = xasprintf("%s/camp.db", dir), stamp[32];
	time_t t = (time_t)now_s();
	struct stat sb;
	struct tm tm;
	int r, schema;

	*kept = NULL;
	if ((r = backup_verify(file, &schema)) != 0)
		goto out;
	if (stat(db, &sb) == 0) {
		gmtime_r(&t, &tm);
		strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
		*kept = xasprintf("%s.before-restore-%s", db, stamp);
		restore_fold_wal(db);
		if ((r = restore_keep(db, *kept)) != 0)
			goto out;
	}
	if ((r = file_copy(file, db, 0600)) != 0 && *kept)
		restore_keep(*kept, db); /* put it back */
out:
	if (r != 0) {
		free(*kept);
		*kept = NULL;
	}
	free(db);
	return r;
}
