/*
 * view-welcome.c: the first-login pages.
 *
 * Three pages, each dismissed with Enter: the welcome note the admin
 * wrote on the invite; the code of conduct from DIR/conduct.txt (accepted
 * with y, unless it already was); a tour of one screen: what each tab is,
 * what the visibility levels mean, and who is here, with each member's
 * intro.  After the last page the member is marked onboarded.  The
 * admin's note and members' intros are drawn through the sanitizing
 * helpers like every other text.
 */
#include "tui/tui-private.h"

#include <curses.h>
#include <string.h>

#define CONDUCT_MAX (64 * 1024)

struct welcome {
	int page;
	int scroll;
	char *conduct;
};

static void welcome_note(struct app *a, int y, int h)
{
	const char *note = a->me.welcome_note && a->me.welcome_note[0]
				   ? a->me.welcome_note
				   : "Welcome! The admin left no note, but you are very "
				     "welcome here.";
	char *hello = xasprintf("Welcome to %s, %s.", a->cfg->camp_name, a->me.username);
	int rows;

	draw_on(a, C_NAME);
	draw_text(y + 1, 2, a->cols - 4, hello, TEXT_NAME);
	draw_off(a, C_NAME);
	rows = draw_wrapped(y + 3, 4, a->cols - 8, h - 6, note, 1);
	mvaddstr(y + 4 + rows, 2, "Press Enter to go on.");
	free(hello);
}

static void welcome_conduct(struct app *a, struct welcome *w, int y, int h)
{
	struct tui_lines l = {0};
	struct buf b = BUF_INIT;
	int rows = h - 3;

	draw_on(a, C_NAME);
	mvaddstr(y, 2, "The code of conduct");
	draw_off(a, C_NAME);
	text_sanitize(&b, w->conduct, strlen(w->conduct), TEXT_MULTILINE);
	tui_wrap(buf_str(&b), b.len, a->cols - 6, &l);
	if (w->scroll > l.n - rows)
		w->scroll = l.n - rows > 0 ? l.n - rows : 0;
	for (int i = 0; i < rows && w->scroll + i < l.n; i++) {
		const struct tui_line *t = &l.v[w->scroll + i];
		draw_safe(y + 1 + i, 4, a->cols - 6, b.data + t->start, t->len);
	}
	draw_on(a, C_SEL);
	mvaddstr(y + h - 1, 2,
		 a->me.coc_accepted_at
			 ? "You accepted it when you joined. Press Enter to go on."
			 : "Press y to accept it, j/k to scroll, q to leave.");
	draw_off(a, C_SEL);
	tui_lines_free(&l);
	buf_free(&b);
}

static const char *const tour_lines[] = {
	"1 Home        you and the people you follow",
	"2 Camp        everyone on this camp",
	"3 Federated   public posts from the wider fediverse",
	"4 Notifications, 5 DMs, 6 Directory;  n writes a post, ? shows every key",
	"",
	"Who can see a post:  public (anyone)  unlisted (anyone, off public lists)",
	"followers (yours, and who you mention)  direct (only who you mention)",
	"camp (only people here, never leaves)  neighborhood (here + trusted camps)",
	NULL,
};

/* Who is here: each member with their intro, as many as fit. */
static void tour_members(struct app *a, int y, int h)
{
	struct directory_entry *e = NULL;
	int n = 0, i, room;

	if (directory_list(a->st, a->me.id, &e, &n) != 0)
		return;
	draw_on(a, C_NAME);
	mvaddstr(y, 2, "Who is here");
	draw_off(a, C_NAME);
	/* The last row says how many more there are, when some do not fit. */
	room = n > h - 1 ? h - 2 : h - 1;
	for (i = 0; i < n && i < room; i++) {
		char *acct = account_acct(&e[i].account);
		int used = draw_text(y + 1 + i, 4, 24, acct, TEXT_NAME);
		draw_text(y + 1 + i, 4 + used + 2, a->cols - 10 - used,
			  e[i].account.bio && e[i].account.bio[0] ? e[i].account.bio
								  : "(no intro yet)",
			  0);
		free(acct);
	}
	if (i < n)
		mvprintw(y + h - 1, 4, "and %d more: see the Directory (6)", n - i);
	directory_free(e, n);
}

static void welcome_tour(struct app *a, int y, int h)
{
	int i;

	draw_on(a, C_NAME);
	mvaddstr(y, 2, "A quick tour");
	draw_off(a, C_NAME);
	for (i = 0; tour_lines[i] && i + 1 < h; i++)
		draw_safe(y + 1 + i, 4, a->cols - 6, tour_lines[i],
			  strlen(tour_lines[i]));
	tour_members(a, y + i + 2, h - i - 4);
	mvaddstr(y + h - 1, 2, "Press Enter to start.");
}

static void view_welcome_draw(struct app *a, struct screen *s, int y, int h)
{
	struct welcome *w = s->state;

	if (w->page == 0)
		welcome_note(a, y, h);
	else if (w->page == 1)
		welcome_conduct(a, w, y, h);
	else
		welcome_tour(a, y, h);
}

static void view_welcome_close(struct screen *s)
{
	struct welcome *w = s->state;

	free(w->conduct);
	free(w);
}

static void welcome_done(struct app *a)
{
	if (account_set_onboarded(a->st, a->me.id) != 0)
		app_fail(a, "Could not remember that you saw the welcome pages");
	else
		a->me.onboarded_at = now_s();
	app_pop(a);
}

static void key_next(struct app *a, struct screen *s)
{
	struct welcome *w = s->state;

	if (w->page == 1 && !a->me.coc_accepted_at) {
		app_say(a, "Press y to accept the code of conduct, or q to leave.");
		return;
	}
	w->scroll = 0;
	if (++w->page > 2)
		welcome_done(a);
}

static void key_accept(struct app *a, struct screen *s)
{
	struct welcome *w = s->state;

	if (w->page != 1 || a->me.coc_accepted_at)
		return;
	if (account_set_coc_accepted(a->st, a->me.id) != 0) {
		app_fail(a, "Could not record it");
		return;
	}
	a->me.coc_accepted_at = now_s();
	app_say(a, "Thank you.");
	w->page++;
}

static void key_leave(struct app *a, struct screen *s)
{
	(void)s;
	if (app_confirm(a, "Leave for now? These pages come back next time."))
		a->quit = 1;
}

static void key_down(struct app *a, struct screen *s)
{
	(void)a;
	((struct welcome *)s->state)->scroll++;
}

static void key_up(struct app *a, struct screen *s)
{
	struct welcome *w = s->state;

	(void)a;
	if (w->scroll > 0)
		w->scroll--;
}

static const struct key welcome_keys[] = {
	{{K_ENTER, K_FN(KEY_ENTER), ' '}, "Enter", "next page", key_next},
	{{'y', 'Y'}, "y", "accept the code of conduct", key_accept},
	{{'j', K_FN(KEY_DOWN)}, "j \xe2\x86\x93", "scroll down", key_down},
	{{'k', K_FN(KEY_UP)}, "k \xe2\x86\x91", "scroll up", key_up},
	{{'q', K_ESC}, "q", "leave for now", key_leave},
	KEYS_END,
};

static const char *const welcome_hints[] = {"Enter next", "y accept", "q leave", NULL};

const struct view view_welcome = {
	.name = "Welcome",
	.keys = welcome_keys,
	.hints = welcome_hints,
	.draw = view_welcome_draw,
	.close = view_welcome_close,
	.raw = 1,
};

void view_welcome_open(struct app *a)
{
	struct welcome *w = xcalloc(1, sizeof *w);
	char *path = xasprintf("%s/conduct.txt", a->args->dir ? a->args->dir : ".");
	size_t len;

	if (file_read(path, CONDUCT_MAX, &w->conduct, &len) != 0)
		w->conduct = xstrdup(embed_conduct);
	free(path);
	app_push(a, &view_welcome, w, "Welcome");
}
