/*
 * html.c: remote HTML reduced to plain text (libxml2's HTML parser), and
 * a member's plain text turned into the small HTML other servers expect.
 *
 * Remote HTML is parsed, never pattern-matched: what comes out is the
 * text a reader would see, with paragraph breaks, link targets and
 * mentions kept as text.  No markup, script or control character survives
 * (the TUI still sanitizes what it shows).  The parser never touches the
 * network (HTML_PARSE_NONET) and errors in the markup are recovered
 * from, never fatal.
 */
#include "federation/federation.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct render {
	struct buf *out;
	const struct html_mention *m;
	int nm;
	int pre;   /* inside <pre>: keep whitespace */
	int space; /* a space is owed before the next word */
};

/* Elements that start and end a paragraph, and ones that only break a
 * line. */
static const char *const para_tags[] = {"p",  "blockquote", "h1", "h2", "h3", "h4",
					"h5", "h6",	    "ul", "ol", "pre"};
static const char *const line_tags[] = {"div", "li", "tr", "dt", "dd"};

static int tag_in(const xmlChar *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp((const char *)name, list[i]) == 0)
			return 1;
	return 0;
}

/* Makes sure the output ends with at least n newlines (none at start). */
static void ensure_newlines(struct render *r, int n)
{
	struct buf *o = r->out;
	int have = 0;

	r->space = 0;
	if (o->len == 0)
		return;
	while ((size_t)have < o->len && o->data[o->len - 1 - have] == '\n')
		have++;
	for (; have < n; have++)
		buf_putc(o, '\n');
}

/* Appends text, collapsing whitespace outside <pre> and dropping control
 * characters. */
static void put_text(struct render *r, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if (!r->pre &&
		    (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')) {
			r->space = 1;
			continue;
		}
		if (c == '\t')
			c = ' ';
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			continue;
		if (r->space && r->out->len > 0 && r->out->data[r->out->len - 1] != '\n')
			buf_putc(r->out, ' ');
		r->space = 0;
		buf_putc(r->out, (char)c);
	}
}

static void render_children(struct render *r, xmlNode *n);

/* The text inside an element, rendered on its own. */
static char *inner_text(struct render *r, xmlNode *n)
{
	struct buf tmp = BUF_INIT;
	struct render sub = {&tmp, r->m, r->nm, r->pre, 0};

	render_children(&sub, n);
	return buf_detach(&tmp);
}

static int has_class(xmlNode *n, const char *cls)
{
	xmlChar *c = xmlGetProp(n, (const xmlChar *)"class");
	int yes = 0;

	if (c) {
		char *save = NULL;
		for (char *tok = strtok_r((char *)c, " \t", &save); tok;
		     tok = strtok_r(NULL, " \t", &save))
			if (strcmp(tok, cls) == 0)
				yes = 1;
		xmlFree(c);
	}
	return yes;
}

/* The host of a URL ("" if none); caller frees. */
static char *url_host(const char *url)
{
	const char *p = strstr(url, "://");

	if (p == NULL)
		return xstrdup("");
	p += 3;
	return xstrndup(p, strcspn(p, "/:?#"));
}

/* "@bob" as "@bob@host": from the note's Mention tags, else the link. */
static void put_mention(struct render *r, const char *href, const char *text)
{
	for (int i = 0; href && i < r->nm; i++) {
		if (r->m[i].href && strcmp(r->m[i].href, href) == 0 && r->m[i].acct) {
			const char *a = r->m[i].acct;
			buf_printf(r->out, "@%s", a[0] == '@' ? a + 1 : a);
			return;
		}
	}
	if (href && ap_url_ok(href) && text[0] && strchr(text + 1, '@') == NULL) {
		char *host = url_host(href);
		buf_printf(r->out, "%s%s%s", text, host[0] ? "@" : "", host);
		free(host);
		return;
	}
	buf_puts(r->out, text);
}

static void render_link(struct render *r, xmlNode *n)
{
	xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
	char *text = inner_text(r, n);
	const char *h = (const char *)href;
	char *t = text;

	while (*t == ' ' || *t == '\n')
		t++;
	if (r->space && r->out->len > 0 && r->out->data[r->out->len - 1] != '\n')
		buf_putc(r->out, ' ');
	r->space = 0;
	if (t[0] == '@' || (has_class(n, "mention") && !has_class(n, "hashtag")))
		put_mention(r, h, t);
	else if (t[0] == '#' || has_class(n, "hashtag") || h == NULL || !ap_url_ok(h))
		buf_puts(r->out, t);
	else if (t[0] == '\0' || strstr(t, "\xe2\x80\xa6") /* ellipsis */)
		buf_puts(r->out, h);
	else if (strcmp(t, h) == 0 || strstr(h, t) != NULL)
		buf_puts(r->out, strstr(t, "://") ? t : h);
	else
		buf_printf(r->out, "%s <%s>", t, h);
	free(text);
	xmlFree(href);
}

static void render_element(struct render *r, xmlNode *n)
{
	const xmlChar *name = n->name;

	if (strcasecmp((const char *)name, "script") == 0 ||
	    strcasecmp((const char *)name, "style") == 0 ||
	    strcasecmp((const char *)name, "head") == 0)
		return;
	if (strcasecmp((const char *)name, "a") == 0) {
		render_link(r, n);
		return;
	}
	if (strcasecmp((const char *)name, "img") == 0) {
		xmlChar *alt = xmlGetProp(n, (const xmlChar *)"alt");
		if (alt)
			put_text(r, (const char *)alt);
		xmlFree(alt);
		return;
	}
	if (strcasecmp((const char *)name, "br") == 0) {
		buf_putc(r->out, '\n');
		r->space = 0;
		return;
	}
	int para = tag_in(name, para_tags, ARRAY_LEN(para_tags));
	int line = tag_in(name, line_tags, ARRAY_LEN(line_tags));
	if (para)
		ensure_newlines(r, 2);
	else if (line)
		ensure_newlines(r, 1);
	int was_pre = r->pre;
	if (strcasecmp((const char *)name, "pre") == 0)
		r->pre = 1;
	if (strcasecmp((const char *)name, "li") == 0)
		buf_puts(r->out, "- ");
	render_children(r, n);
	r->pre = was_pre;
	if (para)
		ensure_newlines(r, 2);
	else if (line)
		ensure_newlines(r, 1);
}

static void render_children(struct render *r, xmlNode *n)
{
	for (xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
			put_text(r, (const char *)c->content);
		else if (c->type == XML_ELEMENT_NODE)
			render_element(r, c);
	}
}

/* Trims whitespace at both ends and spaces before newlines. */
static char *tidy(struct buf *b)
{
	struct buf out = BUF_INIT;
	const char *s = buf_str(b);
	size_t n = b->len;

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	while (n > 0 && (*s == '\n' || *s == ' '))
		s++, n--;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' && i + 1 < n && s[i + 1] == '\n')
			continue;
		if (((unsigned char)s[i] < 0x20 && s[i] != '\n') || s[i] == 0x7f)
			continue; /* from attributes and mention hosts */
		buf_putc(&out, s[i]);
	}
	return buf_detach(&out);
}

char *html_to_text(const char *html, size_t len, const struct html_mention *m, int nm)
{
	struct buf out = BUF_INIT;
	struct render r = {&out, m, nm, 0, 0};
	htmlDocPtr doc;
	char *text;

	if (len == 0 || len > INT32_MAX)
		return xstrdup("");
	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
			     HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				     HTML_PARSE_NONET | HTML_PARSE_RECOVER |
				     HTML_PARSE_NOBLANKS);
	if (doc == NULL)
		return xstrdup("");
	xmlNode *root = xmlDocGetRootElement(doc);
	if (root)
		render_element(&r, root);
	xmlFreeDoc(doc);
	text = tidy(&out);
	buf_free(&out);
	/* libxml2 hands out UTF-8; make sure, since this will be stored. */
	if (!utf8_valid(text, strlen(text), NULL)) {
		struct buf clean = BUF_INIT;
		text_sanitize(&clean, text, strlen(text), TEXT_MULTILINE);
		free(text);
		text = buf_detach(&clean);
	}
	return text;
}

static void put_escaped(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&':
			buf_puts(out, "&amp;");
			break;
		case '<':
			buf_puts(out, "&lt;");
			break;
		case '>':
			buf_puts(out, "&gt;");
			break;
		case '"':
			buf_puts(out, "&quot;");
			break;
		case '\'':
			buf_puts(out, "&#39;");
			break;
		default:
			buf_putc(out, s[i]);
		}
	}
}

void html_escape(struct buf *out, const char *s)
{
	put_escaped(out, s, strlen(s));
}

/* Escaped text with newlines: a blank line starts a paragraph, one
 * newline is a <br>. */
static void put_plain(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, start = 0;

	while (i < n) {
		if (s[i] != '\n') {
			i++;
			continue;
		}
		put_escaped(out, s + start, i - start);
		if (i + 1 < n && s[i + 1] == '\n') {
			buf_puts(out, "</p><p>");
			while (i < n && s[i] == '\n')
				i++;
		} else {
			buf_puts(out, "<br>");
			i++;
		}
		start = i;
	}
	put_escaped(out, s + start, n - start);
}

static void put_entity(struct buf *out, const char *text, const struct entity *e,
		       char *(*href_of)(void *, const struct entity *), void *ctx,
		       const char *base)
{
	size_t n = (size_t)(e->end - e->start);
	char *href = NULL;

	switch (e->kind) {
	case ENTITY_MENTION:
		href = href_of ? href_of(ctx, e) : NULL;
		if (href == NULL)
			break;
		const char *name = e->value;
		buf_puts(out, "<span class=\"h-card\"><a href=\"");
		put_escaped(out, href, strlen(href));
		buf_puts(out, "\" class=\"u-url mention\">@<span>");
		put_escaped(out, name, strcspn(name, "@"));
		buf_puts(out, "</span></a></span>");
		free(href);
		return;
	case ENTITY_TAG:
		buf_puts(out, "<a href=\"");
		put_escaped(out, base, strlen(base));
		buf_puts(out, "/tags/");
		put_escaped(out, e->value, strlen(e->value));
		buf_puts(out, "\" class=\"mention hashtag\" rel=\"tag\">#<span>");
		put_escaped(out, e->value, strlen(e->value));
		buf_puts(out, "</span></a>");
		return;
	case ENTITY_URL:
		buf_puts(out, "<a href=\"");
		put_escaped(out, e->value, strlen(e->value));
		buf_puts(out, "\" rel=\"nofollow noopener noreferrer\">");
		put_escaped(out, text + e->start, n);
		buf_puts(out, "</a>");
		return;
	}
	put_escaped(out, text + e->start, n);
}

void text_to_html(struct buf *out, const char *text, const struct entity *e, int ne,
		  char *(*href_of)(void *ctx, const struct entity *e), void *ctx,
		  const char *base)
{
	size_t len = strlen(text);
	int pos = 0;

	buf_puts(out, "<p>");
	for (int i = 0; i < ne; i++) {
		if (e[i].start < pos || e[i].end < e[i].start || (size_t)e[i].end > len)
			continue; /* overlapping or out of range: leave as text */
		put_plain(out, text + pos, (size_t)(e[i].start - pos));
		put_entity(out, text, &e[i], href_of, ctx, base);
		pos = e[i].end;
	}
	put_plain(out, text + pos, len - (size_t)pos);
	buf_puts(out, "</p>");
}
