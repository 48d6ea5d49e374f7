/*
 * link.c: the session's side of its socket to the listener.
 *
 * The listener keeps every per-address limit (failed logins, invite code
 * tries) in its own memory; sessions report events and ask permission
 * here with one byte each.  A session must never block on the listener
 * for long: a listener that does not answer within two seconds counts
 * as a "no".
 */
#include "sshd/sshd.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#define LINK_TIMEOUT_MS 2000

void link_send(int fd, enum link_msg msg)
{
	char c = (char)msg;

	if (fd < 0)
		return;
	while (write(fd, &c, 1) < 0 && errno == EINTR)
		;
}

int link_join_ask(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char c = 0;
	ssize_t n;

	if (fd < 0)
		return 0;
	link_send(fd, LINK_JOIN_ASK);
	while (poll(&p, 1, LINK_TIMEOUT_MS) < 0 && errno == EINTR)
		;
	do
		n = (p.revents & POLLIN) ? read(fd, &c, 1) : 0;
	while (n < 0 && errno == EINTR);
	if (n == 1 && c == LINK_YES)
		return 0;
	return err_set(CAMP_ELIMIT, "too many invite codes were tried from your address;"
				    " please wait a few minutes");
}
