/*
 * http.c: the HTTP(S) server: libmicrohttpd with a thread for each
 * connection, so that an inbound POST waiting up to ten seconds on
 * another server (its key, a boosted note) never holds up anyone else.
 * Two servers that fetch each other's keys while each handles the
 * other's POST would otherwise wait for a timeout, both of them.
 *
 * Each connection thread opens its own store on its first request and
 * closes it when the thread ends: an SQLite handle (and its cached
 * statements) belongs to one thread, as err_last() does.  Nothing else
 * is shared between threads but the read-only configuration.
 *
 * It gathers each request (refusing bodies over 1 MB with 413), keeps the
 * raw request target for signature checks, and hands it to routes.c.  It
 * never interprets a body itself.  Threads are bounded: 200 connections
 * at once (32 per address with built-in TLS), and the fetches they make
 * for inbound requests by the shared fetch_limit, so slow or hostile
 * servers cannot keep every thread waiting.
 */
#include "federation/federation.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONNECTIONS 200
#define MAX_PER_ADDRESS 32 /* with built-in TLS; a proxy limits per address itself */

struct http_server {
	const struct config *cfg;
	const char *base;
	const char *dir;
	struct fetch_limit *limit; /* shared by every connection thread */
	char *db_path;
	pthread_key_t thread_fed; /* each connection thread's struct fed */
	int have_key;
	struct MHD_Daemon *daemon;
	char *cert, *key; /* PEM, kept while the daemon runs */
};

/* What is known of a request while it arrives. */
struct req_state {
	char *raw_uri;
	struct buf body;
	int started;
	int too_big;
};

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct req_state *s = xcalloc(1, sizeof *s);

	(void)cls;
	(void)c;
	s->raw_uri = xstrndup(uri, strlen(uri) > 8192 ? 8192 : strlen(uri));
	return s;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct req_state *s = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (s) {
		free(s->raw_uri);
		buf_free(&s->body);
		free(s);
		*con_cls = NULL;
	}
}

static const char *conn_header(void *ctx, const char *lname)
{
	return MHD_lookup_connection_value(ctx, MHD_HEADER_KIND, lname);
}

static enum MHD_Result send_reply(struct MHD_Connection *c, struct http_reply *rep)
{
	struct MHD_Response *res = MHD_create_response_from_buffer(
		rep->body.len, rep->body.data ? rep->body.data : (void *)"",
		MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ok;

	if (rep->content_type)
		MHD_add_response_header(res, "Content-Type", rep->content_type);
	if (rep->location)
		MHD_add_response_header(res, "Location", rep->location);
	if (rep->vary_accept)
		MHD_add_response_header(res, "Vary", "Accept");
	if (rep->etag[0])
		MHD_add_response_header(res, "ETag", rep->etag);
	if (rep->last_modified > 0) {
		char date[40];
		http_date(rep->last_modified, date);
		MHD_add_response_header(res, "Last-Modified", date);
	}
	if (rep->cache_control)
		MHD_add_response_header(res, "Cache-Control", rep->cache_control);
	/* The pages are plain documents: should an escaping mistake ever let
	 * markup through, no script runs and nothing is loaded.  The camp's
	 * own pages name the one stylesheet they may apply (web_csp). */
	MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	if (rep->csp)
		MHD_add_response_header(res, "Content-Security-Policy", rep->csp);
	else if (rep->content_type && strncmp(rep->content_type, "text/html", 9) == 0)
		MHD_add_response_header(res, "Content-Security-Policy",
					"default-src 'none'; frame-ancestors 'none'");
	MHD_add_response_header(res, "Access-Control-Allow-Origin", "*");
	ok = MHD_queue_response(c, (unsigned)rep->status, res);
	MHD_destroy_response(res);
	return ok;
}

static enum MHD_Result simple_reply(struct MHD_Connection *c, int status,
				    const char *text)
{
	struct http_reply rep = {.status = status,
				 .content_type = "text/plain; charset=utf-8"};
	enum MHD_Result ok;

	buf_printf(&rep.body, "%s\n", text);
	ok = send_reply(c, &rep);
	buf_free(&rep.body);
	return ok;
}

/* Runs when a connection thread ends: its store goes with it. */
static void thread_fed_free(void *p)
{
	struct fed *f = p;

	store_close(f->st);
	free(f);
}

/* This thread's fed, opened on its first request; NULL (logged) when
 * the database cannot be opened. */
static struct fed *thread_fed(struct http_server *hs)
{
	struct fed *f = pthread_getspecific(hs->thread_fed);
	struct store *st;

	if (f)
		return f;
	if (store_open(hs->db_path, 0, &st) != 0) {
		log_error("http: %s", err_last());
		return NULL;
	}
	f = xcalloc(1, sizeof *f);
	f->st = st;
	f->cfg = hs->cfg;
	f->base = hs->base;
	f->limit = hs->limit;
	f->dir = hs->dir;
	if (pthread_setspecific(hs->thread_fed, f) != 0)
		fatal("pthread_setspecific failed");
	return f;
}

/* Answers a complete request through the routes. */
static enum MHD_Result answer(struct http_server *hs, struct MHD_Connection *c,
			      const char *method, struct req_state *s)
{
	char *path = xstrndup(s->raw_uri, strcspn(s->raw_uri, "?"));
	const char *q = strchr(s->raw_uri, '?');
	struct http_request req = {
		.method = method,
		.path = path,
		.query = q ? q + 1 : "",
		.target = s->raw_uri,
		.msg = {method, s->raw_uri, conn_header, c, buf_str(&s->body),
			s->body.len, strcmp(method, "POST") == 0},
		.conn = c,
	};
	struct http_reply rep = {.status = 404};
	struct fed *f = thread_fed(hs);
	enum MHD_Result ok;

	if (f == NULL) {
		free(path);
		return simple_reply(c, 503, "the camp's database is not available");
	}
	routes_dispatch(f, &req, &rep);
	ok = send_reply(c, &rep);
	buf_free(&rep.body);
	free(rep.location);
	free(path);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size,
				  void **con_cls)
{
	struct http_server *hs = cls;
	struct req_state *s = *con_cls;
	const char *cl;

	(void)url;
	(void)version;
	if (s == NULL)
		return MHD_NO;
	if (!s->started) {
		/* The first call comes before any body: refuse a big one at once. */
		s->started = 1;
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "content-length");
		if (cl && strtoull(cl, NULL, 10) > AP_MAX_BODY)
			return simple_reply(c, 413, "the body is over 1 MB");
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (!s->too_big && s->body.len + *upload_size <= AP_MAX_BODY)
			buf_append(&s->body, upload_data, *upload_size);
		else
			s->too_big = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	if (s->too_big)
		return simple_reply(c, 413, "the body is over 1 MB");
	return answer(hs, c, method, s);
}

static void on_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	(void)cls;
	vsnprintf(line, sizeof line, fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_warn("http: %s", line);
}

/* The address to listen on, from http_listen. */
static int listen_addr(const char *listen, struct sockaddr_storage *ss, int *v6)
{
	char *host = NULL, port[16];
	struct addrinfo hints = {0}, *ai = NULL;
	int p, r = 0;

	if (config_split_listen(listen, &host, &p) != 0)
		return err_set(CAMP_EINVAL, "http_listen: %s", err_last());
	snprintf(port, sizeof port, "%d", p);
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host && host[0] ? host : NULL, port, &hints, &ai) != 0 || !ai)
		r = err_set(CAMP_EINVAL, "http_listen: cannot use the address %s",
			    listen);
	else {
		memcpy(ss, ai->ai_addr, ai->ai_addrlen);
		*v6 = ai->ai_family == AF_INET6;
	}
	if (ai)
		freeaddrinfo(ai);
	free(host);
	return r;
}

/* Starts the daemon with SIGTERM and SIGINT blocked, so its threads
 * (and the connection threads they make) inherit a mask that leaves
 * those signals to the main thread and its loop. */
static struct MHD_Daemon *daemon_start(struct http_server *hs, unsigned int flags,
				       struct MHD_OptionItem *opts)
{
	sigset_t block, old;
	struct MHD_Daemon *d;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, hs, MHD_OPTION_ARRAY, opts,
			     MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return d;
}

int http_server_start(struct fed *f, const char *dir, struct http_server **out)
{
	struct http_server *hs = xcalloc(1, sizeof *hs);
	struct sockaddr_storage ss = {0};
	unsigned int flags = MHD_USE_ERROR_LOG | MHD_USE_THREAD_PER_CONNECTION |
			     MHD_USE_POLL_INTERNAL_THREAD;
	int v6 = 0, r;

	*out = NULL;
	hs->cfg = f->cfg;
	hs->base = f->base;
	hs->dir = dir;
	hs->limit = fetch_limit_new();
	hs->db_path = xasprintf("%s/camp.db", dir);
	if (pthread_key_create(&hs->thread_fed, thread_fed_free) != 0)
		fatal("pthread_key_create failed");
	hs->have_key = 1;
	if ((r = listen_addr(f->cfg->http_listen, &ss, &v6)) != 0)
		goto fail;
	if (v6)
		flags |= MHD_USE_IPv6;
	if (f->cfg->tls_cert[0]) {
		if ((r = file_read(f->cfg->tls_cert, 1 << 20, &hs->cert, NULL)) != 0 ||
		    (r = file_read(f->cfg->tls_key, 1 << 20, &hs->key, NULL)) != 0)
			goto fail;
		flags |= MHD_USE_TLS;
	}
	/* With built-in TLS, peers connect directly, so one address may hold
	 * only so many threads; behind a reverse proxy every connection comes
	 * from the proxy, which is where a per-address limit belongs. */
	struct MHD_OptionItem opts[] = {
		{MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_log, NULL},
		{MHD_OPTION_SOCK_ADDR, 0, &ss},
		{MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, NULL},
		{MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, NULL},
		{MHD_OPTION_CONNECTION_TIMEOUT, 30, NULL},
		{MHD_OPTION_CONNECTION_LIMIT, MAX_CONNECTIONS, NULL},
		{hs->cert ? MHD_OPTION_PER_IP_CONNECTION_LIMIT : MHD_OPTION_END,
		 MAX_PER_ADDRESS, NULL},
		{MHD_OPTION_HTTPS_MEM_KEY, 0, hs->key},
		{MHD_OPTION_HTTPS_MEM_CERT, 0, hs->cert},
		{MHD_OPTION_END, 0, NULL},
	};
	if ((hs->daemon = daemon_start(hs, flags, opts)) == NULL) {
		r = err_set(CAMP_EIO, "cannot listen for HTTP%s on %s",
			    hs->cert ? "S" : "", f->cfg->http_listen);
		goto fail;
	}
	log_info("serving HTTP%s on %s as %s", hs->cert ? "S" : "", f->cfg->http_listen,
		 f->base);
	*out = hs;
	return 0;
fail:
	http_server_stop(hs);
	return r;
}

void http_server_stop(struct http_server *s)
{
	if (s == NULL)
		return;
	/* Joins every connection thread; their stores close as they end. */
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
	if (s->have_key)
		pthread_key_delete(s->thread_fed);
	fetch_limit_free(s->limit);
	free(s->db_path);
	free(s->cert);
	free(s->key);
	free(s);
}
