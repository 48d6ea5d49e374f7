/*
 * inbox.c: what federation remembers of activities that came in: the ids
 * already applied (so a repeat changes nothing), reports (Flag) kept for
 * the moderation queue, and Move announcements.
 *
 * Callers validate every string first (UTF-8, size); this file never
 * interprets remote content.
 */
#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

int inbox_seen_add(struct store *st, const char *activity_id, const char *type,
		   int64_t actor_id, const char *object, int *seen)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO fed_seen(activity_id, type, actor_id, object,"
		" received_at) VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt *s;
	int r;

	*seen = 0;
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, activity_id);
	bind_text(s, 2, type);
	sqlite3_bind_int64(s, 3, actor_id);
	bind_text(s, 4, object ? object : "");
	sqlite3_bind_int64(s, 5, now_s());
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "recording an activity");
	else
		*seen = sqlite3_changes(store_db(st)) == 0;
	return stmt_done(s, r);
}

int inbox_seen_get(struct store *st, int64_t actor_id, const char *activity_id,
		   char **type, char **object)
{
	static const char sql[] = "SELECT type, object FROM fed_seen"
				  " WHERE actor_id = ? AND activity_id = ?";
	sqlite3_stmt *s;
	int r, rc;

	*type = *object = NULL;
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, actor_id);
	bind_text(s, 2, activity_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*type = col_text(s, 0);
		*object = col_text(s, 1);
	} else if (rc == SQLITE_DONE) {
		r = err_set(CAMP_ENOENT, "activity never seen");
	} else {
		r = store_dberr(st, "reading an activity");
	}
	return stmt_done(s, r);
}

int fed_flag_add(struct store *st, const char *activity_id, int64_t reporter_id,
		 const char *objects, const char *content)
{
	static const char sql[] =
		"INSERT INTO fed_flags(activity_id, reporter_id, objects, content,"
		" received_at) VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, activity_id);
	if (reporter_id)
		sqlite3_bind_int64(s, 2, reporter_id);
	else
		sqlite3_bind_null(s, 2);
	bind_text(s, 3, objects);
	bind_text(s, 4, content ? content : "");
	sqlite3_bind_int64(s, 5, now_s());
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "keeping a report");
	return stmt_done(s, r);
}

int fed_flag_count(struct store *st, int64_t *n)
{
	static const char sql[] = "SELECT count(*) FROM fed_flags WHERE resolved_at = 0";
	sqlite3_stmt *s;
	int r;

	*n = 0;
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	if (sqlite3_step(s) == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	else
		r = store_dberr(st, "counting reports");
	return stmt_done(s, r);
}

int fed_move_add(struct store *st, int64_t account_id, const char *target_uri)
{
	static const char sql[] = "INSERT INTO fed_moves(account_id, target_uri, "
				  "received_at) VALUES (?, ?, ?)";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, account_id);
	bind_text(s, 2, target_uri);
	sqlite3_bind_int64(s, 3, now_s());
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "recording a move");
	return stmt_done(s, r);
}
