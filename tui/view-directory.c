/*
 * view-directory.c: who is here.
 *
 * Every member of the camp with their one-line intro, whether you follow
 * each other and how much they have posted.  Enter opens a profile; F, m
 * and B follow, mute and block.  Names and intros are members' own
 * words and are drawn only through the sanitizing helpers.
 */
#include "tui/tui-private.h"

#include <curses.h>
#include <string.h>

struct dir {
	struct directory_entry *e;
	int ne;
	struct list l;
};

static int dir_load(struct app *a, struct dir *d)
{
	struct directory_entry *e = NULL;
	int n = 0, r = directory_list(a->st, a->me.id, &e, &n);

	if (r != 0)
		return r;
	directory_free(d->e, d->ne);
	d->e = e;
	d->ne = d->l.n = n;
	return 0;
}

/* "· admin · follows you · you follow · 12 posts" */
static void dir_facts(const struct app *a, const struct directory_entry *e, struct buf *b)
{
	if (e->account.id == a->me.id)
		buf_puts(b, " \xc2\xb7 you");
	if (e->account.is_admin)
		buf_puts(b, " \xc2\xb7 admin");
	if (e->follows_you)
		buf_puts(b, " \xc2\xb7 follows you");
	if (e->you_follow)
		buf_puts(b, " \xc2\xb7 you follow");
	buf_printf(b, " \xc2\xb7 %lld post%s", (long long)e->posts,
		   e->posts == 1 ? "" : "s");
}

static int dir_render(struct app *a, const struct directory_entry *e, int y, int x, int w,
		      int h, int draw)
{
	int rows = 1;

	if (draw) {
		char *acct = account_acct(&e->account);
		struct buf facts = BUF_INIT;
		int used = 0;
		draw_on(a, C_NAME);
		if (e->account.display_name[0])
			used = draw_text(y, x, w / 2, e->account.display_name,
					 TEXT_NAME) +
			       1;
		mvaddstr(y, x + used, "@");
		used += 1 + draw_text(y, x + used + 1, w - used - 1, acct, TEXT_NAME);
		draw_off(a, C_NAME);
		dir_facts(a, e, &facts);
		draw_safe(y, x + used, w - used, buf_str(&facts), facts.len);
		buf_free(&facts);
		free(acct);
	}
	if (h > 1)
		rows += draw_wrapped(y + 1, x + 2, w - 2, h - 1 < 2 ? h - 1 : 2,
				     e->account.bio && e->account.bio[0]
					     ? e->account.bio
					     : "(no intro yet)",
				     draw);
	return rows < h ? rows + 1 : rows;
}

static int dir_height(struct app *a, struct screen *s, int i, int w)
{
	return dir_render(a, &((struct dir *)s->state)->e[i], 0, 0, w, 1000, 0);
}

static void dir_draw(struct app *a, struct screen *s, int i, int y, int x, int w, int h)
{
	dir_render(a, &((struct dir *)s->state)->e[i], y, x, w, h, 1);
}

static const struct list_ops dir_ops = {dir_height, dir_draw};

static void view_directory_draw(struct app *a, struct screen *s, int y, int h)
{
	struct dir *d = s->state;

	list_draw(a, s, &d->l, &dir_ops, y, h);
}

static void view_directory_changed(struct app *a, struct screen *s)
{
	dir_load(a, s->state);
}

static void view_directory_close(struct screen *s)
{
	struct dir *d = s->state;

	directory_free(d->e, d->ne);
	free(d);
}

static int64_t dir_sel(struct screen *s)
{
	struct dir *d = s->state;

	return d->ne ? d->e[d->l.sel].account.id : 0;
}

static void key_down(struct app *a, struct screen *s)
{
	(void)a;
	list_move(&((struct dir *)s->state)->l, 1);
}

static void key_up(struct app *a, struct screen *s)
{
	(void)a;
	list_move(&((struct dir *)s->state)->l, -1);
}

static void key_pgdn(struct app *a, struct screen *s)
{
	struct dir *d = s->state;

	list_move(&d->l, list_page(a, s, &d->l, &dir_ops, a->rows - 4));
}

static void key_pgup(struct app *a, struct screen *s)
{
	struct dir *d = s->state;

	list_move(&d->l, -list_page(a, s, &d->l, &dir_ops, a->rows - 4));
}

static void key_open(struct app *a, struct screen *s)
{
	if (dir_sel(s))
		view_profile_open(a, dir_sel(s));
}

static void key_follow(struct app *a, struct screen *s)
{
	if (dir_sel(s))
		act_follow_toggle(a, dir_sel(s));
}

static void key_mute(struct app *a, struct screen *s)
{
	if (dir_sel(s))
		act_mute_toggle(a, dir_sel(s));
}

static void key_block(struct app *a, struct screen *s)
{
	if (dir_sel(s))
		act_block_toggle(a, dir_sel(s));
}

static const struct key dir_keys[] = {
	{{'j', K_FN(KEY_DOWN)}, "j \xe2\x86\x93", "next member", key_down},
	{{'k', K_FN(KEY_UP)}, "k \xe2\x86\x91", "previous member", key_up},
	{{K_FN(KEY_NPAGE), ' '}, "PgDn Space", "page down", key_pgdn},
	{{K_FN(KEY_PPAGE)}, "PgUp", "page up", key_pgup},
	{{K_ENTER, K_FN(KEY_ENTER), 'p'},
	 "Enter p",
	 "open the member's profile",
	 key_open},
	{{'F'}, "F", "follow or unfollow", key_follow},
	{{'m'}, "m", "mute or unmute", key_mute},
	{{'B'}, "B", "block or unblock (asks first)", key_block},
	KEYS_END,
};

static const char *const dir_hints[] = {
	"Enter profile", "F follow", "m mute", "B block", "? help", NULL,
};

const struct view view_directory = {
	.name = "Directory",
	.keys = dir_keys,
	.hints = dir_hints,
	.draw = view_directory_draw,
	.changed = view_directory_changed,
	.close = view_directory_close,
};

void view_directory_open(struct app *a)
{
	struct dir *d = xcalloc(1, sizeof *d);

	if (dir_load(a, d) != 0) {
		app_fail(a, "Could not load the directory");
		free(d);
		return;
	}
	app_push(a, &view_directory, d, "Directory");
}
