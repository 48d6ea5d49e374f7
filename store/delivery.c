/*
 * delivery.c: the queue of signed POSTs waiting to reach remote inboxes,
 * and which remote domains are failing.
 *
 * A job lives here from the transaction that decides it (together with
 * the member's action) until its inbox accepts it or the worker gives up,
 * so a crash or restart loses nothing.  The retry policy (how long to
 * wait, when to give up) belongs to federation/deliver.c; this file only
 * records.  It must never hold a job for a camp-only post: the callers
 * ask audience.c first.
 */
#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

void delivery_free(struct delivery *d)
{
	free(d->activity_id);
	free(d->inbox);
	free(d->domain);
	free(d->signer);
	free(d->body);
	memset(d, 0, sizeof *d);
}

void delivery_list_free(struct delivery *d, int n)
{
	for (int i = 0; i < n; i++)
		delivery_free(&d[i]);
	free(d);
}

/* The host[:port] of an http(s) URL, lowercased; "" if it has none. */
static char *url_domain(const char *url)
{
	const char *p = strstr(url, "://"), *end;
	char *d;

	if (p == NULL)
		return xstrdup("");
	p += 3;
	end = p + strcspn(p, "/?#");
	d = xstrndup(p, (size_t)(end - p));
	for (char *q = d; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	return d;
}

int delivery_add(struct store *st, const char *activity_id, const char *inbox,
		 const char *signer, const char *body, int64_t next_at)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO fed_deliveries(activity_id, inbox, domain, signer,"
		" body, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
	char *domain = url_domain(inbox);
	int r = sql_exec(st, "queueing a delivery", sql, "tttttii", activity_id, inbox,
			 domain, signer, body, next_at, now_s());

	free(domain);
	return r;
}

int delivery_due(struct store *st, int64_t now, int limit, struct delivery **out, int *n)
{
	static const char sql[] =
		"SELECT id, activity_id, inbox, domain, signer, body, attempts, next_at,"
		" created_at FROM fed_deliveries WHERE taken = 0 AND next_at <= ?"
		" ORDER BY next_at, id LIMIT ?";
	struct delivery *list = NULL;
	struct sql_cursor c;
	int r, count = 0;

	*out = NULL;
	*n = 0;
	sql_open(st, &c, "listing deliveries", sql, "id", now, limit);
	while ((r = sql_next(&c)) > 0) {
		list = xrealloc(list, sizeof *list * (size_t)(count + 1));
		struct delivery *d = &list[count++];
		d->id = col_int64(&c, 0);
		d->activity_id = col_text(&c, 1);
		d->inbox = col_text(&c, 2);
		d->domain = col_text(&c, 3);
		d->signer = col_text(&c, 4);
		d->body = col_text(&c, 5);
		d->attempts = col_int(&c, 6);
		d->next_at = col_int64(&c, 7);
		d->created_at = col_int64(&c, 8);
	}
	if (r < 0) {
		delivery_list_free(list, count);
		return sql_done(&c, r);
	}
	*out = list;
	*n = count;
	return sql_done(&c, 0);
}

int delivery_take(struct store *st, int64_t id)
{
	static const char sql[] = "UPDATE fed_deliveries SET taken = 1 WHERE id = ?";

	return sql_exec(st, "updating a delivery", sql, "i", id);
}

int delivery_release_all(struct store *st)
{
	static const char sql[] = "UPDATE fed_deliveries SET taken = 0 WHERE taken <> 0";

	return sql_exec(st, "releasing deliveries", sql, "");
}

int delivery_remove(struct store *st, int64_t id)
{
	static const char sql[] = "DELETE FROM fed_deliveries WHERE id = ?";

	return sql_exec(st, "removing a delivery", sql, "i", id);
}

int delivery_reschedule(struct store *st, int64_t id, int64_t next_at, const char *error)
{
	static const char sql[] =
		"UPDATE fed_deliveries SET taken = 0, attempts = attempts + 1,"
		" next_at = ?, last_error = ? WHERE id = ?";

	return sql_exec(st, "rescheduling a delivery", sql, "iti", next_at,
			error ? error : "", id);
}

int delivery_next_due(struct store *st, int64_t *at)
{
	static const char sql[] =
		"SELECT ifnull(min(next_at), 0) FROM fed_deliveries WHERE taken = 0";

	*at = 0;
	return sql_int64(st, "reading deliveries", sql, at, "");
}

int delivery_count(struct store *st, int64_t *n)
{
	static const char sql[] = "SELECT count(*) FROM fed_deliveries";

	*n = 0;
	return sql_int64(st, "counting deliveries", sql, n, "");
}

int domain_ok(struct store *st, const char *domain, int64_t now)
{
	static const char sql[] =
		"INSERT INTO fed_domains(domain, failing_since, last_ok) VALUES (?, 0, ?)"
		" ON CONFLICT(domain) DO UPDATE SET failing_since = 0,"
		" last_ok = excluded.last_ok";

	return sql_exec(st, "saving a domain", sql, "ti", domain, now);
}

int domain_failed(struct store *st, const char *domain, int64_t now)
{
	static const char sql[] =
		"INSERT INTO fed_domains(domain, failing_since) VALUES (?, ?)"
		" ON CONFLICT(domain) DO UPDATE SET failing_since ="
		" CASE WHEN failing_since = 0 THEN excluded.failing_since"
		" ELSE failing_since END";

	return sql_exec(st, "saving a domain", sql, "ti", domain, now);
}

int domain_failing_since(struct store *st, const char *domain, int64_t *since)
{
	static const char sql[] =
		"SELECT failing_since FROM fed_domains WHERE domain = ?";
	int r;

	*since = 0;
	r = sql_int64(st, "reading a domain", sql, since, "t", domain);
	return r == CAMP_ENOENT ? 0 : r;
}
