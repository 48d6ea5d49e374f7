/*
 * web-feed.c: Atom 1.0 feeds (RFC 4287) of a member's public posts and of
 * the camp's, for feed readers and for other sites.
 *
 * Feeds are read by aggregators and search engines, so they carry less
 * than the pages: public posts only, no unlisted ones and no boosts
 * (audience.c's rows for them).  Each entry's id is the post's
 * ActivityPub id, which never changes; its content is the post's text as
 * XHTML, escaped by web_text() like every page, so it is well-formed XML
 * whatever the post says.  A content warning is the entry's summary and
 * comes first in its content.
 */
#include "federation/federation.h"

#include <stdlib.h>
#include <string.h>

#define FEED_ENTRIES 20
#define ATOM_TYPE "application/atom+xml; charset=utf-8"

static void put_element(struct buf *b, const char *name, const char *text, int flags)
{
	buf_printf(b, "<%s>", name);
	web_text(b, text, flags);
	buf_printf(b, "</%s>\n", name);
}

static void put_time(struct buf *b, const char *name, int64_t t)
{
	char iso[32];

	time_rfc3339(t, iso);
	buf_printf(b, "<%s>%s</%s>\n", name, iso, name);
}

static void put_link(struct buf *b, const char *rel, const char *type, const char *href)
{
	buf_printf(b, "<link rel=\"%s\" type=\"%s\" href=\"", rel, type);
	web_text(b, href, 0);
	buf_puts(b, "\"/>\n");
}

static void put_author(struct fed *f, struct buf *b, const struct account_brief *a)
{
	char *uri = xasprintf("%s/@%s", f->base, a->username);

	buf_puts(b, "<author>");
	put_element(b, "name", a->display_name[0] ? a->display_name : a->username,
		    TEXT_NAME);
	put_element(b, "uri", uri, 0);
	buf_puts(b, "</author>\n");
	free(uri);
}

static int64_t post_updated(const struct post *p)
{
	return p->edited_at > p->created_at ? p->edited_at : p->created_at;
}

static void put_entry(struct fed *f, struct buf *b, const struct post *p, int author)
{
	char *id = fed_post_url(f, p->id), *path = web_post_path(p);
	char *href = xasprintf("%s%s", f->base, path), *title = web_post_excerpt(p);

	buf_puts(b, "<entry>\n");
	put_element(b, "id", id, 0);
	put_element(b, "title", title, 0);
	put_link(b, "alternate", "text/html", href);
	put_time(b, "published", p->created_at);
	put_time(b, "updated", post_updated(p));
	if (author)
		put_author(f, b, &p->author);
	for (int i = 0; i < p->nentities; i++)
		if (p->entities[i].kind == ENTITY_TAG) {
			buf_puts(b, "<category term=\"");
			web_text(b, p->entities[i].value, 0);
			buf_puts(b, "\"/>\n");
		}
	if (p->cw[0])
		put_element(b, "summary", p->cw, 0);
	buf_puts(b,
		 "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">");
	if (p->cw[0]) {
		buf_puts(b, "<p><strong>CW: ");
		web_text(b, p->cw, 0);
		buf_puts(b, "</strong></p>");
	}
	web_post_body(f, b, p, 0);
	buf_puts(b, "</div></content>\n</entry>\n");
	free(title);
	free(href);
	free(path);
	free(id);
}

/* What makes one feed: its head, and whose posts. */
struct feed {
	const char *self, *html, *title, *subtitle;
	const struct account_brief *author; /* a member's feed; NULL: the camp's */
	struct public_query q;
	int64_t since; /* updated when there is no entry */
};

static int feed_render(struct fed *f, const struct feed *fd, struct web_page *pg)
{
	struct post_list l;
	struct buf *b = &pg->body;
	int64_t updated = fd->since;
	int r;

	if ((r = public_posts(f->st, &fd->q, &l)) != 0)
		return r;
	for (int i = 0; i < l.n; i++)
		if (post_updated(&l.items[i]) > updated)
			updated = post_updated(&l.items[i]);
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
	put_element(b, "id", fd->self, 0);
	put_element(b, "title", fd->title, TEXT_NAME);
	if (fd->subtitle && fd->subtitle[0])
		put_element(b, "subtitle", fd->subtitle, 0);
	put_time(b, "updated", updated);
	put_link(b, "self", "application/atom+xml", fd->self);
	put_link(b, "alternate", "text/html", fd->html);
	if (fd->author)
		put_author(f, b, fd->author);
	buf_puts(b, "<generator version=\"" CAMP_VERSION "\">camp</generator>\n");
	for (int i = 0; i < l.n; i++)
		put_entry(f, b, &l.items[i], fd->author == NULL);
	buf_puts(b, "</feed>\n");
	pg->status = 200;
	pg->content_type = ATOM_TYPE;
	pg->last_modified = updated;
	post_list_free(&l);
	return 0;
}

int web_feed_member(struct fed *f, const char *username, struct web_page *out)
{
	struct account a;
	struct account_brief who = {0};
	int r;

	if ((r = account_get_member(f->st, username, &a)) != 0 || a.deleted_at) {
		if (r == 0)
			account_free(&a);
		if (r != 0 && r != CAMP_ENOENT)
			return r;
		web_not_found(f, out);
		return 0;
	}
	char *html = xasprintf("%s/@%s", f->base, a.username);
	char *self = xasprintf("%s/feed.atom", html);
	char *title =
		xasprintf("%s (@%s@%s)", a.display_name[0] ? a.display_name : a.username,
			  a.username, f->cfg->domain);
	who.id = a.id;
	who.username = a.username;
	who.display_name = a.display_name;
	struct feed fd = {self,	       html,
			  title,       a.bio,
			  &who,	       {PUBLIC_MEMBER_FEED, a.id, NULL, 0, FEED_ENTRIES},
			  a.created_at};
	r = feed_render(f, &fd, out);
	free(title);
	free(self);
	free(html);
	account_free(&a);
	return r;
}

int web_feed_camp(struct fed *f, struct web_page *out)
{
	char *self = xasprintf("%s/feed.atom", f->base),
	     *html = xasprintf("%s/", f->base);
	char *description = NULL;
	int r = setting_get(f->st, SETTING_CAMP_DESCRIPTION, &description);
	struct feed fd = {self,
			  html,
			  f->cfg->camp_name,
			  description,
			  NULL,
			  {PUBLIC_CAMP_FEED, 0, NULL, 0, FEED_ENTRIES},
			  0};

	if (r == 0)
		r = feed_render(f, &fd, out);
	free(description);
	free(html);
	free(self);
	return r;
}
