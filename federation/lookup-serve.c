/*
 * lookup-serve.c: the federation child's side of remote-account lookups.
 * Members' sessions and UIs never fetch from other servers; they ask
 * here, on DIR/lookup.sock (lookup/lookup.h has the protocol), and this
 * answers with the id of the account federation_resolve() stored
 * (WebFinger, then the signed fetch of the actor, through the same
 * private-address guard as every other fetch).
 *
 * The socket is the one way into this process from a member's session,
 * so a request is treated like anything from outside: it must arrive
 * whole within REQUEST_MS, be at most LOOKUP_LINE_MAX bytes and parse
 * strictly.  LOOKUP_WORKERS threads take connections, so at most that
 * many lookups run at once, each within the time its client allowed
 * (never more than LOOKUP_TIMEOUT_MAX_MS); more wait in the listen
 * backlog, and a client that finds even that full is told the camp is
 * busy.  Each worker has a store of its own, as every thread here does.
 * Nothing is logged about who looks up whom.
 */
#include "federation/federation.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lookup/lookup.h"

#define LOOKUP_WORKERS 4 /* lookups under way at once */
#define LOOKUP_BACKLOG 16
#define REQUEST_MS 1000 /* a client sends its line as it connects */

struct lookup_server {
	const struct config *cfg;
	char *db_path;
	char *sock_path;
	int listen_fd;
	int bound;   /* sock_path is ours to remove */
	int stop[2]; /* a pipe: closing stop[1] wakes every worker */
	pthread_t threads[LOOKUP_WORKERS];
	int nthreads;
};

/* Reads one request line from fd (without its \n) into line, waiting at
 * most REQUEST_MS for all of it.  CAMP_EINVAL for a line too long or
 * anything after it, CAMP_EIO when the client went quiet or away. */
static int read_request(int fd, struct buf *line)
{
	int64_t deadline = mono_ms() + REQUEST_MS;
	char chunk[LOOKUP_LINE_MAX + 1];
	const char *nl = NULL;

	while (nl == NULL) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int left = (int)(deadline - mono_ms());
		if (left <= 0 || poll(&p, 1, left) <= 0)
			return err_set(CAMP_EIO, "no request in time");
		ssize_t n = recv(fd, chunk, sizeof chunk, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return err_set(CAMP_EIO, "the client went away");
		buf_append(line, chunk, (size_t)n);
		if (line->len > LOOKUP_LINE_MAX)
			return err_set(CAMP_EINVAL, "the request is too long");
		nl = memchr(line->data, '\n', line->len);
	}
	if (nl + 1 != line->data + line->len)
		return err_set(CAMP_EINVAL, "one request per connection");
	line->len = (size_t)(nl - line->data);
	return 0;
}

/* 1 when the client has hung up already (it sends nothing after its
 * line, so anything readable is the end): no use looking up for it. */
static int client_gone(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN | POLLRDHUP};

	return poll(&p, 1, 0) > 0;
}

/* Answers one connection. */
static void serve_one(struct lookup_server *s, struct store *st, int fd)
{
	struct lookup_request req;
	struct buf line = BUF_INIT, answer = BUF_INIT;
	int64_t id = 0;
	int r;

	if ((r = read_request(fd, &line)) == 0 &&
	    (r = lookup_request_parse(line.data, line.len, &req)) == 0) {
		if (client_gone(fd))
			goto out;
		r = federation_resolve(st, s->cfg, req.acct, req.timeout_ms, &id);
	}
	if (r == 0)
		lookup_answer_ok(&answer, id);
	else
		lookup_answer_error(&answer, r, err_last());
	if (send(fd, answer.data, answer.len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		log_debug("lookup: the client left before the answer");
out:
	buf_free(&line);
	buf_free(&answer);
}

/* Waits for a connection or the stop; 1 for a connection. */
static int worker_wait(struct lookup_server *s)
{
	struct pollfd p[2] = {{.fd = s->listen_fd, .events = POLLIN},
			      {.fd = s->stop[0], .events = POLLIN}};

	while (poll(p, 2, -1) < 0)
		if (errno != EINTR)
			return 0;
	return p[1].revents == 0;
}

static void *worker_main(void *arg)
{
	struct lookup_server *s = arg;
	struct store *st;

	if (store_open(s->db_path, 0, &st) != 0) {
		log_error("lookup: %s", err_last());
		return NULL;
	}
	while (worker_wait(s)) {
		int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0) {
			serve_one(s, st, fd);
			close(fd);
		} else if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
			log_error("lookup: accept: %s", strerror(errno));
			poll(&(struct pollfd){.fd = s->stop[0], .events = POLLIN}, 1,
			     1000);
		} /* else another worker took it */
	}
	store_close(st);
	return NULL;
}

/* Binds and listens on DIR/lookup.sock, replacing one left by a process
 * that died. */
static int listen_socket(struct lookup_server *s, const char *dir)
{
	struct lookup_addr a;
	int r = 0;

	if ((r = lookup_addr_open(dir, &a)) != 0)
		return r;
	s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0)
		r = err_set(CAMP_EIO, "lookup socket: %s", strerror(errno));
	else if (unlink(s->sock_path) != 0 && errno != ENOENT)
		r = err_set(CAMP_EIO, "cannot remove %s: %s", s->sock_path,
			    strerror(errno));
	else if (bind(s->listen_fd, (struct sockaddr *)&a.sa, a.len) != 0)
		r = err_set(CAMP_EIO, "cannot bind %s: %s", s->sock_path,
			    strerror(errno));
	else if ((s->bound = 1, chmod(s->sock_path, 0600)) != 0 ||
		 listen(s->listen_fd, LOOKUP_BACKLOG) != 0)
		r = err_set(CAMP_EIO, "cannot listen on %s: %s", s->sock_path,
			    strerror(errno));
	lookup_addr_close(&a);
	return r;
}

/* Starts the workers with every signal blocked, so that signals keep
 * going to the federation child's main loop. */
static int workers_start(struct lookup_server *s)
{
	sigset_t all, old;
	int r = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (int i = 0; i < LOOKUP_WORKERS && r == 0; i++) {
		if (pthread_create(&s->threads[i], NULL, worker_main, s) != 0)
			r = err_set(CAMP_EIO, "cannot start a lookup thread");
		else
			s->nthreads++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return r;
}

int lookup_server_start(const char *dir, const struct config *cfg,
			struct lookup_server **out)
{
	struct lookup_server *s = xcalloc(1, sizeof *s);
	int r;

	s->cfg = cfg;
	s->db_path = xasprintf("%s/camp.db", dir);
	s->sock_path = xasprintf("%s/%s", dir, LOOKUP_SOCKET);
	s->listen_fd = s->stop[0] = s->stop[1] = -1;
	*out = NULL;
	if (pipe2(s->stop, O_CLOEXEC) != 0)
		r = err_set(CAMP_EIO, "pipe: %s", strerror(errno));
	else if ((r = listen_socket(s, dir)) == 0)
		r = workers_start(s);
	if (r != 0) {
		lookup_server_stop(s);
		return r;
	}
	*out = s;
	return 0;
}

void lookup_server_stop(struct lookup_server *s)
{
	if (s == NULL)
		return;
	if (s->bound)
		unlink(s->sock_path);
	if (s->stop[1] >= 0)
		close(s->stop[1]);
	for (int i = 0; i < s->nthreads; i++)
		pthread_join(s->threads[i], NULL);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	if (s->stop[0] >= 0)
		close(s->stop[0]);
	free(s->db_path);
	free(s->sock_path);
	free(s);
}
