/*
 * web-about.c: the camp's front page (/ and /about): what the camp is,
 * how big, who looks after it, its house rules and code of conduct, how
 * to ask for an invite and the exact ssh command a new member types,
 * with the host key fingerprints to check it against, and its latest
 * public posts.
 *
 * The page is a table of sections, each of which writes nothing when it
 * has nothing to say.  Later features add rows (moderation: the public
 * blocklist; house rules of their own) and grow the store functions the
 * rows read (camp_staff() for moderators), not this file's logic.  The
 * texts staff write (description, how to join) are settings; the code of
 * conduct is DIR/conduct.txt, read at each request as sessions read it.
 */
#include "federation/federation.h"

#include <stdlib.h>
#include <string.h>

#define CONDUCT_MAX (64 * 1024)
#define LATEST_POSTS 5

/* Everything the sections share, read once per page. */
struct about {
	struct fed *f;
	char *description; /* staff's words, or the default */
	int64_t members;
	int64_t newest;	 /* for Last-Modified */
	size_t page_len; /* the page so far, before the section being written */
};

/* The camp's code of conduct: DIR/conduct.txt, or the built-in one. */
static char *conduct_text(struct fed *f)
{
	char *path = f->dir ? xasprintf("%s/conduct.txt", f->dir) : NULL, *text = NULL;

	if (path == NULL || file_read(path, CONDUCT_MAX, &text, NULL) != 0)
		text = xstrdup(embed_conduct);
	free(path);
	return text;
}

/* A setting staff write, or fallback when it is unset or empty. */
static int staff_text(struct fed *f, const char *key, const char *fallback, char **out)
{
	int r = setting_get(f->st, key, out);

	if (r == 0 && (*out == NULL || (*out)[0] == '\0')) {
		free(*out);
		*out = xstrdup(fallback);
	}
	return r;
}

/* ---- the sections ---------------------------------------------------------- */

static int put_intro(struct about *ab, struct buf *b)
{
	struct fed *f = ab->f;

	buf_puts(b, "<h1>");
	web_text(b, f->cfg->camp_name, TEXT_NAME);
	buf_puts(b, "</h1>\n");
	web_paragraphs(b, ab->description);
	buf_printf(b,
		   "<p class=\"dim\">%lld %s, with room for %ld. Members use the "
		   "camp from a terminal, over ssh; people on Mastodon and other "
		   "servers follow them as <code>@name@",
		   (long long)ab->members, ab->members == 1 ? "member" : "members",
		   f->cfg->max_members);
	web_text(b, f->cfg->domain, 0);
	buf_puts(b, "</code>.</p>\n");
	return 0;
}

static int put_joining(struct about *ab, struct buf *b)
{
	struct fed *f = ab->f;
	int closed = strcmp(f->cfg->registrations, "closed") == 0;
	char *text = NULL, *fps = NULL;
	struct buf cmd = BUF_INIT;
	int r;

	if ((r = staff_text(f, SETTING_CAMP_HOW_TO_JOIN,
			    closed ? "The camp is not taking new members at the moment."
				   : "Membership is by invitation. If you know someone "
				     "here, ask them, or one of the people below, for an "
				     "invite code.",
			    &text)) != 0 ||
	    (r = setting_get(f->st, SETTING_SSH_FINGERPRINTS, &fps)) != 0)
		goto out;
	web_paragraphs(b, text);
	if (!closed) {
		config_ssh_command(f->cfg, "join", &cmd);
		buf_puts(b, "<p>With an invite code, join from any terminal (make a key "
			    "first with <code>ssh-keygen -t ed25519</code> if you have "
			    "none):</p>\n<pre><code>");
		web_text(b, buf_str(&cmd), 0);
		buf_puts(b, "</code></pre>\n");
	}
	if (fps && fps[0]) {
		size_t n = strlen(fps);
		while (n > 0 && fps[n - 1] == '\n')
			n--;
		buf_puts(b, "<p>On your first connection, ssh shows the camp's host key; "
			    "it must be one of these:</p>\n<pre><code>");
		web_lines(b, fps, n);
		buf_puts(b, "</code></pre>\n");
	}
out:
	buf_free(&cmd);
	free(fps);
	free(text);
	return r;
}

static int put_staff(struct about *ab, struct buf *b)
{
	struct staff_member *s;
	int n, r;

	if ((r = camp_staff(ab->f->st, &s, &n)) != 0)
		return r;
	if (n > 0)
		buf_puts(b, "<ul>\n");
	for (int i = 0; i < n; i++) {
		buf_puts(b, "<li>");
		web_author(ab->f, b, &s[i].who);
		buf_puts(b, ", ");
		web_text(b, s[i].role, 0);
		buf_puts(b, "</li>\n");
	}
	if (n > 0)
		buf_puts(b, "</ul>\n");
	camp_staff_free(s, n);
	return 0;
}

/* The rules the camp's configuration makes, in words.  Rules staff set
 * of their own (a later feature) join these. */
static int put_rules(struct about *ab, struct buf *b)
{
	const struct config *cfg = ab->f->cfg;

	buf_printf(b,
		   "<ul>\n<li>A post has at most %ld characters, content warning "
		   "included.</li>\n",
		   cfg->max_post_chars);
	buf_puts(b, "<li>Camp-only posts never leave the camp: they are on no page "
		    "here and reach no other server.</li>\n"
		    "<li>Only public posts appear on these pages and in the feeds; "
		    "unlisted ones only on their author's profile.</li>\n</ul>\n");
	return 0;
}

static int put_conduct(struct about *ab, struct buf *b)
{
	char *text = conduct_text(ab->f);

	web_paragraphs(b, text);
	free(text);
	return 0;
}

static int put_latest(struct about *ab, struct buf *b)
{
	struct public_query q = {PUBLIC_CAMP_FEED, 0, NULL, 0, LATEST_POSTS};
	struct post_list l;
	int r;

	if ((r = public_posts(ab->f->st, &q, &l)) != 0)
		return r;
	/* The posts fill what the page has left of its budget. */
	web_post_list(ab->f, b, &l,
		      ab->page_len < WEB_LIST_BUDGET ? WEB_LIST_BUDGET - ab->page_len : 0,
		      &ab->newest);
	if (l.n > 0) {
		buf_puts(b, "<p class=\"more\">All of them, as they come: the ");
		web_local_link(ab->f, b, "/feed.atom", "camp's Atom feed", 0);
		buf_puts(b, ".</p>\n");
	}
	post_list_free(&l);
	return 0;
}

/* The page, top to bottom.  A section that writes nothing has no
 * heading either.  (The public blocklist comes with moderation.) */
static const struct about_section {
	const char *title; /* NULL: none */
	int (*put)(struct about *ab, struct buf *b);
} sections[] = {
	{NULL, put_intro},
	{"Joining", put_joining},
	{"Who looks after the camp", put_staff},
	{"House rules", put_rules},
	{"Code of conduct", put_conduct},
	{"Lately", put_latest},
};

int web_about(struct fed *f, struct web_page *out)
{
	char *canonical = xasprintf("%s/about", f->base);
	char *feed = xasprintf("%s/feed.atom", f->base);
	struct about ab = {f, NULL, 0, 0, 0};
	struct buf part = BUF_INIT;
	int r;

	if ((r = account_count_members(f->st, &ab.members)) != 0 ||
	    (r = staff_text(
		     f, SETTING_CAMP_DESCRIPTION,
		     "A small camp on the fediverse: a few friends who live here "
		     "over ssh, and talk with the rest of the fediverse from here.",
		     &ab.description)) != 0)
		goto out;
	struct web_head h = {NULL, ab.description, canonical, "website",
			     feed, NULL,	   NULL};
	web_begin(f, &out->body, &h);
	for (size_t i = 0; i < ARRAY_LEN(sections) && r == 0; i++) {
		buf_reset(&part);
		ab.page_len = out->body.len;
		if ((r = sections[i].put(&ab, &part)) != 0 || part.len == 0)
			continue;
		if (sections[i].title)
			buf_printf(&out->body, "<section>\n<h2>%s</h2>\n",
				   sections[i].title);
		buf_append(&out->body, part.data, part.len);
		if (sections[i].title)
			buf_puts(&out->body, "</section>\n");
	}
	web_end(f, &out->body);
	out->status = 200;
	out->content_type = "text/html; charset=utf-8";
	out->last_modified = 0; /* settings and files change without a date */
out:
	buf_free(&part);
	free(ab.description);
	free(feed);
	free(canonical);
	return r;
}
