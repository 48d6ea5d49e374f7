/*
 * outbox.c: what must leave the camp, recorded with the change itself.
 *
 * Each item names what a member did and which remote accounts must hear
 * of it, as audience.c decided at that moment.  The federation child
 * reads pending items and turns them into signed deliveries.  Nothing is
 * recorded for remote actors' own actions or when there is nobody to
 * tell, and a camp-only post never reaches this file.
 */
#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[OUTBOX_KIND_COUNT] = {
	"Create", "Update",    "Delete",     "Announce",      "Undo Announce",
	"Like",	  "Undo Like", "Follow",     "Undo Follow",   "Accept",
	"Reject", "Block",     "Undo Block", "Update Person", "Delete Person",
};

const char *outbox_kind_name(enum outbox_kind k)
{
	if ((int)k < 0 || k >= OUTBOX_KIND_COUNT)
		return "unknown";
	return kind_names[k];
}

static int outbox_add_recipient(struct store *st, int64_t item, int64_t account)
{
	static const char sql[] = "INSERT OR IGNORE INTO outbox_recipients(outbox_id,"
				  " account_id) VALUES (?, ?)";

	return sql_exec(st, "saving a delivery", sql, "ii", item, account);
}

int outbox_add(struct store *st, enum outbox_kind kind, int64_t actor_id, int64_t post_id,
	       int64_t object_post_id, const char *object_uri, int64_t target_id,
	       const int64_t *recipients, int n)
{
	static const char sql[] =
		"INSERT INTO outbox(kind, actor_id, post_id, object_post_id, object_uri,"
		" target_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
	int64_t item;
	int r, member;

	if (n == 0)
		return 0;
	if ((member = account_is_member(st, actor_id)) <= 0)
		return member;
	if ((r = sql_exec(st, "saving a delivery", sql, "diiitii", (int)kind, actor_id,
			  post_id, object_post_id, object_uri, target_id, now_s())) != 0)
		return r;
	item = sql_last_id(st);
	for (int i = 0; i < n && r == 0; i++)
		r = outbox_add_recipient(st, item, recipients[i]);
	return r;
}

static int outbox_load_recipients(struct store *st, struct outbox_item *it)
{
	static const char sql[] =
		"SELECT account_id FROM outbox_recipients WHERE outbox_id = ?";

	return sql_ids(st, "reading the outbox", sql, &it->recipients, &it->nrecipients,
		       "i", it->id);
}

int outbox_pending(struct store *st, int limit, struct outbox_item **items, int *n)
{
	static const char sql[] =
		"SELECT id, kind, actor_id, post_id, object_post_id, object_uri,"
		" target_id, created_at FROM outbox WHERE done = 0 ORDER BY id LIMIT ?";
	struct outbox_item *list = NULL;
	struct sql_cursor c;
	int r, count = 0;

	sql_open(st, &c, "reading the outbox", sql, "d", limit);
	while ((r = sql_next(&c)) > 0) {
		list = xrealloc(list, sizeof *list * (size_t)(count + 1));
		struct outbox_item *it = &list[count++];
		memset(it, 0, sizeof *it);
		it->id = col_int64(&c, 0);
		it->kind = (enum outbox_kind)col_int(&c, 1);
		it->actor_id = col_int64(&c, 2);
		it->post_id = col_int64(&c, 3);
		it->object_post_id = col_int64(&c, 4);
		it->object_uri = col_text_or_null(&c, 5);
		it->target_id = col_int64(&c, 6);
		it->created_at = col_int64(&c, 7);
	}
	r = sql_done(&c, r);
	for (int i = 0; i < count && r == 0; i++)
		r = outbox_load_recipients(st, &list[i]);
	if (r != 0) {
		outbox_items_free(list, count);
		list = NULL;
		count = 0;
	}
	*items = list;
	*n = count;
	return r;
}

void outbox_items_free(struct outbox_item *items, int n)
{
	for (int i = 0; i < n; i++) {
		free(items[i].object_uri);
		free(items[i].recipients);
	}
	free(items);
}

int outbox_done(struct store *st, int64_t id)
{
	static const char sql[] = "UPDATE outbox SET done = 1 WHERE id = ?";

	return sql_exec(st, "updating the outbox", sql, "i", id);
}
