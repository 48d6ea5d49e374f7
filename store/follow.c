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
		"SELECT state FROM follows WHERE follower_id = ?1 AND target_id = ?2";
	int64_t v = FOLLOW_NONE;
	int r = query_int64(st, sql, &v, 2, follower, target);

	*state = (enum follow_state)v;
	return r == CAMP_ENOENT ? 0 : r;
}

int follow_get(struct store *st, int64_t follower, int64_t target,
	       enum follow_state *state)
{
	return follow_state_get(st, follower, target, state);
}

static int blocked_between(struct store *st, int64_t a, int64_t b, int *yes)
{
	static const char sql[] = "SELECT EXISTS(SELECT 1 FROM blocks WHERE (account_id "
				  "= ?1 AND target_id = ?2)"
				  " OR (account_id = ?2 AND target_id = ?1))";
	int64_t v = 0;
	int r = query_int64(st, sql, &v, 2, a, b);

	*yes = (int)v;
	return r;
}

static int follow_write(struct store *st, int64_t follower, int64_t target,
			enum follow_state state, const char *uri)
{
	static const char sql[] =
		"INSERT INTO follows(follower_id, target_id, state, uri, created_at)"
		" VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET state = "
		"excluded.state,"
		" uri = ifnull(excluded.uri, uri)";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, follower);
	sqlite3_bind_int64(s, 2, target);
	sqlite3_bind_int(s, 3, state);
	bind_text(s, 4, uri);
	sqlite3_bind_int64(s, 5, now_s());
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving the follow");
	return stmt_done(s, r);
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
	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = follow_request_tx(st, follower, target, uri, state)) != 0) {
		store_rollback(st);
		*state = FOLLOW_NONE;
		return r;
	}
	return store_commit(st);
}

int follow_uri(struct store *st, int64_t follower, int64_t target, char **uri)
{
	static const char sql[] =
		"SELECT uri FROM follows WHERE follower_id = ?1 AND target_id = ?2";
	int r = query_text2(st, sql, follower, target, uri);

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
		r = exec3(st,
			  "DELETE FROM follows WHERE follower_id = ?1 AND target_id = ?2",
			  follower, target, 0);
	if (r == 0 && fm)
		r = feed_forget(st, follower, target);
	return r;
}

/* Runs follow_answer_tx in a transaction. */
static int follow_answer(struct store *st, int64_t target, int64_t follower, int accept)
{
	int r;

	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = follow_answer_tx(st, target, follower, accept)) != 0) {
		store_rollback(st);
		return r;
	}
	return store_commit(st);
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
	if ((r = exec3(st,
		       "DELETE FROM follows WHERE follower_id = ?1 AND target_id = ?2",
		       follower, target, 0)) != 0)
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

	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = unfollow_tx(st, follower, target, 0)) != 0) {
		store_rollback(st);
		return r;
	}
	return store_commit(st);
}

/* Inserts or deletes a row of mutes or blocks. */
static int relation_set(struct store *st, const char *table, int64_t a, int64_t b, int on)
{
	char *sql =
		on ? xasprintf("INSERT OR IGNORE INTO %s(account_id, target_id,"
			       " created_at) VALUES (?1, ?2, ?3)",
			       table)
		   : xasprintf("DELETE FROM %s WHERE account_id = ?1 AND target_id = ?2",
			       table);
	sqlite3_stmt *s;
	int r = 0;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK) {
		free(sql);
		return store_dberr(st, "saving the change");
	}
	free(sql);
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	sqlite3_bind_int64(s, 3, now_s());
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving the change");
	sqlite3_finalize(s);
	return r;
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
	    (r = relation_set(st, "mutes", me, target, on)) != 0 ||
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

	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = mute_tx(st, account_id, target, on)) != 0) {
		store_rollback(st);
		return r;
	}
	return store_commit(st);
}

static int block_tx(struct store *st, int64_t me, int64_t target, int on)
{
	int r, member = account_is_member(st, me),
	       tmember = account_is_member(st, target);
	enum outbox_kind kind = on ? OUTBOX_BLOCK : OUTBOX_UNDO_BLOCK;

	if ((r = relation_check(st, me, target)) != 0 ||
	    (r = relation_set(st, "blocks", me, target, on)) != 0)
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

	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = block_tx(st, account_id, target, on)) != 0) {
		store_rollback(st);
		return r;
	}
	return store_commit(st);
}

/* 1 if a row (a, b) exists in the mutes or blocks table, 0 if not. */
static int relation_has(struct store *st, const char *sql, int64_t a, int64_t b)
{
	int64_t v;
	int r = query_int64(st, sql, &v, 2, a, b);

	return r == CAMP_ENOENT ? 0 : r == 0 ? 1 : r;
}

int relationship_get(struct store *st, int64_t me, int64_t other,
		     struct relationship *rel)
{
	static const char mute_sql[] =
		"SELECT 1 FROM mutes WHERE account_id = ?1 AND target_id = ?2";
	static const char block_sql[] =
		"SELECT 1 FROM blocks WHERE account_id = ?1 AND target_id = ?2";
	int r;

	memset(rel, 0, sizeof *rel);
	if ((r = follow_state_get(st, me, other, &rel->following)) != 0 ||
	    (r = follow_state_get(st, other, me, &rel->followed_by)) != 0)
		return r;
	if ((rel->muting = relation_has(st, mute_sql, me, other)) < 0 ||
	    (rel->blocking = relation_has(st, block_sql, me, other)) < 0 ||
	    (rel->blocked_by = relation_has(st, block_sql, other, me)) < 0)
		return CAMP_EDB;
	return 0;
}

/* Lists the followers of target in a given state. */
static int followers_in_state(struct store *st, int64_t target, int state, int64_t **ids,
			      int *n)
{
	static const char sql[] =
		"SELECT follower_id FROM follows WHERE target_id = ? AND state = ?"
		" ORDER BY created_at";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, target);
	sqlite3_bind_int(s, 2, state);
	return query_ids(st, s, ids, n);
}

int followers_list(struct store *st, int64_t target, int64_t **ids, int *n)
{
	return followers_in_state(st, target, FOLLOW_ACCEPTED, ids, n);
}

int follow_requests_list(struct store *st, int64_t target, int64_t **ids, int *n)
{
	return followers_in_state(st, target, FOLLOW_PENDING, ids, n);
}

int following_list(struct store *st, int64_t follower, int64_t **ids, int *n)
{
	static const char sql[] = "SELECT target_id FROM follows WHERE follower_id = ?"
				  " AND state = 2 ORDER BY created_at";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, follower);
	return query_ids(st, s, ids, n);
}
