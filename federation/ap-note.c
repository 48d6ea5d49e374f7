/*
 * ap-note.c: notes both ways: addressing a member's post as DESIGN §3 says,
 * the Note JSON of a local post and the Create or Update carrying it
 * (the same whether delivered or shown in the outbox collection), and a
 * remote Note reduced to what the model stores.
 *
 * A camp-only or neighborhood post never becomes a Note here: addressing
 * refuses those levels, so nothing built from this file can carry one
 * out of the camp by mistake.  Nor does a Note name a parent that may
 * not leave the camp: a reply its author widened past a camp-only post
 * goes out without inReplyTo and without the parent's author, so neither
 * the parent's URL nor who wrote it reaches another server.
 *
 * Remote notes are read without trust: every field is optional, every
 * value may be the wrong type.
 */
#include "federation/federation.h"

#include <stdlib.h>
#include <string.h>

static json_t *str_array(const char *const *v, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		if (v[i])
			json_array_append_new(a, json_string(v[i]));
	return a;
}

int ap_address(enum visibility vis, const char *followers_url,
	       const char *const *mentions, int nmentions, json_t **to, json_t **cc)
{
	*to = *cc = NULL;
	switch (vis) {
	case VIS_PUBLIC:
		*to = json_pack("[s]", AS_PUBLIC);
		*cc = json_pack("[s]", followers_url);
		break;
	case VIS_UNLISTED:
		*to = json_pack("[s]", followers_url);
		*cc = json_pack("[s]", AS_PUBLIC);
		break;
	case VIS_FOLLOWERS:
		*to = json_pack("[s]", followers_url);
		*cc = json_array();
		break;
	case VIS_DIRECT:
		*to = str_array(mentions, nmentions);
		*cc = json_array();
		return 0;
	default:
		return err_set(CAMP_EPERM, "a %s post never leaves the camp",
			       visibility_name(vis) ? visibility_name(vis) : "camp");
	}
	json_t *m = str_array(mentions, nmentions);
	json_array_extend(*cc, m);
	json_decref(m);
	return 0;
}

/* ---- local posts -------------------------------------------------------- */

/* The actor id of an account: ours for members, its uri for remote ones.
 * NULL when unknown.  Caller frees. */
static char *account_actor_id(struct fed *f, int64_t id)
{
	struct account a;
	struct remote_actor ra;
	char *out = NULL;

	if (account_get(f->st, id, &a) != 0)
		return NULL;
	if (a.domain == NULL)
		out = fed_actor_url(f, a.username);
	else if (remote_actor_get(f->st, id, &ra) == 0) {
		out = xstrdup(ra.uri);
		remote_actor_free(&ra);
	}
	account_free(&a);
	return out;
}

struct mention_ctx {
	struct fed *f;
};

static char *mention_href(void *ctx, const struct entity *e)
{
	struct mention_ctx *m = ctx;

	return e->account_id ? account_actor_id(m->f, e->account_id) : NULL;
}

/* Whether p's parent (if any) may be named outside the camp: not when
 * audience_may_federate() says the parent never leaves it (a camp-only
 * post), nor when that cannot be told. */
static int parent_may_federate(struct fed *f, const struct post *p)
{
	int yes = 0;

	if (p->in_reply_to_id == 0)
		return 1;
	return audience_may_federate(f->st, p->in_reply_to_id, &yes) == 0 && yes;
}

/* Mentioned actors (entities, and the parent's author when the parent
 * may be named), each once. */
static int note_mentions(struct fed *f, const struct post *p, int parent_ok, char ***out)
{
	char **v = NULL;
	int n = 0;

	for (int i = 0; i <= p->nentities; i++) {
		int64_t id = 0;
		if (i < p->nentities && p->entities[i].kind == ENTITY_MENTION)
			id = p->entities[i].account_id;
		else if (i == p->nentities && parent_ok)
			id = p->in_reply_to_author.id;
		char *uri = id && id != p->author.id ? account_actor_id(f, id) : NULL;
		for (int j = 0; uri && j < n; j++)
			if (strcmp(v[j], uri) == 0) {
				free(uri);
				uri = NULL;
			}
		if (uri) {
			v = xrealloc(v, sizeof *v * (size_t)(n + 1));
			v[n++] = uri;
		}
	}
	*out = v;
	return n;
}

static json_t *note_tags(struct fed *f, const struct post *p)
{
	json_t *tags = json_array();
	struct mention_ctx mc = {f};

	for (int i = 0; i < p->nentities; i++) {
		const struct entity *e = &p->entities[i];
		if (e->kind == ENTITY_MENTION) {
			char *href = mention_href(&mc, e);
			if (href)
				json_array_append_new(
					tags,
					json_pack("{s:s, s:s, s:s+}", "type", "Mention",
						  "href", href, "name", "@", e->value));
			free(href);
		} else if (e->kind == ENTITY_TAG) {
			json_array_append_new(
				tags,
				json_pack("{s:s, s:o, s:s+}", "type", "Hashtag", "href",
					  json_sprintf("%s/tags/%s", f->base, e->value),
					  "name", "#", e->value));
		}
	}
	return tags;
}

json_t *ap_note_of_post(struct fed *f, const struct post *p)
{
	char *id = fed_post_url(f, p->id), *actor = fed_actor_url(f, p->author.username);
	char *followers = xasprintf("%s/followers", actor), **mentions = NULL;
	int parent_ok = parent_may_federate(f, p);
	int nm = note_mentions(f, p, parent_ok, &mentions);
	struct mention_ctx mc = {f};
	struct buf html = BUF_INIT;
	json_t *to, *cc, *o = NULL;
	char published[32], updated[32];

	if (ap_address(p->visibility, followers, (const char *const *)mentions, nm, &to,
		       &cc) != 0)
		goto out;
	text_to_html(&html, p->content, p->entities, p->nentities, mention_href, &mc,
		     f->base);
	time_rfc3339(p->created_at, published);
	o = json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "@context",
		      ap_context(), "id", id, "type", "Note", "attributedTo", actor,
		      "content", buf_str(&html), "published", published, "to", to, "cc",
		      cc, "tag", note_tags(f, p), "sensitive", json_boolean(p->cw[0]));
	json_object_set_new(o, "url", json_string(id));
	json_object_set_new(o, "summary", p->cw[0] ? json_string(p->cw) : json_null());
	if (p->edited_at) {
		time_rfc3339(p->edited_at, updated);
		json_object_set_new(o, "updated", json_string(updated));
	}
	if (!parent_ok)
		json_object_set_new(o, "inReplyTo", json_null());
	else if (p->in_reply_to_uri)
		json_object_set_new(o, "inReplyTo", json_string(p->in_reply_to_uri));
	else if (p->in_reply_to_id) {
		char *parent = fed_post_url(f, p->in_reply_to_id);
		json_object_set_new(o, "inReplyTo", json_string(parent));
		free(parent);
	} else
		json_object_set_new(o, "inReplyTo", json_null());
out:
	for (int i = 0; i < nm; i++)
		free(mentions[i]);
	free(mentions);
	buf_free(&html);
	free(id);
	free(actor);
	free(followers);
	return o;
}

json_t *ap_note_activity(const char *type, json_t *id, json_t *note)
{
	json_t *a;

	if (id == NULL)
		id = json_sprintf("%s/activity", ap_str(note, "id"));
	a = json_pack("{s:o, s:o, s:s, s:s}", "@context", ap_context(), "id", id, "type",
		      type, "actor", ap_str(note, "attributedTo"));
	if (a == NULL)
		fatal("cannot build the %s of a note", type);
	json_object_set(a, "to", json_object_get(note, "to"));
	json_object_set(a, "cc", json_object_get(note, "cc"));
	json_object_set(a, "published", json_object_get(note, "published"));
	json_object_del(note, "@context");
	json_object_set_new(a, "object", note);
	return a;
}

/* ---- remote notes ------------------------------------------------------- */

void ap_note_free(struct ap_note *n)
{
	free(n->content);
	free(n->cw);
	free(n->mentions);
	free(n->tags);
	memset(n, 0, sizeof *n);
}

/* The object types camp shows as notes: a Note, and the long forms whose
 * name becomes the first line (an Article's title, a Question's). */
static const char *const note_types[] = {"Note", "Article", "Question"};

const char *ap_note_type(json_t *obj)
{
	for (size_t i = 0; i < ARRAY_LEN(note_types); i++)
		if (ap_is_type(obj, note_types[i]))
			return note_types[i];
	return NULL;
}

/* A URL-ish value: a string, a Link ({href}) or an array of those. */
static const char *link_of(json_t *v)
{
	for (size_t i = 0; i < ap_len(v); i++) {
		json_t *it = ap_item(v, i);
		const char *s =
			json_is_string(it) ? json_string_value(it) : ap_str(it, "href");
		if (s == NULL)
			s = ap_str(it, "url");
		if (ap_url_ok(s))
			return s;
	}
	return NULL;
}

/* content, or the first value of contentMap. */
static const char *note_html(json_t *obj)
{
	const char *c = ap_str(obj, "content"), *key;
	json_t *map = json_object_get(obj, "contentMap"), *v;

	if (c)
		return c;
	if (!json_is_object(map))
		return NULL;
	json_object_foreach(map, key, v)
	{
		if (json_is_string(v))
			return json_string_value(v);
	}
	return NULL;
}

/* Mention hrefs and hashtag names from tag (one value or many). */
static void note_tag_list(json_t *obj, struct ap_note *out, struct html_mention **hm)
{
	json_t *tag = json_object_get(obj, "tag");
	size_t n = ap_len(tag);

	out->mentions = xcalloc(n + 1, sizeof *out->mentions);
	out->tags = xcalloc(n + 1, sizeof *out->tags);
	*hm = xcalloc(n + 1, sizeof **hm);
	for (size_t i = 0; i < n; i++) {
		json_t *t = ap_item(tag, i);
		const char *href = ap_str(t, "href"), *name = ap_str(t, "name");
		if (ap_is_type(t, "Mention") && ap_url_ok(href)) {
			(*hm)[out->nmentions].href = href;
			(*hm)[out->nmentions].acct = name;
			out->mentions[out->nmentions++] = href;
		} else if (ap_is_type(t, "Hashtag") && name && ap_text_ok(name, 200)) {
			out->tags[out->ntags++] = name[0] == '#' ? name + 1 : name;
		}
	}
}

/* followers-only, direct, unlisted or public, from the addressing. */
static enum visibility note_visibility(json_t *obj, const char *followers_url)
{
	int in_to;

	if (ap_addressed_public(obj, &in_to))
		return in_to ? VIS_PUBLIC : VIS_UNLISTED;
	if (followers_url && ap_addressed_to(obj, followers_url))
		return VIS_FOLLOWERS;
	for (size_t p = 0; p < 2; p++) {
		json_t *v = json_object_get(obj, p ? "cc" : "to");
		for (size_t i = 0; i < ap_len(v); i++) {
			const char *a = ap_id(ap_item(v, i));
			size_t n = a ? strlen(a) : 0;
			if (n > 10 && strcmp(a + n - 10, "/followers") == 0)
				return VIS_FOLLOWERS;
		}
	}
	return VIS_DIRECT;
}

/* Appends the URLs of attachments as lines, so nothing is lost. */
static void note_attachments(json_t *obj, struct buf *text)
{
	json_t *att = json_object_get(obj, "attachment");

	for (size_t i = 0; i < ap_len(att) && i < 16; i++) {
		json_t *a = ap_item(att, i);
		const char *url = link_of(json_object_get(a, "url"));
		const char *alt = ap_str(a, "name");
		if (url == NULL)
			url = ap_str(a, "href");
		if (!ap_url_ok(url))
			continue;
		buf_printf(text, "%s[%s%s%s] %s", text->len ? "\n" : "",
			   ap_is_type(a, "Image") ? "image" : "attachment",
			   alt && ap_text_ok(alt, 1000) ? ": " : "",
			   alt && ap_text_ok(alt, 1000) ? alt : "", url);
	}
}

int ap_note_parse(json_t *obj, const char *followers_url, struct ap_note *out)
{
	const char *html, *summary, *type;
	struct html_mention *hm = NULL;
	struct buf text = BUF_INIT;

	memset(out, 0, sizeof *out);
	if ((type = ap_note_type(obj)) == NULL)
		return err_set(CAMP_EINVAL, "not a note (%s)",
			       ap_type(obj) ? ap_type(obj) : "no type");
	out->id = ap_str(obj, "id");
	out->attributed_to = ap_first_id(obj, "attributedTo");
	if (!ap_url_ok(out->id) || !ap_url_ok(out->attributed_to))
		return err_set(CAMP_EINVAL, "the note has no usable id or author");
	html = note_html(obj);
	if (html && !ap_text_ok(html, AP_MAX_BODY))
		return err_set(CAMP_EINVAL, "the note's content is not text");
	out->in_reply_to = ap_first_id(obj, "inReplyTo");
	if (!ap_url_ok(out->in_reply_to))
		out->in_reply_to = NULL;
	out->url = link_of(json_object_get(obj, "url"));
	out->published = ap_str(obj, "published");
	if (ap_time(out->published, &out->created_at) != 0)
		out->created_at = 0;
	note_tag_list(obj, out, &hm);
	if (html) {
		char *t = html_to_text(html, strlen(html), hm, out->nmentions);
		buf_puts(&text, t);
		free(t);
	}
	const char *name = ap_str(obj, "name");
	if (strcmp(type, "Note") != 0 && name && ap_text_ok(name, 1000)) {
		char *body = buf_detach(&text);
		buf_printf(&text, "%s%s%s", name, body[0] ? "\n\n" : "", body);
		free(body);
	}
	note_attachments(obj, &text);
	free(hm);
	out->content = buf_detach(&text);
	summary = ap_str(obj, "summary");
	out->cw = summary && ap_text_ok(summary, 10000)
			  ? html_to_text(summary, strlen(summary), NULL, 0)
			  : xstrdup("");
	out->visibility = note_visibility(obj, followers_url);
	if (out->content[0] == '\0') {
		ap_note_free(out);
		return err_set(CAMP_EINVAL, "the note is empty");
	}
	return 0;
}
