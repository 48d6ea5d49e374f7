/*
 * db.c: opening camp.db, migrating it, transactions, backups, and the
 * statement cache every other file of store/ uses.
 *
 * Several processes open the same file at once (listener, sessions,
 * federation), so everything here assumes another writer may be active:
 * WAL mode, a busy timeout, BEGIN IMMEDIATE for writes.  This file must
 * never leave a migration half-applied.
 */
#include "store/store-private.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 10000

struct cached_stmt {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char *path;
	int depth;  /* transaction nesting */
	int doomed; /* an inner rollback happened */
	struct cached_stmt *cache;
	int ncache, capcache;
};

sqlite3 *store_db(struct store *st)
{
	return st->db;
}

int store_dberr(struct store *st, const char *what)
{
	int code = sqlite3_extended_errcode(st->db);

	if ((code & 0xff) == SQLITE_FULL)
		return err_set(CAMP_EIO, "%s: the disk is full", what);
	if ((code & 0xff) == SQLITE_BUSY)
		return err_set(CAMP_EDB, "%s: the database is busy, try again", what);
	return err_set(CAMP_EDB, "%s: %s", what, sqlite3_errmsg(st->db));
}

int stmt_prep(struct store *st, const char *sql, sqlite3_stmt **out)
{
	for (int i = 0; i < st->ncache; i++) {
		if (st->cache[i].sql == sql) {
			sqlite3_reset(st->cache[i].stmt);
			sqlite3_clear_bindings(st->cache[i].stmt);
			*out = st->cache[i].stmt;
			return 0;
		}
	}
	sqlite3_stmt *s;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) !=
	    SQLITE_OK)
		return store_dberr(st, "preparing a query");
	if (st->ncache == st->capcache) {
		st->capcache = st->capcache ? st->capcache * 2 : 32;
		st->cache = xrealloc(st->cache, sizeof *st->cache * (size_t)st->capcache);
	}
	st->cache[st->ncache].sql = sql;
	st->cache[st->ncache].stmt = s;
	st->ncache++;
	*out = s;
	return 0;
}

int stmt_done(sqlite3_stmt *s, int r)
{
	sqlite3_reset(s);
	return r;
}

int store_exec(struct store *st, const char *sql)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_dberr(st, "updating the database");
	return 0;
}

void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

char *col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return xstrdup(t ? (const char *)t : "");
}

char *col_text_or_null(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? xstrdup((const char *)t) : NULL;
}

int store_begin(struct store *st)
{
	if (st->depth++ > 0)
		return 0;
	st->doomed = 0;
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		st->depth = 0;
		return store_dberr(st, "starting a transaction");
	}
	return 0;
}

int store_commit(struct store *st)
{
	if (st->depth <= 0)
		fatal("store_commit without store_begin");
	if (--st->depth > 0)
		return 0;
	if (st->doomed) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return err_set(CAMP_EDB, "the change was rolled back");
	}
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int r = store_dberr(st, "saving the change");
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return r;
	}
	return 0;
}

void store_rollback(struct store *st)
{
	if (st->depth <= 0)
		fatal("store_rollback without store_begin");
	if (--st->depth > 0) {
		st->doomed = 1;
		return;
	}
	/* Keep the caller's error message: ROLLBACK has nothing to add. */
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int store_schema_latest(void)
{
	return store_migration_count;
}

int store_schema_version(struct store *st)
{
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

int64_t store_data_version(struct store *st)
{
	sqlite3_stmt *s;
	int64_t v = -1;

	if (stmt_prep(st, "PRAGMA data_version", &s) != 0)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	return stmt_done(s, 0) == 0 ? v : -1;
}

/* Copies the database before a migration touches it.  Names the copy
 * PATH.bak-vN, adding the time if that exists already. */
static int store_backup_before_migration(struct store *st, int from)
{
	char *dest = xasprintf("%s.bak-v%d", st->path, from);
	struct stat sb;
	int r;

	if (stat(dest, &sb) == 0) {
		free(dest);
		dest = xasprintf("%s.bak-v%d-%lld", st->path, from, (long long)now_s());
	}
	r = store_backup(st, dest);
	if (r == 0)
		log_info("copied the database to %s before migrating it", dest);
	free(dest);
	return r;
}

/* Applies migrations from the current version up to `upto`, in one
 * transaction that re-reads the version (another process may have
 * migrated in the meantime). */
static int store_migrate(struct store *st, int upto)
{
	int v = store_schema_version(st), r;

	if (v < 0)
		return store_dberr(st, "reading the schema version");
	if (v > store_migration_count)
		return err_set(CAMP_EVERSION,
			       "%s has schema version %d, but this camp only knows "
			       "versions up to %d; run a newer camp",
			       st->path, v, store_migration_count);
	if (v >= upto)
		return 0;
	if (v > 0 && (r = store_backup_before_migration(st, v)) != 0)
		return r;
	if ((r = store_begin(st)) != 0)
		return r;
	v = store_schema_version(st);
	for (; v < upto; v++) {
		if (sqlite3_exec(st->db, store_migrations[v], NULL, NULL, NULL) !=
		    SQLITE_OK) {
			r = store_dberr(st, "migrating the database");
			store_rollback(st);
			return r;
		}
		char *pragma = xasprintf("PRAGMA user_version = %d", v + 1);
		int rc = sqlite3_exec(st->db, pragma, NULL, NULL, NULL);
		free(pragma);
		if (rc != SQLITE_OK) {
			r = store_dberr(st, "migrating the database");
			store_rollback(st);
			return r;
		}
	}
	return store_commit(st);
}

static int store_configure(struct store *st)
{
	static const char pragmas[] = "PRAGMA foreign_keys = ON;"
				      "PRAGMA synchronous = NORMAL;";
	char *mode = NULL;
	sqlite3_stmt *s;

	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1, &s, NULL) !=
	    SQLITE_OK)
		return store_dberr(st, "opening the database");
	if (sqlite3_step(s) == SQLITE_ROW)
		mode = col_text(s, 0);
	sqlite3_finalize(s);
	if (mode == NULL || strcmp(mode, "wal") != 0) {
		free(mode);
		return store_dberr(st, "switching the database to WAL mode");
	}
	free(mode);
	if (sqlite3_exec(st->db, pragmas, NULL, NULL, NULL) != SQLITE_OK)
		return store_dberr(st, "opening the database");
	return 0;
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

int query_int64(struct store *st, const char *sql, int64_t *out, int nargs, ...)
{
	sqlite3_stmt *s;
	va_list ap;
	int r, rc;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	va_start(ap, nargs);
	for (int i = 1; i <= nargs; i++)
		sqlite3_bind_int64(s, i, va_arg(ap, int64_t));
	va_end(ap);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else if (rc == SQLITE_DONE)
		r = CAMP_ENOENT; /* the caller says what was missing */
	else
		r = store_dberr(st, "reading the database");
	return stmt_done(s, r);
}

int query_text_int64(struct store *st, const char *sql, const char *arg, int64_t *out)
{
	sqlite3_stmt *s;
	int r, rc;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, arg);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else if (rc == SQLITE_DONE)
		r = CAMP_ENOENT;
	else
		r = store_dberr(st, "reading the database");
	return stmt_done(s, r);
}

int query_text2(struct store *st, const char *sql, int64_t a, int64_t b, char **out)
{
	sqlite3_stmt *s;
	int r, rc;

	*out = NULL;
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = col_text_or_null(s, 0);
	else if (rc == SQLITE_DONE)
		r = CAMP_ENOENT;
	else
		r = store_dberr(st, "reading the database");
	return stmt_done(s, r);
}

int query_ids(struct store *st, sqlite3_stmt *s, int64_t **ids, int *n)
{
	int rc;

	*ids = NULL;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		ids_push(ids, n, sqlite3_column_int64(s, 0));
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return stmt_done(s, store_dberr(st, "reading the database"));
	}
	return stmt_done(s, 0);
}

void ids_push(int64_t **ids, int *n, int64_t id)
{
	/* Grows at powers of two. */
	if ((*n & (*n - 1)) == 0)
		*ids = xrealloc(*ids, sizeof **ids * (size_t)(*n ? *n * 2 : 1));
	(*ids)[(*n)++] = id;
}

static int ids_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int ids_sort_unique(int64_t *ids, int n)
{
	int out = 0;

	if (n == 0)
		return 0;
	qsort(ids, (size_t)n, sizeof *ids, ids_cmp);
	for (int i = 0; i < n; i++)
		if (out == 0 || ids[out - 1] != ids[i])
			ids[out++] = ids[i];
	return out;
}

int ids_contains(const int64_t *ids, int n, int64_t id)
{
	return n > 0 && bsearch(&id, ids, (size_t)n, sizeof *ids, ids_cmp) != NULL;
}
