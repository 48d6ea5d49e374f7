/*
 * postlist.c: a list of posts, as timelines, profiles, threads and DM
 * conversations show them.
 *
 * The posts live in a pager (pager.c): pages come from the store with
 * max_id as the member scrolls down, the top is let go past PAGER_MAX and
 * loaded again, right where the member was, when they scroll back up, so
 * a session stays small however far back someone reads.  When other
 * processes change the camp, the list reloads and keeps the selection
 * (and what is on screen) on the same post; new posts above it are
 * counted for the "N new" marker.  A thread comes whole from the store
 * and is never paged.  A post is drawn here: who, when, its visibility
 * in words, a content warning that hides the text until opened, the text
 * wrapped by display width.  Nothing here writes to the store.
 */
#include "tui/tui-private.h"

#include <curses.h>
#include <string.h>

#define PREVIEW_LINES 8

/* ---- loading ------------------------------------------------------------ */

static struct post *plist_item(const struct plist *pl, int i)
{
	return pager_at(&pl->pg, i);
}

static int64_t post_item_id(const void *item)
{
	return ((const struct post *)item)->id;
}

static void post_item_free(void *item)
{
	post_free(item);
}

/* A page of the timeline or the conversation, as the pager asks. */
static int plist_fetch(struct app *a, void *ctx, int64_t max_id, int limit,
		       struct pager_page *out)
{
	struct plist *pl = ctx;
	struct timeline_query q = pl->q;
	struct post_list l;
	int r;

	if (pl->kind == PL_THREAD) /* a thread comes whole, never paged */
		return 0;
	if (pl->kind == PL_DM) {
		r = dm_conversation_posts(a->st, a->viewer, pl->post_id, max_id, limit,
					  &l);
	} else {
		q.max_id = max_id;
		q.limit = limit;
		q.tag = pl->tag[0] ? pl->tag : NULL;
		r = timeline_get(a->st, a->viewer, &q, &l);
	}
	if (r != 0)
		return r;
	out->items = l.items;
	out->n = l.n;
	out->next_max_id = l.next_max_id;
	return 0;
}

static const struct pager_ops plist_pager = {sizeof(struct post), post_item_id,
					     post_item_free, plist_fetch};

/* Moves a post_list's posts to the end of the list. */
static void plist_take(struct plist *pl, struct post_list *l)
{
	struct pager_page p = {l->items, l->n, 0};

	pager_append(&pl->pg, &p);
	l->items = NULL;
	l->n = 0;
}

/* A thread: ancestors, the focus, descendants, as one list. */
static int plist_load_thread(struct app *a, struct plist *pl)
{
	struct post_list anc = {0}, desc = {0};
	struct post focus;
	struct post_list one = {NULL, 1, 0};
	int r;

	memset(&focus, 0, sizeof focus);
	r = thread_get(a->st, a->viewer, pl->post_id, &anc, &focus, &desc);
	if (r != 0)
		return r;
	pager_clear(&pl->pg);
	pl->focus = anc.n;
	plist_take(pl, &anc);
	one.items = xmalloc(sizeof focus);
	one.items[0] = focus;
	plist_take(pl, &one);
	plist_take(pl, &desc);
	return 0;
}

struct plist *plist_new(struct app *a, enum plist_kind kind,
			const struct timeline_query *q, int64_t post_id)
{
	struct plist *pl = xcalloc(1, sizeof *pl);

	pl->kind = kind;
	pl->post_id = post_id;
	pager_init(&pl->pg, &plist_pager, pl);
	if (q) {
		pl->q = *q;
		if (q->tag)
			snprintf(pl->tag, sizeof pl->tag, "%s", q->tag);
	}
	if (kind == PL_THREAD) {
		if (plist_load_thread(a, pl) != 0)
			goto fail;
		pl->pg.l.sel = pl->focus;
		return pl;
	}
	if (pager_first(a, &pl->pg) != 0)
		goto fail;
	return pl;
fail:
	plist_free(pl);
	return NULL;
}

void plist_free(struct plist *pl)
{
	if (pl == NULL)
		return;
	pager_free(&pl->pg);
	if (pl->profile) {
		account_free(pl->profile);
		free(pl->profile);
	}
	free(pl);
}

/* A thread again, the selection and the top kept on the same posts. */
static void plist_reload_thread(struct app *a, struct plist *pl)
{
	struct pager_place at;

	pager_place_save(&pl->pg, &at);
	if (plist_load_thread(a, pl) == 0) /* else keep showing what we had */
		pager_place_restore(&pl->pg, &at);
}

void plist_reload(struct app *a, struct plist *pl)
{
	if (pl->kind == PL_THREAD)
		plist_reload_thread(a, pl);
	else
		pager_reload(a, &pl->pg); /* on failure, keep what we had */
}

struct post *plist_selected(struct plist *pl)
{
	struct post *p;

	if (pl == NULL || pl->pg.l.n == 0)
		return NULL;
	p = plist_item(pl, pl->pg.l.sel);
	return p->boost_of ? p->boost_of : p;
}

/* ---- drawing ------------------------------------------------------------ */

/* "↩ 2  ⟲ 1  ★ 4", or who boosted it. */
static void post_right(const struct post *item, char *out, size_t n)
{
	const struct post *p = item->boost_of ? item->boost_of : item;

	if (item->boost_of) {
		char *who = act_name(&item->author);
		snprintf(out, n, "\xe2\x9f\xb2 boosted by %s", who);
		free(who);
		return;
	}
	snprintf(out, n, "\xe2\x86\xa9 %d  \xe2\x9f\xb2%s%d  %s %d", p->replies,
		 p->boosted ? "\xe2\x9c\x93" : " ", p->boosts,
		 p->favourited ? "\xe2\x98\x85" : "\xe2\x98\x86", p->favourites);
}

/* The first line: who, when, visibility; counts or booster on the right. */
static void post_header(struct app *a, const struct post *item, int y, int x, int w)
{
	const struct post *p = item->boost_of ? item->boost_of : item;
	char right[200], when[16];
	char *who = account_brief_acct(&p->author);
	int rw, used;

	post_right(item, right, sizeof right);
	rw = tui_text_width(right, strlen(right));
	if (rw > w / 2)
		rw = 0; /* no room: the name matters more */
	draw_on(a, C_NAME);
	used = draw_text(y, x, w - rw - 2, who, TEXT_NAME);
	draw_off(a, C_NAME);
	draw_when(p->created_at, when);
	move(y, x + used);
	if (used + 4 + (int)strlen(when) < w - rw) {
		printw(" \xc2\xb7 %s \xc2\xb7 ", when); /* · */
		used += 6 + (int)strlen(when);
	}
	if (used + 14 < w - rw) {
		enum color c = p->visibility == VIS_CAMP ? C_CAMP : C_DIM;
		draw_on(a, c);
		addstr(draw_vis_word(p->visibility));
		draw_off(a, c);
		if (p->edited_at)
			addstr(" \xc2\xb7 edited");
	}
	if (rw)
		draw_safe(y, x + w - rw, rw, right, strlen(right));
	free(who);
}

/* The content warning line; returns 1 if the text stays hidden. */
static int post_cw(struct app *a, const struct post *p, int y, int x, int w, int draw)
{
	int open = app_cw_open(a, p->id), used;

	if (!draw)
		return !open;
	draw_on(a, C_CW);
	mvaddstr(y, x, "\xe2\x9a\xa0 "); /* ⚠ */
	used = 2 + draw_text(y, x + 2, w - 2, p->cw, 0);
	draw_off(a, C_CW);
	if (!open && used + 20 < w)
		mvaddstr(y, x + used, " \xc2\xb7 Enter to read");
	return !open;
}

int post_render(struct app *a, const struct post *item, int y, int x, int w, int maxrows,
		int draw, int full)
{
	const struct post *p = item->boost_of ? item->boost_of : item;
	int rows = 1, cap;

	if (maxrows < 1)
		return 0;
	if (draw)
		post_header(a, item, y, x, w);
	if (p->cw && p->cw[0] && rows < maxrows) {
		int hidden = post_cw(a, p, y + rows, x, w, draw);
		rows++;
		if (hidden)
			goto reply;
	}
	cap = full ? maxrows - rows : PREVIEW_LINES;
	if (cap > maxrows - rows)
		cap = maxrows - rows;
	if (cap > 0)
		rows += draw_wrapped(y + rows, x, w, cap, p->content, draw);
reply:
	if ((p->in_reply_to_id || p->in_reply_to_uri) && rows < maxrows) {
		if (draw) {
			char *to = p->in_reply_to_author.id
					   ? act_name(&p->in_reply_to_author)
					   : xstrdup("a post elsewhere");
			draw_on(a, C_DIM);
			mvaddstr(y + rows, x, "  \xe2\x86\xb3 in reply to "); /* ↳ */
			draw_text(y + rows, x + 17, w - 17, to, TEXT_NAME);
			draw_off(a, C_DIM);
			free(to);
		}
		rows++;
	}
	return rows < maxrows ? rows + 1 : rows; /* a blank line after */
}

static int plist_indent(const struct plist *pl, int i)
{
	int d = pl->kind == PL_THREAD && i > pl->focus ? plist_item(pl, i)->depth : 0;

	return (d > 6 ? 6 : d) * 2;
}

static int plist_item_height(struct app *a, struct screen *s, int i, int w)
{
	struct plist *pl = s->state;
	int in = plist_indent(pl, i);

	return post_render(a, plist_item(pl, i), 0, 0, w - in, 1000, 0,
			   pl->kind == PL_THREAD && i == pl->focus);
}

static void plist_item_draw(struct app *a, struct screen *s, int i, int y, int x, int w,
			    int h)
{
	struct plist *pl = s->state;
	int in = plist_indent(pl, i);

	post_render(a, plist_item(pl, i), y, x + in, w - in, h, 1,
		    pl->kind == PL_THREAD && i == pl->focus);
}

static const struct list_ops plist_ops = {plist_item_height, plist_item_draw};

static const char *plist_empty(const struct plist *pl)
{
	if (pl->kind == PL_THREAD)
		return "This post is gone, or you may not see it.";
	if (pl->kind == PL_DM)
		return "No messages here.";
	switch (pl->q.kind) {
	case TL_HOME:
		return "Nothing here yet. Follow people from the Directory (6), or "
		       "press n to write the first post.";
	case TL_CAMP:
		return "Nobody on this camp has posted yet. Press n to be the first.";
	case TL_FEDERATED:
		return "No public posts from anywhere yet.";
	case TL_HASHTAG:
		return "No posts with this tag yet.";
	default:
		return "No posts yet.";
	}
}

void plist_draw(struct app *a, struct screen *s, struct plist *pl, int y, int h)
{
	if (pl->pg.fresh > pl->pg.l.sel)
		pl->pg.fresh = pl->pg.l.sel;
	if (pl->pg.l.n == 0) {
		draw_wrapped(y + 1, 2, a->cols - 4, h - 1, plist_empty(pl), 1);
		return;
	}
	list_draw(a, s, &pl->pg.l, &plist_ops, y, h);
}

/* ---- keys ------------------------------------------------------------------ */

static struct plist *pl_of(struct screen *s)
{
	return s->state;
}

/* Moves by delta posts, loading older or newer ones as the window ends. */
static void plist_move(struct app *a, struct plist *pl, int delta)
{
	if (pager_move(a, &pl->pg, delta) != 0)
		app_fail(a, "Could not load more posts");
}

static void key_down(struct app *a, struct screen *s)
{
	plist_move(a, pl_of(s), 1);
}

static void key_up(struct app *a, struct screen *s)
{
	plist_move(a, pl_of(s), -1);
}

static void key_first(struct app *a, struct screen *s)
{
	if (pager_newest(a, &pl_of(s)->pg) != 0)
		app_fail(a, "Could not load the newest posts");
}

static void key_last(struct app *a, struct screen *s)
{
	if (pager_last(a, &pl_of(s)->pg) != 0)
		app_fail(a, "Could not load older posts");
}

static void key_pgdn(struct app *a, struct screen *s)
{
	struct plist *pl = pl_of(s);

	plist_move(a, pl, list_page(a, s, &pl->pg.l, &plist_ops, a->rows - 4));
	pl->pg.l.top = pl->pg.l.sel;
}

static void key_pgup(struct app *a, struct screen *s)
{
	struct plist *pl = pl_of(s);

	plist_move(a, pl, -list_page(a, s, &pl->pg.l, &plist_ops, a->rows - 4));
}

static void key_open(struct app *a, struct screen *s)
{
	struct plist *pl = pl_of(s);
	struct post *p = plist_selected(pl);

	if (p == NULL)
		return;
	if (p->cw && p->cw[0] && !app_cw_open(a, p->id)) {
		app_cw_toggle(a, p->id);
		return;
	}
	if (pl->kind == PL_THREAD && pl->pg.l.sel == pl->focus)
		app_say(a, "This is the thread of this post; r replies to it.");
	else
		view_thread_open(a, p->id);
}

static void key_cw(struct app *a, struct screen *s)
{
	struct post *p = plist_selected(pl_of(s));

	if (p && p->cw && p->cw[0])
		app_cw_toggle(a, p->id);
	else
		app_say(a, "This post has no content warning.");
}

/* Everything below acts on the selected post (the boosted one for a
 * boost), through the same store functions the exec commands use. */
static void key_reply(struct app *a, struct screen *s)
{
	struct post *p = plist_selected(pl_of(s));

	if (p)
		view_compose_open(a, p, NULL, -1);
}

/* Shows what the store did to the selected post and reloads every list. */
static void after_action(struct app *a, int r, const char *done, const char *what)
{
	if (r != 0) {
		app_fail(a, what);
		return;
	}
	app_say(a, "%s", done);
	app_changed(a);
}

static void key_boost(struct app *a, struct screen *s)
{
	struct post *p = plist_selected(pl_of(s));
	int64_t id;

	if (p == NULL)
		return;
	if (p->boosted)
		after_action(a, post_unboost(a->st, a->me.id, p->id), "Boost taken back.",
			     "Could not undo the boost");
	else
		after_action(a, post_boost(a->st, a->me.id, p->id, NULL, &id), "Boosted.",
			     "Could not boost");
}

static void key_fav(struct app *a, struct screen *s)
{
	struct post *p = plist_selected(pl_of(s));

	if (p == NULL)
		return;
	if (p->favourited)
		after_action(a, post_unfav(a->st, a->me.id, p->id),
			     "Favourite taken back.", "Could not undo the favourite");
	else
		after_action(a, post_fav(a->st, a->me.id, p->id), "Favourited.",
			     "Could not favourite");
}

static void key_delete(struct app *a, struct screen *s)
{
	struct post *p = plist_selected(pl_of(s));

	if (p == NULL)
		return;
	if (p->author.id != a->me.id) {
		app_say(a, "You can only delete your own posts.");
		return;
	}
	if (!app_confirm(a, "Delete this post for everyone?"))
		return;
	after_action(a, post_delete(a->st, a->me.id, p->id), "Deleted.",
		     "Could not delete");
}

static void key_edit(struct app *a, struct screen *s)
{
	struct post *p = plist_selected(pl_of(s));

	if (p == NULL)
		return;
	if (p->author.id != a->me.id)
		app_say(a, "You can only edit your own posts.");
	else
		view_compose_open(a, NULL, p, p->visibility);
}

static void key_profile(struct app *a, struct screen *s)
{
	struct post *p = plist_selected(pl_of(s));

	if (p)
		view_profile_open(a, p->author.id);
}

static void key_follow(struct app *a, struct screen *s)
{
	struct post *p = plist_selected(pl_of(s));

	if (p)
		act_follow_toggle(a, p->author.id);
}

static void key_mute(struct app *a, struct screen *s)
{
	struct post *p = plist_selected(pl_of(s));

	if (p)
		act_mute_toggle(a, p->author.id);
}

static void key_block(struct app *a, struct screen *s)
{
	struct post *p = plist_selected(pl_of(s));

	if (p)
		act_block_toggle(a, p->author.id);
}

static void key_report(struct app *a, struct screen *s)
{
	(void)s;
	act_report(a);
}

static void key_tag(struct app *a, struct screen *s)
{
	struct post *p = plist_selected(pl_of(s));
	const char *first = "";
	char *tag;

	for (int i = 0; p && i < p->nentities; i++)
		if (p->entities[i].kind == ENTITY_TAG) {
			first = p->entities[i].value;
			break;
		}
	tag = app_prompt(a, "Hashtag: #", first);
	if (tag && tag[0])
		view_timeline_open(a, TL_HASHTAG, tag[0] == '#' ? tag + 1 : tag);
	free(tag);
}

const struct key post_keys[] = {
	{{'j', K_FN(KEY_DOWN)}, "j \xe2\x86\x93", "next post", key_down},
	{{'k', K_FN(KEY_UP)}, "k \xe2\x86\x91", "previous post", key_up},
	{{'g', K_FN(KEY_HOME)}, "g Home", "newest post", key_first},
	{{'G', K_FN(KEY_END)}, "G End", "last post loaded (loads more)", key_last},
	{{K_FN(KEY_NPAGE), ' '}, "PgDn Space", "page down", key_pgdn},
	{{K_FN(KEY_PPAGE)}, "PgUp", "page up", key_pgup},
	{{K_ENTER, K_FN(KEY_ENTER)},
	 "Enter",
	 "open the content warning, then the thread",
	 key_open},
	{{'c'}, "c", "open or close the content warning", key_cw},
	{{'r'}, "r", "reply", key_reply},
	{{'b'}, "b", "boost (again: undo)", key_boost},
	{{'f'}, "f", "favourite (again: undo)", key_fav},
	{{'d'}, "d", "delete your post (asks first)", key_delete},
	{{'e'}, "e", "edit your post", key_edit},
	{{'p'}, "p", "the author's profile", key_profile},
	{{'F'}, "F", "follow or unfollow the author", key_follow},
	{{'m'}, "m", "mute or unmute the author", key_mute},
	{{'B'}, "B", "block or unblock the author (asks first)", key_block},
	{{'R'}, "R", "report the post", key_report},
	{{'#'}, "#", "posts with a hashtag", key_tag},
	KEYS_END,
};

const char *const post_hints[] = {
	"n new",	"r reply",   "b boost", "f fav",
	"Enter thread", "p profile", "? help",	NULL,
};
