/*
 * test-ap-activity.c: the table of inbound activity types (ap-activity.c)
 * against what reads it: ap_check() and the inbox must agree on every
 * type.  Each row is complete; every type the table names is accepted by
 * ap_check() under that row and, signed and POSTed, reaches its handler
 * (its id recorded, 202); an Undo is accepted exactly for the rows that
 * can be undone; a type without a row, or a document that is no activity,
 * is answered the same way by ap_check() and the inbox, and touches
 * nothing.
 *
 * The samples below are one well-formed activity per type; a row added
 * without a sample (or a sample whose type lost its row) fails the test,
 * so the table cannot grow past what is tested here.  No network: the
 * signer is in the store already, and nothing here makes the inbox
 * fetch.
 */
#include "tests/unit/fed-fixture.h"

#define ACTOR "https://remote.test/users/bob"
#define ALICE BASE "/users/alice"

/* One well-formed activity of each type camp takes in, by bob, with its
 * id ACTOR/activities/TYPE added by sample_doc(). */
static const struct {
	const char *type;
	const char *rest; /* the JSON members after id, type and actor */
} samples[] = {
	{"Create", "\"object\":{\"type\":\"Note\",\"id\":\"" ACTOR "/notes/1\","
		   "\"attributedTo\":\"" ACTOR "\",\"content\":\"<p>hi</p>\","
		   "\"to\":\"" AS_PUBLIC "\"}"},
	{"Update", "\"object\":{\"type\":\"Note\",\"id\":\"" ACTOR "/notes/2\","
		   "\"attributedTo\":\"" ACTOR "\",\"content\":\"<p>edited</p>\","
		   "\"to\":\"" AS_PUBLIC "\"}"},
	{"Delete", "\"object\":\"" ACTOR "/notes/3\""},
	{"Follow", "\"object\":\"" ALICE "\""},
	{"Accept", "\"object\":\"" ALICE "/follows/1\""},
	{"Reject", "\"object\":\"" ALICE "/follows/2\""},
	{"Undo", "\"object\":{\"type\":\"Follow\",\"id\":\"" ACTOR "/follows/1\","
		 "\"actor\":\"" ACTOR "\","
		 "\"object\":\"" ALICE "\"}"},
	{"Like", "\"object\":\"" BASE "/posts/1\""},
	{"Announce", "\"object\":\"" BASE "/posts/1\""},
	{"Block", "\"object\":\"" ALICE "\""},
	{"Move", "\"object\":\"" ACTOR "\",\"target\":\"https://new.test/users/bob\""},
	{"Flag", "\"object\":[\"" ALICE "\"],\"content\":\"spam\""},
};

/* Types no row names: ap_check() ignores them, and so does the inbox. */
static const char *const unknown_types[] = {"EmojiReact", "Add",    "Remove",
					    "Listen",	  "Travel", "QuoteRequest"};

static char *sample_doc(size_t i)
{
	return xasprintf("{\"id\":\"" ACTOR "/activities/%s\",\"type\":\"%s\","
			 "\"actor\":\"" ACTOR "\",%s}",
			 samples[i].type, samples[i].type, samples[i].rest);
}

static json_t *parse(const char *s)
{
	json_t *doc = ap_parse(s, strlen(s));

	assert_non_null(doc);
	return doc;
}

/* ---- the table itself ------------------------------------------------------ */

static void test_rows_are_complete(void **state)
{
	(void)state;
	assert_true(ap_activity_count > 0);
	for (size_t i = 0; i < ap_activity_count; i++) {
		const struct ap_activity *row = &ap_activities[i];
		if (row->type == NULL || row->check == NULL || row->apply == NULL)
			fail_msg("row %zu (%s) lacks its check or its handler", i,
				 row->type ? row->type : "no type");
		assert_ptr_equal(ap_activity_find(row->type), row);
		for (size_t j = 0; j < i; j++)
			if (strcmp(ap_activities[j].type, row->type) == 0)
				fail_msg("%s has two rows", row->type);
	}
	assert_null(ap_activity_find(NULL));
	assert_null(ap_activity_find("follow")); /* types are case-sensitive */
	for (size_t i = 0; i < ARRAY_LEN(unknown_types); i++)
		assert_null(ap_activity_find(unknown_types[i]));
}

/* The samples and the table name the same types. */
static void test_every_row_has_a_sample(void **state)
{
	(void)state;
	for (size_t i = 0; i < ap_activity_count; i++) {
		size_t j = 0;
		while (j < ARRAY_LEN(samples) &&
		       strcmp(samples[j].type, ap_activities[i].type) != 0)
			j++;
		if (j == ARRAY_LEN(samples))
			fail_msg("%s has a row but no sample here",
				 ap_activities[i].type);
	}
	for (size_t j = 0; j < ARRAY_LEN(samples); j++)
		if (ap_activity_find(samples[j].type) == NULL)
			fail_msg("%s has a sample but no row", samples[j].type);
}

/* ---- ap_check() reads the table ------------------------------------------- */

static void test_check_accepts_each_row(void **state)
{
	struct ap_verdict v;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(samples); i++) {
		char *s = sample_doc(i);
		json_t *doc = parse(s);
		const struct ap_activity *row = ap_check_activity(doc, &v);
		if (!v.accepted || v.status != 202 ||
		    row != ap_activity_find(samples[i].type))
			fail_msg("%s: %s (%d)", samples[i].type, v.reason, v.status);
		/* ap_check() is ap_check_activity() without the row. */
		struct ap_verdict w;
		ap_check(doc, &w);
		assert_int_equal(w.accepted, v.accepted);
		assert_int_equal(w.status, v.status);
		assert_string_equal(w.reason, v.reason);
		json_decref(doc);
		free(s);
	}
}

static void test_check_ignores_unknown_types(void **state)
{
	struct ap_verdict v;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(unknown_types); i++) {
		char *s = xasprintf("{\"id\":\"" ACTOR "/x\",\"type\":\"%s\","
				    "\"actor\":\"" ACTOR "\",\"object\":\"" ALICE "\"}",
				    unknown_types[i]);
		json_t *doc = parse(s);
		assert_null(ap_check_activity(doc, &v));
		assert_false(v.accepted);
		assert_int_equal(v.status, 202);
		json_decref(doc);
		free(s);
	}
}

/* An Undo is accepted exactly when the undone type's row can undo it. */
static void test_undo_follows_the_table(void **state)
{
	struct ap_verdict v;

	(void)state;
	for (size_t i = 0; i < ap_activity_count + ARRAY_LEN(unknown_types); i++) {
		int known = i < ap_activity_count;
		const char *type = known ? ap_activities[i].type
					 : unknown_types[i - ap_activity_count];
		char *s = xasprintf("{\"id\":\"" ACTOR "/undos/1\",\"type\":\"Undo\","
				    "\"actor\":\"" ACTOR "\",\"object\":{\"type\":\"%s\","
				    "\"id\":\"" ACTOR "/x/1\",\"object\":\"" ALICE "\"}}",
				    type);
		json_t *doc = parse(s);
		ap_check(doc, &v);
		if (v.accepted != (known && ap_activities[i].undo != NULL) ||
		    v.status != 202)
			fail_msg("Undo of %s: %s", type, v.reason);
		json_decref(doc);
		free(s);
	}
}

/* ---- the inbox reads the same table --------------------------------------- */

static char *the_key, *the_pub;

/* bob@remote.test, known with his key, as a fetch would have left him. */
static int64_t bob_make(struct fed_fixture *f)
{
	struct remote_actor ra = {0};

	if (the_key == NULL)
		assert_int_equal(rsa_generate(&the_key, &the_pub), 0);
	ra.account_id = remote(f->camp, "bob", "remote.test");
	ra.uri = ACTOR;
	ra.inbox = ACTOR "/inbox";
	ra.key_id = ACTOR "#main-key";
	ra.key_pem = the_pub;
	ra.fetched_at = now_s();
	assert_int_equal(remote_actor_save(f->camp->st, &ra), 0);
	return ra.account_id;
}

/* A POST of body to the shared inbox, as bob's server signs it, or
 * unsigned. */
struct post_req {
	struct sig_out so;
	const char *body;
	int sign;
};

static const char *post_header(void *ctx, const char *name)
{
	struct post_req *p = ctx;

	if (strcmp(name, "host") == 0)
		return p->so.host;
	if (strcmp(name, "date") == 0)
		return p->so.date;
	if (strcmp(name, "digest") == 0)
		return p->so.digest;
	if (strcmp(name, "content-type") == 0)
		return AP_CONTENT_TYPE;
	if (strcmp(name, "signature") == 0 && p->sign)
		return p->so.signature;
	return NULL;
}

static int inbox_post(struct fed_fixture *f, const char *body, int sign)
{
	struct post_req p = {.body = body, .sign = sign};
	struct http_msg m = {"POST", "/inbox", post_header, &p, body, strlen(body), 1};
	int status;

	assert_int_equal(sig_sign_request(the_key, ACTOR "#main-key", "POST",
					  BASE "/inbox", body, strlen(body),
					  AP_CONTENT_TYPE, now_s(), &p.so),
			 0);
	status = inbox_handle(&f->fed, &m, NULL);
	free(p.so.signature);
	return status;
}

/* The type the inbox recorded for bob's activity id, or NULL. */
static char *seen_type(struct fed_fixture *f, int64_t bob, const char *id)
{
	char *type = NULL, *object = NULL;

	if (inbox_seen_get(f->camp->st, bob, id, &type, &object) != 0)
		return NULL;
	free(object);
	return type;
}

/* Every row's sample, signed, reaches its row's handler: 202, and its
 * id recorded under its type in the handler's transaction. */
static void test_inbox_applies_each_row(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice"), bob = bob_make(f);

	/* What the Like and the Announce name (a missing post would make
	 * the model roll back, the record of the id with it). */
	assert_int_equal(post(f->camp, alice, VIS_PUBLIC, "the first post"), 1);
	for (size_t i = 0; i < ARRAY_LEN(samples); i++) {
		char *s = sample_doc(i),
		     *id = xasprintf(ACTOR "/activities/%s", samples[i].type);
		int status = inbox_post(f, s, 1);
		char *type = seen_type(f, bob, id);
		if (status != 202 || type == NULL || strcmp(type, samples[i].type) != 0)
			fail_msg("%s: %d, recorded as %s", samples[i].type, status,
				 type ? type : "nothing");
		free(type);
		free(id);
		free(s);
	}
}

/* Unknown types and documents that are no activity: the inbox answers
 * what ap_check() says (202), signed or not, and records nothing. */
static void test_inbox_ignores_what_check_ignores(void **state)
{
	struct fed_fixture *f = *state;
	const char *docs[] = {
		"{\"type\":\"Person\",\"id\":\"" ACTOR "\",\"preferredUsername\":\"bob\","
		"\"inbox\":\"" ACTOR "/inbox\",\"publicKey\":{\"id\":\"" ACTOR
		"#main-key\",\"owner\":\"" ACTOR "\",\"publicKeyPem\":\"x\"}}",
		"{\"type\":\"Note\",\"id\":\"" ACTOR
		"/notes/9\",\"attributedTo\":\"" ACTOR
		"\",\"content\":\"hi\",\"to\":\"" AS_PUBLIC "\"}",
	};
	struct ap_verdict v;
	int64_t bob;

	member(f->camp, "alice");
	bob = bob_make(f);
	for (size_t i = 0; i < ARRAY_LEN(unknown_types) + ARRAY_LEN(docs); i++) {
		int activity = i < ARRAY_LEN(unknown_types);
		char *s = activity ? xasprintf("{\"id\":\"" ACTOR
					       "/x/%zu\",\"type\":\"%s\","
					       "\"actor\":\"" ACTOR
					       "\",\"object\":\"" ALICE "\"}",
					       i, unknown_types[i])
				   : xstrdup(docs[i - ARRAY_LEN(unknown_types)]);
		char *id = xasprintf(ACTOR "/x/%zu", i), *type;
		json_t *doc = parse(s);
		ap_check(doc, &v);
		json_decref(doc);
		assert_int_equal(v.status, activity ? 202 : 200);
		for (int sign = 0; sign <= 1; sign++)
			if (inbox_post(f, s, sign) != 202)
				fail_msg("%s (%s): not 202", s,
					 sign ? "signed" : "unsigned");
		assert_null(type = seen_type(f, bob, id));
		free(id);
		free(s);
	}
}

/* What ap_check() refuses the inbox refuses the same way, before any
 * signature; an unsigned activity is 401 unless its row says there is
 * nothing to do (a self-Delete of an actor whose key is gone). */
static void test_inbox_refusals_follow_the_table(void **state)
{
	struct fed_fixture *f = *state;
	const char *malformed = "{\"id\":\"" ACTOR "/f\",\"type\":\"Follow\","
				"\"actor\":\"" ACTOR "\"}";
	const char *self_delete = "{\"id\":\"" ACTOR "#delete\",\"type\":\"Delete\","
				  "\"actor\":\"" ACTOR "\",\"object\":\"" ACTOR "\"}";
	int64_t bob;

	member(f->camp, "alice");
	bob = bob_make(f);
	assert_int_equal(inbox_post(f, malformed, 1), 400);
	assert_int_equal(inbox_post(f, malformed, 0), 400);
	for (size_t i = 0; i < ARRAY_LEN(samples); i++) {
		char *s = sample_doc(i);
		if (inbox_post(f, s, 0) != 401)
			fail_msg("%s unsigned: not 401", samples[i].type);
		free(s);
	}
	assert_non_null(ap_activity_find("Delete")->unverified_ok);
	assert_int_equal(inbox_post(f, self_delete, 0), 202);
	/* Nothing was done: bob is still here. */
	struct remote_actor ra;
	assert_int_equal(remote_actor_get(f->camp->st, bob, &ra), 0);
	remote_actor_free(&ra);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_are_complete),
		cmocka_unit_test(test_every_row_has_a_sample),
		cmocka_unit_test(test_check_accepts_each_row),
		cmocka_unit_test(test_check_ignores_unknown_types),
		cmocka_unit_test(test_undo_follows_the_table),
		cmocka_unit_test_setup_teardown(test_inbox_applies_each_row, fed_setup,
						fed_teardown),
		cmocka_unit_test_setup_teardown(test_inbox_ignores_what_check_ignores,
						fed_setup, fed_teardown),
		cmocka_unit_test_setup_teardown(test_inbox_refusals_follow_the_table,
						fed_setup, fed_teardown),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);

	free(the_key);
	free(the_pub);
	return r;
}
