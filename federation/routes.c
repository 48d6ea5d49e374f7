/*
 * routes.c: what each URL of the HTTP side answers: WebFinger, host-meta,
 * NodeInfo, actors, inboxes, outboxes, followers and following, and one
 * URL per post (a table of routes).
 *
 * Every object that leaves through here is asked about first: a post is
 * served only if audience_may_federate() says it may leave the camp at
 * all, and a post that is not public or unlisted only to a valid
 * signature from an actor audience_can_see() admits.  Anything else is a
 * 404, which says nothing about whether it exists.
 *
 * The same URLs answer browsers (wants_html) with the camp's pages, made
 * by web-*.c, which show only what a page may show to anyone, signed
 * request or not.  The pages' own URLs (/, /about, /@name, /@name/ID,
 * /tags/NAME and the Atom feeds) are rows here too.
 */
#include "federation/federation.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PAGE_SIZE 20

struct route_ctx {
	struct fed *f;
	const struct http_request *req;
	struct http_reply *rep;
	char seg[2][128]; /* the '*' segments of the pattern */
};

static void reply_json(struct route_ctx *c, int status, const char *type, json_t *v)
{
	char *s = ap_dump(v);

	c->rep->status = status;
	c->rep->content_type = type;
	buf_reset(&c->rep->body);
	buf_puts(&c->rep->body, s);
	free(s);
	json_decref(v);
}

static void reply_text(struct route_ctx *c, int status, const char *text)
{
	c->rep->status = status;
	c->rep->content_type = "text/plain; charset=utf-8";
	buf_reset(&c->rep->body);
	buf_printf(&c->rep->body, "%s\n", text);
}

char *http_query_param(const char *query, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = query; p && *p;) {
		size_t len = strcspn(p, "&");
		if (len > n && strncmp(p, name, n) == 0 && p[n] == '=') {
			struct buf b = BUF_INIT;
			for (size_t i = n + 1; i < len; i++) {
				if (p[i] == '+') {
					buf_putc(&b, ' ');
				} else if (p[i] == '%' && i + 2 < len + 0 + 1 &&
					   isxdigit((unsigned char)p[i + 1]) &&
					   isxdigit((unsigned char)p[i + 2])) {
					char hex[3] = {p[i + 1], p[i + 2], 0};
					buf_putc(&b, (char)strtol(hex, NULL, 16));
					i += 2;
				} else {
					buf_putc(&b, p[i]);
				}
			}
			char *v = buf_detach(&b);
			if (!utf8_valid(v, strlen(v), NULL)) {
				free(v);
				return NULL;
			}
			return v;
		}
		p += len + (p[len] == '&');
	}
	return NULL;
}

/* Whether the client asked for HTML rather than ActivityStreams: an
 * Accept naming an ActivityStreams type gets JSON, else one naming
 * text/html gets the page; anything else (none, any type, plain JSON)
 * gets JSON, as fediverse software expects. */
static int wants_html(struct route_ctx *c)
{
	const char *a = c->req->msg.header(c->req->msg.ctx, "accept");

	c->rep->vary_accept = 1;
	if (a == NULL || strcasestr(a, "application/activity+json") ||
	    strcasestr(a, "application/ld+json"))
		return 0;
	return strcasestr(a, "text/html") != NULL;
}

/* A member by name (not one who left); 0 if none. */
static int member_by_name(struct route_ctx *c, const char *name, struct account *a)
{
	if (account_get_member(c->f->st, name, a) != 0)
		return 0;
	if (a->deleted_at) {
		account_free(a);
		return 0;
	}
	return 1;
}

/* ---- discovery ------------------------------------------------------------ */

static void r_webfinger(struct route_ctx *c)
{
	char *res = http_query_param(c->req->query, "resource"), *user = NULL,
	     *href = NULL;
	char *instance = fed_instance_username(c->f);
	struct account a;

	if (res == NULL) {
		reply_text(c, 400, "resource is required");
		goto out;
	}
	if (strncasecmp(res, "acct:", 5) == 0) {
		/* acct:[@]user@domain; the name must not be empty
		 * ("acct:@domain" once made a negative length here). */
		const char *name = res + 5 + (res[5] == '@');
		const char *at = strrchr(name, '@');
		if (at && at > name && strcasecmp(at + 1, c->f->cfg->domain) == 0)
			user = xstrndup(name, (size_t)(at - name));
	} else {
		char *iurl = fed_instance_url(c->f);
		user = fed_local_username(c->f, res);
		if (user == NULL && strcmp(res, iurl) == 0)
			user = xstrdup(instance);
		free(iurl);
	}
	if (user && member_by_name(c, user, &a)) {
		href = fed_actor_url(c->f, a.username);
		free(user);
		user = xstrdup(a.username);
		account_free(&a);
	} else if (user && strcasecmp(user, instance) == 0) {
		href = fed_instance_url(c->f);
	}
	if (href == NULL) {
		reply_text(c, 404, "no such account here");
		goto out;
	}
	reply_json(c, 200, "application/jrd+json",
		   json_pack("{s:s+++, s:[s], s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}]}",
			     "subject", "acct:", user, "@", c->f->cfg->domain, "aliases",
			     href, "links", "rel", "self", "type", AP_CONTENT_TYPE,
			     "href", href, "rel", "http://webfinger.net/rel/profile-page",
			     "type", "text/html", "href", href));
out:
	free(res);
	free(user);
	free(href);
	free(instance);
}

static void r_host_meta(struct route_ctx *c)
{
	c->rep->status = 200;
	c->rep->content_type = "application/xrd+xml; charset=utf-8";
	buf_puts(&c->rep->body,
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n"
		 "  <Link rel=\"lrdd\" template=\"");
	html_escape(&c->rep->body, c->f->base);
	buf_puts(&c->rep->body, "/.well-known/webfinger?resource={uri}\"/>\n"
				"</XRD>\n");
}

static void r_nodeinfo_links(struct route_ctx *c)
{
	reply_json(c, 200, "application/json",
		   json_pack("{s:[{s:s, s:o}, {s:s, s:o}]}", "links", "rel",
			     "http://nodeinfo.diaspora.software/ns/schema/2.0", "href",
			     json_sprintf("%s/nodeinfo/2.0", c->f->base), "rel",
			     "http://nodeinfo.diaspora.software/ns/schema/2.1", "href",
			     json_sprintf("%s/nodeinfo/2.1", c->f->base)));
}

/* Posts of this camp anyone may see (public and unlisted, not boosts):
 * what NodeInfo calls localPosts.  Camp-only and private posts are not
 * the world's business, not even as a number. */
static int64_t public_post_count(struct route_ctx *c)
{
	struct directory_entry *e;
	struct account_counts n;
	int64_t total = 0;
	int count;

	if (directory_list(c->f->st, 0, &e, &count) != 0)
		return 0;
	for (int i = 0; i < count; i++)
		if (account_counts(c->f->st, e[i].account.id, &n) == 0)
			total += n.public_posts;
	directory_free(e, count);
	return total;
}

static void r_nodeinfo(struct route_ctx *c)
{
	int v21 = strcmp(c->req->path, "/nodeinfo/2.1") == 0;
	int64_t members = 0;
	json_t *software =
		json_pack("{s:s, s:s}", "name", "camp", "version", CAMP_VERSION);

	account_count_members(c->f->st, &members);
	if (v21)
		json_object_set_new(software, "homepage", json_string(c->f->base));
	reply_json(c, 200,
		   v21 ? "application/json; "
			 "profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\""
		       : "application/json; "
			 "profile=\"http://nodeinfo.diaspora.software/ns/schema/2.0#\"",
		   json_pack("{s:s, s:o, s:[s], s:{s:[], s:[]}, s:b, s:{s:{s:I}, s:I}, "
			     "s:{s:s}}",
			     "version", v21 ? "2.1" : "2.0", "software", software,
			     "protocols", "activitypub", "services", "inbound",
			     "outbound", "openRegistrations", 0, "usage", "users",
			     "total", (json_int_t)members, "localPosts",
			     (json_int_t)public_post_count(c), "metadata", "nodeName",
			     c->f->cfg->camp_name));
}

/* ---- actors ---------------------------------------------------------------- */

static void r_instance(struct route_ctx *c)
{
	char *priv = NULL, *pub = NULL;

	if (fed_instance_keys(c->f, &priv, &pub) != 0) {
		reply_text(c, 500, "no instance key");
	} else {
		reply_json(c, 200, AP_CONTENT_TYPE, ap_instance_actor(c->f, pub));
	}
	free(priv);
	free(pub);
}

/* ---- pages for browsers (web-*.c) ------------------------------------------ */

/* Answers what a web_*() function rendered (or 500 if it failed). */
static void reply_page(struct route_ctx *c, int r, struct web_page *pg)
{
	if (r != 0) {
		log_error("http: %s: %s", c->req->path, err_last());
		reply_text(c, 500, "the page could not be made");
	} else {
		web_reply(c->req, pg, c->rep);
	}
	web_page_free(pg);
}

/* The max_id of a page further back, from the query; 0 for the newest. */
static int64_t page_max_id(struct route_ctx *c)
{
	char *v = http_query_param(c->req->query, "max_id");
	int64_t id = 0;

	for (const char *p = v; p && *p && id >= 0; p++)
		id = isdigit((unsigned char)*p) && id < INT64_MAX / 10 - 9
			     ? id * 10 + (*p - '0')
			     : -1;
	free(v);
	return id > 0 ? id : 0;
}

static void r_about(struct route_ctx *c)
{
	struct web_page pg = {0};

	reply_page(c, web_about(c->f, &pg), &pg);
}

static void r_profile_page(struct route_ctx *c)
{
	struct web_page pg = {0};

	reply_page(c, web_profile(c->f, c->seg[0], page_max_id(c), &pg), &pg);
}

static void r_tag(struct route_ctx *c)
{
	struct web_page pg = {0};

	reply_page(c, web_tag(c->f, c->seg[0], page_max_id(c), &pg), &pg);
}

static void r_feed_camp(struct route_ctx *c)
{
	struct web_page pg = {0};

	reply_page(c, web_feed_camp(c->f, &pg), &pg);
}

static void r_feed_member(struct route_ctx *c)
{
	struct web_page pg = {0};

	reply_page(c, web_feed_member(c->f, c->seg[0], &pg), &pg);
}

static void r_actor(struct route_ctx *c)
{
	struct account a;
	char *priv = NULL, *pub = NULL;

	if (wants_html(c)) {
		r_profile_page(c);
		return;
	}
	if (!member_by_name(c, c->seg[0], &a)) {
		reply_text(c, 404, "no such member");
		return;
	}
	if (fed_member_keys(c->f, a.id, a.username, &priv, &pub) != 0) {
		reply_text(c, 500, "no key");
	} else {
		reply_json(c, 200, AP_CONTENT_TYPE, ap_person(c->f, &a, pub));
	}
	free(priv);
	free(pub);
	account_free(&a);
}

static void r_inbox(struct route_ctx *c)
{
	int status = inbox_handle(c->f, &c->req->msg, c->seg[0][0] ? c->seg[0] : NULL);

	reply_text(c, status,
		   status == 202   ? "accepted"
		   : status == 401 ? "the signature does not verify"
		   : status == 400 ? "malformed activity"
		   : status == 503 ? "busy: try again later"
				   : "refused");
}

/* ---- collections ------------------------------------------------------------ */

static json_t *collection(struct route_ctx *c, const char *id, json_int_t total)
{
	json_t *o = json_pack("{s:o, s:s, s:s}", "@context", ap_context(), "id", id,
			      "type", "OrderedCollection");

	if (total >= 0)
		json_object_set_new(o, "totalItems", json_integer(total));
	(void)c;
	return o;
}

/* A member's followers or following collection: its size only (who
 * follows whom is the members' own business). */
static void r_follows(struct route_ctx *c, const char *which)
{
	struct account a;
	struct account_counts n;

	if (!member_by_name(c, c->seg[0], &a)) {
		reply_text(c, 404, "no such member");
		return;
	}
	if (account_counts(c->f->st, a.id, &n) != 0) {
		reply_text(c, 500, "cannot count");
	} else {
		char *id = xasprintf("%s/users/%s/%s", c->f->base, a.username, which);
		reply_json(c, 200, AP_CONTENT_TYPE,
			   collection(c, id,
				      strcmp(which, "followers") == 0 ? n.followers
								      : n.following));
		free(id);
	}
	account_free(&a);
}

static void r_followers(struct route_ctx *c)
{
	r_follows(c, "followers");
}

static void r_following(struct route_ctx *c)
{
	r_follows(c, "following");
}

/* The Create (or Announce) of a post for an outbox page; NULL if it is
 * not public or unlisted. */
static json_t *outbox_entry(struct route_ctx *c, const struct post *p)
{
	const struct post *orig = p->boost_of ? p->boost_of : p;
	json_t *note, *a;

	if (!visibility_is_open(orig->visibility))
		return NULL;
	if (p->boost_of) {
		char *uri = orig->uri ? xstrdup(orig->uri) : fed_post_url(c->f, orig->id);
		a = json_pack("{s:o, s:s, s:o, s:[s], s:s}", "id",
			      json_sprintf("%s/posts/%lld/activity", c->f->base,
					   (long long)p->id),
			      "type", "Announce", "actor",
			      json_sprintf("%s/users/%s", c->f->base, p->author.username),
			      "to", AS_PUBLIC, "object", uri);
		free(uri);
		return a;
	}
	if (!p->local || (note = ap_note_of_post(c->f, p)) == NULL)
		return NULL;
	a = ap_note_activity("Create", NULL, note);
	json_object_del(a, "@context"); /* the page has it */
	return a;
}

static void r_outbox(struct route_ctx *c)
{
	struct account a;
	char *page = http_query_param(c->req->query, "page");
	char *max = http_query_param(c->req->query, "max_id");
	struct viewer *v = viewer_anonymous();
	struct post_list l = {0};

	if (!member_by_name(c, c->seg[0], &a)) {
		reply_text(c, 404, "no such member");
		goto out;
	}
	char *id = xasprintf("%s/users/%s/outbox", c->f->base, a.username);
	if (page == NULL) {
		struct account_counts n = {0};
		account_counts(c->f->st, a.id, &n);
		json_t *o = collection(c, id, n.public_posts);
		json_object_set_new(o, "first", json_sprintf("%s?page=true", id));
		reply_json(c, 200, AP_CONTENT_TYPE, o);
	} else {
		struct timeline_query q = {TL_PROFILE, a.id, NULL, max ? atoll(max) : 0,
					   PAGE_SIZE};
		json_t *items = json_array();
		if (timeline_get(c->f->st, v, &q, &l) == 0)
			for (int i = 0; i < l.n; i++) {
				int yes = 0;
				json_t *e = NULL;
				if (audience_may_federate(c->f->st, l.items[i].id,
							  &yes) == 0 &&
				    yes && (e = outbox_entry(c, &l.items[i])) != NULL)
					json_array_append_new(items, e);
			}
		json_t *o = json_pack("{s:o, s:o, s:s, s:s, s:o}", "@context",
				      ap_context(), "id",
				      json_sprintf("%s?page=true%s%s", id,
						   max ? "&max_id=" : "", max ? max : ""),
				      "type", "OrderedCollectionPage", "partOf", id,
				      "orderedItems", items);
		if (l.next_max_id)
			json_object_set_new(o, "next",
					    json_sprintf("%s?page=true&max_id=%lld", id,
							 (long long)l.next_max_id));
		reply_json(c, 200, AP_CONTENT_TYPE, o);
	}
	free(id);
	account_free(&a);
out:
	post_list_free(&l);
	viewer_free(v);
	free(page);
	free(max);
}

/* ---- posts ------------------------------------------------------------------ */

/* Loads a post as the requester may see it: anyone for public and
 * unlisted, a signed request from its audience otherwise. */
static int post_for_request(struct route_ctx *c, int64_t id, struct post *p)
{
	struct viewer *v = viewer_anonymous();
	int64_t remote;
	int yes = 0, r;

	if (audience_may_federate(c->f->st, id, &yes) != 0 || !yes) {
		viewer_free(v);
		return CAMP_ENOENT;
	}
	r = post_get(c->f->st, v, id, p);
	viewer_free(v);
	if (r == 0 && visibility_is_open(p->visibility))
		return 0;
	if (r == 0)
		post_free(p);
	if ((r = sig_verify_request(c->f, &c->req->msg, &remote)) != 0)
		return r == CAMP_ELIMIT ? r : CAMP_ENOENT;
	if (viewer_remote(c->f->st, remote, &v) != 0)
		return CAMP_ENOENT;
	if ((r = audience_can_see(c->f->st, v, id, &yes)) == 0 && yes)
		r = post_get(c->f->st, v, id, p);
	else
		r = CAMP_ENOENT;
	viewer_free(v);
	return r;
}

/* The post whose id is the segment seg, by a member if user is not
 * NULL: its page for a browser (public and unlisted posts only, signed
 * or not), its Note for an ActivityPub client. */
static void post_answer(struct route_ctx *c, const char *seg, const char *user)
{
	int64_t id = atoll(seg);
	struct post p;
	json_t *note;

	for (const char *s = seg; *s; s++)
		if (!isdigit((unsigned char)*s))
			id = 0;
	if (wants_html(c)) {
		struct web_page pg = {0};
		int r = id > 0 ? web_post(c->f, id, user, &pg)
			       : (web_not_found(c->f, &pg), 0);
		reply_page(c, r, &pg);
		return;
	}
	int r = id > 0 ? post_for_request(c, id, &p) : CAMP_ENOENT;

	if (r == CAMP_ELIMIT) {
		reply_text(c, 503, "busy: try again later");
		return;
	}
	if (r != 0) {
		reply_text(c, 404, "no such post");
		return;
	}
	if (!p.local || p.boost_of ||
	    (user && strcasecmp(user, p.author.username) != 0) ||
	    (note = ap_note_of_post(c->f, &p)) == NULL)
		reply_text(c, 404, "no such post");
	else
		reply_json(c, 200, AP_CONTENT_TYPE, note);
	post_free(&p);
}

static void r_post(struct route_ctx *c)
{
	post_answer(c, c->seg[0], NULL);
}

/* /@name/ID: the same post under its author's name. */
static void r_member_post(struct route_ctx *c)
{
	post_answer(c, c->seg[1], c->seg[0]);
}

/* /@name: the profile for a browser, the actor for everyone else. */
static void r_member(struct route_ctx *c)
{
	if (wants_html(c))
		r_profile_page(c);
	else
		r_actor(c);
}

static const struct route {
	const char *method;
	const char *pattern; /* '*' matches one path segment */
	void (*run)(struct route_ctx *c);
} routes[] = {
	{"GET", "/.well-known/webfinger", r_webfinger},
	{"GET", "/.well-known/host-meta", r_host_meta},
	{"GET", "/.well-known/nodeinfo", r_nodeinfo_links},
	{"GET", "/nodeinfo/2.0", r_nodeinfo},
	{"GET", "/nodeinfo/2.1", r_nodeinfo},
	{"GET", "/actor", r_instance},
	{"POST", "/actor/inbox", r_inbox},
	{"POST", "/inbox", r_inbox},
	{"GET", "/users/*", r_actor},
	{"POST", "/users/*/inbox", r_inbox},
	{"GET", "/users/*/outbox", r_outbox},
	{"GET", "/users/*/followers", r_followers},
	{"GET", "/users/*/following", r_following},
	{"GET", "/posts/*", r_post},
	{"GET", "/", r_about},
	{"GET", "/about", r_about},
	{"GET", "/feed.atom", r_feed_camp},
	{"GET", "/tags/*", r_tag},
	{"GET", "/@*", r_member},
	{"GET", "/@*/feed.atom", r_feed_member},
	{"GET", "/@*/*", r_member_post},
};

/* Matches path against pattern, capturing '*' segments. */
static int route_match(const char *pattern, const char *path, struct route_ctx *c)
{
	int nseg = 0;

	memset(c->seg, 0, sizeof c->seg);
	while (*pattern && *path) {
		if (*pattern == '*') {
			size_t n = strcspn(path, "/");
			if (n == 0 || n >= sizeof c->seg[0] || nseg >= 2)
				return 0;
			memcpy(c->seg[nseg++], path, n);
			path += n;
			pattern++;
		} else if (*pattern++ != *path++) {
			return 0;
		}
	}
	return *pattern == '\0' && *path == '\0';
}

void routes_dispatch(struct fed *f, const struct http_request *req,
		     struct http_reply *reply)
{
	struct route_ctx c = {f, req, reply, {{0}}};
	const char *method = strcmp(req->method, "HEAD") == 0 ? "GET" : req->method;
	int path_known = 0;

	for (size_t i = 0; i < ARRAY_LEN(routes); i++) {
		if (!route_match(routes[i].pattern, req->path, &c))
			continue;
		path_known = 1;
		if (strcmp(routes[i].method, method) == 0) {
			routes[i].run(&c);
			return;
		}
	}
	reply_text(&c, path_known ? 405 : 404,
		   path_known ? "method not allowed" : "not found");
}
