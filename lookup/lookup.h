/*
 * lookup.h: finding an account on another server by its handle
 * (bob@example.social), for the rooms that serve members: sshd/ (the
 * commands over ssh) and tui/ (the full-screen client).
 *
 * Sessions never fetch from other servers themselves.  The federation
 * child does every lookup (WebFinger, then the signed fetch of the actor,
 * through the same private-address guard as every other fetch: see
 * federation/lookup-serve.c) and answers with the id of the account it
 * has stored; the caller then reads that account through store/.  The
 * two talk over an AF_UNIX stream socket in the camp folder,
 * DIR/lookup.sock (mode 0600, made by the federation child), one line
 * each way on a connection of its own:
 *
 *   account NAME@HOST MS      look NAME@HOST up, taking at most MS
 *                             milliseconds (1 to LOOKUP_TIMEOUT_MAX_MS)
 *   ok ID                     found: the account's id in the store
 *   error CODE MESSAGE        not found or not reachable: CODE names a
 *                             CAMP_E* code ("enoent", "eio", ...), MESSAGE
 *                             is one line for a person
 *
 * Both lines end in \n and are at most LOOKUP_LINE_MAX bytes; both ends
 * parse strictly.  The socket is the one way a member's session reaches
 * into the federation child, so the server takes every request as
 * untrusted input.  lookup/ depends on common/ only; federation/ uses
 * the protocol half of it to serve.
 */
#ifndef CAMP_LOOKUP_H
#define CAMP_LOOKUP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "common/common.h"

#define LOOKUP_SOCKET "lookup.sock" /* in the camp folder */
#define LOOKUP_LINE_MAX 512	    /* bytes in a line, \n included */
#define LOOKUP_NAME_MAX 64	    /* the part before the @ */
#define LOOKUP_HOST_MAX 253	    /* a DNS name, without the :PORT */
#define LOOKUP_MSG_MAX 300	    /* bytes of an error's message */
#define LOOKUP_TIMEOUT_MAX_MS 10000 /* the longest any lookup may take */
#define LOOKUP_GRACE_MS 1000	    /* a client waits this much past its limit */
#define LOOKUP_PENDING 1	    /* lookup_finish(): no answer yet */

/* ---- lookup-proto.c: the two lines, for both ends ----------------------- */

/* A request as the server takes it. */
struct lookup_request {
	char acct[LOOKUP_NAME_MAX + 1 + LOOKUP_HOST_MAX + 7]; /* NAME@HOST[:PORT] */
	int timeout_ms;
};

/* 0 if acct is a handle the camp looks up: NAME@HOST, NAME of 1 to
 * LOOKUP_NAME_MAX letters, digits, '_', '.' or '-'; HOST a DNS name (or
 * IPv4 address) of dot-separated labels of letters, digits and '-',
 * optionally with :PORT (1-65535).  ASCII only, no leading '@'.
 * CAMP_EINVAL with a message otherwise. */
int lookup_acct_check(const char *acct);
/* The request line for acct (checked as above) into out (reset first),
 * with its \n.  0 or CAMP_EINVAL; timeout_ms must be in range. */
int lookup_request_format(const char *acct, int timeout_ms, struct buf *out);
/* Parses one request line of len bytes, without its \n: exactly
 * "account ACCT MS" with one space between the words, ACCT as
 * lookup_acct_check() wants it and MS a decimal number from 1 to
 * LOOKUP_TIMEOUT_MAX_MS without leading zeros.  Any byte may come in
 * (NULs too).  0 with *out filled, or CAMP_EINVAL with a message. */
int lookup_request_parse(const char *line, size_t len, struct lookup_request *out);
/* The answer line for a found account, or for an error code (CAMP_E*)
 * with msg, which is made one line of printable text of at most
 * LOOKUP_MSG_MAX bytes (valid UTF-8 kept, controls and invalid bytes
 * replaced).  out is reset first; the line ends in \n. */
void lookup_answer_ok(struct buf *out, int64_t account_id);
void lookup_answer_error(struct buf *out, int code, const char *msg);
/* Parses one answer line (without its \n): 0 with *account_id for "ok
 * ID"; the code of "error CODE MESSAGE" with MESSAGE as err_last(); or
 * CAMP_EINVAL when the line is neither. */
int lookup_answer_parse(const char *line, size_t len, int64_t *account_id);

/* ---- lookup.c: the socket, and the client ------------------------------- */

/* Where the socket of the camp in a folder is.  DIR/lookup.sock itself
 * when it fits in a sockaddr_un; otherwise /proc/self/fd/N/lookup.sock,
 * N being an O_PATH descriptor of DIR held in dirfd, so a camp folder may
 * have a path of any length and nobody has to chdir.  Used by both ends. */
struct lookup_addr {
	struct sockaddr_un sa;
	socklen_t len;
	int dirfd; /* -1 when the path is used directly */
};
/* Fills a for dir.  0, or CAMP_EIO when dir cannot be opened.  Close with
 * lookup_addr_close() once bound or connected. */
int lookup_addr_open(const char *dir, struct lookup_addr *a);
void lookup_addr_close(struct lookup_addr *a);

struct lookup; /* one lookup under way */

/* Asks the federation child of the camp in dir to look acct up
 * ("name@host", a leading '@' allowed), taking at most timeout_ms
 * (clamped to 1..LOOKUP_TIMEOUT_MAX_MS).  Never blocks: the answer is
 * collected with lookup_finish() when lookup_fd() is readable.  Returns
 * 0 with *out (the caller's, for lookup_free), CAMP_EINVAL for a
 * malformed handle, CAMP_EIO when the federation process is not running
 * (say so plainly: nothing else can do the lookup), or CAMP_ELIMIT when
 * it is too busy to take one more. */
int lookup_start(const char *dir, const char *acct, int timeout_ms, struct lookup **out);
/* The descriptor to poll for input while the answer is awaited. */
int lookup_fd(const struct lookup *l);
/* Milliseconds until the lookup gives up (0 once it has): the longest a
 * poll for it needs to wait. */
int lookup_wait_ms(const struct lookup *l);
/* Takes what has arrived, without blocking.  LOOKUP_PENDING while the
 * answer is still to come; 0 with *account_id; the federation child's
 * error (CAMP_ENOENT no such account, CAMP_EIO its server unreachable,
 * ...) with its message; CAMP_ETIMEDOUT once the time is up; CAMP_EIO if
 * the federation process went away; CAMP_EINVAL for a malformed answer.
 * After anything but LOOKUP_PENDING the lookup is over. */
int lookup_finish(struct lookup *l, int64_t *account_id);
/* Ends a lookup, answered or not (an unanswered one is abandoned: the
 * account may still be stored, but nobody waits for it).  NULL is fine. */
void lookup_free(struct lookup *l);
/* lookup_start(), then waiting for the answer: blocks for at most
 * timeout_ms + LOOKUP_GRACE_MS.  The same results as lookup_finish(),
 * or lookup_start()'s errors. */
int lookup_account(const char *dir, const char *acct, int timeout_ms,
		   int64_t *account_id);

#endif
