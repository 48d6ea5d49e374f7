/*
 * view-dms.c: direct conversations, newest first.
 *
 * One line per conversation (who is in it, how many messages, when the
 * last came) with the last message under it; Enter opens the
 * conversation, n writes a new direct message.  Only what
 * dm_conversations() returns for this member is shown.
 */
#include "tui/tui-private.h"

#include <curses.h>
#include <string.h>

#define DM_PAGE 40

struct dms {
	struct conversation_list cl;
	struct list l;
};

static int dms_load(struct app *a, struct dms *d)
{
	struct conversation_list cl = {0};
	int r = dm_conversations(a->st, a->viewer, DM_PAGE, &cl);

	if (r != 0)
		return r;
	conversation_list_free(&d->cl);
	d->cl = cl;
	d->l.n = cl.n;
	return 0;
}

/* "bob, carol": everyone but the member; caller frees. */
static char *dm_with(const struct conversation *c)
{
	struct buf b = BUF_INIT;

	for (int i = 0; i < c->nwith; i++) {
		char *n = act_name(&c->with[i]);
		buf_printf(&b, "%s%s", i ? ", " : "", n);
		free(n);
	}
	if (c->nwith == 0)
		buf_puts(&b, "yourself");
	return buf_detach(&b);
}

static int dm_render(struct app *a, const struct conversation *c, int y, int x, int w,
		     int h, int draw)
{
	int rows = 1;

	if (draw) {
		char *with = dm_with(c), when[16];
		draw_when(c->last.created_at, when);
		draw_on(a, C_NAME);
		int used = draw_safe(y, x, w - 24, with, strlen(with));
		draw_off(a, C_NAME);
		mvprintw(y, x + used, " \xc2\xb7 %d message%s \xc2\xb7 %s", c->count,
			 c->count == 1 ? "" : "s", when);
		free(with);
	}
	if (h > 1 && c->last.cw && c->last.cw[0]) {
		if (draw) {
			mvaddstr(y + 1, x + 2, "\xe2\x9a\xa0 ");
			draw_text(y + 1, x + 4, w - 4, c->last.cw, 0);
		}
		rows++;
	} else if (h > 1) {
		rows += draw_wrapped(y + 1, x + 2, w - 2, h - 1 < 2 ? h - 1 : 2,
				     c->last.content, draw);
	}
	return rows < h ? rows + 1 : rows;
}

static int dm_height(struct app *a, struct screen *s, int i, int w)
{
	return dm_render(a, &((struct dms *)s->state)->cl.items[i], 0, 0, w, 1000, 0);
}

static void dm_draw(struct app *a, struct screen *s, int i, int y, int x, int w, int h)
{
	dm_render(a, &((struct dms *)s->state)->cl.items[i], y, x, w, h, 1);
}

static const struct list_ops dm_ops = {dm_height, dm_draw};

static void view_dms_draw(struct app *a, struct screen *s, int y, int h)
{
	struct dms *d = s->state;

	if (d->cl.n == 0)
		draw_wrapped(y + 1, 2, a->cols - 4, h - 1,
			     "No direct messages yet. Press n to write one: mention the "
			     "people it is for (@name); only they will see it.",
			     1);
	else
		list_draw(a, s, &d->l, &dm_ops, y, h);
}

static void view_dms_changed(struct app *a, struct screen *s)
{
	dms_load(a, s->state);
}

static void view_dms_close(struct screen *s)
{
	struct dms *d = s->state;

	conversation_list_free(&d->cl);
	free(d);
}

static void key_down(struct app *a, struct screen *s)
{
	(void)a;
	list_move(&((struct dms *)s->state)->l, 1);
}

static void key_up(struct app *a, struct screen *s)
{
	(void)a;
	list_move(&((struct dms *)s->state)->l, -1);
}

static void key_open(struct app *a, struct screen *s)
{
	struct dms *d = s->state;
	char *with, *title;

	if (d->cl.n == 0)
		return;
	with = dm_with(&d->cl.items[d->l.sel]);
	title = xasprintf("DMs with %s", with);
	view_dm_open(a, d->cl.items[d->l.sel].last.id, title);
	free(title);
	free(with);
}

static const struct key dm_keys[] = {
	{{'j', K_FN(KEY_DOWN)}, "j \xe2\x86\x93", "next conversation", key_down},
	{{'k', K_FN(KEY_UP)}, "k \xe2\x86\x91", "previous conversation", key_up},
	{{K_ENTER, K_FN(KEY_ENTER)}, "Enter", "open the conversation", key_open},
	KEYS_END,
};

static const char *const dm_hints[] = {
	"Enter open",
	"n new message",
	"? help",
	NULL,
};

const struct view view_dms = {
	.name = "DMs",
	.keys = dm_keys,
	.hints = dm_hints,
	.draw = view_dms_draw,
	.changed = view_dms_changed,
	.close = view_dms_close,
};

void view_dms_open(struct app *a)
{
	struct dms *d = xcalloc(1, sizeof *d);

	if (dms_load(a, d) != 0) {
		app_fail(a, "Could not load conversations");
		free(d);
		return;
	}
	app_push(a, &view_dms, d, "DMs");
}
