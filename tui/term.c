/*
 * term.c: starting curses on whatever terminal a member brings, for
 * every way into tui/ (the client and the join screen alike).
 *
 * TERM comes from the member's machine, and the camp's terminfo may not
 * know it (xterm-kitty, foot, ...).  Then the screen falls back to a
 * terminal that every emulator imitates (xterm-256color, then xterm,
 * then vt100) instead of turning the member away.  A terminal that
 * cannot show a full screen at all (no TERM, TERM=dumb, or a terminfo
 * entry without cursor addressing) gets no curses: the caller prints one
 * plain paragraph saying what works instead.  newterm() is used rather
 * than initscr(), which would end the process on an unknown terminal.
 */
#include "tui/tui-private.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

/* Stand-ins for a terminal the camp does not know, best first. */
static const char *const fallbacks[] = {"xterm-256color", "xterm", "vt100"};

/* 1 if terminfo knows name and it can address the cursor. */
static int term_usable(const char *name)
{
	int err = 0;

	if (setupterm(name, STDOUT_FILENO, &err) != OK)
		return 0;
	const char *cup = tigetstr("cup");
	int ok = cup != NULL && cup != (char *)-1;
	del_curterm(cur_term);
	return ok;
}

/* The terminal to start curses with: TERM, or a fallback (stored in the
 * environment, for a later start in this process).  CAMP_EINVAL when
 * there is none. */
static int term_choose(const char **name)
{
	const char *term = getenv("TERM");

	if (term == NULL || term[0] == '\0')
		return err_set(CAMP_EINVAL, "no full-screen terminal (TERM is not set)");
	if (term_usable(term)) {
		*name = term;
		return 0;
	}
	if (strcmp(term, "dumb") != 0) {
		for (size_t i = 0; i < ARRAY_LEN(fallbacks); i++) {
			if (!term_usable(fallbacks[i]))
				continue;
			log_info("terminal %.40s is unknown here: drawing for %s", term,
				 fallbacks[i]);
			setenv("TERM", fallbacks[i], 1);
			*name = fallbacks[i];
			return 0;
		}
	}
	return err_set(CAMP_EINVAL, "no full-screen terminal (TERM=%.40s)", term);
}

int tui_curses_start(void)
{
	const char *name = NULL;
	int r;

	if (stdscr != NULL) {
		refresh(); /* curses ran in this process before (the join screen) */
	} else if ((r = term_choose(&name)) != 0) {
		return r;
	} else if (newterm(name, stdout, stdin) == NULL) {
		return err_set(CAMP_EINVAL, "no full-screen terminal (TERM=%.40s)", name);
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	return 0;
}

void tui_no_screen(const struct config *cfg, const char *what, const char *how,
		   const char *user, const char *command)
{
	const char *term = getenv("TERM");
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s needs a full-screen terminal, and this one cannot show one (",
		   what);
	if (term == NULL || term[0] == '\0')
		buf_puts(&b, "TERM is not set");
	else
		buf_puts(&b, "TERM="), text_sanitize(&b, term, strlen(term), TEXT_NAME);
	buf_printf(&b, ").\n%s\n  ", how);
	config_ssh_command(cfg, user, &b);
	buf_printf(&b, " %s\n", command);
	fputs(buf_str(&b), stdout);
	fflush(stdout);
	buf_free(&b);
}
