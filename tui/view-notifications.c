/*
 * view-notifications.c: mentions, replies, follows, boosts, favourites.
 *
 * The newest notifications (one page), each with who did what and when,
 * and the post it is about (its content warning kept closed).  Seeing the
 * list marks it read, which the tab bar's count follows.  Enter opens the
 * post's thread or the follower's profile; a and x answer follow
 * requests.  Nothing here may change a notification but its read mark.
 */
#include "tui/tui-private.h"

#include <curses.h>
#include <string.h>

#define NOTE_PAGE 50

struct notes {
	struct notification_list nl;
	struct list l;
};

static const char *const verbs[NOTIFY_KIND_COUNT] = {
	[NOTIFY_MENTION] = "@ %s mentioned you",
	[NOTIFY_REPLY] = "\xe2\x86\xa9 %s replied",
	[NOTIFY_FOLLOW] = "+ %s followed you",
	[NOTIFY_FOLLOW_REQUEST] = "? %s asked to follow you (a accept, x decline)",
	[NOTIFY_BOOST] = "\xe2\x9f\xb2 %s boosted your post",
	[NOTIFY_FAVOURITE] = "\xe2\x98\x85 %s favourited your post",
};

/* Loads the newest page; mark says the member is looking at it, so it
 * counts as read. */
static int notes_load(struct app *a, struct notes *n, int mark)
{
	struct notification_list nl = {0};
	int r = notifications_get(a->st, a->viewer, 0, NOTE_PAGE, &nl);

	if (r != 0)
		return r;
	notification_list_free(&n->nl);
	n->nl = nl;
	n->l.n = nl.n;
	if (mark && nl.n > 0 &&
	    notifications_mark_read(a->st, a->me.id, nl.items[0].id) == 0)
		a->unread = 0;
	return 0;
}

/* The post under a notification, drawn without its counts line. */
static int note_post_rows(struct app *a, const struct notification *no, int y, int x,
			  int w, int h, int draw)
{
	const struct post *p = no->post;

	if (p == NULL)
		return 0;
	if (p->cw && p->cw[0] && !app_cw_open(a, p->id)) {
		if (draw) {
			draw_on(a, C_CW);
			mvaddstr(y, x, "\xe2\x9a\xa0 ");
			draw_text(y, x + 2, w - 2, p->cw, 0);
			draw_off(a, C_CW);
		}
		return 1;
	}
	return draw_wrapped(y, x, w, h < 3 ? h : 3, p->content, draw);
}

static int note_render(struct app *a, const struct notification *no, int y, int x, int w,
		       int h, int draw)
{
	int rows = 1;

	if (draw) {
		char *who = act_name(&no->from), *line, when[16];
		const char *fmt =
			(unsigned)no->kind < NOTIFY_KIND_COUNT ? verbs[no->kind] : "%s";
		draw_when(no->created_at, when);
		line = xasprintf(fmt, who);
		if (no->unread)
			draw_on(a, C_NAME);
		int used = draw_safe(y, x, w - 8, line, strlen(line));
		if (no->unread)
			draw_off(a, C_NAME);
		mvprintw(y, x + used, " \xc2\xb7 %s", when);
		free(line);
		free(who);
	}
	if (h > 1)
		rows += note_post_rows(a, no, y + 1, x + 2, w - 2, h - 1, draw);
	return rows < h ? rows + 1 : rows;
}

static int note_height(struct app *a, struct screen *s, int i, int w)
{
	struct notes *n = s->state;

	return note_render(a, &n->nl.items[i], 0, 0, w, 1000, 0);
}

static void note_draw(struct app *a, struct screen *s, int i, int y, int x, int w, int h)
{
	struct notes *n = s->state;

	note_render(a, &n->nl.items[i], y, x, w, h, 1);
}

static const struct list_ops note_ops = {note_height, note_draw};

static void view_notifications_draw(struct app *a, struct screen *s, int y, int h)
{
	struct notes *n = s->state;

	if (n->nl.n == 0)
		draw_wrapped(y + 1, 2, a->cols - 4, h - 1,
			     "No notifications yet. When someone mentions, follows, "
			     "boosts or favourites you, it shows here.",
			     1);
	else
		list_draw(a, s, &n->l, &note_ops, y, h);
}

static void view_notifications_changed(struct app *a, struct screen *s)
{
	struct notes *n = s->state;
	int64_t sel = n->nl.n ? n->nl.items[n->l.sel].id : 0;

	if (notes_load(a, n, app_top(a) == s) != 0)
		return;
	for (int i = 0; i < n->nl.n; i++)
		if (n->nl.items[i].id == sel)
			n->l.sel = i;
}

static void view_notifications_close(struct screen *s)
{
	struct notes *n = s->state;

	notification_list_free(&n->nl);
	free(n);
}

static struct notification *note_sel(struct screen *s)
{
	struct notes *n = s->state;

	return n->nl.n ? &n->nl.items[n->l.sel] : NULL;
}

static void key_down(struct app *a, struct screen *s)
{
	(void)a;
	list_move(&((struct notes *)s->state)->l, 1);
}

static void key_up(struct app *a, struct screen *s)
{
	(void)a;
	list_move(&((struct notes *)s->state)->l, -1);
}

static void key_first(struct app *a, struct screen *s)
{
	(void)a;
	((struct notes *)s->state)->l.sel = 0;
}

static void key_last(struct app *a, struct screen *s)
{
	struct notes *n = s->state;

	(void)a;
	n->l.sel = n->l.n - 1;
}

static void key_pgdn(struct app *a, struct screen *s)
{
	struct notes *n = s->state;

	list_move(&n->l, list_page(a, s, &n->l, &note_ops, a->rows - 4));
}

static void key_pgup(struct app *a, struct screen *s)
{
	struct notes *n = s->state;

	list_move(&n->l, -list_page(a, s, &n->l, &note_ops, a->rows - 4));
}

static void key_open(struct app *a, struct screen *s)
{
	struct notification *no = note_sel(s);

	if (no == NULL)
		return;
	if (no->post)
		view_thread_open(a, no->post->id);
	else
		view_profile_open(a, no->from.id);
}

static void key_profile(struct app *a, struct screen *s)
{
	struct notification *no = note_sel(s);

	if (no)
		view_profile_open(a, no->from.id);
}

/* Answers the selected follow request. */
static void note_answer(struct app *a, struct screen *s, int yes)
{
	struct notification *no = note_sel(s);
	int r;

	if (no == NULL || no->kind != NOTIFY_FOLLOW_REQUEST) {
		app_say(a, "Select a follow request first.");
		return;
	}
	r = yes ? follow_accept(a->st, a->me.id, no->from.id)
		: follow_reject(a->st, a->me.id, no->from.id);
	if (r != 0)
		app_fail(a, "Could not answer");
	else
		app_say(a, yes ? "Accepted: they follow you now." : "Declined.");
	app_changed(a);
}

static void key_accept(struct app *a, struct screen *s)
{
	note_answer(a, s, 1);
}

static void key_reject(struct app *a, struct screen *s)
{
	note_answer(a, s, 0);
}

static const struct key note_keys[] = {
	{{'j', K_FN(KEY_DOWN)}, "j \xe2\x86\x93", "next notification", key_down},
	{{'k', K_FN(KEY_UP)}, "k \xe2\x86\x91", "previous notification", key_up},
	{{'g', K_FN(KEY_HOME)}, "g Home", "newest", key_first},
	{{'G', K_FN(KEY_END)}, "G End", "oldest shown", key_last},
	{{K_FN(KEY_NPAGE), ' '}, "PgDn Space", "page down", key_pgdn},
	{{K_FN(KEY_PPAGE)}, "PgUp", "page up", key_pgup},
	{{K_ENTER, K_FN(KEY_ENTER)},
	 "Enter",
	 "open the post's thread, or the profile",
	 key_open},
	{{'p'}, "p", "the profile of who did it", key_profile},
	{{'a'}, "a", "accept a follow request", key_accept},
	{{'x'}, "x", "decline a follow request", key_reject},
	KEYS_END,
};

static const char *const note_hints[] = {
	"Enter open", "p profile", "a accept", "x decline", "n new", "? help", NULL,
};

const struct view view_notifications = {
	.name = "Notifications",
	.keys = note_keys,
	.hints = note_hints,
	.draw = view_notifications_draw,
	.changed = view_notifications_changed,
	.close = view_notifications_close,
};

void view_notifications_open(struct app *a)
{
	struct notes *n = xcalloc(1, sizeof *n);

	if (notes_load(a, n, 1) != 0) {
		app_fail(a, "Could not load notifications");
		free(n);
		return;
	}
	app_push(a, &view_notifications, n, "Notifications");
}
