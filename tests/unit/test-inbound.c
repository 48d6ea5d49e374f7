/*
 * test-inbound.c: hostile requests against the federation's entry points
 * (routes_dispatch() and what it calls: the inbox, signed GETs of posts,
 * the small HTML pages), with a real store and real RSA keys but no
 * network: every remote actor a test needs is already in the store, so
 * a request that would make the camp fetch something fails instead.
 *
 * Requests are built here as a peer would send them and signed with
 * draft-cavage as Mastodon signs; a test then changes one thing (the
 * Host, the signed headers, an id) and checks what the camp answers.
 */
#include "tests/unit/fed-fixture.h"

#define MAX_HEADERS 10

/* ---- remote actors with keys ---------------------------------------------- */

/* One key pair for every signer of this run (RSA 2048 takes a while to
 * make); tests that need two different keys use other_key. */
static char *the_key, *the_pub, *other_key, *other_pub;

static void keys_once(void)
{
	if (the_key == NULL) {
		assert_int_equal(rsa_generate(&the_key, &the_pub), 0);
		assert_int_equal(rsa_generate(&other_key, &other_pub), 0);
	}
}

struct signer {
	int64_t id;
	char uri[128], key_id[160];
	const char *priv;
};

/* A remote actor name@domain, known to the store with its inbox and key
 * (as a fetch of its actor document would have left it). */
static struct signer signer_make(struct fed_fixture *f, const char *name,
				 const char *domain)
{
	struct signer s;
	char inbox[160];

	keys_once();
	s.id = remote(f->camp, name, domain);
	snprintf(s.uri, sizeof s.uri, "https://%s/users/%s", domain, name);
	snprintf(s.key_id, sizeof s.key_id, "%s#main-key", s.uri);
	snprintf(inbox, sizeof inbox, "%s/inbox", s.uri);
	struct remote_actor ra = {s.id, s.uri,	  inbox,   NULL,   NULL,
				  NULL, s.key_id, the_pub, now_s()};
	assert_int_equal(remote_actor_save(f->camp->st, &ra), 0);
	s.priv = the_key;
	return s;
}

/* ---- requests ------------------------------------------------------------- */

struct req {
	const char *method;
	char target[256];
	const char *names[MAX_HEADERS];
	char *values[MAX_HEADERS];
	int n;
	char *body;
};

static const char *req_header(void *ctx, const char *name)
{
	struct req *r = ctx;

	for (int i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0)
			return r->values[i];
	return NULL;
}

/* Sets (or replaces) a header; name is lowercase and static. */
static void req_set(struct req *r, const char *name, const char *value)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0) {
			free(r->values[i]);
			r->values[i] = xstrdup(value);
			return;
		}
	assert_true(r->n < MAX_HEADERS);
	r->names[r->n] = name;
	r->values[r->n++] = xstrdup(value);
}

static void req_free(struct req *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->values[i]);
	free(r->body);
	memset(r, 0, sizeof *r);
}

static struct http_msg req_msg(struct req *r)
{
	struct http_msg m = {r->method,	     r->target,
			     req_header,     r,
			     r->body,	     r->body ? strlen(r->body) : 0,
			     r->body != NULL};
	return m;
}

/* A request for target on host, dated now, with body (NULL for a GET). */
static struct req req_new(const char *method, const char *target, const char *host,
			  const char *body)
{
	struct req r = {0};
	char date[40], digest[64];

	r.method = method;
	snprintf(r.target, sizeof r.target, "%s", target);
	req_set(&r, "host", host);
	http_date(now_s(), date);
	req_set(&r, "date", date);
	req_set(&r, "accept", "application/activity+json");
	if (body) {
		r.body = xstrdup(body);
		digest_header(body, strlen(body), digest);
		req_set(&r, "digest", digest);
		req_set(&r, "content-type", "application/activity+json");
	}
	return r;
}

/* Signs r as s over the headers named (draft-cavage, rsa-sha256). */
static void req_sign(struct req *r, const struct signer *s, const char *names)
{
	struct http_msg m = req_msg(r);
	struct buf b = BUF_INIT;
	char *sig, *h;

	assert_int_equal(sig_signing_string(&m, names, 0, &b), 0);
	assert_int_equal(rsa_sign_sha256(s->priv, b.data, b.len, &sig), 0);
	h = xasprintf("keyId=\"%s\",algorithm=\"rsa-sha256\",headers=\"%s\","
		      "signature=\"%s\"",
		      s->key_id, names, sig);
	req_set(r, "signature", h);
	free(h);
	free(sig);
	buf_free(&b);
}

/* Routes r as the HTTP server would; returns the status and, when body
 * is not NULL, the answer's body (caller frees). */
static int dispatch(struct fed_fixture *f, struct req *r, char **body)
{
	char *path = xstrndup(r->target, strcspn(r->target, "?"));
	const char *q = strchr(r->target, '?');
	struct http_request hr = {r->method, path,	 q ? q + 1 : "",
				  r->target, req_msg(r), NULL};
	struct http_reply rep = {.status = 404};

	routes_dispatch(&f->fed, &hr, &rep);
	if (body)
		*body = xstrdup(buf_str(&rep.body));
	buf_free(&rep.body);
	free(rep.location);
	free(path);
	return rep.status;
}

/* A signed GET of target by s for host; returns the status. */
static int signed_get(struct fed_fixture *f, const struct signer *s, const char *target,
		      const char *host, const char *names)
{
	struct req r = req_new("GET", target, host, NULL);
	int status;

	req_sign(&r, s, names);
	status = dispatch(f, &r, NULL);
	req_free(&r);
	return status;
}

/* ---- 1: signatures are tied to this camp's host --------------------------- */

static void test_host_is_ours(void **state)
{
	struct fed_fixture *f = *state;
	static const struct {
		const char *base, *domain, *host;
		int ours;
	} cases[] = {
		{"https://camp.test", "camp.test", "camp.test", 1},
		{"https://camp.test", "camp.test", "CAMP.test", 1},
		{"https://camp.test", "camp.test", "camp.test:443", 1},
		{"https://camp.test", "camp.test", "camp.test:80", 0},
		{"https://camp.test", "camp.test", "camp.test:", 0},
		{"https://camp.test", "camp.test", "camp.test.evil", 0},
		{"https://camp.test", "camp.test", "evil.test", 0},
		{"https://camp.test", "camp.test", "", 0},
		{"https://camp.test", "camp.test", "camp.test:443x", 0},
		/* behind a proxy: the public URL's host, not the listener's */
		{"https://social.camp.test", "camp.test", "social.camp.test", 1},
		{"https://social.camp.test", "camp.test", "camp.test", 1},
		{"https://social.camp.test", "camp.test", "127.0.0.1:8080", 0},
		{"http://127.0.0.1:8080", "127.0.0.1:8080", "127.0.0.1:8080", 1},
		{"http://127.0.0.1:8080", "127.0.0.1:8080", "127.0.0.1", 0},
		{"http://127.0.0.1:8080", "127.0.0.1:8080", "127.0.0.1:8081", 0},
		{"http://camp.test", "camp.test", "camp.test:80", 1},
		{"https://[::1]:8443", "[::1]:8443", "[::1]:8443", 1},
		{"https://[::1]:8443", "[::1]:8443", "[::1]", 0},
		{"https://[::1]:8443", "[::1]:8443", "[::2]:8443", 0},
	};
	struct config cfg = f->cfg;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct fed fed = {.st = f->camp->st, .cfg = &cfg, .base = cases[i].base};
		cfg.domain = (char *)cases[i].domain;
		if (fed_host_is_ours(&fed, cases[i].host) != cases[i].ours)
			fail_msg("Host %s with %s: expected %s", cases[i].host,
				 cases[i].base, cases[i].ours ? "ours" : "not ours");
	}
	assert_false(fed_host_is_ours(&f->fed, NULL));
}

/* A follower's signed GET of a followers-only post works when signed for
 * this camp, and not when it was signed for another server (replayed
 * here) or leaves the Host out of the signature. */
static void test_signed_get_is_for_this_host(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice");
	struct signer bob = signer_make(f, "bob", "remote.test");
	enum follow_state fs;
	char target[64];

	assert_int_equal(follow_request(f->camp->st, bob.id, alice,
					"https://remote.test/follows/1", &fs),
			 0);
	int64_t id = post(f->camp, alice, VIS_FOLLOWERS, "for my followers");
	snprintf(target, sizeof target, "/posts/%lld", (long long)id);

	assert_int_equal(
		signed_get(f, &bob, target, DOMAIN, "(request-target) host date"), 200);
	assert_int_equal(
		signed_get(f, &bob, target, DOMAIN ":443", "(request-target) host date"),
		200);
	/* Signed for another server, sent here. */
	assert_int_equal(
		signed_get(f, &bob, target, "other.test", "(request-target) host date"),
		404);
	/* Host not signed: it could have been any. */
	assert_int_equal(signed_get(f, &bob, target, DOMAIN, "(request-target) date"),
			 404);
	/* Unsigned: nothing. */
	struct req r = req_new("GET", target, DOMAIN, NULL);
	assert_int_equal(dispatch(f, &r, NULL), 404);
	req_free(&r);
}

/* An inbox POST signed for another server is refused too. */
static void test_signed_post_is_for_this_host(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice");
	enum follow_state fs;
	struct signer bob = signer_make(f, "bob", "remote.test");
	const char *follow =
		"{\"id\":\"https://remote.test/follows/1\",\"type\":\"Follow\","
		"\"actor\":\"https://remote.test/users/bob\","
		"\"object\":\"" BASE "/users/alice\"}";
	const char *names = "(request-target) host date digest content-type";
	struct req r = req_new("POST", "/inbox", "other.test", follow);

	req_sign(&r, &bob, names);
	assert_int_equal(dispatch(f, &r, NULL), 401);
	req_free(&r);
	r = req_new("POST", "/inbox", DOMAIN, follow);
	req_sign(&r, &bob, "(request-target) date digest content-type");
	assert_int_equal(dispatch(f, &r, NULL), 401);
	req_free(&r);
	assert_int_equal(follow_get(f->camp->st, bob.id, alice, &fs), 0);
	assert_int_equal(fs, FOLLOW_NONE);
	r = req_new("POST", "/inbox", DOMAIN, follow);
	req_sign(&r, &bob, names);
	assert_int_equal(dispatch(f, &r, NULL), 202);
	req_free(&r);
	assert_int_equal(follow_get(f->camp->st, bob.id, alice, &fs), 0);
	assert_int_equal(fs, FOLLOW_ACCEPTED);
}

/* ---- 2: activity ids are the actor's own ------------------------------- */

/* POSTs body to the shared inbox, signed by s for this camp; returns the
 * status. */
static int inbox_post(struct fed_fixture *f, const struct signer *s, const char *body)
{
	struct req r = req_new("POST", "/inbox", DOMAIN, body);
	int status;

	req_sign(&r, s, "(request-target) host date digest content-type");
	status = dispatch(f, &r, NULL);
	req_free(&r);
	return status;
}

/* An activity {id, type, actor, object} as JSON (caller frees). */
static char *activity(const char *id, const char *type, const char *actor,
		      const char *object)
{
	json_t *a = json_pack("{s:s, s:s, s:s, s:s}", "id", id, "type", type, "actor",
			      actor, "object", object);
	char *s = ap_dump(a);

	json_decref(a);
	return s;
}

/* The uri of a (remote) post. */
static char *uri_of(struct fed_fixture *f, int64_t id)
{
	struct viewer *v = viewer_anonymous();
	struct post p;
	char *uri;

	assert_int_equal(post_get(f->camp->st, v, id, &p), 0);
	uri = xstrdup(p.uri);
	post_free(&p);
	viewer_free(v);
	return uri;
}

static int post_exists(struct fed_fixture *f, const char *uri)
{
	int64_t id = 0;

	return post_find_uri(f->camp->st, uri, &id) == 0 && id != 0;
}

/* Nobody can use up the id of another's future activity: not a stranger
 * from another server (its id is refused: not on its origin), and not a
 * neighbour on the same server (ids are remembered per actor). */
static void test_ids_cannot_be_preempted(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice");
	struct signer bob = signer_make(f, "bob", "remote.test");
	struct signer dave = signer_make(f, "dave", "remote.test");
	struct signer mallory = signer_make(f, "mallory", "evil.test");
	int64_t mine = post(f->camp, alice, VIS_PUBLIC, "alice's post");
	int64_t n1 = post(f->camp, bob.id, VIS_PUBLIC, "bob's first note");
	int64_t n2 = post(f->camp, bob.id, VIS_PUBLIC, "bob's second note");
	char *target = xasprintf(BASE "/posts/%lld", (long long)mine);
	char *uri1 = uri_of(f, n1), *uri2 = uri_of(f, n2), *a;
	const char *del1 = "https://remote.test/users/bob#deletes/1";
	const char *del2 = "https://remote.test/users/bob#deletes/2";

	/* mallory, on another server, sends a Like with bob's next ids. */
	a = activity(del1, "Like", mallory.uri, target);
	assert_int_equal(inbox_post(f, &mallory, a), 400);
	free(a);
	a = activity("https://remote.test/notes/77", "Announce", mallory.uri, target);
	assert_int_equal(inbox_post(f, &mallory, a), 400);
	free(a);
	/* dave, on bob's server, may name his Like as his server pleases. */
	a = activity(del2, "Like", dave.uri, target);
	assert_int_equal(inbox_post(f, &dave, a), 202);
	free(a);
	/* bob's Deletes with those ids are new, and apply. */
	a = activity(del1, "Delete", bob.uri, uri1);
	assert_int_equal(inbox_post(f, &bob, a), 202);
	free(a);
	assert_false(post_exists(f, uri1));
	a = activity(del2, "Delete", bob.uri, uri2);
	assert_int_equal(inbox_post(f, &bob, a), 202);
	free(a);
	assert_false(post_exists(f, uri2));
	/* A repeat from the same actor is still a repeat. */
	char *type = NULL, *object = NULL;
	assert_int_equal(inbox_seen_get(f->camp->st, bob.id, del2, &type, &object), 0);
	assert_string_equal(type, "Delete");
	free(type);
	free(object);
	assert_int_equal(inbox_seen_get(f->camp->st, mallory.id, del1, &type, &object),
			 CAMP_ENOENT);
	free(target);
	free(uri1);
	free(uri2);
}

/* ap_check() says why: an activity's id must be on its actor's origin,
 * except an Undo's (snac), which the inbox then ignores. */
static void test_check_id_origin(void **state)
{
	static const struct {
		const char *type, *id;
		int accepted;
	} cases[] = {
		{"Like", "https://remote.test/likes/1", 1},
		{"Like", "https://REMOTE.test/likes/1", 1},
		{"Like", "https://evil.test/likes/1", 0},
		{"Like", "http://remote.test/likes/1", 0},
		{"Like", "https://remote.test:8443/likes/1", 0},
		{"Follow", "https://evil.test/follows/1", 0},
		{"Announce", "https://evil.test/notes/1", 0},
		{"Delete", "https://evil.test/deletes/1", 0},
		{"Block", "https://evil.test/blocks/1", 0},
		{"Undo", "https://evil.test/undos/1", 1},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *s = activity(cases[i].id, cases[i].type,
				   "https://remote.test/users/bob",
				   "https://camp.test/users/alice");
		json_t *doc = ap_parse(s, strlen(s));
		struct ap_verdict v;
		ap_check(doc, &v);
		if (v.accepted != cases[i].accepted)
			fail_msg("%s %s: %s", cases[i].type, cases[i].id, v.reason);
		json_decref(doc);
		free(s);
	}
}

/* ---- 4: a key id names one actor's key ---------------------------------- */

static void test_key_of_actor(void **state)
{
	static const struct {
		const char *key, *actor;
		int ok;
	} cases[] = {
		{"https://r.test/users/bob#main-key", "https://r.test/users/bob", 1},
		{"https://r.test/users/bob/main-key", "https://r.test/users/bob", 1},
		{"https://r.test/users/bob", "https://r.test/users/bob", 1},
		{"https://r.test/#key", "https://r.test/", 1},
		{"https://r.test/key", "https://r.test/", 1},
		{"https://r.test/users/bobby#main-key", "https://r.test/users/bob", 0},
		{"https://r.test/users/alice#main-key", "https://r.test/users/bob", 0},
		{"https://r.test/keys/1", "https://r.test/users/bob", 0},
		{"https://evil.test/users/bob#main-key", "https://r.test/users/bob", 0},
		{"https://r.test.evil/users/bob#main-key", "https://r.test", 0},
		{"https://r.test@evil.test/#k", "https://r.test", 0},
		{"http://r.test/users/bob#main-key", "https://r.test/users/bob", 0},
		{NULL, "https://r.test/users/bob", 0},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		if (ap_key_of_actor(cases[i].key, cases[i].actor) != cases[i].ok)
			fail_msg("key %s of %s", cases[i].key ? cases[i].key : "(null)",
				 cases[i].actor);
}

/* An actor document declaring someone else's key id is refused; among
 * several keys, the actor's own is taken. */
static void test_actor_keys_are_its_own(void **state)
{
	const char *squat = "{\"id\":\"https://evil.test/users/eve\",\"type\":\"Person\","
			    "\"preferredUsername\":\"eve\",\"inbox\":"
			    "\"https://evil.test/inbox\",\"publicKey\":{\"id\":"
			    "\"https://r.test/users/bob#main-key\",\"owner\":"
			    "\"https://evil.test/users/eve\",\"publicKeyPem\":\"PEM\"}}";
	const char *two =
		"{\"id\":\"https://r.test/users/bob\",\"type\":\"Person\","
		"\"preferredUsername\":\"bob\",\"inbox\":\"https://r.test/inbox\","
		"\"publicKey\":[{\"id\":\"https://r.test/users/carol#main-key\","
		"\"publicKeyPem\":\"CAROL\"},{\"id\":"
		"\"https://r.test/users/bob#main-key\",\"publicKeyPem\":\"BOB\"}]}";
	struct ap_actor a;
	json_t *doc;

	(void)state;
	doc = ap_parse(squat, strlen(squat));
	assert_int_equal(ap_actor_parse(doc, &a), CAMP_EINVAL);
	json_decref(doc);
	doc = ap_parse(two, strlen(two));
	assert_int_equal(ap_actor_parse(doc, &a), 0);
	assert_string_equal(a.key_id, "https://r.test/users/bob#main-key");
	assert_string_equal(a.key_pem, "BOB");
	json_decref(doc);
}

/* A key id someone squatted (as the camp let them before) goes to its
 * real owner when the owner's actor is saved, and the owner's signed
 * POSTs are taken again. */
static void test_key_id_names_one_actor(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice");
	int64_t eve = remote(f->camp, "eve", "evil.test");
	struct remote_actor ra = {eve,
				  "https://evil.test/users/eve",
				  "https://evil.test/users/eve/inbox",
				  NULL,
				  NULL,
				  NULL,
				  "https://remote.test/users/bob#main-key",
				  NULL,
				  now_s()};
	struct remote_actor got;
	enum follow_state fs;

	keys_once();
	ra.key_pem = other_pub;
	assert_int_equal(remote_actor_save(f->camp->st, &ra), 0);
	struct signer bob = signer_make(f, "bob", "remote.test");
	assert_int_equal(remote_actor_by_key(f->camp->st, bob.key_id, &got), 0);
	assert_int_equal(got.account_id, bob.id);
	remote_actor_free(&got);
	assert_int_equal(remote_actor_get(f->camp->st, eve, &got), 0);
	assert_null(got.key_id);
	remote_actor_free(&got);
	char *follow = activity("https://remote.test/follows/1", "Follow", bob.uri,
				BASE "/users/alice");
	assert_int_equal(inbox_post(f, &bob, follow), 202);
	free(follow);
	assert_int_equal(follow_get(f->camp->st, bob.id, alice, &fs), 0);
	assert_int_equal(fs, FOLLOW_ACCEPTED);
}

/* ---- 7: the HTML pages escape what they show ------------------------------ */

/* The body of an HTML GET of target (caller frees), status checked. */
static char *html_get(struct fed_fixture *f, const char *target)
{
	struct req r = req_new("GET", target, DOMAIN, NULL);
	char *body;

	req_set(&r, "accept", "text/html");
	assert_int_equal(dispatch(f, &r, &body), 200);
	req_free(&r);
	return body;
}

static void test_pages_escape_names(void **state)
{
	struct fed_fixture *f = *state;
	const char *evil = "<script>alert(1)</script> & \"Co\"";
	int64_t alice = member(f->camp, "alice");
	char *body, target[64];

	free(f->cfg.camp_name);
	f->cfg.camp_name = xstrdup(evil);
	body = html_get(f, "/");
	assert_null(strstr(body, "<script>"));
	assert_non_null(strstr(body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; "
				     "&quot;Co&quot;"));
	free(body);

	assert_int_equal(account_update_profile(f->camp->st, alice,
						"<img src=x onerror=alert(1)>",
						"<b>bold</b> & more", -1),
			 0);
	body = html_get(f, "/users/alice");
	assert_null(strstr(body, "<img"));
	assert_null(strstr(body, "<b>"));
	assert_non_null(strstr(body, "<h1><bdi class=\"p-name\">&lt;img src=x "
				     "onerror=alert(1)&gt;</bdi></h1>"));
	assert_non_null(strstr(body, "&lt;b&gt;bold&lt;/b&gt; &amp; more"));
	free(body);

	int64_t id = post(f->camp, alice, VIS_PUBLIC, "<i>hi</i>");
	snprintf(target, sizeof target, "/posts/%lld", (long long)id);
	body = html_get(f, target);
	assert_null(strstr(body, "<i>"));
	assert_non_null(strstr(body, "<p>&lt;i&gt;hi&lt;/i&gt;</p>"));
	free(body);
}

/* ---- 8: the camp never fetches from itself ------------------------------ */

static void test_url_is_ours(void **state)
{
	struct fed_fixture *f = *state;
	static const struct {
		const char *url;
		int ours;
	} cases[] = {
		{BASE "/users/alice#main-key", 1},
		{"https://CAMP.test:443/actor", 1},
		{"https://someone@camp.test/actor", 1},
		{"http://camp.test/actor", 0},
		{"https://camp.test:8443/actor", 0},
		{"https://evil.test/users/camp.test", 0},
		{"https://evil.test/@camp.test", 0},
		{"https://camp.test.evil.test/actor", 0},
		{"https://evil.test#@camp.test", 0},
		{"not a url", 0},
		{NULL, 0},
	};

	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		if (fed_url_is_ours(&f->fed, cases[i].url) != cases[i].ours)
			fail_msg("%s: expected %s",
				 cases[i].url ? cases[i].url : "(null)",
				 cases[i].ours ? "ours" : "not ours");
}

/* A key id (or any URL) under the camp's own base is never fetched: a
 * POST naming one is refused before any thread waits on another. */
static void test_no_fetch_from_self(void **state)
{
	struct fed_fixture *f = *state;
	json_t *doc = NULL;
	struct signer alice;

	member(f->camp, "alice");
	assert_int_equal(fed_get_json(&f->fed, BASE "/users/alice", 10, &doc),
			 CAMP_EPERM);
	assert_non_null(strstr(err_last(), "this camp's own"));
	assert_null(doc);
	/* Someone signs a Follow with "alice's key". */
	keys_once();
	alice.id = 0;
	snprintf(alice.uri, sizeof alice.uri, BASE "/users/alice");
	snprintf(alice.key_id, sizeof alice.key_id, BASE "/users/alice#main-key");
	alice.priv = the_key;
	char *follow =
		activity(BASE "/follows/1", "Follow", alice.uri, BASE "/users/alice");
	assert_int_equal(inbox_post(f, &alice, follow), 401);
	free(follow);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_host_is_ours, fed_setup,
						fed_teardown),
		cmocka_unit_test_setup_teardown(test_signed_get_is_for_this_host,
						fed_setup, fed_teardown),
		cmocka_unit_test_setup_teardown(test_signed_post_is_for_this_host,
						fed_setup, fed_teardown),
		cmocka_unit_test_setup_teardown(test_ids_cannot_be_preempted, fed_setup,
						fed_teardown),
		cmocka_unit_test(test_check_id_origin),
		cmocka_unit_test(test_key_of_actor),
		cmocka_unit_test(test_actor_keys_are_its_own),
		cmocka_unit_test_setup_teardown(test_key_id_names_one_actor, fed_setup,
						fed_teardown),
		cmocka_unit_test_setup_teardown(test_pages_escape_names, fed_setup,
						fed_teardown),
		cmocka_unit_test_setup_teardown(test_url_is_ours, fed_setup,
						fed_teardown),
		cmocka_unit_test_setup_teardown(test_no_fetch_from_self, fed_setup,
						fed_teardown),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);

	free(the_key);
	free(the_pub);
	free(other_key);
	free(other_pub);
	return r;
}
