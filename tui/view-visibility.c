/*
 * view-visibility.c: who sees the member's new posts by default.
 *
 * Opened with v from one's own profile: the six levels with a line on
 * each (vis-picker.c), the current default marked.  Choosing one saves
 * it with account_update_profile(), the function `profile --visibility`
 * uses over ssh; the compose box starts there from then on, and Ctrl-V
 * still changes a single post.  Esc keeps the default as it was.
 */
#include "tui/tui-private.h"

#include <curses.h>
#include <string.h>

struct vis_default {
	int pick; /* index into vis_order */
};

static void view_visibility_draw(struct app *a, struct screen *s, int y, int h)
{
	struct vis_default *d = s->state;
	int w = a->cols - 4, v = (int)a->me.default_visibility;
	struct buf b = BUF_INIT;

	buf_printf(&b, "Your new posts start as: %s (%s).", vis_label(v), vis_explain(v));
	draw_safe(y + 1, 2, w, buf_str(&b), b.len);
	buf_reset(&b);
	buf_puts(&b, "Ctrl-V in the compose box still changes who sees one post.");
	draw_on(a, C_DIM);
	draw_safe(y + 2, 2, w, buf_str(&b), b.len);
	draw_off(a, C_DIM);
	vis_picker_draw(a,
			"Who should see your new posts? (\xe2\x86\x91\xe2\x86\x93 and "
			"Enter, or 1-6)",
			d->pick, y + 4, w, h - 4);
	buf_free(&b);
}

static void view_visibility_close(struct screen *s)
{
	free(s->state);
}

/* Saves level vis_order[i] as the default and goes back. */
static void vis_default_choose(struct app *a, int i)
{
	int v = vis_order[i];

	if (account_update_profile(a->st, a->me.id, NULL, NULL, v) != 0) {
		app_fail(a, "Could not save");
		return;
	}
	a->me.default_visibility = (enum visibility)v;
	app_pop(a); /* frees the screen's state */
	app_say(a, "Your new posts start as %s now.", vis_label(v));
	app_changed(a);
}

static int view_visibility_input(struct app *a, struct screen *s, int key)
{
	struct vis_default *d = s->state;
	int i = vis_picker_key(key, &d->pick);

	if (i >= 0)
		vis_default_choose(a, i);
	return 1;
}

static void key_keep(struct app *a, struct screen *s)
{
	(void)s;
	app_pop(a);
	app_say(a, "Who sees your new posts stays as it was.");
}

static void key_next(struct app *a, struct screen *s)
{
	view_visibility_input(a, s, 'j');
}

static void key_prev(struct app *a, struct screen *s)
{
	view_visibility_input(a, s, 'k');
}

static void key_choose(struct app *a, struct screen *s)
{
	view_visibility_input(a, s, K_ENTER);
}

static const struct key vis_keys[] = {
	{{'j', K_FN(KEY_DOWN)}, "j \xe2\x86\x93", "next level", key_next},
	{{'k', K_FN(KEY_UP)}, "k \xe2\x86\x91", "previous level", key_prev},
	{{K_ENTER, K_FN(KEY_ENTER)}, "Enter", "make it the default (or 1-6)", key_choose},
	{{K_ESC, 'q'}, "Esc q", "keep the default as it is", key_keep},
	{{'?'}, "?", "this help", app_help},
	KEYS_END,
};

static const char *const vis_hints[] = {"Enter choose", "1-6 choose", "Esc keep",
					"? help", NULL};

const struct view view_visibility = {
	.name = "Who sees your new posts",
	.keys = vis_keys,
	.hints = vis_hints,
	.draw = view_visibility_draw,
	.input = view_visibility_input,
	.close = view_visibility_close,
	.raw = 1,
};

void view_visibility_open(struct app *a)
{
	struct vis_default *d = xcalloc(1, sizeof *d);

	d->pick = vis_picker_index((int)a->me.default_visibility);
	app_push(a, &view_visibility, d, "Who sees your new posts");
}
