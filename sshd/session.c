/*
 * session.c: one SSH connection, in its own process: key exchange,
 * public-key authentication, the channel and its requests, then either
 * one command (exec.c) or the full-screen client (pty.c).
 *
 * The session starts with nothing but the connection, its link to the
 * listener and the log: every other inherited fd is closed first.  A
 * login must finish within login_grace (alarm plus SSH_OPTIONS_TIMEOUT).
 * Only public keys authenticate; a wrong key and an unknown name get the
 * same refusal, so nobody learns which names exist.  This process must
 * never let a failure here reach the listener or another member.
 */
#include "sshd/sshd.h"

#include <errno.h>
#include <fcntl.h>
#include <libssh/server.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_AUTH_TRIES 6
#define FD_CONN 3
#define FD_LINK 4

static volatile sig_atomic_t serving, stopping;
static int sig_fds[2] = {-1, -1};

int session_stopping(void)
{
	return stopping;
}

/* SIGTERM: before the session serves anything there is nothing to say
 * goodbye to; after, the loops notice through the self-pipe. */
static void on_term(int sig)
{
	(void)sig;
	if (!serving)
		_exit(0);
	stopping = 1;
	if (write(sig_fds[1], "t", 1) < 0) {
		/* already woken */
	}
}

static void on_alarm(int sig)
{
	static const char msg[] = "session: login grace time is over; dropping\n";

	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
		/* nothing more to do */
	}
	_exit(0);
}

static void session_signals(void)
{
	struct sigaction sa;

	if (pipe2(sig_fds, O_CLOEXEC | O_NONBLOCK) != 0)
		fatal("pipe: %s", strerror(errno));
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
}

/* Keeps only the connection, the link and stdin/out/err. */
static void session_fds(struct session_spec *spec)
{
	int conn = fcntl(spec->fd, F_DUPFD_CLOEXEC, 10);
	int link = fcntl(spec->link_fd, F_DUPFD_CLOEXEC, 10);

	if (conn < 0 || link < 0 || dup3(conn, FD_CONN, O_CLOEXEC) < 0 ||
	    dup3(link, FD_LINK, O_CLOEXEC) < 0)
		fatal("cannot arrange the session's fds: %s", strerror(errno));
	close_range(FD_LINK + 1, ~0U, 0);
	spec->fd = FD_CONN;
	spec->link_fd = FD_LINK;
}

static void tcp_options(int fd, const struct config *cfg)
{
	int one = 1, idle = (int)cfg->keepalive, cnt = 3;
	unsigned int user_timeout = (unsigned int)cfg->keepalive * 3000u;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &idle, sizeof idle);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
	setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout, sizeof user_timeout);
}

/* ---- authentication ---- */

/* Decides whether (user, key) may log in; the reason goes to the log
 * only.  Stores the member's id (0 for join@). */
static int auth_check(struct conn *c, const char *user, ssh_key key, int64_t *id,
		      char fp[SSHKEY_FP_LEN])
{
	char name[40];

	*id = 0;
	if (strlen(user) == 0 || strlen(user) > 30)
		return err_set(CAMP_EINVAL, "not a possible name");
	username_fold(user, name, sizeof name);
	if (sshkey_allowed(key) != 0 || sshkey_fingerprint(key, fp) != 0)
		return CAMP_EPERM;
	if (strcmp(name, "join") == 0)
		return 0;
	if (key_lookup(c->st, name, fp, id) == 0)
		return 0;
	struct account a;
	if (account_get_member(c->st, name, &a) != 0)
		return err_set(CAMP_ENOENT, "no member called %s", name);
	account_free(&a);
	return err_set(CAMP_EPERM, "key %s is not one of %s's", fp, name);
}

static void auth_success(struct conn *c, const char *user, ssh_key key, int64_t id)
{
	username_fold(user, c->user, sizeof c->user);
	c->is_join = strcmp(c->user, "join") == 0;
	c->account_id = id;
	if (sshkey_describe(key, &c->key) != 0)
		fatal("an accepted key cannot be described: %s", err_last());
	c->authed = 1;
	/* join@ takes any key, so it is no login: until the join succeeds
	 * the connection keeps counting against its address's limit. */
	if (!c->is_join) {
		link_send(c->spec->link_fd, LINK_AUTHED);
		key_touch(c->st, id, c->key.fingerprint);
	}
	log_info("%s logged in from %s with %s %s", c->user, c->spec->peer, c->key.type,
		 c->key.fingerprint);
}

static int on_auth_pubkey(ssh_session s, const char *user, struct ssh_key_struct *key,
			  char state, void *ud)
{
	struct conn *c = ud;
	char fp[SSHKEY_FP_LEN] = "";
	int64_t id;

	(void)s;
	if (!c->authed &&
	    (state == SSH_PUBLICKEY_STATE_NONE || state == SSH_PUBLICKEY_STATE_VALID)) {
		if (auth_check(c, user, key, &id, fp) == 0) {
			if (state == SSH_PUBLICKEY_STATE_VALID)
				auth_success(c, user, key, id);
			return SSH_AUTH_SUCCESS;
		}
		log_info("login refused for '%.40s' from %s: %s", user, c->spec->peer,
			 err_last());
	} else {
		log_info("login refused for '%.40s' from %s: bad signature", user,
			 c->spec->peer);
	}
	c->failures++;
	link_send(c->spec->link_fd, LINK_AUTH_FAILED);
	return SSH_AUTH_DENIED;
}

static int on_auth_none(ssh_session s, const char *user, void *ud)
{
	(void)s;
	(void)user;
	(void)ud;
	return SSH_AUTH_DENIED;
}

/* ---- the channel ---- */

static int on_pty(ssh_session s, ssh_channel ch, const char *term, int cols, int rows,
		  int px, int py, void *ud)
{
	struct conn *c = ud;
	size_t i;

	(void)s, (void)ch, (void)px, (void)py;
	/* Only a plain terminal name reaches the UI's environment. */
	for (i = 0; term[i] && i + 1 < sizeof c->term; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789.+-_",
			    term[i]))
			break;
	if (term[i] != '\0') /* an odd name; an empty one stays empty (no TERM) */
		snprintf(c->term, sizeof c->term, "xterm-256color");
	else
		snprintf(c->term, sizeof c->term, "%s", term);
	c->pty = 1;
	c->cols = cols > 0 && cols < 10000 ? cols : 80;
	c->rows = rows > 0 && rows < 10000 ? rows : 24;
	return 0;
}

static int on_winch(ssh_session s, ssh_channel ch, int cols, int rows, int px, int py,
		    void *ud);

static int on_shell(ssh_session s, ssh_channel ch, void *ud)
{
	struct conn *c = ud;

	(void)s, (void)ch;
	if (c->req != REQ_NONE)
		return 1;
	c->req = REQ_SHELL;
	return 0;
}

static int on_exec(ssh_session s, ssh_channel ch, const char *command, void *ud)
{
	struct conn *c = ud;

	(void)s, (void)ch;
	if (c->req != REQ_NONE || strlen(command) > CMD_STDIN_MAX)
		return 1;
	c->req = REQ_EXEC;
	c->command = xstrdup(command);
	return 0;
}

static int on_env(ssh_session s, ssh_channel ch, const char *name, const char *value,
		  void *ud)
{
	(void)s, (void)ch, (void)name, (void)value, (void)ud;
	return 0; /* accepted and ignored: the UI always runs in C.UTF-8 */
}

static int on_data(ssh_session s, ssh_channel ch, void *data, uint32_t len, int is_stderr,
		   void *ud)
{
	struct conn *c = ud;

	(void)s, (void)ch, (void)is_stderr;
	c->last_input_ms = mono_ms();
	/* Past the limit the bytes are dropped, not refused: unconsumed data
	 * would only come back with the next packet. */
	if (c->input.len <= 256 * 1024)
		buf_append(&c->input, data, len);
	return (int)len;
}

static void on_eof(ssh_session s, ssh_channel ch, void *ud)
{
	(void)s, (void)ch;
	((struct conn *)ud)->input_eof = 1;
}

static void on_close(ssh_session s, ssh_channel ch, void *ud)
{
	(void)s, (void)ch;
	((struct conn *)ud)->closed = 1;
}

static ssh_channel on_open(ssh_session s, void *ud)
{
	struct conn *c = ud;

	if (!c->authed || c->ch != NULL)
		return NULL; /* one session channel per connection */
	c->ch = ssh_channel_new(s);
	if (c->ch == NULL)
		return NULL;
	c->ccb = (struct ssh_channel_callbacks_struct){
		.userdata = c,
		.channel_pty_request_function = on_pty,
		.channel_pty_window_change_function = on_winch,
		.channel_shell_request_function = on_shell,
		.channel_exec_request_function = on_exec,
		.channel_env_request_function = on_env,
		.channel_data_function = on_data,
		.channel_eof_function = on_eof,
		.channel_close_function = on_close,
	};
	ssh_callbacks_init(&c->ccb);
	ssh_set_channel_callbacks(c->ch, &c->ccb);
	return c->ch;
}

/* The window-change callback lives here; pty.c resizes the pty. */
static int on_winch(ssh_session s, ssh_channel ch, int cols, int rows, int px, int py,
		    void *ud)
{
	struct conn *c = ud;

	(void)s, (void)ch, (void)px, (void)py;
	if (cols <= 0 || rows <= 0 || cols >= 10000 || rows >= 10000)
		return 0;
	c->cols = cols;
	c->rows = rows;
	if (c->master >= 0) {
		struct winsize ws = {.ws_row = (unsigned short)rows,
				     .ws_col = (unsigned short)cols};
		ioctl(c->master, TIOCSWINSZ, &ws);
	}
	return 0;
}

/* ---- the session's life ---- */

static int session_handshake(struct conn *c)
{
	long timeout = c->cfg->login_grace;

	c->s = ssh_new();
	if (c->s == NULL)
		return err_set(CAMP_ENOMEM, "ssh_new failed");
	ssh_options_set(c->s, SSH_OPTIONS_TIMEOUT, &timeout);
	if (ssh_bind_accept_fd(c->spec->bind, c->s, c->spec->fd) != SSH_OK) {
		close(c->spec->fd);
		return err_set(CAMP_EIO, "%s", ssh_get_error(c->spec->bind));
	}
	ssh_bind_free(c->spec->bind);
	c->spec->bind = NULL;
	c->scb = (struct ssh_server_callbacks_struct){
		.userdata = c,
		.auth_none_function = on_auth_none,
		.auth_pubkey_function = on_auth_pubkey,
		.channel_open_request_session_function = on_open,
	};
	ssh_callbacks_init(&c->scb);
	ssh_set_server_callbacks(c->s, &c->scb);
	ssh_set_auth_methods(c->s, SSH_AUTH_METHOD_PUBLICKEY);
	if (ssh_handle_key_exchange(c->s) != SSH_OK)
		return err_set(CAMP_EIO, "key exchange failed: %s",
			       ssh_get_error(c->s)[0] ? ssh_get_error(c->s) : "timeout");
	c->ev = ssh_event_new();
	if (c->ev == NULL || ssh_event_add_session(c->ev, c->s) != SSH_OK)
		return err_set(CAMP_EIO, "cannot poll the connection");
	return 0;
}

/* Runs the connection until it is authenticated and has asked for a
 * shell or a command. */
static int session_wait_request(struct conn *c)
{
	while (!(c->authed && c->ch != NULL && c->req != REQ_NONE)) {
		if (ssh_event_dopoll(c->ev, 1000) == SSH_ERROR || c->closed)
			return err_set(CAMP_EIO, "the client went away");
		if (c->failures >= MAX_AUTH_TRIES) {
			ssh_disconnect(c->s);
			return err_set(CAMP_EPERM, "too many failed logins");
		}
	}
	return 0;
}

/* A suspended member gets the reason, and nothing else. */
static int session_check_member(struct conn *c)
{
	struct account a;
	struct buf msg = BUF_INIT;
	int r;

	if (c->is_join)
		return 0;
	if ((r = account_get(c->st, c->account_id, &a)) != 0)
		return r;
	if (a.suspended_at) {
		buf_puts(&msg, "Your account on ");
		text_sanitize(&msg, c->cfg->camp_name, strlen(c->cfg->camp_name),
			      TEXT_NAME);
		buf_puts(&msg, " is suspended");
		if (a.suspend_reason[0]) {
			buf_puts(&msg, ": ");
			text_sanitize(&msg, a.suspend_reason, strlen(a.suspend_reason),
				      0);
		}
		buf_puts(&msg, "\n");
		log_info("%s is suspended; closing", c->user);
		r = CAMP_EPERM;
		conn_write(c, msg.data, msg.len, 1);
	}
	account_free(&a);
	buf_free(&msg);
	return r;
}

static CAMP_NORETURN void session_end(struct conn *c, int status)
{
	if (c->ev && c->s)
		ssh_event_remove_session(c->ev, c->s);
	if (c->ev)
		ssh_event_free(c->ev);
	if (c->s) {
		ssh_disconnect(c->s);
		ssh_free(c->s);
	}
	if (c->spec->bind)
		ssh_bind_free(c->spec->bind);
	store_close(c->st);
	sshkey_info_free(&c->key);
	free(c->command);
	buf_free(&c->input);
	exit(status);
}

static int session_open_store(struct conn *c)
{
	char *path = xasprintf("%s/camp.db", c->spec->dir);
	int r = store_open(path, 0, &c->st);

	free(path);
	return r;
}

int session_reopen_store(struct conn *c)
{
	int r = c->st ? 0 : session_open_store(c);

	if (r != 0)
		log_warn("the session cannot open the database: %s", err_last());
	return r;
}

void session_main(struct session_spec *spec)
{
	struct conn c;

	memset(&c, 0, sizeof c);
	c.spec = spec;
	c.cfg = spec->cfg;
	c.master = -1;
	log_set_role("session");
	setsid();
	/* The fds first: session_fds() closes every fd above the link, and
	 * the self-pipe must outlive that. */
	session_fds(spec);
	session_signals();
	alarm((unsigned int)spec->cfg->login_grace);
	c.sig_read = sig_fds[0];
	tcp_options(spec->fd, spec->cfg);
	/* The store opens first: libssh may run the auth callbacks as soon as
	 * the key exchange has read the client's next packets. */
	if (session_open_store(&c) != 0 || session_handshake(&c) != 0 ||
	    session_wait_request(&c) != 0) {
		log_debug("%s: %s", spec->peer, err_last());
		session_end(&c, 0);
	}
	alarm(0);
	serving = 1;
	if (stopping || session_check_member(&c) != 0)
		conn_finish(&c, 1);
	else if (c.req == REQ_EXEC)
		conn_finish(&c, session_exec(&c));
	else
		conn_finish(&c, session_shell(&c));
	session_end(&c, 0);
}
