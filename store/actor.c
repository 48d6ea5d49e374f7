/*
 * actor.c: what federation keeps about actors: remote actors' inboxes and
 * public keys (a cache of their actor documents), members' RSA key pairs,
 * and the activities members sent (Follows by id, and which earlier
 * outbox item an Undo undoes; the outbox itself is read, never written).
 *
 * A key id belongs to one actor at a time (a unique index): the actor
 * saved last with it, whose document federation/ fetched and checked,
 * takes it from any other.  Everything here is federation's bookkeeping;
 * it never decides who may see what, and it never stores a string it was not handed already
 * validated by federation/ (which checks UTF-8 and sizes first).
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
	sqlite3_stmt *s;
	int r;

	if (a->key_id == NULL)
		return 0;
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, a->key_id);
	sqlite3_bind_int64(s, 2, a->account_id);
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving a remote actor");
	return stmt_done(s, r);
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
	sqlite3_stmt *s;
	int r;

	if ((r = key_id_release(st, a)) != 0 || (r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, a->account_id);
	bind_text(s, 2, a->inbox);
	bind_text(s, 3, a->shared_inbox);
	bind_text(s, 4, a->followers);
	bind_text(s, 5, a->url);
	bind_text(s, 6, a->key_id);
	bind_text(s, 7, a->key_pem);
	sqlite3_bind_int64(s, 8, a->fetched_at);
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving a remote actor");
	return stmt_done(s, r);
}

#define ACTOR_COLUMNS                                                                 \
	"f.account_id, a.uri, f.inbox, f.shared_inbox, f.followers, f.url, f.key_id," \
	" f.key_pem, f.fetched_at FROM fed_actors f JOIN accounts a ON a.id = "       \
	"f.account_id"

static int actor_fetch(struct store *st, sqlite3_stmt *s, struct remote_actor *out)
{
	int rc = sqlite3_step(s), r = 0;

	memset(out, 0, sizeof *out);
	if (rc == SQLITE_ROW) {
		out->account_id = sqlite3_column_int64(s, 0);
		out->uri = col_text(s, 1);
		out->inbox = col_text(s, 2);
		out->shared_inbox = col_text_or_null(s, 3);
		out->followers = col_text_or_null(s, 4);
		out->url = col_text_or_null(s, 5);
		out->key_id = col_text_or_null(s, 6);
		out->key_pem = col_text_or_null(s, 7);
		out->fetched_at = sqlite3_column_int64(s, 8);
	} else if (rc == SQLITE_DONE) {
		r = err_set(CAMP_ENOENT, "unknown remote actor");
	} else {
		r = store_dberr(st, "reading a remote actor");
	}
	return stmt_done(s, r);
}

int remote_actor_get(struct store *st, int64_t account_id, struct remote_actor *out)
{
	static const char sql[] = "SELECT " ACTOR_COLUMNS " WHERE f.account_id = ?";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, account_id);
	return actor_fetch(st, s, out);
}

int remote_actor_by_uri(struct store *st, const char *uri, struct remote_actor *out)
{
	static const char sql[] = "SELECT " ACTOR_COLUMNS " WHERE a.uri = ?";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, uri);
	return actor_fetch(st, s, out);
}

int remote_actor_by_key(struct store *st, const char *key_id, struct remote_actor *out)
{
	static const char sql[] = "SELECT " ACTOR_COLUMNS " WHERE f.key_id = ?";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, key_id);
	return actor_fetch(st, s, out);
}

/* Steps a query whose one column is an id. */
static int step_id(struct store *st, sqlite3_stmt *s, int64_t *id, const char *what)
{
	int rc = sqlite3_step(s), r = 0;

	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	else if (rc == SQLITE_DONE)
		r = err_set(CAMP_ENOENT, "no such %s", what);
	else
		r = store_dberr(st, "looking something up");
	return stmt_done(s, r);
}

int account_id_by_uri(struct store *st, const char *uri, int64_t *id)
{
	static const char sql[] = "SELECT id FROM accounts WHERE uri = ?";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, uri);
	return step_id(st, s, id, "account");
}

int member_key_get(struct store *st, int64_t account_id, const char *username,
		   char **private_pem, char **public_pem)
{
	static const char sql[] = "SELECT private_pem, public_pem FROM fed_member_keys"
				  " WHERE account_id = ? AND username = ?";
	sqlite3_stmt *s;
	int r, rc;

	*private_pem = *public_pem = NULL;
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, account_id);
	bind_text(s, 2, username);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*private_pem = col_text(s, 0);
		*public_pem = col_text(s, 1);
	} else if (rc == SQLITE_DONE) {
		r = err_set(CAMP_ENOENT, "no key for %s yet", username);
	} else {
		r = store_dberr(st, "reading a key");
	}
	return stmt_done(s, r);
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
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, account_id);
	bind_text(s, 2, username);
	bind_text(s, 3, *private_pem);
	bind_text(s, 4, *public_pem);
	sqlite3_bind_int64(s, 5, now_s());
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving a key");
	if ((r = stmt_done(s, r)) != 0)
		return r;
	free(*private_pem);
	free(*public_pem);
	return member_key_get(st, account_id, username, private_pem, public_pem);
}

int member_key_username(struct store *st, int64_t account_id, char **username)
{
	static const char sql[] =
		"SELECT username FROM fed_member_keys WHERE account_id = ?";
	sqlite3_stmt *s;
	int r, rc;

	*username = NULL;
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, account_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*username = col_text(s, 0);
	else if (rc == SQLITE_DONE)
		r = err_set(CAMP_ENOENT, "no key for that account");
	else
		r = store_dberr(st, "reading a key");
	return stmt_done(s, r);
}

int member_key_by_name(struct store *st, const char *username, char **private_pem)
{
	static const char sql[] = "SELECT private_pem FROM fed_member_keys"
				  " WHERE username = ? ORDER BY created_at DESC LIMIT 1";
	sqlite3_stmt *s;
	int r, rc;

	*private_pem = NULL;
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, username);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*private_pem = col_text(s, 0);
	else if (rc == SQLITE_DONE)
		r = err_set(CAMP_ENOENT, "no key for %s", username);
	else
		r = store_dberr(st, "reading a key");
	return stmt_done(s, r);
}

int follow_out_set(struct store *st, int64_t follower, int64_t target,
		   const char *activity_id)
{
	static const char sql[] =
		"INSERT INTO fed_follows_out(follower_id, target_id, activity_id)"
		" VALUES (?, ?, ?) ON CONFLICT(follower_id, target_id)"
		" DO UPDATE SET activity_id = excluded.activity_id";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, follower);
	sqlite3_bind_int64(s, 2, target);
	bind_text(s, 3, activity_id);
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving a follow");
	return stmt_done(s, r);
}

int follow_out_get(struct store *st, int64_t follower, int64_t target, char **activity_id)
{
	static const char sql[] = "SELECT activity_id FROM fed_follows_out"
				  " WHERE follower_id = ?1 AND target_id = ?2";
	int r = query_text2(st, sql, follower, target, activity_id);

	return r == CAMP_ENOENT ? 0 : r;
}

int follow_out_find(struct store *st, const char *activity_id, int64_t *follower,
		    int64_t *target)
{
	static const char sql[] = "SELECT follower_id, target_id FROM fed_follows_out"
				  " WHERE activity_id = ?";
	sqlite3_stmt *s;
	int r, rc;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, activity_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*follower = sqlite3_column_int64(s, 0);
		*target = sqlite3_column_int64(s, 1);
	} else if (rc == SQLITE_DONE) {
		r = err_set(CAMP_ENOENT, "no such follow");
	} else {
		r = store_dberr(st, "reading a follow");
	}
	return stmt_done(s, r);
}

int outbox_item_undone(struct store *st, const struct outbox_item *undo,
		       enum outbox_kind kind, int64_t *id)
{
	static const char sql[] =
		"SELECT id FROM outbox WHERE id < ? AND kind = ? AND actor_id = ?"
		" AND object_post_id = ? AND target_id = ? ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *s;
	int r, rc;

	*id = 0;
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, undo->id);
	sqlite3_bind_int(s, 2, kind);
	sqlite3_bind_int64(s, 3, undo->actor_id);
	sqlite3_bind_int64(s, 4, undo->object_post_id);
	sqlite3_bind_int64(s, 5, undo->target_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	else if (rc == SQLITE_DONE)
		r = err_set(CAMP_ENOENT, "nothing sent for this undo to undo");
	else
		r = store_dberr(st, "reading the outbox");
	return stmt_done(s, r);
}
