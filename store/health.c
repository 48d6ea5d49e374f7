/*
 * health.c: what `camp status` and the admin dashboard show about the
 * camp as a running service: is it serving and since when, who is on,
 * which deliveries wait and for which servers, how big the database is
 * and how full the disk, the last good backup, the certificate of
 * built-in HTTPS, and how far this machine's clock is from the servers
 * it talks to.
 *
 * It only reads (clock_observe, which federation calls, is the one
 * writer), and it gathers what a person needs to act; judging it (a
 * warning, a failure, a fix) is the caller's.  "How many people could
 * run this camp" is camp_stewards(), one function, so that the rule
 * changes in one place when roles arrive.
 */
#include "store/store-private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#define HEALTH_DOMAINS 10 /* domains listed, most deliveries waiting first */

static const char key_clock[] = "clock_offset";

int camp_stewards(struct store *st, int64_t *n, char **only)
{
	static const char sql[] =
		"SELECT count(*), min(username) FROM accounts"
		"  WHERE domain IS NULL AND is_admin = 1 AND deleted_at = 0"
		"    AND suspended_at = 0";
	struct sql_cursor c;
	int r;

	*n = 0;
	*only = NULL;
	if ((r = sql_row(st, &c, "counting the camp's admins", sql, "")) == 0) {
		*n = col_int64(&c, 0);
		if (*n == 1)
			*only = col_text(&c, 1);
	}
	return sql_done(&c, r);
}

int clock_observe(struct store *st, const char *peer, int64_t offset)
{
	char *v = xasprintf("%lld %lld %s", (long long)offset, (long long)now_s(), peer);
	int r = setting_set(st, key_clock, v);

	free(v);
	return r;
}

/* The last clock comparison: "OFFSET AT PEER". */
static int health_clock(struct store *st, struct camp_health *h)
{
	char *v = NULL, peer[256] = "";
	long long off = 0, at = 0;
	int r = setting_get(st, key_clock, &v);

	if (r == 0 && v && sscanf(v, "%lld %lld %255s", &off, &at, peer) == 3) {
		h->clock_offset = off;
		h->clock_at = at;
		h->clock_peer = xstrdup(peer);
	}
	free(v);
	return r;
}

static int health_domains(struct store *st, struct camp_health *h)
{
	static const char sql[] =
		"SELECT d.domain, count(*), sum(d.attempts > 0),"
		"  ifnull(f.failing_since, 0),"
		"  (SELECT last_error FROM fed_deliveries e WHERE e.domain = d.domain"
		"     AND e.attempts > 0 ORDER BY e.next_at DESC LIMIT 1)"
		"  FROM fed_deliveries d LEFT JOIN fed_domains f ON f.domain = d.domain"
		"  GROUP BY d.domain ORDER BY count(*) DESC, d.domain LIMIT ?";
	struct sql_cursor c;
	int r;

	sql_open(st, &c, "listing deliveries by server", sql, "d", HEALTH_DOMAINS);
	while ((r = sql_next(&c)) > 0) {
		h->domains = xrealloc(h->domains,
				      sizeof *h->domains * (size_t)(h->ndomains + 1));
		struct health_domain *d = &h->domains[h->ndomains++];
		d->domain = col_text(&c, 0);
		d->waiting = col_int64(&c, 1);
		d->failing = col_int64(&c, 2);
		d->failing_since = col_int64(&c, 3);
		d->last_error = col_text(&c, 4);
	}
	return sql_done(&c, r);
}

static int health_deliveries(struct store *st, struct camp_health *h)
{
	static const char sql[] = "SELECT count(*), ifnull(sum(attempts > 0), 0),"
				  "  ifnull(min(created_at), 0) FROM fed_deliveries";
	struct sql_cursor c;
	int r;

	if ((r = sql_row(st, &c, "counting deliveries", sql, "")) == 0) {
		h->deliveries_waiting = col_int64(&c, 0);
		h->deliveries_failing = col_int64(&c, 1);
		h->oldest_waiting_at = col_int64(&c, 2);
	}
	if ((r = sql_done(&c, r)) == 0)
		r = health_domains(st, h);
	return r;
}

static int64_t file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

static void health_files(const char *dir, struct camp_health *h)
{
	char *db = xasprintf("%s/camp.db", dir), *wal = xasprintf("%s/camp.db-wal", dir);
	struct statvfs vfs;

	h->db_bytes = file_size(db);
	h->wal_bytes = file_size(wal);
	if (statvfs(dir, &vfs) == 0) {
		h->disk_free = (int64_t)vfs.f_bavail * (int64_t)vfs.f_frsize;
		h->disk_size = (int64_t)vfs.f_blocks * (int64_t)vfs.f_frsize;
	}
	free(db);
	free(wal);
}

/* The certificate of built-in HTTPS, from DIR/camp.conf. */
static void health_tls(const char *dir, struct camp_health *h)
{
	char *conf = xasprintf("%s/camp.conf", dir);
	struct config cfg;
	struct cert_info ci;

	config_defaults(&cfg);
	if (config_load(&cfg, conf) == 0 && cfg.tls_cert[0]) {
		h->tls_cert = path_in(dir, cfg.tls_cert);
		if (cert_read(h->tls_cert, NULL, NULL, &ci) == 0)
			h->tls_not_after = ci.not_after;
		else
			h->tls_error = xstrdup(err_last());
	}
	config_free(&cfg);
	free(conf);
}

int camp_health_get(struct store *st, const char *dir, struct camp_health *h)
{
	int r;

	memset(h, 0, sizeof *h);
	h->version = CAMP_VERSION;
	h->schema = store_schema_version(st);
	h->schema_latest = store_schema_latest();
	run_lock_probe(dir, &h->run);
	health_files(dir, h);
	health_tls(dir, h);
	if ((r = account_count_members(st, &h->members)) != 0 ||
	    (r = presence_online_count(st, &h->members_online)) != 0 ||
	    (r = camp_stewards(st, &h->stewards, &h->steward)) != 0 ||
	    (r = health_deliveries(st, h)) != 0 ||
	    (r = backup_last(st, &h->backup_at, &h->backup_path)) != 0 ||
	    (r = health_clock(st, h)) != 0)
		camp_health_free(h);
	return r;
}

void camp_health_free(struct camp_health *h)
{
	for (int i = 0; i < h->ndomains; i++) {
		free(h->domains[i].domain);
		free(h->domains[i].last_error);
	}
	free(h->domains);
	free(h->steward);
	free(h->backup_path);
	free(h->tls_cert);
	free(h->tls_error);
	free(h->clock_peer);
	memset(h, 0, sizeof *h);
}
