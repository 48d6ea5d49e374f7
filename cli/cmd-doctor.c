/*
 * cmd-doctor.c: `camp doctor DIR`: checks what commonly goes wrong with
 * a camp and says how to fix each thing it finds.
 *
 * One row of the table below per check, in the order an operator would
 * look: the folder's files, the database, DNS, ports, the certificate,
 * WebFinger, the clock, then deliveries, backups, disk and admins.  Each
 * check fills in what it found and, when something is wrong, the fix;
 * the verdicts are ok, note (nothing to judge by yet), warn and FAIL.
 * It never changes the camp.  Exit status 1 when any check failed.
 */
#include "cli/doctor.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sshd/sshd.h"

#define CLOCK_OK_S 60	 /* off by this much is fine */
#define CLOCK_BAD_S 1800 /* signatures are refused an hour off: act well before */
#define CERT_SOON_S (14 * 86400)
#define DISK_LOW (512LL << 20) /* bytes free below which the disk is low */

/* The files the settings name, as seen from the camp's folder. */
static void doctor_paths(struct doctor *d)
{
	char **paths[] = {&d->cfg.tls_cert, &d->cfg.tls_key};

	for (size_t i = 0; i < ARRAY_LEN(paths); i++) {
		if ((*paths[i])[0] == '\0')
			continue;
		char *p = path_in(d->dir, *paths[i]);
		free(*paths[i]);
		*paths[i] = p;
	}
}

static int doctor_run(int argc, char **argv);

const struct cli_entry cli_doctor_entry = {
	"doctor",
	"doctor DIR",
	"check what commonly goes wrong with a camp, and say how to fix it",
	doctor_run,
};

/* ---- the folder and the database ---------------------------------------- */

/* Appends path to bad when group or others may read or write it, or
 * someone else owns it. */
static void file_private(const char *path, int is_dir, struct buf *bad, int *n)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		return;
	if ((sb.st_mode & 077) == 0 && sb.st_uid == geteuid())
		return;
	buf_printf(bad, "%s%s (mode %03o%s)", (*n)++ ? ", " : "", path,
		   (unsigned)(sb.st_mode & 0777),
		   sb.st_uid == geteuid() ? "" : ", owned by someone else");
	(void)is_dir;
}

static enum verdict check_files(struct doctor *d)
{
	static const char *const names[] = {"camp.conf", "camp.db", "camp.db-wal",
					    "ssh_host_ed25519_key", "ssh_host_rsa_key"};
	struct buf bad = BUF_INIT;
	int n = 0;

	file_private(d->dir, 1, &bad, &n);
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		char *p = xasprintf("%s/%s", d->dir, names[i]);
		file_private(p, 0, &bad, &n);
		free(p);
	}
	if (d->cfg.tls_key[0])
		file_private(d->cfg.tls_key, 0, &bad, &n);
	if (n == 0) {
		buf_printf(&d->said, "the camp's folder, database and keys are its own");
		buf_free(&bad);
		return DR_OK;
	}
	buf_printf(&d->said, "others may read: %s", buf_str(&bad));
	buf_printf(&d->fix,
		   "run as the camp's user: chmod 700 %s && chmod 600 %s/camp.* "
		   "%s/ssh_host_*_key (and chown them if someone else owns them)",
		   d->dir, d->dir, d->dir);
	buf_free(&bad);
	return DR_FAIL;
}

static enum verdict check_database(struct doctor *d)
{
	char *db = xasprintf("%s/camp.db", d->dir);
	int schema, r = d->st ? backup_verify(db, &schema) : CAMP_EDB;

	free(db);
	if (d->st == NULL) {
		buf_printf(&d->said, "%s",
			   d->db_error ? d->db_error : "cannot be opened");
		buf_printf(&d->fix,
			   "a database from a newer camp needs that camp; a damaged "
			   "one, the last good backup: camp restore %s FILE",
			   d->dir);
		return DR_FAIL;
	}
	if (r != 0) {
		buf_printf(&d->said, "%s", err_last());
		buf_printf(&d->fix,
			   "stop the camp and restore the last good backup: camp "
			   "restore %s FILE",
			   d->dir);
		return DR_FAIL;
	}
	buf_printf(&d->said, "passes its integrity check (schema version %d)", schema);
	return DR_OK;
}

/* ---- the certificate and the clock ------------------------------------- */

static enum verdict cert_verdict(struct doctor *d, const struct cert_info *ci,
				 const char *host)
{
	int64_t now = now_s();

	if (!ci->matches_key) {
		buf_printf(&d->fix, "set tls_key to the private key of %s",
			   d->cfg.tls_cert);
		buf_printf(&d->said, "%s does not match the key in %s", d->cfg.tls_cert,
			   d->cfg.tls_key);
		return DR_FAIL;
	}
	if (ci->not_after <= now || ci->not_before > now) {
		buf_printf(&d->said, "%s %s", d->cfg.tls_cert,
			   ci->not_after <= now ? "has expired" : "is not valid yet");
		buf_printf(&d->fix,
			   "renew it (your ACME client, e.g. certbot renew), then "
			   "restart the camp");
		return DR_FAIL;
	}
	if (!ci->covers_host) {
		buf_printf(&d->said, "%s is for %s, not %s", d->cfg.tls_cert, ci->subject,
			   host);
		buf_printf(&d->fix, "get a certificate that names %s", host);
		return DR_FAIL;
	}
	buf_printf(&d->said, "%s, for %s, expires in %lld days", d->cfg.tls_cert, host,
		   (long long)((ci->not_after - now) / 86400));
	if (ci->not_after - now > CERT_SOON_S)
		return DR_OK;
	buf_printf(&d->fix, "renew it now (your ACME client, e.g. certbot renew)");
	return DR_WARN;
}

static enum verdict check_certificate(struct doctor *d)
{
	struct cert_info ci;
	char *host;
	enum verdict v;

	if (d->cfg.tls_cert[0] == '\0') {
		buf_printf(&d->said, "no built-in HTTPS; the certificate of the proxy in "
				     "front is tried by the WebFinger check");
		return DR_NOTE;
	}
	host = xstrndup(d->cfg.domain, strcspn(d->cfg.domain, ":"));
	if (cert_read(d->cfg.tls_cert, d->cfg.tls_key, host, &ci) != 0) {
		buf_printf(&d->said, "%s", err_last());
		buf_printf(&d->fix, "set tls_cert to a PEM certificate chain the camp's "
				    "user can read");
		v = DR_FAIL;
	} else {
		v = cert_verdict(d, &ci, host);
	}
	free(host);
	return v;
}

static enum verdict check_clock(struct doctor *d)
{
	const struct camp_health *h = &d->h;
	int64_t off = h->clock_offset < 0 ? -h->clock_offset : h->clock_offset;

	if (h->clock_at == 0) {
		buf_printf(&d->said,
			   "nothing to compare with yet: the camp has not had an "
			   "answer from another server");
		return DR_NOTE;
	}
	buf_printf(&d->said, "this machine's clock is %lld s %s %s (seen %lld min ago)",
		   (long long)off, h->clock_offset <= 0 ? "ahead of" : "behind",
		   h->clock_peer, (long long)((now_s() - h->clock_at) / 60));
	if (off <= CLOCK_OK_S)
		return DR_OK;
	buf_printf(&d->fix,
		   "turn on time synchronisation (timedatectl set-ntp true, or "
		   "install chrony): other servers refuse signatures an hour off");
	return off <= CLOCK_BAD_S ? DR_WARN : DR_FAIL;
}

/* ---- what the camp keeps up ------------------------------------------- */

static enum verdict check_deliveries(struct doctor *d)
{
	const struct camp_health *h = &d->h;

	buf_printf(&d->said, "%lld waiting, %lld of them failing",
		   (long long)h->deliveries_waiting, (long long)h->deliveries_failing);
	if (h->deliveries_failing == 0)
		return DR_OK;
	for (int i = 0; i < h->ndomains && i < 3; i++)
		if (h->domains[i].failing)
			buf_printf(&d->said, "; %s: %s", h->domains[i].domain,
				   h->domains[i].last_error);
	buf_printf(&d->fix, "a server that is down gets its deliveries when it is back "
			    "(for two days); if every server fails, check this machine's "
			    "outbound HTTPS and DNS");
	return DR_WARN;
}

static enum verdict check_backups(struct doctor *d)
{
	const struct camp_health *h = &d->h;
	long every = d->cfg.backup_every;

	if (h->backup_at == 0) {
		buf_printf(&d->said, "no good backup yet");
		buf_printf(&d->fix, "run camp backup %s FILE now%s", d->dir,
			   every ? "" : ", and set backup_every in camp.conf");
		return DR_WARN;
	}
	buf_printf(&d->said, "the last good one is %lld h old: %s",
		   (long long)((now_s() - h->backup_at) / 3600), h->backup_path);
	if (every == 0 || now_s() - h->backup_at <= 2 * every + 3600)
		return DR_OK;
	buf_printf(&d->fix, "scheduled backups are late: look for \"scheduled backup "
			    "failed\" in camp serve's log");
	return DR_WARN;
}

static enum verdict check_disk(struct doctor *d)
{
	const struct camp_health *h = &d->h;

	buf_printf(&d->said, "%lld MB free of %lld MB; the database takes %lld MB",
		   (long long)(h->disk_free >> 20), (long long)(h->disk_size >> 20),
		   (long long)((h->db_bytes + h->wal_bytes) >> 20));
	if (h->disk_free >= DISK_LOW && h->disk_free >= h->disk_size / 20)
		return DR_OK;
	buf_printf(&d->fix,
		   "free some space: the camp stops saving when the disk is full");
	return DR_WARN;
}

static enum verdict check_admins(struct doctor *d)
{
	const struct camp_health *h = &d->h;

	buf_printf(&d->said, "%lld people can run the camp", (long long)h->stewards);
	if (h->stewards >= 2)
		return DR_OK;
	buf_printf(&d->fix,
		   "give a trusted friend an admin invite: camp invite %s --admin",
		   d->dir);
	return DR_WARN;
}

/* ---- the table and the report ------------------------------------------ */

static const struct doctor_check checks[] = {
	{"files", check_files},
	{"database", check_database},
	{"domain", doctor_domain},
	{"public url", doctor_public_url},
	{"ports", doctor_ports},
	{"certificate", check_certificate},
	{"webfinger", doctor_webfinger},
	{"clock", check_clock},
	{"deliveries", check_deliveries},
	{"backups", check_backups},
	{"disk", check_disk},
	{"admins", check_admins},
};

/* Checks that read the database are skipped when it cannot be opened. */
static int needs_store(const struct doctor_check *c)
{
	return c->run == check_clock || c->run == check_deliveries ||
	       c->run == check_backups || c->run == check_disk || c->run == check_admins;
}

static void report(const struct doctor_check *c, enum verdict v, struct doctor *d)
{
	static const char *const words[] = {"ok  ", "note", "warn", "FAIL"};

	printf("%s  %s: %s\n", words[v], c->name, buf_str(&d->said));
	if (v != DR_OK && d->fix.len)
		printf("      fix: %s\n", buf_str(&d->fix));
}

static int doctor_examine(struct doctor *d)
{
	int fails = 0, warns = 0;

	for (size_t i = 0; i < ARRAY_LEN(checks); i++) {
		if (d->st == NULL && needs_store(&checks[i]))
			continue;
		buf_reset(&d->said);
		buf_reset(&d->fix);
		enum verdict v = checks[i].run(d);
		report(&checks[i], v, d);
		fails += v == DR_FAIL;
		warns += v == DR_WARN;
	}
	printf("%d problem%s, %d warning%s\n", fails, fails == 1 ? "" : "s", warns,
	       warns == 1 ? "" : "s");
	return fails ? 1 : 0;
}

/* Loads the settings (a camp whose camp.conf is missing or bad is no
 * camp to examine: 1, reported) and opens the database, whose failure
 * is itself a finding (d->st NULL, d->db_error). */
static int doctor_open(struct doctor *d)
{
	char *conf = xasprintf("%s/camp.conf", d->dir);
	char *db = xasprintf("%s/camp.db", d->dir);
	int r;

	config_defaults(&d->cfg);
	if (access(conf, F_OK) != 0)
		r = err_set(CAMP_ENOENT, "%s is not a camp (no camp.conf)", d->dir);
	else
		r = config_load(&d->cfg, conf);
	if (r == 0 && store_open(db, 0, &d->st) != 0)
		d->db_error = xstrdup(err_last());
	if (d->st && camp_health_get(d->st, d->dir, &d->h) != 0) {
		d->db_error = xstrdup(err_last());
		store_close(d->st);
		d->st = NULL;
	}
	free(conf);
	free(db);
	return r;
}

static int doctor_run(int argc, char **argv)
{
	struct doctor d;
	int status;

	if (argc != 1)
		return cli_usage(&cli_doctor_entry, "expected one camp folder");
	memset(&d, 0, sizeof d);
	d.dir = argv[0];
	if (doctor_open(&d) != 0) {
		config_free(&d.cfg);
		return cli_fail();
	}
	doctor_paths(&d);
	status = doctor_examine(&d);
	if (d.st)
		camp_health_free(&d.h);
	store_close(d.st);
	free(d.db_error);
	buf_free(&d.said);
	buf_free(&d.fix);
	config_free(&d.cfg);
	return status;
}
