/*
 * key.c: the SSH public keys members log in with.
 *
 * A key belongs to exactly one member, so a key offered to join@ can say
 * who it already is.  A member always keeps at least one key.  Keys are
 * identified by the SHA256 fingerprint the client shows (ssh-keygen -lf).
 */
#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

int key_add(struct store *st, int64_t account_id, const char *type, const char *base64,
	    const char *fingerprint, const char *comment)
{
	static const char sql[] =
		"INSERT INTO ssh_keys(account_id, type, base64, fingerprint, comment,"
		" created_at) VALUES (?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *s;
	int64_t owner;
	int r;

	if (key_owner(st, fingerprint, &owner) == 0)
		return err_set(CAMP_EEXIST,
			       owner == account_id
				       ? "you already have this key"
				       : "this key already belongs to a member");
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, account_id);
	bind_text(s, 2, type);
	bind_text(s, 3, base64);
	bind_text(s, 4, fingerprint);
	bind_text(s, 5, comment ? comment : "");
	sqlite3_bind_int64(s, 6, now_s());
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving the key");
	return stmt_done(s, r);
}

/* Steps a query whose single column is an account id. */
static int step_account_id(struct store *st, sqlite3_stmt *s, int64_t *id)
{
	int rc = sqlite3_step(s), r = 0;

	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	else if (rc == SQLITE_DONE)
		r = err_set(CAMP_ENOENT, "no such key");
	else
		r = store_dberr(st, "looking up a key");
	return stmt_done(s, r);
}

int key_lookup(struct store *st, const char *username, const char *fingerprint,
	       int64_t *account_id)
{
	static const char sql[] =
		"SELECT a.id FROM ssh_keys k JOIN accounts a ON a.id = k.account_id"
		" WHERE k.fingerprint = ? AND a.username = ? AND a.domain IS NULL";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, fingerprint);
	bind_text(s, 2, username);
	return step_account_id(st, s, account_id);
}

int key_owner(struct store *st, const char *fingerprint, int64_t *account_id)
{
	static const char sql[] = "SELECT account_id FROM ssh_keys WHERE fingerprint = ?";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, fingerprint);
	return step_account_id(st, s, account_id);
}

int key_list(struct store *st, int64_t account_id, struct ssh_key **out, int *n)
{
	static const char sql[] =
		"SELECT id, account_id, type, base64, fingerprint, comment, created_at,"
		" last_used_at FROM ssh_keys WHERE account_id = ? ORDER BY id";
	struct ssh_key *keys = NULL;
	sqlite3_stmt *s;
	int r, rc, count = 0;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, account_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		keys = xrealloc(keys, sizeof *keys * (size_t)(count + 1));
		struct ssh_key *k = &keys[count++];
		k->id = sqlite3_column_int64(s, 0);
		k->account_id = sqlite3_column_int64(s, 1);
		k->type = col_text(s, 2);
		k->base64 = col_text(s, 3);
		k->fingerprint = col_text(s, 4);
		k->comment = col_text(s, 5);
		k->created_at = sqlite3_column_int64(s, 6);
		k->last_used_at = sqlite3_column_int64(s, 7);
	}
	if (rc != SQLITE_DONE) {
		r = store_dberr(st, "listing keys");
		key_list_free(keys, count);
		keys = NULL;
		count = 0;
	}
	*out = keys;
	*n = count;
	return stmt_done(s, r);
}

void key_list_free(struct ssh_key *keys, int n)
{
	for (int i = 0; i < n; i++) {
		free(keys[i].type);
		free(keys[i].base64);
		free(keys[i].fingerprint);
		free(keys[i].comment);
	}
	free(keys);
}

int key_remove(struct store *st, int64_t account_id, const char *fingerprint)
{
	static const char count_sql[] = "SELECT count(*), sum(fingerprint = ?)"
					" FROM ssh_keys WHERE account_id = ?";
	static const char del_sql[] =
		"DELETE FROM ssh_keys WHERE account_id = ? AND fingerprint = ?";
	sqlite3_stmt *s;
	int r, total = 0, match = 0;

	if ((r = store_begin(st)) != 0)
		return r;
	if ((r = stmt_prep(st, count_sql, &s)) != 0)
		goto fail;
	bind_text(s, 1, fingerprint);
	sqlite3_bind_int64(s, 2, account_id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		total = sqlite3_column_int(s, 0);
		match = sqlite3_column_int(s, 1);
	}
	stmt_done(s, 0);
	if (match == 0) {
		r = err_set(CAMP_ENOENT, "you have no key with fingerprint %s",
			    fingerprint);
		goto fail;
	}
	if (total <= 1) {
		r = err_set(CAMP_EPERM, "this is your only key; add another one first");
		goto fail;
	}
	if ((r = stmt_prep(st, del_sql, &s)) != 0)
		goto fail;
	sqlite3_bind_int64(s, 1, account_id);
	bind_text(s, 2, fingerprint);
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "removing the key");
	stmt_done(s, 0);
	if (r != 0)
		goto fail;
	return store_commit(st);
fail:
	store_rollback(st);
	return r;
}

int key_touch(struct store *st, int64_t account_id, const char *fingerprint)
{
	static const char sql[] = "UPDATE ssh_keys SET last_used_at = ?"
				  " WHERE account_id = ? AND fingerprint = ?";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, now_s());
	sqlite3_bind_int64(s, 2, account_id);
	bind_text(s, 3, fingerprint);
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving the key");
	return stmt_done(s, r);
}
