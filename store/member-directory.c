/*
 * member-directory.c: the member directory: everyone on the camp, with
 * their one-line intro, when they joined, and how they and the viewer
 * relate.  Members who left are not listed.  (The camp's folder on disk
 * is campdir.c's.)
 */
#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

int directory_list(struct store *st, int64_t viewer_id, struct directory_entry **out,
		   int *n)
{
	static const char sql[] =
		"SELECT id,"
		" EXISTS(SELECT 1 FROM follows WHERE follower_id = a.id"
		"        AND target_id = ?1 AND state = " SQL_FOLLOW_ACCEPTED "),"
		" EXISTS(SELECT 1 FROM follows WHERE follower_id = ?1"
		"        AND target_id = a.id AND state = " SQL_FOLLOW_ACCEPTED "),"
		" (SELECT count(*) FROM posts p WHERE p.account_id = a.id"
		"        AND p.boost_of_id IS NULL)"
		" FROM accounts a WHERE domain IS NULL AND deleted_at = 0"
		" ORDER BY username";
	struct sql_cursor c;
	int r;

	*out = NULL;
	*n = 0;
	sql_open(st, &c, "reading the directory", sql, "i", viewer_id);
	while ((r = sql_next(&c)) > 0) {
		*out = xrealloc(*out, sizeof **out * (size_t)(*n + 1));
		struct directory_entry *e = &(*out)[(*n)++];
		memset(e, 0, sizeof *e);
		e->account.id = col_int64(&c, 0);
		e->follows_you = col_int(&c, 1);
		e->you_follow = col_int(&c, 2);
		e->posts = col_int64(&c, 3);
	}
	r = sql_done(&c, r);
	for (int i = 0; i < *n && r == 0; i++)
		r = account_get(st, (*out)[i].account.id, &(*out)[i].account);
	if (r != 0) {
		directory_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return r;
}

void directory_free(struct directory_entry *e, int n)
{
	for (int i = 0; i < n; i++)
		account_free(&e[i].account);
	free(e);
}
