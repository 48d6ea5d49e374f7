/*
 * post-write.c: writing a post: checking it, working out its level and
 * its addressees, and saving it with everything that follows from it.
 *
 * A post is written in one transaction that also updates home feeds,
 * notifications and the outbox, so another process never sees a post
 * without its side effects.  Who may see or receive it is asked of
 * audience.c, and so is the level a reply starts at; this file never
 * decides either by itself.  Edits and deletes are post-edit.c's,
 * boosts and favourites reaction.c's.
 */
#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

#define CW_MAX 500
#define REMOTE_CONTENT_MAX (256 * 1024)

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
		p->visibility = audience_reply_visibility(def, p->parent.visibility);
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

	if ((r = sql_ids(st, "reading the conversation's people", sql, &ids, &n, "i",
			 p->parent.id)) != 0)
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
	int r;

	if (p->visibility == VIS_DIRECT)
		conv = conversation_key(req->author_id, p->mentions, p->nmentions);
	r = sql_exec(st, "saving the post", sql, "idttttdztzti", req->author_id,
		     p->member, p->member ? NULL : req->uri, p->member ? NULL : req->url,
		     req->content, req->cw ? req->cw : "", p->visibility, p->parent.id,
		     req->in_reply_to_uri, p->parent.id ? p->parent_author : 0, conv,
		     req->created_at && !p->member ? req->created_at : now_s());
	free(conv);
	if (r == CAMP_EEXIST)
		return err_set(r, "this post is already known");
	if (r != 0)
		return r;
	*id = sql_last_id(st);
	return sql_exec(st, "saving the post", thread_sql, "ii",
			p->parent.id ? p->parent.thread_id : *id, *id);
}

int post_insert_entities(struct store *st, int64_t id, const struct entity *e, int n)
{
	static const char sql[] =
		"INSERT INTO entities(post_id, idx, kind, start, end, value, account_id)"
		" VALUES (?, ?, ?, ?, ?, ?, ?)";
	static const char tag_sql[] =
		"INSERT OR IGNORE INTO tags(tag, post_id) VALUES (?, ?)";
	int r = 0;

	for (int i = 0; i < n && r == 0; i++) {
		r = sql_exec(st, "saving the post's mentions and tags", sql, "iddddtz",
			     id, i, (int)e[i].kind, e[i].start, e[i].end, e[i].value,
			     e[i].account_id);
		if (r == 0 && e[i].kind == ENTITY_TAG)
			r = sql_exec(st, "saving the post's tags", tag_sql, "ti",
				     e[i].value, id);
	}
	return r;
}

/* A tag a remote server sent in `tag` besides the ones in the text,
 * saved when it reads as a tag. */
static int post_insert_extra_tag(struct store *st, int64_t id, const char *t)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO tags(tag, post_id) VALUES (?, ?)";
	struct entity *e;
	char *text;
	int n, r = 0;

	if (t[0] == '#')
		t++;
	if (!*t || !utf8_valid(t, strlen(t), NULL) || strlen(t) > 400)
		return 0;
	text = xasprintf("#%s", t);
	text_parse(st, text, NULL, &e, &n);
	if (n == 1 && e[0].kind == ENTITY_TAG)
		r = sql_exec(st, "saving the post's tags", sql, "ti", e[0].value, id);
	entities_free(e, n);
	free(text);
	return r;
}

static int post_insert_extra_tags(struct store *st, int64_t id,
				  const struct post_new *req)
{
	int r = 0;

	for (int i = 0; i < req->nextra_tags && r == 0; i++)
		r = post_insert_extra_tag(st, id, req->extra_tags[i]);
	return r;
}

static int post_insert_mentions(struct store *st, int64_t id, const struct post_plan *p)
{
	static const char sql[] =
		"INSERT INTO mentions(post_id, account_id, explicit) VALUES (?, ?, ?)";
	int r = 0;

	for (int i = 0; i < p->nmentions && r == 0; i++)
		r = sql_exec(
			st, "saving the post's mentions", sql, "iid", id, p->mentions[i],
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
	r = sql_exec(st, "saving the conversation", sql, "ii", p->req->author_id, id);
	for (int i = 0; i < p->nmentions && r == 0; i++)
		r = sql_exec(st, "saving the conversation", sql, "ii", p->mentions[i],
			     id);
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
	if ((r = store_tx_begin(st, "saving the post")) != 0)
		return r;
	if ((r = post_plan_make(st, req, &p)) == 0)
		r = post_write(st, &p, id);
	if (r == 0 && flags)
		*flags = p.flags;
	post_plan_free(&p);
	if ((r = store_tx_end(st, r)) != 0)
		*id = 0;
	return r;
}
