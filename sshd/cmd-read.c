/*
 * cmd-read.c: reading over ssh: `timeline` (home, camp, federated,
 * notifications, dms, or a hashtag) and `show` (a post in its thread).
 *
 * Everything comes from the store through the member's viewer, so these
 * commands show exactly what the full-screen client shows.  --json prints
 * one JSON array; text is for people and is always sanitized.
 */
#include "sshd/sshd.h"

#include <stdlib.h>
#include <string.h>

struct read_opts {
	int json;
	int limit;
	int64_t max_id;
};

/* Parses --json, --limit N and --max-id ID; leaves the words in pos. */
static int read_opts_parse(struct cmd_ctx *ctx, int argc, char **argv,
			   struct read_opts *o, char **pos, int *npos)
{
	const char *limit = NULL, *max_id = NULL;
	const struct opt opts[] = {{"json", 0, NULL, &o->json},
				   {"limit", 1, &limit, NULL},
				   {"max-id", 1, &max_id, NULL},
				   {NULL, 0, NULL, NULL}};
	long n = 20;
	int r;

	o->json = 0;
	o->max_id = 0;
	if ((r = cmd_opts(ctx, argc, argv, opts, pos, npos)) != 0)
		return r;
	if (limit && opts_int("limit", limit, 1, 200, &n) != 0)
		return cmd_usage(ctx, err_last());
	if (max_id && cmd_parse_id(ctx, max_id, &o->max_id) != 0)
		return CMD_EUSAGE;
	o->limit = (int)n;
	return 0;
}

static void print_posts(struct cmd_ctx *ctx, const struct post_list *l, int json)
{
	if (json) {
		json_t *a = json_array();
		for (int i = 0; i < l->n; i++)
			json_array_append_new(a, render_post_json(ctx, &l->items[i]));
		render_json_out(ctx, a);
		return;
	}
	if (l->n == 0)
		buf_puts(&ctx->out, "Nothing here yet.\n");
	for (int i = 0; i < l->n; i++)
		render_post_text(ctx, &l->items[i], l->items[i].depth);
	if (l->next_max_id)
		buf_printf(&ctx->out, "(older: --max-id %lld)\n",
			   (long long)l->next_max_id);
}

static int read_posts(struct cmd_ctx *ctx, struct viewer *v, struct timeline_query *q,
		      const struct read_opts *o)
{
	struct post_list l;
	int r;

	q->max_id = o->max_id;
	q->limit = o->limit;
	if ((r = timeline_get(ctx->st, v, q, &l)) != 0)
		return r;
	print_posts(ctx, &l, o->json);
	post_list_free(&l);
	return 0;
}

static json_t *notification_json(struct cmd_ctx *ctx, const struct notification *n)
{
	json_t *o = json_object();
	char when[32], *from = account_brief_acct(&n->from);

	time_rfc3339(n->created_at, when);
	json_object_set_new(o, "id", json_integer(n->id));
	json_object_set_new(o, "type", json_string(notification_kind_name(n->kind)));
	json_object_set_new(o, "from", json_string(from));
	json_object_set_new(o, "created_at", json_string(when));
	json_object_set_new(o, "unread", json_boolean(n->unread));
	json_object_set_new(o, "post",
			    n->post ? render_post_json(ctx, n->post) : json_null());
	free(from);
	return o;
}

static const char *const notification_words[NOTIFY_KIND_COUNT] = {
	"mentioned you",       "replied to you",    "followed you",
	"asked to follow you", "boosted your post", "favourited your post",
};

static int read_notifications(struct cmd_ctx *ctx, struct viewer *v,
			      const struct read_opts *o)
{
	struct notification_list l;
	json_t *a = json_array();
	int r;

	if ((r = notifications_get(ctx->st, v, o->max_id, o->limit, &l)) != 0) {
		json_decref(a);
		return r;
	}
	for (int i = 0; i < l.n; i++) {
		const struct notification *n = &l.items[i];
		if (o->json) {
			json_array_append_new(a, notification_json(ctx, n));
			continue;
		}
		char *from = account_brief_acct(&n->from);
		buf_puts(&ctx->out, n->unread ? "* " : "  ");
		text_sanitize(&ctx->out, from, strlen(from), TEXT_NAME);
		buf_printf(&ctx->out, " %s\n", notification_words[n->kind]);
		free(from);
		if (n->post)
			render_post_text(ctx, n->post, 1);
	}
	if (o->json)
		render_json_out(ctx, a);
	else
		json_decref(a);
	if (!o->json && l.n == 0)
		buf_puts(&ctx->out, "No notifications.\n");
	if (!o->json && l.next_max_id)
		buf_printf(&ctx->out, "(older: --max-id %lld)\n",
			   (long long)l.next_max_id);
	notification_list_free(&l);
	return 0;
}

/* Conversations: the latest message of each, with who is in it. */
static int read_dms(struct cmd_ctx *ctx, struct viewer *v, const struct read_opts *o)
{
	struct conversation_list l;
	json_t *a = json_array();
	int r;

	if ((r = dm_conversations(ctx->st, v, o->limit, &l)) != 0) {
		json_decref(a);
		return r;
	}
	for (int i = 0; i < l.n; i++) {
		const struct conversation *c = &l.items[i];
		json_t *with = json_array(), *p = render_post_json(ctx, &c->last);
		if (!o->json)
			buf_puts(&ctx->out, "with");
		for (int j = 0; j < c->nwith; j++) {
			char *acct = account_brief_acct(&c->with[j]);
			json_array_append_new(with, json_string(acct));
			if (!o->json) {
				buf_putc(&ctx->out, ' ');
				text_sanitize(&ctx->out, acct, strlen(acct), TEXT_NAME);
			}
			free(acct);
		}
		json_object_set_new(p, "conversation_with", with);
		json_object_set_new(p, "messages", json_integer(c->count));
		if (o->json) {
			json_array_append_new(a, p);
			continue;
		}
		json_decref(p);
		buf_printf(&ctx->out, " (%d messages):\n", c->count);
		render_post_text(ctx, &c->last, 1);
	}
	if (o->json)
		render_json_out(ctx, a);
	else
		json_decref(a);
	if (!o->json && l.n == 0)
		buf_puts(&ctx->out, "No direct messages.\n");
	conversation_list_free(&l);
	return 0;
}

int cmd_timeline(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *pos[argc + 1];
	struct read_opts o;
	struct timeline_query q = {0};
	struct viewer *v;
	const char *which;
	int npos, r, kind;

	if ((r = read_opts_parse(ctx, argc, argv, &o, pos, &npos)) != 0)
		return r;
	which = npos > 0 ? pos[0] : "home";
	if (npos > (strcmp(which, "tag") == 0 ? 2 : 1))
		return cmd_usage(ctx, "too many words");
	if ((r = cmd_viewer(ctx, &v)) != 0)
		return r;
	if (strcmp(which, "notifications") == 0) {
		r = read_notifications(ctx, v, &o);
	} else if (strcmp(which, "dms") == 0) {
		r = read_dms(ctx, v, &o);
	} else if (strcmp(which, "tag") == 0 || which[0] == '#') {
		q.kind = TL_HASHTAG;
		q.tag = which[0] == '#' ? which + 1 : npos > 1 ? pos[1] : "";
		r = q.tag[0] ? read_posts(ctx, v, &q, &o) : cmd_usage(ctx, "which tag?");
	} else if ((kind = timeline_kind_parse(which)) >= 0 && kind <= TL_FEDERATED) {
		q.kind = (enum timeline_kind)kind;
		r = read_posts(ctx, v, &q, &o);
	} else {
		r = cmd_usage(ctx,
			      "which timeline? home, camp, federated, notifications, "
			      "dms, or tag NAME");
	}
	viewer_free(v);
	return r;
}

/* A thread in order, the focus marked (JSON) or set apart (text). */
static void print_thread(struct cmd_ctx *ctx, struct post_list *anc, struct post *focus,
			 struct post_list *desc, int json)
{
	if (json) {
		json_t *a = json_array(), *p;
		for (int i = 0; i < anc->n; i++)
			json_array_append_new(a, render_post_json(ctx, &anc->items[i]));
		p = render_post_json(ctx, focus);
		json_object_set_new(p, "focus", json_true());
		json_array_append_new(a, p);
		for (int i = 0; i < desc->n; i++) {
			p = render_post_json(ctx, &desc->items[i]);
			json_object_set_new(p, "depth",
					    json_integer(desc->items[i].depth));
			json_array_append_new(a, p);
		}
		render_json_out(ctx, a);
		return;
	}
	for (int i = 0; i < anc->n; i++)
		render_post_text(ctx, &anc->items[i], 0);
	render_post_text(ctx, focus, 0);
	for (int i = 0; i < desc->n; i++)
		render_post_text(ctx, &desc->items[i], desc->items[i].depth);
}

int cmd_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *pos[argc + 1];
	struct read_opts o;
	struct post_list anc, desc;
	struct post focus;
	struct viewer *v;
	int64_t id;
	int npos, r;

	if ((r = read_opts_parse(ctx, argc, argv, &o, pos, &npos)) != 0)
		return r;
	if (npos != 1)
		return cmd_usage(ctx, "expected one post id");
	if ((r = cmd_parse_id(ctx, pos[0], &id)) != 0 || (r = cmd_viewer(ctx, &v)) != 0)
		return r;
	r = thread_get(ctx->st, v, id, &anc, &focus, &desc);
	viewer_free(v);
	if (r != 0)
		return r;
	print_thread(ctx, &anc, &focus, &desc, o.json);
	post_list_free(&anc);
	post_list_free(&desc);
	post_free(&focus);
	return 0;
}
