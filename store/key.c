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
	int64_t owner;

	if (key_owner(st, fingerprint, &owner) == 0)
		return err_set(CAMP_EEXIST,
			       owner == account_id
				       ? "you already have this key"
				       : "this key already belongs to a member");
	return sql_exec(st, "saving the key", sql, "itttti", account_id, type, base64,
			fingerprint, comment ? comment : "", now_s());
}

int key_lookup(struct store *st, const char *username, const char *fingerprint,
	       int64_t *account_id)
{
	static const char sql[] =
		"SELECT a.id FROM ssh_keys k JOIN accounts a ON a.id = k.account_id"
		" WHERE k.fingerprint = ? AND a.username = ? AND a.domain IS NULL";
	int r = sql_int64(st, "looking up a key", sql, account_id, "tt", fingerprint,
			  username);

	return r == CAMP_ENOENT ? err_set(r, "no such key") : r;
}

int key_owner(struct store *st, const char *fingerprint, int64_t *account_id)
{
	static const char sql[] = "SELECT account_id FROM ssh_keys WHERE fingerprint = ?";
	int r = sql_int64(st, "looking up a key", sql, account_id, "t", fingerprint);

	return r == CAMP_ENOENT ? err_set(r, "no such key") : r;
}

int key_list(struct store *st, int64_t account_id, struct ssh_key **out, int *n)
{
	static const char sql[] =
		"SELECT id, account_id, type, base64, fingerprint, comment, created_at,"
		" last_used_at FROM ssh_keys WHERE account_id = ? ORDER BY id";
	struct ssh_key *keys = NULL;
	struct sql_cursor c;
	int r, count = 0;

	sql_open(st, &c, "listing keys", sql, "i", account_id);
	while ((r = sql_next(&c)) > 0) {
		keys = xrealloc(keys, sizeof *keys * (size_t)(count + 1));
		struct ssh_key *k = &keys[count++];
		k->id = col_int64(&c, 0);
		k->account_id = col_int64(&c, 1);
		k->type = col_text(&c, 2);
		k->base64 = col_text(&c, 3);
		k->fingerprint = col_text(&c, 4);
		k->comment = col_text(&c, 5);
		k->created_at = col_int64(&c, 6);
		k->last_used_at = col_int64(&c, 7);
	}
	if (r < 0) {
		key_list_free(keys, count);
		keys = NULL;
		count = 0;
	}
	*out = keys;
	*n = count;
	return sql_done(&c, r);
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

/* Removes the key unless it is the member's last. */
static int key_remove_tx(struct store *st, int64_t account_id, const char *fingerprint)
{
	static const char count_sql[] = "SELECT count(*), ifnull(sum(fingerprint = ?), 0)"
					" FROM ssh_keys WHERE account_id = ?";
	static const char del_sql[] =
		"DELETE FROM ssh_keys WHERE account_id = ? AND fingerprint = ?";
	struct sql_cursor c;
	int64_t total = 0, match = 0;
	int r;

	if ((r = sql_row(st, &c, "counting your keys", count_sql, "ti", fingerprint,
			 account_id)) == 0) {
		total = col_int64(&c, 0);
		match = col_int64(&c, 1);
	}
	if ((r = sql_done(&c, r)) != 0)
		return r;
	if (match == 0)
		return err_set(CAMP_ENOENT, "you have no key with fingerprint %s",
			       fingerprint);
	if (total <= 1)
		return err_set(CAMP_EPERM,
			       "this is your only key; add another one first");
	return sql_exec(st, "removing the key", del_sql, "it", account_id, fingerprint);
}

int key_remove(struct store *st, int64_t account_id, const char *fingerprint)
{
	int r;

	if ((r = store_tx_begin(st, "removing the key")) != 0)
		return r;
	r = key_remove_tx(st, account_id, fingerprint);
	return store_tx_end(st, r);
}

int key_touch(struct store *st, int64_t account_id, const char *fingerprint)
{
	static const char sql[] = "UPDATE ssh_keys SET last_used_at = ?"
				  " WHERE account_id = ? AND fingerprint = ?";

	return sql_exec(st, "saving the key", sql, "iit", now_s(), account_id,
			fingerprint);
}
