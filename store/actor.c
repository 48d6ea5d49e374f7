/*
 * actor.c: what federation keeps about actors: remote actors' inboxes and
 * public keys (a cache of their actor documents), members' RSA key pairs,
 * and the activities members sent (Follows by id, and which earlier
 * outbox item an Undo undoes; the outbox itself is read, never written).
 *
 * A key id belongs to one actor at a time (a unique index): the actor
 * saved last with it, whose document federation/ fetched and checked,
 * takes it from any other.  Everything here is federation's bookkeeping;
 * it never decides who may see what, and it never stores a string that
 * federation/ has not already validated (UTF-8 and sizes).
 */
#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

void remote_actor_free(struct remote_actor *a)
{
	free(a->uri);
	free(a->inbox);
	free(a->shared_inbox);
	free(a->followers);
	free(a->url);
	free(a->key_id);
	free(a->key_pem);
	memset(a, 0, sizeof *a);
}

/* Takes key_id away from any other actor that had it: a key id names
 * one actor's key (the caller checked that this actor's document, from
 * its own origin, lists it). */
static int key_id_release(struct store *st, const struct remote_actor *a)
{
	static const char sql[] = "UPDATE fed_actors SET key_id = NULL, key_pem = NULL,"
				  " fetched_at = 0 WHERE key_id = ? AND account_id <> ?";

	if (a->key_id == NULL)
		return 0;
	return sql_exec(st, "saving a remote actor", sql, "ti", a->key_id, a->account_id);
}

int remote_actor_save(struct store *st, const struct remote_actor *a)
{
	static const char sql[] =
		"INSERT INTO fed_actors(account_id, inbox, shared_inbox, followers, url,"
		" key_id, key_pem, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
		" ON CONFLICT(account_id) DO UPDATE SET inbox = excluded.inbox,"
		" shared_inbox = excluded.shared_inbox, followers = excluded.followers,"
		" url = excluded.url, key_id = excluded.key_id,"
		" key_pem = excluded.key_pem, fetched_at = excluded.fetched_at";
	int r;

	if ((r = key_id_release(st, a)) != 0)
		return r;
	return sql_exec(st, "saving a remote actor", sql, "itttttti", a->account_id,
			a->inbox, a->shared_inbox, a->followers, a->url, a->key_id,
			a->key_pem, a->fetched_at);
}

#define ACTOR_COLUMNS                                                                 \
	"f.account_id, a.uri, f.inbox, f.shared_inbox, f.followers, f.url, f.key_id," \
	" f.key_pem, f.fetched_at FROM fed_actors f JOIN accounts a ON a.id = "       \
	"f.account_id"

/* Reads the one row of an actor query opened on c (sql_row returned r). */
static int actor_fetch(struct sql_cursor *c, int r, struct remote_actor *out)
{
	memset(out, 0, sizeof *out);
	if (r == 0) {
		out->account_id = col_int64(c, 0);
		out->uri = col_text(c, 1);
		out->inbox = col_text(c, 2);
		out->shared_inbox = col_text_or_null(c, 3);
		out->followers = col_text_or_null(c, 4);
		out->url = col_text_or_null(c, 5);
		out->key_id = col_text_or_null(c, 6);
		out->key_pem = col_text_or_null(c, 7);
		out->fetched_at = col_int64(c, 8);
	} else if (r == CAMP_ENOENT) {
		err_set(r, "unknown remote actor");
	}
	return sql_done(c, r);
}

int remote_actor_get(struct store *st, int64_t account_id, struct remote_actor *out)
{
	static const char sql[] = "SELECT " ACTOR_COLUMNS " WHERE f.account_id = ?";
	struct sql_cursor c;

	return actor_fetch(
		&c, sql_row(st, &c, "reading a remote actor", sql, "i", account_id), out);
}

int remote_actor_by_uri(struct store *st, const char *uri, struct remote_actor *out)
{
	static const char sql[] = "SELECT " ACTOR_COLUMNS " WHERE a.uri = ?";
	struct sql_cursor c;

	return actor_fetch(&c, sql_row(st, &c, "reading a remote actor", sql, "t", uri),
			   out);
}

int remote_actor_by_key(struct store *st, const char *key_id, struct remote_actor *out)
{
	static const char sql[] = "SELECT " ACTOR_COLUMNS " WHERE f.key_id = ?";
	struct sql_cursor c;

	return actor_fetch(
		&c, sql_row(st, &c, "reading a remote actor", sql, "t", key_id), out);
}

int account_id_by_uri(struct store *st, const char *uri, int64_t *id)
{
	static const char sql[] = "SELECT id FROM accounts WHERE uri = ?";
	int r = sql_int64(st, "looking up an account", sql, id, "t", uri);

	return r == CAMP_ENOENT ? err_set(r, "no such account") : r;
}

int member_key_get(struct store *st, int64_t account_id, const char *username,
		   char **private_pem, char **public_pem)
{
	static const char sql[] = "SELECT private_pem, public_pem FROM fed_member_keys"
				  " WHERE account_id = ? AND username = ?";
	struct sql_cursor c;
	int r;

	*private_pem = *public_pem = NULL;
	if ((r = sql_row(st, &c, "reading a key", sql, "it", account_id, username)) ==
	    0) {
		*private_pem = col_text(&c, 0);
		*public_pem = col_text(&c, 1);
	} else if (r == CAMP_ENOENT) {
		err_set(r, "no key for %s yet", username);
	}
	return sql_done(&c, r);
}

int member_key_put(struct store *st, int64_t account_id, const char *username,
		   char **private_pem, char **public_pem)
{
	/* A row for a reused account id under another name is replaced:
	 * the old member's actor is gone with its name. */
	static const char sql[] =
		"INSERT INTO fed_member_keys(account_id, username, private_pem,"
		" public_pem, created_at) VALUES (?, ?, ?, ?, ?)"
		" ON CONFLICT(account_id) DO UPDATE SET username = excluded.username,"
		" private_pem = excluded.private_pem, public_pem = excluded.public_pem,"
		" created_at = excluded.created_at"
		" WHERE fed_member_keys.username <> excluded.username";
	int r;

	if ((r = sql_exec(st, "saving a key", sql, "ittti", account_id, username,
			  *private_pem, *public_pem, now_s())) != 0)
		return r;
	free(*private_pem);
	free(*public_pem);
	return member_key_get(st, account_id, username, private_pem, public_pem);
}

int member_key_username(struct store *st, int64_t account_id, char **username)
{
	static const char sql[] =
		"SELECT username FROM fed_member_keys WHERE account_id = ?";
	int r;

	*username = NULL;
	r = sql_text(st, "reading a key", sql, username, "i", account_id);
	return r == CAMP_ENOENT ? err_set(r, "no key for that account") : r;
}

int member_key_by_name(struct store *st, const char *username, char **private_pem)
{
	static const char sql[] = "SELECT private_pem FROM fed_member_keys"
				  " WHERE username = ? ORDER BY created_at DESC LIMIT 1";
	int r;

	*private_pem = NULL;
	r = sql_text(st, "reading a key", sql, private_pem, "t", username);
	return r == CAMP_ENOENT ? err_set(r, "no key for %s", username) : r;
}

int follow_out_set(struct store *st, int64_t follower, int64_t target,
		   const char *activity_id)
{
	static const char sql[] =
		"INSERT INTO fed_follows_out(follower_id, target_id, activity_id)"
		" VALUES (?, ?, ?) ON CONFLICT(follower_id, target_id)"
		" DO UPDATE SET activity_id = excluded.activity_id";

	return sql_exec(st, "saving a follow", sql, "iit", follower, target, activity_id);
}

int follow_out_get(struct store *st, int64_t follower, int64_t target, char **activity_id)
{
	static const char sql[] = "SELECT activity_id FROM fed_follows_out"
				  " WHERE follower_id = ? AND target_id = ?";
	int r;

	*activity_id = NULL;
	r = sql_text(st, "reading a follow", sql, activity_id, "ii", follower, target);
	return r == CAMP_ENOENT ? 0 : r;
}

int follow_out_find(struct store *st, const char *activity_id, int64_t *follower,
		    int64_t *target)
{
	static const char sql[] = "SELECT follower_id, target_id FROM fed_follows_out"
				  " WHERE activity_id = ?";
	struct sql_cursor c;
	int r;

	if ((r = sql_row(st, &c, "reading a follow", sql, "t", activity_id)) == 0) {
		*follower = col_int64(&c, 0);
		*target = col_int64(&c, 1);
	} else if (r == CAMP_ENOENT) {
		err_set(r, "no such follow");
	}
	return sql_done(&c, r);
}

int outbox_item_undone(struct store *st, const struct outbox_item *undo,
		       enum outbox_kind kind, int64_t *id)
{
	static const char sql[] =
		"SELECT id FROM outbox WHERE id < ? AND kind = ? AND actor_id = ?"
		" AND object_post_id = ? AND target_id = ? ORDER BY id DESC LIMIT 1";
	int r;

	*id = 0;
	r = sql_int64(st, "reading the outbox", sql, id, "idiii", undo->id, (int)kind,
		      undo->actor_id, undo->object_post_id, undo->target_id);
	return r == CAMP_ENOENT ? err_set(r, "nothing sent for this undo to undo") : r;
}
