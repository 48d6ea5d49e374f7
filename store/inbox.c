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
	int r;

	*seen = 0;
	if ((r = sql_exec(st, "recording an activity", sql, "ttiti", activity_id, type,
			  actor_id, object ? object : "", now_s())) == 0)
		*seen = sql_changes(st) == 0;
	return r;
}

int inbox_seen_get(struct store *st, int64_t actor_id, const char *activity_id,
		   char **type, char **object)
{
	static const char sql[] = "SELECT type, object FROM fed_seen"
				  " WHERE actor_id = ? AND activity_id = ?";
	struct sql_cursor c;
	int r;

	*type = *object = NULL;
	if ((r = sql_row(st, &c, "reading an activity", sql, "it", actor_id,
			 activity_id)) == 0) {
		*type = col_text(&c, 0);
		*object = col_text(&c, 1);
	} else if (r == CAMP_ENOENT) {
		err_set(r, "activity never seen");
	}
	return sql_done(&c, r);
}

int fed_flag_add(struct store *st, const char *activity_id, int64_t reporter_id,
		 const char *objects, const char *content)
{
	static const char sql[] =
		"INSERT INTO fed_flags(activity_id, reporter_id, objects, content,"
		" received_at) VALUES (?, ?, ?, ?, ?)";

	return sql_exec(st, "keeping a report", sql, "tztti", activity_id, reporter_id,
			objects, content ? content : "", now_s());
}

int fed_flag_count(struct store *st, int64_t *n)
{
	static const char sql[] = "SELECT count(*) FROM fed_flags WHERE resolved_at = 0";

	*n = 0;
	return sql_int64(st, "counting reports", sql, n, "");
}

int fed_move_add(struct store *st, int64_t account_id, const char *target_uri)
{
	static const char sql[] = "INSERT INTO fed_moves(account_id, target_uri,"
				  " received_at) VALUES (?, ?, ?)";

	return sql_exec(st, "recording a move", sql, "iti", account_id, target_uri,
			now_s());
}
