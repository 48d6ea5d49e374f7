/*
 * store-private.h: helpers shared by the files of store/ and nobody else.
 */
#ifndef CAMP_STORE_PRIVATE_H
#define CAMP_STORE_PRIVATE_H

#include "store/store.h"

extern const char *const store_migrations[];
extern const int store_migration_count;

/* A cached prepared statement for a static SQL string (looked up by the
 * string's address), reset and with bindings cleared.  The caller calls
 * sqlite3_reset() (or stmt_done) when finished so no read stays open. */
int stmt_prep(struct store *st, const char *sql, sqlite3_stmt **out);
/* Resets s; returns r, so a function can end with `return stmt_done(s, r)`. */
int stmt_done(sqlite3_stmt *s, int r);
/* Sets err_last() from the database's error and returns CAMP_EDB (or
 * CAMP_EIO for a full disk), prefixed by what was being done. */
int store_dberr(struct store *st, const char *what);
/* Runs a statement without results, binding nothing; 0 or CAMP_EDB. */
int store_exec(struct store *st, const char *sql);

/* Binds text or NULL. */
void bind_text(sqlite3_stmt *s, int i, const char *v);
/* A copy of column i as a string ("" for NULL); caller frees. */
char *col_text(sqlite3_stmt *s, int i);
/* A copy of column i, or NULL for NULL; caller frees. */
char *col_text_or_null(sqlite3_stmt *s, int i);

/* Runs sql with ?1..?nargs bound to the int64_t arguments that follow and
 * stores column 0 of the first row in *out.  Returns 0, CAMP_ENOENT when
 * there is no row (without a message: the caller knows what is missing,
 * and *out is left alone), or CAMP_EDB. */
int query_int64(struct store *st, const char *sql, int64_t *out, int nargs, ...);
/* The same with one text argument (?1). */
int query_text_int64(struct store *st, const char *sql, const char *arg, int64_t *out);
/* Column 0 (text, or NULL) of the first row of sql with ?1 = a, ?2 = b,
 * as a copy the caller frees.  CAMP_ENOENT (no message) without a row. */
int query_text2(struct store *st, const char *sql, int64_t a, int64_t b, char **out);
/* Steps s (already bound) and collects column 0 of every row into a
 * caller-freed array.  Resets s. */
int query_ids(struct store *st, sqlite3_stmt *s, int64_t **ids, int *n);
/* Appends id to a growable array (for small in-memory sets). */
void ids_push(int64_t **ids, int *n, int64_t id);
/* Sorts and removes duplicates; returns the new count. */
int ids_sort_unique(int64_t *ids, int n);
/* 1 if id is in the sorted array. */
int ids_contains(const int64_t *ids, int n, int64_t id);

/* ---- the model's internals ------------------------------------------- */

/* What the audience rules need to know about one post. */
struct post_meta {
	int64_t id;
	int64_t author_id;
	int64_t boost_of_id;
	int64_t in_reply_to_id;
	int64_t thread_id;
	enum visibility visibility;
	int local;
};
int post_meta_get(struct store *st, int64_t id, struct post_meta *m);
/* Loads a post that v is already known to see (post.c). */
int post_load_for(struct store *st, struct viewer *v, int64_t id, struct post *out);
/* Meta of a post that `actor` may see; CAMP_ENOENT otherwise. */
int post_meta_visible(struct store *st, int64_t actor, int64_t id, struct post_meta *m);
/* Checks a post's text and content warning (post.c). */
int post_text_check(const char *content, const char *cw, long max_chars);
/* Records an outbox item for post `id` with its audience's remote
 * recipients (post.c). */
int post_outbox(struct store *st, enum outbox_kind kind, int64_t actor, int64_t id,
		int64_t object);
/* Saves a post's entities and tags (post.c). */
int post_insert_entities(struct store *st, int64_t id, const struct entity *e, int n);
/* Appends a post (moved, not copied) to a list (timeline.c). */
void post_list_push(struct post_list *l, struct post *p);
/* Runs sql binding ?1 ?2 ?3 to a, b, c, expecting no rows. */
int exec3(struct store *st, const char *sql, int64_t a, int64_t b, int64_t c);
/* The audience rule itself (audience.c): may v see the post m? */
int audience_check(struct store *st, struct viewer *v, const struct post_meta *m,
		   int *yes);
/* The public pages' rule for one post (audience.c). */
int audience_public_check(struct store *st, enum public_exit exit,
			  const struct post_meta *m, int *yes);
/* A member or remote viewer for any account id. */
int viewer_for_account(struct store *st, int64_t account_id, struct viewer **out);
/* Whether v has muted the author (timelines leave muted accounts out). */
int viewer_mutes(const struct viewer *v, int64_t account_id);
/* Whether v and the account block each other, in either direction. */
int viewer_blocks(const struct viewer *v, int64_t account_id);

/* feed.c: home timelines, fanned out on write. */
int feed_fanout(struct store *st, const struct post_meta *m);
int feed_backfill(struct store *st, int64_t member, int64_t author);
int feed_forget(struct store *st, int64_t member, int64_t author);

/* notify.c: notifications for members. */
int notify(struct store *st, int64_t recipient, enum notification_kind kind, int64_t from,
	   int64_t post_id);

/* outbox.c: records an item with its recipients (nothing when the actor
 * is not a member or there is nobody to tell). */
int outbox_add(struct store *st, enum outbox_kind kind, int64_t actor_id, int64_t post_id,
	       int64_t object_post_id, const char *object_uri, int64_t target_id,
	       const int64_t *recipients, int n);
/* The remote followers (and, with following, followed) of a member. */
int remote_followers(struct store *st, int64_t member, int with_following, int64_t **ids,
		     int *n);

#endif
