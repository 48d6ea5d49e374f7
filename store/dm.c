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

/* The conversation behind a row of dm_conversations' query, with its
 * latest message as v sees it; CAMP_ENOENT when v may not see it. */
static int conversation_load(struct store *st, struct viewer *v, const char *key,
			     int64_t last, struct conversation *c)
{
	static const char count_sql[] =
		"SELECT count(*) FROM posts WHERE conversation = ?"
		" AND visibility = " SQL_VIS_DIRECT;
	int64_t count = 0;
	int r;

	memset(c, 0, sizeof *c);
	if ((r = sql_int64(st, "counting messages", count_sql, &count, "t", key)) != 0)
		return r;
	c->count = (int)count;
	if ((r = conversation_people(st, key, viewer_account_id(v), c)) == 0 &&
	    (r = post_get(st, v, last, &c->last)) == 0)
		return 0;
	for (int j = 0; j < c->nwith; j++)
		account_brief_free(&c->with[j]);
	free(c->with);
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
		"   AND p.visibility = " SQL_VIS_DIRECT ") AS last"
		"  FROM dm_members d WHERE d.account_id = ?1)"
		" WHERE last IS NOT NULL ORDER BY last DESC LIMIT ?2";
	struct sql_cursor c;
	int r;

	memset(out, 0, sizeof *out);
	if (limit < 1 || limit > 200)
		return err_set(CAMP_EINVAL, "a page has 1 to 200 conversations");
	sql_open(st, &c, "reading conversations", sql, "id", viewer_account_id(v), limit);
	while ((r = sql_next(&c)) > 0) {
		struct conversation conv;
		char *key = col_text(&c, 0);
		r = conversation_load(st, v, key, col_int64(&c, 1), &conv);
		free(key);
		if (r == CAMP_ENOENT)
			continue; /* blocked since: leave it out */
		if (r != 0)
			break;
		out->items =
			xrealloc(out->items, sizeof *out->items * (size_t)(out->n + 1));
		out->items[out->n++] = conv;
	}
	if ((r = sql_done(&c, r)) != 0)
		conversation_list_free(out);
	return r;
}

int dm_conversation_posts(struct store *st, struct viewer *v, int64_t post_id,
			  int64_t max_id, int limit, struct post_list *out)
{
	static const char key_sql[] = "SELECT conversation FROM posts WHERE id = ?"
				      " AND visibility = " SQL_VIS_DIRECT;
	static const char sql[] = "SELECT id FROM posts WHERE conversation = ?"
				  " AND visibility = " SQL_VIS_DIRECT
				  " AND id < ? ORDER BY id DESC LIMIT ?";
	struct post p;
	int64_t *ids = NULL;
	char *key = NULL;
	int r, n = 0;

	memset(out, 0, sizeof *out);
	if ((r = post_get(st, v, post_id, &p)) != 0)
		return r;
	post_free(&p);
	r = sql_text(st, "reading the conversation", key_sql, &key, "i", post_id);
	if (r == CAMP_ENOENT || (r == 0 && key == NULL))
		return err_set(CAMP_EINVAL, "not a direct message");
	if (r != 0)
		return r;
	r = sql_ids(st, "reading the conversation", sql, &ids, &n, "tid", key,
		    max_id > 0 ? max_id : INT64_MAX, limit);
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
