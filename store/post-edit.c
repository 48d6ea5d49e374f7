/*
 * post-edit.c: changing and removing posts: edits with their history,
 * and deletes.
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

	return exec3(st, sql, id, now_s(), 0);
}

static int post_set_text(struct store *st, int64_t id, const char *content,
			 const char *cw)
{
	static const char sql[] =
		"UPDATE posts SET content = ?, cw = ?, edited_at = ? WHERE id = ?";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, content);
	bind_text(s, 2, cw ? cw : "");
	sqlite3_bind_int64(s, 3, now_s());
	sqlite3_bind_int64(s, 4, id);
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving the post");
	return stmt_done(s, r);
}

/* Replaces entities, tags and explicit mentions with the new text's;
 * newly mentioned members are notified. */
static int post_reparse(struct store *st, int64_t id, int64_t author, const char *content,
			const char *local_domain)
{
	static const char clear_sql[] = "DELETE FROM entities WHERE post_id = ?1";
	static const char clear_tags[] = "DELETE FROM tags WHERE post_id = ?1";
	static const char add_mention[] =
		"INSERT INTO mentions(post_id, account_id, explicit) VALUES (?1, ?2, 1)"
		" ON CONFLICT DO UPDATE SET explicit = 1";
	static const char known[] =
		"SELECT 1 FROM mentions WHERE post_id = ?1 AND account_id = ?2";
	struct entity *e;
	int n, r;

	if ((r = exec3(st, clear_sql, id, 0, 0)) != 0 ||
	    (r = exec3(st, clear_tags, id, 0, 0)) != 0 ||
	    (r = text_parse(st, content, local_domain, &e, &n)) != 0)
		return r;
	for (int i = 0; i < n && r == 0; i++) {
		sqlite3_stmt *s;
		if (e[i].kind != ENTITY_MENTION || e[i].account_id == author)
			continue;
		if ((r = stmt_prep(st, known, &s)) != 0)
			break;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, e[i].account_id);
		int seen = sqlite3_step(s) == SQLITE_ROW;
		stmt_done(s, 0);
		if ((r = exec3(st, add_mention, id, e[i].account_id, 0)) == 0 && !seen)
			r = notify(st, e[i].account_id, NOTIFY_MENTION, author, id);
	}
	if (r == 0)
		r = post_insert_entities(st, id, e, n);
	entities_free(e, n);
	return r;
}

int post_edit(struct store *st, int64_t actor_id, int64_t post_id, const char *content,
	      const char *cw, long max_chars, const char *local_domain)
{
	struct post_meta m;
	int r, member;

	if ((r = store_begin(st)) != 0)
		return r;
	if ((member = account_is_member(st, actor_id)) < 0) {
		r = member;
		goto fail;
	}
	if ((r = post_meta_get(st, post_id, &m)) != 0)
		goto fail;
	if (m.author_id != actor_id || m.boost_of_id) {
		r = err_set(m.author_id == actor_id ? CAMP_EINVAL : CAMP_EPERM,
			    m.boost_of_id ? "a boost cannot be edited"
					  : "you can only edit your own posts");
		goto fail;
	}
	if ((r = post_text_check(content, cw, member ? max_chars : 0)) != 0 ||
	    (r = post_save_version(st, post_id)) != 0 ||
	    (r = post_set_text(st, post_id, content, cw)) != 0 ||
	    (r = post_reparse(st, post_id, actor_id, content, local_domain)) != 0 ||
	    (r = post_outbox(st, OUTBOX_UPDATE, actor_id, post_id, 0)) != 0)
		goto fail;
	return store_commit(st);
fail:
	store_rollback(st);
	return r;
}

int post_history(struct store *st, struct viewer *v, int64_t post_id,
		 struct post_version **out, int *n)
{
	static const char sql[] = "SELECT content, cw, replaced_at FROM post_edits"
				  " WHERE post_id = ? ORDER BY id";
	struct post_meta m;
	sqlite3_stmt *s;
	int r, rc, yes = 0;

	*out = NULL;
	*n = 0;
	if ((r = post_meta_get(st, post_id, &m)) != 0 ||
	    (r = audience_check(st, v, &m, &yes)) != 0)
		return r;
	if (!yes)
		return err_set(CAMP_ENOENT, "no such post");
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, post_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = xrealloc(*out, sizeof **out * (size_t)(*n + 1));
		(*out)[*n].content = col_text(s, 0);
		(*out)[*n].cw = col_text(s, 1);
		(*out)[*n].at = sqlite3_column_int64(s, 2);
		(*n)++;
	}
	if (rc != SQLITE_DONE)
		r = store_dberr(st, "reading the post's history");
	return stmt_done(s, r);
}

void post_history_free(struct post_version *h, int n)
{
	for (int i = 0; i < n; i++) {
		free(h[i].content);
		free(h[i].cw);
	}
	free(h);
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
	return exec3(st, "DELETE FROM posts WHERE id = ?1", id, 0, 0);
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
	if ((r = store_begin(st)) != 0)
		return r;
	/* Recipients are worked out while the post still exists. */
	if ((r = post_outbox(st, OUTBOX_DELETE, m.author_id, post_id, 0)) != 0 ||
	    (r = post_remove_row(st, post_id)) != 0) {
		store_rollback(st);
		return r;
	}
	return store_commit(st);
}
