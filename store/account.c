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

#define USERNAME_MAX 30
#define DISPLAY_NAME_MAX 60 /* code points */
#define BIO_MAX 160	    /* code points: a one-line intro */

static const char *const visibility_names[VIS_COUNT] = {
	"public", "unlisted", "followers", "direct", "camp", "neighborhood",
};

const char *visibility_name(enum visibility v)
{
	if ((int)v < 0 || v >= VIS_COUNT)
		return NULL;
	return visibility_names[v];
}

int visibility_parse(const char *name)
{
	for (int i = 0; i < VIS_COUNT; i++)
		if (strcmp(name, visibility_names[i]) == 0)
			return i;
	return -1;
}

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
	" coc_accepted_at, onboarded_at, welcome_note"

static void account_from_row(sqlite3_stmt *s, struct account *a)
{
	a->id = sqlite3_column_int64(s, 0);
	a->username = col_text(s, 1);
	a->domain = col_text_or_null(s, 2);
	a->display_name = col_text(s, 3);
	a->bio = col_text(s, 4);
	a->is_admin = sqlite3_column_int(s, 5);
	a->locked = sqlite3_column_int(s, 6);
	a->default_visibility = (enum visibility)sqlite3_column_int(s, 7);
	a->created_at = sqlite3_column_int64(s, 8);
	a->suspended_at = sqlite3_column_int64(s, 9);
	a->suspend_reason = col_text(s, 10);
	a->coc_accepted_at = sqlite3_column_int64(s, 11);
	a->onboarded_at = sqlite3_column_int64(s, 12);
	a->welcome_note = col_text(s, 13);
}

/* Steps a prepared one-row account query into out. */
static int account_fetch(struct store *st, sqlite3_stmt *s, struct account *out)
{
	int rc = sqlite3_step(s), r = 0;

	memset(out, 0, sizeof *out);
	if (rc == SQLITE_ROW)
		account_from_row(s, out);
	else if (rc == SQLITE_DONE)
		r = err_set(CAMP_ENOENT, "no such account");
	else
		r = store_dberr(st, "reading an account");
	return stmt_done(s, r);
}

int account_get(struct store *st, int64_t id, struct account *out)
{
	static const char sql[] = "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE id = ?";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, id);
	return account_fetch(st, s, out);
}

int account_get_member(struct store *st, const char *username, struct account *out)
{
	static const char sql[] = "SELECT " ACCOUNT_COLUMNS
				  " FROM accounts WHERE username = ? AND domain IS NULL";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, username);
	if ((r = account_fetch(st, s, out)) == CAMP_ENOENT)
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
	static const char sql[] = "SELECT count(*) FROM accounts WHERE domain IS NULL";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	if (sqlite3_step(s) == SQLITE_ROW)
		*count = sqlite3_column_int64(s, 0);
	else
		r = store_dberr(st, "counting members");
	return stmt_done(s, r);
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

int account_update_profile(struct store *st, int64_t id, const char *display_name,
			   const char *bio, int default_visibility)
{
	static const char sql[] =
		"UPDATE accounts SET display_name = ifnull(?, display_name),"
		" bio = ifnull(?, bio),"
		" default_visibility = CASE WHEN ? < 0 THEN default_visibility ELSE ? END"
		" WHERE id = ? AND domain IS NULL";
	sqlite3_stmt *s;
	int r;

	if (display_name && (r = account_check_display_name(display_name)) != 0)
		return r;
	if (bio && (r = profile_text_check("intro", bio, BIO_MAX)) != 0)
		return r;
	if (default_visibility >= VIS_COUNT)
		return err_set(CAMP_EINVAL, "unknown visibility");
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, display_name);
	bind_text(s, 2, bio);
	sqlite3_bind_int(s, 3, default_visibility);
	sqlite3_bind_int(s, 4, default_visibility);
	sqlite3_bind_int64(s, 5, id);
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving the profile");
	else if (sqlite3_changes(store_db(st)) == 0)
		r = err_set(CAMP_ENOENT, "no such member");
	return stmt_done(s, r);
}

/* Sets one timestamp column of a member to now. */
static int account_stamp(struct store *st, const char *sql, int64_t id)
{
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, now_s());
	sqlite3_bind_int64(s, 2, id);
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving the account");
	return stmt_done(s, r);
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
