/*
 * fetch.c: outbound HTTP with libcurl, shared by the fetcher (blocking
 * GETs of actors, keys and objects) and the delivery worker.
 *
 * Every transfer goes through fed_curl_setup(): https only (plain http
 * too when the operator allows private addresses, for test networks), a
 * check of every address before connecting, the system's CAs plus
 * tls_ca_file, timeouts, and a 1 MB cap on what is read.  Every GET is
 * signed (by the instance actor unless a member is involved), and
 * redirects are followed by hand so each hop is signed and checked anew.
 * ActivityPub documents (fed_get_json) never follow a redirect to another
 * origin: callers believe a document about ids on the origin they asked,
 * so a redirect elsewhere (an open redirect on an honest server) would
 * let a stranger's document speak for that server.  Nothing is fetched
 * from this camp itself (a key id naming us would only tie up a thread
 * of ours waiting on another), and the HTTP threads' fetches are bounded
 * per origin and in all (fetch_limit), so slow servers cannot hold every
 * thread.
 */
#include "federation/federation.h"

#include <ctype.h>
#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_REDIRECTS 3
#define CLOCK_SEEN_MS 60000 /* the clock is noted at most this often */

#define ORIGIN_MAX 256

/* Fetches under way for inbound requests, by origin. */
struct fetch_limit {
	pthread_mutex_t lock;
	int total;
	struct {
		char origin[ORIGIN_MAX]; /* "" when the slot is free */
		int n;
	} slot[FETCH_TOTAL];
};

struct fetch_limit *fetch_limit_new(void)
{
	struct fetch_limit *l = xcalloc(1, sizeof *l);

	if (pthread_mutex_init(&l->lock, NULL) != 0)
		fatal("pthread_mutex_init failed");
	return l;
}

void fetch_limit_free(struct fetch_limit *l)
{
	if (l == NULL)
		return;
	pthread_mutex_destroy(&l->lock);
	free(l);
}

/* The origin of url, lowercased ("https://host:port"), into out. */
static void origin_of(const char *url, char out[ORIGIN_MAX])
{
	const char *p = strstr(url, "://");
	size_t n = p ? (size_t)(p - url) + 3 + strcspn(p + 3, "/?#") : strlen(url);
	size_t i;

	for (i = 0; i < n && i < ORIGIN_MAX - 1; i++)
		out[i] = (char)tolower((unsigned char)url[i]);
	out[i] = '\0';
}

/* Counts one fetch of url under way; 0, or CAMP_ELIMIT when its origin
 * (or everyone) has as many as allowed already. */
static int fetch_limit_take(struct fetch_limit *l, const char *url)
{
	char origin[ORIGIN_MAX];
	int mine = -1, free_slot = -1, r = 0;

	origin_of(url, origin);
	pthread_mutex_lock(&l->lock);
	for (int i = 0; i < FETCH_TOTAL && mine < 0; i++) {
		if (l->slot[i].n > 0 && strcmp(l->slot[i].origin, origin) == 0)
			mine = i;
		else if (l->slot[i].n == 0 && free_slot < 0)
			free_slot = i;
	}
	if (l->total >= FETCH_TOTAL ||
	    (mine >= 0 && l->slot[mine].n >= FETCH_PER_ORIGIN)) {
		r = CAMP_ELIMIT;
	} else {
		if (mine < 0) {
			mine = free_slot; /* one exists: fewer than FETCH_TOTAL taken */
			memcpy(l->slot[mine].origin, origin, sizeof origin);
		}
		l->slot[mine].n++;
		l->total++;
	}
	pthread_mutex_unlock(&l->lock);
	if (r != 0)
		err_set(r, "too many fetches under way (from %.100s, or in all)", origin);
	return r;
}

/* Ends one fetch of url that fetch_limit_take() counted. */
static void fetch_limit_give(struct fetch_limit *l, const char *url)
{
	char origin[ORIGIN_MAX];

	origin_of(url, origin);
	pthread_mutex_lock(&l->lock);
	for (int i = 0; i < FETCH_TOTAL; i++)
		if (l->slot[i].n > 0 && strcmp(l->slot[i].origin, origin) == 0) {
			l->slot[i].n--;
			l->total--;
			break;
		}
	pthread_mutex_unlock(&l->lock);
}

void fed_response_free(struct fed_response *r)
{
	buf_free(&r->body);
	free(r->content_type);
	free(r->location);
	free(r->date);
	free(r->url);
	memset(r, 0, sizeof *r);
}

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct fed_response *r = ctx;
	size_t len = size * n;

	if (r->body.len + len > AP_MAX_BODY)
		return 0; /* makes curl fail the transfer: too big */
	buf_append(&r->body, p, len);
	return len;
}

/* Copies the value of a header line ("Name: value\r\n") if it is name. */
static void header_value(const char *line, size_t len, const char *name, char **slot)
{
	size_t n = strlen(name);

	if (len <= n + 1 || strncasecmp(line, name, n) != 0 || line[n] != ':')
		return;
	const char *v = line + n + 1;
	size_t vlen = len - n - 1;
	while (vlen > 0 && (*v == ' ' || *v == '\t'))
		v++, vlen--;
	while (vlen > 0 &&
	       (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
		vlen--;
	free(*slot);
	*slot = xstrndup(v, vlen);
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct fed_response *r = ctx;
	size_t len = size * n;

	if (len > 5 && strncmp(p, "HTTP/", 5) == 0) {
		free(r->content_type);
		free(r->location);
		free(r->date);
		r->content_type = r->location = r->date = NULL;
	}
	header_value(p, len, "content-type", &r->content_type);
	header_value(p, len, "location", &r->location);
	header_value(p, len, "date", &r->date);
	return len;
}

void fed_clock_seen(struct store *st, const char *url, const char *date)
{
	static _Atomic int64_t last_ms;
	int64_t t, now = mono_ms(), prev = atomic_load(&last_ms);
	char origin[ORIGIN_MAX];

	if (date == NULL || http_date_parse(date, &t) != 0)
		return;
	if ((prev && now - prev < CLOCK_SEEN_MS) ||
	    !atomic_compare_exchange_strong(&last_ms, &prev, now))
		return; /* another answer was noted a moment ago */
	origin_of(url, origin);
	const char *host = strstr(origin, "://");
	if (clock_observe(st, host ? host + 3 : origin, t - now_s()) != 0)
		log_debug("cannot note the clock: %s", err_last());
}

/* Refuses to connect to a private address unless the camp allows it. */
static curl_socket_t on_open_socket(void *ctx, curlsocktype purpose,
				    struct curl_sockaddr *addr)
{
	const struct config *cfg = ctx;

	(void)purpose;
	if (!cfg->allow_private_addresses && net_addr_is_private(&addr->addr)) {
		log_warn("refused to connect to a private address");
		return CURL_SOCKET_BAD;
	}
	return socket(addr->family, addr->socktype, addr->protocol);
}

/* Adds tls_ca_file to the CAs libcurl already loaded (the system's). */
static CURLcode on_ssl_ctx(CURL *curl, void *sslctx, void *ctx)
{
	const char *file = ctx;
	X509_STORE *store = SSL_CTX_get_cert_store(sslctx);

	(void)curl;
	if (store == NULL || X509_STORE_load_file(store, file) != 1) {
		log_error("cannot load tls_ca_file %s", file);
		return CURLE_SSL_CACERT_BADFILE;
	}
	return CURLE_OK;
}

void fed_curl_setup(const struct config *cfg, void *curl, struct fed_response *out,
		    long timeout_s)
{
	CURL *c = curl;
	char agent[256]; /* libcurl keeps a copy */

	snprintf(agent, sizeof agent, "camp/%s (+%s)", CAMP_VERSION, cfg->public_url);
	const char *protos = cfg->allow_private_addresses ? "http,https" : "https";
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protos);
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, protos);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, (void *)cfg);
	if (cfg->tls_ca_file && cfg->tls_ca_file[0]) {
		curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
		curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, (void *)cfg->tls_ca_file);
	}
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s > 0 ? timeout_s : 30L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
	curl_easy_setopt(c, CURLOPT_USERAGENT, agent);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)AP_MAX_BODY);
}

/* Shortens c's timeout (timeout_s, as fed_curl_setup set it) to what is
 * left before f's deadline, if it has one; CAMP_ETIMEDOUT when nothing
 * is left. */
static int deadline_apply(const struct fed *f, CURL *c, const char *url, long timeout_s)
{
	int64_t left = f->deadline_ms ? f->deadline_ms - mono_ms() : 0;

	if (f->deadline_ms == 0 || (timeout_s > 0 && left > timeout_s * 1000))
		return 0;
	if (left <= 0)
		return err_set(CAMP_ETIMEDOUT, "out of time before fetching %.200s", url);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)left);
	if (left < 10000)
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)left);
	return 0;
}

/* One signed GET of url, without following redirects. */
static int get_once(struct fed *f, CURL *c, const char *url, const char *accept,
		    const char *signer, long timeout_s, struct fed_response *out)
{
	struct curl_slist *h = NULL;
	char *priv = NULL, *key_id = NULL, *line;
	struct sig_out so = {0};
	CURLcode cc;
	int r;

	if ((r = fed_signer(f, signer, &priv, &key_id)) != 0 ||
	    (r = sig_sign_request(priv, key_id, "GET", url, NULL, 0, NULL, now_s(),
				  &so)) != 0)
		goto out;
	const char *names[] = {"Host", "Date", "Signature", "Accept"};
	const char *values[] = {so.host, so.date, so.signature, accept};
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		line = xasprintf("%s: %s", names[i], values[i]);
		h = curl_slist_append(h, line);
		free(line);
	}
	curl_easy_reset(c);
	fed_curl_setup(f->cfg, c, out, timeout_s);
	if ((r = deadline_apply(f, c, url, timeout_s)) != 0)
		goto out;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if ((cc = curl_easy_perform(c)) != CURLE_OK) {
		r = err_set(CAMP_EIO, "cannot fetch %.200s: %s", url,
			    curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
out:
	curl_slist_free_all(h);
	free(so.signature);
	free(priv);
	free(key_id);
	return r;
}

/* Resolves a Location against the URL it came from; caller frees. */
static char *resolve_location(const char *base, const char *loc)
{
	CURLU *u = curl_url();
	char *s = NULL, *out = NULL;

	if (u && curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, loc, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
		out = xstrdup(s);
	curl_free(s);
	curl_url_cleanup(u);
	return out;
}

/* fed_get(), following redirects only within url's origin when
 * same_origin is set (CAMP_EPERM for one that leaves it). */
static int get_following(struct fed *f, const char *url, const char *accept,
			 const char *signer, long timeout_s, int same_origin,
			 struct fed_response *out)
{
	CURL *c = curl_easy_init();
	char *cur = xstrdup(url);
	int r = 0;

	memset(out, 0, sizeof *out);
	if (c == NULL)
		fatal("cannot start libcurl");
	for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
		fed_response_free(out);
		if (fed_url_is_ours(f, cur)) {
			r = err_set(CAMP_EPERM, "%.200s is this camp's own: not fetched",
				    cur);
			break;
		}
		if ((r = get_once(f, c, cur, accept, signer, timeout_s, out)) != 0)
			break;
		fed_clock_seen(f->st, cur, out->date);
		if (out->status < 300 || out->status >= 400 || out->location == NULL)
			break;
		char *next = resolve_location(cur, out->location);
		if (next == NULL || hop == MAX_REDIRECTS) {
			r = err_set(CAMP_EIO, "too many or bad redirects from %.200s",
				    url);
			free(next);
			break;
		}
		if (same_origin && !ap_same_origin(next, url)) {
			r = err_set(CAMP_EPERM,
				    "%.200s redirects to another origin: %.200s", url,
				    next);
			free(next);
			break;
		}
		free(cur);
		cur = next;
	}
	if (r == 0)
		out->url = cur;
	else
		free(cur);
	curl_easy_cleanup(c);
	if (r != 0)
		fed_response_free(out);
	return r;
}

int fed_get(struct fed *f, const char *url, const char *accept, const char *signer,
	    long timeout_s, struct fed_response *out)
{
	return get_following(f, url, accept, signer, timeout_s, 0, out);
}

int fed_get_json(struct fed *f, const char *url, long timeout_s, json_t **out)
{
	struct fed_response res;
	int r;

	*out = NULL;
	if (!ap_url_ok(url))
		return err_set(CAMP_EINVAL, "not a URL the camp fetches");
	if (f->limit && (r = fetch_limit_take(f->limit, url)) != 0)
		return r;
	r = get_following(f, url, AP_ACCEPT, "", timeout_s, 1, &res);
	if (f->limit)
		fetch_limit_give(f->limit, url);
	if (r != 0)
		return r;
	if (res.status == 404 || res.status == 410)
		r = err_set(CAMP_ENOENT, "%.200s is gone (%ld)", url, res.status);
	else if (res.status != 200)
		r = err_set(CAMP_EIO, "%.200s answered %ld", url, res.status);
	else if (res.content_type == NULL || strstr(res.content_type, "json") == NULL)
		r = err_set(CAMP_EINVAL, "%.200s did not answer with JSON", url);
	else if ((*out = ap_parse(buf_str(&res.body), res.body.len)) == NULL)
		r = CAMP_EINVAL;
	fed_response_free(&res);
	return r;
}
