/*
 * tui.h: the member's full-screen client, as the rest of camp sees it.
 *
 * The SSH session forks a UI process on a real pty and calls tui_run();
 * `camp ui` (a development command) calls it on the current terminal.
 * Nothing outside tui/ draws on a terminal, and nothing in tui/ speaks SQL:
 * every read and every action goes through store/.
 */
#ifndef CAMP_TUI_H
#define CAMP_TUI_H

#include <stdint.h>

#include "common/common.h"

struct store;

struct tui_args {
	const char *dir;	  /* the camp folder (conduct.txt lives there) */
	const struct config *cfg; /* camp name, max_post_chars, idle_timeout */
	struct store *st;	  /* an open store, owned by the caller */
	int64_t account_id;	  /* the member who logged in */
	int first_login;	  /* show the welcome pages even if seen before */
};

/* Runs the full-screen client on the current tty (stdin/stdout are the
 * pty) until the member quits, the terminal goes away or the session has
 * been idle for cfg->idle_timeout.  Returns an exit status: 0 after a
 * normal quit, 1 if the client could not start (err_last() says why). */
int tui_run(const struct tui_args *args);

#endif
