/*
 * follow.c: following, muting and blocking.
 *
 * A follow of an unlocked member is accepted at once; a locked member
 * approves by hand; a remote account answers with Accept or Reject.  A
 * block removes follows both ways and hides each side from the other (the
 * hiding itself is audience.c's).  A mute only hides, and tells no one.
 * Home feeds are backfilled on an accepted follow and cleaned on unfollow.
 */
#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

static int follow_state_get(struct store *st, int64_t follower, int64_t target,
			    enum follow_state *state)
{
	static const char sql[] =
		"SELECT state FROM follows WHERE follower_id = ? AND target_id = ?";
	int64_t v = FOLLOW_NONE;
	int r = sql_int64(st, "reading the follow", sql, &v, "ii", follower, target);

	*state = (enum follow_state)v;
	return r == CAMP_ENOENT ? 0 : r;
}

int follow_get(struct store *st, int64_t follower, int64_t target,
	       enum follow_state *state)
{
	return follow_state_get(st, follower, target, state);
}

static int follow_write(struct store *st, int64_t follower, int64_t target,
			enum follow_state state, const char *uri)
{
	static const char sql[] =
		"INSERT INTO follows(follower_id, target_id, state, uri, created_at)"
		" VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET state = "
		"excluded.state,"
		" uri = ifnull(excluded.uri, uri)";

	return sql_exec(st, "saving the follow", sql, "iidti", follower, target,
			(int)state, uri, now_s());
}

static int follow_remove(struct store *st, int64_t follower, int64_t target)
{
	static const char sql[] =
		"DELETE FROM follows WHERE follower_id = ? AND target_id = ?";

	return sql_exec(st, "removing the follow", sql, "ii", follower, target);
}

/* Whether target approves followers by hand. */
static int account_locked(struct store *st, int64_t id, int *locked)
{
	struct account a;
	int r;

	if ((r = account_get(st, id, &a)) != 0)
		return r;
	*locked = a.locked;
	if (a.deleted_at)
		r = err_set(CAMP_ENOENT, "no such account");
	account_free(&a);
	return r;
}

/* What follows from a follow becoming accepted: the follower's home
 * timeline (if a member) gets the target's recent posts; a remote
 * follower of a member gets an Accept. */
static int follow_accepted(struct store *st, int64_t follower, int64_t target,
			   int follower_member, int target_member)
{
	char *uri = NULL;
	int r = 0;

	if (follower_member)
		return feed_backfill(st, follower, target);
	if (target_member && (r = follow_uri(st, follower, target, &uri)) == 0)
		r = outbox_add(st, OUTBOX_ACCEPT, target, 0, 0, uri, follower, &follower,
			       1);
	free(uri);
	return r;
}

static int follow_request_tx(struct store *st, int64_t follower, int64_t target,
			     const char *uri, enum follow_state *state)
{
	int fm = account_is_member(st, follower), tm = account_is_member(st, target);
	int r, locked = 0, blocked;
	enum follow_state old;

	if (fm < 0 || tm < 0)
		return fm < 0 ? fm : tm;
	if (follower == target)
		return err_set(CAMP_EINVAL, "you cannot follow yourself");
	if (!fm && !tm)
		return err_set(CAMP_EINVAL, "neither account is on this camp");
	if ((r = blocked_between(st, follower, target, &blocked)) != 0)
		return r;
	if (blocked)
		return err_set(CAMP_EPERM, "you cannot follow this account");
	if ((r = account_locked(st, target, &locked)) != 0 ||
	    (r = follow_state_get(st, follower, target, &old)) != 0)
		return r;
	*state = (tm && !locked) || old == FOLLOW_ACCEPTED ? FOLLOW_ACCEPTED
							   : FOLLOW_PENDING;
	if ((r = follow_write(st, follower, target, *state, uri)) != 0)
		return r;
	if (old == FOLLOW_NONE &&
	    (r = notify(st, target,
			*state == FOLLOW_ACCEPTED ? NOTIFY_FOLLOW : NOTIFY_FOLLOW_REQUEST,
			follower, 0)) != 0)
		return r;
	if (fm && !tm && old == FOLLOW_NONE)
		return outbox_add(st, OUTBOX_FOLLOW, follower, 0, 0, NULL, target,
				  &target, 1);
	if (*state == FOLLOW_ACCEPTED && (old != FOLLOW_ACCEPTED || !fm))
		return follow_accepted(st, follower, target, fm, tm);
	return 0;
}

int follow_request(struct store *st, int64_t follower, int64_t target, const char *uri,
		   enum follow_state *state)
{
	int r;

	*state = FOLLOW_NONE;
	if ((r = store_tx_begin(st, "saving the follow")) != 0)
		return r;
	r = follow_request_tx(st, follower, target, uri, state);
	if ((r = store_tx_end(st, r)) != 0)
		*state = FOLLOW_NONE;
	return r;
}

int follow_uri(struct store *st, int64_t follower, int64_t target, char **uri)
{
	static const char sql[] =
		"SELECT uri FROM follows WHERE follower_id = ? AND target_id = ?";
	int r;

	*uri = NULL;
	r = sql_text(st, "reading the follow", sql, uri, "ii", follower, target);

	return r == CAMP_ENOENT ? err_set(r, "no such follow") : r;
}

static int follow_answer_tx(struct store *st, int64_t target, int64_t follower,
			    int accept)
{
	int fm = account_is_member(st, follower), tm = account_is_member(st, target), r;
	enum follow_state old;
	char *uri = NULL;

	if (fm < 0 || tm < 0)
		return fm < 0 ? fm : tm;
	if ((r = follow_state_get(st, follower, target, &old)) != 0)
		return r;
	if (old == FOLLOW_NONE)
		return err_set(CAMP_ENOENT, "there is no such follow request");
	if (accept) {
		if (old == FOLLOW_ACCEPTED)
			return 0;
		if ((r = follow_write(st, follower, target, FOLLOW_ACCEPTED, NULL)) != 0)
			return r;
		return follow_accepted(st, follower, target, fm, tm);
	}
	if (tm && !fm && (r = follow_uri(st, follower, target, &uri)) == 0)
		r = outbox_add(st, OUTBOX_REJECT, target, 0, 0, uri, follower, &follower,
			       1);
	free(uri);
	if (r == 0)
		r = follow_remove(st, follower, target);
	if (r == 0 && fm)
		r = feed_forget(st, follower, target);
	return r;
}

/* Runs follow_answer_tx in a transaction. */
static int follow_answer(struct store *st, int64_t target, int64_t follower, int accept)
{
	int r;

	if ((r = store_tx_begin(st, accept ? "accepting the follow"
					   : "rejecting the follow")) != 0)
		return r;
	r = follow_answer_tx(st, target, follower, accept);
	return store_tx_end(st, r);
}

int follow_accept(struct store *st, int64_t target, int64_t follower)
{
	return follow_answer(st, target, follower, 1);
}

int follow_reject(struct store *st, int64_t target, int64_t follower)
{
	return follow_answer(st, target, follower, 0);
}

/* Removes a follow, cleaning the follower's feed and telling a remote
 * target when a member unfollows it. */
static int unfollow_tx(struct store *st, int64_t follower, int64_t target, int quiet)
{
	int fm = account_is_member(st, follower), tm = account_is_member(st, target), r;
	enum follow_state old;

	if (fm < 0 || tm < 0)
		return fm < 0 ? fm : tm;
	if ((r = follow_state_get(st, follower, target, &old)) != 0)
		return r;
	if (old == FOLLOW_NONE)
		return quiet ? 0
			     : err_set(CAMP_ENOENT, "you are not following this account");
	if ((r = follow_remove(st, follower, target)) != 0)
		return r;
	if (fm && (r = feed_forget(st, follower, target)) != 0)
		return r;
	if (fm && !tm)
		return outbox_add(st, OUTBOX_UNDO_FOLLOW, follower, 0, 0, NULL, target,
				  &target, 1);
	return 0;
}

int unfollow(struct store *st, int64_t follower, int64_t target)
{
	int r;

	if ((r = store_tx_begin(st, "removing the follow")) != 0)
		return r;
	r = unfollow_tx(st, follower, target, 0);
	return store_tx_end(st, r);
}

/* The statements on the mutes and blocks tables, and what they do. */
struct relation {
	const char *add, *del, *has;
	const char *adding, *removing;
};

static const struct relation mutes = {
	.add = "INSERT OR IGNORE INTO mutes(account_id, target_id, created_at)"
	       " VALUES (?, ?, ?)",
	.del = "DELETE FROM mutes WHERE account_id = ? AND target_id = ?",
	.has = "SELECT 1 FROM mutes WHERE account_id = ? AND target_id = ?",
	.adding = "saving the mute",
	.removing = "removing the mute",
};

static const struct relation blocks = {
	.add = "INSERT OR IGNORE INTO blocks(account_id, target_id, created_at)"
	       " VALUES (?, ?, ?)",
	.del = "DELETE FROM blocks WHERE account_id = ? AND target_id = ?",
	.has = "SELECT 1 FROM blocks WHERE account_id = ? AND target_id = ?",
	.adding = "saving the block",
	.removing = "removing the block",
};

/* Inserts or deletes a row (a, b) of mutes or blocks. */
static int relation_set(struct store *st, const struct relation *rel, int64_t a,
			int64_t b, int on)
{
	if (on)
		return sql_exec(st, rel->adding, rel->add, "iii", a, b, now_s());
	return sql_exec(st, rel->removing, rel->del, "ii", a, b);
}

/* Checks that both accounts exist and differ. */
static int relation_check(struct store *st, int64_t a, int64_t b)
{
	int am = account_is_member(st, a), bm = account_is_member(st, b);

	if (am < 0 || bm < 0)
		return am < 0 ? am : bm;
	if (a == b)
		return err_set(CAMP_EINVAL, "you cannot do that to yourself");
	return 0;
}

/* Muting also drops the account's posts from the muter's home feed, so a
 * member who mutes most of whom they follow still gets a quick page; an
 * unmute brings them back if the member follows the account. */
static int mute_tx(struct store *st, int64_t me, int64_t target, int on)
{
	enum follow_state f;
	int r;

	if ((r = relation_check(st, me, target)) != 0 ||
	    (r = relation_set(st, &mutes, me, target, on)) != 0 ||
	    account_is_member(st, me) != 1)
		return r;
	if (on)
		return feed_forget(st, me, target);
	if ((r = follow_state_get(st, me, target, &f)) != 0 || f != FOLLOW_ACCEPTED)
		return r;
	return feed_backfill(st, me, target);
}

int mute_set(struct store *st, int64_t account_id, int64_t target, int on)
{
	int r;

	if ((r = store_tx_begin(st, on ? "saving the mute" : "removing the mute")) != 0)
		return r;
	r = mute_tx(st, account_id, target, on);
	return store_tx_end(st, r);
}

static int block_tx(struct store *st, int64_t me, int64_t target, int on)
{
	int r, member = account_is_member(st, me),
	       tmember = account_is_member(st, target);
	enum outbox_kind kind = on ? OUTBOX_BLOCK : OUTBOX_UNDO_BLOCK;

	if ((r = relation_check(st, me, target)) != 0 ||
	    (r = relation_set(st, &blocks, me, target, on)) != 0)
		return r;
	if (on && ((r = unfollow_tx(st, me, target, 1)) != 0 ||
		   (r = unfollow_tx(st, target, me, 1)) != 0))
		return r;
	if (member == 1 && tmember == 0)
		return outbox_add(st, kind, me, 0, 0, NULL, target, &target, 1);
	return 0;
}

int block_set(struct store *st, int64_t account_id, int64_t target, int on)
{
	int r;

	if ((r = store_tx_begin(st, on ? "saving the block" : "removing the block")) != 0)
		return r;
	r = block_tx(st, account_id, target, on);
	return store_tx_end(st, r);
}

int relationship_get(struct store *st, int64_t me, int64_t other,
		     struct relationship *rel)
{
	static const char what[] = "reading how you relate";
	int r;

	memset(rel, 0, sizeof *rel);
	if ((r = follow_state_get(st, me, other, &rel->following)) != 0 ||
	    (r = follow_state_get(st, other, me, &rel->followed_by)) != 0 ||
	    (r = sql_exists(st, what, mutes.has, &rel->muting, "ii", me, other)) != 0 ||
	    (r = sql_exists(st, what, blocks.has, &rel->blocking, "ii", me, other)) != 0)
		return r;
	return sql_exists(st, what, blocks.has, &rel->blocked_by, "ii", other, me);
}

int followers_list(struct store *st, int64_t target, int64_t **ids, int *n)
{
	static const char sql[] =
		"SELECT follower_id FROM follows WHERE target_id = ?"
		" AND state = " SQL_FOLLOW_ACCEPTED " ORDER BY created_at";

	return sql_ids(st, "listing followers", sql, ids, n, "i", target);
}

int follow_requests_list(struct store *st, int64_t target, int64_t **ids, int *n)
{
	static const char sql[] =
		"SELECT follower_id FROM follows WHERE target_id = ?"
		" AND state = " SQL_FOLLOW_PENDING " ORDER BY created_at";

	return sql_ids(st, "listing follow requests", sql, ids, n, "i", target);
}

int following_list(struct store *st, int64_t follower, int64_t **ids, int *n)
{
	static const char sql[] =
		"SELECT target_id FROM follows WHERE follower_id = ?"
		" AND state = " SQL_FOLLOW_ACCEPTED " ORDER BY created_at";

	return sql_ids(st, "listing follows", sql, ids, n, "i", follower);
}
