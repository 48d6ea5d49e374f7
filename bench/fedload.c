/*
 * bench/fedload.c: the instruments of the federation benchmarks (issue
 * 13): a world of mock remote servers and a load client, in one program
 * so that both sides speak the same HTTP and sign the same way.
 *
 *   fedload keys DIR N          RSA-2048 keys for actors 0..N-1 (at most
 *                               KEY_POOL), made once and kept in DIR
 *   fedload serve ...           the remote world: actor i lives on its own
 *                               loopback address (actor_addr()), serves
 *                               its Person, WebFinger and a shared inbox
 *                               that logs every arrival with a wall-clock
 *                               time and checks its signature; a control
 *                               address answers /stats, /times, /reset
 *   fedload trivial PORT        a server that answers 200 at once: the
 *                               ceiling of the load client on this machine
 *   fedload post ...            signed POSTs (Create or Follow) from the
 *                               actors, all signed before the clock starts
 *   fedload get ...             plain GETs (WebFinger, actors)
 *
 * Both the servers and the client are one thread on epoll, so the
 * instrument costs one core at most and says so in its calibration.  The
 * client measures each request from its first byte (its connect, without
 * keep-alive) to the last byte of the answer, and prints one JSON line.
 * Every connection an actor makes comes from the actor's own address, so
 * a run without keep-alive does not run out of ephemeral ports.
 *
 * It is a measuring tool, never part of camp: it reads camp only through
 * HTTP and never decides whether anything passed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

#define MAX_ACTORS 20000
/* Actors share KEY_POOL keys (actor i signs with key i % KEY_POOL): a
 * 2048-bit key takes this machine a fifth of a second or more to make,
 * and a server treats each actor's copy as a key of its own anyway. */
#define KEY_POOL 500
#define RBUF 65536
#define AS_PUBLIC "https://www.w3.org/ns/activitystreams#Public"

/* ---- small tools ----------------------------------------------------------- */

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fedload: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		die("out of memory");
	return p;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int64_t wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A growing string; the caller owns .p. */
struct str {
	char *p;
	size_t len, cap;
};

static void str_add(struct str *s, const char *data, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		s->cap = (s->len + n + 1) * 2;
		s->p = xrealloc(s->p, s->cap);
	}
	memcpy(s->p + s->len, data, n);
	s->len += n;
	s->p[s->len] = '\0';
}

static void str_printf(struct str *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void str_printf(struct str *s, const char *fmt, ...)
{
	va_list ap;
	char small[1024];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < (int)sizeof small) {
		str_add(s, small, (size_t)n);
		return;
	}
	char *big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	str_add(s, big, (size_t)n);
	free(big);
}

/* The value of a command-line option "--name VALUE", or def. */
static const char *opt(int argc, char **argv, const char *name, const char *def)
{
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return def;
}

static int opt_flag(int argc, char **argv, const char *name)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

static long opt_num(int argc, char **argv, const char *name, long def)
{
	const char *v = opt(argc, argv, name, NULL);

	return v ? strtol(v, NULL, 10) : def;
}

/* ---- actors: addresses, keys, documents ------------------------------------- */

/* Actor i's loopback address: 127.1.A.B with B in 1..250. */
static struct in_addr actor_addr(int i)
{
	struct in_addr a;

	a.s_addr =
		htonl(0x7f010000u | (uint32_t)(i / 250) << 8 | (uint32_t)(i % 250 + 1));
	return a;
}

static void actor_origin(int i, int port, char out[64])
{
	char ip[INET_ADDRSTRLEN];
	struct in_addr a = actor_addr(i);

	inet_ntop(AF_INET, &a, ip, sizeof ip);
	snprintf(out, 64, "http://%s:%d", ip, port);
}

static void key_path(const char *dir, int i, char out[512])
{
	snprintf(out, 512, "%s/k%05d.pem", dir, i);
}

static EVP_PKEY *key_load(const char *dir, int i)
{
	char path[512];
	FILE *f;
	EVP_PKEY *k;

	key_path(dir, i % KEY_POOL, path);
	if ((f = fopen(path, "r")) == NULL)
		die("no key %s: run `fedload keys` first", path);
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (k == NULL)
		die("bad key %s", path);
	return k;
}

/* The public half as SPKI PEM; the caller frees. */
static char *key_public_pem(EVP_PKEY *k)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data, *out;
	long n;

	PEM_write_bio_PUBKEY(b, k);
	n = BIO_get_mem_data(b, &data);
	out = xmalloc((size_t)n + 1);
	memcpy(out, data, (size_t)n);
	out[n] = '\0';
	BIO_free(b);
	return out;
}

/* Makes the keys of actors w, w+step, ... below n that are missing. */
static void keys_make(const char *dir, int n, int w, int step)
{
	for (int i = w; i < n; i += step) {
		char path[512], tmp[520];
		key_path(dir, i, path);
		if (access(path, R_OK) == 0)
			continue;
		EVP_PKEY *k = EVP_RSA_gen(2048);
		snprintf(tmp, sizeof tmp, "%s.tmp", path);
		FILE *f = fopen(tmp, "w");
		if (k == NULL || f == NULL ||
		    !PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL))
			die("cannot write %s", tmp);
		fclose(f);
		rename(tmp, path);
		EVP_PKEY_free(k);
	}
}

static int cmd_keys(int argc, char **argv)
{
	if (argc < 4)
		die("usage: fedload keys DIR N");
	int n = atoi(argv[3]) < KEY_POOL ? atoi(argv[3]) : KEY_POOL;
	mkdir(argv[2], 0700);
	pid_t pid = fork();
	keys_make(argv[2], n, pid == 0 ? 1 : 0, 2);
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return 0;
}

/* ---- signatures (draft-cavage, rsa-sha256, as Mastodon signs) --------------- */

static char *b64(const unsigned char *data, size_t n)
{
	char *out = xmalloc(4 * ((n + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, data, (int)n);
	return out;
}

static char *rsa_sign(EVP_PKEY *k, const char *text)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char sig[512];
	size_t n = sizeof sig;

	if (EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, k) != 1 ||
	    EVP_DigestSign(ctx, sig, &n, (const unsigned char *)text, strlen(text)) != 1)
		die("signing failed");
	EVP_MD_CTX_free(ctx);
	return b64(sig, n);
}

static void digest_of(const char *body, size_t n, char out[64])
{
	unsigned char md[32];
	char *s;

	SHA256((const unsigned char *)body, n, md);
	s = b64(md, 32);
	snprintf(out, 64, "SHA-256=%s", s);
	free(s);
}

static void http_date(char out[64])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 64, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* A whole signed POST request, ready to send. */
static char *signed_post(EVP_PKEY *k, const char *key_id, const char *host,
			 const char *path, const char *body, int keepalive)
{
	char date[64], digest[64];
	struct str s = {0}, text = {0};
	char *sig;

	http_date(date);
	digest_of(body, strlen(body), digest);
	str_printf(&text,
		   "(request-target): post %s\nhost: %s\ndate: %s\ndigest: %s\n"
		   "content-type: application/activity+json",
		   path, host, date, digest);
	sig = rsa_sign(k, text.p);
	str_printf(&s,
		   "POST %s HTTP/1.1\r\nHost: %s\r\nDate: %s\r\nDigest: %s\r\n"
		   "Content-Type: application/activity+json\r\n"
		   "Signature: keyId=\"%s\",algorithm=\"rsa-sha256\",headers=\"(request-"
		   "target) host date digest content-type\",signature=\"%s\"\r\n"
		   "Accept: application/activity+json\r\nUser-Agent: fedload\r\n"
		   "Content-Length: %zu\r\n%s\r\n%s",
		   path, host, date, digest, key_id, sig, strlen(body),
		   keepalive ? "" : "Connection: close\r\n", body);
	free(sig);
	free(text.p);
	return s.p;
}

/* ---- the load client ------------------------------------------------------- */

struct creq {
	char *data;
	size_t len;
	int src; /* actor whose address the connection comes from */
};

struct cconn {
	int fd;
	int busy;    /* a request is under way */
	int writing; /* still sending it */
	int reused;  /* the connection served a request before */
	size_t req;  /* which request */
	size_t off;  /* bytes of it sent */
	char *rbuf;  /* the answer so far */
	size_t rlen;
	double t0;
};

struct load {
	int ep;
	struct sockaddr_in to;
	struct creq *reqs;
	size_t nreqs, total, next, done;
	int keepalive;
	double *lat; /* ms, one per finished request */
	long status[600];
	long errors, reconnects;
	double deadline;
};

static int conn_open(struct load *L, struct cconn *c)
{
	int one = 1;
	struct sockaddr_in src = {.sin_family = AF_INET};

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (c->fd < 0)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
	src.sin_addr = actor_addr(L->reqs[c->req % L->nreqs].src);
	if (bind(c->fd, (struct sockaddr *)&src, sizeof src) != 0 ||
	    (connect(c->fd, (struct sockaddr *)&L->to, sizeof L->to) != 0 &&
	     errno != EINPROGRESS)) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	c->reused = 0;
	struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN, .data.ptr = c};
	epoll_ctl(L->ep, EPOLL_CTL_ADD, c->fd, &ev);
	return 0;
}

static void conn_close(struct load *L, struct cconn *c)
{
	if (c->fd >= 0) {
		epoll_ctl(L->ep, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
	}
	c->fd = -1;
}

static void want(struct load *L, struct cconn *c, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = c};

	epoll_ctl(L->ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Starts the next request on c (a new connection unless kept alive). */
static void conn_next(struct load *L, struct cconn *c)
{
	c->busy = 0;
	if (L->next >= L->total || mono_s() > L->deadline) {
		conn_close(L, c);
		return;
	}
	c->req = L->next++;
	c->off = c->rlen = 0;
	c->busy = c->writing = 1;
	c->t0 = mono_s();
	if (c->fd >= 0) {
		c->reused = 1;
		want(L, c, EPOLLOUT | EPOLLIN);
		return;
	}
	if (conn_open(L, c) != 0) {
		L->errors++;
		L->done++;
		conn_next(L, c);
	}
}

/* Whether rbuf holds a whole answer; sets *status and *close_after. */
static int answer_complete(struct cconn *c, int *status, int *close_after)
{
	char *end, *h;
	size_t head;

	c->rbuf[c->rlen] = '\0';
	if ((end = strstr(c->rbuf, "\r\n\r\n")) == NULL)
		return 0;
	head = (size_t)(end - c->rbuf) + 4;
	*status = atoi(c->rbuf + 9);
	*close_after = strcasestr(c->rbuf, "\nconnection: close") != NULL &&
		       strcasestr(c->rbuf, "\nconnection: close") < end;
	if ((h = strcasestr(c->rbuf, "\ncontent-length:")) != NULL && h < end)
		return c->rlen >= head + strtoul(h + 16, NULL, 10);
	if ((h = strcasestr(c->rbuf, "\ntransfer-encoding: chunked")) != NULL && h < end)
		return c->rlen >= head + 5 &&
		       memcmp(c->rbuf + c->rlen - 5, "0\r\n\r\n", 5) == 0;
	return 0; /* read until the server closes */
}

static void finish(struct load *L, struct cconn *c, int status, int close_after)
{
	L->lat[L->done++] = (mono_s() - c->t0) * 1000;
	if (status > 0 && status < 600)
		L->status[status]++;
	else
		L->errors++;
	if (!L->keepalive || close_after)
		conn_close(L, c);
	conn_next(L, c);
}

/* The connection failed or closed before the whole answer. */
static void conn_failed(struct load *L, struct cconn *c)
{
	int status = 0, close_after;

	if (c->rlen > 0 && answer_complete(c, &status, &close_after) == 0 && status > 0) {
		conn_close(L, c); /* an answer ended by the close */
		finish(L, c, status, 1);
		return;
	}
	int stale = c->reused && c->rlen == 0;
	conn_close(L, c);
	if (stale) {
		/* A kept-alive connection the server had closed: send again. */
		L->reconnects++;
		c->off = c->rlen = 0;
		c->writing = 1;
		c->t0 = mono_s();
		if (conn_open(L, c) == 0)
			return;
	}
	L->errors++;
	L->done++;
	conn_next(L, c);
}

static void conn_event(struct load *L, struct cconn *c, uint32_t events)
{
	struct creq *r = &L->reqs[c->req % L->nreqs];
	ssize_t n;
	int status, close_after;

	if (c->writing && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
		while (c->off < r->len &&
		       (n = write(c->fd, r->data + c->off, r->len - c->off)) > 0)
			c->off += (size_t)n;
		if (c->off < r->len && errno != EAGAIN) {
			conn_failed(L, c);
			return;
		}
		if (c->off == r->len) {
			c->writing = 0;
			want(L, c, EPOLLIN);
		}
	}
	if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR)) || c->writing)
		return;
	while ((n = read(c->fd, c->rbuf + c->rlen, RBUF - 1 - c->rlen)) > 0) {
		c->rlen += (size_t)n;
		if (c->rlen >= RBUF - 1)
			break;
	}
	if (answer_complete(c, &status, &close_after) || c->rlen >= RBUF - 1) {
		finish(L, c, status, close_after);
		return;
	}
	if (n == 0 || (n < 0 && errno != EAGAIN))
		conn_failed(L, c);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double p)
{
	if (n == 0)
		return 0;
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

/* Sends total requests (cycling through reqs) with conc at once; prints
 * the figures as one JSON line. */
static void load_run(struct load *L, int conc, double prep_s)
{
	struct cconn *cs = calloc((size_t)conc, sizeof *cs);
	struct epoll_event evs[256];
	double t0, secs;

	L->ep = epoll_create1(0);
	L->lat = xmalloc(sizeof(double) * L->total);
	t0 = mono_s();
	for (int i = 0; i < conc; i++) {
		cs[i].fd = -1;
		cs[i].rbuf = xmalloc(RBUF);
		conn_next(L, &cs[i]);
	}
	for (;;) {
		int busy = 0;
		for (int i = 0; i < conc; i++)
			busy |= cs[i].busy;
		if (!busy)
			break;
		int n = epoll_wait(L->ep, evs, 256, 1000);
		for (int i = 0; i < n; i++)
			conn_event(L, evs[i].data.ptr, evs[i].events);
		if (mono_s() > L->deadline + 30)
			break; /* answers that never come: give up on them */
	}
	secs = mono_s() - t0;
	qsort(L->lat, L->done, sizeof(double), cmp_double);
	long ok = 0;
	printf("{\"n\": %zu, \"secs\": %.3f, \"rate\": %.1f, \"p50_ms\": %.2f, "
	       "\"p99_ms\": %.2f, \"max_ms\": %.2f, \"errors\": %ld, \"reconnects\": "
	       "%ld, "
	       "\"prep_secs\": %.2f, \"status\": {",
	       L->done, secs, L->done / secs, pct(L->lat, L->done, 0.5),
	       pct(L->lat, L->done, 0.99), pct(L->lat, L->done, 1.0), L->errors,
	       L->reconnects, prep_s);
	for (int s = 0, first = 1; s < 600; s++)
		if (L->status[s]) {
			printf("%s\"%d\": %ld", first ? "" : ", ", s, L->status[s]);
			first = 0;
			if (s >= 200 && s < 300)
				ok += L->status[s];
		}
	printf("}, \"ok\": %ld}\n", ok);
	fflush(stdout);
	for (int i = 0; i < conc; i++) {
		conn_close(L, &cs[i]);
		free(cs[i].rbuf);
	}
	free(cs);
	free(L->lat);
	close(L->ep);
}

static void load_target(struct load *L, const char *to)
{
	char host[64];
	const char *colon = strrchr(to, ':');

	if (colon == NULL || colon - to >= (int)sizeof host)
		die("--to HOST:PORT");
	memcpy(host, to, (size_t)(colon - to));
	host[colon - to] = '\0';
	L->to.sin_family = AF_INET;
	L->to.sin_port = htons((uint16_t)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &L->to.sin_addr) != 1)
		die("--to wants an IPv4 address");
}

/* An activity of kind from actor a, number i of run tag; the caller
 * frees. */
static char *activity(const char *kind, int a, int port, const char *tag, long i,
		      const char *member, const char *mention)
{
	char o[64], published[32];
	struct str s = {0};
	time_t t = time(NULL);
	struct tm tm;

	actor_origin(a, port, o);
	gmtime_r(&t, &tm);
	strftime(published, sizeof published, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (strcmp(kind, "follow") == 0) {
		str_printf(&s,
			   "{\"@context\": \"https://www.w3.org/ns/activitystreams\", "
			   "\"id\": \"%s/follows/%s-%ld\", \"type\": \"Follow\", "
			   "\"actor\": \"%s/actor\", \"object\": \"%s\"}",
			   o, tag, i, o, member);
		return s.p;
	}
	str_printf(
		&s,
		"{\"@context\": [\"https://www.w3.org/ns/activitystreams\"], "
		"\"id\": \"%s/notes/%s-%ld/activity\", \"type\": \"Create\", "
		"\"actor\": \"%s/actor\", \"published\": \"%s\", \"to\": [\"" AS_PUBLIC
		"\"], \"cc\": [\"%s/followers\", \"%s\"], \"object\": {"
		"\"id\": \"%s/notes/%s-%ld\", \"type\": \"Note\", "
		"\"attributedTo\": \"%s/actor\", \"published\": \"%s\", "
		"\"url\": \"%s/notes/%s-%ld\", \"to\": [\"" AS_PUBLIC "\"], "
		"\"cc\": [\"%s/followers\", \"%s\"], "
		"\"tag\": [{\"type\": \"Mention\", \"href\": \"%s\", \"name\": \"%s\"}], "
		"\"content\": \"<p><span class=\\\"h-card\\\"><a href=\\\"%s\\\" "
		"class=\\\"u-url mention\\\">%s</a></span> Note %ld of run %s: a "
		"sentence of ordinary length, so the body is the size of a real "
		"toot, with a <a href=\\\"https://example.org/x\\\">link</a> and "
		"#bench.</p>\"}}",
		o, tag, i, o, published, o, member, o, tag, i, o, published, o, tag, i, o,
		member, member, mention, member, mention, i, tag);
	return s.p;
}

static int cmd_post(int argc, char **argv)
{
	struct load L = {0};
	const char *keys = opt(argc, argv, "--keys", NULL);
	const char *host = opt(argc, argv, "--host", NULL);
	const char *path = opt(argc, argv, "--path", "/inbox");
	const char *kind = opt(argc, argv, "--kind", "create");
	const char *tag = opt(argc, argv, "--tag", "run");
	const char *member = opt(argc, argv, "--member", NULL);
	const char *mention = opt(argc, argv, "--mention", "@someone");
	int first = (int)opt_num(argc, argv, "--first", 0);
	int actors = (int)opt_num(argc, argv, "--actors", 500);
	int port = (int)opt_num(argc, argv, "--port", 0);
	long count = opt_num(argc, argv, "--count", actors);
	int conc = (int)opt_num(argc, argv, "--conc", 8);
	EVP_PKEY **k = calloc((size_t)actors, sizeof *k);
	double t0 = mono_s();

	if (!keys || !host || !member || !port || actors < 1 || count < 1 || conc < 1)
		die("post: --to --host --keys --port --member are needed");
	load_target(&L, opt(argc, argv, "--to", ""));
	L.keepalive = opt_flag(argc, argv, "--keepalive");
	L.nreqs = L.total = (size_t)count;
	L.reqs = xmalloc(sizeof *L.reqs * L.nreqs);
	for (long i = 0; i < count; i++) {
		int a = first + (int)(i % actors);
		char o[64], key_id[96];
		if (k[a - first] == NULL)
			k[a - first] = key_load(keys, a);
		actor_origin(a, port, o);
		snprintf(key_id, sizeof key_id, "%s/actor#main-key", o);
		char *body = activity(kind, a, port, tag, i, member, mention);
		L.reqs[i].data =
			signed_post(k[a - first], key_id, host, path, body, L.keepalive);
		L.reqs[i].len = strlen(L.reqs[i].data);
		L.reqs[i].src = a;
		free(body);
	}
	L.deadline = mono_s() + opt_num(argc, argv, "--seconds", 600);
	load_run(&L, conc, mono_s() - t0);
	for (size_t i = 0; i < L.nreqs; i++)
		free(L.reqs[i].data);
	free(L.reqs);
	for (int i = 0; i < actors; i++)
		EVP_PKEY_free(k[i]);
	free(k);
	return 0;
}

static int cmd_get(int argc, char **argv)
{
	struct load L = {0};
	const char *host = opt(argc, argv, "--host", NULL);
	const char *path = opt(argc, argv, "--path", "/");
	const char *accept = opt(argc, argv, "--accept", "application/activity+json");
	int conc = (int)opt_num(argc, argv, "--conc", 16);
	struct str s = {0};

	if (!host)
		die("get: --to and --host are needed");
	load_target(&L, opt(argc, argv, "--to", ""));
	L.keepalive = opt_flag(argc, argv, "--keepalive");
	str_printf(&s,
		   "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: %s\r\nUser-Agent: "
		   "fedload\r\n%s\r\n",
		   path, host, accept, L.keepalive ? "" : "Connection: close\r\n");
	L.nreqs = 1000; /* the same request, from 1,000 addresses in turn */
	L.reqs = xmalloc(sizeof *L.reqs * L.nreqs);
	for (size_t i = 0; i < L.nreqs; i++)
		L.reqs[i] = (struct creq){s.p, s.len, 10000 + (int)i};
	L.total = (size_t)opt_num(argc, argv, "--count", 2000000);
	L.deadline = mono_s() + opt_num(argc, argv, "--seconds", 5);
	load_run(&L, conc, 0);
	free(s.p);
	free(L.reqs);
	return 0;
}

/* ---- the servers: the remote world and the trivial one -------------------- */

struct arrival {
	int64_t t_us;
	int actor;
	char type[12];
	int sig; /* 1 verified, 0 failed, -1 signed with a key we do not know */
	char *key_id;
};

struct trusted {
	char *key_id;
	EVP_PKEY *key;
};

struct world {
	int ep, port, nactors, trivial;
	char **actor_doc; /* made on first request */
	char **pem;
	const char *keys;
	struct arrival *arr;
	size_t narr, carr;
	struct trusted trust[16];
	int ntrust;
};

struct sconn {
	int fd;
	int actor; /* -1: the control address (or the trivial server) */
	struct str in, out;
	size_t outoff;
	int close_after;
};

static int listen_on(struct world *W, struct in_addr a, int port, int actor)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr = a};
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 4096) != 0)
		die("cannot listen on %s:%d: %s", inet_ntoa(a), port, strerror(errno));
	struct sconn *l = calloc(1, sizeof *l);
	l->fd = fd;
	l->actor = actor;
	l->close_after = -1; /* marks a listener */
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = l};
	epoll_ctl(W->ep, EPOLL_CTL_ADD, fd, &ev);
	return fd;
}

static void sconn_free(struct world *W, struct sconn *c)
{
	epoll_ctl(W->ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c->in.p);
	free(c->out.p);
	free(c);
}

/* The value of header name in a request's head (lowercase name), into
 * out; NULL when absent. */
static const char *header(const char *head, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);

	for (const char *p = strstr(head, "\r\n"); p && p[2] != '\r';
	     p = strstr(p + 2, "\r\n"))
		if (strncasecmp(p + 2, name, n) == 0 && p[2 + n] == ':') {
			const char *v = p + 3 + n, *e = strstr(v, "\r\n");
			while (*v == ' ')
				v++;
			size_t len =
				(size_t)(e - v) < cap - 1 ? (size_t)(e - v) : cap - 1;
			memcpy(out, v, len);
			out[len] = '\0';
			return out;
		}
	return NULL;
}

static void reply(struct sconn *c, int status, const char *type, const char *body)
{
	static const char *const reason[] = {[200] = "OK",
					     [202] = "Accepted",
					     [400] = "Bad Request",
					     [404] = "Not Found"};
	str_printf(
		&c->out,
		"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s\r\n%s",
		status, status < 405 && reason[status] ? reason[status] : "Status", type,
		strlen(body), c->close_after ? "Connection: close\r\n" : "", body);
}

static const char *actor_doc(struct world *W, int i)
{
	char o[64];
	struct str s = {0};

	if (W->actor_doc[i])
		return W->actor_doc[i];
	if (W->pem[i] == NULL) {
		EVP_PKEY *k = key_load(W->keys, i);
		W->pem[i] = key_public_pem(k);
		EVP_PKEY_free(k);
	}
	json_t *pem = json_string(W->pem[i]);
	char *pem_json = json_dumps(pem, JSON_ENCODE_ANY);
	actor_origin(i, W->port, o);
	str_printf(
		&s,
		"{\"@context\": [\"https://www.w3.org/ns/activitystreams\", "
		"\"https://w3id.org/security/v1\"], \"id\": \"%s/actor\", \"type\": "
		"\"Person\", \"preferredUsername\": \"a%d\", \"name\": \"Actor %d\", "
		"\"inbox\": \"%s/inbox\", \"outbox\": \"%s/outbox\", \"followers\": "
		"\"%s/followers\", \"url\": \"%s/actor\", \"endpoints\": "
		"{\"sharedInbox\": \"%s/inbox\"}, \"publicKey\": {\"id\": "
		"\"%s/actor#main-key\", \"owner\": \"%s/actor\", \"publicKeyPem\": %s}}",
		o, i, i, o, o, o, o, o, o, o, pem_json);
	free(pem_json);
	json_decref(pem);
	W->actor_doc[i] = s.p;
	return s.p;
}

/* 1 when the request's signature verifies against a trusted key, 0 when
 * not, -1 when it names a key not trusted here.  *key_id is set. */
static int check_sig(struct world *W, const char *head, const char *path,
		     const char *body, size_t blen, char **key_id)
{
	char sig[2048], v[1024], digest[64];
	char *kid, *hdrs, *sigval, *e;
	struct str text = {0};
	EVP_PKEY *k = NULL;
	int ok = 0;

	*key_id = NULL;
	if (!header(head, "signature", sig, sizeof sig) ||
	    !(kid = strstr(sig, "keyId=\"")) || !(hdrs = strstr(sig, "headers=\"")) ||
	    !(sigval = strstr(sig, "signature=\"")))
		return 0;
	kid += 7, hdrs += 9, sigval += 11;
	if (!strchr(kid, '"') || !strchr(hdrs, '"') || !strchr(sigval, '"'))
		return 0;
	*strchr(kid, '"') = *strchr(hdrs, '"') = *strchr(sigval, '"') = '\0';
	*key_id = strdup(kid);
	for (int i = 0; i < W->ntrust; i++)
		if (strcmp(W->trust[i].key_id, kid) == 0)
			k = W->trust[i].key;
	if (k == NULL)
		return -1;
	digest_of(body, blen, digest);
	if (!header(head, "digest", v, sizeof v) || strcmp(v, digest) != 0)
		return 0;
	for (char *h = strtok_r(hdrs, " ", &e); h; h = strtok_r(NULL, " ", &e)) {
		if (strcmp(h, "(request-target)") == 0)
			str_printf(&text, "%s(request-target): post %s",
				   text.len ? "\n" : "", path);
		else if (header(head, h, v, sizeof v))
			str_printf(&text, "%s%s: %s", text.len ? "\n" : "", h, v);
		else
			goto out;
	}
	unsigned char raw[512];
	int n = EVP_DecodeBlock(raw, (unsigned char *)sigval, (int)strlen(sigval));
	size_t pad = strlen(sigval) > 1 && sigval[strlen(sigval) - 1] == '=' ? 1 : 0;
	pad += strlen(sigval) > 2 && sigval[strlen(sigval) - 2] == '=' ? 1 : 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	ok = n > 0 && EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, k) == 1 &&
	     EVP_DigestVerify(ctx, raw, (size_t)n - pad, (unsigned char *)text.p,
			      text.len) == 1;
	EVP_MD_CTX_free(ctx);
out:
	free(text.p);
	return ok;
}

static void inbox_post(struct world *W, struct sconn *c, const char *head,
		       const char *path, const char *body, size_t blen)
{
	struct arrival a = {.t_us = wall_us(), .actor = c->actor};
	json_error_t jerr;
	json_t *doc = json_loadb(body, blen, 0, &jerr);
	const char *type = doc ? json_string_value(json_object_get(doc, "type")) : NULL;

	snprintf(a.type, sizeof a.type, "%s", type ? type : "?");
	json_decref(doc);
	a.sig = check_sig(W, head, path, body, blen, &a.key_id);
	if (W->narr == W->carr) {
		W->carr = W->carr ? W->carr * 2 : 4096;
		W->arr = xrealloc(W->arr, W->carr * sizeof *W->arr);
	}
	W->arr[W->narr++] = a;
	reply(c, 202, "text/plain", "");
}

/* GET /stats[?key=SUBSTR]: what arrived (from signers whose key id holds
 * SUBSTR); GET /times[?key=SUBSTR]: each arrival, one line "TIME_US ACTOR
 * TYPE".  GET /reset forgets them.  POST /trust "KEYID\nPEM" trusts a key. */
static void control(struct world *W, struct sconn *c, const char *method,
		    const char *path, const char *body)
{
	struct str s = {0};
	long create = 0, accept = 0, follow = 0, other = 0, ok = 0, bad = 0, unknown = 0;
	int64_t first = 0, last = 0;
	long hosts = 0;
	const char *q = strstr(path, "?key=");
	unsigned char *seen = calloc(MAX_ACTORS, 1);

	if (strcmp(method, "POST") == 0 && strncmp(path, "/trust", 6) == 0) {
		const char *nl = strchr(body, '\n');
		BIO *b = BIO_new_mem_buf(nl ? nl + 1 : "", -1);
		EVP_PKEY *k = PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
		BIO_free(b);
		if (!nl || !k || W->ntrust == 16) {
			reply(c, 400, "text/plain", "bad key\n");
		} else {
			W->trust[W->ntrust].key_id = strndup(body, (size_t)(nl - body));
			W->trust[W->ntrust++].key = k;
			reply(c, 200, "text/plain", "trusted\n");
		}
	} else if (strncmp(path, "/reset", 6) == 0) {
		for (size_t i = 0; i < W->narr; i++)
			free(W->arr[i].key_id);
		W->narr = 0;
		reply(c, 200, "text/plain", "reset\n");
	} else if (strncmp(path, "/times", 6) == 0) {
		for (size_t i = 0; i < W->narr; i++)
			if (!q || (W->arr[i].key_id && strstr(W->arr[i].key_id, q + 5)))
				str_printf(&s, "%lld %d %s\n", (long long)W->arr[i].t_us,
					   W->arr[i].actor, W->arr[i].type);
		reply(c, 200, "text/plain", s.p ? s.p : "");
		free(s.p);
	} else if (strncmp(path, "/stats", 6) == 0) {
		for (size_t i = 0; i < W->narr; i++) {
			struct arrival *a = &W->arr[i];
			if (q && (!a->key_id || !strstr(a->key_id, q + 5)))
				continue;
			create += strcmp(a->type, "Create") == 0;
			accept += strcmp(a->type, "Accept") == 0;
			follow += strcmp(a->type, "Follow") == 0;
			ok += a->sig == 1, bad += a->sig == 0, unknown += a->sig == -1;
			if (strcmp(a->type, "Create") == 0 && a->actor >= 0 &&
			    a->actor < MAX_ACTORS && !seen[a->actor]++)
				hosts++;
			first = first && first < a->t_us ? first : a->t_us;
			last = last > a->t_us ? last : a->t_us;
		}
		other = create + accept + follow;
		str_printf(&s,
			   "{\"create\": %ld, \"accept\": %ld, \"follow\": %ld, \"all\": "
			   "%ld, "
			   "\"other\": %ld, \"sig_ok\": %ld, \"sig_bad\": %ld, "
			   "\"sig_unknown\": %ld, \"create_hosts\": %ld, \"first_us\": "
			   "%lld, "
			   "\"last_us\": %lld}\n",
			   create, accept, follow, ok + bad + unknown,
			   ok + bad + unknown - other, ok, bad, unknown, hosts,
			   (long long)first, (long long)last);
		reply(c, 200, "application/json", s.p);
		free(s.p);
	} else {
		reply(c, 404, "text/plain", "no\n");
	}
	free(seen);
}

static void actor_get(struct world *W, struct sconn *c, const char *path)
{
	char o[64], jrd[512];

	if (strcmp(path, "/actor") == 0) {
		reply(c, 200, "application/activity+json", actor_doc(W, c->actor));
		return;
	}
	if (strncmp(path, "/.well-known/webfinger", 22) == 0) {
		actor_origin(c->actor, W->port, o);
		snprintf(jrd, sizeof jrd,
			 "{\"subject\": \"acct:a%d@%s\", \"links\": [{\"rel\": \"self\", "
			 "\"type\": \"application/activity+json\", \"href\": "
			 "\"%s/actor\"}]}",
			 c->actor, o + 7, o);
		reply(c, 200, "application/jrd+json", jrd);
		return;
	}
	reply(c, 404, "text/plain", "not here\n");
}

/* Answers every whole request in c->in. */
static void serve_requests(struct world *W, struct sconn *c)
{
	char *end, method[8], path[2048], v[64];

	while ((end = strstr(c->in.p ? c->in.p : "", "\r\n\r\n")) != NULL) {
		size_t head = (size_t)(end - c->in.p) + 4, blen = 0;
		if (header(c->in.p, "content-length", v, sizeof v))
			blen = strtoul(v, NULL, 10);
		if (c->in.len < head + blen)
			return;
		char save = c->in.p[head - 2];
		c->in.p[head - 2] = '\0'; /* the head alone, ending in one CRLF */
		if (sscanf(c->in.p, "%7s %2047s", method, path) != 2)
			method[0] = path[0] = '\0';
		c->close_after = header(c->in.p, "connection", v, sizeof v) &&
				 strcasecmp(v, "close") == 0;
		char *body = c->in.p + head;
		char keep = body[blen];
		body[blen] = '\0';
		if (W->trivial)
			reply(c, 200, "text/plain", "ok\n");
		else if (c->actor < 0)
			control(W, c, method, path, body);
		else if (strcmp(method, "POST") == 0 && strcmp(path, "/inbox") == 0)
			inbox_post(W, c, c->in.p, path, body, blen);
		else if (strcmp(method, "GET") == 0)
			actor_get(W, c, path);
		else
			reply(c, 404, "text/plain", "not here\n");
		body[blen] = keep;
		c->in.p[head - 2] = save;
		memmove(c->in.p, c->in.p + head + blen, c->in.len - head - blen + 1);
		c->in.len -= head + blen;
	}
}

/* Sends what is waiting; 0 while the connection lives. */
static int flush_out(struct world *W, struct sconn *c)
{
	ssize_t n;

	while (c->outoff < c->out.len &&
	       (n = write(c->fd, c->out.p + c->outoff, c->out.len - c->outoff)) > 0)
		c->outoff += (size_t)n;
	if (c->outoff < c->out.len) {
		if (errno != EAGAIN)
			return -1;
		struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
		epoll_ctl(W->ep, EPOLL_CTL_MOD, c->fd, &ev);
		return 0;
	}
	c->out.len = c->outoff = 0;
	return c->close_after ? -1 : 0;
}

static void server_event(struct world *W, struct sconn *c, uint32_t events)
{
	char buf[65536];
	ssize_t n;

	if (c->close_after == -1) { /* a listener: take every waiting connection */
		int fd;
		while ((fd = accept4(c->fd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
			struct sconn *nc = calloc(1, sizeof *nc);
			int one = 1;
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
			nc->fd = fd;
			nc->actor = c->actor;
			struct epoll_event ev = {.events = EPOLLIN, .data.ptr = nc};
			epoll_ctl(W->ep, EPOLL_CTL_ADD, fd, &ev);
		}
		return;
	}
	if ((events & EPOLLOUT) && flush_out(W, c) != 0) {
		sconn_free(W, c);
		return;
	}
	while ((n = read(c->fd, buf, sizeof buf)) > 0)
		str_add(&c->in, buf, (size_t)n);
	if (c->in.len)
		serve_requests(W, c);
	if ((c->out.len && flush_out(W, c) != 0) || n == 0 ||
	    (n < 0 && errno != EAGAIN)) {
		sconn_free(W, c);
		return;
	}
}

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void world_loop(struct world *W)
{
	struct epoll_event evs[256];

	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	signal(SIGPIPE, SIG_IGN);
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		int n = epoll_wait(W->ep, evs, 256, 500);
		for (int i = 0; i < n; i++)
			server_event(W, evs[i].data.ptr, evs[i].events);
	}
}

static int cmd_serve(int argc, char **argv)
{
	struct world W = {0};
	struct in_addr lo = {htonl(0x7f000001)};

	W.keys = opt(argc, argv, "--keys", NULL);
	W.nactors = (int)opt_num(argc, argv, "--actors", 500);
	W.port = (int)opt_num(argc, argv, "--port", 0);
	if (!W.keys || !W.port || W.nactors < 1 || W.nactors > MAX_ACTORS)
		die("serve: --keys DIR --actors N --port P --control P");
	W.ep = epoll_create1(0);
	W.actor_doc = calloc((size_t)W.nactors, sizeof(char *));
	W.pem = calloc((size_t)W.nactors, sizeof(char *));
	for (int i = 0; i < W.nactors; i++)
		listen_on(&W, actor_addr(i), W.port, i);
	listen_on(&W, lo, (int)opt_num(argc, argv, "--control", 0), -1);
	world_loop(&W);
	return 0;
}

static int cmd_trivial(int argc, char **argv)
{
	struct world W = {.trivial = 1};
	struct in_addr lo = {htonl(0x7f000001)};

	if (argc < 3)
		die("usage: fedload trivial PORT");
	W.ep = epoll_create1(0);
	listen_on(&W, lo, atoi(argv[2]), -1);
	world_loop(&W);
	return 0;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{"keys", cmd_keys}, {"serve", cmd_serve}, {"trivial", cmd_trivial},
	{"post", cmd_post}, {"get", cmd_get},
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc > 1 && i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc, argv);
	fprintf(stderr, "usage: fedload keys|serve|trivial|post|get ...\n");
	return 2;
}
