/*
 * store-private.h: what the files of store/ share and nobody above sees:
 * the database handle, the statement helpers, the SQL spellings of the
 * numbers stored on disk, and the model's internals.
 *
 * Only store/ speaks SQL, so only store/ (and the unit tests and the
 * benchmark, which look under the hood on purpose) includes this file
 * and <sqlite3.h>.
 */
#ifndef CAMP_STORE_PRIVATE_H
#define CAMP_STORE_PRIVATE_H

#include <sqlite3.h>

#include "store/store.h"

/* ---- db.c: the handle and the migrations -------------------------------- */

/* How long a statement waits for another process's write lock. */
#define STORE_BUSY_TIMEOUT_MS 10000

struct cached_stmt {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char *path;
	int depth;	  /* transaction nesting */
	int doomed;	  /* an inner level rolled back */
	const char *what; /* the outermost transaction's operation */
	struct cached_stmt *cache;
	int ncache, capcache;
};

extern const char *const store_migrations[];
extern const int store_migration_count;

/* Opens an existing database file as it is: no WAL switch, no pragmas,
 * no migration (for checking a backup, or folding a WAL before a
 * restore).  Close with store_close. */
int store_open_raw(const char *path, int readonly, struct store **out);

/* The underlying handle, for the unit tests and the benchmark, which
 * set up odd states by hand; store/ itself goes through sql.c. */
sqlite3 *store_db(struct store *st);

/* ---- stored numbers, spelled for SQL -------------------------------------
 * Numbers that the database stores and that queries compare are written
 * into SQL text from the same macros the enums are made of, so a query
 * can never disagree with the C code.  They are literals on purpose, not
 * bound parameters: SQLite matches a partial index to a query only when
 * the query's own text implies the index's WHERE clause.
 * Migrations already applied keep the numbers they were written with. */
#define SQL_STR_(x) #x
#define SQL_NUM(x) SQL_STR_(x)

#define SQL_VIS_PUBLIC SQL_NUM(VIS_N_PUBLIC)
#define SQL_VIS_UNLISTED SQL_NUM(VIS_N_UNLISTED)
#define SQL_VIS_FOLLOWERS SQL_NUM(VIS_N_FOLLOWERS)
#define SQL_VIS_DIRECT SQL_NUM(VIS_N_DIRECT)
#define SQL_VIS_CAMP SQL_NUM(VIS_N_CAMP)
#define SQL_VIS_NEIGHBORHOOD SQL_NUM(VIS_N_NEIGHBORHOOD)
/* "Anyone may see it" (visibility_is_open) as an SQL list:
 * `visibility IN SQL_VIS_OPEN`. */
#define SQL_VIS_OPEN "(" SQL_VIS_PUBLIC ", " SQL_VIS_UNLISTED ")"

#define SQL_FOLLOW_PENDING SQL_NUM(FOLLOW_N_PENDING)
#define SQL_FOLLOW_ACCEPTED SQL_NUM(FOLLOW_N_ACCEPTED)

/* neighbors.state: a camp both admins agreed to trust. */
#define NEIGHBOR_N_AGREED 1
#define SQL_NEIGHBOR_AGREED SQL_NUM(NEIGHBOR_N_AGREED)

/* ---- sql.c: running SQL ----------------------------------------------------
 * Every statement of store/ goes through these helpers.
 *
 * sql is a static string (a literal or a static array): its prepared
 * statement is cached by the string's address for the life of the
 * handle.  A statement still being read by an open cursor is not reused:
 * a second use gets a private copy, so nesting is always safe.
 *
 * fmt binds ?1, ?2, ... in order, one letter per parameter:
 *	'i'  int64_t
 *	'd'  int (kinds, states, flags, limits)
 *	'z'  int64_t, where 0 binds NULL (an optional reference)
 *	't'  const char *, where NULL binds NULL
 * "" or NULL binds nothing.  A format that does not match the
 * statement's parameters is a bug and fatal.
 *
 * what names the operation for the person reading the error ("saving the
 * follow").  Errors are CAMP_EDB, CAMP_EIO for a full disk, or
 * CAMP_EEXIST when a unique key is taken, each with "WHAT: why" in
 * err_last().  CAMP_ENOENT, where a helper returns it, comes without a
 * message: the caller knows what is missing, and *out is left alone. */

/* Runs a statement that returns no rows. */
int sql_exec(struct store *st, const char *what, const char *sql, const char *fmt, ...);
/* Column 0 of the first row (NULL reads as 0), or CAMP_ENOENT. */
int sql_int64(struct store *st, const char *what, const char *sql, int64_t *out,
	      const char *fmt, ...);
/* Column 0 of the first row as a copy the caller frees (NULL for NULL),
 * or CAMP_ENOENT. */
int sql_text(struct store *st, const char *what, const char *sql, char **out,
	     const char *fmt, ...);
/* Whether the statement returns any row; never CAMP_ENOENT. */
int sql_exists(struct store *st, const char *what, const char *sql, int *yes,
	       const char *fmt, ...);
/* Column 0 of every row, in order, into *ids (caller frees; NULL when
 * there are none). */
int sql_ids(struct store *st, const char *what, const char *sql, int64_t **ids, int *n,
	    const char *fmt, ...);

/* Sets err_last() from the database's last error as described above and
 * returns its code (for db.c, which runs SQL outside these helpers). */
int store_dberr(struct store *st, const char *what);

/* The id of the last row inserted, and the rows the last statement
 * changed, on this handle. */
int64_t sql_last_id(struct store *st);
int sql_changes(struct store *st);

/* A cursor over the rows of one statement:
 *
 *	struct sql_cursor c;
 *	sql_open(st, &c, "listing keys", sql, "i", id);
 *	while ((r = sql_next(&c)) > 0)
 *		... col_int64(&c, 0) ...
 *	return sql_done(&c, r);
 *
 * A cursor keeps its first error: sql_next on a cursor that failed to
 * open returns that error, so the loop above needs no other check.
 * Every sql_open, whatever it returned, is ended by one sql_done. */
struct sql_cursor {
	struct store *st;
	const char *what;
	sqlite3_stmt *s; /* NULL once done, or when opening failed */
	int owned;	 /* a private copy, finalized at the end */
	int err;	 /* the first error, or 0 */
};
/* Opens a cursor; returns 0 or the error (which sql_next repeats). */
int sql_open(struct store *st, struct sql_cursor *c, const char *what, const char *sql,
	     const char *fmt, ...);
/* Steps: 1 with a row to read, 0 at the end, or an error. */
int sql_next(struct sql_cursor *c);
/* Opens and steps to the first row: 0 with the row ready to read,
 * CAMP_ENOENT (no message) when there is none, or an error.  End it with
 * sql_done either way. */
int sql_row(struct store *st, struct sql_cursor *c, const char *what, const char *sql,
	    const char *fmt, ...);
/* Ends the cursor (a second call does nothing) and returns r, so a
 * function can end with `return sql_done(&c, r)`. */
int sql_done(struct sql_cursor *c, int r);
/* The current row's columns. */
int64_t col_int64(const struct sql_cursor *c, int i);
int col_int(const struct sql_cursor *c, int i);
/* A copy of a text column, "" for NULL; the caller frees. */
char *col_text(const struct sql_cursor *c, int i);
/* A copy of a text column, or NULL for NULL; the caller frees. */
char *col_text_or_null(const struct sql_cursor *c, int i);

/* Appends id to a growable array (for small in-memory sets). */
void ids_push(int64_t **ids, int *n, int64_t id);
/* Sorts and removes duplicates; returns the new count. */
int ids_sort_unique(int64_t *ids, int n);
/* 1 if id is in the sorted array. */
int ids_contains(const int64_t *ids, int n, int64_t id);

/* ---- the model's internals ------------------------------------------- */

/* What the audience rules need to know about one post. */
struct post_meta {
	int64_t id;
	int64_t author_id;
	int64_t boost_of_id;
	int64_t in_reply_to_id;
	int64_t thread_id;
	enum visibility visibility;
	int local;
};

/* post-read.c */
int post_meta_get(struct store *st, int64_t id, struct post_meta *m);
/* Meta of a post that `actor` may see; CAMP_ENOENT otherwise. */
int post_meta_visible(struct store *st, int64_t actor, int64_t id, struct post_meta *m);
/* Loads a post that v is already known to see. */
int post_load_for(struct store *st, struct viewer *v, int64_t id, struct post *out);

/* timeline.c */
/* Appends a post (moved, not copied) to a list. */
void post_list_push(struct post_list *l, struct post *p);
/* The SQL that finds a timeline's candidates (for the test that checks
 * their query plans); NULL for an unknown kind. */
const char *timeline_candidate_sql(enum timeline_kind k);

/* post-write.c */
/* Checks a post's text and content warning. */
int post_text_check(const char *content, const char *cw, long max_chars);
/* Records an outbox item for post `id` with its audience's remote
 * recipients. */
int post_outbox(struct store *st, enum outbox_kind kind, int64_t actor, int64_t id,
		int64_t object);
/* Saves a post's entities and tags. */
int post_insert_entities(struct store *st, int64_t id, const struct entity *e, int n);

/* audience.c */
/* The audience rule itself: may v see the post m? */
int audience_check(struct store *st, struct viewer *v, const struct post_meta *m,
		   int *yes);
/* The public pages' rule for one post (audience.c). */
int audience_public_check(struct store *st, enum public_exit exit,
			  const struct post_meta *m, int *yes);
/* A member or remote viewer for any account id. */
int viewer_for_account(struct store *st, int64_t account_id, struct viewer **out);
/* Whether v has muted the author (timelines leave muted accounts out). */
int viewer_mutes(const struct viewer *v, int64_t account_id);
/* Whether v and the account block each other, in either direction. */
int viewer_blocks(const struct viewer *v, int64_t account_id);
/* The accounts that block id or that id blocks, sorted and unique (the
 * one reading of "blocked either way"); *ids is caller-freed. */
int blocks_either_way(struct store *st, int64_t id, int64_t **ids, int *n);
/* Whether a and b block each other, in either direction. */
int blocked_between(struct store *st, int64_t a, int64_t b, int *yes);
/* The remote followers (and, with following, followed) of a member. */
int remote_followers(struct store *st, int64_t member, int with_following, int64_t **ids,
		     int *n);

/* feed.c: home timelines, fanned out on write. */
int feed_fanout(struct store *st, const struct post_meta *m);
int feed_backfill(struct store *st, int64_t member, int64_t author);
int feed_forget(struct store *st, int64_t member, int64_t author);

/* notify.c: notifications for members. */
int notify(struct store *st, int64_t recipient, enum notification_kind kind, int64_t from,
	   int64_t post_id);

/* outbox.c: records an item with its recipients (nothing when the actor
 * is not a member or there is nobody to tell). */
int outbox_add(struct store *st, enum outbox_kind kind, int64_t actor_id, int64_t post_id,
	       int64_t object_post_id, const char *object_uri, int64_t target_id,
	       const int64_t *recipients, int n);

#endif
