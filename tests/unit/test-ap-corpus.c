/*
 * test-ap-corpus.c: ActivityPub documents as other servers send them go
 * through exactly what the inbox runs first (the JSON parser, then
 * ap_check()), and the notes and actors in them through the readers
 * behind it (ap_note_parse(), ap_actor_parse()).  Each must come out
 * accepted or refused with a stated reason (printed as a TAP comment),
 * never crash or leak.
 *
 * Two corpora, one manifest format:
 *
 * - The repository's own, tests/fixtures/activitypub/<implementation>/:
 *   documents written for these tests in the shapes each implementation
 *   sends.  Always run.  Every document has exactly one line in
 *   expected.jsonl there, and every line holds; a document without a
 *   line, or a line without its document, is a failure too.
 * - An outside corpus of real payloads, when CAMP_AP_FIXTURES names its
 *   folder (.ci/run sets it to ../shared/fixtures/activitypub and fails
 *   when that is missing).  Then it is required: the folder must exist,
 *   every document in it must be a JSON object that gets a verdict, and
 *   the lines of tests/fixtures/activitypub-outside.jsonl must hold (not
 *   every document needs one).
 *
 * A manifest line is one JSON object; lines starting with '#' and blank
 * lines are comments.  Keys: "file" (the document, relative to the
 * corpus), "accepted" and "status" (ap_check's verdict, both required),
 * "reason" (a substring of its reason), "object" (the id of the
 * activity's object, or null), "note" and "actor" (what ap_note_parse or
 * ap_actor_parse make of the innermost embedded object, or of the
 * document itself: the keys of note_json() and actor_json(), plus
 * "followers", the author's followers collection as the inbox passes it,
 * and "error", a substring of the reason the reader refuses it).  An
 * unknown key is a failure, so a typo cannot pass unchecked.
 */
#include "tests/unit/unit.h"

#include <dirent.h>
#include <sys/stat.h>

#include "federation/federation.h"

#define OWN_DIR "tests/fixtures/activitypub"
#define OWN_MANIFEST OWN_DIR "/expected.jsonl"
#define OUTSIDE_MANIFEST "tests/fixtures/activitypub-outside.jsonl"

/* One run over a corpus.  expected maps file to its manifest line (owned);
 * pending holds the lines not yet matched to a document (owned). */
struct corpus {
	const char *root, *manifest;
	int every_file; /* each document must have a line */
	int must_parse; /* each document must be a JSON object */
	json_t *expected, *pending;
	int files, accepted, bad;
};

/* Says what does not hold (cmocka's TAP output drops fail_msg text) and
 * counts it; the test fails at the end, after every problem is listed. */
static void complain(struct corpus *c, const char *rel, const char *fmt, ...)
	CAMP_PRINTF(3, 4);

static void complain(struct corpus *c, const char *rel, const char *fmt, ...)
{
	va_list ap;

	printf("# FAILED %s: ", rel);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	c->bad++;
}

/* ---- the manifest ------------------------------------------------------- */

/* One manifest line into c->expected; "at" names it in complaints. */
static void manifest_line(struct corpus *c, const char *line, const char *at)
{
	json_error_t e;
	json_t *o = json_loads(line, JSON_REJECT_DUPLICATES, &e);
	const char *file = ap_str(o, "file");

	if (o == NULL)
		complain(c, at, "not JSON: %s", e.text);
	else if (!json_is_object(o) || file == NULL)
		complain(c, at, "not a JSON object with a \"file\"");
	else if (json_object_get(c->expected, file))
		complain(c, at, "a second line for %s", file);
	else
		json_object_set(c->expected, file, o);
	json_decref(o);
}

static void manifest_load(struct corpus *c)
{
	char *text = NULL;
	size_t len = 0;
	int n = 0;

	c->expected = json_object();
	if (file_read(c->manifest, 4 << 20, &text, &len) != 0)
		fail_msg("%s: %s (run from the repository's root)", c->manifest,
			 err_last());
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		n++;
		if (line[strspn(line, " \t\r")] == '\0' || line[0] == '#')
			continue;
		char *at = xasprintf("%s:%d", c->manifest, n);
		manifest_line(c, line, at);
		free(at);
	}
	free(text);
	c->pending = json_copy(c->expected);
}

/* ---- what the readers make of a document --------------------------------- */

static json_t *str_list(const char **v, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* A parsed note as JSON, keyed as in the manifest. */
static json_t *note_json(const struct ap_note *n)
{
	char t[32];

	time_rfc3339(n->created_at, t);
	return json_pack("{s:s?, s:s?, s:s?, s:s?, s:s, s:s, s:s, s:o, s:o, s:o}", "id",
			 n->id, "author", n->attributed_to, "reply", n->in_reply_to,
			 "url", n->url, "visibility", visibility_name(n->visibility),
			 "text", n->content, "cw", n->cw, "mentions",
			 str_list(n->mentions, n->nmentions), "tags",
			 str_list(n->tags, n->ntags), "created",
			 n->created_at ? json_string(t) : json_integer(0));
}

/* A parsed actor as JSON, keyed as in the manifest. */
static json_t *actor_json(const struct ap_actor *a)
{
	return json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s?, s:s?, s:s?, s:s, s:b}", "type",
			 a->type, "id", a->id, "username", a->username, "name", a->name,
			 "inbox", a->inbox, "shared_inbox", a->shared_inbox, "followers",
			 a->followers, "url", a->url, "key_id", a->key_id, "locked",
			 a->locked);
}

/* The object a note or actor expectation is about: the innermost object
 * embedded in the document (Create, Update, Announce of a Create...), or
 * the document itself when it embeds none. */
static json_t *innermost(json_t *doc)
{
	json_t *o;

	for (int depth = 0; depth < 8; depth++) {
		o = ap_item(json_object_get(doc, "object"), 0);
		if (!json_is_object(o))
			break;
		doc = o;
	}
	return doc;
}

/* ---- comparing ------------------------------------------------------------ */

/* Every key of want (but the inputs in skip) must be in got with an equal
 * value; the keys in need must be in want, so a line is never vaguer than
 * its kind requires. */
static void expect_keys(struct corpus *c, const char *rel, const char *what, json_t *want,
			json_t *got, const char *const *need, const char *const *skip)
{
	const char *key;
	json_t *v;

	for (; need && *need; need++)
		if (!json_object_get(want, *need))
			complain(c, rel, "the %s line lacks \"%s\"", what, *need);
	json_object_foreach(want, key, v)
	{
		int skipped = 0;
		for (const char *const *s = skip; s && *s; s++)
			skipped |= strcmp(*s, key) == 0;
		json_t *g = json_object_get(got, key);
		if (skipped)
			continue;
		if (g == NULL) {
			complain(c, rel, "unknown %s key \"%s\"", what, key);
			continue;
		}
		if (!json_equal(v, g)) {
			char *ws = ap_dump(v), *gs = ap_dump(g);
			complain(c, rel, "%s %s: expected %s, got %s", what, key, ws, gs);
			free(ws);
			free(gs);
		}
	}
}

/* want.error, when given, must be in the reason a reader refused with;
 * without it the reader must not refuse. */
static int expect_refusal(struct corpus *c, const char *rel, const char *what,
			  json_t *want, int r)
{
	const char *error = ap_str(want, "error");

	if (r != 0 && error == NULL)
		complain(c, rel, "%s refused: %s", what, err_last());
	else if (r == 0 && error != NULL)
		complain(c, rel, "%s read, but should be refused (%s)", what, error);
	else if (r != 0 && strstr(err_last(), error) == NULL)
		complain(c, rel, "%s refused with \"%s\", not \"%s\"", what, err_last(),
			 error);
	return r == 0 && error == NULL;
}

static void expect_note(struct corpus *c, const char *rel, json_t *doc, json_t *want)
{
	static const char *const need[] = {"visibility", "text", "cw",
					   "mentions",	 "tags", NULL};
	static const char *const skip[] = {"followers", "error", NULL};
	struct ap_note n;
	json_t *got;

	if (!json_is_object(want)) {
		complain(c, rel, "\"note\" is not an object");
		return;
	}
	int r = ap_note_parse(innermost(doc), ap_str(want, "followers"), &n);
	if (!expect_refusal(c, rel, "the note", want, r))
		return;
	got = note_json(&n);
	expect_keys(c, rel, "note", want, got, need, skip);
	json_decref(got);
	ap_note_free(&n);
}

static void expect_actor(struct corpus *c, const char *rel, json_t *doc, json_t *want)
{
	static const char *const need[] = {"type",  "id",     "username",
					   "inbox", "key_id", NULL};
	static const char *const skip[] = {"error", NULL};
	struct ap_actor a;
	json_t *got;

	if (!json_is_object(want)) {
		complain(c, rel, "\"actor\" is not an object");
		return;
	}
	if (!expect_refusal(c, rel, "the actor", want,
			    ap_actor_parse(innermost(doc), &a)))
		return;
	got = actor_json(&a);
	expect_keys(c, rel, "actor", want, got, need, skip);
	json_decref(got);
}

/* The line of one document against what it came to (doc NULL when it is
 * not a JSON object). */
static void expect_line(struct corpus *c, const char *rel, json_t *doc,
			const struct ap_verdict *v, json_t *want)
{
	static const char *const need[] = {"accepted", "status", NULL};
	static const char *const skip[] = {"file", "reason", "note", "actor", NULL};
	json_t *obj = doc ? ap_item(json_object_get(doc, "object"), 0) : NULL;
	const char *reason = ap_str(want, "reason");
	json_t *got = json_pack("{s:b, s:i, s:s?}", "accepted", v->accepted, "status",
				v->status, "object", ap_id(obj));

	expect_keys(c, rel, "verdict", want, got, need, skip);
	json_decref(got);
	if (reason && strstr(v->reason, reason) == NULL)
		complain(c, rel, "the reason \"%s\" does not say \"%s\"", v->reason,
			 reason);
	if (json_object_get(want, "note"))
		expect_note(c, rel, doc, json_object_get(want, "note"));
	if (json_object_get(want, "actor"))
		expect_actor(c, rel, doc, json_object_get(want, "actor"));
}

/* ---- walking a corpus ----------------------------------------------------- */

static void check_file(struct corpus *c, const char *rel)
{
	char *path = xasprintf("%s/%s", c->root, rel), *text = NULL;
	struct ap_verdict v = {0, 0, ""};
	json_t *doc = NULL, *want = json_object_get(c->expected, rel);
	size_t len = 0;

	assert_int_equal(file_read(path, 4 << 20, &text, &len), 0);
	if ((doc = ap_parse(text, len)) == NULL) {
		v.status = 400;
		snprintf(v.reason, sizeof v.reason, "unreadable: %s", err_last());
		if (c->must_parse)
			complain(c, rel, "%s", v.reason);
	} else {
		ap_check(doc, &v);
	}
	printf("# %s: %s (%d): %s\n", rel, v.accepted ? "accepted" : "refused", v.status,
	       v.reason);
	if (v.reason[0] == '\0' ||
	    (v.status != 200 && v.status != 202 && v.status != 400))
		complain(c, rel, "a verdict needs a reason and 200, 202 or 400");
	if (want) {
		expect_line(c, rel, doc, &v, want);
		json_object_del(c->pending, rel);
	} else if (c->every_file) {
		complain(c, rel, "has no line in %s", c->manifest);
	}
	c->files++;
	c->accepted += v.accepted;
	json_decref(doc);
	free(text);
	free(path);
}

static void walk(struct corpus *c, const char *rel)
{
	char *dir = rel[0] ? xasprintf("%s/%s", c->root, rel) : xstrdup(c->root);
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	if (n < 0)
		fail_msg("cannot read the folder %s", dir);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char *sub = rel[0] ? xasprintf("%s/%s", rel, name) : xstrdup(name);
		char *full = xasprintf("%s/%s", c->root, sub);
		struct stat sb;
		size_t len = strlen(name);
		if (name[0] != '.' && stat(full, &sb) == 0) {
			if (S_ISDIR(sb.st_mode))
				walk(c, sub);
			else if (len > 5 && strcmp(name + len - 5, ".json") == 0)
				check_file(c, sub);
		}
		free(sub);
		free(full);
		free(names[i]);
	}
	free(names);
	free(dir);
}

/* Runs c; every problem is printed before the test fails. */
static void corpus_run(struct corpus *c)
{
	const char *file;
	json_t *line;
	struct stat sb;

	if (stat(c->root, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		printf("# THE ACTIVITYPUB CORPUS %s IS MISSING\n", c->root);
		fail_msg("%s is not a folder", c->root);
	}
	manifest_load(c);
	walk(c, "");
	json_object_foreach(c->pending, file, line)
	{
		(void)line;
		complain(c, file, "is named in %s but is not in %s", c->manifest,
			 c->root);
	}
	printf("# %s: %d documents, %d accepted, %d refused with a reason; %d "
	       "problems\n",
	       c->root, c->files, c->accepted, c->files - c->accepted, c->bad);
	json_decref(c->expected);
	json_decref(c->pending);
	assert_int_equal(c->bad, 0);
	assert_true(c->files > 0);
}

/* ---- the tests ------------------------------------------------------------ */

static void test_own_fixtures(void **state)
{
	struct corpus c = {.root = OWN_DIR, .manifest = OWN_MANIFEST, .every_file = 1};

	corpus_run(&c);
	assert_true(c.files >= 60);
}

static void test_outside_corpus(void **state)
{
	struct corpus c = {.root = getenv("CAMP_AP_FIXTURES"),
			   .manifest = OUTSIDE_MANIFEST,
			   .must_parse = 1};

	corpus_run(&c);
	/* Real payloads are mostly things camp handles. */
	assert_true(c.accepted > c.files / 2);
}

int main(void)
{
	const struct CMUnitTest own[] = {
		cmocka_unit_test(test_own_fixtures),
	};
	const struct CMUnitTest both[] = {
		cmocka_unit_test(test_own_fixtures),
		cmocka_unit_test(test_outside_corpus),
	};

	/* The outside corpus is checked only when asked for (.ci/run asks). */
	if (getenv("CAMP_AP_FIXTURES"))
		return cmocka_run_group_tests(both, NULL, NULL);
	printf("# CAMP_AP_FIXTURES is not set: only the repository's own fixtures "
	       "are checked\n");
	return cmocka_run_group_tests(own, NULL, NULL);
}
