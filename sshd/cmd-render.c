/*
 * cmd-render.c: how posts, accounts and notifications look to the
 * commands members run over ssh: as text for people, as JSON for scripts.
 *
 * Text output passes every word someone else wrote through
 * text_sanitize(), so `ssh camp timeline` on a terminal is as safe as the
 * full-screen client.  JSON output carries the text as it was stored
 * (JSON escaping makes it inert); the contract of DESIGN §4 says which
 * fields a post object has at least.
 */
#include "sshd/sshd.h"

#include <stdlib.h>
#include <string.h>

/* Appends s, made safe for a terminal. */
static void put_safe(struct buf *out, const char *s, int flags)
{
	text_sanitize(out, s ? s : "", s ? strlen(s) : 0, flags);
}

char *render_post_url(const struct cmd_ctx *ctx, const struct post *p)
{
	if (!p->local)
		return xstrdup(p->url ? p->url : p->uri ? p->uri : "");
	return camp_post_url(ctx->cfg->public_url, p->id);
}

static json_t *json_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The accounts a post names, from its mention entities. */
static json_t *post_mentions_json(const struct post *p)
{
	json_t *a = json_array();

	for (int i = 0; i < p->nentities; i++)
		if (p->entities[i].kind == ENTITY_MENTION)
			json_array_append_new(a, json_string(p->entities[i].value));
	return a;
}

static json_t *post_tags_json(const struct post *p)
{
	json_t *a = json_array();

	for (int i = 0; i < p->nentities; i++)
		if (p->entities[i].kind == ENTITY_TAG)
			json_array_append_new(a, json_string(p->entities[i].value));
	return a;
}

json_t *render_post_json(const struct cmd_ctx *ctx, const struct post *p)
{
	json_t *o = json_object();
	char when[32], *acct = account_brief_acct(&p->author),
		       *url = render_post_url(ctx, p);

	time_rfc3339(p->created_at, when);
	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "author", json_string(acct));
	json_object_set_new(o, "author_name", json_string(p->author.display_name));
	json_object_set_new(o, "content", json_string(p->content));
	json_object_set_new(o, "cw", json_string(p->cw));
	json_object_set_new(o, "visibility", json_string(visibility_name(p->visibility)));
	json_object_set_new(o, "created_at", json_string(when));
	json_object_set_new(o, "in_reply_to",
			    p->in_reply_to_id ? json_integer(p->in_reply_to_id)
					      : json_null());
	json_object_set_new(o, "in_reply_to_uri", json_str_or_null(p->in_reply_to_uri));
	json_object_set_new(o, "url", json_string(url));
	json_object_set_new(o, "local", json_boolean(p->local));
	if (p->edited_at) {
		time_rfc3339(p->edited_at, when);
		json_object_set_new(o, "edited_at", json_string(when));
	} else {
		json_object_set_new(o, "edited_at", json_null());
	}
	json_object_set_new(o, "replies", json_integer(p->replies));
	json_object_set_new(o, "boosts", json_integer(p->boosts));
	json_object_set_new(o, "favourites", json_integer(p->favourites));
	json_object_set_new(o, "favourited", json_boolean(p->favourited));
	json_object_set_new(o, "boosted", json_boolean(p->boosted));
	json_object_set_new(o, "mentions", post_mentions_json(p));
	json_object_set_new(o, "tags", post_tags_json(p));
	json_object_set_new(o, "boost_of",
			    p->boost_of ? render_post_json(ctx, p->boost_of)
					: json_null());
	free(acct);
	free(url);
	return o;
}

/* "alice" or "Alice A. (alice)", made safe. */
static void put_who(struct buf *out, const struct account_brief *b)
{
	char *acct = account_brief_acct(b);

	if (b->display_name && b->display_name[0] &&
	    strcmp(b->display_name, b->username)) {
		put_safe(out, b->display_name, TEXT_NAME);
		buf_puts(out, " (");
		put_safe(out, acct, TEXT_NAME);
		buf_puts(out, ")");
	} else {
		put_safe(out, acct, TEXT_NAME);
	}
	free(acct);
}

/* Writes text with each line indented by indent spaces. */
static void put_indented(struct buf *out, const char *text, int indent)
{
	struct buf safe = BUF_INIT;
	const char *p;

	put_safe(&safe, text, TEXT_MULTILINE);
	p = buf_str(&safe);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		buf_printf(out, "%*s", indent, "");
		buf_append(out, p, n);
		buf_putc(out, '\n');
		p += n + (nl ? 1 : 0);
	}
	buf_free(&safe);
}

void render_post_text(struct cmd_ctx *ctx, const struct post *p, int depth)
{
	const struct post *shown = p->boost_of ? p->boost_of : p;
	int pad = 2 * depth;
	char when[32];

	time_rfc3339(shown->created_at, when);
	buf_printf(&ctx->out, "%*s#%lld  ", pad, "", (long long)shown->id);
	put_who(&ctx->out, &shown->author);
	buf_printf(&ctx->out, "  %.10s %.5s  %s", when, when + 11,
		   visibility_label(shown->visibility));
	if (shown->edited_at)
		buf_puts(&ctx->out, "  (edited)");
	buf_putc(&ctx->out, '\n');
	if (p->boost_of) {
		buf_printf(&ctx->out, "%*s  boosted by ", pad, "");
		put_who(&ctx->out, &p->author);
		buf_putc(&ctx->out, '\n');
	}
	if (shown->in_reply_to_author.id) {
		buf_printf(&ctx->out, "%*s  in reply to #%lld by ", pad, "",
			   (long long)shown->in_reply_to_id);
		put_who(&ctx->out, &shown->in_reply_to_author);
		buf_putc(&ctx->out, '\n');
	}
	if (shown->cw[0]) {
		buf_printf(&ctx->out, "%*s  CW: ", pad, "");
		put_safe(&ctx->out, shown->cw, 0);
		buf_putc(&ctx->out, '\n');
	}
	put_indented(&ctx->out, shown->content, pad + 2);
	buf_printf(&ctx->out, "%*s  replies %d  boosts %d  favourites %d%s%s\n\n", pad,
		   "", shown->replies, shown->boosts, shown->favourites,
		   shown->favourited ? "  (you favourited)" : "",
		   shown->boosted ? "  (you boosted)" : "");
}

void render_json_out(struct cmd_ctx *ctx, json_t *v)
{
	char *text = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII);

	buf_printf(&ctx->out, "%s\n", text ? text : "null");
	free(text);
	json_decref(v);
}
