/*
 * view-thread.c: one post in its thread, and one DM conversation.
 *
 * A thread shows the post's visible ancestors (root first), the post in
 * full, and its replies indented by depth; a conversation shows the
 * direct messages among the same people, newest first.  Both are post
 * lists; a reply from a conversation stays direct.  Nothing here may show
 * a post the store did not return for this member.
 */
#include "tui/tui-private.h"

static void view_thread_draw(struct app *a, struct screen *s, int y, int h)
{
	plist_draw(a, s, s->state, y, h);
}

static void view_thread_changed(struct app *a, struct screen *s)
{
	plist_reload(a, s->state);
}

static void view_thread_close(struct screen *s)
{
	plist_free(s->state);
}

const struct view view_thread = {
	.name = "Thread",
	.keys = post_keys,
	.hints = post_hints,
	.draw = view_thread_draw,
	.changed = view_thread_changed,
	.close = view_thread_close,
};

void view_thread_open(struct app *a, int64_t post_id)
{
	struct plist *pl = plist_new(a, PL_THREAD, NULL, post_id);

	if (pl == NULL)
		app_fail(a, "Could not open the thread");
	else
		app_push(a, &view_thread, pl, "Thread");
}

void view_dm_open(struct app *a, int64_t post_id, const char *title)
{
	struct plist *pl = plist_new(a, PL_DM, NULL, post_id);

	if (pl == NULL)
		app_fail(a, "Could not open the conversation");
	else
		app_push(a, &view_thread, pl, title);
}
