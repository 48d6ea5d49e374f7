/*
 * pty.c: the full-screen client: a real pty, the UI in a grandchild on
 * its slave side, and the session pumping bytes between the pty master
 * and the SSH channel.
 *
 * The pump respects the client's window (never more than it allows, so
 * a slow client slows the UI instead of filling memory), resizes the pty
 * when the client's window changes, sends keepalives, closes an idle
 * session politely and says goodbye on SIGTERM.  While a member's client
 * is open, the pump keeps them online (presence: a heartbeat every
 * PRESENCE_BEAT_S, from a database handle it opens after the fork).  The
 * UI process keeps only the pty, the log (and for join@ the link to the
 * listener); it opens its own database handle, since SQLite connections
 * must never cross a fork.
 */
#include "sshd/sshd.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utmp.h>

#include "tui/tui.h"

#define OUT_MAX (64 * 1024) /* pty output held for the client at most */
#define UI_FD_LOG 3
#define UI_FD_LINK 4
#define UI_STOP_MS 1500
#define JOIN_IDLE_S 600 /* quiet allowed on a join@ connection */

/* ---- the UI process ---- */

struct ui_ctx {
	struct conn *c;
	struct store *st;
};

static int ui_join_submit(void *ud, const char *code, const char *username,
			  const char *display_name, int64_t *account_id)
{
	struct ui_ctx *u = ud;

	return sshd_join(u->st, u->c->cfg, UI_FD_LINK, &u->c->key, code, username,
			 display_name, 1, account_id);
}

/* The join screen; 0 with *id once joined, else the exit status. */
static int ui_join(struct ui_ctx *u, int64_t *id)
{
	char *path = xasprintf("%s/conduct.txt", u->c->spec->dir), *conduct = NULL;
	struct tui_join_args ja = {
		.dir = u->c->spec->dir,
		.cfg = u->c->cfg,
		.st = u->st,
		.key_type = u->c->key.type,
		.key_base64 = u->c->key.base64,
		.key_fingerprint = u->c->key.fingerprint,
		.submit = ui_join_submit,
		.ud = u,
	};
	int r;

	if (file_read(path, 64 * 1024, &conduct, NULL) != 0)
		conduct = xstrdup(embed_conduct);
	ja.conduct = conduct;
	r = tui_join(&ja, id);
	free(conduct);
	free(path);
	return r < 0 ? 1 : r;
}

static void ui_show_motd(const char *motd)
{
	struct buf b = BUF_INIT;

	text_sanitize(&b, motd, strlen(motd), TEXT_MULTILINE);
	buf_puts(&b, "\n");
	if (write(STDOUT_FILENO, b.data, b.len) < 0) {
		/* the member is gone; the UI will notice */
	}
	buf_free(&b);
}

static int ui_main(struct conn *c)
{
	char *path = xasprintf("%s/camp.db", c->spec->dir);
	struct ui_ctx u = {.c = c};
	struct tui_args ta = {.dir = c->spec->dir, .cfg = c->cfg, .motd = c->spec->motd};
	struct account a;
	int r;

	setlocale(LC_ALL, "");
	r = store_open(path, 0, &u.st);
	free(path);
	if (r != 0) {
		log_error("the UI cannot open the database: %s", err_last());
		return 1;
	}
	ta.st = u.st;
	ta.account_id = c->account_id;
	if (c->is_join && (r = ui_join(&u, &ta.account_id)) != 0)
		goto out;
	if ((r = account_get(u.st, ta.account_id, &a)) != 0)
		goto out;
	ta.first_login = a.onboarded_at == 0;
	account_free(&a);
	ui_show_motd(c->spec->motd);
	r = tui_run(&ta);
out:
	store_close(u.st);
	return r < 0 ? 1 : r;
}

/* Runs in the forked UI process; never returns. */
static CAMP_NORETURN void ui_child(struct conn *c, int master, int slave)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE, SIGALRM};
	int log = fcntl(STDERR_FILENO, F_DUPFD, 10);
	int link = fcntl(c->spec->link_fd, F_DUPFD, 10);
	sigset_t none;

	close(master);
	if (log < 0 || link < 0 || login_tty(slave) != 0)
		_exit(1);
	dup2(log, UI_FD_LOG);
	dup2(link, UI_FD_LINK);
	close_range(c->is_join ? UI_FD_LINK + 1 : UI_FD_LINK, ~0U, 0);
	log_set_fd(UI_FD_LOG);
	log_set_role("ui");
	for (size_t i = 0; i < ARRAY_LEN(sigs); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setenv("TERM", c->term, 1);
	setenv("LANG", "C.UTF-8", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	unsetenv("LINES");
	unsetenv("COLUMNS");
	exit(ui_main(c));
}

/* ---- the pump ---- */

struct pump {
	struct conn *c;
	pid_t ui;
	int64_t presence; /* this session's presence row, or 0 */
	int64_t beat_ms;  /* when to touch it next */
	struct buf out;	  /* from the pty, for the client */
	size_t out_off;
	int registered, eof;
	const char *goodbye;
};

static int on_master(socket_t fd, int revents, void *ud)
{
	struct pump *p = ud;
	char chunk[16384];
	ssize_t n;

	(void)revents;
	n = read(fd, chunk, sizeof chunk);
	if (n > 0)
		buf_append(&p->out, chunk, (size_t)n);
	else if (n == 0 || (errno != EAGAIN && errno != EINTR))
		p->eof = 1; /* EIO: the UI has closed the slave side */
	return 0;
}

static int on_sigfd(socket_t fd, int revents, void *ud)
{
	char drain[16];

	(void)revents, (void)ud;
	while (read(fd, drain, sizeof drain) > 0)
		;
	return 0;
}

/* Client keystrokes to the pty, as far as it takes them. */
static void pump_to_pty(struct pump *p)
{
	struct conn *c = p->c;

	if (c->input.len == 0)
		return;
	ssize_t n = write(c->master, c->input.data, c->input.len);
	if (n > 0) {
		memmove(c->input.data, c->input.data + n, c->input.len - (size_t)n);
		c->input.len -= (size_t)n;
	}
}

/* UI output to the client, as far as its window allows. */
static void pump_to_client(struct pump *p)
{
	struct conn *c = p->c;
	size_t pending = p->out.len - p->out_off;
	uint32_t win = ssh_channel_window_size(c->ch);

	if (pending > 0 && win > 0) {
		uint32_t n = pending < win ? (uint32_t)pending : win;
		int w = ssh_channel_write(c->ch, p->out.data + p->out_off,
					  n > 32768 ? 32768 : n);
		if (w > 0)
			p->out_off += (size_t)w;
	}
	if (p->out_off == p->out.len) {
		buf_reset(&p->out);
		p->out_off = 0;
	}
}

/* Polls the master only while there is room for what it would give. */
static void pump_register(struct pump *p)
{
	struct conn *c = p->c;
	int want = !p->eof && p->out.len - p->out_off < OUT_MAX &&
		   ssh_channel_window_size(c->ch) > 0;

	if (want && !p->registered)
		ssh_event_add_fd(c->ev, c->master, POLLIN, on_master, p);
	else if (!want && p->registered)
		ssh_event_remove_fd(c->ev, c->master);
	p->registered = want;
}

/* Why the pump must stop now (NULL: go on). */
static const char *pump_check(struct pump *p, int64_t now)
{
	struct conn *c = p->c;

	if (p->eof && p->out.len == p->out_off)
		return "";
	if (c->closed || (ssh_get_status(c->s) & (SSH_CLOSED | SSH_CLOSED_ERROR)))
		return "";
	if (session_stopping())
		return "\r\nThe camp is restarting; please connect again in a "
		       "moment.\r\n";
	/* A join@ connection took any key: it gets minutes of quiet, not a
	 * day, so strangers cannot park connections on the join screen.  (A
	 * newcomer's first session, which goes on from there, shares this.) */
	long idle = c->is_join && c->cfg->idle_timeout > JOIN_IDLE_S
			    ? JOIN_IDLE_S
			    : c->cfg->idle_timeout;
	if (now - c->last_input_ms >= idle * 1000)
		return "\r\nClosed after a long quiet spell; see you soon.\r\n";
	return NULL;
}

/* The member's heartbeat: still here.  A row tidied away after a long
 * silence (a suspended laptop) is begun again. */
static void pump_beat(struct pump *p, int64_t now)
{
	struct conn *c = p->c;

	p->beat_ms = now + PRESENCE_BEAT_S * 1000;
	if (c->st == NULL || p->presence == 0)
		return;
	if (presence_touch(c->st, p->presence) == CAMP_ENOENT)
		sshd_presence_begin(c->st, c->account_id, &p->presence);
}

static void pump_loop(struct pump *p)
{
	struct conn *c = p->c;
	int64_t next_keepalive = mono_ms() + c->cfg->keepalive * 1000;

	for (;;) {
		pump_to_pty(p);
		pump_to_client(p);
		pump_register(p);
		int64_t now = mono_ms();
		if ((p->goodbye = pump_check(p, now)) != NULL)
			return;
		if (now >= p->beat_ms)
			pump_beat(p, now);
		if (now >= next_keepalive) {
			ssh_send_keepalive(c->s);
			next_keepalive = now + c->cfg->keepalive * 1000;
		}
		int timeout = c->input.len ? 20 : p->out.len > p->out_off ? 100 : 1000;
		if (ssh_event_dopoll(c->ev, timeout) == SSH_ERROR) {
			p->goodbye = "";
			return;
		}
	}
}

/* Stops the UI if it still runs, keeping what it prints on the way out
 * (curses restoring the screen); returns its exit status. */
static int pump_stop_ui(struct pump *p)
{
	int64_t deadline = mono_ms() + UI_STOP_MS;
	int status = 0, signalled = 0;
	pid_t got;

	while ((got = waitpid(p->ui, &status, WNOHANG)) == 0) {
		if (!signalled)
			kill(p->ui, SIGTERM), signalled = 1;
		if (mono_ms() > deadline)
			kill(p->ui, SIGKILL);
		struct pollfd pf = {.fd = p->c->master, .events = POLLIN};
		if (!p->eof && poll(&pf, 1, 50) > 0)
			on_master(p->c->master, pf.revents, p);
		else
			usleep(20000);
	}
	for (int i = 0; i < 64 && !p->eof; i++) /* what is left, then EIO */
		on_master(p->c->master, POLLIN, p);
	if (got < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int pump_run(struct conn *c, pid_t ui)
{
	struct pump p = {.c = c, .ui = ui};
	int status;

	/* join@ becomes a member only inside the UI: counted from the next
	 * login on. */
	if (!c->is_join && session_reopen_store(c) == 0)
		sshd_presence_begin(c->st, c->account_id, &p.presence);
	p.beat_ms = mono_ms() + PRESENCE_BEAT_S * 1000;
	c->last_input_ms = mono_ms();
	ssh_set_blocking(c->s, 0);
	ssh_event_add_fd(c->ev, c->sig_read, POLLIN, on_sigfd, &p);
	pump_loop(&p);
	if (p.registered)
		ssh_event_remove_fd(c->ev, c->master);
	ssh_event_remove_fd(c->ev, c->sig_read);
	status = pump_stop_ui(&p);
	if (!c->closed) {
		conn_write(c, p.out.data + p.out_off, p.out.len - p.out_off, 0);
		conn_write(c, p.goodbye, strlen(p.goodbye), 0);
	}
	buf_free(&p.out);
	close(c->master);
	c->master = -1;
	if (c->st)
		sshd_presence_end(c->st, p.presence);
	return status;
}

/* join@ with a key that is already a member's: says whose, so the
 * person logs in instead of filling in a form that must fail. */
static int join_key_taken(struct conn *c)
{
	struct account a;
	struct buf msg = BUF_INIT;
	int64_t id;

	if (key_owner(c->st, c->key.fingerprint, &id) != 0 ||
	    account_get(c->st, id, &a) != 0)
		return 0;
	buf_printf(&msg, "This key already belongs to %s.  Log in with:\n  ", a.username);
	config_ssh_command(c->cfg, a.username, &msg);
	buf_putc(&msg, '\n');
	conn_write(c, msg.data, msg.len, 1);
	buf_free(&msg);
	account_free(&a);
	return 1;
}

/* A shell that cannot be served says why: no terminal, or joining is
 * closed.  Returns the exit status, or 0 to go ahead. */
static int shell_refusal(struct conn *c)
{
	const char *msg = NULL;
	int status = 2;

	if (!c->pty && c->is_join)
		msg = "The join screen needs a terminal (ssh -t), or run: join CODE "
		      "USERNAME\n";
	else if (!c->pty)
		msg = "The camp's client needs a terminal: connect with ssh -t, or run a "
		      "command (try: help)\n";
	else if (c->is_join && strcmp(c->cfg->registrations, "closed") == 0)
		msg = "This camp is not taking new members right now.\n", status = 1;
	else if (c->is_join && join_key_taken(c))
		return 1;
	if (msg == NULL)
		return 0;
	conn_write(c, msg, strlen(msg), 1);
	return status;
}

int session_shell(struct conn *c)
{
	struct winsize ws = {.ws_row = (unsigned short)c->rows,
			     .ws_col = (unsigned short)c->cols};
	int master, slave, r;
	pid_t pid;

	if ((r = shell_refusal(c)) != 0)
		return r;
	store_close(c->st); /* the UI opens its own */
	c->st = NULL;
	if (openpty(&master, &slave, NULL, NULL, &ws) != 0) {
		log_error("openpty: %s", strerror(errno));
		return 1;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		log_error("fork: %s", strerror(errno));
		close(master);
		close(slave);
		return 1;
	}
	if (pid == 0)
		ui_child(c, master, slave);
	close(slave);
	fcntl(master, F_SETFL, O_NONBLOCK);
	fcntl(master, F_SETFD, FD_CLOEXEC);
	c->master = master;
	return pump_run(c, pid);
}
