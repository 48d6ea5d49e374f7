/*
 * web-tag.c: a hashtag's page: the camp's public posts with that tag,
 * newest first, twenty at a time.
 *
 * The tag comes from the URL, percent-encoded by browsers and in any
 * case; it is read exactly as the store reads tags in posts (text_parse),
 * so /tags/Caf%C3%A9 finds the posts that say #café, and anything that is
 * not one whole tag finds nothing.  Which posts a tag page shows is
 * audience.c's rule: public posts of this camp only, never unlisted ones.
 */
#include "federation/federation.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define TAG_PAGE 20

/* The segment with %XX decoded, or NULL if that is not valid UTF-8. */
static char *percent_decode(const char *s)
{
	struct buf b = BUF_INIT;
	char *out;

	for (; *s; s++) {
		if (s[0] == '%' && isxdigit((unsigned char)s[1]) &&
		    isxdigit((unsigned char)s[2])) {
			char hex[3] = {s[1], s[2], 0};
			buf_putc(&b, (char)strtol(hex, NULL, 16));
			s += 2;
		} else {
			buf_putc(&b, *s);
		}
	}
	out = buf_detach(&b);
	if (!utf8_valid(out, strlen(out), NULL)) {
		free(out);
		return NULL;
	}
	return out;
}

/* The tag as posts store it (lowercase, no '#'), or NULL; caller frees. */
static char *tag_normalize(struct fed *f, const char *raw)
{
	char *name = percent_decode(raw), *text, *tag = NULL;
	struct entity *e = NULL;
	int n = 0;

	if (name == NULL)
		return NULL;
	text = xasprintf("#%s", name[0] == '#' ? name + 1 : name);
	if (text_parse(f->st, text, f->cfg->domain, &e, &n) == 0 && n == 1 &&
	    e[0].kind == ENTITY_TAG && e[0].start == 0 &&
	    (size_t)e[0].end == strlen(text))
		tag = xstrdup(e[0].value);
	entities_free(e, n);
	free(text);
	free(name);
	return tag;
}

static int tag_page(struct fed *f, const char *tag, int64_t max_id, struct web_page *pg)
{
	struct public_query q = {PUBLIC_TAG, 0, tag, max_id, TAG_PAGE};
	char *title = xasprintf("#%s", tag), *path = xasprintf("/tags/%s", tag);
	char *canonical = xasprintf("%s%s", f->base, path);
	char *feed = xasprintf("%s/feed.atom", f->base);
	char *about = xasprintf("Public posts with #%s from %s", tag, f->cfg->camp_name);
	struct web_head h = {title, about, canonical, "website", feed, NULL, NULL};
	struct post_list l;
	int64_t newest = 0, next;
	int r;

	if ((r = public_posts(f->st, &q, &l)) == 0) {
		web_begin(f, &pg->body, &h);
		buf_puts(&pg->body, "<h1>");
		web_text(&pg->body, title, 0);
		buf_puts(&pg->body, "</h1>\n<p class=\"dim\">Public posts of this camp "
				    "with this tag, newest first.</p>\n");
		if (l.n == 0)
			buf_puts(&pg->body, "<p class=\"dim\">No posts here.</p>\n");
		next = web_post_list(f, &pg->body, &l, WEB_LIST_BUDGET, &newest);
		web_older_link(f, &pg->body, path, next);
		web_end(f, &pg->body);
		pg->status = 200;
		pg->last_modified = newest;
		post_list_free(&l);
	}
	free(about);
	free(feed);
	free(canonical);
	free(path);
	free(title);
	return r;
}

int web_tag(struct fed *f, const char *raw, int64_t max_id, struct web_page *out)
{
	char *tag = tag_normalize(f, raw);
	int r = 0;

	out->content_type = "text/html; charset=utf-8";
	if (tag == NULL)
		web_not_found(f, out);
	else
		r = tag_page(f, tag, max_id, out);
	free(tag);
	return r;
}
