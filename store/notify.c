/*
 * notify.c: notifications for members: mentions, replies, follows,
 * follow requests, boosts and favourites.
 *
 * Only members get notifications, never about their own actions, and
 * never from an account they mute or that blocks them (or they block).
 * Reading them back (timeline.c) checks visibility again.
 */
#include "store/store-private.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[NOTIFY_KIND_COUNT] = {
	"mention", "reply", "follow", "follow_request", "boost", "favourite",
};

const char *notification_kind_name(enum notification_kind k)
{
	if ((int)k < 0 || k >= NOTIFY_KIND_COUNT)
		return "unknown";
	return kind_names[k];
}

/* Whether recipient wants to hear from `from` at all. */
static int notify_wanted(struct store *st, int64_t recipient, int64_t from, int *yes)
{
	static const char sql[] = "SELECT EXISTS(SELECT 1 FROM mutes WHERE account_id = "
				  "?1 AND target_id = ?2)"
				  " OR EXISTS(SELECT 1 FROM blocks WHERE account_id = ?1 "
				  "AND target_id = ?2)"
				  " OR EXISTS(SELECT 1 FROM blocks WHERE account_id = ?2 "
				  "AND target_id = ?1)";
	int64_t unwanted = 1;
	int r = query_int64(st, sql, &unwanted, 2, recipient, from);

	*yes = r == 0 && !unwanted;
	return r;
}

int notify(struct store *st, int64_t recipient, enum notification_kind kind, int64_t from,
	   int64_t post_id)
{
	static const char sql[] = "INSERT INTO notifications(account_id, kind, from_id, "
				  "post_id, created_at)"
				  " VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt *s;
	int r, wanted, member;

	if (recipient == from || (member = account_is_member(st, recipient)) <= 0)
		return 0;
	if ((r = notify_wanted(st, recipient, from, &wanted)) != 0 || !wanted)
		return r;
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, recipient);
	sqlite3_bind_int(s, 2, kind);
	sqlite3_bind_int64(s, 3, from);
	if (post_id)
		sqlite3_bind_int64(s, 4, post_id);
	sqlite3_bind_int64(s, 5, now_s());
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving a notification");
	return stmt_done(s, r);
}

/* ---- reading notifications -------------------------------------------- */

void notification_list_free(struct notification_list *l)
{
	for (int i = 0; i < l->n; i++) {
		account_brief_free(&l->items[i].from);
		if (l->items[i].post) {
			post_free(l->items[i].post);
			free(l->items[i].post);
		}
	}
	free(l->items);
	memset(l, 0, sizeof *l);
}

/* Whether a notification may be shown: not from a muted or blocked
 * account, and about a post the viewer may (still) see. */
static int notification_keep(struct store *st, struct viewer *v, int64_t from,
			     int64_t post_id, int *keep)
{
	*keep = 0;
	if (viewer_mutes(v, from) || viewer_blocks(v, from))
		return 0;
	if (post_id == 0) {
		*keep = 1;
		return 0;
	}
	int r = audience_can_see(st, v, post_id, keep);
	return r == CAMP_ENOENT ? 0 : r;
}

static int notification_fill(struct store *st, struct viewer *v, sqlite3_stmt *s,
			     struct notification *n)
{
	int64_t post_id = sqlite3_column_int64(s, 3);
	int r;

	memset(n, 0, sizeof *n);
	n->id = sqlite3_column_int64(s, 0);
	n->kind = (enum notification_kind)sqlite3_column_int(s, 1);
	n->created_at = sqlite3_column_int64(s, 4);
	n->unread = !sqlite3_column_int(s, 5);
	if ((r = account_brief_get(st, sqlite3_column_int64(s, 2), &n->from)) != 0)
		return r;
	if (post_id) {
		n->post = xcalloc(1, sizeof *n->post);
		if ((r = post_load_for(st, v, post_id, n->post)) != 0) {
			free(n->post);
			n->post = NULL;
			account_brief_free(&n->from);
		}
	}
	return r;
}

int notifications_get(struct store *st, struct viewer *v, int64_t max_id, int limit,
		      struct notification_list *out)
{
	static const char sql[] =
		"SELECT id, kind, from_id, ifnull(post_id, 0), created_at, read"
		" FROM notifications WHERE account_id = ? AND id < ? ORDER BY id DESC "
		"LIMIT ?";
	sqlite3_stmt *s;
	int r, rc = SQLITE_DONE, keep, scanned = 0;
	int64_t last = 0;

	memset(out, 0, sizeof *out);
	if (limit < 1 || limit > 200)
		return err_set(CAMP_EINVAL, "a page has 1 to 200 notifications");
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, viewer_account_id(v));
	sqlite3_bind_int64(s, 2, max_id > 0 ? max_id : INT64_MAX);
	sqlite3_bind_int(s, 3, limit * 4);
	while (out->n < limit && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		last = sqlite3_column_int64(s, 0);
		scanned++;
		if ((r = notification_keep(st, v, sqlite3_column_int64(s, 2),
					   sqlite3_column_int64(s, 3), &keep)) != 0)
			break;
		if (!keep)
			continue;
		out->items =
			xrealloc(out->items, sizeof *out->items * (size_t)(out->n + 1));
		if ((r = notification_fill(st, v, s, &out->items[out->n])) != 0)
			break;
		out->n++;
	}
	stmt_done(s, 0);
	/* Go on from the last row looked at, unless the rows ran out. */
	if (r == 0 && (out->n == limit || scanned == limit * 4))
		out->next_max_id = last;
	if (r != 0)
		notification_list_free(out);
	return r;
}

int notifications_unread(struct store *st, struct viewer *v, int64_t *count)
{
	static const char sql[] = "SELECT from_id, ifnull(post_id, 0) FROM notifications"
				  " WHERE account_id = ? AND read = 0";
	sqlite3_stmt *s;
	int r, rc, keep;

	*count = 0;
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, viewer_account_id(v));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((r = notification_keep(st, v, sqlite3_column_int64(s, 0),
					   sqlite3_column_int64(s, 1), &keep)) != 0)
			break;
		*count += keep;
	}
	return stmt_done(s, r);
}

int notifications_mark_read(struct store *st, int64_t account_id, int64_t upto_id)
{
	return exec3(st,
		     "UPDATE notifications SET read = 1 WHERE account_id = ?1"
		     " AND id <= ?2 AND read = 0",
		     account_id, upto_id > 0 ? upto_id : INT64_MAX, 0);
}
