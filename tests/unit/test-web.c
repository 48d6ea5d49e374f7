/*
 * test-web.c: the camp's public pages and feeds (federation/web-*.c) as
 * routes.c asks for them, over a real store: hostile names, intros and
 * remote URLs come out as inert text, no page shows what is not public
 * (not even in its title or metadata), pages stay under 30 KB however
 * long the posts, the Atom feeds are well-formed XML with what Atom
 * requires, and ETags give 304s.
 */
#include "tests/unit/fed-fixture.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#define RLO "\xe2\x80\xae"
#define FFFD "\xef\xbf\xbd"

/* ---- helpers -------------------------------------------------------------- */

enum page_kind { ABOUT, PROFILE, POST, TAG, FEED_MEMBER, FEED_CAMP };

/* A page's body (caller frees), its status checked against want. */
static char *page(struct fed_fixture *f, enum page_kind k, const char *name, int64_t id,
		  int want)
{
	struct web_page pg = {0};
	int r = -1;

	switch (k) {
	case ABOUT:
		r = web_about(&f->fed, &pg);
		break;
	case PROFILE:
		r = web_profile(&f->fed, name, id, &pg);
		break;
	case POST:
		r = web_post(&f->fed, id, name, &pg);
		break;
	case TAG:
		r = web_tag(&f->fed, name, id, &pg);
		break;
	case FEED_MEMBER:
		r = web_feed_member(&f->fed, name, &pg);
		break;
	case FEED_CAMP:
		r = web_feed_camp(&f->fed, &pg);
		break;
	}
	assert_int_equal(r, 0);
	if (pg.status != want)
		fail_msg("page %d %s %lld: status %d", k, name ? name : "", (long long)id,
			 pg.status);
	return buf_detach(&pg.body);
}

static char *html(struct fed_fixture *f, enum page_kind k, const char *name, int64_t id)
{
	return page(f, k, name, id, 200);
}

static void absent(const char *body, const char *what)
{
	if (strstr(body, what) != NULL)
		fail_msg("%s is on the page:\n%s", what, body);
}

static void present(const char *body, const char *what)
{
	if (strstr(body, what) == NULL)
		fail_msg("%s is not on the page:\n%s", what, body);
}

static void set_admin(struct fed_fixture *f, int64_t id)
{
	char *sql = xasprintf("UPDATE accounts SET is_admin = 1 WHERE id = %lld",
			      (long long)id);

	assert_int_equal(sqlite3_exec(store_db(f->camp->st), sql, 0, 0, 0), 0);
	free(sql);
}

/* A remote post with its own uri and url (url may be hostile). */
static int64_t remote_post(struct fed_fixture *f, int64_t author, int vis,
			   const char *text, int64_t parent, const char *url)
{
	static int seq;
	char uri[64];
	struct post_new req = {0};
	int64_t id;

	snprintf(uri, sizeof uri, "https://remote.test/notes/web%d", ++seq);
	req.author_id = author;
	req.content = text;
	req.visibility = vis;
	req.in_reply_to_id = parent;
	req.local_domain = DOMAIN;
	req.uri = uri;
	req.url = url;
	assert_int_equal(post_create(f->camp->st, &req, &id, NULL), 0);
	return id;
}

/* Every page and feed that could show alice's things, concatenated. */
static char *everything(struct fed_fixture *f, const int64_t *ids, int n)
{
	struct buf all = BUF_INIT;
	enum page_kind kinds[] = {ABOUT, PROFILE, FEED_MEMBER, FEED_CAMP};
	char *body;

	for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
		body = html(f, kinds[k], "alice", 0);
		buf_puts(&all, body);
		free(body);
	}
	body = html(f, TAG, "marked", 0);
	buf_puts(&all, body);
	free(body);
	for (int i = 0; i < n; i++) {
		struct web_page pg = {0};
		assert_int_equal(web_post(&f->fed, ids[i], NULL, &pg), 0);
		buf_append(&all, pg.body.data, pg.body.len);
		web_page_free(&pg);
	}
	return buf_detach(&all);
}

/* ---- hostile text ------------------------------------------------------------ */

static void hostile_names_and_intros_are_inert_text(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice");
	char *body;

	set_admin(f, alice);
	assert_int_equal(account_update_profile(
				 f->camp->st, alice,
				 "<script>alert(1)</script>" RLO "evil\xe2\x80\x8b",
				 "\"><img src=x onerror=alert(2)> 'q' & " RLO "x", -1),
			 0);
	int64_t id = post(f->camp, alice, VIS_PUBLIC,
			  "<script>alert(3)</script> #marked\n\n\x1b[31mred " RLO "lo");
	enum page_kind kinds[] = {ABOUT, PROFILE, POST, TAG, FEED_MEMBER, FEED_CAMP};
	for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
		body = html(f, kinds[k], kinds[k] == TAG ? "marked" : "alice",
			    kinds[k] == POST ? id : 0);
		absent(body, "<script");
		absent(body, "<img");
		absent(body, RLO);
		absent(body, "\x1b");
		absent(body, "\xe2\x80\x8b"); /* the zero-width space in the name */
		present(body, "&lt;script&gt;alert(1)&lt;/script&gt;" FFFD "evil");
		present(body, "&lt;script&gt;alert(3)&lt;/script&gt;");
		if (kinds[k] == PROFILE)
			present(body, "&quot;&gt;&lt;img src=x onerror=alert(2)&gt; "
				      "&#39;q&#39; &amp; " FFFD "x");
		free(body);
	}
	/* The staff list on the About page names her inertly too. */
	body = html(f, ABOUT, NULL, 0);
	present(body, "&lt;script&gt;alert(1)&lt;/script&gt;" FFFD "evil" FFFD "</bdi>");
	free(body);
}

static void remote_urls_are_links_only_when_plain(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice"), bob, mallory;
	char *body;

	assert_int_equal(account_upsert_remote(f->camp->st, "javascript:alert(1)//",
					       "bob", "remote.test", "Bob", "", 0, &bob),
			 0);
	mallory = remote(f->camp, "mallory", "remote.test");
	int64_t root = post(f->camp, alice, VIS_PUBLIC, "a root");
	remote_post(f, bob, VIS_PUBLIC,
		    "see https://ok.example/a?b=1&c=2 and https://evil.example/" RLO
		    "gpj.exe",
		    root, "javascript:alert(2)");
	remote_post(f, mallory, VIS_PUBLIC, "me too", root,
		    "https://remote.test/@mallory/1\"onmouseover=\"alert(3)");
	body = html(f, POST, "alice", root);
	absent(body, "javascript:");
	absent(body, "href=\"https://evil.example");
	absent(body, RLO);
	absent(body, "\"onmouseover");
	present(body, "<a href=\"https://ok.example/a?b=1&amp;c=2\" rel=\"nofollow ugc "
		      "noopener\">https://ok.example/a?b=1&amp;c=2</a>");
	present(body, "https://evil.example/" FFFD "gpj.exe");
	/* mallory's actor is a plain URL: her name links there, as user content */
	present(body, "<a href=\"https://remote.test/users/mallory\" rel=\"nofollow ugc "
		      "noopener\">mallory@remote.test</a>");
	present(body, "2 replies");
	free(body);
}

/* ---- privacy ------------------------------------------------------------------ */

static void only_public_posts_reach_any_page(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice"), carol = member(f->camp, "carol");
	int64_t bob = remote(f->camp, "bob", "remote.test"), ids[16];
	static const char *const words[VIS_COUNT] = {"publicword",    "unlistedword",
						     "followersword", "directword",
						     "campword",      "neighborword"};
	int n = 0;
	char text[128], *all;

	set_admin(f, alice);
	for (int v = 0; v < VIS_COUNT; v++) {
		snprintf(text, sizeof text, "%s #marked @carol", words[v]);
		ids[n++] = post(f->camp, alice, v, text);
	}
	/* Public replies to each level (widened, where allowed) and boosts. */
	for (int v = 0; v < VIS_COUNT; v++) {
		snprintf(text, sizeof text, "reply%d", v);
		ids[n++] = post_reply(f->camp, carol, VIS_PUBLIC, text, ids[v]);
	}
	int64_t boost;
	assert_int_equal(post_boost(f->camp->st, alice, ids[VIS_FOLLOWERS], NULL, &boost),
			 0);
	assert_int_equal(post_boost(f->camp->st, carol, ids[VIS_UNLISTED], NULL, &boost),
			 0);
	int64_t remote_secret =
		remote_post(f, bob, VIS_FOLLOWERS, "remotesecret", 0, NULL);
	(void)remote_secret;

	all = everything(f, ids, n);
	for (int v = VIS_FOLLOWERS; v < VIS_COUNT; v++)
		absent(all, words[v]);
	absent(all, "remotesecret");
	present(all, "publicword");
	present(all, "unlistedword"); /* on alice's profile and its own page */
	free(all);

	/* Feeds and tag pages carry public posts only, not unlisted ones. */
	char *feed = html(f, FEED_MEMBER, "alice", 0), *tag = html(f, TAG, "marked", 0);
	absent(feed, "unlistedword");
	absent(tag, "unlistedword");
	present(feed, "publicword");
	present(tag, "publicword");
	free(feed);
	free(tag);

	/* A boost of an unlisted post is on no profile. */
	char *profile = html(f, PROFILE, "carol", 0);
	absent(profile, "unlistedword");
	present(profile, "reply0");
	free(profile);

	/* carol's public reply to a camp-only post names no parent. */
	char *reply = html(f, POST, "carol", ids[VIS_COUNT + VIS_CAMP]);
	present(reply, "reply4");
	absent(reply, "In reply to");
	free(reply);
	reply = html(f, POST, "carol", ids[VIS_COUNT]);
	present(reply, "In reply to");
	free(reply);
	/* A post's page under another member's name does not exist. */
	free(page(f, POST, "carol", ids[VIS_PUBLIC], 404));
	free(page(f, POST, "alice", ids[VIS_CAMP], 404));
	free(page(f, PROFILE, "nobody", 0, 404));
	free(page(f, TAG, "no%20tag", 0, 404));
}

static void a_moved_member_says_where(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice"), bob = member(f->camp, "bob");
	char *body;

	body = html(f, PROFILE, "alice", 0);
	absent(body, "has moved");
	free(body);
	assert_int_equal(
		fed_move_add(f->camp->st, alice, "https://elsewhere.example/@al"), 0);
	body = html(f, PROFILE, "alice", 0);
	present(body, "has moved to <a href=\"https://elsewhere.example/@al\" "
		      "rel=\"nofollow ugc noopener\">https://elsewhere.example/@al</a>");
	free(body);
	assert_int_equal(fed_move_add(f->camp->st, bob, "javascript:alert(1)"), 0);
	body = html(f, PROFILE, "bob", 0);
	present(body, "has moved to javascript:alert(1).");
	absent(body, "href=\"javascript");
	free(body);
}

/* ---- size ----------------------------------------------------------------------- */

static void pages_stay_under_30k(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice"),
		bob = remote(f->camp, "bob", "remote.test");
	char longest[501], *huge = xmalloc(200001), *body;
	int64_t root = 0, boost;

	memcpy(longest, "#long ", 6);
	memset(longest + 6, '<', 494); /* each one escaped to four bytes */
	longest[500] = '\0';
	memset(huge, '&', 200000);
	huge[200000] = '\0';
	int64_t big = remote_post(f, bob, VIS_PUBLIC, huge, 0, NULL);
	assert_int_equal(post_boost(f->camp->st, alice, big, NULL, &boost), 0);
	for (int i = 0; i < 30; i++)
		root = post(f->camp, alice, VIS_PUBLIC, longest);
	huge[20000] = '\0';
	for (int i = 0; i < 60; i++)
		remote_post(f, bob, VIS_PUBLIC, huge, i % 2 ? 0 : root, NULL);
	for (int i = 0; i < 100; i++)
		post_reply(f->camp, alice, VIS_PUBLIC, longest, root);

	body = html(f, PROFILE, "alice", 0);
	assert_true(strlen(body) < WEB_PAGE_MAX);
	present(body, "?max_id=");
	free(body);
	body = html(f, POST, "alice", root);
	assert_true(strlen(body) < WEB_PAGE_MAX);
	present(body, "replies are not shown here");
	free(body);
	body = html(f, ABOUT, NULL, 0);
	assert_true(strlen(body) < WEB_PAGE_MAX);
	present(body, "Lately");
	free(body);
	body = html(f, TAG, "long", 0);
	assert_true(strlen(body) < WEB_PAGE_MAX);
	present(body, "?max_id=");
	free(body);
	free(huge);
}

/* ---- Atom ------------------------------------------------------------------------ */

static int has_child(xmlNode *n, const char *name)
{
	for (xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, name) == 0)
			return 1;
	return 0;
}

/* Parses a feed as strict XML (no recovery) and checks what RFC 4287
 * requires of a feed and of each entry.  Returns the entry count. */
static int atom_check(const char *body)
{
	xmlDoc *doc =
		xmlReadMemory(body, (int)strlen(body), "feed.atom", NULL,
			      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	int entries = 0;

	if (doc == NULL)
		fail_msg("not well-formed XML:\n%s", body);
	xmlNode *feed = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)feed->name, "feed");
	assert_non_null(feed->ns);
	assert_string_equal((const char *)feed->ns->href, "http://www.w3.org/2005/Atom");
	assert_true(has_child(feed, "id") && has_child(feed, "title") &&
		    has_child(feed, "updated") && has_child(feed, "link"));
	for (xmlNode *e = feed->children; e; e = e->next) {
		if (e->type != XML_ELEMENT_NODE || strcmp((const char *)e->name, "entry"))
			continue;
		assert_true(has_child(e, "id") && has_child(e, "title") &&
			    has_child(e, "updated") && has_child(e, "content"));
		assert_true(has_child(e, "author") || has_child(feed, "author"));
		entries++;
	}
	xmlFreeDoc(doc);
	return entries;
}

static void atom_feeds_are_well_formed(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice");
	char *body;

	assert_int_equal(account_update_profile(f->camp->st, alice, "Al" RLO "ice <&>",
						"intro \xef\xbf\xbe", -1),
			 0);
	post(f->camp, alice, VIS_PUBLIC,
	     "controls \x01\x02\x1b and \xef\xbf\xbf <b>&amp;");
	post(f->camp, alice, VIS_PUBLIC, "line one\nline two\n\nnew paragraph #tag");
	struct post_new cw = {.author_id = alice,
			      .content = "behind a warning",
			      .cw = "spoilers <i>",
			      .visibility = VIS_PUBLIC,
			      .local_domain = DOMAIN};
	int64_t id;
	assert_int_equal(post_create(f->camp->st, &cw, &id, NULL), 0);
	post(f->camp, alice, VIS_UNLISTED, "not in feeds");
	body = html(f, FEED_MEMBER, "alice", 0);
	assert_int_equal(atom_check(body), 3);
	present(body, "<summary>spoilers &lt;i&gt;</summary>");
	absent(body, "not in feeds");
	free(body);
	body = html(f, FEED_CAMP, NULL, 0);
	assert_int_equal(atom_check(body), 3);
	free(body);
}

/* ---- HTTP caching ------------------------------------------------------------------ */

struct headers {
	const char *inm, *ims;
};

static const char *header_of(void *ctx, const char *name)
{
	struct headers *h = ctx;

	return strcmp(name, "if-none-match") == 0	? h->inm
	       : strcmp(name, "if-modified-since") == 0 ? h->ims
							: NULL;
}

/* The status web_reply gives the profile for these request headers. */
static int answer(struct fed_fixture *f, struct headers *h, struct http_reply *rep)
{
	struct http_request req = {.method = "GET", .path = "/@alice", .query = ""};
	struct web_page pg = {0};

	req.msg.header = header_of;
	req.msg.ctx = h;
	assert_int_equal(web_profile(&f->fed, "alice", 0, &pg), 0);
	buf_free(&rep->body);
	web_reply(&req, &pg, rep);
	web_page_free(&pg);
	return rep->status;
}

static void etags_give_304(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice");
	struct http_reply rep = {0};
	struct headers h = {NULL, NULL};
	char date[40];

	post(f->camp, alice, VIS_PUBLIC, "hello");
	assert_int_equal(answer(f, &h, &rep), 200);
	assert_true(rep.etag[0] == '"');
	assert_true(rep.body.len > 0 && rep.last_modified > 0);
	assert_non_null(strstr(rep.csp, "style-src 'sha256-"));
	assert_null(strstr(rep.csp, "unsafe"));
	char *etag = xstrdup(rep.etag);
	h.inm = etag;
	assert_int_equal(answer(f, &h, &rep), 304);
	assert_int_equal(rep.body.len, 0);
	h.inm = "\"something else\"";
	assert_int_equal(answer(f, &h, &rep), 200);
	/* Without If-None-Match, the date decides. */
	h.inm = NULL;
	http_date(rep.last_modified, date);
	h.ims = date;
	assert_int_equal(answer(f, &h, &rep), 304);
	http_date(rep.last_modified - 10, date);
	assert_int_equal(answer(f, &h, &rep), 200);
	/* A new post changes the page, and so its tag. */
	post(f->camp, alice, VIS_PUBLIC, "again");
	h.ims = NULL;
	h.inm = etag;
	assert_int_equal(answer(f, &h, &rep), 200);
	free(etag);
	buf_free(&rep.body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(hostile_names_and_intros_are_inert_text,
						fed_setup, fed_teardown),
		cmocka_unit_test_setup_teardown(remote_urls_are_links_only_when_plain,
						fed_setup, fed_teardown),
		cmocka_unit_test_setup_teardown(only_public_posts_reach_any_page,
						fed_setup, fed_teardown),
		cmocka_unit_test_setup_teardown(a_moved_member_says_where, fed_setup,
						fed_teardown),
		cmocka_unit_test_setup_teardown(pages_stay_under_30k, fed_setup,
						fed_teardown),
		cmocka_unit_test_setup_teardown(atom_feeds_are_well_formed, fed_setup,
						fed_teardown),
		cmocka_unit_test_setup_teardown(etags_give_304, fed_setup, fed_teardown),
	};
	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
