/*
 * test-outbox.c: member actions through the outbox builder into the
 * delivery queue: every activity has an id of its own (servers drop an
 * id they have seen, so like, unlike, like again are three ids), and an
 * Undo names exactly the activity it undoes.
 */
#include "tests/unit/fed-fixture.h"

/* A remote account with an inbox, so deliveries to it are queued. */
static int64_t remote_with_inbox(struct fed_fixture *f, const char *name)
{
	int64_t id = remote(f->camp, name, "remote.test");
	char *uri = xasprintf("https://remote.test/users/%s", name);
	char *inbox = xasprintf("%s/inbox", uri);
	struct remote_actor ra = {id, uri, inbox, NULL, NULL, NULL, NULL, NULL, 1};

	assert_int_equal(remote_actor_save(f->camp->st, &ra), 0);
	free(uri);
	free(inbox);
	return id;
}

/* Builds pending outbox items, then takes every queued activity (in
 * order) off the queue. */
static json_t *sent(struct fed_fixture *f)
{
	json_t *all = json_array();
	struct delivery *d;
	int handled, n;

	assert_int_equal(fed_outbox_run(&f->fed, &handled), 0);
	assert_int_equal(delivery_due(f->camp->st, now_s() + 10, 100, &d, &n), 0);
	for (int i = 0; i < n; i++) {
		json_array_append_new(all, ap_parse(d[i].body, strlen(d[i].body)));
		assert_int_equal(delivery_remove(f->camp->st, d[i].id), 0);
	}
	delivery_list_free(d, n);
	return all;
}

static const char *id_of(json_t *activity)
{
	return ap_str(activity, "id");
}

static const char *inner_id(json_t *undo)
{
	return ap_str(json_object_get(undo, "object"), "id");
}

static void test_like_unlike_like(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice");
	int64_t bob = remote_with_inbox(f, "bob");
	int64_t note = post(f->camp, bob, VIS_PUBLIC, "a note by bob");

	assert_int_equal(post_fav(f->camp->st, alice, note), 0);
	assert_int_equal(post_unfav(f->camp->st, alice, note), 0);
	assert_int_equal(post_fav(f->camp->st, alice, note), 0);
	assert_int_equal(post_unfav(f->camp->st, alice, note), 0);
	json_t *a = sent(f);
	assert_int_equal(json_array_size(a), 4);
	json_t *like1 = json_array_get(a, 0), *undo1 = json_array_get(a, 1);
	json_t *like2 = json_array_get(a, 2), *undo2 = json_array_get(a, 3);
	assert_string_equal(ap_type(like1), "Like");
	assert_string_equal(ap_type(undo1), "Undo");
	assert_string_equal(ap_type(like2), "Like");
	/* four ids, none seen twice */
	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++)
			assert_string_not_equal(id_of(json_array_get(a, i)),
						id_of(json_array_get(a, j)));
	/* each Undo names the very Like it takes back */
	assert_string_equal(inner_id(undo1), id_of(like1));
	assert_string_equal(inner_id(undo2), id_of(like2));
	assert_string_equal(ap_str(like2, "object"), "https://remote.test/notes/1");
	json_decref(a);
}

static void test_block_unblock_block(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice");
	int64_t bob = remote_with_inbox(f, "bob");

	assert_int_equal(block_set(f->camp->st, alice, bob, 1), 0);
	assert_int_equal(block_set(f->camp->st, alice, bob, 0), 0);
	assert_int_equal(block_set(f->camp->st, alice, bob, 1), 0);
	json_t *a = sent(f);
	assert_int_equal(json_array_size(a), 3);
	json_t *block1 = json_array_get(a, 0), *undo = json_array_get(a, 1);
	json_t *block2 = json_array_get(a, 2);
	assert_string_equal(ap_type(block1), "Block");
	assert_string_equal(inner_id(undo), id_of(block1));
	assert_string_not_equal(id_of(block1), id_of(block2));
	json_decref(a);
}

static void test_profile_updates(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice");
	int64_t bob = remote_with_inbox(f, "bob");
	enum follow_state fs;

	assert_int_equal(follow_request(f->camp->st, bob, alice,
					"https://remote.test/follows/1", &fs),
			 0);
	json_decref(sent(f)); /* the Accept */
	assert_int_equal(account_update_profile(f->camp->st, alice, "Alice A.", NULL, -1),
			 0);
	assert_int_equal(account_update_profile(f->camp->st, alice, "Alice B.", NULL, -1),
			 0);
	json_t *a = sent(f);
	assert_int_equal(json_array_size(a), 2);
	json_t *u1 = json_array_get(a, 0), *u2 = json_array_get(a, 1);
	assert_string_equal(ap_type(u1), "Update");
	assert_string_equal(ap_type(json_object_get(u1, "object")), "Person");
	assert_string_equal(ap_str(json_object_get(u2, "object"), "name"), "Alice B.");
	assert_string_not_equal(id_of(u1), id_of(u2));
	json_decref(a);
}

/* The Create among sent activities (the first), or NULL. */
static json_t *create_of(json_t *all)
{
	for (size_t i = 0; i < json_array_size(all); i++)
		if (ap_is_type(json_array_get(all, i), "Create"))
			return json_object_get(json_array_get(all, i), "object");
	return NULL;
}

/* A reply its author widened past a camp-only post goes out without the
 * parent's URL and without its author (unless the text names her); a
 * reply to a public post keeps both. */
static void test_widened_reply_hides_its_parent(void **state)
{
	struct fed_fixture *f = *state;
	int64_t alice = member(f->camp, "alice"), carol = member(f->camp, "carol");
	int64_t bob = remote_with_inbox(f, "bob");
	enum follow_state fs;

	assert_int_equal(follow_request(f->camp->st, bob, carol,
					"https://remote.test/follows/1", &fs),
			 0);
	json_decref(sent(f)); /* the Accept */
	int64_t secret = post(f->camp, alice, VIS_CAMP, "camp-only, by alice");
	json_decref(sent(f));
	post_reply(f->camp, carol, VIS_PUBLIC, "widened on purpose", secret);
	json_t *all = sent(f), *note = create_of(all);
	char *text = ap_dump(all);
	char *parent = xasprintf("https://" DOMAIN "/posts/%lld", (long long)secret);
	assert_non_null(note);
	assert_true(json_is_null(json_object_get(note, "inReplyTo")));
	assert_null(strstr(text, parent));
	assert_null(strstr(text, "/users/alice"));
	free(text);
	json_decref(all);

	/* The text names alice: she is mentioned (carol's choice), but the
	 * parent is still not named. */
	post_reply(f->camp, carol, VIS_PUBLIC, "widened, @alice", secret);
	all = sent(f);
	note = create_of(all);
	text = ap_dump(json_object_get(note, "cc"));
	assert_true(json_is_null(json_object_get(note, "inReplyTo")));
	assert_non_null(strstr(text, "/users/alice"));
	free(text);
	text = ap_dump(all);
	assert_null(strstr(text, parent));
	free(text);
	json_decref(all);
	free(parent);

	/* A reply to a public post names its parent and the parent's author. */
	int64_t open = post(f->camp, alice, VIS_PUBLIC, "public, by alice");
	json_decref(sent(f));
	post_reply(f->camp, carol, VIS_PUBLIC, "a plain reply", open);
	all = sent(f);
	note = create_of(all);
	parent = xasprintf("https://" DOMAIN "/posts/%lld", (long long)open);
	assert_string_equal(ap_str(note, "inReplyTo"), parent);
	text = ap_dump(json_object_get(note, "cc"));
	assert_non_null(strstr(text, "/users/alice"));
	free(text);
	free(parent);
	json_decref(all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_like_unlike_like, fed_setup,
						fed_teardown),
		cmocka_unit_test_setup_teardown(test_block_unblock_block, fed_setup,
						fed_teardown),
		cmocka_unit_test_setup_teardown(test_profile_updates, fed_setup,
						fed_teardown),
		cmocka_unit_test_setup_teardown(test_widened_reply_hides_its_parent,
						fed_setup, fed_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
