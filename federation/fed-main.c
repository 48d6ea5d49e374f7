/*
 * fed-main.c: the federation child: the HTTP server (threads of its own,
 * see http.c) and one loop that turns the model's outbox into deliveries
 * and runs the delivery worker on select(), so neither waits for the
 * other and no inbound request waits for either.
 *
 * The loop opens its own store (SQLite is the bus between processes) and
 * notices new outbox items by PRAGMA data_version, within a quarter of a
 * second.  It stops cleanly on SIGTERM or SIGINT; killed harder, it loses
 * nothing, since every job lives in the database.
 */
#include "federation/federation.h"

#include <curl/curl.h>
#include <errno.h>
#include <libxml/parser.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define POLL_MS 250

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static void signals_setup(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Turns new outbox items into jobs when another process wrote some. */
static void outbox_poll(struct fed *f, struct deliverer *d, int64_t *version,
			int64_t *next)
{
	int64_t v = store_data_version(f->st), t = now_ms();
	int handled = 0;

	if (v == *version && t < *next)
		return;
	*version = v;
	*next = t + 1000;
	if (fed_outbox_run(f, &handled) != 0)
		log_error("outbox: %s", err_last());
	if (handled > 0) {
		deliverer_kick(d);
		*next = t; /* a batch at a time: look again on the next turn */
	}
}

/* What must be set up once, in this thread, before the HTTP threads
 * share a library: libcurl (curl_global_init, by the caller), libxml2's
 * parser, jansson's hash seed, and the model's lazily made locale for
 * telling letters in tags and mentions apart (a text with a tag makes
 * it). */
static void threads_prepare(struct fed *f)
{
	struct entity *e = NULL;
	int n = 0;

	xmlInitParser();
	json_object_seed(0);
	if (text_parse(f->st, "#camp", f->cfg->domain, &e, &n) == 0)
		entities_free(e, n);
}

/* One turn of the loop: wait for the worker's sockets or the next
 * deadline, then let it do what is ready. */
static int loop_once(struct deliverer *d)
{
	fd_set r, w, e;
	int maxfd = -1;
	long timeout = POLL_MS;
	struct timeval tv;

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	if (deliverer_fdset(d, &r, &w, &e, &maxfd, &timeout) != 0)
		log_warn("%s", err_last());
	if (timeout < 0)
		timeout = 0;
	tv.tv_sec = timeout / 1000;
	tv.tv_usec = (timeout % 1000) * 1000;
	if (select(maxfd + 1, &r, &w, &e, &tv) < 0) {
		if (errno != EINTR)
			return err_set(CAMP_EIO, "select: %s", strerror(errno));
		FD_ZERO(&r);
		FD_ZERO(&w);
		FD_ZERO(&e);
	}
	deliverer_step(d);
	return 0;
}

int federation_main(const char *dir)
{
	struct config cfg;
	struct store *st;
	struct http_server *hs = NULL;
	struct lookup_server *ls = NULL;
	struct deliverer *d = NULL;
	int64_t version = -1, next = 0, n = 0;
	char *priv = NULL, *pub = NULL;
	int r;

	log_set_role("federation");
	signals_setup();
	if (camp_dir_open(dir, &cfg, &st) != 0) {
		log_error("%s", err_last());
		return 1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct fed f = {.st = st, .cfg = &cfg, .base = cfg.public_url, .dir = dir};
	threads_prepare(&f);
	if ((r = delivery_release_all(st)) != 0 ||
	    (r = fed_instance_keys(&f, &priv, &pub)) != 0 ||
	    (r = http_server_start(&f, dir, &hs)) != 0)
		goto out;
	if (lookup_server_start(dir, &cfg, &ls) != 0) /* federation goes on */
		log_error("remote lookups are off: %s", err_last());
	d = deliverer_new(&f);
	if (delivery_count(st, &n) == 0 && n > 0)
		log_info("resuming %lld queued deliveries", (long long)n);
	while (!stopping && r == 0) {
		outbox_poll(&f, d, &version, &next);
		r = loop_once(d);
	}
out:
	if (r != 0)
		log_error("%s", err_last());
	deliverer_free(d);
	lookup_server_stop(ls);
	http_server_stop(hs);
	free(priv);
	free(pub);
	store_close(st);
	config_free(&cfg);
	curl_global_cleanup();
	return r ? 1 : 0;
}
