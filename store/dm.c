/*
 * dm.c: direct messages, grouped into conversations by the set of people
 * in them ("you and bob", "you, bob and carol").
 *
 * A direct post's conversation key is the sorted list of its author and
 * addressees, fixed when it is written.  Only the people in it can ever
 * see it (audience.c), and this file lists only conversations the viewer
 * is in.
 */
#include "store/store-private.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void conversation_list_free(struct conversation_list *l)
{
	for (int i = 0; i < l->n; i++) {
		for (int j = 0; j < l->items[i].nwith; j++)
			account_brief_free(&l->items[i].with[j]);
		free(l->items[i].with);
		post_free(&l->items[i].last);
	}
	free(l->items);
	memset(l, 0, sizeof *l);
}

/* Fills c->with from a key "3,7,12", leaving out the viewer. */
static int conversation_people(struct store *st, const char *key, int64_t me,
			       struct conversation *c)
{
	const char *p = key;
	int r = 0;

	while (*p && r == 0) {
		char *end;
		long long id = strtoll(p, &end, 10);
		if (end == p)
			break;
		p = *end == ',' ? end + 1 : end;
		if (id == me)
			continue;
		c->with = xrealloc(c->with, sizeof *c->with * (size_t)(c->nwith + 1));
		r = account_brief_get(st, id, &c->with[c->nwith]);
		if (r == 0)
			c->nwith++;
	}
	return r;
}

int dm_conversations(struct store *st, struct viewer *v, int limit,
		     struct conversation_list *out)
{
	/* One index lookup per conversation the member is in (posts_direct
	 * is on conversation, id), not a read of every post mentioning them;
	 * see bench/RESULTS.md. */
	static const char sql[] =
		"SELECT conversation, last FROM (SELECT d.conversation,"
		"  (SELECT max(id) FROM posts p WHERE p.conversation = d.conversation"
		"   AND p.visibility = 3) AS last"
		"  FROM dm_members d WHERE d.account_id = ?1)"
		" WHERE last IS NOT NULL ORDER BY last DESC LIMIT ?2";
	static const char count_sql[] =
		"SELECT count(*) FROM posts WHERE conversation = ?1 AND visibility = 3";
	int64_t me = viewer_account_id(v);
	sqlite3_stmt *s;
	int r, rc;

	memset(out, 0, sizeof *out);
	if (limit < 1 || limit > 200)
		return err_set(CAMP_EINVAL, "a page has 1 to 200 conversations");
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, me);
	sqlite3_bind_int(s, 2, limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && r == 0) {
		struct conversation c;
		int64_t last = sqlite3_column_int64(s, 1), count = 0;
		const char *key = (const char *)sqlite3_column_text(s, 0);
		memset(&c, 0, sizeof c);
		if ((r = query_text_int64(st, count_sql, key, &count)) != 0)
			break;
		c.count = (int)count;
		if ((r = conversation_people(st, key, me, &c)) == 0 &&
		    (r = post_get(st, v, last, &c.last)) == 0) {
			out->items = xrealloc(out->items,
					      sizeof *out->items * (size_t)(out->n + 1));
			out->items[out->n++] = c;
			continue;
		}
		for (int j = 0; j < c.nwith; j++)
			account_brief_free(&c.with[j]);
		free(c.with);
		if (r == CAMP_ENOENT)
			r = 0; /* blocked since: leave it out */
	}
	if (r == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		r = store_dberr(st, "reading conversations");
	stmt_done(s, 0);
	if (r != 0)
		conversation_list_free(out);
	return r;
}

int dm_conversation_posts(struct store *st, struct viewer *v, int64_t post_id,
			  int64_t max_id, int limit, struct post_list *out)
{
	static const char key_sql[] =
		"SELECT conversation FROM posts WHERE id = ? AND visibility = 3";
	static const char sql[] =
		"SELECT id FROM posts WHERE conversation = ?"
		" AND visibility = 3 AND id < ? ORDER BY id DESC LIMIT ?";
	struct post p;
	int64_t *ids = NULL;
	char *key = NULL;
	sqlite3_stmt *s;
	int r, n = 0;

	memset(out, 0, sizeof *out);
	if ((r = post_get(st, v, post_id, &p)) != 0)
		return r;
	post_free(&p);
	if ((r = stmt_prep(st, key_sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, post_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		key = col_text(s, 0);
	stmt_done(s, 0);
	if (key == NULL)
		return err_set(CAMP_EINVAL, "not a direct message");
	if ((r = stmt_prep(st, sql, &s)) == 0) {
		bind_text(s, 1, key);
		sqlite3_bind_int64(s, 2, max_id > 0 ? max_id : INT64_MAX);
		sqlite3_bind_int(s, 3, limit);
		r = query_ids(st, s, &ids, &n);
	}
	free(key);
	for (int i = 0; i < n && r == 0; i++) {
		if ((r = post_get(st, v, ids[i], &p)) == 0)
			post_list_push(out, &p);
		else if (r == CAMP_ENOENT)
			r = 0;
	}
	if (r == 0 && n == limit)
		out->next_max_id = ids[n - 1];
	free(ids);
	if (r != 0)
		post_list_free(out);
	return r;
}
