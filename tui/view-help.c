/*
 * view-help.c: every key of the screen below, and the keys everywhere.
 *
 * Built from the same tables that dispatch the keys, so help can never
 * list a key that does not work or miss one that does.  j/k scroll when
 * the list is taller than the window; Esc, q or ? close it.
 */
#include "tui/tui-private.h"

#include <curses.h>
#include <string.h>

#define LABEL_COLS 14

struct help {
	const struct view *of; /* NULL: only the keys everywhere */
	int scroll;
};

/* Draws one table under a heading from row *row (scrolled); returns the
 * rows it took. */
static void help_table(struct app *a, const char *heading, const struct key *t, int y,
		       int h, int skip, int *row)
{
	if (t == NULL)
		return;
	if (*row >= skip && *row - skip < h) {
		draw_on(a, C_NAME);
		mvaddstr(y + *row - skip, 2, heading);
		draw_off(a, C_NAME);
	}
	(*row)++;
	for (; t->fn; t++, (*row)++) {
		int r = *row - skip;
		if (r < 0 || r >= h)
			continue;
		draw_safe(y + r, 4, LABEL_COLS, t->label, strlen(t->label));
		draw_safe(y + r, 4 + LABEL_COLS, a->cols - 6 - LABEL_COLS, t->help,
			  strlen(t->help));
	}
	(*row)++;
}

/* Rows a table takes: its heading, its keys, a blank line. */
static int help_rows(const struct key *t)
{
	int n = 2;

	for (; t && t->fn; t++)
		n++;
	return t ? n : 0;
}

static void view_help_draw(struct app *a, struct screen *s, int y, int h)
{
	struct help *hp = s->state;
	char heading[96];
	int row = 0, total = help_rows(app_keys);

	if (hp && hp->of)
		total += help_rows(hp->of->keys) + help_rows(hp->of->more_keys);
	if (hp && hp->scroll > total - h)
		hp->scroll = total - h > 0 ? total - h : 0;

	if (hp && hp->of) {
		snprintf(heading, sizeof heading, "Keys on this screen (%s)",
			 hp->of->name);
		help_table(a, heading, hp->of->keys, y, h, hp->scroll, &row);
		if (hp->of->more_keys)
			help_table(a, "Keys on the selected post", hp->of->more_keys, y,
				   h, hp->scroll, &row);
	}
	if (hp == NULL || !hp->of || !hp->of->raw)
		help_table(a, "Keys everywhere", app_keys, y, h, hp ? hp->scroll : 0,
			   &row);
}

static void view_help_close(struct screen *s)
{
	free(s->state);
}

static void key_close(struct app *a, struct screen *s)
{
	(void)s;
	app_pop(a);
}

static void key_down(struct app *a, struct screen *s)
{
	struct help *hp = s->state;

	(void)a;
	if (hp)
		hp->scroll++;
}

static void key_up(struct app *a, struct screen *s)
{
	struct help *hp = s->state;

	(void)a;
	if (hp && hp->scroll > 0)
		hp->scroll--;
}

static const struct key help_keys[] = {
	{{'j', K_FN(KEY_DOWN)}, "j \xe2\x86\x93", "scroll down", key_down},
	{{'k', K_FN(KEY_UP)}, "k \xe2\x86\x91", "scroll up", key_up},
	{{K_ESC, 'q', '?'}, "Esc q ?", "close this help", key_close},
	KEYS_END,
};

static const char *const help_hints[] = {"Esc close", "j/k scroll", NULL};

const struct view view_help = {
	.name = "Help",
	.keys = help_keys,
	.hints = help_hints,
	.draw = view_help_draw,
	.close = view_help_close,
};

void app_help(struct app *a, struct screen *s)
{
	struct help *hp = xcalloc(1, sizeof *hp);

	hp->of = s->view == &view_help ? NULL : s->view;
	app_push(a, &view_help, hp, "Help: every key");
}
