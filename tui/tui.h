/*
 * tui.h: the full-screen client's entry points, called by sshd in the UI
 * process (a grandchild of the listener, on a real pty).
 *
 * Contract with sshd: stdin/stdout/stderr are the pty; TERM is the
 * client's terminal, the locale is C.UTF-8 and setlocale(LC_ALL, "") has
 * been called; the store handle was opened in this process after the
 * fork; log lines go to the camp's log, not the screen.  SIGWINCH arrives
 * when the member's window changes size (curses turns it into KEY_RESIZE).
 * SIGTERM means the camp is stopping: leave curses and exit promptly.
 * tui_join() and tui_run() may be called one after the other in the same
 * process; each starts curses with tui_curses_start() and leaves with
 * endwin().
 */
#ifndef CAMP_TUI_H
#define CAMP_TUI_H

#include <stdint.h>

#include "common/common.h"
#include "store/store.h"

struct tui_args {
	const char *dir;
	const struct config *cfg;
	struct store *st;
	int64_t account_id;
	int first_login;  /* the member has not seen the first-login pages */
	const char *motd; /* DIR/motd.txt, already shown before the UI starts */
};

/* Runs the full-screen client on the current tty (stdin/stdout are the
 * pty). Returns an exit status. */
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
 * joining, or a negative CAMP_E* code if the screen could not run. */
int tui_join(const struct tui_join_args *args, int64_t *account_id);

/* Starts curses on the tty (initscr the first time, refresh after an
 * endwin) in the mode every view expects: cbreak, noecho, keypad, no
 * cursor.  Shared by every view. */
void tui_curses_start(void);

#endif
