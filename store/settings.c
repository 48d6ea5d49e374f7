/*
 * settings.c: small key/value settings that belong with the data (the
 * instance's own keys, first-run flags), as opposed to camp.conf, which
 * the operator edits by hand.
 */
#include "store/store-private.h"

int setting_get(struct store *st, const char *key, char **out)
{
	static const char sql[] = "SELECT value FROM settings WHERE key = ?";
	sqlite3_stmt *s;
	int r, rc;

	*out = NULL;
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = col_text(s, 0);
	else if (rc != SQLITE_DONE)
		r = store_dberr(st, "reading a setting");
	return stmt_done(s, r);
}

int setting_set(struct store *st, const char *key, const char *value)
{
	static const char sql[] =
		"INSERT INTO settings(key, value) VALUES (?, ?)"
		" ON CONFLICT(key) DO UPDATE SET value = excluded.value";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, key);
	bind_text(s, 2, value);
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving a setting");
	return stmt_done(s, r);
}
