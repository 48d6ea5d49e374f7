/*
 * cmd-people.c: people over ssh: follow, unfollow, mute, unmute, block,
 * unblock, follow requests, profiles (and editing one's own), and the
 * member directory.
 *
 * Remote accounts are looked up on their own server the first time they
 * are named (by the federation child: cmd_resolve_acct).  Whether a follow is accepted, pending
 * or refused is the store's decision; these commands only say what
 * happened.
 */
#include "sshd/sshd.h"

#include <stdlib.h>
#include <string.h>

/* Parses exactly one ACCT and resolves it. */
static int one_acct(struct cmd_ctx *ctx, int argc, char **argv, int64_t *id,
		    const char **acct)
{
	*acct = "";
	if (argc != 1)
		return cmd_usage(ctx, "expected one account, such as alice or "
				      "bob@example.social");
	if (ctx->me == NULL)
		return err_set(CAMP_EPERM, "you are not logged in as a member");
	*acct = argv[0][0] == '@' ? argv[0] + 1 : argv[0];
	return cmd_resolve_acct(ctx, *acct, id);
}

/* Prints "verb ACCT" with the account made safe. */
static void say_done(struct cmd_ctx *ctx, const char *verb, const char *acct)
{
	buf_printf(&ctx->out, "%s ", verb);
	text_sanitize(&ctx->out, acct, strlen(acct), TEXT_NAME);
	buf_putc(&ctx->out, '\n');
}

int cmd_follow(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum follow_state s;
	const char *acct;
	int64_t id;
	int r;

	if ((r = one_acct(ctx, argc, argv, &id, &acct)) != 0 ||
	    (r = follow_request(ctx->st, ctx->me->id, id, NULL, &s)) != 0)
		return r;
	if (s == FOLLOW_ACCEPTED)
		say_done(ctx, "following", acct);
	else
		say_done(ctx, "asked to follow (pending until they accept)", acct);
	return 0;
}

int cmd_unfollow(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *acct;
	int64_t id;
	int r;

	if ((r = one_acct(ctx, argc, argv, &id, &acct)) != 0 ||
	    (r = unfollow(ctx->st, ctx->me->id, id)) != 0)
		return r;
	say_done(ctx, "no longer following", acct);
	return 0;
}

/* mute/unmute/block/unblock: set(store, me, target, on). */
static int relation_cmd(struct cmd_ctx *ctx, int argc, char **argv,
			int (*set)(struct store *, int64_t, int64_t, int), int on,
			const char *done)
{
	const char *acct;
	int64_t id;
	int r;

	if ((r = one_acct(ctx, argc, argv, &id, &acct)) != 0 ||
	    (r = set(ctx->st, ctx->me->id, id, on)) != 0)
		return r;
	say_done(ctx, done, acct);
	return 0;
}

int cmd_mute(struct cmd_ctx *ctx, int argc, char **argv)
{
	return relation_cmd(ctx, argc, argv, mute_set, 1, "muted");
}

int cmd_unmute(struct cmd_ctx *ctx, int argc, char **argv)
{
	return relation_cmd(ctx, argc, argv, mute_set, 0, "unmuted");
}

int cmd_block(struct cmd_ctx *ctx, int argc, char **argv)
{
	return relation_cmd(ctx, argc, argv, block_set, 1, "blocked");
}

int cmd_unblock(struct cmd_ctx *ctx, int argc, char **argv)
{
	return relation_cmd(ctx, argc, argv, block_set, 0, "unblocked");
}

/* `requests [accept|reject ACCT]`: follow requests to a locked member. */
int cmd_requests(struct cmd_ctx *ctx, int argc, char **argv)
{
	int64_t *ids, id;
	const char *acct;
	int n, r;

	if (ctx->me == NULL)
		return err_set(CAMP_EPERM, "you are not logged in as a member");
	if (argc == 2 &&
	    (strcmp(argv[0], "accept") == 0 || strcmp(argv[0], "reject") == 0)) {
		int accept = argv[0][0] == 'a';
		if ((r = one_acct(ctx, 1, argv + 1, &id, &acct)) != 0 ||
		    (r = (accept ? follow_accept : follow_reject)(ctx->st, ctx->me->id,
								  id)) != 0)
			return r;
		say_done(ctx, accept ? "accepted" : "rejected", acct);
		return 0;
	}
	if (argc != 0)
		return cmd_usage(ctx, NULL);
	if ((r = follow_requests_list(ctx->st, ctx->me->id, &ids, &n)) != 0)
		return r;
	for (int i = 0; i < n && r == 0; i++) {
		struct account_brief b;
		if ((r = account_brief_get(ctx->st, ids[i], &b)) != 0)
			break;
		char *a = account_brief_acct(&b);
		text_sanitize(&ctx->out, a, strlen(a), TEXT_NAME);
		buf_putc(&ctx->out, '\n');
		free(a);
		account_brief_free(&b);
	}
	if (r == 0 && n == 0)
		buf_puts(&ctx->out, "No follow requests.\n");
	free(ids);
	return r;
}

/* Applies --name, --intro, --visibility, --locked to one's own profile. */
static int profile_set(struct cmd_ctx *ctx, const char *name, const char *intro,
		       const char *vis, const char *locked)
{
	int v = -1, r;

	if (vis && (v = visibility_parse(vis)) < 0)
		return cmd_usage(ctx,
				 "--visibility is one of public, unlisted, followers, "
				 "direct, camp, neighborhood");
	if (locked && strcmp(locked, "yes") != 0 && strcmp(locked, "no") != 0)
		return cmd_usage(ctx, "--locked is yes or no");
	if ((name || intro || v >= 0) &&
	    (r = account_update_profile(ctx->st, ctx->me->id, name, intro, v)) != 0)
		return r;
	if (locked &&
	    (r = account_set_locked(ctx->st, ctx->me->id, locked[0] == 'y')) != 0)
		return r;
	buf_puts(&ctx->out, "profile saved\n");
	return 0;
}

static json_t *profile_json(struct cmd_ctx *ctx, const struct account *a,
			    const struct account_counts *c,
			    const struct relationship *rel)
{
	json_t *o = json_object();
	char when[32], *acct = account_acct(a);

	time_rfc3339(a->created_at, when);
	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "acct", json_string(acct));
	json_object_set_new(o, "display_name", json_string(a->display_name));
	json_object_set_new(o, "intro", json_string(a->bio));
	json_object_set_new(o, "joined", json_string(when));
	json_object_set_new(o, "member", json_boolean(a->domain == NULL));
	json_object_set_new(o, "locked", json_boolean(a->locked));
	json_object_set_new(o, "followers", json_integer(c->followers));
	json_object_set_new(o, "following", json_integer(c->following));
	json_object_set_new(o, "posts", json_integer(c->posts));
	json_object_set_new(o, "follows_you",
			    json_boolean(rel->followed_by == FOLLOW_ACCEPTED));
	json_object_set_new(o, "you_follow",
			    json_string(rel->following == FOLLOW_ACCEPTED  ? "yes"
					: rel->following == FOLLOW_PENDING ? "pending"
									   : "no"));
	json_object_set_new(o, "muted", json_boolean(rel->muting));
	json_object_set_new(o, "blocked", json_boolean(rel->blocking));
	if (a->id == ctx->me->id)
		json_object_set_new(o, "default_visibility",
				    json_string(visibility_name(a->default_visibility)));
	free(acct);
	return o;
}

static void profile_text(struct cmd_ctx *ctx, const struct account *a,
			 const struct account_counts *c, const struct relationship *rel)
{
	char when[32], *acct = account_acct(a);

	time_rfc3339(a->created_at, when);
	if (a->display_name[0] && strcmp(a->display_name, a->username) != 0) {
		text_sanitize(&ctx->out, a->display_name, strlen(a->display_name),
			      TEXT_NAME);
		buf_puts(&ctx->out, " ");
	}
	buf_puts(&ctx->out, "@");
	text_sanitize(&ctx->out, acct, strlen(acct), TEXT_NAME);
	buf_printf(&ctx->out, "%s\n", a->locked ? "  [approves followers]" : "");
	if (a->bio[0]) {
		text_sanitize(&ctx->out, a->bio, strlen(a->bio), TEXT_MULTILINE);
		buf_putc(&ctx->out, '\n');
	}
	buf_printf(&ctx->out, "%s %.10s; %lld posts, %lld followers, %lld following\n",
		   a->domain ? "known since" : "joined", when, (long long)c->posts,
		   (long long)c->followers, (long long)c->following);
	if (a->id != ctx->me->id)
		buf_printf(&ctx->out, "%s%s%s%s\n",
			   rel->followed_by == FOLLOW_ACCEPTED ? "Follows you. " : "",
			   rel->following == FOLLOW_ACCEPTED  ? "You follow them."
			   : rel->following == FOLLOW_PENDING ? "Your follow is pending."
							      : "You do not follow them.",
			   rel->muting ? " Muted." : "",
			   rel->blocking ? " Blocked." : "");
	buf_putc(&ctx->out, '\n');
	free(acct);
}

/* Shows a profile with its recent posts. */
static int profile_show(struct cmd_ctx *ctx, int64_t id, int json)
{
	struct timeline_query q = {TL_PROFILE, id, NULL, 0, 20};
	struct account_counts c;
	struct relationship rel;
	struct post_list l;
	struct viewer *v;
	struct account a;
	int r;

	if ((r = account_get(ctx->st, id, &a)) != 0)
		return r;
	if ((r = account_counts(ctx->st, id, &c)) != 0 ||
	    (r = relationship_get(ctx->st, ctx->me->id, id, &rel)) != 0 ||
	    (r = cmd_viewer(ctx, &v)) != 0) {
		account_free(&a);
		return r;
	}
	r = timeline_get(ctx->st, v, &q, &l);
	viewer_free(v);
	if (r == 0 && json) {
		json_t *o = profile_json(ctx, &a, &c, &rel), *posts = json_array();
		for (int i = 0; i < l.n; i++)
			json_array_append_new(posts, render_post_json(ctx, &l.items[i]));
		json_object_set_new(o, "recent", posts);
		render_json_out(ctx, o);
	} else if (r == 0) {
		profile_text(ctx, &a, &c, &rel);
		for (int i = 0; i < l.n; i++)
			render_post_text(ctx, &l.items[i], 0);
	}
	if (r == 0)
		post_list_free(&l);
	account_free(&a);
	return r;
}

int cmd_profile(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL, *intro = NULL, *vis = NULL, *locked = NULL;
	int json = 0, npos, r;
	const struct opt opts[] = {
		{"json", 0, NULL, &json},     {"name", 1, &name, NULL},
		{"intro", 1, &intro, NULL},   {"visibility", 1, &vis, NULL},
		{"locked", 1, &locked, NULL}, {NULL, 0, NULL, NULL}};
	char *pos[argc + 1];
	const char *acct;
	int64_t id;

	if ((r = cmd_opts(ctx, argc, argv, opts, pos, &npos)) != 0)
		return r;
	if (ctx->me == NULL)
		return err_set(CAMP_EPERM, "you are not logged in as a member");
	if (name || intro || vis || locked) {
		if (npos != 0)
			return cmd_usage(ctx, "you can only change your own profile");
		return profile_set(ctx, name, intro, vis, locked);
	}
	if (npos > 1)
		return cmd_usage(ctx, "expected at most one account");
	id = ctx->me->id;
	if (npos == 1 && (r = one_acct(ctx, 1, pos, &id, &acct)) != 0)
		return r;
	return profile_show(ctx, id, json);
}

static json_t *directory_json(const struct directory_entry *e)
{
	json_t *o = json_object();
	char when[32];

	time_rfc3339(e->account.created_at, when);
	json_object_set_new(o, "acct", json_string(e->account.username));
	json_object_set_new(o, "display_name", json_string(e->account.display_name));
	json_object_set_new(o, "intro", json_string(e->account.bio));
	json_object_set_new(o, "joined", json_string(when));
	json_object_set_new(o, "admin", json_boolean(e->account.is_admin));
	json_object_set_new(o, "follows_you", json_boolean(e->follows_you));
	json_object_set_new(o, "you_follow", json_boolean(e->you_follow));
	json_object_set_new(o, "posts", json_integer(e->posts));
	return o;
}

int cmd_directory(struct cmd_ctx *ctx, int argc, char **argv)
{
	int json = 0, npos, n, r;
	const struct opt opts[] = {{"json", 0, NULL, &json}, {NULL, 0, NULL, NULL}};
	char *pos[argc + 1];
	struct directory_entry *e;
	json_t *a;

	if ((r = cmd_opts(ctx, argc, argv, opts, pos, &npos)) != 0)
		return r;
	if (npos != 0)
		return cmd_usage(ctx, "takes no arguments");
	if (ctx->me == NULL)
		return err_set(CAMP_EPERM, "you are not logged in as a member");
	if ((r = directory_list(ctx->st, ctx->me->id, &e, &n)) != 0)
		return r;
	a = json_array();
	for (int i = 0; i < n; i++) {
		const struct account *m = &e[i].account;
		char when[32];
		if (json) {
			json_array_append_new(a, directory_json(&e[i]));
			continue;
		}
		time_rfc3339(m->created_at, when);
		text_sanitize(&ctx->out, m->username, strlen(m->username), TEXT_NAME);
		buf_puts(&ctx->out, "  ");
		text_sanitize(&ctx->out, m->display_name, strlen(m->display_name),
			      TEXT_NAME);
		buf_printf(&ctx->out, "  joined %.10s%s%s%s\n", when,
			   m->is_admin ? ", admin" : "",
			   e[i].follows_you ? ", follows you" : "",
			   e[i].you_follow ? ", you follow" : "");
		if (m->bio[0]) {
			buf_puts(&ctx->out, "    ");
			text_sanitize(&ctx->out, m->bio, strlen(m->bio), 0);
			buf_putc(&ctx->out, '\n');
		}
	}
	if (json)
		render_json_out(ctx, a);
	else
		json_decref(a);
	directory_free(e, n);
	return 0;
}
