/*
 * list.c: a scrolling list whose items have different heights.
 *
 * Timelines, notifications, conversations and the directory are all lists
 * of this kind: the selection is an item, marked in the margin with a bar
 * (not only by colour), and scrolling keeps it in view.  The list knows
 * nothing of what its items are; the view measures and draws them.
 */
#include "tui/tui-private.h"

#include <curses.h>

/* Scrolls so the selected item is in view, from top down. */
static void list_follow(struct app *a, struct screen *s, struct list *l,
			const struct list_ops *ops, int w, int h)
{
	int rows;

	if (l->sel < l->top)
		l->top = l->sel;
	for (;;) {
		rows = 0;
		for (int i = l->top; i <= l->sel; i++)
			rows += ops->height(a, s, i, w);
		if (rows <= h || l->top >= l->sel)
			break;
		l->top++;
	}
}

/* The margin bar beside rows [y, y+n). */
static void list_mark(struct app *a, int y, int n)
{
	draw_on(a, C_SEL);
	for (int r = 0; r < n; r++)
		mvaddstr(y + r, 0, "\xe2\x96\x8c"); /* ▌ */
	draw_off(a, C_SEL);
}

void list_draw(struct app *a, struct screen *s, struct list *l,
	       const struct list_ops *ops, int y, int h)
{
	int w = a->cols - 2, row = 0, ih;

	if (l->n == 0)
		return;
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (l->top > l->sel)
		l->top = l->sel;
	list_follow(a, s, l, ops, w, h);
	for (int i = l->top; i < l->n && row < h; i++) {
		ih = ops->height(a, s, i, w);
		if (ih > h - row)
			ih = h - row;
		ops->draw(a, s, i, y + row, 2, w, ih);
		if (i == l->sel)
			list_mark(a, y + row, ih > 1 ? ih - 1 : 1);
		row += ih;
	}
}

void list_move(struct list *l, int delta)
{
	l->sel += delta;
	if (l->sel >= l->n)
		l->sel = l->n - 1;
	if (l->sel < 0)
		l->sel = 0;
}

int list_page(struct app *a, struct screen *s, struct list *l, const struct list_ops *ops,
	      int h)
{
	int rows = 0, n = 0;

	for (int i = l->top; i < l->n; i++) {
		rows += ops->height(a, s, i, a->cols - 2);
		if (rows > h)
			break;
		n++;
	}
	return n > 1 ? n - 1 : 1;
}
