/*
 * view-profile.c: a member's or a remote account's profile.
 *
 * A header (name, acct, intro, how the two of you relate) above the
 * account's posts as the store lets this member see them.  F, m and B act
 * on the account itself; on one's own profile, i and N change the intro
 * and the display name, and v who sees new posts by default.  Names and
 * intros are someone else's words: they are drawn only through draw.c's
 * sanitizing helpers.
 */
#include "tui/tui-private.h"

#include <curses.h>
#include <string.h>

#define BIO_LINES 3

static int profile_load(struct app *a, struct plist *pl, int64_t id)
{
	struct account *acc = xcalloc(1, sizeof *acc);
	int r;

	if ((r = account_get(a->st, id, acc)) != 0) {
		free(acc);
		return r;
	}
	if (pl->profile) {
		account_free(pl->profile);
		free(pl->profile);
	}
	pl->profile = acc;
	memset(&pl->rel, 0, sizeof pl->rel);
	if (id != a->me.id)
		relationship_get(a->st, a->me.id, id, &pl->rel);
	return 0;
}

/* "follows you · you follow · muted", or what the member can do. */
static void profile_relation(const struct app *a, const struct plist *pl, struct buf *b)
{
	const struct relationship *r = &pl->rel;

	if (pl->profile->id == a->me.id) {
		buf_puts(b, "This is you.  i edit your intro   N edit your name   v who "
			    "sees new posts");
		return;
	}
	if (r->followed_by == FOLLOW_ACCEPTED)
		buf_puts(b, "follows you \xc2\xb7 ");
	buf_puts(b, r->following == FOLLOW_ACCEPTED  ? "you follow them"
		    : r->following == FOLLOW_PENDING ? "follow requested"
						     : "you do not follow them");
	if (r->muting)
		buf_puts(b, " \xc2\xb7 muted");
	if (r->blocking)
		buf_puts(b, " \xc2\xb7 blocked");
	if (r->blocked_by)
		buf_puts(b, " \xc2\xb7 has blocked you");
	buf_puts(b, "   F follow  m mute  B block");
}

/* "Your new posts start as: camp (only people on ...)", on one's own
 * profile; returns the rows it takes. */
static int profile_default_vis(struct app *a, int y, int w, int draw)
{
	struct buf b = BUF_INIT;
	int v = (int)a->me.default_visibility;

	if (draw) {
		buf_printf(&b, "Your new posts start as: %s (%s)", vis_label(v),
			   vis_explain(v));
		draw_safe(y, 2, w, buf_str(&b), b.len);
	}
	buf_free(&b);
	return 1;
}

/* Draws (or measures) the header; returns its rows. */
static int profile_header(struct app *a, struct plist *pl, int y, int draw)
{
	const struct account *acc = pl->profile;
	char *acct = account_acct(acc);
	struct buf rel = BUF_INIT;
	int w = a->cols - 4, x = 2, rows;

	if (draw) {
		draw_on(a, C_NAME);
		int used = draw_text(y, x, w,
				     acc->display_name[0] ? acc->display_name : acct,
				     TEXT_NAME);
		draw_off(a, C_NAME);
		mvaddstr(y, x + used, "  @");
		draw_text(y, x + used + 3, w - used - 3, acct, TEXT_NAME);
	}
	rows = 1;
	if (acc->bio && acc->bio[0])
		rows += draw_wrapped(y + rows, x, w, BIO_LINES, acc->bio, draw);
	profile_relation(a, pl, &rel);
	if (draw) {
		draw_on(a, C_DIM);
		draw_safe(y + rows, x, w, buf_str(&rel), rel.len);
		draw_off(a, C_DIM);
	}
	rows++;
	if (acc->id == a->me.id)
		rows += profile_default_vis(a, y + rows, w, draw);
	rows++;
	buf_free(&rel);
	free(acct);
	return rows;
}

static void view_profile_draw(struct app *a, struct screen *s, int y, int h)
{
	struct plist *pl = s->state;
	int hdr = profile_header(a, pl, y, 1);

	if (h - hdr > 2)
		plist_draw(a, s, pl, y + hdr, h - hdr);
}

static void view_profile_changed(struct app *a, struct screen *s)
{
	struct plist *pl = s->state;

	profile_load(a, pl, pl->profile->id);
	plist_reload(a, pl);
}

static void view_profile_close(struct screen *s)
{
	plist_free(s->state);
}

static void key_follow(struct app *a, struct screen *s)
{
	act_follow_toggle(a, ((struct plist *)s->state)->profile->id);
}

static void key_mute(struct app *a, struct screen *s)
{
	act_mute_toggle(a, ((struct plist *)s->state)->profile->id);
}

static void key_block(struct app *a, struct screen *s)
{
	act_block_toggle(a, ((struct plist *)s->state)->profile->id);
}

/* Own profile: asks for a new intro or name and saves it. */
static void profile_edit(struct app *a, struct screen *s, int bio)
{
	struct plist *pl = s->state;
	char *v;

	if (pl->profile->id != a->me.id) {
		app_say(a, "You can only change your own profile.");
		return;
	}
	v = app_prompt(a, bio ? "Your intro: " : "Your name: ",
		       bio ? pl->profile->bio : pl->profile->display_name);
	if (v == NULL)
		return;
	if (account_update_profile(a->st, a->me.id, bio ? NULL : v, bio ? v : NULL, -1) !=
	    0)
		app_fail(a, "Could not save");
	else
		app_say(a, bio ? "Intro saved." : "Name saved.");
	free(v);
	app_changed(a);
}

static void key_bio(struct app *a, struct screen *s)
{
	profile_edit(a, s, 1);
}

static void key_display_name(struct app *a, struct screen *s)
{
	profile_edit(a, s, 0);
}

static void key_default_vis(struct app *a, struct screen *s)
{
	if (((struct plist *)s->state)->profile->id != a->me.id)
		app_say(a, "You can only change your own profile.");
	else
		view_visibility_open(a);
}

static const struct key profile_keys[] = {
	{{'F'}, "F", "follow or unfollow this account", key_follow},
	{{'m'}, "m", "mute or unmute this account", key_mute},
	{{'B'}, "B", "block or unblock this account (asks first)", key_block},
	{{'i'}, "i", "your profile: edit your intro", key_bio},
	{{'N'}, "N", "your profile: edit your display name", key_display_name},
	{{'v'}, "v", "your profile: who sees your new posts", key_default_vis},
	KEYS_END,
};

static const char *const profile_hints[] = {
	"F follow", "m mute", "B block", "Enter thread", "Esc back", "? help", NULL,
};

const struct view view_profile = {
	.name = "Profile",
	.keys = profile_keys,
	.more_keys = post_keys,
	.hints = profile_hints,
	.draw = view_profile_draw,
	.changed = view_profile_changed,
	.close = view_profile_close,
};

void view_profile_open(struct app *a, int64_t account_id)
{
	struct timeline_query q = {
		.kind = TL_PROFILE, .account_id = account_id, .limit = 30};
	struct plist *pl = plist_new(a, PL_TIMELINE, &q, 0);

	if (pl == NULL || profile_load(a, pl, account_id) != 0) {
		app_fail(a, "Could not open the profile");
		plist_free(pl);
		return;
	}
	app_push(a, &view_profile, pl, "Profile");
}
