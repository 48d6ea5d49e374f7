/*
 * deliver.c: the delivery worker: signed POSTs of queued activities to
 * remote inboxes, many at once over libcurl's multi interface (which
 * keeps connections alive between them), retried with exponential
 * backoff for about two days.
 *
 * A server that is down holds at most a few slots (PER_DOMAIN) and only
 * for the transfer timeout, so others go on; a domain failing for days
 * is tried only twice a day.  Jobs stay in the database until they
 * succeed or are given up, so a crash loses nothing: the next run clears
 * the in-flight marks and sends them again, with the same body and so
 * the same activity id.  This file never blocks.
 */
#include "federation/federation.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TRANSFERS 32
#define PER_DOMAIN 4
#define UNAVAILABLE_AFTER (3 * 86400) /* failing this long: tried rarely */
#define UNAVAILABLE_RETRY (12 * 3600)

struct transfer {
	CURL *easy;
	struct curl_slist *headers;
	struct delivery job;
	struct fed_response res;
	struct transfer *next;
};

struct deliverer {
	struct fed *f;
	CURLM *multi;
	struct transfer *list;
	int count;
	int64_t next_poll; /* when to look for due jobs again */
};

/* A little randomness, so retries of many jobs do not move in step. */
static uint32_t jitter(void)
{
	uint32_t v;

	random_bytes(&v, sizeof v);
	return v;
}

long delivery_backoff(int attempts)
{
	static const long delays[] = {60,    300,   1800,  3600,
				      10800, 21600, 43200, 86400}; /* ~46 hours */

	if (attempts < 1 || attempts > (int)ARRAY_LEN(delays))
		return -1;
	return delays[attempts - 1];
}

struct deliverer *deliverer_new(struct fed *f)
{
	struct deliverer *d = xcalloc(1, sizeof *d);

	d->f = f;
	if ((d->multi = curl_multi_init()) == NULL)
		fatal("cannot start libcurl");
	curl_multi_setopt(d->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)PER_DOMAIN);
	curl_multi_setopt(d->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)MAX_TRANSFERS);
	return d;
}

static void transfer_free(struct deliverer *d, struct transfer *t)
{
	curl_multi_remove_handle(d->multi, t->easy);
	curl_easy_cleanup(t->easy);
	curl_slist_free_all(t->headers);
	delivery_free(&t->job);
	fed_response_free(&t->res);
	free(t);
}

void deliverer_free(struct deliverer *d)
{
	if (d == NULL)
		return;
	while (d->list) {
		struct transfer *t = d->list;
		d->list = t->next;
		transfer_free(d, t);
	}
	curl_multi_cleanup(d->multi);
	free(d);
}

static int domain_busy(struct deliverer *d, const char *domain)
{
	int n = 0;

	for (struct transfer *t = d->list; t; t = t->next)
		n += strcmp(t->job.domain, domain) == 0;
	return n >= PER_DOMAIN;
}

/* Signs and starts one job.  On failure the job is rescheduled. */
static int transfer_start(struct deliverer *d, struct delivery *job)
{
	struct transfer *t = xcalloc(1, sizeof *t);
	char *priv = NULL, *key_id = NULL;
	struct sig_out so = {0};
	int r;

	t->job = *job;
	memset(job, 0, sizeof *job);
	if ((r = fed_signer(d->f, t->job.signer, &priv, &key_id)) != 0 ||
	    (r = sig_sign_request(priv, key_id, "POST", t->job.inbox, t->job.body,
				  strlen(t->job.body), AP_CONTENT_TYPE, now_s(), &so)) !=
		    0) {
		log_error("cannot sign a delivery to %s: %s", t->job.inbox, err_last());
		delivery_reschedule(d->f->st, t->job.id, now_s() + 3600, err_last());
		free(priv);
		free(key_id);
		delivery_free(&t->job);
		free(t);
		return r;
	}
	const char *names[] = {"Host",	       "Date",	    "Digest",
			       "Content-Type", "Signature", "Accept"};
	const char *values[] = {so.host,	 so.date,      so.digest,
				AP_CONTENT_TYPE, so.signature, AP_CONTENT_TYPE};
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		char *line = xasprintf("%s: %s", names[i], values[i]);
		t->headers = curl_slist_append(t->headers, line);
		free(line);
	}
	t->headers = curl_slist_append(t->headers, "Expect:");
	t->easy = curl_easy_init();
	fed_curl_setup(d->f->cfg, t->easy, &t->res, 30);
	curl_easy_setopt(t->easy, CURLOPT_URL, t->job.inbox);
	curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, t->job.body);
	curl_easy_setopt(t->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(t->job.body));
	curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
	curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
	curl_multi_add_handle(d->multi, t->easy);
	t->next = d->list;
	d->list = t;
	d->count++;
	free(so.signature);
	free(priv);
	free(key_id);
	return 0;
}

/* Starts due jobs while there is room. */
static void start_due(struct deliverer *d)
{
	struct delivery *jobs;
	int64_t now = now_s();
	int n;

	if (d->count >= MAX_TRANSFERS || now < d->next_poll)
		return;
	d->next_poll = now + 1;
	if (delivery_due(d->f->st, now, 4 * MAX_TRANSFERS, &jobs, &n) != 0) {
		log_error("delivery queue: %s", err_last());
		return;
	}
	for (int i = 0; i < n && d->count < MAX_TRANSFERS; i++) {
		if (domain_busy(d, jobs[i].domain) ||
		    delivery_take(d->f->st, jobs[i].id) != 0)
			continue;
		transfer_start(d, &jobs[i]);
	}
	if (n > 0)
		d->next_poll = 0; /* more may be due: look again soon */
	delivery_list_free(jobs, n);
}

/* 4xx answers that will never change: give up at once. */
static int permanent(long status)
{
	return status == 400 || status == 404 || status == 405 || status == 410 ||
	       status == 413 || status == 422 || status == 501;
}

static void transfer_done(struct deliverer *d, struct transfer *t, CURLcode cc)
{
	struct store *st = d->f->st;
	int64_t now = now_s(), since = 0;
	long status = 0;
	char why[160];

	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	if (cc == CURLE_OK)
		fed_clock_seen(st, t->job.inbox, t->res.date);
	if (cc == CURLE_OK && status >= 200 && status < 300) {
		log_debug("delivered %s to %s", t->job.activity_id, t->job.inbox);
		delivery_remove(st, t->job.id);
		domain_ok(st, t->job.domain, now);
		return;
	}
	if (cc != CURLE_OK)
		snprintf(why, sizeof why, "%s", curl_easy_strerror(cc));
	else
		snprintf(why, sizeof why, "answered %ld", status);
	long wait = cc == CURLE_OK && permanent(status)
			    ? -1
			    : delivery_backoff(t->job.attempts + 1);
	if (wait < 0) {
		log_warn("gave up delivering %s to %s: %s", t->job.activity_id,
			 t->job.inbox, why);
		delivery_remove(st, t->job.id);
		return;
	}
	if (cc != CURLE_OK || status >= 500 || status == 429 || status == 408) {
		domain_failed(st, t->job.domain, now);
		domain_failing_since(st, t->job.domain, &since);
	}
	if (since && now - since > UNAVAILABLE_AFTER && wait < UNAVAILABLE_RETRY)
		wait = UNAVAILABLE_RETRY;
	wait += (long)(jitter() % (uint32_t)(wait / 10 + 1));
	log_info("delivery of %s to %s failed (%s); again in %lds", t->job.activity_id,
		 t->job.inbox, why, wait);
	delivery_reschedule(st, t->job.id, now + wait, why);
}

/* Collects finished transfers. */
static void collect(struct deliverer *d)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(d->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		struct transfer *t = NULL, **pp;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
		CURLcode cc = msg->data.result;
		for (pp = &d->list; *pp && *pp != t; pp = &(*pp)->next)
			;
		if (*pp == NULL)
			continue;
		*pp = t->next;
		d->count--;
		transfer_done(d, t, cc);
		transfer_free(d, t);
		d->next_poll = 0;
	}
}

int deliverer_step(struct deliverer *d)
{
	int running, before;

	start_due(d);
	curl_multi_perform(d->multi, &running);
	before = d->count;
	collect(d);
	/* Refill the slots that just freed now, not after the next wait on
	 * the sockets of the transfers still running. */
	if (d->count < before) {
		start_due(d);
		curl_multi_perform(d->multi, &running);
	}
	return 0;
}

void deliverer_kick(struct deliverer *d)
{
	d->next_poll = 0;
}

int deliverer_fdset(struct deliverer *d, fd_set *r, fd_set *w, fd_set *e, int *maxfd,
		    long *timeout_ms)
{
	int fd = -1;
	long t = -1;

	curl_multi_fdset(d->multi, r, w, e, &fd);
	if (fd > *maxfd)
		*maxfd = fd;
	curl_multi_timeout(d->multi, &t);
	if (t < 0 || t > 1000)
		t = 1000; /* look for due jobs once a second */
	if (d->count > 0 && fd < 0 && t > 100)
		t = 100; /* curl is between sockets (resolving...) */
	if (t < *timeout_ms)
		*timeout_ms = t;
	return 0;
}
