/*
 * common.h: the ground floor every other room stands on.
 *
 * Error codes and the one place a message for the user is kept; logging;
 * growable buffers; UTF-8 validation and terminal-safe text; the config
 * file; random codes; small time helpers.  Nothing here knows about SQL,
 * SSH, curses or HTTP, and nothing here may call upward.
 */
#ifndef CAMP_COMMON_H
#define CAMP_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define CAMP_VERSION "0.1.0"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define CAMP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define CAMP_NORETURN __attribute__((noreturn))
#else
#define CAMP_PRINTF(f, a)
#define CAMP_NORETURN
/* ---- runlock.c: is a camp being served? --------------------------------
 * `camp serve` holds DIR/serve.lock (an flock) for as long as its
 * listener runs, with its pid and start time written in it.  The lock
 * goes with the process, even on kill -9, so a stale file never counts:
 * commands that must not run beside a serving camp (restore) and those
 * that report on it (status, doctor) ask here. */

struct run_info {
	int running;	    /* a listener holds the lock now */
	long pid;	    /* its pid (0 when not running) */
	int64_t started_at; /* when it started, seconds (0 when not running) */
};
/* Takes DIR/serve.lock for this process and writes the pid and the start
 * time in it; the lock lasts until the process ends (the fd is kept and
 * closed on exec).  CAMP_EEXIST when another process serves DIR (the
 * message names its pid), CAMP_EIO when the file cannot be made. */
int run_lock_take(const char *dir);
/* Whether some process holds DIR/serve.lock, and which.  Never fails: a
 * missing or unreadable file reads as not running. */
void run_lock_probe(const char *dir, struct run_info *out);

/* ---- cert.c: X.509 certificates on disk (built-in HTTPS) ---------------- */

struct cert_info {
	int64_t not_before, not_after; /* seconds since the epoch */
	char subject[256];	       /* the subject's CN (or the whole name) */
	int matches_key;	       /* 1 when key_path's key is the cert's */
	int covers_host;	       /* 1 when the cert names the host asked */
};
/* Reads the first certificate of the PEM file at cert_path.  With
 * key_path, checks that the private key there belongs to it; with host
 * (a name or an IP address, without port), whether the certificate is
 * valid for it.  0, or CAMP_EIO/CAMP_EINVAL with the reason. */
int cert_read(const char *cert_path, const char *key_path, const char *host,
	      struct cert_info *out);

#endif

/* ---- err.c: one error convention ---------------------------------------
 * Functions return 0 or a negative CAMP_E* code.  Whoever first sees a
 * failure calls err_set() with a message meant for the person at the
 * keyboard; callers further up pass the code along and, at the edge, show
 * err_last().  The message is per thread: every process is
 * single-threaded but the federation child, whose HTTP server answers
 * each connection from a thread of its own. */
enum camp_err {
	CAMP_OK = 0,
	CAMP_ERR = -1,	     /* anything without a better name */
	CAMP_ENOMEM = -2,    /* out of memory */
	CAMP_EINVAL = -3,    /* bad input from a person or a peer */
	CAMP_ENOENT = -4,    /* no such thing */
	CAMP_EEXIST = -5,    /* already there */
	CAMP_EPERM = -6,     /* not allowed */
	CAMP_EIO = -7,	     /* file or network failure */
	CAMP_EDB = -8,	     /* database failure */
	CAMP_ETOOBIG = -9,   /* over a size limit */
	CAMP_ELIMIT = -10,   /* a quota or rate limit: full camp, too many tries */
	CAMP_EVERSION = -11, /* a file from a newer camp */
	CAMP_ETIMEDOUT = -12 /* no answer within the time allowed */
};

/* Records msg (printf-style) as the last error and returns code, so a
 * failure reads `return err_set(CAMP_EINVAL, "...")`. */
int err_set(int code, const char *fmt, ...) CAMP_PRINTF(2, 3);
/* The message of the last err_set(), or a generic text for the last code;
 * never NULL.  Valid until the next err_set(). */
const char *err_last(void);
/* A short generic name for a code ("not found", ...). */
const char *err_name(int code);

/* ---- log.c: levels to stderr -------------------------------------------- */
enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* The role names the process in every line ("listener", "session"). */
void log_set_role(const char *role);
void log_set_level(enum log_level level);
/* Sends log lines to fd instead of stderr (a process whose stderr is a
 * member's terminal keeps logging to the camp's log this way). */
void log_set_fd(int fd);
/* Parses "debug", "info", "warn", "error"; returns -1 if unknown. */
int log_level_parse(const char *s);
void log_msg(enum log_level level, const char *fmt, ...) CAMP_PRINTF(2, 3);
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
/* For states that cannot happen: logs and aborts. */
void fatal(const char *fmt, ...) CAMP_PRINTF(1, 2) CAMP_NORETURN;

/* ---- buf.c: growable byte buffers --------------------------------------
 * A buf owns its data; data is always NUL-terminated once anything has
 * been appended (so it can be used as a C string).  Allocation failure is
 * fatal: a camp process that cannot allocate a few bytes cannot go on. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};
#define BUF_INIT           \
	{                  \
		NULL, 0, 0 \
	}

void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) CAMP_PRINTF(2, 3);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* Hands the data to the caller (who frees it); the buf is empty after.
 * Never returns NULL: an empty buf yields "". */
char *buf_detach(struct buf *b);
/* The contents as a C string; "" when empty.  Owned by b. */
const char *buf_str(const struct buf *b);

/* xmalloc and friends: allocation failure is fatal. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Like asprintf, but fatal on failure. */
char *xasprintf(const char *fmt, ...) CAMP_PRINTF(1, 2);

/* ---- utf8.c: UTF-8 and text that is safe to show ------------------------ */

/* Decodes one code point from s (at most len bytes).  Returns the number
 * of bytes used (1-4) and stores the code point, or returns -1 for an
 * invalid, overlong, surrogate or truncated sequence. */
int utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encodes cp into out (at least 4 bytes); returns the byte count. */
int utf8_encode(uint32_t cp, char *out);
/* 1 if s[0..len) is valid UTF-8 (strict: no overlongs, no surrogates,
 * nothing above U+10FFFF, no NUL bytes), else 0.  On failure and when
 * bad_at is not NULL, stores the byte offset of the first bad byte. */
int utf8_valid(const char *s, size_t len, size_t *bad_at);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_count(const char *s, size_t len);

/* Flags for text_sanitize(). */
enum {
	TEXT_MULTILINE = 1, /* keep \n (and turn \t into spaces) */
	TEXT_NAME = 2	    /* a name or handle: also show zero-width marks */
};
/* Appends to out a form of s[0..len) that is safe to send to a terminal:
 * C0 controls and DEL become caret notation (ESC -> "^["), C1 controls,
 * bidi overrides/isolates/marks, and invalid bytes become U+FFFD; with
 * TEXT_NAME, zero-width characters become U+FFFD too.  Nothing is dropped
 * silently.  Every piece of remote or member text passes through here
 * before it reaches a terminal. */
void text_sanitize(struct buf *out, const char *s, size_t len, int flags);
/* 1 if cp must never reach a terminal raw (see text_sanitize). */
int text_cp_is_unsafe(uint32_t cp, int flags);

/* ---- config.c: DIR/camp.conf -------------------------------------------- */
struct config {
	char *camp_name;
	char *domain;	  /* host[:port] that names accounts: alice@domain */
	char *public_url; /* base URL of the HTTP side, no trailing slash */
	char *ssh_listen; /* host:port */
	char *http_listen;
	char *tls_cert;
	char *tls_key;
	char *tls_ca_file;
	long max_members;
	char *registrations; /* "invite" or "closed" */
	int allow_private_addresses;
	long max_post_chars;
	long idle_timeout; /* seconds a TUI session may sit idle */
	long login_grace;  /* seconds to authenticate */
	long keepalive;	   /* seconds between keepalives */
	long max_unauth_per_addr;
	long max_sessions;
	long backup_every; /* seconds between scheduled backups; 0: none */
	long backup_keep;  /* scheduled backups kept */
	char *log_level;
};

/* Fills cfg with defaults.  Strings are owned by cfg (config_free). */
void config_defaults(struct config *cfg);
/* Reads path over the defaults already in cfg.  An unknown key is a
 * warning (logged with file:line); a bad value or unreadable file is an
 * error: returns CAMP_EINVAL/CAMP_EIO with "file:line: why" in err_last().
 * On error cfg keeps whatever was read before the bad line. */
int config_load(struct config *cfg, const char *path);
void config_free(struct config *cfg);
/* Writes a commented camp.conf with every key, explained, with the
 * values in cfg.  Returns 0 or CAMP_EIO. */
int config_write(const struct config *cfg, FILE *f);
/* Splits "host:port", "[v6]:port" or "port" into host (caller frees; NULL
 * for any address) and port.  Returns 0 or CAMP_EINVAL. */
int config_split_listen(const char *s, char **host, int *port);
/* Appends the ssh command that reaches the camp as user: "ssh -p 2222
 * alice@camp.example" (the port left out when it is 22). */
void config_ssh_command(const struct config *cfg, const char *user, struct buf *out);
/* Parses "90", "90s", "30m", "24h", "2d" into seconds; -1 if bad. */
long config_parse_duration(const char *s);

/* ---- opts.c: --flags for camp and for commands over ssh ---------------- */
struct opt {
	const char *name; /* without the leading -- */
	int has_arg;
	const char **value; /* has_arg: where the value goes */
	int *flag;	    /* !has_arg: set to 1 when present */
};

/* Parses argv[0..argc) against opts (ended by a zeroed entry); positional
 * arguments go to pos (room for argc entries), their count to *npos.
 * Values point into argv.  Returns 0 or CAMP_EINVAL with a message. */
int opts_parse(int argc, char **argv, const struct opt *opts, char **pos, int *npos);
/* Parses the value of --name as a number in [min, max]. */
int opts_int(const char *name, const char *v, long min, long max, long *out);

/* ---- words.c: a command line into words, shell-like -------------------- */

/* Splits line into words: blanks separate, '...' is literal, "..."
 * honours \" and \\, a backslash elsewhere escapes the next character;
 * nothing is expanded.  *argv is a NULL-terminated array of *argc copies
 * owned by the caller (words_free).  Returns 0, CAMP_EINVAL for an
 * unclosed quote or CAMP_ETOOBIG past 256 words (then *argv is NULL). */
int words_split(const char *line, char ***argv, int *argc);
void words_free(char **argv);

/* ---- urls.c: the shape of this camp's public URLs ----------------------
 * base is the camp's public_url without a trailing slash.  These shapes
 * name accounts and posts to the whole fediverse: once given out, a URL
 * must keep working, so they are written here once, for every room. */

/* BASE/users/NAME, a member's actor and profile.  Caller frees. */
char *camp_actor_url(const char *base, const char *username);
/* BASE/posts/ID, a local post's id and page.  Caller frees. */
char *camp_post_url(const char *base, int64_t post_id);

/* ---- embedded default files (generated from motd.txt, conduct.txt) ----- */
extern const char embed_motd[];
extern const char embed_conduct[];

/* ---- util.c: random codes, time, files ---------------------------------- */

/* Fills p with n bytes from the OS's random source; fatal if it fails. */
void random_bytes(void *p, size_t n);
/* Writes a lowercase base32 code of `groups` groups of 5 characters
 * (25 bits each), joined by '-', into out (6 * groups bytes). */
void random_code(char *out, int groups);
/* Seconds since the epoch. */
int64_t now_s(void);
/* Milliseconds of a monotonic clock (for deadlines and intervals). */
int64_t mono_ms(void);
/* Formats t as RFC 3339 UTC ("2026-11-30T12:00:00Z") into out[32]. */
void time_rfc3339(int64_t t, char out[32]);
/* Parses RFC 3339 with optional fraction (any digits) and offset; returns
 * 0 and stores seconds, or CAMP_EINVAL. */
int time_parse_rfc3339(const char *s, int64_t *t);
/* Reads a whole file into a NUL-terminated string (caller frees).
 * Returns 0, CAMP_ENOENT or CAMP_EIO (with err_set). max bounds the size. */
int file_read(const char *path, size_t max, char **out, size_t *len);
/* Writes data to path via a temp file and rename, with mode. */
int file_write_atomic(const char *path, const void *data, size_t len, int mode);
/* path as seen from dir: itself when absolute, else dir/path (a camp's
 * settings name files relative to its folder).  Caller frees. */
char *path_in(const char *dir, const char *path);
/* Copies the file from into to, byte for byte, through a temp file
 * (fsynced, then renamed) created with mode.  Returns 0, CAMP_ENOENT
 * when from is missing, or CAMP_EIO; a failed copy leaves `to` as it
 * was. */
int file_copy(const char *from, const char *to, int mode);
/* Lowercase hex SHA-256 of data into out[65]. */
void sha256_hex(const void *data, size_t len, char out[65]);

/* ---- runlock.c: is a camp being served? --------------------------------
 * `camp serve` holds DIR/serve.lock (an flock) for as long as its
 * listener runs, with its pid and start time written in it.  The lock
 * goes with the process, even on kill -9, so a stale file never counts:
 * commands that must not run beside a serving camp (restore) and those
 * that report on it (status, doctor) ask here. */

struct run_info {
	int running;	    /* a listener holds the lock now */
	long pid;	    /* its pid (0 when not running) */
	int64_t started_at; /* when it started, seconds (0 when not running) */
};
/* Takes DIR/serve.lock for this process and writes the pid and the start
 * time in it; the lock lasts until the process ends (the fd is kept and
 * closed on exec).  CAMP_EEXIST when another process serves DIR (the
 * message names its pid), CAMP_EIO when the file cannot be made. */
int run_lock_take(const char *dir);
/* Whether some process holds DIR/serve.lock, and which.  Never fails: a
 * missing or unreadable file reads as not running. */
void run_lock_probe(const char *dir, struct run_info *out);

/* ---- cert.c: X.509 certificates on disk (built-in HTTPS) ---------------- */

struct cert_info {
	int64_t not_before, not_after; /* seconds since the epoch */
	char subject[256];	       /* the subject's CN (or the whole name) */
	int matches_key;	       /* 1 when key_path's key is the cert's */
	int covers_host;	       /* 1 when the cert names the host asked */
};
/* Reads the first certificate of the PEM file at cert_path.  With
 * key_path, checks that the private key there belongs to it; with host
 * (a name or an IP address, without port), whether the certificate is
 * valid for it.  0, or CAMP_EIO/CAMP_EINVAL with the reason. */
int cert_read(const char *cert_path, const char *key_path, const char *host,
	      struct cert_info *out);

#endif
