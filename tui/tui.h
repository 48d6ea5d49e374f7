/*
 * tui.h: the member's full-screen client, as the rest of camp sees it:
 * the client itself and the join screen, called by sshd in the UI process
 * (a grandchild of the listener, on a real pty), or by `camp ui` (a
 * development command) on the current terminal.
 *
 * Contract with sshd: stdin/stdout/stderr are the pty; TERM is the
 * client's terminal, the locale is C.UTF-8 and setlocale(LC_ALL, "") has
 * been called; the store handle was opened in this process after the
 * fork; log lines go to the camp's log, not the screen.  SIGWINCH arrives
 * when the member's window changes size (curses turns it into KEY_RESIZE).
 * SIGTERM means the camp is stopping: leave curses and exit promptly.
 * tui_join() and tui_run() may be called one after the other in the same
 * process; each starts curses with tui_curses_start() and leaves with
 * endwin().  Nothing outside tui/ draws on a terminal, and nothing in
 * tui/ speaks SQL: every read and every action goes through store/.
 */
#ifndef CAMP_TUI_H
#define CAMP_TUI_H

#include <stdint.h>

#include "common/common.h"
#include "store/store.h"

struct tui_args {
	const char *dir;	  /* the camp folder (conduct.txt lives there) */
	const struct config *cfg; /* camp name, max_post_chars, idle_timeout */
	struct store *st;	  /* an open store, owned by the caller */
	int64_t account_id;	  /* the member who logged in */
	int first_login;	  /* show the welcome pages even if seen before */
	const char *motd;	  /* DIR/motd.txt, already shown before the UI */
};

/* Runs the full-screen client on the current tty (stdin/stdout are the
 * pty) until the member quits, the terminal goes away or the session has
 * been idle for cfg->idle_timeout.  Returns an exit status: 0 after a
 * normal quit, 1 if the client could not start (err_last() says why; a
 * terminal that cannot show a full screen has been told, on stdout, to
 * use the commands over ssh instead). */
int tui_run(const struct tui_args *args);

struct tui_join_args {
	const char *dir;
	const struct config *cfg;
	struct store *st;
	const char *key_type;	     /* "ssh-ed25519", ... */
	const char *key_base64;	     /* the offered key's blob */
	const char *key_fingerprint; /* "SHA256:..." */
	const char *conduct;	     /* the code of conduct to accept */
	/* Tries to join: returns 0 and stores the new member's id, or a
	 * CAMP_E* code with err_last() saying why in one sentence (a bad or
	 * used code, a taken name, a full camp, too many tries).  Supplied
	 * by sshd, so every limit that applies to `join CODE NAME` applies
	 * here too. */
	int (*submit)(void *ud, const char *code, const char *username,
		      const char *display_name, int64_t *account_id);
	void *ud;
};

/* The interactive join screen for join@: invite code, username (checked
 * as it is typed), display name, the code of conduct to accept.  Returns
 * 0 with *account_id once the person has joined, 1 if they left without
 * joining, or a negative CAMP_E* code if the screen could not run (a
 * terminal that cannot show it has been told to join with `join CODE
 * USERNAME` instead). */
int tui_join(const struct tui_join_args *args, int64_t *account_id);

/* Starts curses on the tty in the mode every view expects (cbreak,
 * noecho, keypad, no cursor): newterm() the first time in a process,
 * refresh() after an endwin().  A TERM unknown to the camp's terminfo is
 * drawn for as xterm-256color, else xterm, else vt100.  Returns 0, or
 * CAMP_EINVAL with nothing started when the terminal cannot show a full
 * screen (TERM unset, empty or "dumb", or without cursor addressing);
 * the caller then says what works instead.  Every entry above starts
 * curses through here. */
int tui_curses_start(void);

#endif
