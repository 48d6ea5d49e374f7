/*
 * settings.c: small key/value settings that belong with the data (the
 * instance's own keys, first-run flags), as opposed to camp.conf, which
 * the operator edits by hand.
 */
#include "store/store-private.h"

int setting_get(struct store *st, const char *key, char **out)
{
	static const char sql[] = "SELECT value FROM settings WHERE key = ?";
	int r;

	*out = NULL;
	r = sql_text(st, "reading a setting", sql, out, "t", key);
	return r == CAMP_ENOENT ? 0 : r;
}

int setting_set(struct store *st, const char *key, const char *value)
{
	static const char sql[] =
		"INSERT INTO settings(key, value) VALUES (?, ?)"
		" ON CONFLICT(key) DO UPDATE SET value = excluded.value";

	return sql_exec(st, "saving a setting", sql, "tt", key, value);
}
