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
		"SELECT id FROM posts WHERE boost_of_id = ? AND account_id = ?";
	int r;

	*id = 0;
	r = sql_int64(st, "looking for the boost", sql, id, "ii", post, actor);
	return r == CAMP_ENOENT ? 0 : r;
}

static int boost_allowed(int64_t actor, const struct post_meta *m)
{
	if (m->author_id == actor) {
		if (m->visibility == VIS_DIRECT)
			return err_set(CAMP_EPERM, "a direct message cannot be boosted");
		return 0;
	}
	if (!visibility_is_open(m->visibility))
		return err_set(CAMP_EPERM,
			       "only public and unlisted posts can be boosted");
	return 0;
}

static int boost_insert(struct store *st, int64_t actor, const struct post_meta *orig,
			const char *uri, int64_t *id)
{
	static const char sql[] = "INSERT INTO posts(account_id, local, uri, visibility,"
				  " boost_of_id, created_at) VALUES (?, ?, ?, ?, ?, ?)";
	static const char thread_sql[] = "UPDATE posts SET thread_id = ?1 WHERE id = ?1";
	int r, member = account_is_member(st, actor);

	if (member < 0)
		return member;
	if ((r = sql_exec(st, "saving the boost", sql, "idtdii", actor, member,
			  member ? NULL : uri, (int)orig->visibility, orig->id,
			  now_s())) != 0)
		return r;
	*id = sql_last_id(st);
	return sql_exec(st, "saving the boost", thread_sql, "i", *id);
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
	if (!visibility_is_open(orig.visibility))
		return 0; /* one's own non-public boosts stay home */
	return post_outbox(st, OUTBOX_ANNOUNCE, actor, *boost_id, orig.id);
}

int post_boost(struct store *st, int64_t actor_id, int64_t post_id, const char *uri,
	       int64_t *boost_id)
{
	int r;

	*boost_id = 0;
	if ((r = store_tx_begin(st, "saving the boost")) != 0)
		return r;
	r = boost_write(st, actor_id, post_id, uri, boost_id);
	if ((r = store_tx_end(st, r)) != 0)
		*boost_id = 0;
	return r;
}

/* Removes actor's boost of post (an original, whose meta is m). */
static int unboost_write(struct store *st, int64_t actor, int64_t post,
			 const struct post_meta *m)
{
	static const char sql[] = "DELETE FROM posts WHERE id = ?";
	int64_t boost;
	int r;

	if ((r = find_boost(st, actor, post, &boost)) != 0)
		return r;
	if (boost == 0)
		return err_set(CAMP_ENOENT, "you have not boosted this post");
	if (visibility_is_open(m->visibility) &&
	    (r = post_outbox(st, OUTBOX_UNDO_ANNOUNCE, actor, boost, post)) != 0)
		return r;
	return sql_exec(st, "removing the boost", sql, "i", boost);
}

int post_unboost(struct store *st, int64_t actor_id, int64_t post_id)
{
	struct post_meta m;
	int r;

	if ((r = post_meta_get(st, post_id, &m)) != 0)
		return r;
	if (m.boost_of_id)
		post_id = m.boost_of_id;
	if ((r = store_tx_begin(st, "removing the boost")) != 0)
		return r;
	r = unboost_write(st, actor_id, post_id, &m);
	return store_tx_end(st, r);
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
	static const char add[] = "INSERT INTO favourites(post_id, account_id,"
				  " created_at) VALUES (?, ?, ?)";
	static const char del[] =
		"DELETE FROM favourites WHERE post_id = ? AND account_id = ?";
	struct post_meta m;
	int r;

	if ((r = resolve_original(st, actor, post_id, &m)) != 0)
		return r;
	if (on)
		r = sql_exec(st, "saving the favourite", add, "iii", m.id, actor,
			     now_s());
	else
		r = sql_exec(st, "removing the favourite", del, "ii", m.id, actor);
	if (r == CAMP_EEXIST)
		return err_set(r, "you have already favourited this post");
	if (r != 0)
		return r;
	if (!on && sql_changes(st) == 0)
		return err_set(CAMP_ENOENT, "you have not favourited this post");
	if (on && (r = notify(st, m.author_id, NOTIFY_FAVOURITE, actor, m.id)) != 0)
		return r;
	return fav_outbox(st, on ? OUTBOX_LIKE : OUTBOX_UNDO_LIKE, actor, &m);
}

/* Runs fav_write in its own transaction. */
static int fav_set(struct store *st, int64_t actor, int64_t post_id, int on)
{
	int r;

	if ((r = store_tx_begin(st, on ? "saving the favourite"
				       : "removing the favourite")) != 0)
		return r;
	r = fav_write(st, actor, post_id, on);
	return store_tx_end(st, r);
}

int post_fav(struct store *st, int64_t actor_id, int64_t post_id)
{
	return fav_set(st, actor_id, post_id, 1);
}

int post_unfav(struct store *st, int64_t actor_id, int64_t post_id)
{
	return fav_set(st, actor_id, post_id, 0);
}
