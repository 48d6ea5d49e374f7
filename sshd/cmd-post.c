/*
 * cmd-post.c: writing over ssh: post, dm, edit, delete, boost, unboost,
 * fav, unfav.
 *
 * Each command is a thin shell around one store function, so a post made
 * here is the same post the full-screen client makes; the store decides
 * what is allowed and who sees it.  Text comes from the arguments or, when
 * there are none, from stdin (one trailing newline dropped).
 */
#include "sshd/sshd.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The text of a post: the positional words joined by spaces, or stdin. */
static int post_text(struct cmd_ctx *ctx, char **pos, int npos, struct buf *out)
{
	const char *data;
	size_t len;
	int r;

	if (npos > 0) {
		for (int i = 0; i < npos; i++) {
			if (i)
				buf_putc(out, ' ');
			buf_puts(out, pos[i]);
		}
		return 0;
	}
	if ((r = cmd_stdin(ctx, &data, &len)) != 0)
		return r;
	if (memchr(data, '\0', len))
		return err_set(CAMP_EINVAL, "the post contains a NUL byte");
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	buf_append(out, data, len);
	if (out->len == 0)
		return err_set(CAMP_EINVAL,
			       "the post is empty (give TEXT or pipe it in)");
	return 0;
}

static int need_member(struct cmd_ctx *ctx)
{
	return ctx->me ? 0 : err_set(CAMP_EPERM, "you are not logged in as a member");
}

/* Creates a post from req, printing its id (and a warning if a reply to
 * a camp-only post was made wider). */
static int post_submit(struct cmd_ctx *ctx, struct post_new *req)
{
	int64_t id;
	int flags, r;

	req->author_id = ctx->me->id;
	req->max_chars = ctx->cfg->max_post_chars;
	req->local_domain = ctx->cfg->domain;
	if ((r = post_create(ctx->st, req, &id, &flags)) != 0)
		return r;
	if (flags & POST_WIDENED)
		buf_printf(&ctx->err,
			   "warning: this replies to a camp-only post, but "
			   "people outside the camp can see it (%s)\n",
			   visibility_name(req->visibility));
	buf_printf(&ctx->out, "%lld\n", (long long)id);
	return 0;
}

int cmd_post(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *cw = NULL, *vis = NULL, *reply = NULL;
	const struct opt opts[] = {{"cw", 1, &cw, NULL},
				   {"visibility", 1, &vis, NULL},
				   {"reply-to", 1, &reply, NULL},
				   {NULL, 0, NULL, NULL}};
	char *pos[argc + 1];
	struct post_new req = {0};
	struct buf text = BUF_INIT;
	int npos, r;

	if ((r = cmd_opts(ctx, argc, argv, opts, pos, &npos)) != 0 ||
	    (r = need_member(ctx)) != 0)
		return r;
	req.visibility = -1;
	if (vis && (req.visibility = visibility_parse(vis)) < 0)
		return cmd_usage(ctx,
				 "--visibility is one of public, unlisted, followers, "
				 "direct, camp, neighborhood");
	if (reply && (r = cmd_parse_id(ctx, reply, &req.in_reply_to_id)) != 0)
		return r;
	if ((r = post_text(ctx, pos, npos, &text)) == 0) {
		req.content = buf_str(&text);
		req.cw = cw;
		r = post_submit(ctx, &req);
	}
	buf_free(&text);
	return r;
}

/* Whether content already mentions acct as a word of its own. */
static int mentions(const char *content, const char *acct)
{
	size_t n = strlen(acct);

	for (const char *p = strchr(content, '@'); p; p = strchr(p + 1, '@'))
		if (strncasecmp(p + 1, acct, n) == 0 &&
		    (p[1 + n] == '\0' || p[1 + n] == ' ' || p[1 + n] == '\n' ||
		     p[1 + n] == ',' || p[1 + n] == ':'))
			return 1;
	return 0;
}

int cmd_dm(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *pos[argc + 1];
	const char *acct;
	struct post_new req = {0};
	struct buf text = BUF_INIT, body = BUF_INIT;
	int64_t id;
	int npos, r;

	if ((r = cmd_opts(ctx, argc, argv, NULL, pos, &npos)) != 0 ||
	    (r = need_member(ctx)) != 0)
		return r;
	if (npos < 1)
		return cmd_usage(ctx, "whom to?");
	acct = pos[0][0] == '@' ? pos[0] + 1 : pos[0];
	/* Looked up first, so a remote name is known when the text is read. */
	if ((r = cmd_resolve_acct(ctx, acct, &id)) != 0)
		return r;
	if ((r = post_text(ctx, pos + 1, npos - 1, &body)) == 0) {
		if (!mentions(buf_str(&body), acct))
			buf_printf(&text, "@%s ", acct);
		buf_puts(&text, buf_str(&body));
		req.content = buf_str(&text);
		req.visibility = VIS_DIRECT;
		r = post_submit(ctx, &req);
	}
	buf_free(&text);
	buf_free(&body);
	return r;
}

int cmd_edit(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *cw = NULL;
	const struct opt opts[] = {{"cw", 1, &cw, NULL}, {NULL, 0, NULL, NULL}};
	char *pos[argc + 1];
	struct buf text = BUF_INIT;
	struct viewer *v;
	struct post old;
	int64_t id;
	int npos, r;

	if ((r = cmd_opts(ctx, argc, argv, opts, pos, &npos)) != 0)
		return r;
	if (npos < 1)
		return cmd_usage(ctx, "which post?");
	if ((r = cmd_parse_id(ctx, pos[0], &id)) != 0 || (r = cmd_viewer(ctx, &v)) != 0)
		return r;
	r = post_get(ctx->st, v, id, &old);
	viewer_free(v);
	if (r != 0)
		return r;
	/* Without --cw the content warning stays as it was. */
	if ((r = post_text(ctx, pos + 1, npos - 1, &text)) == 0)
		r = post_edit(ctx->st, ctx->me->id, id, buf_str(&text), cw ? cw : old.cw,
			      ctx->cfg->max_post_chars, ctx->cfg->domain);
	if (r == 0)
		buf_printf(&ctx->out, "edited #%lld\n", (long long)id);
	post_free(&old);
	buf_free(&text);
	return r;
}

/* Parses the one post id of a command taking only that. */
static int one_id(struct cmd_ctx *ctx, int argc, char **argv, int64_t *id)
{
	int r;

	if (argc != 1)
		return cmd_usage(ctx, "expected one post id");
	if ((r = cmd_parse_id(ctx, argv[0], id)) != 0 || (r = need_member(ctx)) != 0)
		return r;
	return 0;
}

/* Runs fn(store, me, id) on the one post id and says `done #ID`. */
static int id_action(struct cmd_ctx *ctx, int argc, char **argv,
		     int (*fn)(struct store *, int64_t, int64_t), const char *done)
{
	int64_t id;
	int r;

	if ((r = one_id(ctx, argc, argv, &id)) != 0 ||
	    (r = fn(ctx->st, ctx->me->id, id)) != 0)
		return r;
	buf_printf(&ctx->out, "%s #%lld\n", done, (long long)id);
	return 0;
}

int cmd_delete(struct cmd_ctx *ctx, int argc, char **argv)
{
	return id_action(ctx, argc, argv, post_delete, "deleted");
}

int cmd_unboost(struct cmd_ctx *ctx, int argc, char **argv)
{
	return id_action(ctx, argc, argv, post_unboost, "no longer boosting");
}

int cmd_fav(struct cmd_ctx *ctx, int argc, char **argv)
{
	return id_action(ctx, argc, argv, post_fav, "favourited");
}

int cmd_unfav(struct cmd_ctx *ctx, int argc, char **argv)
{
	return id_action(ctx, argc, argv, post_unfav, "no longer favouriting");
}

int cmd_boost(struct cmd_ctx *ctx, int argc, char **argv)
{
	int64_t id, boost;
	int r;

	if ((r = one_id(ctx, argc, argv, &id)) != 0 ||
	    (r = post_boost(ctx->st, ctx->me->id, id, NULL, &boost)) != 0)
		return r;
	buf_printf(&ctx->out, "boosted #%lld\n", (long long)id);
	return 0;
}
