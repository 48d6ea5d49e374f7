/*
 * draw.c: putting text on the screen, safely and by display width.
 *
 * Every byte of someone else's text reaches ncurses through draw_text()
 * or draw_wrapped(), which run it through text_sanitize() first, and then
 * through draw_safe(), which places whole clusters only and never past
 * the width it was given.  This file must never hand ncurses a control
 * character, a bidi control, or a code point the locale cannot print.
 */
#include "tui/tui-private.h"

#include <curses.h>
#include <string.h>
#include <wchar.h>

/* Attributes for each colour role, with and without colours. */
static const struct {
	short fg;
	attr_t mono, extra;
} roles[C_COUNT] = {
	[C_NONE] = {-1, A_NORMAL, A_NORMAL},
	[C_SEL] = {COLOR_YELLOW, A_BOLD, A_BOLD},
	[C_NAME] = {COLOR_CYAN, A_BOLD, A_BOLD},
	[C_CAMP] = {COLOR_GREEN, A_UNDERLINE, A_BOLD},
	[C_CW] = {COLOR_YELLOW, A_BOLD, A_NORMAL},
	[C_DIM] = {-1, A_NORMAL, A_DIM},
	[C_TAB] = {-1, A_REVERSE, A_REVERSE},
	[C_ERR] = {COLOR_RED, A_BOLD, A_BOLD},
};

static attr_t role_attr(struct app *a, enum color c)
{
	if (!a->colors)
		return roles[c].mono;
	return roles[c].extra | (roles[c].fg >= 0 ? (attr_t)COLOR_PAIR(c) : 0);
}

void draw_on(struct app *a, enum color c)
{
	attron(role_attr(a, c));
}

void draw_off(struct app *a, enum color c)
{
	attroff(role_attr(a, c));
}

/* Draws one cluster that text.c measured; a mark with no base goes on a
 * dotted circle, a code point the locale cannot print becomes U+FFFD. */
static void draw_cluster(const char *s, size_t n)
{
	uint32_t cp;
	size_t i = 0;
	int k;

	while (i < n) {
		k = utf8_decode(s + i, n - i, &cp);
		if (k < 0) {
			addstr("\xef\xbf\xbd");
			i++;
			continue;
		}
		if (i == 0 && cp != ' ' && wcwidth((wchar_t)cp) == 0)
			addstr("\xe2\x97\x8c"); /* ◌ */
		if (wcwidth((wchar_t)cp) < 0)
			addstr("\xef\xbf\xbd");
		else
			addnstr(s + i, k);
		i += (size_t)k;
	}
}

int draw_safe(int y, int x, int maxw, const char *s, size_t len)
{
	size_t i = 0, n;
	int w, used = 0;

	move(y, x);
	while (i < len && s[i] != '\n') {
		n = tui_cluster(s, len, i, &w);
		if (used + w > maxw)
			break;
		draw_cluster(s + i, n);
		used += w;
		i += n;
	}
	return used;
}

int draw_text(int y, int x, int maxw, const char *s, int flags)
{
	struct buf b = BUF_INIT;
	int used;

	text_sanitize(&b, s ? s : "", s ? strlen(s) : 0, flags);
	used = draw_safe(y, x, maxw, buf_str(&b), b.len);
	buf_free(&b);
	return used;
}

int draw_text_width(const char *s, int flags)
{
	struct buf b = BUF_INIT;
	int w;

	text_sanitize(&b, s ? s : "", s ? strlen(s) : 0, flags);
	w = tui_text_width(buf_str(&b), b.len);
	buf_free(&b);
	return w;
}

/* Line drawing in plain UTF-8 (the client always runs in a UTF-8
 * locale), not the terminal's alternate character set, which some
 * terminals and multiplexers render as letters. */
void draw_hline(int y, int x, int n)
{
	move(y, x);
	for (int i = 0; i < n; i++)
		addstr("\xe2\x94\x80"); /* ─ */
}

void draw_rule(struct app *a, int y, const char *title)
{
	draw_on(a, C_DIM);
	draw_hline(y, 0, a->cols);
	draw_off(a, C_DIM);
	if (title && *title) {
		mvaddstr(y, 1, " ");
		draw_on(a, C_NAME);
		int w = draw_text(y, 2, a->cols - 4, title, TEXT_NAME);
		draw_off(a, C_NAME);
		mvaddstr(y, 2 + w, " ");
	}
}

int draw_wrapped(int y, int x, int width, int maxrows, const char *s, int draw)
{
	struct buf b = BUF_INIT;
	struct tui_lines l = {0};
	int rows;

	text_sanitize(&b, s ? s : "", s ? strlen(s) : 0, TEXT_MULTILINE);
	while (b.len > 0 && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	tui_wrap(buf_str(&b), b.len, width, &l);
	rows = l.n < maxrows ? l.n : maxrows;
	for (int i = 0; draw && i < rows; i++) {
		const struct tui_line *t = &l.v[i];
		if (i == rows - 1 && rows < l.n) { /* cut: say so */
			size_t fit = tui_fit(b.data + t->start, t->len, width - 2, NULL);
			int w = draw_safe(y + i, x, width - 2, b.data + t->start, fit);
			mvaddstr(y + i, x + w, " \xe2\x80\xa6"); /* … */
		} else {
			draw_safe(y + i, x, width, b.data + t->start, t->len);
		}
	}
	tui_lines_free(&l);
	buf_free(&b);
	return rows;
}

void draw_when(int64_t t, char out[16])
{
	int64_t d = now_s() - t;
	time_t tt = (time_t)t;
	struct tm tm;

	if (d < 60)
		snprintf(out, 16, "now");
	else if (d < 3600)
		snprintf(out, 16, "%dm", (int)(d / 60));
	else if (d < 86400)
		snprintf(out, 16, "%dh", (int)(d / 3600));
	else if (d < 7 * 86400)
		snprintf(out, 16, "%dd", (int)(d / 86400));
	else if (localtime_r(&tt, &tm) && strftime(out, 16, "%b %e %Y", &tm) > 0)
		return;
	else
		snprintf(out, 16, "long ago");
}

const char *draw_vis_word(enum visibility v)
{
	return visibility_label(v);
}

void draw_init_colors(struct app *a)
{
	a->colors = has_colors() && start_color() == OK;
	if (!a->colors)
		return;
	use_default_colors();
	for (int c = 1; c < C_COUNT; c++)
		if (roles[c].fg >= 0)
			init_pair((short)c, roles[c].fg, -1);
}
