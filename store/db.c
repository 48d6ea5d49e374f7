/*
 * db.c: opening camp.db, migrating it, transactions and backups.  The
 * statements themselves run through sql.c.
 *
 * Several processes open the same file at once (listener, sessions,
 * federation), so everything here assumes another writer may be active:
 * WAL mode, a busy timeout, BEGIN IMMEDIATE for writes.  This file must
 * never leave a migration half-applied.
 */
#include "store/store-private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

sqlite3 *store_db(struct store *st)
{
	return st->db;
}

/* Runs SQL text without parameters or rows, outside the statement cache:
 * transaction control, pragmas, migrations. */
static int db_run(struct store *st, const char *what, const char *sql)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_dberr(st, what);
	return 0;
}

int store_tx_begin(struct store *st, const char *what)
{
	int r;

	if (st->depth++ > 0)
		return 0;
	st->doomed = 0;
	st->what = what;
	if ((r = db_run(st, what, "BEGIN IMMEDIATE")) != 0)
		st->depth = 0;
	return r;
}

/* Ends the outermost level: commits, or rolls back a doomed one. */
static int tx_commit(struct store *st)
{
	int r;

	if (st->doomed) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return err_set(CAMP_EDB, "%s: the change was rolled back", st->what);
	}
	if ((r = db_run(st, st->what, "COMMIT")) != 0)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

int store_tx_end(struct store *st, int r)
{
	if (st->depth <= 0)
		fatal("store_tx_end without store_tx_begin");
	if (--st->depth > 0) {
		if (r != 0)
			st->doomed = 1;
		return r;
	}
	if (r == 0)
		return tx_commit(st);
	/* Keep the caller's error message: ROLLBACK has nothing to add. */
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

int store_begin(struct store *st)
{
	return store_tx_begin(st, "saving the change");
}

int store_commit(struct store *st)
{
	return store_tx_end(st, 0);
}

void store_rollback(struct store *st)
{
	/* Any error code will do: only its being one matters here. */
	store_tx_end(st, CAMP_EDB);
}

int store_schema_latest(void)
{
	return store_migration_count;
}

int store_schema_version(struct store *st)
{
	static const char sql[] = "PRAGMA user_version";
	int64_t v = -1;

	return sql_int64(st, "reading the schema version", sql, &v, "") == 0 ? (int)v
									     : -1;
}

int64_t store_data_version(struct store *st)
{
	static const char sql[] = "PRAGMA data_version";
	int64_t v = -1;

	return sql_int64(st, "polling the database", sql, &v, "") == 0 ? v : -1;
}

/* Whether everything committed is in the database file itself (its WAL
 * is missing or empty), so that a copy of the file alone is the whole
 * database. */
static int wal_is_empty(const struct store *st)
{
	char *wal = xasprintf("%s-wal", st->path);
	struct stat sb;
	int empty = stat(wal, &sb) != 0 || sb.st_size == 0;

	free(wal);
	return empty;
}

/* A consistent copy made through a second, read-only connection: this
 * one holds the write lock, so the reader sees exactly what is about to
 * be migrated. */
static int backup_via_reader(struct store *st, const char *dest)
{
	struct store rd = {.path = st->path};
	int r;

	if (sqlite3_open_v2(st->path, &rd.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		r = store_dberr(&rd, "copying the database before migrating it");
		sqlite3_close(rd.db);
		return r;
	}
	sqlite3_busy_timeout(rd.db, STORE_BUSY_TIMEOUT_MS);
	r = store_backup(&rd, dest);
	sqlite3_close(rd.db);
	return r;
}

/* Copies the database before a migration touches it, inside the
 * migration's write transaction (nobody else can commit meanwhile).
 * Names the copy PATH.bak-vN, adding the time if that exists already,
 * and stores its name (caller frees).  When the WAL is empty the copy is
 * the file byte for byte, exactly as the older camp left it. */
static int store_backup_before_migration(struct store *st, int from, char **dest)
{
	struct stat sb;
	int r;

	*dest = xasprintf("%s.bak-v%d", st->path, from);
	if (stat(*dest, &sb) == 0) {
		free(*dest);
		*dest = xasprintf("%s.bak-v%d-%lld", st->path, from, (long long)now_s());
	}
	if (wal_is_empty(st))
		r = file_copy(st->path, *dest, 0600);
	else
		r = backup_via_reader(st, *dest);
	if (r == 0)
		log_info("copied the database to %s before migrating it", *dest);
	return r;
}

/* Runs the migrations from version v up to upto on an open transaction. */
static int migrate_steps(struct store *st, int v, int upto)
{
	int r = 0;

	for (; v < upto && r == 0; v++) {
		char *what =
			xasprintf("migrating the database to schema version %d", v + 1);
		char *pragma = xasprintf("PRAGMA user_version = %d", v + 1);
		if ((r = db_run(st, what, store_migrations[v])) == 0)
			r = db_run(st, what, pragma);
		free(pragma);
		free(what);
	}
	return r;
}

/* Applies migrations from the current version up to `upto`, in one
 * transaction that re-reads the version (another process may have
 * migrated in the meantime).  A database that holds anything is copied
 * first; if a migration fails, nothing changes and the copy stays. */
static int store_migrate(struct store *st, int upto)
{
	static const char what[] = "migrating the database";
	int v = store_schema_version(st), from, r;
	char *copy = NULL;

	if (v < 0)
		return store_dberr(st, "reading the schema version");
	if (v > store_migration_count)
		return err_set(
			CAMP_EVERSION,
			"%s has schema version %d, from a newer camp, but this camp "
			"(%s) only knows versions up to %d; run a newer camp",
			st->path, v, CAMP_VERSION, store_migration_count);
	if (v >= upto)
		return 0;
	/* Fold the WAL into the file, so the copy can be the file itself. */
	if (v > 0)
		sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL,
					  NULL);
	if ((r = store_tx_begin(st, what)) != 0)
		return r;
	from = store_schema_version(st);
	if (from > 0 && from < upto)
		r = store_backup_before_migration(st, from, &copy);
	if (r == 0)
		r = migrate_steps(st, from, upto);
	if ((r = store_tx_end(st, r)) != 0 && copy)
		r = err_set(r, "%s; the database was left as it was (a copy is in %s)",
			    err_last(), copy);
	else if (r == 0 && from > 0 && from < upto)
		log_info("migrated %s from schema version %d to %d", st->path, from,
			 upto);
	free(copy);
	return r;
}

static int store_configure(struct store *st)
{
	static const char wal[] = "PRAGMA journal_mode = WAL";
	static const char pragmas[] = "PRAGMA foreign_keys = ON;"
				      "PRAGMA synchronous = NORMAL;";
	char *mode = NULL;
	int r;

	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	if ((r = sql_text(st, "opening the database", wal, &mode, "")) != 0 &&
	    r != CAMP_ENOENT)
		return r;
	r = mode == NULL || strcmp(mode, "wal") != 0;
	free(mode);
	if (r)
		return err_set(CAMP_EDB, "cannot switch %s to WAL mode", st->path);
	return db_run(st, "opening the database", pragmas);
}

int store_open_upto(const char *path, int upto, struct store **out)
{
	struct store *st = xcalloc(1, sizeof *st);
	int r;

	st->path = xstrdup(path);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK) {
		r = err_set(CAMP_EDB, "cannot open %s: %s", path,
			    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	if ((r = store_configure(st)) != 0 || (r = store_migrate(st, upto)) != 0)
		goto fail;
	*out = st;
	return 0;
fail:
	store_close(st);
	return r;
}

int store_open_raw(const char *path, int readonly, struct store **out)
{
	struct store *st = xcalloc(1, sizeof *st);
	int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;

	st->path = xstrdup(path);
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		int r = err_set(CAMP_EDB, "cannot open %s: %s", path,
				st->db ? sqlite3_errmsg(st->db) : "out of memory");
		store_close(st);
		return r;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	*out = st;
	return 0;
}

int store_open(const char *path, int flags, struct store **out)
{
	struct stat sb;

	if (!(flags & STORE_CREATE) && stat(path, &sb) != 0)
		return err_set(CAMP_ENOENT, "no database at %s: %s", path,
			       strerror(errno));
	return store_open_upto(path, store_migration_count, out);
}

void store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < st->ncache; i++)
		sqlite3_finalize(st->cache[i].stmt);
	free(st->cache);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

/* Copies every page of the source into dest, retrying while a writer
 * holds the lock; the backup API restarts by itself when a page changes
 * under it, so the result is one consistent snapshot. */
static int backup_copy(struct store *st, sqlite3 *dest)
{
	sqlite3_backup *b = sqlite3_backup_init(dest, "main", st->db, "main");
	int rc;

	if (b == NULL)
		return err_set(CAMP_EDB, "backup: %s", sqlite3_errmsg(dest));
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return err_set((rc & 0xff) == SQLITE_FULL ? CAMP_EIO : CAMP_EDB,
			       "backup: %s", sqlite3_errstr(rc));
	return 0;
}

int store_backup(struct store *st, const char *path)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	sqlite3 *dest = NULL;
	int r;

	unlink(tmp);
	if (sqlite3_open_v2(tmp, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK) {
		r = err_set(CAMP_EIO, "cannot create %s: %s", tmp,
			    dest ? sqlite3_errmsg(dest) : "out of memory");
		goto out;
	}
	if ((r = backup_copy(st, dest)) != 0)
		goto out;
	/* The copy is a plain rollback-journal database: one file. */
	if (sqlite3_exec(dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		r = err_set(CAMP_EIO, "backup: %s", sqlite3_errmsg(dest));
		goto out;
	}
	sqlite3_close(dest);
	dest = NULL;
	if (rename(tmp, path) != 0)
		r = err_set(CAMP_EIO, "cannot write %s: %s", path, strerror(errno));
out:
	if (dest)
		sqlite3_close(dest);
	if (r != 0)
		unlink(tmp);
	free(tmp);
	return r;
}
