/*
 * account.c: members of this camp and the remote actors they meet.
 *
 * Usernames follow Mastodon's rule so a member's handle works unchanged
 * on every fediverse server; they are compared without regard to case
 * and stored lowercase.  This file never decides visibility.
 */
#include "store/store-private.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define USERNAME_MAX 30
#define DISPLAY_NAME_MAX 60 /* code points */
#define BIO_MAX 160	    /* code points: a one-line intro */

/* Names that mean something to ssh, to the camp or to other servers. */
static const char *const reserved_names[] = {
	"join",	 "root",     "admin",	"administrator", "camp",
	"actor", "instance", "support", "postmaster",	 "webmaster",
	"www",	 "nobody",   "sshd",	"system",
};

static int username_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

int username_check(const char *name)
{
	size_t n = strlen(name);
	char folded[USERNAME_MAX + 1];

	if (n == 0)
		return err_set(CAMP_EINVAL, "a username cannot be empty");
	if (n > USERNAME_MAX)
		return err_set(CAMP_EINVAL, "a username has at most %d characters",
			       USERNAME_MAX);
	username_fold(name, folded, sizeof folded);
	for (size_t i = 0; i < n; i++)
		if (!username_char(folded[i]) && folded[i] != '.' && folded[i] != '-')
			return err_set(CAMP_EINVAL,
				       "a username may only use letters a-z, digits, _"
				       " and (between them) . or -");
	/* [a-z0-9_]+([.-]+[a-z0-9_]+)*: dots and dashes only inside. */
	if (!username_char(folded[0]) || !username_char(folded[n - 1]))
		return err_set(CAMP_EINVAL,
			       "a username must start and end with a letter, digit or _");
	for (size_t i = 0; i < ARRAY_LEN(reserved_names); i++)
		if (strcmp(folded, reserved_names[i]) == 0)
			return err_set(CAMP_EINVAL, "the username %s is reserved",
				       folded);
	return 0;
}

void username_fold(const char *name, char *out, size_t outlen)
{
	size_t i;

	for (i = 0; name[i] && i + 1 < outlen; i++)
		out[i] = (char)tolower((unsigned char)name[i]);
	out[i] = '\0';
}

#define ACCOUNT_COLUMNS                                                  \
	"id, username, domain, display_name, bio, is_admin, locked,"     \
	" default_visibility, created_at, suspended_at, suspend_reason," \
	" coc_accepted_at, onboarded_at, welcome_note, deleted_at"

static void account_from_row(const struct sql_cursor *c, struct account *a)
{
	a->id = col_int64(c, 0);
	a->username = col_text(c, 1);
	a->domain = col_text_or_null(c, 2);
	a->display_name = col_text(c, 3);
	a->bio = col_text(c, 4);
	a->is_admin = col_int(c, 5);
	a->locked = col_int(c, 6);
	a->default_visibility = (enum visibility)col_int(c, 7);
	a->created_at = col_int64(c, 8);
	a->suspended_at = col_int64(c, 9);
	a->suspend_reason = col_text(c, 10);
	a->coc_accepted_at = col_int64(c, 11);
	a->onboarded_at = col_int64(c, 12);
	a->welcome_note = col_text(c, 13);
	a->deleted_at = col_int64(c, 14);
}

/* Reads the one row of an account query opened on c into out;
 * CAMP_ENOENT (no message) without a row. */
static int account_fetch(struct sql_cursor *c, int r, struct account *out)
{
	memset(out, 0, sizeof *out);
	if (r == 0)
		account_from_row(c, out);
	return sql_done(c, r);
}

int account_get(struct store *st, int64_t id, struct account *out)
{
	static const char sql[] = "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE id = ?";
	struct sql_cursor c;
	int r = sql_row(st, &c, "reading an account", sql, "i", id);

	if ((r = account_fetch(&c, r, out)) == CAMP_ENOENT)
		err_set(r, "no such account");
	return r;
}

int account_get_member(struct store *st, const char *username, struct account *out)
{
	static const char sql[] = "SELECT " ACCOUNT_COLUMNS
				  " FROM accounts WHERE username = ? AND domain IS NULL";
	struct sql_cursor c;
	int r = sql_row(st, &c, "reading a member", sql, "t", username);

	if ((r = account_fetch(&c, r, out)) == CAMP_ENOENT)
		err_set(r, "no member called %s", username);
	return r;
}

void account_free(struct account *a)
{
	free(a->username);
	free(a->domain);
	free(a->display_name);
	free(a->bio);
	free(a->suspend_reason);
	free(a->welcome_note);
	memset(a, 0, sizeof *a);
}

int account_count_members(struct store *st, int64_t *count)
{
	static const char sql[] =
		"SELECT count(*) FROM accounts WHERE domain IS NULL AND deleted_at = 0";

	*count = 0;
	return sql_int64(st, "counting members", sql, count, "");
}

char *account_acct(const struct account *a)
{
	if (a->domain)
		return xasprintf("%s@%s", a->username, a->domain);
	return xstrdup(a->username);
}

/* Checks a profile text: valid UTF-8, at most max code points, and with
 * newlines only where allowed. */
static int profile_text_check(const char *what, const char *v, size_t max)
{
	size_t n = strlen(v);

	if (!utf8_valid(v, n, NULL))
		return err_set(CAMP_EINVAL, "the %s is not valid UTF-8", what);
	if (utf8_count(v, n) > max)
		return err_set(CAMP_ETOOBIG, "the %s has at most %zu characters", what,
			       max);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20)
			return err_set(CAMP_EINVAL, "the %s must be one line of text",
				       what);
	return 0;
}

int account_check_display_name(const char *name)
{
	return profile_text_check("display name", name, DISPLAY_NAME_MAX);
}

static int profile_write(struct store *st, int64_t id, const char *display_name,
			 const char *bio, int default_visibility, int locked)
{
	static const char sql[] =
		"UPDATE accounts SET display_name = ifnull(?1, display_name),"
		" bio = ifnull(?2, bio),"
		" default_visibility = CASE WHEN ?3 < 0 THEN default_visibility ELSE ?3 "
		"END,"
		" locked = CASE WHEN ?4 < 0 THEN locked ELSE ?4 END"
		" WHERE id = ?5 AND domain IS NULL AND deleted_at = 0";
	int r;

	if ((r = sql_exec(st, "saving the profile", sql, "ttddi", display_name, bio,
			  default_visibility, locked, id)) != 0)
		return r;
	return sql_changes(st) == 0 ? err_set(CAMP_ENOENT, "no such member") : 0;
}

/* Saves a profile change and tells the remote followers (Update of the
 * Person). */
static int profile_change_tx(struct store *st, int64_t id, const char *display_name,
			     const char *bio, int default_visibility, int locked)
{
	int64_t *recips = NULL;
	int r, n = 0;

	if ((r = profile_write(st, id, display_name, bio, default_visibility, locked)) ==
		    0 &&
	    (display_name || bio || locked >= 0) &&
	    (r = remote_followers(st, id, 0, &recips, &n)) == 0)
		r = outbox_add(st, OUTBOX_UPDATE_PERSON, id, 0, 0, NULL, 0, recips, n);
	free(recips);
	return r;
}

static int profile_change(struct store *st, int64_t id, const char *display_name,
			  const char *bio, int default_visibility, int locked)
{
	int r;

	if ((r = store_tx_begin(st, "saving the profile")) != 0)
		return r;
	r = profile_change_tx(st, id, display_name, bio, default_visibility, locked);
	return store_tx_end(st, r);
}

int account_update_profile(struct store *st, int64_t id, const char *display_name,
			   const char *bio, int default_visibility)
{
	int r;

	if (display_name && (r = account_check_display_name(display_name)) != 0)
		return r;
	if (bio && (r = profile_text_check("intro", bio, BIO_MAX)) != 0)
		return r;
	if (default_visibility >= VIS_COUNT)
		return err_set(CAMP_EINVAL, "unknown visibility");
	return profile_change(st, id, display_name, bio, default_visibility, -1);
}

int account_set_locked(struct store *st, int64_t id, int locked)
{
	return profile_change(st, id, NULL, NULL, -1, locked ? 1 : 0);
}

int account_counts(struct store *st, int64_t id, struct account_counts *c)
{
	static const char sql[] =
		"SELECT (SELECT count(*) FROM follows WHERE target_id = ?1"
		"  AND state = " SQL_FOLLOW_ACCEPTED "),"
		" (SELECT count(*) FROM follows WHERE follower_id = ?1"
		"  AND state = " SQL_FOLLOW_ACCEPTED "),"
		" (SELECT count(*) FROM posts WHERE account_id = ?1"
		"  AND boost_of_id IS NULL),"
		" (SELECT count(*) FROM posts WHERE account_id = ?1"
		"  AND boost_of_id IS NULL AND visibility IN " SQL_VIS_OPEN ")";
	struct sql_cursor cur;
	int r;

	memset(c, 0, sizeof *c);
	if ((r = sql_row(st, &cur, "counting posts and follows", sql, "i", id)) == 0) {
		c->followers = col_int64(&cur, 0);
		c->following = col_int64(&cur, 1);
		c->posts = col_int64(&cur, 2);
		c->public_posts = col_int64(&cur, 3);
	}
	return sql_done(&cur, r);
}

/* Sets one timestamp column of a member to now. */
static int account_stamp(struct store *st, const char *sql, int64_t id)
{
	return sql_exec(st, "saving the account", sql, "ii", now_s(), id);
}

int account_set_coc_accepted(struct store *st, int64_t id)
{
	static const char sql[] = "UPDATE accounts SET coc_accepted_at = ? WHERE id = ?";

	return account_stamp(st, sql, id);
}

int account_set_onboarded(struct store *st, int64_t id)
{
	static const char sql[] = "UPDATE accounts SET onboarded_at = ? WHERE id = ?";

	return account_stamp(st, sql, id);
}

/* ---- briefs, lookups, remote accounts, leaving ------------------------- */

void account_brief_free(struct account_brief *b)
{
	free(b->username);
	free(b->domain);
	free(b->display_name);
	free(b->uri);
	memset(b, 0, sizeof *b);
}

char *account_brief_acct(const struct account_brief *b)
{
	if (b->domain)
		return xasprintf("%s@%s", b->username, b->domain);
	return xstrdup(b->username ? b->username : "");
}

int account_brief_get(struct store *st, int64_t id, struct account_brief *b)
{
	static const char sql[] =
		"SELECT username, domain, display_name, uri FROM accounts WHERE id = ?";
	struct sql_cursor c;
	int r;

	memset(b, 0, sizeof *b);
	if (id == 0)
		return 0;
	if ((r = sql_row(st, &c, "reading an account", sql, "i", id)) == 0) {
		b->id = id;
		b->username = col_text(&c, 0);
		b->domain = col_text_or_null(&c, 1);
		b->display_name = col_text(&c, 2);
		b->uri = col_text_or_null(&c, 3);
	} else if (r == CAMP_ENOENT) {
		err_set(r, "no such account");
	}
	return sql_done(&c, r);
}

int account_is_member(struct store *st, int64_t id)
{
	static const char sql[] = "SELECT domain IS NULL FROM accounts WHERE id = ?";
	int64_t member = 0;
	int r = sql_int64(st, "reading an account", sql, &member, "i", id);

	if (r == CAMP_ENOENT)
		return err_set(CAMP_ENOENT, "no such account");
	return r ? r : (int)member;
}

int account_find(struct store *st, const char *acct, const char *local_domain,
		 struct account *out)
{
	static const char sql[] = "SELECT " ACCOUNT_COLUMNS
				  " FROM accounts WHERE username = ? AND domain = ?";
	const char *at;
	struct sql_cursor c;
	char *name;
	int r;

	memset(out, 0, sizeof *out);
	if (acct[0] == '@')
		acct++;
	at = strchr(acct, '@');
	name = at ? xstrndup(acct, (size_t)(at - acct)) : xstrdup(acct);
	if (at == NULL || (local_domain && strcasecmp(at + 1, local_domain) == 0)) {
		r = account_get_member(st, name, out);
		free(name);
		return r;
	}
	r = sql_row(st, &c, "looking up an account", sql, "tt", name, at + 1);
	free(name);
	if ((r = account_fetch(&c, r, out)) == CAMP_ENOENT)
		err_set(r, "no known account %s", acct);
	return r;
}

/* Cuts a remote string to at most max code points at a character
 * boundary; refuses invalid UTF-8.  Returns a copy the caller frees. */
static int remote_text(const char *what, const char *v, size_t max, char **out)
{
	size_t n = v ? strlen(v) : 0, cps = 0, i = 0;

	*out = NULL;
	if (v && !utf8_valid(v, n, NULL))
		return err_set(CAMP_EINVAL, "the remote %s is not valid UTF-8", what);
	while (i < n && cps < max) {
		i++;
		while (i < n && ((unsigned char)v[i] & 0xC0) == 0x80)
			i++;
		cps++;
	}
	*out = xstrndup(v ? v : "", i);
	return 0;
}

/* Finds a remote account by its actor uri, the only thing that names an
 * actor: matching by name as well would let any actor on a server take
 * over the row (follows, keys) of another with the same name. */
static int remote_lookup(struct store *st, const char *uri, int64_t *id)
{
	static const char sql[] = "SELECT id FROM accounts WHERE uri = ?";
	int r;

	*id = 0;
	r = sql_int64(st, "looking up a remote account", sql, id, "t", uri);
	return r == CAMP_ENOENT ? 0 : r;
}

static int remote_write(struct store *st, int64_t id, const char *uri,
			const char *username, const char *domain, const char *name,
			const char *bio, int locked, int64_t *out)
{
	static const char ins[] =
		"INSERT INTO accounts(username, domain, display_name, bio, locked,"
		" created_at, uri) VALUES (?, ?, ?, ?, ?, ?, ?)";
	static const char upd[] =
		"UPDATE accounts SET username = ?, domain = ?, display_name = ?, bio = ?,"
		" locked = ?, uri = ? WHERE id = ?";
	static const char what[] = "saving a remote account";
	int r;

	if (id)
		r = sql_exec(st, what, upd, "ttttdti", username, domain, name, bio,
			     locked ? 1 : 0, uri, id);
	else
		r = sql_exec(st, what, ins, "ttttdit", username, domain, name, bio,
			     locked ? 1 : 0, now_s(), uri);
	if (r == CAMP_EEXIST)
		return err_set(r, "another actor on %s already goes by %s; refusing %s",
			       domain, username, uri);
	if (r == 0)
		*out = id ? id : sql_last_id(st);
	return r;
}

int account_upsert_remote(struct store *st, const char *uri, const char *username,
			  const char *domain, const char *display_name, const char *bio,
			  int locked, int64_t *id)
{
	char *name = NULL, *about = NULL, *user = NULL, dom[256];
	int64_t found;
	int r;

	if (!uri || !username || !domain || !*uri || !*username || !*domain)
		return err_set(CAMP_EINVAL,
			       "a remote account needs a uri, a name and a domain");
	if (strlen(domain) >= sizeof dom || strchr(domain, '@') || strchr(username, '@'))
		return err_set(CAMP_EINVAL, "bad remote account name %s@%s", username,
			       domain);
	username_fold(domain, dom, sizeof dom);
	if ((r = remote_text("name", display_name, 100, &name)) != 0 ||
	    (r = remote_text("summary", bio, 5000, &about)) != 0 ||
	    (r = remote_text("username", username, 100, &user)) != 0)
		goto out;
	if ((r = store_tx_begin(st, "saving a remote account")) != 0)
		goto out;
	if ((r = remote_lookup(st, uri, &found)) == 0)
		r = remote_write(st, found, uri, user, dom, name, about, locked, id);
	r = store_tx_end(st, r);
out:
	free(name);
	free(about);
	free(user);
	return r;
}

/* Removes a leaving member's content and relationships, keeping the
 * account row as a tombstone (see the schema). */
static int member_clear(struct store *st, int64_t id)
{
	static const char *const sqls[] = {
		"DELETE FROM posts WHERE account_id = ?1",
		"DELETE FROM follows WHERE follower_id = ?1 OR target_id = ?1",
		"DELETE FROM blocks WHERE account_id = ?1 OR target_id = ?1",
		"DELETE FROM mutes WHERE account_id = ?1 OR target_id = ?1",
		"DELETE FROM favourites WHERE account_id = ?1",
		"DELETE FROM notifications WHERE account_id = ?1 OR from_id = ?1",
		"DELETE FROM home_feed WHERE account_id = ?1",
		"DELETE FROM ssh_keys WHERE account_id = ?1",
		/* Parenthesized: a split literal here reads like a missing
		 * comma to clang. */
		("UPDATE accounts SET display_name = '', bio = '', welcome_note = '',"
		 " deleted_at = strftime('%s', 'now') WHERE id = ?1"),
	};
	int r = 0;

	for (size_t i = 0; i < ARRAY_LEN(sqls) && r == 0; i++)
		r = sql_exec(st, "deleting the account", sqls[i], "i", id);
	return r;
}

static int remote_forget(struct store *st, int64_t id)
{
	static const char sql[] = "DELETE FROM accounts WHERE id = ?";

	return sql_exec(st, "forgetting the remote account", sql, "i", id);
}

/* Tells the remote servers that knew a member, then clears the member. */
static int member_leave(struct store *st, int64_t id)
{
	int64_t *recips = NULL;
	int r, n = 0;

	if ((r = remote_followers(st, id, 1, &recips, &n)) == 0 &&
	    (r = outbox_add(st, OUTBOX_DELETE_PERSON, id, 0, 0, NULL, 0, recips, n)) == 0)
		r = member_clear(st, id);
	free(recips);
	return r;
}

int account_delete(struct store *st, int64_t id)
{
	int r, member;

	if ((r = store_tx_begin(st, "deleting the account")) != 0)
		return r;
	if ((member = account_is_member(st, id)) < 0)
		r = member;
	else
		r = member ? member_leave(st, id) : remote_forget(st, id);
	return store_tx_end(st, r);
}
