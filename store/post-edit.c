/*
 * post-edit.c: changing and removing posts: edits (keeping the old
 * text; post-read.c reads it back) and deletes.
 *
 * Only the author edits a post; the author or an admin (for a member's
 * post) deletes it.  An edit keeps the old text, re-reads mentions and
 * tags, and tells the servers that got the post; a delete tells them
 * before the post is gone.  A camp-only post tells nobody, ever: the
 * outbox only hears of posts whose audience reaches outside.
 */
#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

static int post_save_version(struct store *st, int64_t id)
{
	static const char sql[] =
		"INSERT INTO post_edits(post_id, content, cw, replaced_at)"
		" SELECT id, content, cw, ?2 FROM posts WHERE id = ?1";

	return sql_exec(st, "keeping the post's old text", sql, "ii", id, now_s());
}

static int post_set_text(struct store *st, int64_t id, const char *content,
			 const char *cw)
{
	static const char sql[] =
		"UPDATE posts SET content = ?, cw = ?, edited_at = ? WHERE id = ?";

	return sql_exec(st, "saving the edit", sql, "ttii", content, cw ? cw : "",
			now_s(), id);
}

/* Adds an explicit mention of account to post id; a member newly named
 * is notified. */
static int post_add_mention(struct store *st, int64_t id, int64_t author, int64_t account)
{
	static const char add[] =
		"INSERT INTO mentions(post_id, account_id, explicit) VALUES (?1, ?2, 1)"
		" ON CONFLICT DO UPDATE SET explicit = 1";
	static const char known[] =
		"SELECT 1 FROM mentions WHERE post_id = ?1 AND account_id = ?2";
	int r, seen;

	if ((r = sql_exists(st, "reading the post's mentions", known, &seen, "ii", id,
			    account)) != 0 ||
	    (r = sql_exec(st, "saving the post's mentions", add, "ii", id, account)) != 0)
		return r;
	return seen ? 0 : notify(st, account, NOTIFY_MENTION, author, id);
}

/* Replaces entities, tags and explicit mentions with the new text's;
 * newly mentioned members are notified. */
static int post_reparse(struct store *st, int64_t id, int64_t author, const char *content,
			const char *local_domain)
{
	static const char clear_sql[] = "DELETE FROM entities WHERE post_id = ?";
	static const char clear_tags[] = "DELETE FROM tags WHERE post_id = ?";
	struct entity *e;
	int n, r;

	if ((r = sql_exec(st, "saving the edit", clear_sql, "i", id)) != 0 ||
	    (r = sql_exec(st, "saving the edit", clear_tags, "i", id)) != 0 ||
	    (r = text_parse(st, content, local_domain, &e, &n)) != 0)
		return r;
	for (int i = 0; i < n && r == 0; i++)
		if (e[i].kind == ENTITY_MENTION && e[i].account_id != author)
			r = post_add_mention(st, id, author, e[i].account_id);
	if (r == 0)
		r = post_insert_entities(st, id, e, n);
	entities_free(e, n);
	return r;
}

/* Checks that actor may edit the post, then edits it. */
static int post_edit_tx(struct store *st, int64_t actor_id, int64_t post_id,
			const char *content, const char *cw, long max_chars,
			const char *local_domain)
{
	struct post_meta m;
	int r, member;

	if ((member = account_is_member(st, actor_id)) < 0)
		return member;
	if ((r = post_meta_get(st, post_id, &m)) != 0)
		return r;
	if (m.author_id != actor_id || m.boost_of_id)
		return err_set(m.author_id == actor_id ? CAMP_EINVAL : CAMP_EPERM,
			       m.boost_of_id ? "a boost cannot be edited"
					     : "you can only edit your own posts");
	if ((r = post_text_check(content, cw, member ? max_chars : 0)) != 0 ||
	    (r = post_save_version(st, post_id)) != 0 ||
	    (r = post_set_text(st, post_id, content, cw)) != 0 ||
	    (r = post_reparse(st, post_id, actor_id, content, local_domain)) != 0)
		return r;
	return post_outbox(st, OUTBOX_UPDATE, actor_id, post_id, 0);
}

int post_edit(struct store *st, int64_t actor_id, int64_t post_id, const char *content,
	      const char *cw, long max_chars, const char *local_domain)
{
	int r;

	if ((r = store_tx_begin(st, "editing the post")) != 0)
		return r;
	r = post_edit_tx(st, actor_id, post_id, content, cw, max_chars, local_domain);
	return store_tx_end(st, r);
}

/* May actor delete a post by author?  Its author may; an admin may
 * remove a member's post. */
static int may_delete(struct store *st, int64_t actor, int64_t author)
{
	struct account a;
	int r, ok;

	if (actor == author)
		return 0;
	if (account_is_member(st, actor) != 1 || account_is_member(st, author) != 1)
		return err_set(CAMP_EPERM, "you can only delete your own posts");
	if ((r = account_get(st, actor, &a)) != 0)
		return r;
	ok = a.is_admin;
	account_free(&a);
	return ok ? 0 : err_set(CAMP_EPERM, "you can only delete your own posts");
}

static int post_remove_row(struct store *st, int64_t id)
{
	static const char sql[] = "DELETE FROM posts WHERE id = ?";

	return sql_exec(st, "deleting the post", sql, "i", id);
}

int post_delete(struct store *st, int64_t actor_id, int64_t post_id)
{
	struct post_meta m;
	int r;

	if ((r = post_meta_get(st, post_id, &m)) != 0)
		return r;
	if (m.boost_of_id && m.author_id == actor_id)
		return post_unboost(st, actor_id, m.boost_of_id);
	if ((r = may_delete(st, actor_id, m.author_id)) != 0)
		return r;
	if ((r = store_tx_begin(st, "deleting the post")) != 0)
		return r;
	/* Recipients are worked out while the post still exists. */
	if ((r = post_outbox(st, OUTBOX_DELETE, m.author_id, post_id, 0)) == 0)
		r = post_remove_row(st, post_id);
	return store_tx_end(st, r);
}
