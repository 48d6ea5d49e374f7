/*
 * test-ap-outbound.c: what the camp says about a post is the same
 * wherever it is said.  The Create a post is delivered in and the one the
 * member's outbox collection shows are one activity (same id, actor and
 * addressing: a server that fetched one drops the other as a repeat); a
 * boost's Announce is addressed as a post of the boosted post's level
 * (ap_address()), with the boosted post's author.
 */
#include "tests/unit/fed-fixture.h"

#define BOB "https://remote.test/users/bob"

/* bob@remote.test with an inbox, following alice, so her public
 * activities are queued for him. */
static int64_t bob_follows(struct fed_fixture *f, int64_t alice)
{
	int64_t bob = remote(f->camp, "bob", "remote.test");
	struct remote_actor ra = {0};
	enum follow_state fs;

	ra.account_id = bob;
	ra.uri = BOB;
	ra.inbox = BOB "/inbox";
	ra.fetched_at = now_s();
	assert_int_equal(remote_actor_save(f->camp->st, &ra), 0);
	assert_int_equal(follow_request(f->camp->st, bob, alice, BOB "/follows/1", &fs),
			 0);
	assert_int_equal(fs, FOLLOW_ACCEPTED);
	return bob;
}

/* Builds the pending outbox items and takes the one queued activity of
 * type off the queue (new reference; others are dropped). */
static json_t *sent(struct fed_fixture *f, const char *type)
{
	json_t *found = NULL;
	struct delivery *d;
	int handled, n;

	assert_int_equal(fed_outbox_run(&f->fed, &handled), 0);
	assert_int_equal(delivery_due(f->camp->st, now_s() + 10, 100, &d, &n), 0);
	for (int i = 0; i < n; i++) {
		json_t *a = ap_parse(d[i].body, strlen(d[i].body));
		assert_non_null(a);
		if (found == NULL && ap_is_type(a, type))
			found = json_incref(a);
		json_decref(a);
		assert_int_equal(delivery_remove(f->camp->st, d[i].id), 0);
	}
	delivery_list_free(d, n);
	assert_non_null(found);
	return found;
}

static const char *msg_header(void *ctx, const char *name)
{
	(void)ctx;
	return strcmp(name, "host") == 0 ? DOMAIN : NULL;
}

/* The first page of a member's outbox collection, as GET would have it. */
static json_t *outbox_page(struct fed_fixture *f, const char *name)
{
	char *path = xasprintf("/users/%s/outbox", name);
	char *target = xasprintf("%s?page=true", path);
	struct http_request req = {"GET",
				   path,
				   "page=true",
				   target,
				   {"GET", target, msg_header, NULL, NULL, 0, 0},
				   NULL};
	struct http_reply rep = {.status = 404, .body = BUF_INIT};
	json_t *page;

	routes_dispatch(&f->fed, &req, &rep);
	assert_int_equal(rep.status, 200);
	page = ap_parse(rep.body.data, rep.body.len);
	assert_non_null(page);
	buf_free(&rep.body);
	free(rep.location);
	free(path);
	free(target);
	return page;
}

static void expect_same(json_t *a, json_t *b, const char *key)
{
	json_t *x = json_object_get(a, key), *y = json_object_get(b, key);

	if (x == NULL || y == NULL)
		fail_msg("%s is missing from one of them", key);
	if (!json_equal(x, y))
		fail_msg("%s differs: %s and %s", key, ap_dump(x), ap_dump(y));
}

static void test_create_delivered_as_shown(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice");

	bob_follows(f, alice);
	post(f->camp, alice, VIS_PUBLIC, "hello, fediverse");
	json_t *delivered = sent(f, "Create"), *page = outbox_page(f, "alice");
	json_t *shown = json_array_get(json_object_get(page, "orderedItems"), 0);

	assert_non_null(shown);
	assert_string_equal(ap_type(shown), "Create");
	expect_same(delivered, shown, "id");
	expect_same(delivered, shown, "actor");
	expect_same(delivered, shown, "to");
	expect_same(delivered, shown, "cc");
	expect_same(delivered, shown, "published");
	assert_string_equal(ap_first_id(delivered, "object"),
			    ap_first_id(shown, "object"));
	assert_string_equal(ap_str(delivered, "actor"), BASE "/users/alice");
	/* The id is the note's with /activity; the page carries the
	 * @context once, not on every item. */
	char *id = xasprintf("%s/activity", ap_first_id(delivered, "object"));
	assert_string_equal(ap_str(delivered, "id"), id);
	assert_non_null(json_object_get(delivered, "@context"));
	assert_null(json_object_get(shown, "@context"));
	assert_null(json_object_get(json_object_get(shown, "object"), "@context"));
	free(id);
	json_decref(delivered);
	json_decref(page);
}

/* alice boosts bob's post of level vis: the Announce's to and cc. */
static void check_boost(struct fed_fixture *f, int64_t alice, int64_t bob, int vis,
			const char *to, const char *cc)
{
	int64_t note = post(f->camp, bob, vis, "a note by bob"), boost;
	json_t *a;
	char *s;

	assert_int_equal(post_boost(f->camp->st, alice, note, NULL, &boost), 0);
	a = sent(f, "Announce");
	s = ap_dump(json_object_get(a, "to"));
	assert_string_equal(s, to);
	free(s);
	s = ap_dump(json_object_get(a, "cc"));
	assert_string_equal(s, cc);
	free(s);
	json_decref(a);
}

static void test_boost_is_addressed_by_level(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice"), bob = bob_follows(f, alice);

	check_boost(f, alice, bob, VIS_PUBLIC, "[\"" AS_PUBLIC "\"]",
		    "[\"" BASE "/users/alice/followers\",\"" BOB "\"]");
	check_boost(f, alice, bob, VIS_UNLISTED, "[\"" BASE "/users/alice/followers\"]",
		    "[\"" AS_PUBLIC "\",\"" BOB "\"]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_delivered_as_shown, fed_setup,
						fed_teardown),
		cmocka_unit_test_setup_teardown(test_boost_is_addressed_by_level,
						fed_setup, fed_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
