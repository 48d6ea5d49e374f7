/*
 * store.h: the camp's database and model.
 *
 * The only room that speaks SQL.  Every process opens the same DIR/camp.db
 * (WAL, busy timeout, foreign keys) through store_open().  Above this
 * line nobody builds a query; they call the typed functions below, so the
 * TUI, the exec commands and federation all act on the camp the same way,
 * and the rules of who may see what live here alone.
 *
 * Conventions: functions return 0 or a negative CAMP_E* code with the
 * reason in err_last().  Structs filled by a function own their strings;
 * free them with the matching *_free().
 */
#ifndef CAMP_STORE_H
#define CAMP_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "common/common.h"

struct store;

/* ---- db.c: opening, migrations, transactions, backup -------------------- */

enum { STORE_CREATE = 1 /* create camp.db if missing */ };

/* Opens (and with STORE_CREATE creates) the database at path, sets WAL,
 * busy timeout and foreign keys, and brings the schema up to date: an
 * older database is first copied to PATH.bak-vN, then migrated in one
 * transaction; a newer one is refused (CAMP_EVERSION) naming both
 * versions.  *out is owned by the caller (store_close). */
int store_open(const char *path, int flags, struct store **out);
void store_close(struct store *st);
/* The schema version this build writes, and the database's. */
int store_schema_latest(void);
int store_schema_version(struct store *st);
/* Test hook: open and migrate only up to version `upto`. */
int store_open_upto(const char *path, int upto, struct store **out);

/* Transactions nest by depth: only the outermost begin/commit touch the
 * database; a rollback at any depth makes the outermost commit fail. */
int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);

/* Online, consistent copy of the database into path (written to a temp
 * file first, then renamed), safe while other processes write. */
int store_backup(struct store *st, const char *path);

/* A number that changes whenever another connection commits; cheap to
 * poll (PRAGMA data_version). */
int64_t store_data_version(struct store *st);

/* The underlying handle, for store/ files only. */
sqlite3 *store_db(struct store *st);

/* ---- dir.c: a camp folder ----------------------------------------------- */

/* Loads DIR/camp.conf into cfg (defaults first) and opens DIR/camp.db.
 * On failure nothing is left open and err_last() says what is wrong with
 * the folder.  The caller frees cfg (config_free) and closes *st. */
int camp_dir_open(const char *dir, struct config *cfg, struct store **st);

/* ---- settings.c: key/value settings kept in the database ---------------- */

/* *out is a copy the caller frees, or NULL when the key is unset. */
int setting_get(struct store *st, const char *key, char **out);
int setting_set(struct store *st, const char *key, const char *value);

/* ---- account.c: members and remote actors ------------------------------- */

enum visibility {
	VIS_PUBLIC,
	VIS_UNLISTED,
	VIS_FOLLOWERS,
	VIS_DIRECT,
	VIS_CAMP,
	VIS_NEIGHBORHOOD,
	VIS_COUNT
};
/* "public", ...; NULL for an out-of-range value. */
const char *visibility_name(enum visibility v);
/* Returns the level or -1 for an unknown name. */
int visibility_parse(const char *name);

struct account {
	int64_t id;
	char *username;	    /* lowercase for members */
	char *domain;	    /* NULL for members of this camp */
	char *display_name; /* may be "" */
	char *bio;	    /* a member's one-line intro */
	int is_admin;
	int locked; /* approves followers by hand */
	enum visibility default_visibility;
	int64_t created_at;
	int64_t suspended_at; /* 0 unless suspended */
	char *suspend_reason; /* "" unless suspended */
	int64_t coc_accepted_at;
	int64_t onboarded_at; /* 0 until the first-login pages were seen */
	char *welcome_note;   /* from the invite; may be "" */
};

/* Checks a username against Mastodon's rule [a-z0-9_]+([.-]+[a-z0-9_]+)*
 * (after lowercasing), at most 30 characters.  Returns 0 or CAMP_EINVAL
 * with a message fit for the person choosing it. */
int username_check(const char *name);
/* Lowercases an ASCII username into out (at most outlen bytes). */
void username_fold(const char *name, char *out, size_t outlen);

int account_get(struct store *st, int64_t id, struct account *out);
/* Finds a member (not a remote account) by name, case-insensitively. */
int account_get_member(struct store *st, const char *username, struct account *out);
void account_free(struct account *a);
/* Number of members (suspended ones included). */
int account_count_members(struct store *st, int64_t *count);
/* "alice" for a member, "bob@example.social" for a remote account.
 * Caller frees. */
char *account_acct(const struct account *a);
/* 0 if name is fit to be a display name (UTF-8, one line, not too long),
 * else CAMP_EINVAL or CAMP_ETOOBIG with the reason. */
int account_check_display_name(const char *name);
/* Updates a member's display name, intro and default visibility;
 * NULL leaves a field as it is.  Checks lengths and UTF-8. */
int account_update_profile(struct store *st, int64_t id, const char *display_name,
			   const char *bio, int default_visibility);
int account_set_coc_accepted(struct store *st, int64_t id);
int account_set_onboarded(struct store *st, int64_t id);

/* ---- key.c: members' SSH public keys ------------------------------------ */

struct ssh_key {
	int64_t id;
	int64_t account_id;
	char *type;	   /* "ssh-ed25519", ... */
	char *base64;	   /* the key blob as in authorized_keys */
	char *fingerprint; /* "SHA256:..." as ssh-keygen -lf prints it */
	char *comment;
	int64_t created_at;
	int64_t last_used_at;
};

/* Adds a key to a member.  A key already held by anyone is refused with
 * CAMP_EEXIST. */
int key_add(struct store *st, int64_t account_id, const char *type, const char *base64,
	    const char *fingerprint, const char *comment);
/* Member id holding (username, fingerprint), for login.  CAMP_ENOENT if
 * the pair does not match (without saying which half is wrong). */
int key_lookup(struct store *st, const char *username, const char *fingerprint,
	       int64_t *account_id);
/* The member holding a key, whatever the name (for join@). */
int key_owner(struct store *st, const char *fingerprint, int64_t *account_id);
/* All keys of a member, oldest first; *out is an array of *n keys that the
 * caller frees with key_list_free. */
int key_list(struct store *st, int64_t account_id, struct ssh_key **out, int *n);
void key_list_free(struct ssh_key *keys, int n);
/* Removes a member's key by fingerprint; refuses to remove the last one
 * (CAMP_EPERM), since the member could never log in again. */
int key_remove(struct store *st, int64_t account_id, const char *fingerprint);
int key_touch(struct store *st, int64_t account_id, const char *fingerprint);

/* ---- invite.c: single-use invite codes ---------------------------------- */

#define INVITE_CODE_GROUPS 4 /* 4 x 5 letters of 31 = 99 bits */
#define INVITE_CODE_LEN (INVITE_CODE_GROUPS * 6)

struct invite {
	int64_t id;
	char hint[8]; /* first letters of the code, for lists */
	int is_admin;
	char *note;	    /* the admin's welcome note */
	int64_t created_by; /* 0 when made from the command line */
	int64_t created_at;
	int64_t expires_at; /* 0: never */
	int64_t used_at;
	int64_t used_by;
};

/* Makes a new code; only its hash is stored.  code must hold
 * INVITE_CODE_LEN bytes.  expires_days 0 means it never expires. */
int invite_create(struct store *st, int64_t created_by, int is_admin, const char *note,
		  int expires_days, char *code);
/* Looks a code up (any case, dashes and spaces optional). */
int invite_get(struct store *st, const char *code, struct invite *out);
void invite_free(struct invite *inv);

struct join_request {
	const char *code;
	const char *username;
	const char *display_name; /* NULL or "": the username */
	const char *key_type;
	const char *key_base64;
	const char *key_fingerprint;
	long max_members;
	int accept_coc; /* joining non-interactively accepts the code */
};

/* Joins the camp in one transaction: checks the invite (unknown, used,
 * expired), the username (invalid, taken), the key (already a member's),
 * the camp's size; creates the member with the key, spends the invite
 * and keeps its welcome note.  Each refusal is a clear err_last() and
 * changes nothing.  Stores the new member's id. */
int store_join(struct store *st, const struct join_request *req, int64_t *account_id);

#endif
