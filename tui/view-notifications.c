/*
 * view-notifications.c: mentions, replies, follows, boosts, favourites.
 *
 * Notifications newest first, each with who did what and when, and the
 * post it is about (its content warning kept closed).  They live in a
 * pager (pager.c) like the timelines: older pages load as the member
 * scrolls down, at most PAGER_MAX are held, and scrolling back up loads
 * again what was let go.  Seeing the newest marks them read, which the
 * tab bar's count follows.  Enter opens the post's thread or the
 * follower's profile; a and x answer follow requests.  Nothing here may
 * change a notification but its read mark.
 */
#include "tui/tui-private.h"

#include <curses.h>
#include <string.h>

struct notes {
	struct pager pg; /* struct notification items */
};

static const char *const verbs[NOTIFY_KIND_COUNT] = {
	[NOTIFY_MENTION] = "@ %s mentioned you",
	[NOTIFY_REPLY] = "\xe2\x86\xa9 %s replied",
	[NOTIFY_FOLLOW] = "+ %s followed you",
	[NOTIFY_FOLLOW_REQUEST] = "? %s asked to follow you (a accept, x decline)",
	[NOTIFY_BOOST] = "\xe2\x9f\xb2 %s boosted your post",
	[NOTIFY_FAVOURITE] = "\xe2\x98\x85 %s favourited your post",
};

static struct notification *note_at(struct notes *n, int i)
{
	return pager_at(&n->pg, i);
}

static int64_t note_id(const void *item)
{
	return ((const struct notification *)item)->id;
}

/* Frees what one notification holds, as notification_list_free() does
 * for each of a list's. */
static void note_free(void *item)
{
	struct notification *no = item;

	account_brief_free(&no->from);
	if (no->post) {
		post_free(no->post);
		free(no->post);
	}
}

/* A page of notifications.  The store gives no next_max_id for them, so
 * the page below starts under the last one; a short page may be followed
 * by more (the store skips what the member may not see), and an empty
 * one ends the list. */
static int note_fetch(struct app *a, void *ctx, int64_t max_id, int limit,
		      struct pager_page *out)
{
	struct notification_list nl = {0};
	int r = notifications_get(a->st, a->viewer, max_id, limit, &nl);

	(void)ctx;
	if (r != 0)
		return r;
	out->items = nl.items;
	out->n = nl.n;
	out->next_max_id = nl.n > 0 ? nl.items[nl.n - 1].id : 0;
	return 0;
}

static const struct pager_ops note_pager = {sizeof(struct notification), note_id,
					    note_free, note_fetch};

/* The member is looking at the newest: they count as read. */
static void notes_mark_read(struct app *a, struct notes *n)
{
	if (a->unread > 0 && pager_at_newest(&n->pg) && n->pg.l.n > 0 &&
	    notifications_mark_read(a->st, a->me.id, pager_id(&n->pg, 0)) == 0)
		a->unread = 0;
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

	return note_render(a, note_at(n, i), 0, 0, w, 1000, 0);
}

static void note_draw(struct app *a, struct screen *s, int i, int y, int x, int w, int h)
{
	struct notes *n = s->state;

	note_render(a, note_at(n, i), y, x, w, h, 1);
}

static const struct list_ops note_ops = {note_height, note_draw};

static void view_notifications_draw(struct app *a, struct screen *s, int y, int h)
{
	struct notes *n = s->state;

	if (n->pg.l.n == 0)
		draw_wrapped(y + 1, 2, a->cols - 4, h - 1,
			     "No notifications yet. When someone mentions, follows, "
			     "boosts or favourites you, it shows here.",
			     1);
	else
		list_draw(a, s, &n->pg.l, &note_ops, y, h);
}

static void view_notifications_changed(struct app *a, struct screen *s)
{
	struct notes *n = s->state;

	if (pager_reload(a, &n->pg) == 0 && app_top(a) == s)
		notes_mark_read(a, n);
}

static void view_notifications_close(struct screen *s)
{
	struct notes *n = s->state;

	pager_free(&n->pg);
	free(n);
}

static struct notification *note_sel(struct screen *s)
{
	struct notes *n = s->state;

	return n->pg.l.n ? note_at(n, n->pg.l.sel) : NULL;
}

/* Moves by delta, loading older or newer ones as the window ends. */
static void note_move(struct app *a, struct screen *s, int delta)
{
	struct notes *n = s->state;

	if (pager_move(a, &n->pg, delta) != 0)
		app_fail(a, "Could not load more notifications");
	notes_mark_read(a, n);
}

static void key_down(struct app *a, struct screen *s)
{
	note_move(a, s, 1);
}

static void key_up(struct app *a, struct screen *s)
{
	note_move(a, s, -1);
}

static void key_first(struct app *a, struct screen *s)
{
	struct notes *n = s->state;

	if (pager_newest(a, &n->pg) != 0)
		app_fail(a, "Could not load the newest notifications");
	notes_mark_read(a, n);
}

static void key_last(struct app *a, struct screen *s)
{
	if (pager_last(a, &((struct notes *)s->state)->pg) != 0)
		app_fail(a, "Could not load older notifications");
}

static void key_pgdn(struct app *a, struct screen *s)
{
	struct notes *n = s->state;

	note_move(a, s, list_page(a, s, &n->pg.l, &note_ops, a->rows - 4));
}

static void key_pgup(struct app *a, struct screen *s)
{
	struct notes *n = s->state;

	note_move(a, s, -list_page(a, s, &n->pg.l, &note_ops, a->rows - 4));
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
	{{'G', K_FN(KEY_END)}, "G End", "last loaded (loads older)", key_last},
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

	pager_init(&n->pg, &note_pager, n);
	if (pager_first(a, &n->pg) != 0) {
		app_fail(a, "Could not load notifications");
		pager_free(&n->pg);
		free(n);
		return;
	}
	notes_mark_read(a, n);
	app_push(a, &view_notifications, n, "Notifications");
}
