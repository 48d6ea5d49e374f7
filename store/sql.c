/*
 * sql.c: the statement helpers every file of store/ runs its SQL with,
 * the statement cache behind them, and small sorted id sets.
 *
 * One place prepares, binds, steps and reports: a statement is cached by
 * the address of its static SQL text, bound from a short format string,
 * and every failure becomes one negative CAMP_E* code with a message that
 * names the operation the caller was doing.  Nothing here knows a table;
 * callers outside store/ never see a statement.
 */
#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

int store_dberr(struct store *st, const char *what)
{
	int code = sqlite3_extended_errcode(st->db);

	if ((code & 0xff) == SQLITE_FULL)
		return err_set(CAMP_EIO, "%s: the disk is full", what);
	if ((code & 0xff) == SQLITE_BUSY)
		return err_set(CAMP_EDB, "%s: the database is busy, try again", what);
	if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
		return err_set(CAMP_EEXIST, "%s: it is there already", what);
	return err_set(CAMP_EDB, "%s: %s", what, sqlite3_errmsg(st->db));
}

/* Where sql's statement is in the cache, or -1. */
static int cache_find(const struct store *st, const char *sql)
{
	for (int i = 0; i < st->ncache; i++)
		if (st->cache[i].sql == sql)
			return i;
	return -1;
}

static void cache_add(struct store *st, const char *sql, sqlite3_stmt *s)
{
	if (st->ncache == st->capcache) {
		st->capcache = st->capcache ? st->capcache * 2 : 32;
		st->cache = xrealloc(st->cache, sizeof *st->cache * (size_t)st->capcache);
	}
	st->cache[st->ncache].sql = sql;
	st->cache[st->ncache].stmt = s;
	st->ncache++;
}

/* A cached statement for sql, reset and unbound; a private one (*owned)
 * when the cached one is still being read. */
static int stmt_get(struct store *st, const char *what, const char *sql,
		    sqlite3_stmt **out, int *owned)
{
	int i = cache_find(st, sql);

	*owned = i >= 0;
	if (i >= 0 && !sqlite3_stmt_busy(st->cache[i].stmt)) {
		*out = st->cache[i].stmt;
		*owned = 0;
		sqlite3_reset(*out);
		sqlite3_clear_bindings(*out);
		return 0;
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, *owned ? 0 : SQLITE_PREPARE_PERSISTENT,
			       out, NULL) != SQLITE_OK)
		return store_dberr(st, what);
	if (!*owned)
		cache_add(st, sql, *out);
	return 0;
}

/* Binds parameter k from the next argument, as letter f says. */
static int bind_one(sqlite3_stmt *s, int k, char f, va_list *ap)
{
	int64_t v;
	const char *t;

	switch (f) {
	case 'i':
		return sqlite3_bind_int64(s, k, va_arg(*ap, int64_t));
	case 'd':
		return sqlite3_bind_int(s, k, va_arg(*ap, int));
	case 'z':
		v = va_arg(*ap, int64_t);
		return v ? sqlite3_bind_int64(s, k, v) : sqlite3_bind_null(s, k);
	case 't':
		t = va_arg(*ap, const char *);
		return t ? sqlite3_bind_text(s, k, t, -1, SQLITE_TRANSIENT)
			 : sqlite3_bind_null(s, k);
	default:
		fatal("sql: unknown bind letter '%c'", f);
	}
}

static int bind_all(struct sql_cursor *c, const char *fmt, va_list *ap)
{
	int n = fmt ? (int)strlen(fmt) : 0;

	if (sqlite3_bind_parameter_count(c->s) != n)
		fatal("sql: %d values for the %d parameters of: %s", n,
		      sqlite3_bind_parameter_count(c->s), sqlite3_sql(c->s));
	for (int k = 1; k <= n; k++)
		if (bind_one(c->s, k, fmt[k - 1], ap) != SQLITE_OK)
			return store_dberr(c->st, c->what);
	return 0;
}

static int sql_vopen(struct store *st, struct sql_cursor *c, const char *what,
		     const char *sql, const char *fmt, va_list *ap)
{
	int r;

	c->st = st;
	c->what = what;
	c->s = NULL;
	if ((r = stmt_get(st, what, sql, &c->s, &c->owned)) == 0)
		r = bind_all(c, fmt, ap);
	return c->err = r;
}

int sql_open(struct store *st, struct sql_cursor *c, const char *what, const char *sql,
	     const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = sql_vopen(st, c, what, sql, fmt, &ap);
	va_end(ap);
	return r;
}

int sql_next(struct sql_cursor *c)
{
	int rc;

	if (c->err != 0)
		return c->err;
	if (c->s == NULL)
		fatal("sql_next on a finished cursor (%s)", c->what);
	rc = sqlite3_step(c->s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return c->err = store_dberr(c->st, c->what);
}

/* Steps an opened cursor to its first row: 0, CAMP_ENOENT or an error. */
static int sql_first(struct sql_cursor *c, int r)
{
	if (r != 0)
		return r;
	r = sql_next(c);
	return r > 0 ? 0 : r == 0 ? CAMP_ENOENT : r;
}

int sql_row(struct store *st, struct sql_cursor *c, const char *what, const char *sql,
	    const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = sql_vopen(st, c, what, sql, fmt, &ap);
	va_end(ap);
	return sql_first(c, r);
}

int sql_done(struct sql_cursor *c, int r)
{
	if (c->s == NULL)
		return r;
	if (c->owned)
		sqlite3_finalize(c->s);
	else
		sqlite3_reset(c->s);
	c->s = NULL;
	return r;
}

int64_t col_int64(const struct sql_cursor *c, int i)
{
	return sqlite3_column_int64(c->s, i);
}

int col_int(const struct sql_cursor *c, int i)
{
	return sqlite3_column_int(c->s, i);
}

char *col_text(const struct sql_cursor *c, int i)
{
	const unsigned char *t = sqlite3_column_text(c->s, i);

	return xstrdup(t ? (const char *)t : "");
}

char *col_text_or_null(const struct sql_cursor *c, int i)
{
	const unsigned char *t = sqlite3_column_text(c->s, i);

	return t ? xstrdup((const char *)t) : NULL;
}

/* ---- one call for the common cases ------------------------------------- */

int sql_exec(struct store *st, const char *what, const char *sql, const char *fmt, ...)
{
	struct sql_cursor c;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = sql_vopen(st, &c, what, sql, fmt, &ap);
	va_end(ap);
	if (r == 0 && (r = sql_next(&c)) > 0)
		fatal("sql_exec: %s returned a row", sqlite3_sql(c.s));
	return sql_done(&c, r);
}

int sql_int64(struct store *st, const char *what, const char *sql, int64_t *out,
	      const char *fmt, ...)
{
	struct sql_cursor c;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = sql_first(&c, sql_vopen(st, &c, what, sql, fmt, &ap));
	va_end(ap);
	if (r == 0)
		*out = col_int64(&c, 0);
	return sql_done(&c, r);
}

int sql_text(struct store *st, const char *what, const char *sql, char **out,
	     const char *fmt, ...)
{
	struct sql_cursor c;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = sql_first(&c, sql_vopen(st, &c, what, sql, fmt, &ap));
	va_end(ap);
	if (r == 0)
		*out = col_text_or_null(&c, 0);
	return sql_done(&c, r);
}

int sql_exists(struct store *st, const char *what, const char *sql, int *yes,
	       const char *fmt, ...)
{
	struct sql_cursor c;
	va_list ap;
	int r;

	*yes = 0;
	va_start(ap, fmt);
	r = sql_first(&c, sql_vopen(st, &c, what, sql, fmt, &ap));
	va_end(ap);
	if (r == 0)
		*yes = 1;
	return sql_done(&c, r == CAMP_ENOENT ? 0 : r);
}

int sql_ids(struct store *st, const char *what, const char *sql, int64_t **ids, int *n,
	    const char *fmt, ...)
{
	struct sql_cursor c;
	va_list ap;
	int r;

	*ids = NULL;
	*n = 0;
	va_start(ap, fmt);
	sql_vopen(st, &c, what, sql, fmt, &ap);
	va_end(ap);
	while ((r = sql_next(&c)) > 0)
		ids_push(ids, n, col_int64(&c, 0));
	if (r < 0) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	return sql_done(&c, r);
}

int64_t sql_last_id(struct store *st)
{
	return sqlite3_last_insert_rowid(st->db);
}

int sql_changes(struct store *st)
{
	return sqlite3_changes(st->db);
}

/* ---- small sorted id sets ----------------------------------------------- */

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
