/*
 * view-compose.c: writing a post, a reply, a direct message, or an edit.
 *
 * A box with a content-warning field, the text (word-wrapped by display
 * width, the cursor moving by clusters), who can see it in words, and a
 * live count against the camp's limit in code points.  Ctrl-V opens the
 * picker with all six levels and a line on each; Ctrl-S sends through
 * post_create() or post_edit(), the functions the exec commands use; Esc
 * asks before throwing a draft away.  A reply to a camp-only post starts
 * camp-only and says so, and widening it asks first.  The text typed here
 * never reaches the terminal unfiltered: the editor refuses control
 * characters, and drawing goes through draw_safe().
 */
#include "tui/tui-private.h"

#include <curses.h>
#include <string.h>

struct compose {
	struct editor cw, body;
	int field; /* 0: content warning, 1: text */
	int vis;
	int64_t reply_to, edit_id;
	int parent_camp; /* replying to a camp-only post */
	int picking, pick;
	int top; /* first visual line of the text shown */
};

/* ---- drawing ---------------------------------------------------------------- */

static void compose_box(struct app *a, int y, int h, const char *title)
{
	int w = a->cols;

	mvaddstr(y, 0, "\xe2\x94\x8c"); /* ┌ */
	draw_hline(y, 1, w - 2);
	addstr("\xe2\x94\x90"); /* ┐ */
	for (int r = 1; r < h - 1; r++) {
		mvaddstr(y + r, 0, "\xe2\x94\x82"); /* │ */
		mvaddstr(y + r, w - 1, "\xe2\x94\x82");
	}
	mvaddstr(y + h - 1, 0, "\xe2\x94\x94"); /* └ */
	draw_hline(y + h - 1, 1, w - 2);
	addstr("\xe2\x94\x98"); /* ┘ */
	mvaddstr(y, 2, " ");
	draw_text(y, 3, w - 6, title, TEXT_NAME);
	addstr(" ");
}

/* The content warning line; returns the cursor column when focused. */
static int compose_cw(struct app *a, struct compose *c, int y, int w)
{
	static const char label[] = "Content warning (optional): ";
	int lw = (int)strlen(label), row, col;
	const char *t = editor_text(&c->cw);
	size_t skip = 0;

	draw_on(a, C_CW);
	mvaddstr(y, 2, label);
	draw_off(a, C_CW);
	editor_cursor(&c->cw, 1 << 20, &row, &col);
	while (col >= w - lw - 1) { /* keep the cursor in view */
		int cw;
		skip += tui_cluster(t, strlen(t), skip, &cw);
		col -= cw;
	}
	draw_safe(y, 2 + lw, w - lw, t + skip, strlen(t + skip));
	return 2 + lw + col;
}

/* The text, scrolled so the cursor line shows; stores the cursor. */
static void compose_body(struct compose *c, int y, int w, int h, int *cy, int *cx)
{
	struct tui_lines l = {0};
	const char *t = editor_text(&c->body);
	int row, col;

	editor_cursor(&c->body, w - 1, &row, &col);
	if (row < c->top)
		c->top = row;
	if (row >= c->top + h)
		c->top = row - h + 1;
	tui_wrap(t, strlen(t), w - 1, &l);
	for (int i = c->top; i < l.n && i < c->top + h; i++)
		draw_safe(y + i - c->top, 2, w, t + l.v[i].start, l.v[i].len);
	tui_lines_free(&l);
	*cy = y + row - c->top;
	*cx = 2 + col;
}

/* "Who can see it: camp · only people on ...      41/500" */
static void compose_status(struct app *a, struct compose *c, int y, int w)
{
	char count[32];
	size_t n = editor_count(&c->body);
	long max = a->cfg->max_post_chars;
	struct buf b = BUF_INIT;
	int cw;

	buf_printf(&b, "Who can see it: %s \xc2\xb7 %s", vis_label(c->vis),
		   vis_explain(c->vis));
	if (c->parent_camp && c->vis == VIS_CAMP)
		buf_puts(&b, " (a reply to a camp-only post)");
	snprintf(count, sizeof count, "%zu/%ld", n, max);
	cw = (int)strlen(count);
	if (c->vis == VIS_CAMP)
		draw_on(a, C_CAMP);
	draw_safe(y, 2, w - cw - 2, buf_str(&b), b.len);
	if (c->vis == VIS_CAMP)
		draw_off(a, C_CAMP);
	if (max > 0 && (long)n > max)
		draw_on(a, C_ERR);
	mvaddstr(y, 2 + w - cw, count);
	if (max > 0 && (long)n > max)
		draw_off(a, C_ERR);
	buf_free(&b);
}

static void view_compose_draw(struct app *a, struct screen *s, int y, int h)
{
	static const char keys[] = "Ctrl-S send   Tab next field   Ctrl-V who can see it"
				   "   Esc cancel";
	struct compose *c = s->state;
	int w = a->cols - 4, bh = h - 6, cy = y + 1, cx;

	compose_box(a, y, h, s->title);
	cx = compose_cw(a, c, y + 1, w);
	draw_on(a, C_DIM);
	draw_hline(y + 2, 2, w);
	draw_off(a, C_DIM);
	if (c->picking) {
		vis_picker_draw(
			a, "Who can see it? (\xe2\x86\x91\xe2\x86\x93 and Enter, or 1-6)",
			c->pick, y + 3, w, bh);
	} else if (c->field == 1) {
		compose_body(c, y + 3, w, bh, &cy, &cx);
	} else {
		int by, bx;
		compose_body(c, y + 3, w, bh, &by, &bx);
	}
	compose_status(a, c, y + h - 3, w);
	draw_safe(y + h - 2, 2, w, keys, strlen(keys));
	if (!c->picking) {
		move(cy, cx);
		curs_set(1);
	}
}

/* ---- keys --------------------------------------------------------------------- */

static int compose_empty(const struct compose *c)
{
	return editor_text(&c->body)[0] == '\0' && editor_text(&c->cw)[0] == '\0';
}

static int compose_send_new(struct app *a, struct compose *c, int64_t *id)
{
	struct post_new req;
	int flags = 0;

	memset(&req, 0, sizeof req);
	req.author_id = a->me.id;
	req.content = editor_text(&c->body);
	req.cw = editor_text(&c->cw);
	req.visibility = c->vis;
	req.in_reply_to_id = c->reply_to;
	req.max_chars = a->cfg->max_post_chars;
	req.local_domain = a->cfg->domain;
	return post_create(a->st, &req, id, &flags);
}

static void key_send(struct app *a, struct screen *s)
{
	struct compose *c = s->state;
	long max = a->cfg->max_post_chars;
	size_t n = editor_count(&c->body);
	int64_t id = 0, edit = c->edit_id;
	int r, vis = c->vis;

	c->picking = 0;
	if (n == 0) {
		app_say(a, "Write something first.");
		return;
	}
	if (max > 0 && (long)n > max) {
		app_say(a, "Too long: %zu characters, the camp allows %ld.", n, max);
		return;
	}
	if (c->edit_id)
		r = post_edit(a->st, a->me.id, c->edit_id, editor_text(&c->body),
			      editor_text(&c->cw), max, a->cfg->domain);
	else
		r = compose_send_new(a, c, &id);
	if (r != 0) {
		app_fail(a, "Not sent");
		return;
	}
	app_pop(a); /* frees c */
	app_say(a, "%s (%s).", edit ? "Edited" : "Sent", vis_label(vis));
	app_changed(a);
}

static void key_cancel(struct app *a, struct screen *s)
{
	struct compose *c = s->state;

	if (c->picking) {
		c->picking = 0;
		return;
	}
	if (!compose_empty(c) && !app_confirm(a, "Throw this draft away?"))
		return;
	app_pop(a);
	app_say(a, "Draft thrown away.");
}

static void key_field(struct app *a, struct screen *s)
{
	struct compose *c = s->state;

	(void)a;
	if (!c->picking)
		c->field = !c->field;
}

static void key_picker(struct app *a, struct screen *s)
{
	struct compose *c = s->state;

	if (c->edit_id) {
		app_say(a, "Who can see a post stays as it was when it was sent.");
		return;
	}
	c->picking = !c->picking;
	c->pick = vis_picker_index(c->vis);
}

/* Chooses a level from the picker; widening a camp-only reply asks. */
static void compose_choose(struct app *a, struct compose *c, int i)
{
	int v = vis_order[i];

	c->picking = 0;
	if (c->parent_camp && v != VIS_CAMP &&
	    !app_confirm(a, "The post you reply to is camp-only. Let your reply "
			    "leave the camp?")) {
		app_say(a, "Your reply stays camp-only.");
		return;
	}
	c->vis = v;
}

static int compose_pick_input(struct app *a, struct compose *c, int key)
{
	int i = vis_picker_key(key, &c->pick);

	if (i >= 0)
		compose_choose(a, c, i);
	return 1;
}

/* Editing keys on the focused field. */
static int compose_edit(struct app *a, struct compose *c, int key)
{
	struct editor *e = c->field ? &c->body : &c->cw;
	int w = a->cols - 5;

	if (key == K_FN(KEY_BACKSPACE) || key == 127 || key == K_CTRL('h'))
		editor_backspace(e);
	else if (key == K_FN(KEY_DC) || key == K_CTRL('d'))
		editor_delete(e);
	else if (key == K_FN(KEY_LEFT))
		editor_left(e);
	else if (key == K_FN(KEY_RIGHT))
		editor_right(e);
	else if (key == K_FN(KEY_UP))
		editor_up(e, w);
	else if (key == K_FN(KEY_DOWN))
		editor_down(e, w);
	else if (key == K_FN(KEY_HOME) || key == K_CTRL('a'))
		editor_home(e, w);
	else if (key == K_FN(KEY_END) || key == K_CTRL('e'))
		editor_end(e, w);
	else if ((key == K_ENTER || key == K_FN(KEY_ENTER)) && !c->field)
		c->field = 1;
	else if (key == K_ENTER || key == K_FN(KEY_ENTER))
		editor_insert(e, "\n", 1);
	else if (key >= 0x20 && key < K_FN(0) && editor_insert_cp(e, (uint32_t)key) != 0)
		app_say(a, "That character cannot be part of a post.");
	return 1;
}

static int view_compose_input(struct app *a, struct screen *s, int key)
{
	struct compose *c = s->state;

	if (c->picking)
		return compose_pick_input(a, c, key);
	return compose_edit(a, c, key);
}

static void view_compose_close(struct screen *s)
{
	struct compose *c = s->state;

	editor_free(&c->cw);
	editor_free(&c->body);
	free(c);
}

static const struct key compose_keys[] = {
	{{K_CTRL('s')}, "Ctrl-S", "send", key_send},
	{{'\t'}, "Tab", "next field: content warning, text", key_field},
	{{K_CTRL('v'), K_CTRL('w')},
	 "Ctrl-V",
	 "who can see it: pick a level",
	 key_picker},
	{{K_ESC}, "Esc", "cancel (asks before throwing a draft away)", key_cancel},
	KEYS_END,
};

static const char *const compose_hints[] = {
	"Ctrl-S send",
	"Ctrl-V who can see it",
	"Esc cancel",
	NULL,
};

const struct view view_compose = {
	.name = "Compose",
	.keys = compose_keys,
	.hints = compose_hints,
	.draw = view_compose_draw,
	.input = view_compose_input,
	.close = view_compose_close,
	.raw = 1,
};

/* "@bob @carol@elsewhere " for a reply: the author and who they
 * mentioned, never the member. */
static void compose_mentions(struct app *a, const struct post *p, struct buf *b)
{
	char *acct;

	if (p->author.id != a->me.id) {
		acct = account_brief_acct(&p->author);
		buf_printf(b, "@%s ", acct);
		free(acct);
	}
	for (int i = 0; i < p->nentities; i++) {
		const struct entity *e = &p->entities[i];
		if (e->kind == ENTITY_MENTION && e->account_id != a->me.id &&
		    e->account_id != p->author.id && !strstr(buf_str(b), e->value))
			buf_printf(b, "@%s ", e->value);
	}
}

void view_compose_open(struct app *a, const struct post *parent, const struct post *edit,
		       int visibility)
{
	struct compose *c = xcalloc(1, sizeof *c);
	struct buf b = BUF_INIT;
	char *title;

	editor_init(&c->cw, 0);
	editor_init(&c->body, 1);
	c->field = 1;
	c->vis = visibility >= 0 ? visibility : (int)a->me.default_visibility;
	if ((unsigned)c->vis >= VIS_COUNT)
		c->vis = VIS_PUBLIC;
	if (edit) {
		c->edit_id = edit->id;
		editor_set(&c->body, edit->content);
		editor_set(&c->cw, edit->cw ? edit->cw : "");
		title = xstrdup("Edit your post");
	} else if (parent) {
		char *who = act_name(&parent->author);
		c->reply_to = parent->id;
		c->parent_camp = parent->visibility == VIS_CAMP;
		/* The level `post --reply-to` would pick too. */
		c->vis = audience_reply_visibility((int)a->me.default_visibility,
						   (int)parent->visibility);
		compose_mentions(a, parent, &b);
		editor_set(&c->body, buf_str(&b));
		if (parent->cw && parent->cw[0])
			editor_set(&c->cw, parent->cw);
		title = xasprintf("Reply to %s", who);
		free(who);
	} else {
		title = xstrdup(c->vis == VIS_DIRECT
					? "New direct message (mention who it "
					  "is for)"
					: "New post");
	}
	app_push(a, &view_compose, c, title);
	if (c->parent_camp)
		app_say(a, "Replying to a camp-only post: your reply stays camp-only.");
	free(title);
	buf_free(&b);
}
