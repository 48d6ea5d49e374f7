/*
 * post-read.c: loading posts as a viewer sees them: one post with its
 * author, counts, entities and the viewer's own marks; what the audience
 * rules need to know of a post; earlier versions of an edited post.
 *
 * This file never decides who may see a post: every public entry point
 * asks audience.c first, and the counts it shows (replies) count only
 * what the viewer may see.  It never writes.
 */
#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

int post_meta_get(struct store *st, int64_t id, struct post_meta *m)
{
	static const char sql[] =
		"SELECT account_id, ifnull(boost_of_id, 0), ifnull(in_reply_to_id, 0),"
		" thread_id, visibility, local FROM posts WHERE id = ?";
	struct sql_cursor c;
	int r;

	memset(m, 0, sizeof *m);
	if ((r = sql_row(st, &c, "reading a post", sql, "i", id)) == 0) {
		m->id = id;
		m->author_id = col_int64(&c, 0);
		m->boost_of_id = col_int64(&c, 1);
		m->in_reply_to_id = col_int64(&c, 2);
		m->thread_id = col_int64(&c, 3);
		m->visibility = (enum visibility)col_int(&c, 4);
		m->local = col_int(&c, 5);
	} else if (r == CAMP_ENOENT) {
		err_set(r, "no such post");
	}
	return sql_done(&c, r);
}

/* Meta of a post as `actor` may see it; CAMP_ENOENT if they may not (the
 * same answer as for a missing post, so nothing leaks). */
int post_meta_visible(struct store *st, int64_t actor, int64_t id, struct post_meta *m)
{
	struct viewer *v;
	int r, yes = 0;

	if ((r = post_meta_get(st, id, m)) != 0)
		return r;
	if ((r = viewer_for_account(st, actor, &v)) != 0)
		return r;
	r = audience_check(st, v, m, &yes);
	viewer_free(v);
	if (r == 0 && !yes)
		r = err_set(CAMP_ENOENT, "no such post");
	return r;
}

/* ---- reading one post ------------------------------------------------- */

void post_free(struct post *p)
{
	if (p == NULL)
		return;
	account_brief_free(&p->author);
	account_brief_free(&p->in_reply_to_author);
	free(p->uri);
	free(p->url);
	free(p->content);
	free(p->cw);
	free(p->in_reply_to_uri);
	entities_free(p->entities, p->nentities);
	if (p->boost_of) {
		post_free(p->boost_of);
		free(p->boost_of);
	}
	memset(p, 0, sizeof *p);
}

static int post_load_entities(struct store *st, struct post *p)
{
	static const char sql[] =
		"SELECT kind, start, end, value, ifnull(account_id, 0) FROM entities"
		" WHERE post_id = ? ORDER BY idx";
	struct sql_cursor c;
	int r;

	sql_open(st, &c, "reading a post's mentions and tags", sql, "i", p->id);
	while ((r = sql_next(&c)) > 0) {
		p->entities = xrealloc(p->entities,
				       sizeof *p->entities * (size_t)(p->nentities + 1));
		struct entity *e = &p->entities[p->nentities++];
		e->kind = (enum entity_kind)col_int(&c, 0);
		e->start = col_int(&c, 1);
		e->end = col_int(&c, 2);
		e->value = col_text(&c, 3);
		e->account_id = col_int64(&c, 4);
	}
	return sql_done(&c, r);
}

static void post_from_row(const struct sql_cursor *c, struct post *p)
{
	p->id = col_int64(c, 0);
	p->author.id = col_int64(c, 1);
	p->author.username = col_text(c, 2);
	p->author.domain = col_text_or_null(c, 3);
	p->author.display_name = col_text(c, 4);
	p->author.uri = col_text_or_null(c, 5);
	p->uri = col_text_or_null(c, 6);
	p->url = col_text_or_null(c, 7);
	p->content = col_text(c, 8);
	p->cw = col_text(c, 9);
	p->visibility = (enum visibility)col_int(c, 10);
	p->local = col_int(c, 11);
	p->in_reply_to_id = col_int64(c, 12);
	p->in_reply_to_uri = col_text_or_null(c, 13);
	p->in_reply_to_author.id = col_int64(c, 14);
	p->thread_id = col_int64(c, 15);
	p->created_at = col_int64(c, 17);
	p->edited_at = col_int64(c, 18);
	p->replies = col_int(c, 19);
	p->boosts = col_int(c, 20);
	p->favourites = col_int(c, 21);
	p->favourited = col_int(c, 22);
	p->boosted = col_int(c, 23);
}

/* The replies to post id that v may see. */
static int visible_replies(struct store *st, struct viewer *v, int64_t id, int *count)
{
	static const char sql[] =
		"SELECT id, account_id, visibility, local, thread_id FROM posts"
		" WHERE in_reply_to_id = ? AND boost_of_id IS NULL";
	struct post_meta *metas = NULL;
	struct sql_cursor c;
	int r, n = 0, yes;

	*count = 0;
	sql_open(st, &c, "counting replies", sql, "i", id);
	while ((r = sql_next(&c)) > 0) {
		metas = xrealloc(metas, sizeof *metas * (size_t)(n + 1));
		metas[n++] = (struct post_meta){.id = col_int64(&c, 0),
						.author_id = col_int64(&c, 1),
						.visibility = col_int(&c, 2),
						.local = col_int(&c, 3),
						.thread_id = col_int64(&c, 4),
						.in_reply_to_id = id};
	}
	r = sql_done(&c, r);
	/* Checked after the scan: the check may run queries of its own. */
	for (int i = 0; i < n && r == 0; i++)
		if ((r = audience_check(st, v, &metas[i], &yes)) == 0)
			*count += yes;
	free(metas);
	return r;
}

/* Who a post replies to, shown only when v may see the parent; a hidden
 * parent is not even named. */
static int post_load_parent(struct store *st, struct viewer *v, struct post *p)
{
	int64_t author = p->in_reply_to_author.id;
	int r, yes = 0;

	p->in_reply_to_author.id = 0;
	if (p->in_reply_to_id == 0)
		return 0;
	if ((r = audience_can_see(st, v, p->in_reply_to_id, &yes)) != 0)
		return r == CAMP_ENOENT ? 0 : r;
	if (!yes) {
		p->in_reply_to_id = 0;
		return 0;
	}
	r = account_brief_get(st, author, &p->in_reply_to_author);
	return r == CAMP_ENOENT ? 0 : r;
}

/* Loads a post by id for v (for the favourited/boosted flags), without
 * asking whether it is visible: callers have done that.  The boosted
 * post of a boost is loaded too. */
static int post_load(struct store *st, struct viewer *v, int64_t id, struct post *p)
{
	static const char sql[] =
		"SELECT p.id, p.account_id, a.username, a.domain, a.display_name, a.uri,"
		" p.uri, p.url, p.content, p.cw, p.visibility, p.local,"
		" ifnull(p.in_reply_to_id, 0), p.in_reply_to_uri,"
		" ifnull(p.in_reply_to_account_id, 0), p.thread_id, "
		"ifnull(p.boost_of_id, 0),"
		" p.created_at, p.edited_at,"
		" 0," /* replies: counted per viewer, see visible_replies() */
		" (SELECT count(*) FROM posts b WHERE b.boost_of_id = p.id),"
		" (SELECT count(*) FROM favourites f WHERE f.post_id = p.id),"
		" EXISTS(SELECT 1 FROM favourites f WHERE f.post_id = p.id"
		"        AND f.account_id = ?2),"
		" EXISTS(SELECT 1 FROM posts b WHERE b.boost_of_id = p.id"
		"        AND b.account_id = ?2)"
		" FROM posts p JOIN accounts a ON a.id = p.account_id WHERE p.id = ?1";
	struct sql_cursor c;
	int64_t boost_of = 0;
	int r;

	memset(p, 0, sizeof *p);
	if ((r = sql_row(st, &c, "reading a post", sql, "ii", id,
			 viewer_account_id(v))) == 0) {
		post_from_row(&c, p);
		boost_of = col_int64(&c, 16);
	} else if (r == CAMP_ENOENT) {
		err_set(r, "no such post");
	}
	if ((r = sql_done(&c, r)) != 0)
		return r;
	if ((r = post_load_parent(st, v, p)) == 0 &&
	    (r = visible_replies(st, v, p->id, &p->replies)) == 0)
		r = post_load_entities(st, p);
	if (r == 0 && boost_of) {
		p->boost_of = xcalloc(1, sizeof *p->boost_of);
		r = post_load(st, v, boost_of, p->boost_of);
	}
	if (r != 0)
		post_free(p);
	return r;
}

int post_get(struct store *st, struct viewer *v, int64_t id, struct post *out)
{
	struct post_meta m;
	int r, yes = 0;

	memset(out, 0, sizeof *out);
	if ((r = post_meta_get(st, id, &m)) != 0 ||
	    (r = audience_check(st, v, &m, &yes)) != 0)
		return r;
	if (!yes)
		return err_set(CAMP_ENOENT, "no such post");
	return post_load(st, v, id, out);
}

/* Loads a post known to be visible to v (timeline.c's entry point). */
int post_load_for(struct store *st, struct viewer *v, int64_t id, struct post *out)
{
	return post_load(st, v, id, out);
}

int post_find_uri(struct store *st, const char *uri, int64_t *id)
{
	static const char sql[] = "SELECT id FROM posts WHERE uri = ?";
	int r;

	*id = 0;
	r = sql_int64(st, "looking up a post", sql, id, "t", uri);
	return r == CAMP_ENOENT ? err_set(r, "no such post") : r;
}

int post_max_id(struct store *st, int64_t *id)
{
	static const char sql[] = "SELECT ifnull(max(id), 0) FROM posts";

	*id = 0;
	return sql_int64(st, "looking for new posts", sql, id, "");
}

/* ---- earlier versions -------------------------------------------------- */

int post_history(struct store *st, struct viewer *v, int64_t post_id,
		 struct post_version **out, int *n)
{
	static const char sql[] = "SELECT content, cw, replaced_at FROM post_edits"
				  " WHERE post_id = ? ORDER BY id";
	struct post_meta m;
	struct sql_cursor c;
	int r, yes = 0;

	*out = NULL;
	*n = 0;
	if ((r = post_meta_get(st, post_id, &m)) != 0 ||
	    (r = audience_check(st, v, &m, &yes)) != 0)
		return r;
	if (!yes)
		return err_set(CAMP_ENOENT, "no such post");
	sql_open(st, &c, "reading the post's history", sql, "i", post_id);
	while ((r = sql_next(&c)) > 0) {
		*out = xrealloc(*out, sizeof **out * (size_t)(*n + 1));
		(*out)[*n].content = col_text(&c, 0);
		(*out)[*n].cw = col_text(&c, 1);
		(*out)[*n].at = col_int64(&c, 2);
		(*n)++;
	}
	if (r < 0) {
		post_history_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return sql_done(&c, r);
}

void post_history_free(struct post_version *h, int n)
{
	for (int i = 0; i < n; i++) {
		free(h[i].content);
		free(h[i].cw);
	}
	free(h);
}
