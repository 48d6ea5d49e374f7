/*
 * reaction.c: boosts and favourites.
 *
 * A boost is a post of its own (boost_of_id set) with exactly the
 * boosted post's visibility, so it can never widen the audience; others
 * may boost only public and unlisted posts.  A favourite is a row.  Both
 * notify the author and, when the actor is a member, tell remote servers
 * through the outbox; a boost of a post that must stay in the camp
 * never leaves it.
 */
#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

/* The original post behind a boost (or the post itself). */
static int resolve_original(struct store *st, int64_t actor, int64_t id,
			    struct post_meta *m)
{
	int r;

	if ((r = post_meta_visible(st, actor, id, m)) != 0)
		return r;
	if (m->boost_of_id)
		return post_meta_visible(st, actor, m->boost_of_id, m);
	return 0;
}

/* The id of actor's boost of post, or 0. */
static int find_boost(struct store *st, int64_t actor, int64_t post, int64_t *id)
{
	static const char sql[] =
		"SELECT id FROM posts WHERE boost_of_id = ?1 AND account_id = ?2";
	int r;

	*id = 0;
	r = query_int64(st, sql, id, 2, post, actor);
	return r == CAMP_ENOENT ? 0 : r;
}

static int boost_allowed(int64_t actor, const struct post_meta *m)
{
	if (m->author_id == actor) {
		if (m->visibility == VIS_DIRECT)
			return err_set(CAMP_EPERM, "a direct message cannot be boosted");
		return 0;
	}
	if (m->visibility != VIS_PUBLIC && m->visibility != VIS_UNLISTED)
		return err_set(CAMP_EPERM,
			       "only public and unlisted posts can be boosted");
	return 0;
}

static int boost_insert(struct store *st, int64_t actor, const struct post_meta *orig,
			const char *uri, int64_t *id)
{
	static const char sql[] = "INSERT INTO posts(account_id, local, uri, visibility, "
				  "boost_of_id, created_at)"
				  " VALUES (?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *s;
	int r, member = account_is_member(st, actor);

	if (member < 0)
		return member;
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, actor);
	sqlite3_bind_int(s, 2, member);
	bind_text(s, 3, member ? NULL : uri);
	sqlite3_bind_int(s, 4, orig->visibility);
	sqlite3_bind_int64(s, 5, orig->id);
	sqlite3_bind_int64(s, 6, now_s());
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving the boost");
	stmt_done(s, 0);
	if (r != 0)
		return r;
	*id = sqlite3_last_insert_rowid(store_db(st));
	return exec3(st, "UPDATE posts SET thread_id = ?1 WHERE id = ?1", *id, 0, 0);
}

static int boost_write(struct store *st, int64_t actor, int64_t post_id, const char *uri,
		       int64_t *boost_id)
{
	struct post_meta orig, m;
	int64_t existing;
	int r;

	if ((r = resolve_original(st, actor, post_id, &orig)) != 0 ||
	    (r = boost_allowed(actor, &orig)) != 0 ||
	    (r = find_boost(st, actor, orig.id, &existing)) != 0)
		return r;
	if (existing)
		return err_set(CAMP_EEXIST, "you have already boosted this post");
	if ((r = boost_insert(st, actor, &orig, uri, boost_id)) != 0 ||
	    (r = post_meta_get(st, *boost_id, &m)) != 0 ||
	    (r = feed_fanout(st, &m)) != 0 ||
	    (r = notify(st, orig.author_id, NOTIFY_BOOST, actor, orig.id)) != 0)
		return r;
	if (orig.visibility != VIS_PUBLIC && orig.visibility != VIS_UNLISTED)
		return 0; /* one's own non-public boosts stay home */
	return post_outbox(st, OUTBOX_ANNOUNCE, actor, *boost_id, orig.id);
}

int post_boost(struct store *st, int64_t actor_id, int64_t post_id, const char *uri,
	       int64_t *boost_id)
{
	int r;

	*boost_id = 0;
	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = boost_write(st, actor_id, post_id, uri, boost_id)) != 0) {
		store_rollback(st);
		*boost_id = 0;
		return r;
	}
	return store_commit(st);
}

int post_unboost(struct store *st, int64_t actor_id, int64_t post_id)
{
	struct post_meta m;
	int64_t boost;
	int r;

	if ((r = post_meta_get(st, post_id, &m)) != 0)
		return r;
	if (m.boost_of_id)
		post_id = m.boost_of_id;
	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = find_boost(st, actor_id, post_id, &boost)) == 0 && boost == 0)
		r = err_set(CAMP_ENOENT, "you have not boosted this post");
	if (r == 0 && (m.visibility == VIS_PUBLIC || m.visibility == VIS_UNLISTED))
		r = post_outbox(st, OUTBOX_UNDO_ANNOUNCE, actor_id, boost, post_id);
	if (r == 0)
		r = exec3(st, "DELETE FROM posts WHERE id = ?1", boost, 0, 0);
	if (r != 0) {
		store_rollback(st);
		return r;
	}
	return store_commit(st);
}

/* Records a Like for a remote author. */
static int fav_outbox(struct store *st, enum outbox_kind kind, int64_t actor,
		      const struct post_meta *m)
{
	int64_t author = m->author_id;

	if (account_is_member(st, author) != 0)
		return 0;
	return outbox_add(st, kind, actor, 0, m->id, NULL, author, &author, 1);
}

static int fav_write(struct store *st, int64_t actor, int64_t post_id, int on)
{
	static const char add[] = "INSERT INTO favourites(post_id, account_id, "
				  "created_at) VALUES (?1, ?2, ?3)";
	static const char del[] =
		"DELETE FROM favourites WHERE post_id = ?1 AND account_id = ?2";
	struct post_meta m;
	int r;

	if ((r = resolve_original(st, actor, post_id, &m)) != 0)
		return r;
	if ((r = exec3(st, on ? add : del, m.id, actor, now_s())) != 0) {
		if (on && sqlite3_extended_errcode(store_db(st)) ==
				  SQLITE_CONSTRAINT_PRIMARYKEY)
			return err_set(CAMP_EEXIST,
				       "you have already favourited this post");
		return r;
	}
	if (!on && sqlite3_changes(store_db(st)) == 0)
		return err_set(CAMP_ENOENT, "you have not favourited this post");
	if (on && (r = notify(st, m.author_id, NOTIFY_FAVOURITE, actor, m.id)) != 0)
		return r;
	return fav_outbox(st, on ? OUTBOX_LIKE : OUTBOX_UNDO_LIKE, actor, &m);
}

/* Runs fav_write in its own transaction. */
static int fav_set(struct store *st, int64_t actor, int64_t post_id, int on)
{
	int r;

	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = fav_write(st, actor, post_id, on)) != 0) {
		store_rollback(st);
		return r;
	}
	return store_commit(st);
}

int post_fav(struct store *st, int64_t actor_id, int64_t post_id)
{
	return fav_set(st, actor_id, post_id, 1);
}

int post_unfav(struct store *st, int64_t actor_id, int64_t post_id)
{
	return fav_set(st, actor_id, post_id, 0);
}
