/*
 * store-private.h: helpers shared by the files of store/ and nobody else.
 */
#ifndef CAMP_STORE_PRIVATE_H
#define CAMP_STORE_PRIVATE_H

#include "store/store.h"

extern const char *const store_migrations[];
extern const int store_migration_count;

/* A cached prepared statement for a static SQL string (looked up by the
 * string's address), reset and with bindings cleared.  The caller calls
 * sqlite3_reset() (or stmt_done) when finished so no read stays open. */
int stmt_prep(struct store *st, const char *sql, sqlite3_stmt **out);
/* Resets s; returns r, so a function can end with `return stmt_done(s, r)`. */
int stmt_done(sqlite3_stmt *s, int r);
/* Sets err_last() from the database's error and returns CAMP_EDB (or
 * CAMP_EIO for a full disk), prefixed by what was being done. */
int store_dberr(struct store *st, const char *what);
/* Runs a statement without results, binding nothing; 0 or CAMP_EDB. */
int store_exec(struct store *st, const char *sql);

/* Binds text or NULL. */
void bind_text(sqlite3_stmt *s, int i, const char *v);
/* A copy of column i as a string ("" for NULL); caller frees. */
char *col_text(sqlite3_stmt *s, int i);
/* A copy of column i, or NULL for NULL; caller frees. */
char *col_text_or_null(sqlite3_stmt *s, int i);

#endif
