/*
 * sshd.h: the SSH front door: host keys, the listener, sessions, and the
 * commands members run over ssh.
 *
 * Process model (DESIGN.md §1): the listener (listen.c) accepts and forks
 * a session (session.c) per connection before the key exchange; a
 * session either runs one command (exec.c, cmd*.c) or the full-screen
 * client in a grandchild on a pty (pty.c).  Sessions tell the listener
 * what happened over a small socket (link.c), so limits live in one place.
 */
#ifndef CAMP_SSHD_H
#define CAMP_SSHD_H

#include <libssh/libssh.h>
#include <jansson.h>
#include <libssh/server.h>
#include <sys/types.h>

#include "common/common.h"
#include "store/store.h"

/* ---- hostkey.c: the camp's SSH host keys -------------------------------- */

/* File names of the host keys inside a camp folder. */
extern const char *const hostkey_files[];
extern const int hostkey_count;

/* Generates every host key (ed25519, and RSA 3072 for older clients) into
 * dir, mode 0600, refusing to overwrite.  Returns 0 or CAMP_EIO. */
int hostkey_create_all(const char *dir);
/* Appends one line per host key, as `ssh-keygen -lf` prints it
 * ("256 SHA256:... (ED25519)"), each prefixed by indent. */
int hostkey_fingerprints(const char *dir, const char *indent, struct buf *out);

/* ---- sshkey.c: members' public keys ------------------------------------- */

#define SSHKEY_FP_LEN 64

/* A public key in the forms the store keeps.  Owns base64 and comment. */
struct sshkey_info {
	char type[40];			 /* "ssh-ed25519", "ecdsa-sha2-nistp256", ... */
	char *base64;			 /* the blob as in authorized_keys */
	char fingerprint[SSHKEY_FP_LEN]; /* "SHA256:..." as ssh-keygen -lf */
	char *comment;			 /* "" when none */
	int bits;
};

/* Key size in bits as ssh-keygen reports it (0 if unknown). */
int sshkey_bits(ssh_key key);
/* 0 if a member may log in with this kind of key (ed25519, ecdsa, RSA of
 * 2048 bits or more), else CAMP_EPERM saying why. */
int sshkey_allowed(ssh_key key);
/* The SHA256 fingerprint of key into out.  0 or CAMP_EINVAL. */
int sshkey_fingerprint(ssh_key key, char out[SSHKEY_FP_LEN]);
/* Fills out (caller frees with sshkey_info_free) from a key libssh holds;
 * refuses kinds sshkey_allowed() refuses. */
int sshkey_describe(ssh_key key, struct sshkey_info *out);
/* Parses one authorized_keys line "TYPE BASE64 [COMMENT]" (no options),
 * checking that the blob really is of TYPE by exporting it again.
 * Returns 0 (caller frees out) or CAMP_EINVAL/CAMP_EPERM/CAMP_ETOOBIG. */
int sshkey_parse_line(const char *line, struct sshkey_info *out);
void sshkey_info_free(struct sshkey_info *k);

/* ---- link.c: a session's line to the listener --------------------------- */

/* One byte each, session to listener.  JOIN_ASK is answered with one
 * byte: LINK_YES or LINK_NO. */
enum link_msg {
	LINK_AUTHED = 'A',	/* this connection has authenticated */
	LINK_AUTH_FAILED = 'F', /* one failed authentication attempt */
	LINK_JOIN_ASK = 'J',	/* may this address try an invite code now? */
	LINK_JOIN_OK = 'S',	/* the code worked: do not count the try */
	LINK_YES = 'y',
	LINK_NO = 'n'
};

/* Sends msg on fd (nothing when fd < 0).  Never blocks for long. */
void link_send(int fd, enum link_msg msg);
/* Asks the listener whether a join may be tried; 0 if so, CAMP_ELIMIT
 * (with a message for the person) if the address has tried too often.
 * With fd < 0 (no listener, as in tests) every try is allowed. */
int link_join_ask(int fd);

/* ---- supervise.c: long-lived children of the listener ------------------- */

/* A child the listener keeps running (the federation process, ...), or
 * a job it runs now and then (scheduled backups).  main() runs in the
 * forked child with every fd but 0-2 closed and default signal
 * dispositions; its return value is the exit status.  It must exit on
 * SIGTERM and should reload its settings on SIGHUP (or ignore it).
 * due_in is NULL for a long-lived child, which is restarted when it
 * dies.  For a job it says in how many seconds the job is next due (0:
 * now, -1: not at all for now), from what the listener may read (the
 * settings, files; never the database), running_s after the listener
 * started; it is asked again at least every minute and after each run. */
struct sshd_child {
	const char *name;
	int (*main)(const char *dir);
	long (*due_in)(const char *dir, const struct config *cfg, int64_t running_s);
};

struct supervisor;

/* Starts every child of the NULL-terminated table (may be NULL).  cfg is
 * the listener's settings (read by the jobs' due_in; it must outlive the
 * supervisor).  *out is owned by the caller (supervisor_free). */
struct supervisor *supervisor_new(const char *dir, const struct config *cfg,
				  const struct sshd_child *table);
/* Starts the children that are due (first start, or restart after a
 * backoff of 1 s doubling to 60 s) and the jobs whose time has come (a
 * failed job is tried again after 1 minute, doubling to an hour).
 * Returns ms until the next is due, or -1 when none is waiting. */
int supervisor_tick(struct supervisor *sv, int64_t now_ms);
/* Tells the supervisor that pid ended; returns 1 if it was one of its
 * children (then it is scheduled for a restart unless stopping).  Logs
 * how it ended: "NAME (pid N) stopped" when it exited 0 while the camp
 * stops, a warning otherwise. */
int supervisor_reaped(struct supervisor *sv, pid_t pid, int status, int64_t now_ms);
/* Sends sig to every running child. */
void supervisor_signal(struct supervisor *sv, int sig);
/* Number of children running now. */
int supervisor_running(const struct supervisor *sv);
/* From now on no child is restarted. */
void supervisor_stop(struct supervisor *sv);
void supervisor_free(struct supervisor *sv);

/* ---- cmd.c: the commands members run over ssh --------------------------- */

#define CMD_STDIN_MAX (64 * 1024)
#define CMD_EUSAGE (-100) /* a handler's "usage error": exit status 2 */

enum { CMD_ADMIN = 1 /* only admins may run it, and only they see it */ };

struct cmd_ctx;

/* One command: `ssh NAME@HOST name ARGS`.  run() gets the words after
 * the name; it returns 0, a negative CAMP_E* code with err_set() (exit
 * status 1, err_last() on stderr) or cmd_usage() (exit status 2). */
struct cmd_entry {
	const char *name;
	const char *usage; /* the arguments, after the name */
	const char *summary;
	int (*run)(struct cmd_ctx *ctx, int argc, char **argv);
	int flags;
};

/* What a command runs with.  Everything but out, err and in is borrowed
 * from the caller; cmd_ctx_free() frees only those three. */
struct cmd_ctx {
	struct store *st;
	const struct config *cfg;
	const char *dir;
	const struct account *me;      /* NULL for join@ */
	const struct sshkey_info *key; /* the key of this connection, or NULL */
	int link_fd;		       /* to the listener, or -1 */
	const struct cmd_entry *table; /* the table being run (for help) */
	struct buf out, err;	       /* what goes to stdout and stderr */
	/* stdin: read_input() fills in with all of it (at most max + 1
	 * bytes, so an overflow can be seen) when a command first asks;
	 * NULL means in holds stdin already. */
	int (*read_input)(void *io, struct buf *in, size_t max);
	void *io;
	struct buf in;
	int in_done;
};

/* The commands of a member, and those of join@. */
extern const struct cmd_entry cmd_table[];
extern const struct cmd_entry join_table[];

/* Zeroes ctx (link_fd -1). */
void cmd_ctx_init(struct cmd_ctx *ctx);
void cmd_ctx_free(struct cmd_ctx *ctx);
/* Runs argv[0] from table with the rest as its arguments; returns the
 * exit status (0, 1 or 2) with anything to show in ctx->out/err. */
int cmd_run(struct cmd_ctx *ctx, const struct cmd_entry *table, int argc, char **argv);
/* Splits line into words (words_split) and runs it like cmd_run. */
int cmd_run_line(struct cmd_ctx *ctx, const struct cmd_entry *table, const char *line);
/* For handlers: records a usage error (why, then the usage line) and
 * returns CMD_EUSAGE. */
int cmd_usage(struct cmd_ctx *ctx, const char *why);
/* All of stdin (NUL-terminated, at most CMD_STDIN_MAX bytes), read on
 * first use.  Returns 0 or CAMP_ETOOBIG / CAMP_EIO with a message. */
int cmd_stdin(struct cmd_ctx *ctx, const char **data, size_t *len);

/* Handlers, one file each. */
int cmd_help_list(struct cmd_ctx *ctx, int argc, char **argv); /* cmd.c */
int cmd_whoami(struct cmd_ctx *ctx, int argc, char **argv);    /* cmd-whoami.c */
int cmd_keys(struct cmd_ctx *ctx, int argc, char **argv);      /* cmd-keys.c */
/* cmd-post.c */
int cmd_post(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_dm(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_edit(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_delete(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_boost(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_unboost(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_fav(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_unfav(struct cmd_ctx *ctx, int argc, char **argv);
/* cmd-read.c */
int cmd_timeline(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_show(struct cmd_ctx *ctx, int argc, char **argv);
/* cmd-people.c */
int cmd_follow(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_unfollow(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_mute(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_unmute(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_block(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_unblock(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_requests(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_profile(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_directory(struct cmd_ctx *ctx, int argc, char **argv);

/* ---- cmd-render.c: posts and people as text and JSON -------------------- */

/* A post's web address: its remote url, or this camp's /posts/ID.
 * Caller frees. */
char *render_post_url(const struct cmd_ctx *ctx, const struct post *p);
/* A post as a JSON object (DESIGN §4: id, author, content, cw,
 * visibility, created_at, in_reply_to, url, and more).  New reference. */
json_t *render_post_json(const struct cmd_ctx *ctx, const struct post *p);
/* A post as text for a terminal, indented by depth; everything others
 * wrote is sanitized. */
void render_post_text(struct cmd_ctx *ctx, const struct post *p, int depth);
/* Prints v (taking the reference) as one line of compact JSON. */
void render_json_out(struct cmd_ctx *ctx, json_t *v);
int cmd_join(struct cmd_ctx *ctx, int argc, char **argv); /* join.c */

/* ---- cmd-args.c: a command's words ------------------------------------ */

/* Parses a handler's flags (opts_parse) and positional arguments into
 * pos (room for argc + 1); on a bad flag returns cmd_usage(). */
int cmd_opts(struct cmd_ctx *ctx, int argc, char **argv, const struct opt *opts,
	     char **pos, int *npos);
/* Parses "123" or "#123"; a usage error otherwise. */
int cmd_parse_id(struct cmd_ctx *ctx, const char *s, int64_t *id);
/* The account for "name", "name@domain" or "@name@domain": a member, a
 * known remote account, or one the federation child looks up on its
 * server (lookup_account(), at most LOOKUP_TIMEOUT_MAX_MS).  CAMP_ENOENT
 * for no such member or account, CAMP_EIO when the federation process is
 * not running or the server cannot be reached, with the account named
 * in err_last(). */
int cmd_resolve_acct(struct cmd_ctx *ctx, const char *acct, int64_t *id);
/* A viewer for the member running the command; caller frees. */
int cmd_viewer(struct cmd_ctx *ctx, struct viewer **v);

/* ---- join.c: becoming a member ------------------------------------------ */

/* Joins the camp with an invite code, key as the first key: refuses when
 * registrations are closed, the name is reserved, or the address has
 * tried too many codes (link_join_ask); otherwise store_join() decides.
 * Returns 0 with *account_id, or a CAMP_E* code with one clear message. */
int sshd_join(struct store *st, const struct config *cfg, int link_fd,
	      const struct sshkey_info *key, const char *code, const char *username,
	      const char *display_name, int accept_coc, int64_t *account_id);

/* ---- serve.c, listen.c: camp serve -------------------------------------- */

/* Everything a session needs from the listener, fixed at fork time. */
struct session_spec {
	const char *dir;
	const struct config *cfg;
	const char *motd;
	ssh_bind bind; /* the child frees its copy */
	int fd;	       /* the accepted connection */
	int link_fd;   /* to the listener */
	char peer[64]; /* "address port" for logs */
	char addr[48]; /* the address alone */
};

/* Runs the camp in dir in the foreground until SIGTERM; children is a
 * NULL-terminated table of processes to supervise (may be NULL).  Returns
 * the exit status for main(). */
int sshd_serve(const char *dir, const struct sshd_child *children);
/* The accept loop (listen.c): runs until SIGTERM or SIGINT, then stops
 * every child within 5 s.  Takes ownership of nothing. */
int listener_run(const char *dir, struct config *cfg, ssh_bind bind,
		 const struct sshd_child *children);
/* Loads DIR/motd.txt (or the built-in one) into *out (caller frees). */
void sshd_load_motd(const char *dir, char **out);

/* ---- session.c, exec.c, pty.c: one connection --------------------------- */

/* Runs one connection in a forked child; never returns. */
CAMP_NORETURN void session_main(struct session_spec *spec);

/* The state of one connection, shared by session.c, exec.c and pty.c. */
#include <libssh/callbacks.h>

enum conn_request { REQ_NONE, REQ_SHELL, REQ_EXEC };

struct conn {
	struct session_spec *spec;
	const struct config *cfg;
	ssh_session s;
	ssh_event ev;
	ssh_channel ch;
	struct ssh_server_callbacks_struct scb;
	struct ssh_channel_callbacks_struct ccb;
	struct store *st; /* closed before the UI is forked */
	char user[40];	  /* folded login name */
	int is_join;	  /* logged in as join@ */
	int authed, failures;
	struct sshkey_info key; /* the key that authenticated */
	int64_t account_id;	/* 0 for join@ */
	enum conn_request req;
	char *command; /* for REQ_EXEC */
	int pty;       /* a pty was requested */
	char term[64];
	int cols, rows;
	struct buf input; /* from the client, not yet used */
	int input_eof, closed;
	int64_t last_input_ms;
	int master;   /* pty master while the UI runs, else -1 */
	int sig_read; /* session's self-pipe, readable on SIGTERM */
};

/* 1 once SIGTERM has asked this session to end. */
int session_stopping(void);
/* Opens the session's database handle again after the UI was forked
 * (the handle it had was closed before the fork); 0 or the error, also
 * logged.  session_main closes it at the end. */
int session_reopen_store(struct conn *c);
/* Writes all of data to the channel (stderr when is_stderr), turning \n
 * into \r\n when the client has a pty.  Blocking; 0 or CAMP_EIO. */
int conn_write(struct conn *c, const char *data, size_t len, int is_stderr);
/* Sends the exit status, closes the channel and waits briefly for the
 * client to close its side, so the status is never lost. */
void conn_finish(struct conn *c, int status);
/* exec.c: runs c->command; returns its exit status. */
int session_exec(struct conn *c);
/* exec.c: a member's session begins and ends being online (presence.c),
 * for a command and for the client alike.  A failure is only logged
 * (*presence 0): being counted never stops anyone using the camp. */
void sshd_presence_begin(struct store *st, int64_t account_id, int64_t *presence);
void sshd_presence_end(struct store *st, int64_t presence);
/* pty.c: runs the UI on a pty and pumps it; returns its exit status. */
int session_shell(struct conn *c);

#endif
