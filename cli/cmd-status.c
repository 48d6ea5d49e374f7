/*
 * cmd-status.c: `camp status DIR [--json]`: the dashboard an operator
 * reads.  First what it always printed, in the same order (scripts read
 * it): the camp's settings, its members, the deliveries waiting, the
 * schema and the host key fingerprints members compare on first login.
 * Then the camp as a running service (store/health.c): version, uptime,
 * who is online, deliveries failing by server and the oldest waiting,
 * database and disk size, the last good backup, the certificate, the
 * clock, and a warning when the camp hangs on one person.
 * It only reads; `camp doctor` is the one that judges and advises.
 */
#include "cli/cli.h"

#include <jansson.h>
#include <stdlib.h>

#include "sshd/sshd.h"
#include "store/store.h"

static int status_run(int argc, char **argv);

const struct cli_entry cli_status_entry = {
	"status",
	"status DIR [--json]",
	"show the camp's settings, members, deliveries, backups and health",
	status_run,
};

/* "3d 4h", "2h 5m", "40s": a span for people. */
static void span(int64_t s, char out[32])
{
	if (s < 0)
		s = -s;
	if (s >= 86400)
		snprintf(out, 32, "%lldd %lldh", (long long)(s / 86400),
			 (long long)(s % 86400 / 3600));
	else if (s >= 3600)
		snprintf(out, 32, "%lldh %lldm", (long long)(s / 3600),
			 (long long)(s % 3600 / 60));
	else if (s >= 60)
		snprintf(out, 32, "%lldm", (long long)(s / 60));
	else
		snprintf(out, 32, "%llds", (long long)s);
}

/* "2026-11-30T12:00:00Z (3h 2m ago)", or "(in 80d 2h)" for the future. */
static void when(int64_t t, char out[80])
{
	char iso[32], ago[32];
	int64_t d = now_s() - t;

	time_rfc3339(t, iso);
	span(d, ago);
	snprintf(out, 80, "%s (%s%s%s)", iso, d < 0 ? "in " : "", ago,
		 d < 0 ? "" : " ago");
}

/* 12.3 MB and the like. */
static void size(int64_t n, char out[32])
{
	static const char *const units[] = {"bytes", "KB", "MB", "GB", "TB"};
	double v = (double)n;
	int u = 0;

	while (v >= 1024 && u < 4)
		v /= 1024, u++;
	snprintf(out, 32, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

/* What camp status always printed, first and unchanged. */
static void print_basics(const struct config *cfg, const struct camp_health *h,
			 const char *fps)
{
	printf("camp: %s\ndomain: %s\npublic url: %s\nssh: %s\nhttp: %s\n"
	       "members: %lld of %ld\ndeliveries waiting: %lld\nschema: %d\n"
	       "host keys:\n%s",
	       cfg->camp_name, cfg->domain, cfg->public_url, cfg->ssh_listen,
	       cfg->http_listen, (long long)h->members, cfg->max_members,
	       (long long)h->deliveries_waiting, h->schema, fps);
}

static void print_service(const struct camp_health *h)
{
	char a[80], b[32], c[32];

	printf("version: %s\n", h->version);
	if (h->run.running) {
		span(now_s() - h->run.started_at, b);
		time_rfc3339(h->run.started_at, a);
		printf("serving: yes, pid %ld, up %s (since %s)\n", h->run.pid, b, a);
	} else {
		printf("serving: no\n");
	}
	printf("online: %lld member%s\n", (long long)h->members_online,
	       h->members_online == 1 ? "" : "s");
	printf("deliveries failing: %lld\n", (long long)h->deliveries_failing);
	if (h->oldest_waiting_at) {
		when(h->oldest_waiting_at, a);
		printf("oldest waiting: %s\n", a);
	}
	for (int i = 0; i < h->ndomains; i++) {
		const struct health_domain *d = &h->domains[i];
		printf("  %s: %lld waiting, %lld failing", d->domain,
		       (long long)d->waiting, (long long)d->failing);
		if (d->failing_since) {
			when(d->failing_since, a);
			printf(", down since %s", a);
		}
		printf(d->last_error[0] ? ", last error: %s\n" : "\n", d->last_error);
	}
	size(h->db_bytes, b);
	size(h->wal_bytes, c);
	printf("database: %s (WAL %s)\n", b, c);
	size(h->disk_free, b);
	size(h->disk_size, c);
	printf("disk: %s free of %s\n", b, c);
}

static void print_care(const struct camp_health *h, const char *dir)
{
	char a[80];

	if (h->backup_at) {
		when(h->backup_at, a);
		printf("last backup: %s, %s\n", a, h->backup_path ? h->backup_path : "");
	} else {
		printf("last backup: never (set backup_every, or run camp backup)\n");
	}
	if (h->tls_cert && h->tls_not_after) {
		when(h->tls_not_after, a);
		printf("tls certificate: %s, expires %s\n", h->tls_cert, a);
	} else if (h->tls_cert) {
		printf("tls certificate: %s\n",
		       h->tls_error ? h->tls_error : "unreadable");
	} else {
		printf("tls certificate: none built in (camp doctor checks "
		       "public_url)\n");
	}
	if (h->clock_at) {
		when(h->clock_at, a);
		printf("clock: %+lld s from %s, seen %s\n", (long long)h->clock_offset,
		       h->clock_peer, a);
	} else {
		printf("clock: not compared yet (no answer from another server)\n");
	}
	if (h->stewards == 1)
		printf("warning: only one admin (%s): give a trusted friend an admin "
		       "invite: camp invite %s --admin\n",
		       h->steward, dir);
	else if (h->stewards == 0)
		printf("warning: no admin has joined yet: use the admin invite camp init "
		       "printed, or make one: camp invite %s --admin\n",
		       dir);
}

static json_t *json_domains(const struct camp_health *h)
{
	json_t *a = json_array();

	for (int i = 0; i < h->ndomains; i++) {
		const struct health_domain *d = &h->domains[i];
		json_array_append_new(
			a, json_pack("{s:s, s:I, s:I, s:I, s:s}", "domain", d->domain,
				     "waiting", (json_int_t)d->waiting, "failing",
				     (json_int_t)d->failing, "failing_since",
				     (json_int_t)d->failing_since, "last_error",
				     d->last_error));
	}
	return a;
}

static json_t *json_service(const struct camp_health *h)
{
	return json_pack(
		"{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:I, s:I}",
		"version", h->version, "serving", h->run.running, "pid",
		(json_int_t)h->run.pid, "started_at", (json_int_t)h->run.started_at,
		"online", (json_int_t)h->members_online, "deliveries_failing",
		(json_int_t)h->deliveries_failing, "oldest_waiting_at",
		(json_int_t)h->oldest_waiting_at, "admins", (json_int_t)h->stewards,
		"domains", json_domains(h), "db_bytes", (json_int_t)h->db_bytes,
		"wal_bytes", (json_int_t)h->wal_bytes, "disk_free",
		(json_int_t)h->disk_free, "disk_size", (json_int_t)h->disk_size);
}

static void print_json(const struct config *cfg, const struct camp_health *h)
{
	json_t *o = json_service(h);
	char *text;

	json_object_update_new(
		o, json_pack("{s:s, s:s, s:s, s:I, s:i, s:I, s:i, s:i, s:I, s:s?, s:s?, "
			     "s:I, s:s?, s:I, s:I, s:s?}",
			     "camp", cfg->camp_name, "domain", cfg->domain, "public_url",
			     cfg->public_url, "members", (json_int_t)h->members,
			     "max_members", (int)cfg->max_members, "deliveries_waiting",
			     (json_int_t)h->deliveries_waiting, "schema", h->schema,
			     "schema_latest", h->schema_latest, "backup_at",
			     (json_int_t)h->backup_at, "backup_path", h->backup_path,
			     "tls_cert", h->tls_cert, "tls_not_after",
			     (json_int_t)h->tls_not_after, "tls_error", h->tls_error,
			     "clock_offset", (json_int_t)h->clock_offset, "clock_at",
			     (json_int_t)h->clock_at, "clock_peer", h->clock_peer));
	text = json_dumps(o, JSON_COMPACT);
	printf("%s\n", text);
	free(text);
	json_decref(o);
}

static int status_run(int argc, char **argv)
{
	int as_json = 0, npos, r;
	const struct opt opts[] = {{"json", 0, NULL, &as_json}, {NULL, 0, NULL, NULL}};
	char *pos[argc + 1];
	struct config cfg;
	struct store *st;
	struct buf fps = BUF_INIT;
	struct camp_health h;

	if (opts_parse(argc, argv, opts, pos, &npos) != 0)
		return cli_usage(&cli_status_entry, err_last());
	if (npos != 1)
		return cli_usage(&cli_status_entry, "expected one camp folder");
	if (camp_dir_open(pos[0], &cfg, &st) != 0)
		return cli_fail();
	if ((r = camp_health_get(st, pos[0], &h)) != 0)
		goto out;
	if ((r = hostkey_fingerprints(pos[0], "  ", &fps)) == 0 && as_json) {
		print_json(&cfg, &h);
	} else if (r == 0) {
		print_basics(&cfg, &h, buf_str(&fps));
		print_service(&h);
		print_care(&h, pos[0]);
	}
	camp_health_free(&h);
out:
	buf_free(&fps);
	store_close(st);
	config_free(&cfg);
	return r ? cli_fail() : 0;
}
