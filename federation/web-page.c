/*
 * web-page.c: what every page of the camp's public face shares: the one
 * escaping function, links, times, the frame of a page (head, header,
 * footer, the inline stylesheet) and the HTTP answer with its caching
 * headers.
 *
 * The web pages (web-*.c) are part of the federation room because they
 * answer on the same URLs as the ActivityPub documents: routes.c picks
 * HTML or JSON by the Accept header and calls down into them.  They read
 * the camp only through store/public.c, which asks audience.c what a
 * page may show, and they never test a post's visibility themselves.
 *
 * Everything written into a page passes through web_text() once: names,
 * intros, posts, content warnings, URLs, the camp's own texts.  It
 * escapes markup and turns controls, bidi overrides and (in names)
 * invisible marks into U+FFFD, so hostile text can neither make markup
 * nor rearrange what is around it.  A URL from another server becomes a
 * link only if it is a plain http(s) URL (ap_url_ok), and then with
 * rel="nofollow ugc noopener".  Pages carry no script, and their
 * Content-Security-Policy allows none: only the inline stylesheet, by
 * its hash.
 */
#include "federation/federation.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Readable on paper, on a phone, in the dark and in lynx; loads nothing. */
static const char stylesheet[] =
	":root{--bg:#fbf7f0;--fg:#2b2118;--dim:#6b5e50;--line:#e6dccb;"
	"--accent:#a63d16;--card:#fffdf9}"
	"@media (prefers-color-scheme:dark){:root{--bg:#1a1613;--fg:#efe4d4;"
	"--dim:#ab9b87;--line:#3b332c;--accent:#f29157;--card:#221d19}}"
	"*{box-sizing:border-box}"
	"body{margin:0 auto;max-width:42rem;padding:1rem;background:var(--bg);"
	"color:var(--fg);font:1rem/1.55 system-ui,sans-serif;"
	"overflow-wrap:anywhere}"
	"a{color:var(--accent)}"
	"header.site{display:flex;flex-wrap:wrap;gap:.2rem 1rem;"
	"align-items:baseline;border-bottom:2px solid var(--line);"
	"margin-bottom:1rem;padding-bottom:.4rem}"
	"header.site .camp{font-weight:700;font-size:1.15rem;"
	"text-decoration:none}"
	"nav a{margin-right:.8rem}"
	"h1{font-size:1.5rem;margin:.5rem 0 .2rem}"
	"h2{font-size:1.15rem;margin-top:1.6rem}"
	"article{background:var(--card);border:1px solid var(--line);"
	"border-radius:.5rem;padding:.6rem 1rem;margin:.8rem 0}"
	"article.focus{border-width:2px}"
	"article p{margin:.4rem 0}"
	".meta,.counts,.dim,footer{color:var(--dim);font-size:.9rem}"
	".name{font-weight:600}"
	"code,.handle{font-family:ui-monospace,monospace;user-select:all}"
	"summary{cursor:pointer;font-weight:600}"
	"ol.thread{list-style:none;margin:0;padding-left:1rem;"
	"border-left:2px solid var(--line)}"
	"pre{white-space:pre-wrap}"
	"footer{border-top:2px solid var(--line);margin-top:2rem;"
	"padding-top:.4rem}"
	"@media print{body{max-width:none;background:#fff;color:#000}"
	"nav,.more{display:none}a{color:#000}"
	"article{border:0;border-top:1px solid #888;border-radius:0}"
	"a[rel~=ugc]::after{content:\" <\" attr(href) \">\"}}";

static char csp[256];
static pthread_once_t csp_once = PTHREAD_ONCE_INIT;

/* The policy names the stylesheet by its hash, so nothing else inline,
 * style or script, is ever applied. */
static void csp_make(void)
{
	unsigned char md[32];
	unsigned int n = 0;
	char *b64;

	if (EVP_Digest(stylesheet, strlen(stylesheet), md, &n, EVP_sha256(), NULL) != 1 ||
	    n != sizeof md)
		fatal("SHA-256 failed");
	b64 = base64_encode(md, sizeof md);
	snprintf(csp, sizeof csp,
		 "default-src 'none'; style-src 'sha256-%s'; img-src data:; "
		 "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
		 b64);
	free(b64);
}

const char *web_csp(void)
{
	pthread_once(&csp_once, csp_make);
	return csp;
}

/* ---- text ----------------------------------------------------------------- */

void web_textn(struct buf *out, const char *s, size_t len, int flags)
{
	static const char replacement[] = "\xef\xbf\xbd";
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		int n = utf8_decode(s + i, len - i, &cp);
		if (n < 0) {
			buf_puts(out, replacement);
			i++;
			continue;
		}
		i += (size_t)n;
		switch (cp) {
		case '&':
			buf_puts(out, "&amp;");
			continue;
		case '<':
			buf_puts(out, "&lt;");
			continue;
		case '>':
			buf_puts(out, "&gt;");
			continue;
		case '"':
			buf_puts(out, "&quot;");
			continue;
		case '\'':
			buf_puts(out, "&#39;");
			continue;
		case '\t':
			buf_putc(out, ' ');
			continue;
		}
		/* U+FFFE and U+FFFF are not even allowed in XML (the feeds). */
		if (text_cp_is_unsafe(cp, flags) || cp == 0xFFFE || cp == 0xFFFF)
			buf_puts(out, replacement);
		else
			buf_append(out, s + i - n, (size_t)n);
	}
}

void web_text(struct buf *out, const char *s, int flags)
{
	web_textn(out, s ? s : "", s ? strlen(s) : 0, flags);
}

void web_lines(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, start = 0;

	while (i < n) {
		if (s[i] != '\n') {
			i++;
			continue;
		}
		web_textn(out, s + start, i - start, 0);
		if (i + 1 < n && s[i + 1] == '\n') {
			buf_puts(out, "</p><p>");
			while (i < n && s[i] == '\n')
				i++;
		} else {
			buf_puts(out, "<br/>");
			i++;
		}
		start = i;
	}
	web_textn(out, s + start, n - start, 0);
}

void web_paragraphs(struct buf *out, const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	buf_puts(out, "<p>");
	web_lines(out, s, n);
	buf_puts(out, "</p>\n");
}

/* ---- links, names, times ---------------------------------------------- */

void web_local_link(struct fed *f, struct buf *out, const char *path, const char *text,
		    int flags)
{
	buf_puts(out, "<a href=\"");
	web_text(out, f->base, 0);
	web_text(out, path, 0);
	buf_puts(out, "\">");
	web_text(out, text, flags);
	buf_puts(out, "</a>");
}

void web_remote_link(struct buf *out, const char *url, const char *text, int flags)
{
	if (url == NULL || !ap_url_ok(url)) {
		web_text(out, text, flags);
		return;
	}
	buf_puts(out, "<a href=\"");
	web_text(out, url, 0);
	buf_puts(out, "\" rel=\"nofollow ugc noopener\">");
	web_text(out, text, flags);
	buf_puts(out, "</a>");
}

void web_author(struct fed *f, struct buf *out, const struct account_brief *a)
{
	char *acct = account_brief_acct(a), *path;
	const char *name =
		a->display_name && a->display_name[0] ? a->display_name : a->username;

	buf_puts(out, "<bdi class=\"name\">");
	web_text(out, name, TEXT_NAME);
	buf_puts(out, "</bdi> <span class=\"dim\">@");
	if (a->domain == NULL) {
		path = xasprintf("/@%s", a->username);
		web_local_link(f, out, path, acct, TEXT_NAME);
		free(path);
	} else { /* @name@host, linking to its actor */
		web_remote_link(out, a->uri, acct, TEXT_NAME);
	}
	buf_puts(out, "</span>");
	free(acct);
}

void web_time(struct buf *out, int64_t t)
{
	char iso[32];
	time_t tt = (time_t)t;
	struct tm tm;

	time_rfc3339(t, iso);
	gmtime_r(&tt, &tm);
	buf_printf(out, "<time datetime=\"%s\">%04d-%02d-%02d %02d:%02d UTC</time>", iso,
		   tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

void web_date(struct buf *out, int64_t t)
{
	static const char *const months[] = {
		"January", "February", "March",	    "April",   "May",	   "June",
		"July",	   "August",   "September", "October", "November", "December"};
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	buf_printf(out, "%d %s %d", tm.tm_mday, months[tm.tm_mon % 12],
		   tm.tm_year + 1900);
}

/* ---- the frame of a page -------------------------------------------------- */

static void head_meta(struct buf *b, const char *attr, const char *name,
		      const char *content)
{
	if (content == NULL)
		return;
	buf_printf(b, "<meta %s=\"%s\" content=\"", attr, name);
	web_text(b, content, TEXT_NAME);
	buf_puts(b, "\">\n");
}

static void head_link(struct buf *b, const char *rel, const char *type, const char *href,
		      const char *title)
{
	if (href == NULL)
		return;
	buf_printf(b, "<link rel=\"%s\"", rel);
	if (type)
		buf_printf(b, " type=\"%s\"", type);
	buf_puts(b, " href=\"");
	web_text(b, href, 0);
	if (title) {
		buf_puts(b, "\" title=\"");
		web_text(b, title, TEXT_NAME);
	}
	buf_puts(b, "\">\n");
}

void web_begin(struct fed *f, struct buf *b, const struct web_head *h)
{
	const char *camp = f->cfg->camp_name;

	buf_puts(b,
		 "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		 "<meta name=\"viewport\" content=\"width=device-width, "
		 "initial-scale=1\">\n<title>");
	if (h->title) {
		web_text(b, h->title, TEXT_NAME);
		buf_puts(b, " - ");
	}
	web_text(b, camp, TEXT_NAME);
	buf_puts(b, "</title>\n");
	head_meta(b, "name", "description", h->description);
	head_meta(b, "property", "og:site_name", camp);
	head_meta(b, "property", "og:title", h->title ? h->title : camp);
	head_meta(b, "property", "og:description", h->description);
	head_meta(b, "property", "og:type", h->og_type ? h->og_type : "website");
	head_meta(b, "property", "og:url", h->canonical);
	head_link(b, "canonical", NULL, h->canonical, NULL);
	head_link(b, "alternate", "application/atom+xml", h->feed, h->feed_title);
	head_link(b, "alternate", "application/activity+json", h->activity, NULL);
	buf_puts(b, "<link rel=\"icon\" href=\"data:,\">\n<style>");
	buf_puts(b, stylesheet);
	buf_puts(b, "</style>\n</head>\n<body>\n<header class=\"site\"><a class=\"camp\" "
		    "href=\"");
	web_text(b, f->base, 0);
	buf_puts(b, "/\">");
	web_text(b, camp, TEXT_NAME);
	buf_puts(b, "</a>\n<nav>");
	web_local_link(f, b, "/about", "About", 0);
	buf_puts(b, " ");
	web_local_link(f, b, "/feed.atom", "Camp feed", 0);
	buf_puts(b, "</nav></header>\n<main>\n");
}

void web_end(struct fed *f, struct buf *b)
{
	buf_puts(b, "</main>\n<footer>");
	web_text(b, f->cfg->camp_name, TEXT_NAME);
	buf_puts(b, " is a small camp on the fediverse; its members live here over "
		    "ssh. Served by camp " CAMP_VERSION ".</footer>\n</body>\n</html>\n");
}

void web_not_found(struct fed *f, struct web_page *pg)
{
	struct web_head h = {.title = "Not here"};

	buf_reset(&pg->body);
	pg->status = 404;
	pg->content_type = "text/html; charset=utf-8";
	pg->last_modified = 0;
	web_begin(f, &pg->body, &h);
	/* The same words for what never was and what is not public. */
	buf_puts(&pg->body, "<h1>Not here</h1>\n<p>There is nothing public at this "
			    "address. It may have been deleted, or it was never "
			    "meant for everyone.</p>\n");
	web_end(f, &pg->body);
}

void web_page_free(struct web_page *pg)
{
	buf_free(&pg->body);
}

/* ---- the HTTP answer -------------------------------------------------------- */

/* 1 if an If-None-Match value lists etag, weakly or not, or is "*". */
static int etag_listed(const char *header, const char *etag)
{
	return strcmp(header, "*") == 0 || strstr(header, etag) != NULL;
}

void web_reply(const struct http_request *req, struct web_page *pg,
	       struct http_reply *rep)
{
	const char *inm = req->msg.header(req->msg.ctx, "if-none-match");
	const char *ims = req->msg.header(req->msg.ctx, "if-modified-since");
	char hex[65];
	int64_t since;

	sha256_hex(buf_str(&pg->body), pg->body.len, hex);
	snprintf(rep->etag, sizeof rep->etag, "\"%.24s\"", hex);
	rep->status = pg->status;
	rep->content_type = pg->content_type;
	rep->last_modified = pg->status == 200 ? pg->last_modified : 0;
	rep->cache_control = "no-cache";
	if (strncmp(pg->content_type, "text/html", 9) == 0)
		rep->csp = web_csp();
	buf_free(&rep->body);
	rep->body = pg->body;
	memset(&pg->body, 0, sizeof pg->body);
	if (rep->status != 200)
		return;
	/* If-None-Match wins when both are sent (RFC 9110, 13.2.2). */
	if ((inm && etag_listed(inm, rep->etag)) ||
	    (!inm && ims && rep->last_modified && http_date_parse(ims, &since) == 0 &&
	     rep->last_modified <= since)) {
		rep->status = 304;
		buf_reset(&rep->body);
	}
}
