/*
 * config.c: DIR/camp.conf, "key = value" lines with # comments.
 *
 * One table below lists every key with its type, default and the text
 * that explains it; the parser, the defaults and the commented file that
 * `camp init` writes all come from that table, so a key cannot exist in
 * one and be missing from another.  An unknown key is only a warning (a
 * newer camp's file must still start an older camp); a bad value is an
 * error naming the file and line.
 */
#include "common.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum conf_type { CONF_STR, CONF_LONG, CONF_BOOL, CONF_DURATION, CONF_LISTEN };

struct conf_key {
	const char *name;
	enum conf_type type;
	size_t offset;
	const char *def; /* default, as it would be written in the file */
	long min, max;	 /* bounds for numbers and durations */
	const char *doc; /* explanation written above the key */
};

#define OFF(f) offsetof(struct config, f)

static const struct conf_key conf_keys[] = {
	{"camp_name", CONF_STR, OFF(camp_name), "Friend Camp", 0, 0,
	 "The camp's name, shown at the top of every member's screen."},
	{"domain", CONF_STR, OFF(domain), "localhost", 0, 0,
	 "The host name (with :port if not the default) that names members\n"
	 "to the fediverse: alice@DOMAIN.  Changing it after other servers\n"
	 "have seen the camp breaks every existing follow."},
	{"public_url", CONF_STR, OFF(public_url), "", 0, 0,
	 "The base URL at which the HTTP side is reached from outside, with\n"
	 "no trailing slash.  Empty means https://DOMAIN."},
	{"ssh_listen", CONF_LISTEN, OFF(ssh_listen), "0.0.0.0:2222", 0, 0,
	 "Address and port on which members connect with ssh (HOST:PORT,\n"
	 "[IPv6]:PORT or just PORT for every address)."},
	{"http_listen", CONF_LISTEN, OFF(http_listen), "127.0.0.1:8080", 0, 0,
	 "Address and port of the HTTP side (ActivityPub, WebFinger,\n"
	 "NodeInfo).  Put a reverse proxy with TLS in front of it, or set\n"
	 "tls_cert and tls_key to serve HTTPS directly."},
	{"tls_cert", CONF_STR, OFF(tls_cert), "", 0, 0,
	 "PEM certificate chain for built-in HTTPS.  Empty: plain HTTP."},
	{"tls_key", CONF_STR, OFF(tls_key), "", 0, 0, "PEM private key for tls_cert."},
	{"tls_ca_file", CONF_STR, OFF(tls_ca_file), "", 0, 0,
	 "An extra CA certificate (PEM) to trust for outbound HTTPS, besides\n"
	 "the system's store.  Useful for private test networks."},
	{"max_members", CONF_LONG, OFF(max_members), "100", 1, 100000,
	 "How many members the camp may have.  Joining is refused beyond it."},
	{"registrations", CONF_STR, OFF(registrations), "invite", 0, 0,
	 "invite: people join with an invite code from an admin.\n"
	 "closed: nobody may join, even with a code."},
	{"allow_private_addresses", CONF_BOOL, OFF(allow_private_addresses), "no", 0, 0,
	 "yes lets the camp fetch from and deliver to loopback and private\n"
	 "network addresses.  Leave it at no on a public server: it stops\n"
	 "remote content from making the camp probe your own network."},
	{"max_post_chars", CONF_LONG, OFF(max_post_chars), "500", 1, 100000,
	 "Longest post a member may write, in characters (code points)."},
	{"idle_timeout", CONF_DURATION, OFF(idle_timeout), "24h", 60, 86400 * 30,
	 "A full-screen session with no key press for this long is closed\n"
	 "politely.  Units: s, m, h, d."},
	{"login_grace", CONF_DURATION, OFF(login_grace), "30s", 5, 600,
	 "Time a new connection has to authenticate before it is dropped."},
	{"keepalive", CONF_DURATION, OFF(keepalive), "30s", 5, 3600,
	 "Interval of keepalive messages on open sessions."},
	{"max_unauth_per_addr", CONF_LONG, OFF(max_unauth_per_addr), "10", 1, 10000,
	 "Most connections one address may have open before authenticating."},
	{"max_sessions", CONF_LONG, OFF(max_sessions), "500", 1, 100000,
	 "Most SSH connections open at once, for the whole camp."},
	{"backup_every", CONF_DURATION, OFF(backup_every), "1d", 0, 86400 * 366,
	 "How often `camp serve` copies the database into DIR/backups while it\n"
	 "runs (online, then checked with PRAGMA integrity_check).  0 turns\n"
	 "scheduled backups off.  Units: s, m, h, d."},
	{"backup_keep", CONF_LONG, OFF(backup_keep), "7", 1, 10000,
	 "How many scheduled backups to keep in DIR/backups; older ones are\n"
	 "removed after each new one."},
	{"log_level", CONF_STR, OFF(log_level), "info", 0, 0,
	 "How much the server logs: debug, info, warn or error."},
};

static char **conf_str(struct config *cfg, const struct conf_key *k)
{
	return (char **)((char *)cfg + k->offset);
}

static long *conf_long(struct config *cfg, const struct conf_key *k)
{
	return (long *)((char *)cfg + k->offset);
}

static int *conf_bool(struct config *cfg, const struct conf_key *k)
{
	return (int *)((char *)cfg + k->offset);
}

long config_parse_duration(const char *s)
{
	char *end;
	long mult = 1;

	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || errno != 0 || v < 0)
		return -1;
	if (*end == 's')
		mult = 1, end++;
	else if (*end == 'm')
		mult = 60, end++;
	else if (*end == 'h')
		mult = 3600, end++;
	else if (*end == 'd')
		mult = 86400, end++;
	if (*end != '\0' || v > LONG_MAX / mult)
		return -1;
	return v * mult;
}

int config_split_listen(const char *s, char **host, int *port)
{
	const char *colon, *p;
	char *end;

	*host = NULL;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (close == NULL || close[1] != ':')
			return err_set(CAMP_EINVAL, "expected [ADDRESS]:PORT");
		*host = xstrndup(s + 1, (size_t)(close - s - 1));
		p = close + 2;
	} else if ((colon = strrchr(s, ':')) != NULL) {
		*host = xstrndup(s, (size_t)(colon - s));
		p = colon + 1;
	} else {
		p = s;
	}
	errno = 0;
	long v = strtol(p, &end, 10);
	if (end == p || *end != '\0' || errno != 0 || v < 0 || v > 65535) {
		free(*host);
		*host = NULL;
		return err_set(CAMP_EINVAL, "expected a port number from 0 to 65535");
	}
	*port = (int)v;
	return 0;
}

/* Stores one value; on a bad value returns CAMP_EINVAL with the reason
 * (without file and line, which the caller adds). */
static int conf_set(struct config *cfg, const struct conf_key *k, const char *v)
{
	char *end, *host;
	long n;
	int port;

	switch (k->type) {
	case CONF_STR:
		free(*conf_str(cfg, k));
		*conf_str(cfg, k) = xstrdup(v);
		return 0;
	case CONF_LISTEN:
		if (config_split_listen(v, &host, &port) != 0)
			return CAMP_EINVAL;
		free(host);
		free(*conf_str(cfg, k));
		*conf_str(cfg, k) = xstrdup(v);
		return 0;
	case CONF_BOOL:
		if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
			*conf_bool(cfg, k) = 1;
		else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
			*conf_bool(cfg, k) = 0;
		else
			return err_set(CAMP_EINVAL, "expected yes or no");
		return 0;
	case CONF_LONG:
		errno = 0;
		n = strtol(v, &end, 10);
		if (end == v || *end != '\0' || errno != 0)
			return err_set(CAMP_EINVAL, "expected a whole number");
		break;
	case CONF_DURATION:
		n = config_parse_duration(v);
		if (n < 0)
			return err_set(CAMP_EINVAL,
				       "expected a duration such as 30s, 15m, 24h");
		break;
	default:
		fatal("config key %s has no type", k->name);
	}
	if (n < k->min || n > k->max)
		return err_set(CAMP_EINVAL, "must be between %ld and %ld", k->min,
			       k->max);
	*conf_long(cfg, k) = n;
	return 0;
}

/* Checks values that depend on each other or on a fixed set. */
static int config_check(struct config *cfg, const char *path)
{
	if (strcmp(cfg->registrations, "invite") != 0 &&
	    strcmp(cfg->registrations, "closed") != 0)
		return err_set(CAMP_EINVAL, "%s: registrations must be invite or closed",
			       path);
	if (log_level_parse(cfg->log_level) < 0)
		return err_set(CAMP_EINVAL,
			       "%s: log_level must be debug, info, warn or error", path);
	if ((cfg->tls_cert[0] == '\0') != (cfg->tls_key[0] == '\0'))
		return err_set(CAMP_EINVAL, "%s: tls_cert and tls_key go together", path);
	if (cfg->domain[0] == '\0')
		return err_set(CAMP_EINVAL, "%s: domain must not be empty", path);
	if (cfg->public_url[0] == '\0') {
		free(cfg->public_url);
		cfg->public_url = xasprintf("https://%s", cfg->domain);
	}
	size_t n = strlen(cfg->public_url);
	while (n > 0 && cfg->public_url[n - 1] == '/')
		cfg->public_url[--n] = '\0';
	return 0;
}

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	for (size_t i = 0; i < ARRAY_LEN(conf_keys); i++)
		if (conf_set(cfg, &conf_keys[i], conf_keys[i].def) != 0)
			fatal("bad default for %s", conf_keys[i].name);
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static const struct conf_key *conf_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(conf_keys); i++)
		if (strcmp(conf_keys[i].name, name) == 0)
			return &conf_keys[i];
	return NULL;
}

/* Parses one line (already without its newline).  Returns 0 or an error
 * whose message names path and lineno. */
static int config_line(struct config *cfg, char *line, const char *path, int lineno)
{
	char *p = trim(line), *eq, *key, *val;
	const struct conf_key *k;

	if (*p == '\0' || *p == '#')
		return 0;
	if ((eq = strchr(p, '=')) == NULL)
		return err_set(CAMP_EINVAL, "%s:%d: expected key = value", path, lineno);
	*eq = '\0';
	key = trim(p);
	val = trim(eq + 1);
	if (!utf8_valid(val, strlen(val), NULL))
		return err_set(CAMP_EINVAL, "%s:%d: %s: not valid UTF-8", path, lineno,
			       key);
	if ((k = conf_find(key)) == NULL) {
		log_warn("%s:%d: unknown key '%s' ignored", path, lineno, key);
		return 0;
	}
	if (conf_set(cfg, k, val) != 0)
		return err_set(CAMP_EINVAL, "%s:%d: %s: %s", path, lineno, key,
			       err_last());
	return 0;
}

int config_load(struct config *cfg, const char *path)
{
	char *text, *line, *next;
	size_t len;
	int r, lineno = 0;

	if ((r = file_read(path, 1 << 20, &text, &len)) != 0)
		return r;
	if (memchr(text, '\0', len) != NULL) {
		free(text);
		return err_set(CAMP_EINVAL, "%s: contains a NUL byte", path);
	}
	for (line = text; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if ((r = config_line(cfg, line, path, lineno)) != 0)
			break;
	}
	free(text);
	if (r == 0)
		r = config_check(cfg, path);
	return r;
}

void config_free(struct config *cfg)
{
	for (size_t i = 0; i < ARRAY_LEN(conf_keys); i++) {
		const struct conf_key *k = &conf_keys[i];
		if (k->type == CONF_STR || k->type == CONF_LISTEN) {
			free(*conf_str(cfg, k));
			*conf_str(cfg, k) = NULL;
		}
	}
}

/* Writes the value of k as it appears in the file. */
static void conf_value(const struct config *cfg, const struct conf_key *k,
		       struct buf *out)
{
	struct config *c = (struct config *)cfg;
	long v;

	switch (k->type) {
	case CONF_STR:
	case CONF_LISTEN:
		buf_puts(out, *conf_str(c, k) ? *conf_str(c, k) : "");
		break;
	case CONF_BOOL:
		buf_puts(out, *conf_bool(c, k) ? "yes" : "no");
		break;
	case CONF_LONG:
		buf_printf(out, "%ld", *conf_long(c, k));
		break;
	case CONF_DURATION:
		v = *conf_long(c, k);
		if (v % 86400 == 0)
			buf_printf(out, "%ldd", v / 86400);
		else if (v % 3600 == 0)
			buf_printf(out, "%ldh", v / 3600);
		else if (v % 60 == 0)
			buf_printf(out, "%ldm", v / 60);
		else
			buf_printf(out, "%lds", v);
		break;
	}
}

int config_write(const struct config *cfg, FILE *f)
{
	struct buf out = BUF_INIT;

	buf_puts(&out, "# camp.conf: the settings of this camp.\n"
		       "# Lines are `key = value`; a # starts a comment.  After a "
		       "change, send\n# the server SIGHUP (or restart it) to "
		       "apply it.\n");
	for (size_t i = 0; i < ARRAY_LEN(conf_keys); i++) {
		const struct conf_key *k = &conf_keys[i];
		const char *d = k->doc;
		buf_putc(&out, '\n');
		while (*d) {
			const char *nl = strchr(d, '\n');
			size_t n = nl ? (size_t)(nl - d) : strlen(d);
			buf_puts(&out, "# ");
			buf_append(&out, d, n);
			buf_putc(&out, '\n');
			d += n + (nl ? 1 : 0);
		}
		buf_printf(&out, "# (default: %s)\n%s = ", k->def, k->name);
		conf_value(cfg, k, &out);
		buf_putc(&out, '\n');
	}
	size_t w = fwrite(out.data, 1, out.len, f);
	int bad = w != out.len || fflush(f) != 0;
	buf_free(&out);
	return bad ? err_set(CAMP_EIO, "cannot write the configuration") : 0;
}

void config_ssh_command(const struct config *cfg, const char *user, struct buf *out)
{
	const char *d = cfg->domain, *colon = strrchr(d, ':');
	char *host = NULL;
	int port = 22;

	if (config_split_listen(cfg->ssh_listen, &host, &port) != 0)
		port = 22;
	free(host);
	buf_puts(out, "ssh ");
	if (port != 22)
		buf_printf(out, "-p %d ", port);
	/* The host members know the camp by: the domain without its port. */
	buf_printf(out, "%s@%.*s", user,
		   (int)(colon && d[0] != '[' ? colon - d : (long)strlen(d)), d);
}
