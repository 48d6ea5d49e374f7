/*
 * web-profile.c: a member's page: who they are (name, intro, when they
 * joined, counts), the handle to paste into another server to follow
 * them, where they went if they moved, and the posts their profile shows
 * to anyone (store/public.c), twenty at a time, newest first.
 *
 * Only members have pages here; a remote account's page is on its own
 * server, and a member who left has none.  The post count is the one
 * audience.c keeps for profiles: what anyone can read, nothing more.
 */
#include "federation/federation.h"

#include <stdlib.h>
#include <string.h>

#define PROFILE_PAGE 20

/* Everything the page shows besides the posts. */
struct profile {
	struct account a;
	char *handle; /* alice@camp.example */
	char *moved_to;
	int64_t posts, followers, following;
};

static void profile_free(struct profile *p)
{
	account_free(&p->a);
	free(p->handle);
	free(p->moved_to);
}

/* 0, CAMP_ENOENT for no such member (or one who left), or an error. */
static int profile_load(struct fed *f, const char *username, struct profile *p)
{
	int r;

	memset(p, 0, sizeof *p);
	if ((r = account_get_member(f->st, username, &p->a)) != 0)
		return r;
	if (p->a.deleted_at) {
		account_free(&p->a);
		return CAMP_ENOENT;
	}
	int64_t id = p->a.id;
	p->handle = xasprintf("%s@%s", p->a.username, f->cfg->domain);
	r = audience_public_count(f->st, PUBLIC_PROFILE, id, &p->posts);
	if (r == 0)
		r = account_follow_counts(f->st, id, &p->followers, &p->following);
	if (r == 0)
		r = account_moved_to(f->st, id, &p->moved_to);
	if (r != 0)
		profile_free(p);
	return r;
}

static void put_count(struct buf *b, int64_t n, const char *one, const char *many)
{
	buf_printf(b, " \xc2\xb7 %lld %s", (long long)n, n == 1 ? one : many);
}

/* The h-card: name, handle, intro, dates and counts, following. */
static void put_card(struct fed *f, struct buf *b, const struct profile *p)
{
	const char *name = p->a.display_name[0] ? p->a.display_name : p->a.username;
	char *feed = xasprintf("/@%s/feed.atom", p->a.username);

	buf_puts(b, "<section class=\"h-card\">\n<h1><bdi class=\"p-name\">");
	web_text(b, name, TEXT_NAME);
	buf_puts(b, "</bdi></h1>\n<p><code class=\"handle\">@");
	web_text(b, p->handle, TEXT_NAME);
	buf_puts(b, "</code></p>\n");
	if (p->moved_to) {
		buf_puts(b, "<p><strong>");
		web_text(b, name, TEXT_NAME);
		buf_puts(b, " has moved to ");
		web_remote_link(b, p->moved_to, p->moved_to, 0);
		buf_puts(b, ".</strong></p>\n");
	}
	if (p->a.bio[0]) {
		buf_puts(b, "<p class=\"p-note\">");
		web_text(b, p->a.bio, 0);
		buf_puts(b, "</p>\n");
	}
	buf_puts(b, "<p class=\"dim\">Joined ");
	web_date(b, p->a.created_at);
	put_count(b, p->posts, "post", "posts");
	put_count(b, p->followers, "follower", "followers");
	put_count(b, p->following, "following", "following");
	buf_puts(b, "</p>\n<p>To follow from Mastodon or any other fediverse server, "
		    "search there for <code class=\"handle\">@");
	web_text(b, p->handle, TEXT_NAME);
	buf_puts(b, "</code>. Or read along in a feed reader: ");
	web_local_link(f, b, feed, "Atom feed", 0);
	buf_puts(b, ".</p>\n</section>\n");
	free(feed);
}

static int profile_page(struct fed *f, const struct profile *p, int64_t max_id,
			struct web_page *pg)
{
	struct public_query q = {PUBLIC_PROFILE, p->a.id, NULL, max_id, PROFILE_PAGE};
	const char *name = p->a.display_name[0] ? p->a.display_name : p->a.username;
	char *path = xasprintf("/@%s", p->a.username);
	char *canonical = xasprintf("%s%s", f->base, path);
	char *feed = xasprintf("%s/feed.atom", canonical);
	char *activity = fed_actor_url(f, p->a.username);
	char *title = xasprintf("%s (@%s)", name, p->handle);
	struct web_head h = {
		title,	 p->a.bio[0] ? p->a.bio : NULL, canonical, "profile", feed, title,
		activity};
	struct post_list l;
	int64_t newest = p->a.created_at, next;
	int r;

	if ((r = public_posts(f->st, &q, &l)) == 0) {
		web_begin(f, &pg->body, &h);
		put_card(f, &pg->body, p);
		buf_puts(&pg->body, "<h2>Posts</h2>\n");
		if (l.n == 0)
			buf_puts(&pg->body,
				 max_id ? "<p class=\"dim\">No older posts.</p>\n"
					: "<p class=\"dim\">Nothing public yet.</p>\n");
		next = web_post_list(f, &pg->body, &l, WEB_LIST_BUDGET, &newest);
		web_older_link(f, &pg->body, path, next);
		web_end(f, &pg->body);
		pg->status = 200;
		pg->last_modified = newest;
		post_list_free(&l);
	}
	free(title);
	free(activity);
	free(feed);
	free(canonical);
	free(path);
	return r;
}

int web_profile(struct fed *f, const char *username, int64_t max_id, struct web_page *out)
{
	struct profile p;
	int r = profile_load(f, username, &p);

	out->content_type = "text/html; charset=utf-8";
	if (r == CAMP_ENOENT) {
		web_not_found(f, out);
		return 0;
	}
	if (r != 0)
		return r;
	r = profile_page(f, &p, max_id, out);
	profile_free(&p);
	return r;
}
