/*
 * view-join.c: the join screen that join@ opens: invite code, username
 * (checked as it is typed), display name, then the code of conduct to
 * accept with y.
 *
 * The screen only gathers and checks; the join itself goes through the
 * submit function sshd hands in, so the same limits apply as for
 * `join CODE USERNAME`.  Whatever is typed is shown back only through
 * curses' wide-character calls, clipped to the field: it must never
 * crash on wide or odd characters, and never print raw control bytes.
 */
#include "tui/tui-private.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#define FIELD_MAX 64
#define FIELD_COL 18
#define FIELD_W 34
#define KEY_CTRL(c) ((c)&0x1f)

enum { F_CODE, F_NAME, F_DISPLAY, F_COUNT };

struct field {
	const char *label;
	size_t max;	/* characters */
	int ascii_only; /* codes and usernames are plain ASCII */
	wchar_t text[FIELD_MAX + 1];
	size_t len;
};

struct join_view {
	const struct tui_join_args *args;
	struct field f[F_COUNT];
	int focus;
	char message[256]; /* the last refusal, shown in the form */
	int conduct_top;   /* first line shown of the code of conduct */
};

/* Adds text from the camp's settings at y, x, made safe for the
 * terminal and clipped to the screen. */
static void put_safe(int y, int x, const char *s)
{
	struct buf b = BUF_INIT;

	text_sanitize(&b, s, strlen(s), TEXT_NAME);
	mvaddnstr(y, x, buf_str(&b), COLS - x > 0 ? COLS - x : 0);
	buf_free(&b);
}

/* A field's text as UTF-8 into out. */
static void field_utf8(const struct field *f, char *out, size_t outlen)
{
	size_t n = wcstombs(out, f->text, outlen - 1);

	out[n == (size_t)-1 ? 0 : n] = '\0';
}

/* ---- drawing ---- */

/* Draws text clipped to width cells, keeping its end visible. */
static void draw_field_text(int y, int x, const struct field *f, int width)
{
	size_t start = f->len;
	int used = 0;

	while (start > 0) {
		int w = wcwidth(f->text[start - 1]);
		if (used + (w < 1 ? 1 : w) > width)
			break;
		used += w < 1 ? 1 : w;
		start--;
	}
	for (size_t i = start; i < f->len; i++) {
		wchar_t one[2] = {iswprint((wint_t)f->text[i]) ? f->text[i] : 0xfffd, 0};
		mvaddnwstr(y, x, one, 1);
		x += wcwidth(one[0]) < 1 ? 1 : wcwidth(one[0]);
	}
}

/* The live verdict on the username: free, taken, or why not. */
static const char *name_verdict(struct join_view *v, int *ok)
{
	static char msg[160];
	char name[FIELD_MAX * 4 + 1];
	struct account a;

	field_utf8(&v->f[F_NAME], name, sizeof name);
	*ok = 0;
	if (name[0] == '\0')
		return "letters, digits and _";
	if (username_check(name) != 0) {
		snprintf(msg, sizeof msg, "%s", err_last());
		return msg;
	}
	if (account_get_member(v->args->st, name, &a) == 0) {
		account_free(&a);
		return "taken; try another";
	}
	*ok = 1;
	return "available";
}

static void draw_form(struct join_view *v)
{
	int ok, y = 6;

	erase();
	attron(A_BOLD);
	put_safe(0, 1, v->args->cfg->camp_name);
	attroff(A_BOLD);
	mvaddstr(0, COLS > 12 ? COLS - 6 : 0, "join");
	mvhline(1, 0, ACS_HLINE, COLS);
	mvaddstr(3, 2, "Welcome! Enter the invite code you were given and pick a name.");
	mvprintw(4, 2, "Your key %s will be your login.", v->args->key_fingerprint);
	for (int i = 0; i < F_COUNT; i++, y += 2) {
		if (i == v->focus)
			attron(A_BOLD);
		mvaddstr(y, 2, i == v->focus ? "> " : "  ");
		mvaddstr(y, 4, v->f[i].label);
		attroff(A_BOLD);
		mvaddch(y, FIELD_COL - 1, '[');
		draw_field_text(y, FIELD_COL, &v->f[i], FIELD_W);
		mvaddch(y, FIELD_COL + FIELD_W, ']');
	}
	const char *verdict = name_verdict(v, &ok);
	mvprintw(8, FIELD_COL + FIELD_W + 2, "%s %.*s", ok ? "ok:" : "--", COLS / 2,
		 verdict);
	mvaddstr(10, FIELD_COL + FIELD_W + 2, "(optional)");
	if (v->message[0]) {
		mvaddstr(13, 2, "Not joined: ");
		put_safe(13, 14, v->message);
	}
	mvhline(LINES - 2, 0, ACS_HLINE, COLS);
	mvaddstr(LINES - 1, 1, "Tab next field   Enter continue   Esc leave");
	curs_set(1);
	move(6 + 2 * v->focus,
	     FIELD_COL + (int)(v->f[v->focus].len < FIELD_W
				       ? wcswidth(v->f[v->focus].text, v->f[v->focus].len)
				       : FIELD_W));
	refresh();
}

/* Draws the code of conduct from line top; returns the line count. */
static int draw_conduct(struct join_view *v)
{
	const char *t = v->args->conduct;
	int line = 0, y = 2, rows = LINES - 4;

	erase();
	curs_set(0);
	attron(A_BOLD);
	mvaddstr(0, 1, "Please read the code of conduct");
	attroff(A_BOLD);
	mvhline(1, 0, ACS_HLINE, COLS);
	while (*t) {
		const char *nl = strchr(t, '\n');
		size_t n = nl ? (size_t)(nl - t) : strlen(t);
		if (line >= v->conduct_top && y < 2 + rows) {
			struct buf b = BUF_INIT;
			text_sanitize(&b, t, n, 0);
			mvaddnstr(y++, 2, buf_str(&b), -1);
			buf_free(&b);
		}
		line++;
		t += n + (nl ? 1 : 0);
	}
	mvhline(LINES - 2, 0, ACS_HLINE, COLS);
	mvaddstr(LINES - 1, 1,
		 "y accept and join   Up/Down scroll   Esc back to the form");
	refresh();
	return line;
}

/* ---- input ---- */

static void field_key(struct field *f, wint_t ch, int is_key)
{
	if (is_key && ch != KEY_BACKSPACE)
		return;
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (f->len > 0)
			f->text[--f->len] = 0;
	} else if (ch == KEY_CTRL('u')) {
		f->len = 0;
		f->text[0] = 0;
	} else if (iswprint(ch) && f->len < f->max && (!f->ascii_only || ch < 128)) {
		f->text[f->len++] = (wchar_t)ch;
		f->text[f->len] = 0;
	}
}

/* Shows the code of conduct; 1 if accepted, 0 to go back, -1 to leave. */
static int conduct_page(struct join_view *v)
{
	wint_t ch;
	int lines, r;

	v->conduct_top = 0;
	for (;;) {
		lines = draw_conduct(v);
		if ((r = get_wch(&ch)) == ERR)
			return -1;
		if (r == OK && (ch == 'y' || ch == 'Y'))
			return 1;
		if (r == OK && (ch == 27 || ch == 'n' || ch == 'N'))
			return 0;
		if (r == KEY_CODE_YES && (ch == KEY_DOWN || ch == KEY_NPAGE))
			v->conduct_top += ch == KEY_DOWN ? 1 : LINES - 5;
		if (r == KEY_CODE_YES && (ch == KEY_UP || ch == KEY_PPAGE))
			v->conduct_top -= ch == KEY_UP ? 1 : LINES - 5;
		if (v->conduct_top > lines - 1)
			v->conduct_top = lines - 1;
		if (v->conduct_top < 0)
			v->conduct_top = 0;
	}
}

/* Tries to join with what the form holds; 0 when joined. */
static int join_submit(struct join_view *v, int64_t *id)
{
	char code[FIELD_MAX * 4 + 1], name[FIELD_MAX * 4 + 1], display[FIELD_MAX * 4 + 1];
	int r;

	field_utf8(&v->f[F_CODE], code, sizeof code);
	field_utf8(&v->f[F_NAME], name, sizeof name);
	field_utf8(&v->f[F_DISPLAY], display, sizeof display);
	r = v->args->submit(v->args->ud, code, name, display, id);
	if (r == 0)
		return 0;
	snprintf(v->message, sizeof v->message, "%s", err_last());
	/* Put the cursor where the problem is. */
	v->focus = strstr(v->message, "name")	   ? F_NAME
		   : strstr(v->message, "display") ? F_DISPLAY
						   : F_CODE;
	return r;
}

static void welcome(struct join_view *v)
{
	char name[FIELD_MAX * 4 + 1];
	wint_t ch;

	field_utf8(&v->f[F_NAME], name, sizeof name);
	erase();
	curs_set(0);
	attron(A_BOLD);
	mvaddstr(3, 2, "Welcome to ");
	put_safe(3, 13, v->args->cfg->camp_name);
	printw(", %s!", name);
	attroff(A_BOLD);
	struct buf login = BUF_INIT;
	config_ssh_command(v->args->cfg, name, &login);
	mvprintw(5, 2, "From now on, log in with:  %s", buf_str(&login));
	buf_free(&login);
	mvaddstr(LINES - 1, 1, "Enter continue");
	refresh();
	get_wch(&ch);
}

/* One key on the form.  Returns 1 to go to the code of conduct, -1 to
 * leave, 0 to stay. */
static int form_key(struct join_view *v, int r, wint_t ch)
{
	if (r == ERR)
		return -1;
	if (r == OK && ch == 27)
		return -1;
	if ((r == OK && ch == '\t') || (r == KEY_CODE_YES && ch == KEY_DOWN))
		v->focus = (v->focus + 1) % F_COUNT;
	else if ((r == KEY_CODE_YES && (ch == KEY_UP || ch == KEY_BTAB)))
		v->focus = (v->focus + F_COUNT - 1) % F_COUNT;
	else if ((r == OK && (ch == '\r' || ch == '\n')) ||
		 (r == KEY_CODE_YES && ch == KEY_ENTER))
		return v->focus == F_COUNT - 1 ? 1 : (v->focus++, 0);
	else
		field_key(&v->f[v->focus], ch, r == KEY_CODE_YES);
	return 0;
}

int tui_join(const struct tui_join_args *args, int64_t *account_id)
{
	struct join_view v = {.args = args};
	int step = 0, r;
	wint_t ch;

	v.f[F_CODE] = (struct field){.label = "Invite code", .max = 32, .ascii_only = 1};
	v.f[F_NAME] = (struct field){.label = "Username", .max = 30, .ascii_only = 1};
	v.f[F_DISPLAY] = (struct field){.label = "Display name", .max = 60};
	if ((r = tui_curses_start()) != 0) {
		tui_no_screen(args->cfg, "The join screen",
			      "You can join with one command instead:", "join",
			      "join CODE YOURNAME");
		return r;
	}
	while (step >= 0) {
		draw_form(&v);
		int r = get_wch(&ch);
		if (r == KEY_CODE_YES && ch == KEY_RESIZE)
			continue;
		if ((step = form_key(&v, r, ch)) != 1)
			continue;
		if ((step = conduct_page(&v)) == 1 && join_submit(&v, account_id) == 0) {
			welcome(&v);
			endwin();
			return 0;
		}
	}
	endwin();
	return 1;
}
