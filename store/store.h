/*
 * store.h: the camp's database and model.
 *
 * The only room that speaks SQL.  Every process opens the same DIR/camp.db
 * (WAL, busy timeout, foreign keys) through store_open().  Above this
 * line nobody builds a query; they call the typed functions below, so the
 * TUI, the exec commands and federation all act on the camp the same way,
 * and the rules of who may see what live here alone (audience.c).
 *
 * Conventions: functions return 0 or a negative CAMP_E* code with the
 * reason in err_last().  Structs filled by a function own their strings;
 * free them with the matching *_free().  Each section below is named
 * after the file of store/ that implements it.
 */
#ifndef CAMP_STORE_H
#define CAMP_STORE_H

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

/* Transactions nest by depth: only the outermost begin and end touch the
 * database, and a rollback at any depth makes the outermost end fail.
 * what names the operation for error messages ("saving the follow"; a
 * literal: it is kept until the end).
 * Every store_tx_begin that returned 0 is matched by one store_tx_end,
 * which commits when r is 0 and rolls back otherwise, and returns r (or
 * the commit's error).  The shape every writer has:
 *
 *	if ((r = store_tx_begin(st, "saving the follow")) != 0)
 *		return r;
 *	r = follow_write_all(st, ...);	(any number of early returns inside)
 *	return store_tx_end(st, r);
 */
int store_tx_begin(struct store *st, const char *what);
int store_tx_end(struct store *st, int r);
/* The older spelling of the same, kept for callers outside store/:
 * store_begin is store_tx_begin with a generic what, store_commit is
 * store_tx_end(st, 0), store_rollback ends with a failure. */
int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);

/* Online, consistent copy of the database into path (written to a temp
 * file first, then renamed), safe while other processes write. */
int store_backup(struct store *st, const char *path);

/* A number that changes whenever another connection commits; cheap to
 * poll (PRAGMA data_version). */
int64_t store_data_version(struct store *st);

/* ---- backup.c: scheduled backups, checking a copy, restoring ------------ */

/* Checks a copy of a camp database at path: PRAGMA integrity_check
 * passes, it has the camp's tables, and its schema is one this binary
 * knows (CAMP_EVERSION otherwise).  Stores its schema version.  0, or an
 * error whose message names path and what is wrong. */
int backup_verify(const char *path, int *schema);
/* Makes DIR/backups/camp-YYYYmmdd-HHMMSS.db (UTC) with store_backup,
 * checks it with backup_verify, records it as the last good backup (a
 * failure to record is only logged), and removes all but the newest keep
 * such files.  *path is the new file
 * (caller frees; NULL on failure, when no unchecked copy is left). */
int backup_scheduled(struct store *st, const char *dir, long keep, char **path);
/* Seconds until the next scheduled backup is due (0: now), from the
 * newest file in DIR/backups alone (the listener, which keeps the
 * schedule, never opens the database): every seconds after it, or, when
 * there is none yet, a minute (at most every) after the start, which was
 * running_s ago.  -1 when every is 0 (no scheduled backups). */
long backup_due_in(const char *dir, long every, int64_t running_s);
/* Records a checked copy at path, made at `at`, as the last good backup
 * (waiting only briefly for busy writers: CAMP_EDB then); backup_last
 * reads it back (*at 0 and *path NULL when there is none;
 * caller frees *path). */
int backup_record(struct store *st, const char *path, int64_t at);
int backup_last(struct store *st, int64_t *at, char **path);
/* Replaces DIR/camp.db with a copy of file, after backup_verify passed
 * on it.  The database it replaces (with its WAL folded in) is kept as
 * DIR/camp.db.before-restore-YYYYmmdd-HHMMSS, named in *kept (caller
 * frees; NULL when there was none).  The caller makes sure that nothing
 * serves the camp (run_lock_take).  On failure camp.db is as it was. */
int store_restore(const char *dir, const char *file, char **kept);

/* ---- campdir.c: a camp folder ------------------------------------------- */

/* Loads DIR/camp.conf into cfg (defaults first) and opens DIR/camp.db.
 * On failure nothing is left open and err_last() says what is wrong with
 * the folder.  The caller frees cfg (config_free) and closes *st. */
int camp_dir_open(const char *dir, struct config *cfg, struct store **st);

/* ---- settings.c: key/value settings kept in the database ---------------- */

/* *out is a copy the caller frees, or NULL when the key is unset. */
int setting_get(struct store *st, const char *key, char **out);
int setting_set(struct store *st, const char *key, const char *value);

/* ---- presence.c: who is on the camp now, and when each was last here ---- */

#define PRESENCE_BEAT_S 30  /* a session touches its row this often */
#define PRESENCE_STALE_S 90 /* a row untouched this long no longer counts */

/* A session of member account_id (process pid) begins: stores the id of
 * its row, to touch and end.  Also tidies the rows of sessions that died
 * without ending (into last_seen). */
int presence_begin(struct store *st, int64_t account_id, int pid, int64_t *presence_id);
/* The session's heartbeat, every PRESENCE_BEAT_S.  CAMP_ENOENT (no
 * message) when its row was tidied away after a long silence: begin a
 * new one. */
int presence_touch(struct store *st, int64_t presence_id);
/* The session ended: its member was here until now. */
int presence_end(struct store *st, int64_t presence_id);
/* Members with at least one session whose heartbeat is fresh. */
int presence_online_count(struct store *st, int64_t *members);
/* When a member was last here (now, if online): 0 when never since the
 * camp began keeping it. */
int presence_last_seen(struct store *st, int64_t account_id, int64_t *at);

/* ---- health.c: the camp as a running service ---------------------------- */

/* Deliveries waiting for one server. */
struct health_domain {
	char *domain;
	int64_t waiting;       /* jobs waiting for it */
	int64_t failing;       /* of which tried and failed at least once */
	int64_t failing_since; /* since when it fails to answer; 0 if it does not */
	char *last_error;      /* the latest failure, "" if none */
};

/* What camp status and the admin dashboard show.  Times are seconds
 * since the epoch, 0 for "none"; strings are owned (camp_health_free). */
struct camp_health {
	const char *version;	   /* this binary's (static) */
	int schema, schema_latest; /* the database's, and this binary's */
	struct run_info run;	   /* camp serve: running, pid, started_at */
	int64_t members, members_online;
	int64_t stewards; /* people who could run the camp (camp_stewards) */
	char *steward;	  /* the only one's name when stewards is 1, else NULL */
	int64_t deliveries_waiting, deliveries_failing;
	int64_t oldest_waiting_at;     /* created_at of the oldest job */
	struct health_domain *domains; /* most waiting first, at most 10 */
	int ndomains;
	int64_t db_bytes, wal_bytes;  /* camp.db and its WAL */
	int64_t disk_free, disk_size; /* of the camp folder's file system */
	int64_t backup_at;	      /* the last good backup, or 0 */
	char *backup_path;
	char *tls_cert;	       /* built-in HTTPS's certificate file, or NULL */
	int64_t tls_not_after; /* when it expires (0 if unreadable) */
	char *tls_error;       /* why it could not be read, or NULL */
	int64_t clock_offset;  /* another server's Date minus our clock, seconds */
	int64_t clock_at;      /* when that was seen; 0: never compared */
	char *clock_peer;      /* the server it was seen from */
};
/* Fills h for the camp in dir (whose database st is).  On failure h
 * holds nothing to free.  Free with camp_health_free. */
int camp_health_get(struct store *st, const char *dir, struct camp_health *h);
void camp_health_free(struct camp_health *h);
/* How many people could run this camp if one of them disappeared (today:
 * active admins), and the name of the only one when there is exactly
 * one (caller frees; else NULL).  camp status warns below two. */
int camp_stewards(struct store *st, int64_t *n, char **only);
/* Records what a server's answer said of our clock: its Date minus our
 * time now, in seconds (federation calls this, sparingly). */
int clock_observe(struct store *st, const char *peer, int64_t offset);

/* ---- audience.c: the visibility levels ---------------------------------- */

/* The levels of DESIGN §3.  The numbers are stored on disk (posts and
 * accounts' default) and spelled into SQL by store/ (SQL_VIS_* in
 * store-private.h): never renumber them, only add. */
#define VIS_N_PUBLIC 0
#define VIS_N_UNLISTED 1
#define VIS_N_FOLLOWERS 2
#define VIS_N_DIRECT 3
#define VIS_N_CAMP 4
#define VIS_N_NEIGHBORHOOD 5
enum visibility {
	VIS_PUBLIC = VIS_N_PUBLIC,
	VIS_UNLISTED = VIS_N_UNLISTED,
	VIS_FOLLOWERS = VIS_N_FOLLOWERS,
	VIS_DIRECT = VIS_N_DIRECT,
	VIS_CAMP = VIS_N_CAMP,
	VIS_NEIGHBORHOOD = VIS_N_NEIGHBORHOOD,
	VIS_COUNT
};
/* The level's name as commands take it and JSON prints it ("public",
 * "camp", ...); NULL for an out-of-range value. */
const char *visibility_name(enum visibility v);
/* Returns the level or -1 for an unknown name. */
int visibility_parse(const char *name);
/* The level in words next to a post ("public", "camp only", ...); "?"
 * for an out-of-range value. */
const char *visibility_label(enum visibility v);
/* One line on who can see a post at that level, as a picker explains it
 * ("anyone, shown in public timelines"); "" for an out-of-range value. */
const char *visibility_about(enum visibility v);
/* 1 for the levels anyone may see (public and unlisted): the only posts
 * others may boost, served to anyone, counted as public; else 0. */
int visibility_is_open(enum visibility v);
/* The level a member's reply starts at when they do not choose one, from
 * their default and the parent's level: never wider than the parent; a
 * reply to a camp-only or direct post keeps its level; under a
 * neighborhood post it stays in the neighborhood (camp-only if that is
 * the member's default); under a followers-only post it is followers-only
 * (direct if that is the default); under an unlisted post a public
 * default becomes unlisted.  The client and the commands both ask this.
 * A value out of range reads as the narrowest level, direct. */
int audience_reply_visibility(int member_default, int parent_visibility);

/* ---- account.c: members and remote actors ------------------------------- */

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
	int64_t deleted_at;   /* a member who left: 0 unless deleted */
};

/* Checks a username against Mastodon's rule [a-z0-9_]+([.-]+[a-z0-9_]+)*
 * (after lowercasing), at most 30 characters, and not a reserved name
 * (join, root, admin, ...).  Returns 0 or CAMP_EINVAL
 * with a message fit for the person choosing it. */
int username_check(const char *name);
/* Lowercases an ASCII username into out (at most outlen bytes). */
void username_fold(const char *name, char *out, size_t outlen);

int account_get(struct store *st, int64_t id, struct account *out);
/* Finds a member (not a remote account) by name, case-insensitively. */
int account_get_member(struct store *st, const char *username, struct account *out);
void account_free(struct account *a);
/* Number of members: suspended ones count, those who left do not. */
int account_count_members(struct store *st, int64_t *count);
/* "alice" for a member, "bob@example.social" for a remote account.
 * Caller frees. */
char *account_acct(const struct account *a);
/* 0 if name is fit to be a display name (UTF-8, one line, not too long),
 * else CAMP_EINVAL or CAMP_ETOOBIG with the reason. */
int account_check_display_name(const char *name);
/* Updates a member's display name, intro and default visibility;
 * NULL (or -1) leaves a field as it is.  Checks lengths and UTF-8.  Remote
 * followers hear of a new name or intro (an Update through the outbox). */
int account_update_profile(struct store *st, int64_t id, const char *display_name,
			   const char *bio, int default_visibility);
/* Whether a member approves followers by hand. */
int account_set_locked(struct store *st, int64_t id, int locked);
struct account_counts {
	int64_t followers, following; /* accepted follows */
	int64_t posts;		      /* not counting boosts */
	int64_t public_posts;	      /* public and unlisted, not boosts */
};
int account_counts(struct store *st, int64_t id, struct account_counts *c);
int account_set_coc_accepted(struct store *st, int64_t id);
int account_set_onboarded(struct store *st, int64_t id);

/* A short description of an account, embedded in posts and lists. */
struct account_brief {
	int64_t id;
	char *username;
	char *domain; /* NULL for members */
	char *display_name;
	char *uri; /* remote actor id; NULL for members */
};
void account_brief_free(struct account_brief *b);
/* "alice" or "bob@example.social"; caller frees. */
char *account_brief_acct(const struct account_brief *b);
/* Loads the brief of an account (id 0 leaves *b zeroed); free with
 * account_brief_free. */
int account_brief_get(struct store *st, int64_t id, struct account_brief *b);

/* 1 if the account is a member of this camp, 0 if it is remote, or a
 * negative error (CAMP_ENOENT) if there is no such account. */
int account_is_member(struct store *st, int64_t id);
/* Finds an account by "name" (member) or "name@domain" (a member when
 * the domain is this camp's `local_domain`, else a known remote account).
 * A leading '@' is allowed.  CAMP_ENOENT when unknown. */
int account_find(struct store *st, const char *acct, const char *local_domain,
		 struct account *out);
/* Creates or updates a remote account known by its actor uri; stores the
 * id.  Federation fills the rest of the actor (inbox, keys) itself. */
int account_upsert_remote(struct store *st, const char *uri, const char *username,
			  const char *domain, const char *display_name, const char *bio,
			  int locked, int64_t *id);
/* Deletes an account and everything that is only its own (posts, boosts,
 * favourites, follows, keys, notifications); other people's replies to it
 * stay.  For a member this is leaving the camp: the row stays as a
 * tombstone (deleted_at set, name still taken, no keys, so no login) and
 * remote servers are told.  A remote account is forgotten entirely. */
int account_delete(struct store *st, int64_t id);

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

/* ======================================================================
 * The camp's model (issue 4): posts, relationships, timelines, the rules
 * of who may see what.  Everything below is read through a `viewer`, and
 * every decision about visibility is made by audience.c alone.
 * ==================================================================== */

/* ---- audience.c: who may see what (DESIGN §3, the one place) --------- */

/* Whoever is looking: a member of this camp, a remote actor (a signed
 * request), or nobody in particular (an anonymous fetch).  Loads the
 * viewer's follows, blocks and mutes once, so checking many posts is
 * cheap.  Owned by the caller (viewer_free). */
struct viewer;
int viewer_member(struct store *st, int64_t account_id, struct viewer **out);
int viewer_remote(struct store *st, int64_t remote_account_id, struct viewer **out);
struct viewer *viewer_anonymous(void);
void viewer_free(struct viewer *v);
int64_t viewer_account_id(const struct viewer *v); /* 0 for anonymous */

/* Sets *yes to whether v may see post_id (a missing post is CAMP_ENOENT).
 * Boosts are seen only when the boosted post is. */
int audience_can_see(struct store *st, struct viewer *v, int64_t post_id, int *yes);

/* The remote accounts a post must be delivered to: nobody for camp-only
 * posts, ever; followers and mentioned actors for public, unlisted and
 * followers; mentioned actors for direct; only actors on trusted camps
 * for neighborhood.  *ids is caller-freed.  Blocked actors are left
 * out. */
int audience_remote_recipients(struct store *st, int64_t post_id, int64_t **ids, int *n);
/* Whether a post may ever be shown outside this camp (not camp-only, and
 * for a boost, neither is the boosted post). */
int audience_may_federate(struct store *st, int64_t post_id, int *yes);

/* The camps this camp trusts (neighbors).  Empty until neighborhoods
 * land; the audience rules already take it into account. */
int neighbors_list(struct store *st, char ***domains, int *n);

/* ---- text.c: mentions, hashtags and links, parsed once at posting ---- */

/* Stored on disk (entities.kind): add at the end, never renumber. */
enum entity_kind { ENTITY_MENTION, ENTITY_TAG, ENTITY_URL };
struct entity {
	enum entity_kind kind;
	int start, end;	    /* byte offsets into the content */
	char *value;	    /* acct, lowercase tag (no #), or URL */
	int64_t account_id; /* mentions: the account; 0 otherwise */
};
/* Parses content into entities.  Mentions are resolved with account_find
 * (local_domain names this camp); an unknown one is left as text.
 * Caller frees with entities_free. */
int text_parse(struct store *st, const char *content, const char *local_domain,
	       struct entity **out, int *n);
void entities_free(struct entity *e, int n);

/* ---- post-read.c: loading posts as a viewer sees them ---------------- */

struct post {
	int64_t id;
	struct account_brief author;
	char *uri;     /* remote posts' ActivityPub id; NULL for local ones */
	char *url;     /* remote posts' web page; NULL for local ones */
	char *content; /* plain text as typed, or remote HTML reduced to text */
	char *cw;      /* "" when none */
	enum visibility visibility;
	int local;
	int64_t in_reply_to_id; /* 0: not a reply, or the parent is unknown */
	char *in_reply_to_uri;	/* parent's uri when it is remote, or NULL */
	struct account_brief in_reply_to_author; /* id 0 when unknown */
	int64_t thread_id; /* the root of its thread (itself when a root) */
	int64_t created_at, edited_at;
	int replies, boosts, favourites; /* counts */
	int favourited, boosted;	 /* by the viewer */
	struct entity *entities;
	int nentities;
	struct post *boost_of; /* set when this post is a boost */
	int depth;	       /* in a thread listing: 0 for the focus or a root */
};
void post_free(struct post *p);

/* Loads a post as v sees it; CAMP_ENOENT when missing or not visible. */
int post_get(struct store *st, struct viewer *v, int64_t id, struct post *out);
/* Finds a post by its ActivityPub uri (remote posts). */
int post_find_uri(struct store *st, const char *uri, int64_t *id);
struct post_version {
	char *content, *cw;
	int64_t at; /* when this version was replaced */
};
/* Earlier versions, oldest first, if v may see the post. */
int post_history(struct store *st, struct viewer *v, int64_t post_id,
		 struct post_version **out, int *n);
void post_history_free(struct post_version *h, int n);
/* Largest post id, for "N new" markers. */
int post_max_id(struct store *st, int64_t *id);

/* ---- post-write.c: writing a post ------------------------------------ */

struct post_new {
	int64_t author_id;
	const char *content;
	const char *cw;		     /* NULL or "": none */
	int visibility;		     /* -1: the default (see post_create) */
	int64_t in_reply_to_id;	     /* 0: none */
	const char *in_reply_to_uri; /* remote parent not stored here */
	long max_chars;		     /* 0: no limit (remote posts) */
	const char *local_domain;
	/* Remote posts only: */
	const char *uri, *url;
	int64_t created_at;	       /* 0: now */
	const int64_t *extra_mentions; /* addressees from to/cc/tag */
	int nextra_mentions;
	const char *const *extra_tags;
	int nextra_tags;
};

/* Result flags of post_create. */
enum { POST_WIDENED = 1 /* a reply made wider than its camp-only parent */ };

/* Creates a post in one transaction: validates (UTF-8, length in code
 * points, not empty), parses entities, picks the default visibility (the
 * author's default, or for a reply audience_reply_visibility()), records
 * mentions and tags, fans it out to home timelines, and notifies local
 * members.  A reply to a post the author may not see is refused.  Stores
 * the new id and POST_* flags. */
int post_create(struct store *st, const struct post_new *req, int64_t *id, int *flags);

/* ---- post-edit.c: edits and deletes ---------------------------------- */

/* Edits the author's own post: keeps the old text in the history,
 * re-parses entities.  Visibility never changes. */
int post_edit(struct store *st, int64_t actor_id, int64_t post_id, const char *content,
	      const char *cw, long max_chars, const char *local_domain);
/* Deletes a post (its author, or an admin for a member's post): gone
 * from every timeline; boosts of it go too; replies stay. */
int post_delete(struct store *st, int64_t actor_id, int64_t post_id);

/* ---- reaction.c: boosts and favourites ------------------------------- */

/* Boosts: only public and unlisted posts by others, any non-direct post
 * of one's own; the boost has the boosted post's visibility.  Boosting
 * twice is CAMP_EEXIST.  uri is for remote boosts (Announce id). */
int post_boost(struct store *st, int64_t actor_id, int64_t post_id, const char *uri,
	       int64_t *boost_id);
int post_unboost(struct store *st, int64_t actor_id, int64_t post_id);
int post_fav(struct store *st, int64_t actor_id, int64_t post_id);
int post_unfav(struct store *st, int64_t actor_id, int64_t post_id);

/* ---- follow.c: follows, mutes, blocks -------------------------------- */

/* Stored on disk (follows.state) and spelled into SQL by store/
 * (SQL_FOLLOW_*): never renumber.  FOLLOW_NONE is the absence of a row. */
#define FOLLOW_N_NONE 0
#define FOLLOW_N_PENDING 1
#define FOLLOW_N_ACCEPTED 2
enum follow_state {
	FOLLOW_NONE = FOLLOW_N_NONE,
	FOLLOW_PENDING = FOLLOW_N_PENDING,
	FOLLOW_ACCEPTED = FOLLOW_N_ACCEPTED
};

/* follower follows target: accepted at once for an unlocked member,
 * pending for a locked member or any remote account (until Accept).
 * Refused across a block.  Stores the resulting state. */
int follow_request(struct store *st, int64_t follower, int64_t target, const char *uri,
		   enum follow_state *state);
/* The remote Follow activity's id, kept to answer it with Accept/Reject;
 * *uri is NULL for local follows.  Caller frees. */
int follow_uri(struct store *st, int64_t follower, int64_t target, char **uri);
/* target (a member, or a remote account's Accept) accepts or rejects. */
int follow_accept(struct store *st, int64_t target, int64_t follower);
int follow_reject(struct store *st, int64_t target, int64_t follower);
int unfollow(struct store *st, int64_t follower, int64_t target);
int follow_get(struct store *st, int64_t follower, int64_t target,
	       enum follow_state *state);
int mute_set(struct store *st, int64_t account_id, int64_t target, int on);
/* Blocking removes follows both ways and hides each from the other. */
int block_set(struct store *st, int64_t account_id, int64_t target, int on);

struct relationship {
	enum follow_state following, followed_by;
	int muting, blocking, blocked_by;
};
int relationship_get(struct store *st, int64_t me, int64_t other, struct relationship *r);
/* Accounts following target (accepted), members and remote; caller frees. */
int followers_list(struct store *st, int64_t target, int64_t **ids, int *n);
/* Accounts target follows (accepted); caller frees. */
int following_list(struct store *st, int64_t follower, int64_t **ids, int *n);
/* Pending follow requests to a member. */
int follow_requests_list(struct store *st, int64_t target, int64_t **ids, int *n);

/* ---- timeline.c: timelines and threads ------------------------------- */

enum timeline_kind {
	TL_HOME,      /* own posts, followed accounts' posts and boosts */
	TL_CAMP,      /* members' public, camp and neighborhood posts */
	TL_FEDERATED, /* every public post the camp knows */
	TL_PROFILE,   /* one account's posts and boosts */
	TL_HASHTAG,   /* posts with a tag */
};
/* Parses "home", "camp", ...; -1 if unknown. */
int timeline_kind_parse(const char *name);

struct timeline_query {
	enum timeline_kind kind;
	int64_t account_id; /* TL_PROFILE */
	const char *tag;    /* TL_HASHTAG, without '#' */
	int64_t max_id;	    /* 0: newest; else only ids below it */
	int limit;	    /* 1..200 */
};
struct post_list {
	struct post *items;
	int n;
	int64_t next_max_id; /* pass as max_id for the next page; 0 at the end */
};
void post_list_free(struct post_list *l);

/* Newest first, as v sees it (muted accounts left out of every timeline
 * but the muted account's own profile). */
int timeline_get(struct store *st, struct viewer *v, const struct timeline_query *q,
		 struct post_list *out);
/* A post with its visible ancestors (root first) and descendants (in
 * thread order, each with its depth below the focus). */
int thread_get(struct store *st, struct viewer *v, int64_t post_id,
	       struct post_list *ancestors, struct post *focus,
	       struct post_list *descendants);

/* ---- notify.c: notifications ----------------------------------------- */

/* Stored on disk (notifications.kind): add at the end, never renumber. */
enum notification_kind {
	NOTIFY_MENTION,
	NOTIFY_REPLY,
	NOTIFY_FOLLOW,
	NOTIFY_FOLLOW_REQUEST,
	NOTIFY_BOOST,
	NOTIFY_FAVOURITE,
	NOTIFY_KIND_COUNT
};
const char *notification_kind_name(enum notification_kind k);
struct notification {
	int64_t id;
	enum notification_kind kind;
	struct account_brief from;
	struct post *post; /* NULL for follows */
	int64_t created_at;
	int unread;
};
struct notification_list {
	struct notification *items;
	int n;
	int64_t next_max_id; /* pass as max_id for the next page; 0 at the end */
};
void notification_list_free(struct notification_list *l);
int notifications_get(struct store *st, struct viewer *v, int64_t max_id, int limit,
		      struct notification_list *out);
int notifications_unread(struct store *st, struct viewer *v, int64_t *count);
/* Marks every notification up to and including upto_id (0: all) read. */
int notifications_mark_read(struct store *st, int64_t account_id, int64_t upto_id);

/* ---- dm.c: direct messages, by conversation --------------------------- */

/* Direct messages, grouped by the set of people in them. */
struct conversation {
	struct account_brief *with; /* everyone but the viewer */
	int nwith;
	struct post last;
	int count;
};
struct conversation_list {
	struct conversation *items;
	int n;
};
void conversation_list_free(struct conversation_list *l);
int dm_conversations(struct store *st, struct viewer *v, int limit,
		     struct conversation_list *out);
/* The DMs between v and exactly the accounts of a conversation, newest
 * first. */
int dm_conversation_posts(struct store *st, struct viewer *v, int64_t post_id,
			  int64_t max_id, int limit, struct post_list *out);

/* ---- member-directory.c: the member directory ------------------------ */

struct directory_entry {
	struct account account;
	int follows_you, you_follow;
	int64_t posts;
};
int directory_list(struct store *st, int64_t viewer_id, struct directory_entry **out,
		   int *n);
void directory_free(struct directory_entry *e, int n);

/* ---- outbox.c: what must leave the camp ------------------------------
 * Every change a member makes that remote servers must hear about is
 * recorded here in the same transaction as the change itself, with its
 * remote recipients already decided by audience.c.  The federation child
 * turns each item into an activity and delivery jobs.  Camp-only posts
 * never produce an item.  Actions of remote actors never do either.
 * The kinds are stored on disk (outbox.kind): add at the end, never
 * renumber. */
enum outbox_kind {
	OUTBOX_CREATE,	      /* post_id: a new post (or reply) */
	OUTBOX_UPDATE,	      /* post_id: an edited post */
	OUTBOX_DELETE,	      /* post_id (row gone), actor_id: a deleted post */
	OUTBOX_ANNOUNCE,      /* post_id: the boost's own id */
	OUTBOX_UNDO_ANNOUNCE, /* post_id: the deleted boost's id; object: boosted */
	OUTBOX_LIKE,	      /* target_post: the liked post */
	OUTBOX_UNDO_LIKE,
	OUTBOX_FOLLOW, /* target_id: the remote account */
	OUTBOX_UNDO_FOLLOW,
	OUTBOX_ACCEPT, /* target_id: the remote follower; uri: their Follow */
	OUTBOX_REJECT,
	OUTBOX_BLOCK, /* target_id */
	OUTBOX_UNDO_BLOCK,
	OUTBOX_UPDATE_PERSON, /* actor_id: a member changed their profile */
	OUTBOX_DELETE_PERSON, /* actor_id: a member left */
	OUTBOX_KIND_COUNT
};
const char *outbox_kind_name(enum outbox_kind k);
struct outbox_item {
	int64_t id;
	enum outbox_kind kind;
	int64_t actor_id;	/* the member acting */
	int64_t post_id;	/* see the kinds above; 0 if none */
	int64_t object_post_id; /* the boosted/liked post, 0 if none */
	char *object_uri;	/* remote object's uri or the Follow's id, or NULL */
	int64_t target_id;	/* remote account, 0 if none */
	int64_t created_at;
	int64_t *recipients; /* remote account ids */
	int nrecipients;
};
/* Items not yet handed to the federation child, oldest first. */
int outbox_pending(struct store *st, int limit, struct outbox_item **items, int *n);
void outbox_items_free(struct outbox_item *items, int n);
/* Marks an item as turned into delivery jobs (call in the same
 * transaction that creates them). */
int outbox_done(struct store *st, int64_t id);

/* ======================================================================
 * Federation's own tables (issue 6): store/actor.c, store/delivery.c,
 * store/inbox.c.  Used by federation/ only; nothing here decides who may
 * see what (that stays in audience.c).
 * ==================================================================== */

/* ---- actor.c: remote actors' details, members' and the instance's keys */

/* What federation caches of a remote actor besides its account row. */
struct remote_actor {
	int64_t account_id;
	char *uri; /* actor id (from accounts.uri) */
	char *inbox;
	char *shared_inbox; /* NULL when the actor has none */
	char *followers;    /* followers collection, or NULL */
	char *url;	    /* profile page, or NULL */
	char *key_id;	    /* publicKey.id */
	char *key_pem;	    /* publicKey.publicKeyPem */
	int64_t fetched_at;
};
void remote_actor_free(struct remote_actor *a);
/* Creates or replaces the details of a.account_id (strings copied).  A
 * key id names one actor's key: saving it takes it from any other actor
 * (whose key is then forgotten, to be fetched again), so the caller must
 * have checked that the key id is a.account_id's own. */
int remote_actor_save(struct store *st, const struct remote_actor *a);
/* Loads by account id, by actor uri, or by key id; CAMP_ENOENT when
 * unknown.  *out is owned by the caller (remote_actor_free). */
int remote_actor_get(struct store *st, int64_t account_id, struct remote_actor *out);
int remote_actor_by_uri(struct store *st, const char *uri, struct remote_actor *out);
int remote_actor_by_key(struct store *st, const char *key_id, struct remote_actor *out);
/* The account whose actor uri is uri (remote accounts); CAMP_ENOENT. */
int account_id_by_uri(struct store *st, const char *uri, int64_t *id);

/* A member's RSA key pair (PEM), or CAMP_ENOENT.  username must match the
 * row, so a reused account id never inherits another member's key.
 * Strings are the caller's to free. */
int member_key_get(struct store *st, int64_t account_id, const char *username,
		   char **private_pem, char **public_pem);
/* Stores a member's key pair unless one is there; either way *_pem end
 * up holding the pair in force (caller frees). */
int member_key_put(struct store *st, int64_t account_id, const char *username,
		   char **private_pem, char **public_pem);
/* The username a key row was made for (a member who left keeps it, to
 * sign the Delete about them).  Caller frees. */
int member_key_username(struct store *st, int64_t account_id, char **username);
/* A member's key pair by username (the signer of a delivery). */
int member_key_by_name(struct store *st, const char *username, char **private_pem);

/* Follow activities a member sent to a remote account (for their Undo). */
int follow_out_set(struct store *st, int64_t follower, int64_t target,
		   const char *activity_id);
/* *activity_id is NULL when none is recorded; caller frees. */
int follow_out_get(struct store *st, int64_t follower, int64_t target,
		   char **activity_id);
/* Finds which follow an id we sent names; CAMP_ENOENT if none. */
int follow_out_find(struct store *st, const char *activity_id, int64_t *follower,
		    int64_t *target);
/* The outbox item an Undo item undoes: the newest earlier item of kind
 * (OUTBOX_LIKE, OUTBOX_BLOCK, ...) by the same member about the same
 * post and account.  Activity ids are made from item ids, so this names
 * the exact activity undone.  CAMP_ENOENT when there is none. */
int outbox_item_undone(struct store *st, const struct outbox_item *undo,
		       enum outbox_kind kind, int64_t *id);

/* ---- delivery.c: the delivery queue ----------------------------------- */

struct delivery {
	int64_t id;
	char *activity_id;
	char *inbox;
	char *domain;
	char *signer; /* member username, or "" for the instance actor */
	char *body;
	int attempts;
	int64_t next_at, created_at;
};
void delivery_free(struct delivery *d);
void delivery_list_free(struct delivery *d, int n);
/* Queues one POST of body (an activity) to inbox, due at next_at.  A job
 * for the same activity and inbox is kept once (CAMP_OK either way). */
int delivery_add(struct store *st, const char *activity_id, const char *inbox,
		 const char *signer, const char *body, int64_t next_at);
/* Lists up to limit due jobs (next_at <= now, not in flight), earliest
 * first.  Caller frees with delivery_list_free. */
int delivery_due(struct store *st, int64_t now, int limit, struct delivery **out, int *n);
/* Marks a job in flight, so it is not listed again in this run. */
int delivery_take(struct store *st, int64_t id);
/* Clears every in-flight mark (at start: a crash left them). */
int delivery_release_all(struct store *st);
/* A job succeeded (or was given up): removes it. */
int delivery_remove(struct store *st, int64_t id);
/* A job failed: records why, counts the attempt, and schedules it. */
int delivery_reschedule(struct store *st, int64_t id, int64_t next_at, const char *error);
/* The earliest next_at of jobs not in flight; 0 when none. */
int delivery_next_due(struct store *st, int64_t *at);
/* Number of jobs waiting (in flight or not). */
int delivery_count(struct store *st, int64_t *n);

/* A domain answered (clears its failure) or failed (starts one). */
int domain_ok(struct store *st, const char *domain, int64_t now);
int domain_failed(struct store *st, const char *domain, int64_t now);
/* Since when a domain has been failing; 0 if it is not. */
int domain_failing_since(struct store *st, const char *domain, int64_t *since);

/* ---- inbox.c: what came in -------------------------------------------- */

/* Records an inbound activity id of actor_id (with its type and object)
 * and sets *seen when that actor sent it already.  Ids are per actor:
 * another actor's use of the same id is a different activity.  In the
 * transaction that applies the activity, so a repeat changes nothing. */
int inbox_seen_add(struct store *st, const char *activity_id, const char *type,
		   int64_t actor_id, const char *object, int *seen);
/* What an earlier activity of actor_id was, by id; CAMP_ENOENT when that
 * actor never sent it.  *type and *object are the caller's to free. */
int inbox_seen_get(struct store *st, int64_t actor_id, const char *activity_id,
		   char **type, char **object);
/* Keeps a report (Flag) for the moderation queue. */
int fed_flag_add(struct store *st, const char *activity_id, int64_t reporter_id,
		 const char *objects, const char *content);
int fed_flag_count(struct store *st, int64_t *n);
/* Records that an account moved to target_uri. */
int fed_move_add(struct store *st, int64_t account_id, const char *target_uri);

/* ======================================================================
 * The camp's public face (issue 19): what its web pages and Atom feeds
 * may show to anyone.  audience.c holds the rules, public.c the reads.
 * ==================================================================== */

/* ---- audience.c: the public pages' rule --------------------------------- */

/* Each way the camp shows posts to the world on its own pages. */
enum public_exit {
	PUBLIC_PROFILE, /* a member's profile page: public, unlisted, boosts of public */
	PUBLIC_POST,	/* a post's own page: the camp's public and unlisted posts */
	PUBLIC_REPLY,	/* the thread around a post: anyone's public and unlisted */
	PUBLIC_TAG,	/* a tag's page: the camp's public posts */
	PUBLIC_CAMP_FEED,   /* the camp's Atom feed: the camp's public posts */
	PUBLIC_MEMBER_FEED, /* a member's Atom feed: their public posts */
	PUBLIC_EXIT_COUNT
};
/* Sets *yes to whether page `exit` may show post_id (the rules, and why,
 * are in audience.c; a missing post is CAMP_ENOENT).  Never more than an
 * anonymous viewer may see. */
int audience_on_public_page(struct store *st, enum public_exit exit, int64_t post_id,
			    int *yes);
/* How many of a member's posts (boosts not counted) page `exit` shows. */
int audience_public_count(struct store *st, enum public_exit exit, int64_t account_id,
			  int64_t *n);

/* ---- public.c: what the pages read -------------------------------------- */

struct public_query {
	enum public_exit exit; /* PUBLIC_PROFILE, _TAG, _CAMP_FEED or _MEMBER_FEED */
	int64_t account_id;    /* a member: PUBLIC_PROFILE, PUBLIC_MEMBER_FEED */
	const char *tag;       /* PUBLIC_TAG, lowercase, without '#' */
	int64_t max_id;	       /* 0: newest; else only ids below it */
	int limit;	       /* 1..200 */
};
/* The posts a page lists, newest first, as anyone sees them: a shown
 * post names its parent only if a page could show the parent, and
 * counts only the replies a page could show.  out->next_max_id is where
 * the next page starts (0 at the end).  Free with post_list_free. */
int public_posts(struct store *st, const struct public_query *q, struct post_list *out);
/* One post that page `exit` may show, fixed up as above; CAMP_ENOENT
 * when it may not (the same answer as for a missing post). */
int public_post_get(struct store *st, enum public_exit exit, int64_t id,
		    struct post *out);
/* A post's page: the post (CAMP_ENOENT unless PUBLIC_POST shows it),
 * the ancestors and replies a page's thread shows (a hidden reply hides
 * its own replies), as thread_get() lays them out.  The caller frees
 * all three. */
int public_thread(struct store *st, int64_t post_id, struct post_list *ancestors,
		  struct post *focus, struct post_list *descendants);

/* Who answers for the camp, for its About page.  Roles are "admin" today;
 * moderation adds owners and moderators here.  *out is an array of *n
 * the caller frees with camp_staff_free. */
struct staff_member {
	struct account_brief who;
	char *role;
};
int camp_staff(struct store *st, struct staff_member **out, int *n);
void camp_staff_free(struct staff_member *s, int n);
/* How many accounts follow id, and how many it follows (accepted). */
int account_follow_counts(struct store *st, int64_t id, int64_t *followers,
			  int64_t *following);
/* Where an account said it moved (the newest Move), or NULL; caller
 * frees. */
int account_moved_to(struct store *st, int64_t account_id, char **uri);

/* Settings the About page shows (setting_get/setting_set).  Staff write
 * the first two; `camp serve` writes the host keys' fingerprints at
 * start, one "BITS SHA256:... (TYPE)" line each, as ssh-keygen -lf. */
#define SETTING_CAMP_DESCRIPTION "camp.description"
#define SETTING_CAMP_HOW_TO_JOIN "camp.how_to_join"
#define SETTING_SSH_FINGERPRINTS "camp.ssh_host_fingerprints"

#endif
