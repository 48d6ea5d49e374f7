/*
 * exec.c: `ssh NAME@HOST COMMAND`: runs one command from the table in
 * this session process, then ends the channel with its exit status.
 *
 * stdin is read only when a command asks for it (cmd_stdin), so
 * `ssh camp whoami` typed at a terminal never waits for ^D.  Output is
 * gathered in buffers and written after the command; stdout and stderr
 * stay separate.  A member's command counts as a moment online
 * (presence).  This file must never write to the channel after
 * conn_finish(), and never drop the exit status.
 */
#include "sshd/sshd.h"

#include <libssh/server.h>
#include <string.h>
#include <unistd.h>

#define WRITE_CHUNK 32768
#define LINGER_MS 2000

int conn_write(struct conn *c, const char *data, size_t len, int is_stderr)
{
	struct buf crlf = BUF_INIT;

	if (c->pty) { /* the client's terminal is raw: \n alone would staircase */
		for (size_t i = 0; i < len; i++) {
			if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
				buf_putc(&crlf, '\r');
			buf_putc(&crlf, data[i]);
		}
		data = buf_str(&crlf);
		len = crlf.len;
	}
	ssh_set_blocking(c->s, 1);
	while (len > 0 && !c->closed) {
		uint32_t n = len > WRITE_CHUNK ? WRITE_CHUNK : (uint32_t)len;
		int w = is_stderr ? ssh_channel_write_stderr(c->ch, data, n)
				  : ssh_channel_write(c->ch, data, n);
		if (w <= 0)
			break;
		data += w;
		len -= (size_t)w;
	}
	buf_free(&crlf);
	return len == 0 ? 0 : err_set(CAMP_EIO, "the client stopped reading");
}

void conn_finish(struct conn *c, int status)
{
	int64_t deadline = mono_ms() + LINGER_MS;

	ssh_set_blocking(c->s, 1);
	if (!c->closed) {
		ssh_channel_request_send_exit_status(c->ch, status);
		ssh_channel_send_eof(c->ch);
	}
	ssh_channel_close(c->ch);
	ssh_blocking_flush(c->s, LINGER_MS);
	/* The client answers our CLOSE and then hangs up; wait for that so
	 * nothing buffered (the exit status above all) is lost. */
	while (!(ssh_get_status(c->s) & (SSH_CLOSED | SSH_CLOSED_ERROR)) &&
	       mono_ms() < deadline)
		if (ssh_event_dopoll(c->ev, 100) == SSH_ERROR)
			break;
}

/* cmd_ctx's read_input: runs the connection until the client's EOF. */
static int exec_read_input(void *io, struct buf *in, size_t max)
{
	struct conn *c = io;

	while (!c->input_eof && !c->closed && c->input.len <= max && !session_stopping())
		if (ssh_event_dopoll(c->ev, 1000) == SSH_ERROR)
			break;
	if (session_stopping())
		return err_set(CAMP_EIO, "the camp is restarting");
	buf_append(in, c->input.data ? c->input.data : "",
		   c->input.len > max ? max + 1 : c->input.len);
	return 0;
}

void sshd_presence_begin(struct store *st, int64_t account_id, int64_t *presence)
{
	if (presence_begin(st, account_id, (int)getpid(), presence) != 0) {
		log_debug("cannot note who is online: %s", err_last());
		*presence = 0;
	}
}

void sshd_presence_end(struct store *st, int64_t presence)
{
	if (presence != 0 && presence_end(st, presence) != 0)
		log_debug("cannot note who left: %s", err_last());
}

int session_exec(struct conn *c)
{
	struct cmd_ctx ctx;
	struct account me;
	int64_t presence = 0;
	int status;

	memset(&me, 0, sizeof me);
	if (!c->is_join && account_get(c->st, c->account_id, &me) != 0) {
		static const char msg[] = "camp: cannot read your account\n";
		conn_write(c, msg, sizeof msg - 1, 1);
		return 1;
	}
	if (!c->is_join)
		sshd_presence_begin(c->st, c->account_id, &presence);
	cmd_ctx_init(&ctx);
	ctx.st = c->st;
	ctx.cfg = c->cfg;
	ctx.dir = c->spec->dir;
	ctx.me = c->is_join ? NULL : &me;
	ctx.key = &c->key;
	ctx.link_fd = c->spec->link_fd;
	ctx.read_input = exec_read_input;
	ctx.io = c;
	status = cmd_run_line(&ctx, c->is_join ? join_table : cmd_table, c->command);
	/* Only the command's name: its arguments may be private (a post, a code). */
	log_info("%s ran %.*s: exit %d", c->user, (int)strcspn(c->command, " \t\r\n"),
		 c->command, status);
	conn_write(c, ctx.out.data, ctx.out.len, 0);
	conn_write(c, ctx.err.data, ctx.err.len, 1);
	cmd_ctx_free(&ctx);
	account_free(&me);
	sshd_presence_end(c->st, presence);
	return status;
}
