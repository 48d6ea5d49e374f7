/*
 * lookup.c: the client side of remote-account lookups, as the commands
 * over ssh and the full-screen client use them: connect to the federation
 * child's socket in the camp folder, send one request line, collect one
 * answer line (lookup.h has the protocol).
 *
 * It never blocks but in lookup_account(), whose wait is bounded by the
 * time limit it asked for plus LOOKUP_GRACE_MS.  It never fetches
 * anything itself, and it must not: the federation child is the one
 * process that talks to other servers.
 */
#include "lookup/lookup.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct lookup {
	int fd;		     /* -1 once the lookup is over */
	int64_t deadline_ms; /* mono_ms() past which it has failed */
	int timeout_ms;	     /* what was asked for, for the message */
	struct buf in;	     /* the answer as far as it has come */
};

int lookup_addr_open(const char *dir, struct lookup_addr *a)
{
	size_t need = strlen(dir) + 1 + strlen(LOOKUP_SOCKET) + 1;

	memset(a, 0, sizeof *a);
	a->sa.sun_family = AF_UNIX;
	a->dirfd = -1;
	if (need <= sizeof a->sa.sun_path) {
		snprintf(a->sa.sun_path, sizeof a->sa.sun_path, "%s/%s", dir,
			 LOOKUP_SOCKET);
	} else {
		a->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (a->dirfd < 0)
			return err_set(CAMP_EIO, "cannot open %s: %s", dir,
				       strerror(errno));
		snprintf(a->sa.sun_path, sizeof a->sa.sun_path, "/proc/self/fd/%d/%s",
			 a->dirfd, LOOKUP_SOCKET);
	}
	a->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
			     strlen(a->sa.sun_path) + 1);
	return 0;
}

void lookup_addr_close(struct lookup_addr *a)
{
	if (a->dirfd >= 0)
		close(a->dirfd);
	a->dirfd = -1;
}

/* What a failed connect() means to the person who asked. */
static int connect_error(int e)
{
	if (e == ENOENT || e == ECONNREFUSED)
		return err_set(CAMP_EIO, "the camp's federation process is not running, "
					 "so accounts on other servers cannot be looked "
					 "up now");
	if (e == EAGAIN)
		return err_set(CAMP_ELIMIT, "the camp is looking up too many accounts at "
					    "once; try again in a moment");
	return err_set(CAMP_EIO, "cannot reach the camp's federation process: %s",
		       strerror(e));
}

/* A connected, non-blocking socket to the federation child in *fd. */
static int lookup_connect(const char *dir, int *fd)
{
	struct lookup_addr a;
	int r = 0;

	if ((r = lookup_addr_open(dir, &a)) != 0)
		return r;
	*fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (*fd < 0)
		r = err_set(CAMP_EIO, "socket: %s", strerror(errno));
	else if (connect(*fd, (struct sockaddr *)&a.sa, a.len) != 0)
		r = connect_error(errno);
	lookup_addr_close(&a);
	if (r != 0 && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	return r;
}

int lookup_start(const char *dir, const char *acct, int timeout_ms, struct lookup **out)
{
	struct buf req = BUF_INIT;
	int fd = -1, r;
	ssize_t n;

	*out = NULL;
	if (acct[0] == '@')
		acct++;
	if (timeout_ms < 1)
		timeout_ms = 1;
	if (timeout_ms > LOOKUP_TIMEOUT_MAX_MS)
		timeout_ms = LOOKUP_TIMEOUT_MAX_MS;
	if ((r = lookup_request_format(acct, timeout_ms, &req)) == 0 &&
	    (r = lookup_connect(dir, &fd)) == 0) {
		/* A fresh socket takes one short line whole, or none of it. */
		if ((n = send(fd, req.data, req.len, MSG_NOSIGNAL)) < 0)
			r = connect_error(errno == EPIPE ? ECONNREFUSED : errno);
		else if ((size_t)n != req.len)
			r = err_set(CAMP_EIO, "the camp's federation process took only "
					      "part of a lookup");
	}
	buf_free(&req);
	if (r != 0) {
		if (fd >= 0)
			close(fd);
		return r;
	}
	struct lookup *l = xcalloc(1, sizeof *l);
	l->fd = fd;
	l->timeout_ms = timeout_ms;
	l->deadline_ms = mono_ms() + timeout_ms + LOOKUP_GRACE_MS;
	*out = l;
	return 0;
}

int lookup_fd(const struct lookup *l)
{
	return l->fd;
}

int lookup_wait_ms(const struct lookup *l)
{
	int64_t left = l->deadline_ms - mono_ms();

	return left > 0 ? (int)left : 0;
}

/* Reads what the socket holds.  1 at end of file, 0 when it would
 * block, CAMP_EIO on an error, CAMP_EINVAL for an answer too long. */
static int read_some(struct lookup *l)
{
	char chunk[LOOKUP_LINE_MAX];

	for (;;) {
		ssize_t n = recv(l->fd, chunk, sizeof chunk, 0);
		if (n > 0 && l->in.len + (size_t)n <= LOOKUP_LINE_MAX) {
			buf_append(&l->in, chunk, (size_t)n);
		} else if (n > 0) {
			return err_set(CAMP_EINVAL, "the federation process gave an "
						    "answer too long to read");
		} else if (n == 0) {
			return 1;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			return 0;
		} else if (errno != EINTR) {
			return err_set(CAMP_EIO,
				       "the camp's federation process went "
				       "away: %s",
				       strerror(errno));
		}
	}
}

/* The result of a lookup that is not pending any more. */
static int lookup_result(struct lookup *l, int64_t *account_id)
{
	int eof = read_some(l);
	const char *nl = l->in.len ? memchr(l->in.data, '\n', l->in.len) : NULL;

	if (nl && nl + 1 == l->in.data + l->in.len)
		return lookup_answer_parse(l->in.data, (size_t)(nl - l->in.data),
					   account_id);
	if (nl)
		return err_set(CAMP_EINVAL, "the federation process gave an answer "
					    "the camp cannot read");
	if (eof < 0)
		return eof;
	if (eof)
		return err_set(CAMP_EIO, "the camp's federation process stopped "
					 "before it answered");
	if (mono_ms() >= l->deadline_ms)
		return err_set(CAMP_ETIMEDOUT, "no answer within %d seconds",
			       (l->timeout_ms + 999) / 1000);
	return LOOKUP_PENDING;
}

int lookup_finish(struct lookup *l, int64_t *account_id)
{
	int r;

	if (l->fd < 0)
		return err_set(CAMP_EINVAL, "this lookup is over already");
	if ((r = lookup_result(l, account_id)) != LOOKUP_PENDING) {
		close(l->fd);
		l->fd = -1;
	}
	return r;
}

void lookup_free(struct lookup *l)
{
	if (l == NULL)
		return;
	if (l->fd >= 0)
		close(l->fd);
	buf_free(&l->in);
	free(l);
}

int lookup_account(const char *dir, const char *acct, int timeout_ms, int64_t *account_id)
{
	struct lookup *l;
	int r;

	if ((r = lookup_start(dir, acct, timeout_ms, &l)) != 0)
		return r;
	while ((r = lookup_finish(l, account_id)) == LOOKUP_PENDING) {
		struct pollfd p = {.fd = lookup_fd(l), .events = POLLIN};
		if (poll(&p, 1, lookup_wait_ms(l)) < 0 && errno != EINTR) {
			r = err_set(CAMP_EIO, "poll: %s", strerror(errno));
			break;
		}
	}
	lookup_free(l);
	return r;
}
