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

/* Whether recipient wants to hear from `from` at all: not muted, and no
 * block either way. */
static int notify_wanted(struct store *st, int64_t recipient, int64_t from, int *yes)
{
	static const char muted_sql[] =
		"SELECT 1 FROM mutes WHERE account_id = ? AND target_id = ?";
	int r, muted, blocked;

	*yes = 0;
	if ((r = sql_exists(st, "checking mutes", muted_sql, &muted, "ii", recipient,
			    from)) != 0 ||
	    (r = blocked_between(st, recipient, from, &blocked)) != 0)
		return r;
	*yes = !muted && !blocked;
	return 0;
}

int notify(struct store *st, int64_t recipient, enum notification_kind kind, int64_t from,
	   int64_t post_id)
{
	static const char sql[] = "INSERT INTO notifications(account_id, kind, from_id,"
				  " post_id, created_at) VALUES (?, ?, ?, ?, ?)";
	int r, wanted, member;

	if (recipient == from || (member = account_is_member(st, recipient)) <= 0)
		return 0;
	if ((r = notify_wanted(st, recipient, from, &wanted)) != 0 || !wanted)
		return r;
	return sql_exec(st, "saving a notification", sql, "idizi", recipient, (int)kind,
			from, post_id, now_s());
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

/* Fills n from the current row (id, kind, from, post, created, read). */
static int notification_fill(struct store *st, struct viewer *v,
			     const struct sql_cursor *c, struct notification *n)
{
	int64_t post_id = col_int64(c, 3);
	int r;

	memset(n, 0, sizeof *n);
	n->id = col_int64(c, 0);
	n->kind = (enum notification_kind)col_int(c, 1);
	n->created_at = col_int64(c, 4);
	n->unread = !col_int(c, 5);
	if ((r = account_brief_get(st, col_int64(c, 2), &n->from)) != 0)
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
	struct sql_cursor c;
	int r = 0, keep, scanned = 0;
	int64_t last = 0;

	memset(out, 0, sizeof *out);
	if (limit < 1 || limit > 200)
		return err_set(CAMP_EINVAL, "a page has 1 to 200 notifications");
	sql_open(st, &c, "reading notifications", sql, "iid", viewer_account_id(v),
		 max_id > 0 ? max_id : INT64_MAX, limit * 4);
	while (out->n < limit && (r = sql_next(&c)) > 0) {
		last = col_int64(&c, 0);
		scanned++;
		if ((r = notification_keep(st, v, col_int64(&c, 2), col_int64(&c, 3),
					   &keep)) != 0)
			break;
		if (!keep)
			continue;
		out->items =
			xrealloc(out->items, sizeof *out->items * (size_t)(out->n + 1));
		if ((r = notification_fill(st, v, &c, &out->items[out->n])) != 0)
			break;
		out->n++;
	}
	r = sql_done(&c, r);
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
	struct sql_cursor c;
	int r, keep;

	*count = 0;
	sql_open(st, &c, "counting notifications", sql, "i", viewer_account_id(v));
	while ((r = sql_next(&c)) > 0) {
		if ((r = notification_keep(st, v, col_int64(&c, 0), col_int64(&c, 1),
					   &keep)) != 0)
			break;
		*count += keep;
	}
	return sql_done(&c, r);
}

int notifications_mark_read(struct store *st, int64_t account_id, int64_t upto_id)
{
	static const char sql[] = "UPDATE notifications SET read = 1 WHERE account_id = ?"
				  " AND id <= ? AND read = 0";

	return sql_exec(st, "marking notifications read", sql, "ii", account_id,
			upto_id > 0 ? upto_id : INT64_MAX);
}
