/*
 * placeholder.c: a stand-in for the full-screen client until the real
 * one lands: the camp's name, who is logged in, the terminal's size
 * (redrawn live as the window changes) and how to leave.
 *
 * It only reads the member's account; it must never write to the store.
 */
#include "tui/tui.h"

#include <curses.h>
#include <string.h>

/* Adds member-supplied text at y, x, made safe for the terminal. */
static void put_safe(int y, int x, const char *s, int flags)
{
	struct buf b = BUF_INIT;

	text_sanitize(&b, s, strlen(s), flags);
	mvaddnstr(y, x, buf_str(&b), -1);
	buf_free(&b);
}

static void draw(const struct tui_args *args, const struct account *a)
{
	char size[32];

	erase();
	attron(A_BOLD);
	put_safe(0, 1, args->cfg->camp_name, TEXT_NAME);
	attroff(A_BOLD);
	mvprintw(0, COLS > 30 ? COLS - (int)strlen(a->username) - 3 : 20, "@%s",
		 a->username);
	mvhline(1, 0, ACS_HLINE, COLS);
	mvaddstr(3, 2, "Hello, ");
	put_safe(3, 9, a->display_name[0] ? a->display_name : a->username, TEXT_NAME);
	snprintf(size, sizeof size, "%dx%d", COLS, LINES);
	mvprintw(5, 2, "Your terminal is %s.", size);
	mvaddstr(6, 2, "The full client is on its way; for now, try the commands:");
	mvaddstr(7, 4, "ssh ... help");
	if (args->first_login && a->welcome_note[0]) {
		mvaddstr(9, 2, "A welcome note for you:");
		put_safe(10, 4, a->welcome_note, TEXT_NAME);
	}
	mvhline(LINES - 2, 0, ACS_HLINE, COLS);
	mvaddstr(LINES - 1, 1, "q quit");
	refresh();
}

int tui_run(const struct tui_args *args)
{
	struct account a;
	int ch;

	if (account_get(args->st, args->account_id, &a) != 0)
		return 1;
	tui_curses_start();
	draw(args, &a);
	/* ERR from a blocking getch() means the terminal is gone. */
	while ((ch = getch()) != 'q' && ch != 'Q' && ch != ERR)
		draw(args, &a);
	endwin();
	account_free(&a);
	return 0;
}
