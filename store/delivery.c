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
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0) {
		free(domain);
		return r;
	}
	bind_text(s, 1, activity_id);
	bind_text(s, 2, inbox);
	bind_text(s, 3, domain);
	bind_text(s, 4, signer);
	bind_text(s, 5, body);
	sqlite3_bind_int64(s, 6, next_at);
	sqlite3_bind_int64(s, 7, now_s());
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "queueing a delivery");
	free(domain);
	return stmt_done(s, r);
}

int delivery_due(struct store *st, int64_t now, int limit, struct delivery **out, int *n)
{
	static const char sql[] =
		"SELECT id, activity_id, inbox, domain, signer, body, attempts, next_at,"
		" created_at FROM fed_deliveries WHERE taken = 0 AND next_at <= ?"
		" ORDER BY next_at, id LIMIT ?";
	struct delivery *list = NULL;
	sqlite3_stmt *s;
	int r, rc, count = 0;

	*out = NULL;
	*n = 0;
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int(s, 2, limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		list = xrealloc(list, sizeof *list * (size_t)(count + 1));
		struct delivery *d = &list[count++];
		d->id = sqlite3_column_int64(s, 0);
		d->activity_id = col_text(s, 1);
		d->inbox = col_text(s, 2);
		d->domain = col_text(s, 3);
		d->signer = col_text(s, 4);
		d->body = col_text(s, 5);
		d->attempts = sqlite3_column_int(s, 6);
		d->next_at = sqlite3_column_int64(s, 7);
		d->created_at = sqlite3_column_int64(s, 8);
	}
	if (rc != SQLITE_DONE) {
		r = store_dberr(st, "listing deliveries");
		delivery_list_free(list, count);
		return stmt_done(s, r);
	}
	*out = list;
	*n = count;
	return stmt_done(s, 0);
}

/* Runs a one-statement update on a job id. */
static int job_update(struct store *st, const char *sql, int64_t id)
{
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "updating a delivery");
	return stmt_done(s, r);
}

int delivery_take(struct store *st, int64_t id)
{
	static const char sql[] = "UPDATE fed_deliveries SET taken = 1 WHERE id = ?";

	return job_update(st, sql, id);
}

int delivery_release_all(struct store *st)
{
	return store_exec(st, "UPDATE fed_deliveries SET taken = 0 WHERE taken <> 0");
}

int delivery_remove(struct store *st, int64_t id)
{
	static const char sql[] = "DELETE FROM fed_deliveries WHERE id = ?";

	return job_update(st, sql, id);
}

int delivery_reschedule(struct store *st, int64_t id, int64_t next_at, const char *error)
{
	static const char sql[] =
		"UPDATE fed_deliveries SET taken = 0, attempts = attempts + 1,"
		" next_at = ?, last_error = ? WHERE id = ?";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	sqlite3_bind_int64(s, 1, next_at);
	bind_text(s, 2, error ? error : "");
	sqlite3_bind_int64(s, 3, id);
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "rescheduling a delivery");
	return stmt_done(s, r);
}

/* Steps a query with one integer column (NULL reads as 0). */
static int step_int(struct store *st, sqlite3_stmt *s, int64_t *v)
{
	int r = 0;

	*v = 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		*v = sqlite3_column_int64(s, 0);
	else
		r = store_dberr(st, "reading deliveries");
	return stmt_done(s, r);
}

int delivery_next_due(struct store *st, int64_t *at)
{
	static const char sql[] =
		"SELECT min(next_at) FROM fed_deliveries WHERE taken = 0";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	return step_int(st, s, at);
}

int delivery_count(struct store *st, int64_t *n)
{
	static const char sql[] = "SELECT count(*) FROM fed_deliveries";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	return step_int(st, s, n);
}

int domain_ok(struct store *st, const char *domain, int64_t now)
{
	static const char sql[] =
		"INSERT INTO fed_domains(domain, failing_since, last_ok) VALUES (?, 0, ?)"
		" ON CONFLICT(domain) DO UPDATE SET failing_since = 0,"
		" last_ok = excluded.last_ok";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, domain);
	sqlite3_bind_int64(s, 2, now);
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving a domain");
	return stmt_done(s, r);
}

int domain_failed(struct store *st, const char *domain, int64_t now)
{
	static const char sql[] =
		"INSERT INTO fed_domains(domain, failing_since) VALUES (?, ?)"
		" ON CONFLICT(domain) DO UPDATE SET failing_since ="
		" CASE WHEN failing_since = 0 THEN excluded.failing_since"
		" ELSE failing_since END";
	sqlite3_stmt *s;
	int r;

	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, domain);
	sqlite3_bind_int64(s, 2, now);
	if (sqlite3_step(s) != SQLITE_DONE)
		r = store_dberr(st, "saving a domain");
	return stmt_done(s, r);
}

int domain_failing_since(struct store *st, const char *domain, int64_t *since)
{
	static const char sql[] =
		"SELECT failing_since FROM fed_domains WHERE domain = ?";
	sqlite3_stmt *s;
	int r, rc;

	*since = 0;
	if ((r = stmt_prep(st, sql, &s)) != 0)
		return r;
	bind_text(s, 1, domain);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*since = sqlite3_column_int64(s, 0);
	else if (rc != SQLITE_DONE)
		r = store_dberr(st, "reading a domain");
	return stmt_done(s, r);
}
