/*
 * invite.c: invite codes and joining the camp with one.
 *
 * A code is 20 letters from the OS's random source (about 99 bits), shown
 * in groups of five.  Only its SHA-256 is stored.  Joining is a single
 * transaction: either the member exists with their key and the code is
 * spent, or nothing changed at all.
 */
#include "store/store-private.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Lowercases and drops dashes and spaces; returns 0 if what is left has
 * the length of a code, else CAMP_EINVAL. */
static int invite_normalize(const char *code, char *out, size_t outlen)
{
	size_t n = 0;

	for (const char *p = code; *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		if (n + 1 >= outlen || !isalnum((unsigned char)*p))
			return err_set(CAMP_EINVAL, "this invite code is not valid");
		out[n++] = (char)tolower((unsigned char)*p);
	}
	out[n] = '\0';
	if (n != INVITE_CODE_GROUPS * 5)
		return err_set(CAMP_EINVAL, "this invite code is not valid");
	return 0;
}

int invite_create(struct store *st, int64_t created_by, int is_admin, const char *note,
		  int expires_days, char *code)
{
	static const char sql[] =
		"INSERT INTO invites(code_hash, hint, is_admin, note, created_by,"
		" created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
	char plain[INVITE_CODE_LEN], hash[65], hint[5];
	int64_t now = now_s();

	if (note && !utf8_valid(note, strlen(note), NULL))
		return err_set(CAMP_EINVAL, "the welcome note is not valid UTF-8");
	if (expires_days < 0 || expires_days > 3650)
		return err_set(CAMP_EINVAL, "an invite expires in 0 to 3650 days");
	random_code(code, INVITE_CODE_GROUPS);
	invite_normalize(code, plain, sizeof plain);
	sha256_hex(plain, strlen(plain), hash);
	snprintf(hint, sizeof hint, "%.4s", plain);
	return sql_exec(st, "saving the invite", sql, "ttdtzii", hash, hint,
			is_admin ? 1 : 0, note ? note : "",
			created_by > 0 ? created_by : 0, now,
			expires_days ? now + (int64_t)expires_days * 86400 : 0);
}

int invite_get(struct store *st, const char *code, struct invite *out)
{
	static const char sql[] =
		"SELECT id, hint, is_admin, note, ifnull(created_by, 0), created_at,"
		" expires_at, used_at, ifnull(used_by, 0) FROM invites WHERE code_hash = "
		"?";
	char plain[INVITE_CODE_LEN], hash[65];
	struct sql_cursor c;
	int r;

	memset(out, 0, sizeof *out);
	if ((r = invite_normalize(code, plain, sizeof plain)) != 0)
		return r;
	sha256_hex(plain, strlen(plain), hash);
	if ((r = sql_row(st, &c, "looking up the invite", sql, "t", hash)) == 0) {
		char *hint = col_text(&c, 1);
		out->id = col_int64(&c, 0);
		snprintf(out->hint, sizeof out->hint, "%s", hint);
		free(hint);
		out->is_admin = col_int(&c, 2);
		out->note = col_text(&c, 3);
		out->created_by = col_int64(&c, 4);
		out->created_at = col_int64(&c, 5);
		out->expires_at = col_int64(&c, 6);
		out->used_at = col_int64(&c, 7);
		out->used_by = col_int64(&c, 8);
	} else if (r == CAMP_ENOENT) {
		r = err_set(CAMP_EINVAL, "this invite code is not valid");
	}
	return sql_done(&c, r);
}

void invite_free(struct invite *inv)
{
	free(inv->note);
	inv->note = NULL;
}

/* Refuses a spent or expired invite with a message saying which. */
static int invite_usable(const struct invite *inv)
{
	char when[32];

	if (inv->used_at)
		return err_set(CAMP_EPERM, "this invite code has already been used");
	if (inv->expires_at && inv->expires_at <= now_s()) {
		time_rfc3339(inv->expires_at, when);
		return err_set(CAMP_EPERM, "this invite code expired on %.10s", when);
	}
	return 0;
}

/* Checks that the username is valid and free, the key unused and the
 * camp not full. */
static int join_check(struct store *st, const struct join_request *req)
{
	struct account a;
	int64_t owner, members;
	int r;

	if ((r = username_check(req->username)) != 0)
		return r;
	if (account_get_member(st, req->username, &a) == 0) {
		account_free(&a);
		return err_set(CAMP_EEXIST, "the username %s is taken", req->username);
	}
	if (key_owner(st, req->key_fingerprint, &owner) == 0 &&
	    account_get(st, owner, &a) == 0) {
		r = err_set(CAMP_EEXIST,
			    "this key already belongs to %s; log in as %s instead",
			    a.username, a.username);
		account_free(&a);
		return r;
	}
	if ((r = account_count_members(st, &members)) != 0)
		return r;
	if (members >= req->max_members)
		return err_set(CAMP_ELIMIT, "the camp is full (%lld members)",
			       (long long)members);
	return 0;
}

static int join_insert_member(struct store *st, const struct join_request *req,
			      const struct invite *inv, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO accounts(username, display_name, is_admin, created_at,"
		" coc_accepted_at, welcome_note) VALUES (?, ?, ?, ?, ?, ?)";
	char name[32];
	const char *display = req->display_name;
	int r;

	username_fold(req->username, name, sizeof name);
	if (display == NULL || display[0] == '\0')
		display = name;
	if ((r = account_check_display_name(display)) != 0 ||
	    (r = sql_exec(st, "creating the member", sql, "ttdiit", name, display,
			  inv->is_admin, now_s(), req->accept_coc ? now_s() : 0,
			  inv->note)) != 0)
		return r;
	*id = sql_last_id(st);
	return 0;
}

static int invite_spend(struct store *st, int64_t invite_id, int64_t member)
{
	static const char sql[] = "UPDATE invites SET used_at = ?, used_by = ?"
				  " WHERE id = ? AND used_at = 0";
	int r;

	if ((r = sql_exec(st, "spending the invite", sql, "iii", now_s(), member,
			  invite_id)) != 0)
		return r;
	if (sql_changes(st) != 1)
		return err_set(CAMP_EPERM, "this invite code has already been used");
	return 0;
}

/* Checks the invite and the request, then makes the member. */
static int join_tx(struct store *st, const struct join_request *req, int64_t *id)
{
	struct invite inv;
	int r;

	if ((r = invite_get(st, req->code, &inv)) != 0)
		return r;
	if ((r = invite_usable(&inv)) == 0 && (r = join_check(st, req)) == 0 &&
	    (r = join_insert_member(st, req, &inv, id)) == 0 &&
	    (r = key_add(st, *id, req->key_type, req->key_base64, req->key_fingerprint,
			 "")) == 0)
		r = invite_spend(st, inv.id, *id);
	invite_free(&inv);
	return r;
}

int store_join(struct store *st, const struct join_request *req, int64_t *account_id)
{
	int64_t id = 0;
	int r;

	if ((r = store_tx_begin(st, "joining the camp")) != 0)
		return r;
	r = join_tx(st, req, &id);
	if ((r = store_tx_end(st, r)) == 0)
		*account_id = id;
	return r;
}
