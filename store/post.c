/*
 * post.c: writing posts: creating, editing, deleting, boosting,
 * favouriting; and loading one post as a viewer sees it.
 *
 * Every write is one transaction that also updates home feeds,
 * notifications and the outbox, so another process never sees a post
 * without its side effects.  Who may see or act on a post is asked of
 * audience.c; this file only applies the derived rules of DESIGN §3 that
 * are about writing (default visibility of replies, what may be boosted).
 */
#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

#define CW_MAX 500
#define REMOTE_CONTENT_MAX (256 * 1024)

int post_meta_get(struct store *st, int64_t id, struct post_meta *m)
{
	static const char sql[] =
		"SELECT account_id, ifnull(boost_of_id, 0), ifnull(in_reply_to_id, 0),"
		" thread_id, visibility, local FROM posts WHERE id = ?";
	sqlite3_stmt *s;
	int r, rc;

	memset(m, 0, sizeof *m);
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		m->id = id;
		m->author_id = sqlite3_column_int64(s, 0);
		m->boost_of_id = sqlite3_column_int64(s, 1);
		m->in_reply_to_id = sqlite3_column_int64(s, 2);
		m->thread_id = sqlite3_column_int64(s, 3);
		m->visibility = (enum visibility)sqlite3_column_int(s, 4);
		m->local = sqlite3_column_int(s, 5);
	} else if (rc == SQLITE_DONE) {
		r = err_set(CAMP_ENOENT, "no such post");
	} else {
		r = store_dberr(st, "reading a post");
	}
	return stmt_done(s, r);
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

/* Checks text and content warning: UTF-8, not empty, within the limit. */
int post_text_check(const char *content, const char *cw, long max_chars)
{
	size_t n = strlen(content), ncw = cw ? strlen(cw) : 0, at;
	int blank = 1;

	if (!utf8_valid(content, n, &at))
		return err_set(CAMP_EINVAL, "the post is not valid UTF-8 (at byte %zu)",
			       at);
	if (cw && !utf8_valid(cw, ncw, &at))
		return err_set(CAMP_EINVAL,
			       "the content warning is not valid UTF-8 (at byte %zu)",
			       at);
	for (size_t i = 0; i < n && blank; i++)
		blank = content[i] == ' ' || content[i] == '\n' || content[i] == '\t' ||
			content[i] == '\r';
	if (blank)
		return err_set(CAMP_EINVAL, "the post is empty");
	if (max_chars > 0) {
		size_t total = utf8_count(content, n) + utf8_count(cw ? cw : "", ncw);
		if (total > (size_t)max_chars)
			return err_set(
				CAMP_ETOOBIG,
				"the post is %zu characters long; the limit is %ld",
				total, max_chars);
	} else if (n > REMOTE_CONTENT_MAX) {
		return err_set(CAMP_ETOOBIG, "the post is too long");
	}
	if (cw && utf8_count(cw, ncw) > CW_MAX)
		return err_set(CAMP_ETOOBIG,
			       "a content warning has at most %d characters", CW_MAX);
	return 0;
}

/* The visibility a reply gets when its author does not choose one: never
 * wider than the parent, and camp-only under a camp-only post. */
static int reply_default(int def, int parent)
{
	switch (parent) {
	case VIS_DIRECT:
	case VIS_CAMP:
		return parent;
	case VIS_NEIGHBORHOOD:
		return def == VIS_CAMP ? VIS_CAMP : VIS_NEIGHBORHOOD;
	case VIS_FOLLOWERS:
		return def == VIS_DIRECT ? VIS_DIRECT : VIS_FOLLOWERS;
	case VIS_UNLISTED:
		return def == VIS_PUBLIC ? VIS_UNLISTED : def;
	default:
		return def;
	}
}

/* Everything post_create works out before it writes. */
struct post_plan {
	const struct post_new *req;
	int member; /* the author is a member of this camp */
	int visibility;
	int flags;
	struct post_meta parent; /* id 0: no (visible) parent */
	int64_t parent_author;
	struct entity *entities;
	int nentities;
	int64_t *mentions; /* every addressee, sorted */
	int nmentions;
	int64_t *explicit_mentions; /* sorted */
	int nexplicit;
};

static void post_plan_free(struct post_plan *p)
{
	entities_free(p->entities, p->nentities);
	free(p->mentions);
	free(p->explicit_mentions);
}

/* Resolves the parent.  A member may only reply to what they can see; a
 * remote reply to a post its author cannot see keeps only the uri. */
static int plan_parent(struct store *st, struct post_plan *p)
{
	const struct post_new *req = p->req;
	int r;

	if (req->in_reply_to_id == 0)
		return 0;
	r = post_meta_visible(st, req->author_id, req->in_reply_to_id, &p->parent);
	if (r == CAMP_ENOENT && !p->member) {
		memset(&p->parent, 0, sizeof p->parent);
		return 0;
	}
	if (r != 0)
		return r;
	if (p->parent.boost_of_id)
		return err_set(CAMP_EINVAL, "reply to the boosted post, not the boost");
	p->parent_author = p->parent.author_id;
	return 0;
}

static int plan_visibility(struct store *st, struct post_plan *p)
{
	const struct post_new *req = p->req;
	struct account a;
	int r, def;

	if (!p->member) {
		if (req->visibility < 0 || req->visibility == VIS_CAMP ||
		    req->visibility >= VIS_COUNT)
			return err_set(CAMP_EINVAL, "a remote post needs a visibility "
						    "other than camp");
		p->visibility = req->visibility;
		return 0;
	}
	if (req->visibility >= VIS_COUNT)
		return err_set(CAMP_EINVAL, "unknown visibility");
	if ((r = account_get(st, req->author_id, &a)) != 0)
		return r;
	def = a.default_visibility;
	account_free(&a);
	if (p->parent.id && req->visibility < 0)
		p->visibility = reply_default(def, p->parent.visibility);
	else
		p->visibility = req->visibility < 0 ? def : req->visibility;
	if (p->parent.id && p->parent.visibility == VIS_CAMP && p->visibility != VIS_CAMP)
		p->flags |= POST_WIDENED;
	return 0;
}

/* Adds the mentions of a parent post (a direct conversation goes on with
 * everyone in it). */
static int plan_parent_mentions(struct store *st, struct post_plan *p)
{
	static const char sql[] = "SELECT account_id FROM mentions WHERE post_id = ?";
	int64_t *ids;
	int n, r;
	sqlite3_stmt *s;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, p->parent.id);
	if ((r = query_ids(st, s, &ids, &n)) != 0)
		return r;
	for (int i = 0; i < n; i++)
		ids_push(&p->mentions, &p->nmentions, ids[i]);
	free(ids);
	return 0;
}

/* Who a post is addressed to.  A member's post goes to the people named
 * in it, the author of the post it answers, and in a direct conversation
 * everyone already in it.  A remote post goes to exactly the addressees
 * its server sent (extra_mentions): names in its text are only links, and
 * nothing is ever added, so no one here sees a remote message that was
 * not sent to them. */
static int plan_mentions(struct store *st, struct post_plan *p)
{
	const struct post_new *req = p->req;
	int r;

	for (int i = 0; i < p->nentities && p->member; i++)
		if (p->entities[i].kind == ENTITY_MENTION)
			ids_push(&p->explicit_mentions, &p->nexplicit,
				 p->entities[i].account_id);
	for (int i = 0; i < req->nextra_mentions; i++)
		ids_push(&p->explicit_mentions, &p->nexplicit, req->extra_mentions[i]);
	p->nexplicit = ids_sort_unique(p->explicit_mentions, p->nexplicit);
	for (int i = 0; i < p->nexplicit; i++)
		ids_push(&p->mentions, &p->nmentions, p->explicit_mentions[i]);
	if (p->parent_author && p->member)
		ids_push(&p->mentions, &p->nmentions, p->parent_author);
	/* Only a direct conversation carries its people on: a direct reply
	 * to, say, a camp-only post must not reach someone that post merely
	 * named, who never saw it. */
	if (p->parent.id && p->member && p->visibility == VIS_DIRECT &&
	    p->parent.visibility == VIS_DIRECT && (r = plan_parent_mentions(st, p)) != 0)
		return r;
	/* Nobody addresses themselves. */
	int out = 0;
	p->nmentions = ids_sort_unique(p->mentions, p->nmentions);
	for (int i = 0; i < p->nmentions; i++)
		if (p->mentions[i] != req->author_id)
			p->mentions[out++] = p->mentions[i];
	p->nmentions = out;
	if (p->visibility == VIS_DIRECT && p->nmentions == 0)
		return err_set(CAMP_EINVAL,
			       "a direct post needs someone to go to: mention them");
	return 0;
}

static int post_plan_make(struct store *st, const struct post_new *req,
			  struct post_plan *p)
{
	int r;

	memset(p, 0, sizeof *p);
	p->req = req;
	if ((r = account_is_member(st, req->author_id)) < 0)
		return r;
	p->member = r;
	if ((r = post_text_check(req->content, req->cw,
				 p->member ? req->max_chars : 0)) != 0 ||
	    (r = plan_parent(st, p)) != 0 || (r = plan_visibility(st, p)) != 0)
		return r;
	if ((r = text_parse(st, req->content, req->local_domain, &p->entities,
			    &p->nentities)) != 0)
		return r;
	return plan_mentions(st, p);
}

/* "3,7,12": the people in a direct conversation. */
static char *conversation_key(int64_t author, const int64_t *mentions, int n)
{
	int64_t *all = NULL;
	int count = 0;
	struct buf b = BUF_INIT;

	ids_push(&all, &count, author);
	for (int i = 0; i < n; i++)
		ids_push(&all, &count, mentions[i]);
	count = ids_sort_unique(all, count);
	for (int i = 0; i < count; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)all[i]);
	free(all);
	return buf_detach(&b);
}

static int post_insert_row(struct store *st, const struct post_plan *p, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO posts(account_id, local, uri, url, content, cw, visibility,"
		" in_reply_to_id, in_reply_to_uri, in_reply_to_account_id, conversation,"
		" created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char thread_sql[] = "UPDATE posts SET thread_id = ? WHERE id = ?";
	const struct post_new *req = p->req;
	char *conv = NULL;
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, req->author_id);
	sqlite3_bind_int(s, 2, p->member);
	bind_text(s, 3, p->member ? NULL : req->uri);
	bind_text(s, 4, p->member ? NULL : req->url);
	bind_text(s, 5, req->content);
	bind_text(s, 6, req->cw ? req->cw : "");
	sqlite3_bind_int(s, 7, p->visibility);
	if (p->parent.id) {
		sqlite3_bind_int64(s, 8, p->parent.id);
		sqlite3_bind_int64(s, 10, p->parent_author);
	}
	bind_text(s, 9, req->in_reply_to_uri);
	if (p->visibility == VIS_DIRECT) {
		conv = conversation_key(req->author_id, p->mentions, p->nmentions);
		bind_text(s, 11, conv);
	}
	sqlite3_bind_int64(s, 12,
			   req->created_at && !p->member ? req->created_at : now_s());
	if (sqlite3_step(s) != SQLITE_DONE)
		r = sqlite3_extended_errcode(store_db(st)) == SQLITE_CONSTRAINT_UNIQUE
			    ? err_set(CAMP_EEXIST, "this post is already known")
			    : store_dberr(st, "saving the post");
	stmt_done(s, 0);
	free(conv);
	if (r != 0)
		return r;
	*id = sqlite3_last_insert_rowid(store_db(st));
	if ((r = stmt_prep(st, thread_sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, p->parent.id ? p->parent.thread_id : *id);
	sqlite3_bind_int64(s, 2, *id);
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving the post");
	return stmt_done(s, r);
}

/* Runs sql with (?1 = a, ?2 = b, ?3 = c) and no results. */
int exec3(struct store *st, const char *sql, int64_t a, int64_t b, int64_t c)
{
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	sqlite3_bind_int64(s, 3, c);
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving the post");
	return stmt_done(s, r);
}

int post_insert_entities(struct store *st, int64_t id, const struct entity *e, int n)
{
	static const char sql[] =
		"INSERT INTO entities(post_id, idx, kind, start, end, value, account_id)"
		" VALUES (?, ?, ?, ?, ?, ?, ?)";
	static const char tag_sql[] =
		"INSERT OR IGNORE INTO tags(tag, post_id) VALUES (?, ?)";
	sqlite3_stmt *s;
	int r = 0;

	for (int i = 0; i < n && r == 0; i++) {
		if ((r = stmt_prep(st, sql, &s)) != 0)
			return r;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int(s, 2, i);
		sqlite3_bind_int(s, 3, e[i].kind);
		sqlite3_bind_int(s, 4, e[i].start);
		sqlite3_bind_int(s, 5, e[i].end);
		bind_text(s, 6, e[i].value);
		if (e[i].account_id)
			sqlite3_bind_int64(s, 7, e[i].account_id);
		if (sqlite3_step(s) != SQLITE_DONE)
			r = store_dberr(st, "saving the post");
		stmt_done(s, 0);
		if (r == 0 && e[i].kind == ENTITY_TAG) {
			if ((r = stmt_prep(st, tag_sql, &s)) != 0)
				return r;
			bind_text(s, 1, e[i].value);
			sqlite3_bind_int64(s, 2, id);
			if (sqlite3_step(s) != SQLITE_DONE)
				r = store_dberr(st, "saving the post");
			stmt_done(s, 0);
		}
	}
	return r;
}

/* Tags a remote server sent in `tag` besides the ones in the text. */
static int post_insert_extra_tags(struct store *st, int64_t id,
				  const struct post_new *req)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO tags(tag, post_id) VALUES (?, ?)";
	sqlite3_stmt *s;
	int r = 0;

	for (int i = 0; i < req->nextra_tags && r == 0; i++) {
		const char *t = req->extra_tags[i];
		if (t[0] == '#')
			t++;
		if (!*t || !utf8_valid(t, strlen(t), NULL) || strlen(t) > 400)
			continue;
		struct entity *e;
		int n;
		char *text = xasprintf("#%s", t);
		text_parse(st, text, NULL, &e, &n);
		if (n == 1 && e[0].kind == ENTITY_TAG) {
			if ((r = stmt_prep(st, sql, &s)) != 0) {
				entities_free(e, n);
				free(text);
				return r;
			}
			bind_text(s, 1, e[0].value);
			sqlite3_bind_int64(s, 2, id);
			if (sqlite3_step(s) != SQLITE_DONE)
				r = store_dberr(st, "saving the post");
			stmt_done(s, 0);
		}
		entities_free(e, n);
		free(text);
	}
	return r;
}

static int post_insert_mentions(struct store *st, int64_t id, const struct post_plan *p)
{
	static const char sql[] =
		"INSERT INTO mentions(post_id, account_id, explicit) VALUES (?1, ?2, ?3)";
	int r = 0;

	for (int i = 0; i < p->nmentions && r == 0; i++)
		r = exec3(
			st, sql, id, p->mentions[i],
			ids_contains(p->explicit_mentions, p->nexplicit, p->mentions[i]));
	return r;
}

/* Notifies every mentioned member; the parent's author hears of a reply. */
static int post_notify(struct store *st, int64_t id, const struct post_plan *p)
{
	struct viewer *v;
	int r = 0, yes = 0;

	for (int i = 0; i < p->nmentions && r == 0; i++)
		if (p->mentions[i] != p->parent_author)
			r = notify(st, p->mentions[i], NOTIFY_MENTION, p->req->author_id,
				   id);
	if (r != 0 || p->parent_author == 0 ||
	    account_is_member(st, p->parent_author) != 1)
		return r;
	/* The parent's author hears of a reply they may see, addressed to
	 * them or not. */
	if ((r = viewer_member(st, p->parent_author, &v)) != 0)
		return r;
	r = audience_can_see(st, v, id, &yes);
	viewer_free(v);
	if (r == 0 && yes)
		r = notify(st, p->parent_author, NOTIFY_REPLY, p->req->author_id, id);
	return r;
}

/* Records the delivery of a member's post to remote servers. */
int post_outbox(struct store *st, enum outbox_kind kind, int64_t actor, int64_t id,
		int64_t object)
{
	int64_t *recips;
	int n, r;

	if ((r = audience_remote_recipients(st, id, &recips, &n)) != 0)
		return r;
	r = outbox_add(st, kind, actor, id, object, NULL, 0, recips, n);
	free(recips);
	return r;
}

/* Records everyone in a direct post's conversation (dm.c lists from it). */
static int post_dm_members(struct store *st, const struct post_plan *p, int64_t id)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO dm_members(account_id, conversation)"
		" SELECT ?1, conversation FROM posts WHERE id = ?2";
	int r;

	if (p->visibility != VIS_DIRECT)
		return 0;
	if ((r = exec3(st, sql, p->req->author_id, id, 0)) != 0)
		return r;
	for (int i = 0; i < p->nmentions && r == 0; i++)
		r = exec3(st, sql, p->mentions[i], id, 0);
	return r;
}

static int post_write(struct store *st, const struct post_plan *p, int64_t *id)
{
	struct post_meta m;
	int r;

	if ((r = post_insert_row(st, p, id)) != 0 ||
	    (r = post_insert_entities(st, *id, p->entities, p->nentities)) != 0 ||
	    (r = post_insert_extra_tags(st, *id, p->req)) != 0 ||
	    (r = post_insert_mentions(st, *id, p)) != 0 ||
	    (r = post_dm_members(st, p, *id)) != 0 ||
	    (r = post_meta_get(st, *id, &m)) != 0 || (r = feed_fanout(st, &m)) != 0 ||
	    (r = post_notify(st, *id, p)) != 0)
		return r;
	return post_outbox(st, OUTBOX_CREATE, p->req->author_id, *id, 0);
}

int post_create(struct store *st, const struct post_new *req, int64_t *id, int *flags)
{
	struct post_plan p;
	int r;

	*id = 0;
	if (flags)
		*flags = 0;
	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = post_plan_make(st, req, &p)) == 0)
		r = post_write(st, &p, id);
	if (r == 0 && flags)
		*flags = p.flags;
	post_plan_free(&p);
	if (r != 0) {
		store_rollback(st);
		*id = 0;
		return r;
	}
	return store_commit(st);
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
	sqlite3_stmt *s;
	int r, rc;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, p->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		p->entities = xrealloc(p->entities,
				       sizeof *p->entities * (size_t)(p->nentities + 1));
		struct entity *e = &p->entities[p->nentities++];
		e->kind = (enum entity_kind)sqlite3_column_int(s, 0);
		e->start = sqlite3_column_int(s, 1);
		e->end = sqlite3_column_int(s, 2);
		e->value = col_text(s, 3);
		e->account_id = sqlite3_column_int64(s, 4);
	}
	if (rc != SQLITE_DONE)
		r = store_dberr(st, "reading a post");
	return stmt_done(s, r);
}

static void post_from_row(sqlite3_stmt *s, struct post *p)
{
	p->id = sqlite3_column_int64(s, 0);
	p->author.id = sqlite3_column_int64(s, 1);
	p->author.username = col_text(s, 2);
	p->author.domain = col_text_or_null(s, 3);
	p->author.display_name = col_text(s, 4);
	p->author.uri = col_text_or_null(s, 5);
	p->uri = col_text_or_null(s, 6);
	p->url = col_text_or_null(s, 7);
	p->content = col_text(s, 8);
	p->cw = col_text(s, 9);
	p->visibility = (enum visibility)sqlite3_column_int(s, 10);
	p->local = sqlite3_column_int(s, 11);
	p->in_reply_to_id = sqlite3_column_int64(s, 12);
	p->in_reply_to_uri = col_text_or_null(s, 13);
	p->in_reply_to_author.id = sqlite3_column_int64(s, 14);
	p->thread_id = sqlite3_column_int64(s, 15);
	p->created_at = sqlite3_column_int64(s, 17);
	p->edited_at = sqlite3_column_int64(s, 18);
	p->replies = sqlite3_column_int(s, 19);
	p->boosts = sqlite3_column_int(s, 20);
	p->favourites = sqlite3_column_int(s, 21);
	p->favourited = sqlite3_column_int(s, 22);
	p->boosted = sqlite3_column_int(s, 23);
}

/* Loads a post by id for viewer_id (for the favourited/boosted flags),
 * without asking whether it is visible: callers have done that.  The
 * boosted post of a boost is loaded too. */
/* The replies to post id that v may see. */
static int visible_replies(struct store *st, struct viewer *v, int64_t id, int *count)
{
	static const char sql[] =
		"SELECT id, account_id, visibility, local, thread_id FROM posts"
		" WHERE in_reply_to_id = ? AND boost_of_id IS NULL";
	struct post_meta *metas = NULL;
	sqlite3_stmt *s;
	int r, rc, n = 0, yes;

	*count = 0;
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		metas = xrealloc(metas, sizeof *metas * (size_t)(n + 1));
		metas[n] = (struct post_meta){.id = sqlite3_column_int64(s, 0),
					      .author_id = sqlite3_column_int64(s, 1),
					      .visibility = sqlite3_column_int(s, 2),
					      .local = sqlite3_column_int(s, 3),
					      .thread_id = sqlite3_column_int64(s, 4),
					      .in_reply_to_id = id};
		n++;
	}
	if (rc != SQLITE_DONE)
		r = store_dberr(st, "counting replies");
	stmt_done(s, 0);
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
	sqlite3_stmt *s;
	int64_t boost_of = 0;
	int r, rc;

	memset(p, 0, sizeof *p);
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, viewer_account_id(v));
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		post_from_row(s, p);
		boost_of = sqlite3_column_int64(s, 16);
	} else {
		r = rc == SQLITE_DONE ? err_set(CAMP_ENOENT, "no such post")
				      : store_dberr(st, "reading a post");
	}
	stmt_done(s, 0);
	if (r != 0)
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
	int r;

	*id = 0;
	r = query_text_int64(st, "SELECT id FROM posts WHERE uri = ?1", uri, id);
	return r == CAMP_ENOENT ? err_set(r, "no such post") : r;
}

int post_max_id(struct store *st, int64_t *id)
{
	*id = 0;
	return query_int64(st, "SELECT ifnull(max(id), 0) FROM posts", id, 0);
}
