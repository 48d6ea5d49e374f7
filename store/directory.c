/*
 * directory.c: the member directory: everyone on the camp, with their
 * one-line intro, when they joined, and how they and the viewer relate.
 * Members who left are not listed.
 */
#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

int directory_list(struct store *st, int64_t viewer_id, struct directory_entry **out,
		   int *n)
{
	static const char sql[] =
		"SELECT id,"
		" EXISTS(SELECT 1 FROM follows WHERE follower_id = a.id AND target_id = "
		"?1"
		"        AND state = 2),"
		" EXISTS(SELECT 1 FROM follows WHERE follower_id = ?1 AND target_id = "
		"a.id"
		"        AND state = 2),"
		" (SELECT count(*) FROM posts p WHERE p.account_id = a.id"
		"        AND p.boost_of_id IS NULL)"
		" FROM accounts a WHERE domain IS NULL AND deleted_at = 0 ORDER BY "
		"username";
	sqlite3_stmt *s;
	int r, rc;

	*out = NULL;
	*n = 0;
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, viewer_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xrealloc(*out, sizeof **out * (size_t)(*n + 1));
		struct directory_entry *e = &(*out)[*n];
		memset(e, 0, sizeof *e);
		e->follows_you = sqlite3_column_int(s, 1);
		e->you_follow = sqlite3_column_int(s, 2);
		e->posts = sqlite3_column_int64(s, 3);
		e->account.id = sqlite3_column_int64(s, 0);
		(*n)++;
	}
	if (rc != SQLITE_DONE)
		r = store_dberr(st, "reading the directory");
	stmt_done(s, 0);
	/* Full accounts are read after the scan: the cached statement of
	 * account_get must not run inside it. */
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
