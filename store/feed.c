/*
 * feed.c: members' home timelines, fanned out when a post is written.
 *
 * A post is added to the home feed of its author (if a member) and of
 * every member who follows the author and has not muted them; following
 * (or unmuting) someone backfills their recent posts, unfollowing (or
 * muting) removes them.  The feed is only an index of
 * candidates: timeline.c asks audience.c about every row when it is read,
 * so a feed row can never show what the rules forbid, and a post hidden
 * when written (say, a boost of someone blocked since unblocked) shows
 * once the rules allow it.  Direct posts live in the DM view, not here.
 */
#include "store/store-private.h"

#include <stdlib.h>

#define BACKFILL_POSTS 100

static int feed_add(struct store *st, int64_t member, int64_t post_id)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO home_feed(account_id, post_id) VALUES (?, ?)";

	return sql_exec(st, "updating a home timeline", sql, "ii", member, post_id);
}

int feed_fanout(struct store *st, const struct post_meta *m)
{
	/* Members who muted the author are left out (an unmute backfills). */
	static const char sql[] =
		"SELECT f.follower_id FROM follows f JOIN accounts a"
		" ON a.id = f.follower_id"
		" WHERE f.target_id = ?1 AND f.state = " SQL_FOLLOW_ACCEPTED
		" AND a.domain IS NULL"
		" AND NOT EXISTS (SELECT 1 FROM mutes u WHERE u.account_id ="
		" f.follower_id AND u.target_id = ?1)";
	int64_t *members;
	int n, r;

	if (m->visibility == VIS_DIRECT)
		return 0;
	if (m->local && (r = feed_add(st, m->author_id, m->id)) != 0)
		return r;
	if ((r = sql_ids(st, "updating home timelines", sql, &members, &n, "i",
			 m->author_id)) != 0)
		return r;
	for (int i = 0; i < n && r == 0; i++)
		r = feed_add(st, members[i], m->id);
	free(members);
	return r;
}

int feed_backfill(struct store *st, int64_t member, int64_t author)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO home_feed(account_id, post_id)"
		" SELECT ?1, id FROM posts WHERE account_id = ?2"
		" AND visibility != " SQL_VIS_DIRECT " ORDER BY id DESC LIMIT ?3";

	return sql_exec(st, "updating a home timeline", sql, "iid", member, author,
			BACKFILL_POSTS);
}

int feed_forget(struct store *st, int64_t member, int64_t author)
{
	static const char sql[] =
		"DELETE FROM home_feed WHERE account_id = ? AND post_id IN"
		" (SELECT id FROM posts WHERE account_id = ?)";

	return sql_exec(st, "updating a home timeline", sql, "ii", member, author);
}
