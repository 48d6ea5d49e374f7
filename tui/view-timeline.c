/*
 * view-timeline.c: Home, Camp, Federated and hashtag timelines.
 *
 * Each is a post list (postlist.c) over one timeline_query, newest first,
 * as the store shows it to this member.  This file only names them and
 * wires the list's keys; it must never filter or reorder what the store
 * returns, since who may see what is decided there alone.
 */
#include "tui/tui-private.h"

static void view_timeline_draw(struct app *a, struct screen *s, int y, int h)
{
	plist_draw(a, s, s->state, y, h);
}

static void view_timeline_changed(struct app *a, struct screen *s)
{
	plist_reload(a, s->state);
}

static void view_timeline_close(struct screen *s)
{
	plist_free(s->state);
}

const struct view view_timeline = {
	.name = "Timeline",
	.keys = post_keys,
	.hints = post_hints,
	.draw = view_timeline_draw,
	.changed = view_timeline_changed,
	.close = view_timeline_close,
};

void view_timeline_open(struct app *a, enum timeline_kind kind, const char *tag)
{
	struct timeline_query q = {.kind = kind, .tag = tag, .limit = 30};
	struct plist *pl = plist_new(a, PL_TIMELINE, &q, 0);
	char title[96];

	if (pl == NULL) {
		app_fail(a, "Could not load the timeline");
		return;
	}
	if (kind == TL_HASHTAG)
		snprintf(title, sizeof title, "#%s", tag);
	else
		snprintf(title, sizeof title, "%s",
			 kind == TL_HOME   ? "Home"
			 : kind == TL_CAMP ? "Camp"
					   : "Federated");
	app_push(a, &view_timeline, pl, title);
}
