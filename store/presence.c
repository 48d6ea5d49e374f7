/*
 * presence.c: who is on the camp now, and when each member was last here.
 *
 * Every session (an ssh command or the full-screen client) begins a row,
 * touches it every PRESENCE_BEAT_S while it lasts and ends it when it
 * ends.  A row only counts as online while its heartbeat is fresh, so a
 * session that crashed without ending stops counting within
 * PRESENCE_STALE_S; the next session to begin folds such rows into
 * last_seen.  Nothing here decides what anybody may see of it: callers
 * (staff screens, camp status) show it to whom they choose.
 */
#include "store/store-private.h"

/* Stale rows become last_seen entries, then go. */
static int presence_sweep(struct store *st, int64_t now)
{
	static const char fold[] = "INSERT INTO last_seen(account_id, at)"
				   "  SELECT account_id, max(touched_at) FROM presence"
				   "  WHERE touched_at < ?1 GROUP BY account_id"
				   "  ON CONFLICT(account_id) DO UPDATE"
				   "  SET at = max(at, excluded.at)";
	static const char drop[] = "DELETE FROM presence WHERE touched_at < ?";
	int64_t before = now - PRESENCE_STALE_S;
	int r;

	if ((r = sql_exec(st, "tidying who is online", fold, "i", before)) == 0)
		r = sql_exec(st, "tidying who is online", drop, "i", before);
	return r;
}

static int presence_insert(struct store *st, int64_t account_id, int pid, int64_t now,
			   int64_t *presence_id)
{
	static const char sql[] = "INSERT INTO presence(account_id, pid, started_at,"
				  " touched_at) VALUES (?, ?, ?, ?)";
	int r;

	if ((r = presence_sweep(st, now)) != 0 ||
	    (r = sql_exec(st, "noting who is online", sql, "idii", account_id, pid, now,
			  now)) != 0)
		return r;
	*presence_id = sql_last_id(st);
	return 0;
}

int presence_begin(struct store *st, int64_t account_id, int pid, int64_t *presence_id)
{
	int r;

	if ((r = store_tx_begin(st, "noting who is online")) != 0)
		return r;
	r = presence_insert(st, account_id, pid, now_s(), presence_id);
	return store_tx_end(st, r);
}

int presence_touch(struct store *st, int64_t presence_id)
{
	static const char sql[] = "UPDATE presence SET touched_at = ? WHERE id = ?";
	int r;

	if ((r = sql_exec(st, "noting who is online", sql, "ii", now_s(), presence_id)) !=
	    0)
		return r;
	return sql_changes(st) == 1 ? 0 : CAMP_ENOENT;
}

/* The row's member was here until now: into last_seen, then gone. */
static int presence_close(struct store *st, int64_t presence_id, int64_t now)
{
	static const char keep[] =
		"INSERT INTO last_seen(account_id, at)"
		"  SELECT account_id, ?1 FROM presence WHERE id = ?2"
		"  ON CONFLICT(account_id) DO UPDATE SET at = max(at, excluded.at)";
	static const char drop[] = "DELETE FROM presence WHERE id = ?";
	int r;

	if ((r = sql_exec(st, "noting who left", keep, "ii", now, presence_id)) == 0)
		r = sql_exec(st, "noting who left", drop, "i", presence_id);
	return r;
}

int presence_end(struct store *st, int64_t presence_id)
{
	int r;

	if ((r = store_tx_begin(st, "noting who left")) != 0)
		return r;
	r = presence_close(st, presence_id, now_s());
	return store_tx_end(st, r);
}

int presence_online_count(struct store *st, int64_t *members)
{
	static const char sql[] = "SELECT count(DISTINCT p.account_id) FROM presence p"
				  "  JOIN accounts a ON a.id = p.account_id"
				  "  WHERE p.touched_at >= ? AND a.domain IS NULL"
				  "    AND a.deleted_at = 0";

	*members = 0;
	return sql_int64(st, "counting who is online", sql, members, "i",
			 now_s() - PRESENCE_STALE_S);
}

int presence_last_seen(struct store *st, int64_t account_id, int64_t *at)
{
	static const char sql[] =
		"SELECT max(t) FROM ("
		"  SELECT at AS t FROM last_seen WHERE account_id = ?1"
		"  UNION ALL SELECT touched_at FROM presence WHERE account_id = ?1)";

	*at = 0;
	return sql_int64(st, "reading when a member was last here", sql, at, "i",
			 account_id);
}
