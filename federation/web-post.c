/*
 * web-post.c: a post on the camp's web pages: its text as paragraphs
 * with its mentions, tags and links; the <article> a list or a thread
 * shows it in (content warning in a <details>, counts, who boosted it);
 * and a post's own page, with the public thread around it.
 *
 * Which posts appear, which parent a reply may name and what the reply
 * count counts are store/public.c's answers (audience.c's rules); this
 * file only lays out what it is given.  Remote text is hostile: it goes
 * through web_text(), and its URLs through web_remote_link().
 */
#include "federation/federation.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LIST_TEXT_MAX 1200 /* bytes of a post's text shown in a list */
#define FOCUS_TEXT_MAX 12000
#define EXCERPT_MAX 90

/* ---- the text ------------------------------------------------------------- */

/* A mention, tag or link: the text as written, linked where it leads. */
static void put_entity(struct fed *f, struct buf *b, const char *text,
		       const struct entity *e)
{
	char *shown = xstrndup(text + e->start, (size_t)(e->end - e->start)), *path;
	struct account_brief who = {0};

	switch (e->kind) {
	case ENTITY_MENTION:
		if (strchr(e->value, '@') == NULL) {
			path = xasprintf("/@%s", e->value);
			web_local_link(f, b, path, shown, 0);
			free(path);
		} else if (account_brief_get(f->st, e->account_id, &who) == 0) {
			web_remote_link(b, who.uri, shown, 0);
		} else {
			web_text(b, shown, 0);
		}
		account_brief_free(&who);
		break;
	case ENTITY_TAG:
		path = xasprintf("/tags/%s", e->value);
		web_local_link(f, b, path, shown, 0);
		free(path);
		break;
	case ENTITY_URL:
		web_remote_link(b, e->value, shown, 0);
		break;
	}
	free(shown);
}

void web_post_body(struct fed *f, struct buf *b, const struct post *p, size_t max)
{
	const char *text = p->content;
	size_t len = strlen(text), end = len, pos = 0;
	int cut = max > 0 && len > max;

	if (cut) /* at a character's start */
		for (end = max; end > 0 && ((unsigned char)text[end] & 0xC0) == 0x80;
		     end--)
			;
	buf_puts(b, "<p>");
	for (int i = 0; i < p->nentities; i++) {
		const struct entity *e = &p->entities[i];
		if (e->start < (int)pos || e->end < e->start || (size_t)e->end > len)
			continue; /* overlapping or out of range: left as text */
		if ((size_t)e->end > end) {
			if ((size_t)e->start < end)
				end = (size_t)e->start; /* never half a link */
			break;
		}
		web_lines(b, text + pos, (size_t)e->start - pos);
		put_entity(f, b, text, e);
		pos = (size_t)e->end;
	}
	web_lines(b, text + pos, end - pos);
	buf_puts(b, cut ? "\xe2\x80\xa6</p>" : "</p>");
}

char *web_post_path(const struct post *p)
{
	return xasprintf("/@%s/%lld", p->author.username, (long long)p->id);
}

/* ---- the article ---------------------------------------------------------- */

/* "12 replies · 3 boosts · 1 favourite", the zeros left out. */
static void put_counts(struct buf *b, const struct post *p)
{
	const struct {
		int n;
		const char *one, *many;
	} c[] = {{p->replies, "reply", "replies"},
		 {p->boosts, "boost", "boosts"},
		 {p->favourites, "favourite", "favourites"}};
	int shown = 0;

	for (size_t i = 0; i < ARRAY_LEN(c); i++) {
		if (c[i].n <= 0)
			continue;
		buf_printf(b, "%s%s%d %s", shown ? "" : "<p class=\"counts\">",
			   shown ? " \xc2\xb7 " : "", c[i].n,
			   c[i].n == 1 ? c[i].one : c[i].many);
		shown = 1;
	}
	if (shown)
		buf_puts(b, "</p>");
}

/* The author, and the time linking to the post's page (here, or on its
 * own server for a remote post). */
static void put_header(struct fed *f, struct buf *b, const struct post *p)
{
	struct buf when = BUF_INIT;

	buf_puts(b, "<p class=\"meta\">");
	web_author(f, b, &p->author);
	buf_puts(b, " \xc2\xb7 ");
	web_time(&when, p->created_at);
	if (p->local) {
		char *path = web_post_path(p), *href = xasprintf("%s%s", f->base, path);
		buf_puts(b, "<a class=\"u-url\" href=\"");
		web_text(b, href, 0);
		buf_printf(b, "\">%s</a>", buf_str(&when));
		free(href);
		free(path);
	} else if (ap_url_ok(p->url ? p->url : p->uri ? p->uri : "")) {
		buf_puts(b, "<a href=\"");
		web_text(b, p->url ? p->url : p->uri, 0);
		buf_printf(b, "\" rel=\"nofollow ugc noopener\">%s</a>", buf_str(&when));
	} else {
		buf_puts(b, buf_str(&when));
	}
	if (p->edited_at)
		buf_puts(b, " \xc2\xb7 edited");
	buf_puts(b, "</p>\n");
	buf_free(&when);
}

/* "In reply to @bob", only where store/public.c left the parent named. */
static void put_parent(struct fed *f, struct buf *b, const struct post *p)
{
	const struct account_brief *a = &p->in_reply_to_author;
	char *acct, *path;

	if (p->in_reply_to_id == 0 || a->id == 0)
		return;
	acct = account_brief_acct(a);
	buf_puts(b, "<p class=\"meta\">In reply to ");
	if (a->domain == NULL) {
		path = xasprintf("/@%s/%lld", a->username, (long long)p->in_reply_to_id);
		web_local_link(f, b, path, acct, TEXT_NAME);
		free(path);
	} else {
		buf_putc(b, '@');
		web_remote_link(b, p->in_reply_to_uri, acct, TEXT_NAME);
	}
	buf_puts(b, "</p>\n");
	free(acct);
}

/* The text, behind its content warning if it has one; in a list, cut
 * with a link to the rest. */
static void put_content(struct fed *f, struct buf *b, const struct post *p, int focus)
{
	size_t max = focus ? FOCUS_TEXT_MAX : LIST_TEXT_MAX;

	if (p->cw[0]) {
		buf_puts(b, "<details><summary>");
		web_text(b, p->cw, 0);
		buf_puts(b, "</summary>");
	}
	web_post_body(f, b, p, max);
	if (p->cw[0])
		buf_puts(b, "</details>");
	buf_putc(b, '\n');
	if (strlen(p->content) <= max)
		return;
	buf_puts(b, "<p class=\"more\">");
	if (p->local) {
		char *path = web_post_path(p);
		web_local_link(f, b, path, "Read the whole post", 0);
		free(path);
	} else {
		web_remote_link(b, p->url ? p->url : p->uri, "Read the whole post", 0);
	}
	buf_puts(b, "</p>\n");
}

void web_post_article(struct fed *f, struct buf *b, const struct post *p, int flags)
{
	const struct post *shown = p->boost_of ? p->boost_of : p;
	int focus = flags & WEB_POST_FOCUS;

	buf_printf(b, "<article class=\"h-entry%s\" id=\"p%lld\">\n",
		   focus ? " focus" : "", (long long)p->id);
	if (p->boost_of) {
		buf_puts(b, "<p class=\"meta\">\xe2\x86\xbb ");
		web_author(f, b, &p->author);
		buf_puts(b, " boosted</p>\n");
	}
	put_header(f, b, shown);
	put_parent(f, b, shown);
	put_content(f, b, shown, focus);
	put_counts(b, shown);
	buf_puts(b, "</article>\n");
}

/* ---- a post's page ------------------------------------------------------ */

char *web_post_excerpt(const struct post *p)
{
	const char *s = p->cw[0] ? p->cw : p->content;
	size_t n = strlen(s), end = n;
	struct buf b = BUF_INIT;

	if (n > EXCERPT_MAX)
		for (end = EXCERPT_MAX; end > 0 && ((unsigned char)s[end] & 0xC0) == 0x80;
		     end--)
			;
	if (p->cw[0])
		buf_puts(&b, "CW: ");
	for (size_t i = 0; i < end; i++)
		buf_putc(&b, s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
	if (end < n)
		buf_puts(&b, "\xe2\x80\xa6");
	return buf_detach(&b);
}

static int64_t post_time(const struct post *p)
{
	return p->edited_at > p->created_at ? p->edited_at : p->created_at;
}

/* The replies as nested lists, one level per depth, until the page has
 * used its budget; says how many are left out. */
static void put_replies(struct fed *f, struct buf *b, const struct post_list *l,
			int64_t *newest)
{
	int depth = 0, i;

	if (l->n == 0)
		return;
	buf_puts(b, "<h2>Replies</h2>\n");
	for (i = 0; i < l->n && b->len < WEB_LIST_BUDGET; i++) {
		const struct post *p = &l->items[i];
		/* One level deeper at most: a list opens only inside an item. */
		int d = p->depth < 1 ? 1 : p->depth > depth + 1 ? depth + 1 : p->depth;
		if (d > depth) {
			buf_puts(b, "<ol class=\"thread\">\n<li>");
			depth = d;
		} else {
			for (; depth > d; depth--)
				buf_puts(b, "</li>\n</ol>\n");
			buf_puts(b, "</li>\n<li>");
		}
		web_post_article(f, b, p, 0);
		if (post_time(p) > *newest)
			*newest = post_time(p);
	}
	for (; depth > 0; depth--)
		buf_puts(b, "</li>\n</ol>\n");
	if (i < l->n)
		buf_printf(b, "<p class=\"dim\">%d more %s not shown here.</p>\n",
			   l->n - i, l->n - i == 1 ? "reply is" : "replies are");
}

static void post_page(struct fed *f, struct web_page *pg, const struct post_list *anc,
		      const struct post *focus, const struct post_list *desc)
{
	char *path = web_post_path(focus), *text = web_post_excerpt(focus);
	char *canonical = xasprintf("%s%s", f->base, path);
	char *feed = xasprintf("%s/@%s/feed.atom", f->base, focus->author.username);
	char *activity = fed_post_url(f, focus->id);
	const char *name = focus->author.display_name[0] ? focus->author.display_name
							 : focus->author.username;
	char *title = xasprintf("%s: \xe2\x80\x9c%s\xe2\x80\x9d", name, text);
	struct web_head h = {title, text, canonical, "article", feed, NULL, activity};
	int64_t newest = post_time(focus);

	web_begin(f, &pg->body, &h);
	for (int i = 0; i < anc->n; i++) {
		web_post_article(f, &pg->body, &anc->items[i], 0);
		if (post_time(&anc->items[i]) > newest)
			newest = post_time(&anc->items[i]);
	}
	web_post_article(f, &pg->body, focus, WEB_POST_FOCUS);
	put_replies(f, &pg->body, desc, &newest);
	web_end(f, &pg->body);
	pg->status = 200;
	pg->last_modified = newest;
	free(title);
	free(activity);
	free(feed);
	free(canonical);
	free(text);
	free(path);
}

int web_post(struct fed *f, int64_t post_id, const char *username, struct web_page *out)
{
	struct post_list anc, desc;
	struct post focus;
	int r = public_thread(f->st, post_id, &anc, &focus, &desc);

	out->status = 404;
	out->content_type = "text/html; charset=utf-8";
	if (r == CAMP_ENOENT) {
		web_not_found(f, out);
		return 0;
	}
	if (r != 0)
		return r;
	if (username && strcasecmp(username, focus.author.username) != 0)
		web_not_found(f, out);
	else
		post_page(f, out, &anc, &focus, &desc);
	post_free(&focus);
	post_list_free(&anc);
	post_list_free(&desc);
	return 0;
}

/* ---- lists ------------------------------------------------------------------ */

int64_t web_post_list(struct fed *f, struct buf *b, const struct post_list *l,
		      size_t budget, int64_t *newest)
{
	for (int i = 0; i < l->n; i++) {
		if (b->len >= budget)
			return l->items[i].id + 1; /* the next page starts with it */
		web_post_article(f, b, &l->items[i], 0);
		if (post_time(&l->items[i]) > *newest)
			*newest = post_time(&l->items[i]);
	}
	return l->next_max_id;
}

void web_older_link(struct fed *f, struct buf *b, const char *path, int64_t max_id)
{
	char *href;

	if (max_id <= 0)
		return;
	href = xasprintf("%s?max_id=%lld", path, (long long)max_id);
	buf_puts(b, "<p class=\"more\">");
	web_local_link(f, b, href, "Older posts", 0);
	buf_puts(b, "</p>\n");
	free(href);
}
