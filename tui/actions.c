/*
 * actions.c: what a member does to another account, from any view.
 *
 * Follow, mute and block toggle on the relationship the store reports,
 * each through the same store function the exec commands use, and each
 * says what happened on the bottom line.  Blocking asks first.  Nothing
 * here decides who may do what: the store refuses, and the refusal is
 * shown as it is.
 */
#include "tui/tui-private.h"

#include <string.h>

char *act_name(const struct account_brief *b)
{
	char *acct = account_brief_acct(b);
	struct buf out = BUF_INIT;

	text_sanitize(&out, acct, strlen(acct), TEXT_NAME);
	free(acct);
	return buf_detach(&out);
}

/* The account's acct for messages; caller frees. */
static char *act_acct(struct app *a, int64_t id)
{
	struct account acc;
	struct buf out = BUF_INIT;
	char *s;

	if (account_get(a->st, id, &acc) != 0)
		return xstrdup("them");
	s = account_acct(&acc);
	text_sanitize(&out, s, strlen(s), TEXT_NAME);
	free(s);
	account_free(&acc);
	return buf_detach(&out);
}

/* Says the outcome and lets every screen reload. */
static void act_done(struct app *a, int r, const char *what, const char *fmt,
		     const char *who)
{
	if (r != 0) {
		app_fail(a, what);
		return;
	}
	app_say(a, fmt, who);
	app_changed(a);
}

static int act_self(struct app *a, int64_t id)
{
	if (id == a->me.id)
		app_say(a, "That is you.");
	return id == a->me.id;
}

void act_follow_toggle(struct app *a, int64_t id)
{
	struct relationship rel;
	enum follow_state st = FOLLOW_NONE;
	char *who;
	int r;

	if (act_self(a, id))
		return;
	if ((r = relationship_get(a->st, a->me.id, id, &rel)) != 0) {
		app_fail(a, "Could not look that up");
		return;
	}
	who = act_acct(a, id);
	if (rel.following != FOLLOW_NONE) {
		act_done(a, unfollow(a->st, a->me.id, id), "Could not unfollow",
			 rel.following == FOLLOW_PENDING
				 ? "Follow request to %s withdrawn."
				 : "You no longer follow %s.",
			 who);
	} else {
		r = follow_request(a->st, a->me.id, id, NULL, &st);
		act_done(a, r, "Could not follow",
			 st == FOLLOW_PENDING ? "Asked %s to let you follow them."
					      : "You now follow %s.",
			 who);
	}
	free(who);
}

void act_mute_toggle(struct app *a, int64_t id)
{
	struct relationship rel;
	char *who;

	if (act_self(a, id))
		return;
	if (relationship_get(a->st, a->me.id, id, &rel) != 0) {
		app_fail(a, "Could not look that up");
		return;
	}
	who = act_acct(a, id);
	act_done(a, mute_set(a->st, a->me.id, id, !rel.muting),
		 "Could not change the mute",
		 rel.muting ? "%s is no longer muted."
			    : "Muted %s: their posts are hidden.",
		 who);
	free(who);
}

void act_block_toggle(struct app *a, int64_t id)
{
	struct relationship rel;
	char *who, *q;

	if (act_self(a, id))
		return;
	if (relationship_get(a->st, a->me.id, id, &rel) != 0) {
		app_fail(a, "Could not look that up");
		return;
	}
	who = act_acct(a, id);
	q = xasprintf(rel.blocking ? "Unblock %s?"
				   : "Block %s? You will not see each other's posts.",
		      who);
	if (app_confirm(a, q))
		act_done(a, block_set(a->st, a->me.id, id, !rel.blocking),
			 "Could not change the block",
			 rel.blocking ? "%s is no longer blocked." : "Blocked %s.", who);
	free(q);
	free(who);
}

void act_report(struct app *a)
{
	app_say(a, "Reporting arrives with moderation; until then, please tell an "
		   "admin directly.");
}
