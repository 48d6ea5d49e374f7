/*
 * test-model.c: the camp's model, rule by rule: one test for each row of
 * the visibility table of DESIGN §3 and for each derived rule, plus
 * posts, text parsing, relationships, timelines, threads, notifications
 * and DMs.  (test-audience.c compares the same rules against a model
 * over random camps.)
 */
#include "tests/unit/model.h"

/* The outbox items waiting, and whether any goes to account `to`. */
static int outbox_count(struct camp_fixture *f, enum outbox_kind kind, int64_t to)
{
	struct outbox_item *items;
	int n, count = 0;

	assert_int_equal(outbox_pending(f->st, 1000, &items, &n), 0);
	for (int i = 0; i < n; i++) {
		if (items[i].kind != kind)
			continue;
		for (int j = 0; j < items[i].nrecipients; j++)
			count += to == 0 || items[i].recipients[j] == to;
	}
	outbox_items_free(items, n);
	return count;
}

/* Marks every pending outbox item done. */
static void outbox_drain(struct camp_fixture *f)
{
	struct outbox_item *items;
	int n;

	assert_int_equal(outbox_pending(f->st, 1000, &items, &n), 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(outbox_done(f->st, items[i].id), 0);
	outbox_items_free(items, n);
}

static void follow_ok(struct camp_fixture *f, int64_t a, int64_t b)
{
	enum follow_state s;

	assert_int_equal(follow_request(f->st, a, b, NULL, &s), 0);
	if (s == FOLLOW_PENDING && account_is_member(f->st, b) == 0)
		assert_int_equal(follow_accept(f->st, b, a), 0);
}

static void public_row(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob");
	int64_t rfan = remote(f, "fan", "far.example"),
		rstranger = remote(f, "x", "far.example");
	follow_ok(f, rfan, alice);
	outbox_drain(f);
	int64_t p = post(f, alice, VIS_PUBLIC, "hello world");

	assert_true(sees(f, bob, p));
	assert_true(sees(f, rstranger, p));
	assert_true(sees(f, 0, p));
	assert_true(in_timeline(f, bob, TL_CAMP, 0, NULL, p));
	assert_true(in_timeline(f, bob, TL_FEDERATED, 0, NULL, p));
	assert_true(in_timeline(f, alice, TL_HOME, 0, NULL, p));
	assert_false(in_timeline(f, bob, TL_HOME, 0, NULL, p)); /* bob follows nobody */
	assert_int_equal(outbox_count(f, OUTBOX_CREATE, rfan), 1);
	assert_int_equal(outbox_count(f, OUTBOX_CREATE, rstranger), 0);
	int yes;
	assert_int_equal(audience_may_federate(f->st, p, &yes), 0);
	assert_true(yes);
}

static void unlisted_row(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob");
	int64_t rfan = remote(f, "fan", "far.example");
	follow_ok(f, rfan, alice);
	int64_t p = post(f, alice, VIS_UNLISTED, "quietly");

	assert_true(sees(f, bob, p));
	assert_true(sees(f, 0, p));
	assert_false(in_timeline(f, bob, TL_CAMP, 0, NULL, p));
	assert_false(in_timeline(f, bob, TL_FEDERATED, 0, NULL, p));
	assert_true(in_timeline(f, bob, TL_PROFILE, alice, NULL, p));
	assert_int_equal(outbox_count(f, OUTBOX_CREATE, rfan), 1);
}

static void followers_row(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob"),
		carol = member(f, "carol");
	int64_t dave = member(f, "dave");
	int64_t rfan = remote(f, "fan", "far.example"),
		rx = remote(f, "x", "far.example");
	int64_t rmention = remote(f, "pal", "near.example");
	follow_ok(f, bob, alice);
	follow_ok(f, rfan, alice);
	outbox_drain(f);
	int64_t p = post(f, alice, VIS_FOLLOWERS,
			 "for friends, and @carol and @pal@near.example too");

	assert_true(sees(f, bob, p));
	assert_true(sees(f, carol, p)); /* mentioned */
	assert_false(sees(f, dave, p));
	assert_true(sees(f, rfan, p));
	assert_true(sees(f, rmention, p));
	assert_false(sees(f, rx, p));
	assert_false(sees(f, 0, p));
	assert_true(in_timeline(f, bob, TL_HOME, 0, NULL, p));
	assert_false(in_timeline(f, dave, TL_PROFILE, alice, NULL, p));
	assert_false(in_timeline(f, carol, TL_CAMP, 0, NULL, p));
	assert_int_equal(outbox_count(f, OUTBOX_CREATE, rfan), 1);
	assert_int_equal(outbox_count(f, OUTBOX_CREATE, rmention), 1);
	assert_int_equal(outbox_count(f, OUTBOX_CREATE, rx), 0);
}

static void direct_row(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob"),
		carol = member(f, "carol");
	int64_t rfan = remote(f, "fan", "far.example"),
		rpal = remote(f, "pal", "near.example");
	follow_ok(f, bob, alice);
	follow_ok(f, rfan, alice);
	outbox_drain(f);
	int64_t p = post(f, alice, VIS_DIRECT, "@carol @pal@near.example secret plans");

	assert_true(sees(f, carol, p));
	assert_true(sees(f, rpal, p));
	assert_false(sees(f, bob, p)); /* a follower, not addressed */
	assert_false(sees(f, rfan, p));
	assert_false(sees(f, 0, p));
	assert_false(in_timeline(f, bob, TL_HOME, 0, NULL, p));
	assert_false(
		in_timeline(f, alice, TL_HOME, 0, NULL, p)); /* DMs have their view */
	assert_int_equal(outbox_count(f, OUTBOX_CREATE, rpal), 1);
	assert_int_equal(outbox_count(f, OUTBOX_CREATE, rfan), 0);
	/* Nobody to send it to is an error, not a post to oneself. */
	struct post_new req = {.author_id = alice,
			       .content = "to whom?",
			       .visibility = VIS_DIRECT,
			       .max_chars = 500,
			       .local_domain = DOMAIN};
	int64_t id;
	assert_int_equal(post_create(f->st, &req, &id, NULL), CAMP_EINVAL);
}

static void camp_row(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob");
	int64_t rfan = remote(f, "fan", "far.example"),
		rpal = remote(f, "pal", "near.example");
	follow_ok(f, rfan, alice);
	outbox_drain(f);
	int64_t p = post(f, alice, VIS_CAMP, "movie night, @pal@near.example?");

	assert_true(sees(f, bob, p));
	assert_false(sees(f, rfan, p)); /* a follower, but outside */
	assert_false(sees(f, rpal, p)); /* even mentioned */
	assert_false(sees(f, 0, p));
	assert_true(in_timeline(f, bob, TL_CAMP, 0, NULL, p));
	assert_false(in_timeline(f, bob, TL_FEDERATED, 0, NULL, p));
	assert_int_equal(outbox_count(f, 0, 0) + outbox_count(f, OUTBOX_CREATE, 0), 0);
	int yes, n;
	int64_t *ids;
	assert_int_equal(audience_may_federate(f->st, p, &yes), 0);
	assert_false(yes);
	assert_int_equal(audience_remote_recipients(f->st, p, &ids, &n), 0);
	assert_int_equal(n, 0);
	free(ids);
	/* Edits, boosts and deletes of it tell nobody outside either. */
	assert_int_equal(post_edit(f->st, alice, p, "movie night!", NULL, 500, DOMAIN),
			 0);
	int64_t b;
	assert_int_equal(post_boost(f->st, alice, p, NULL, &b), 0);
	assert_int_equal(post_unboost(f->st, alice, p), 0);
	assert_int_equal(post_fav(f->st, bob, p), 0);
	assert_int_equal(post_delete(f->st, alice, p), 0);
	struct outbox_item *items;
	assert_int_equal(outbox_pending(f->st, 100, &items, &n), 0);
	assert_int_equal(n, 0);
	outbox_items_free(items, n);
	/* A remote server cannot make a camp-only post. */
	struct post_new req = {.author_id = rfan,
			       .content = "sneaky",
			       .visibility = VIS_CAMP,
			       .uri = "https://far.example/1",
			       .local_domain = DOMAIN};
	int64_t id;
	assert_int_equal(post_create(f->st, &req, &id, NULL), CAMP_EINVAL);
}

static void neighborhood_row(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob");
	int64_t rfan = remote(f, "fan", "far.example");
	int64_t nbr = remote(f, "camp", "nbr.example"),
		nmember = remote(f, "nina", "nbr.example");
	follow_ok(f, rfan, alice);
	assert_int_equal(
		sqlite3_exec(store_db(f->st),
			     "INSERT INTO neighbors(domain, actor_uri, state, created_at)"
			     " VALUES ('nbr.example', 'https://nbr.example/users/camp',"
			     " 1, 0)",
			     NULL, NULL, NULL),
		SQLITE_OK);
	outbox_drain(f);
	int64_t p = post(f, alice, VIS_NEIGHBORHOOD, "hello neighbors");

	assert_true(sees(f, bob, p));
	assert_true(sees(f, nmember, p));
	assert_false(sees(f, rfan, p));
	assert_false(sees(f, 0, p));
	assert_true(in_timeline(f, bob, TL_CAMP, 0, NULL, p));
	assert_false(in_timeline(f, bob, TL_FEDERATED, 0, NULL, p));
	assert_int_equal(outbox_count(f, OUTBOX_CREATE, nbr), 1);
	assert_int_equal(outbox_count(f, OUTBOX_CREATE, rfan), 0);
}

static void reply_to_camp_post_is_camp_only(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob");
	int64_t p = post(f, alice, VIS_CAMP, "camp thing");
	struct post_new req = {.author_id = bob,
			       .content = "reply",
			       .visibility = -1,
			       .in_reply_to_id = p,
			       .max_chars = 500,
			       .local_domain = DOMAIN};
	struct post got;
	struct viewer *v;
	int64_t r1, r2;
	int flags;

	assert_int_equal(post_create(f->st, &req, &r1, &flags), 0);
	assert_int_equal(flags, 0);
	assert_int_equal(viewer_member(f->st, bob, &v), 0);
	assert_int_equal(post_get(f->st, v, r1, &got), 0);
	assert_int_equal(got.visibility, VIS_CAMP);
	assert_int_equal(got.in_reply_to_id, p);
	assert_string_equal(got.in_reply_to_author.username, "alice");
	post_free(&got);
	/* Widening is possible, and flagged so the client can warn. */
	req.visibility = VIS_PUBLIC;
	assert_int_equal(post_create(f->st, &req, &r2, &flags), 0);
	assert_int_equal(flags, POST_WIDENED);
	viewer_free(v);
	/* Replies never default wider than their parent. */
	int64_t fp = post(f, alice, VIS_FOLLOWERS, "followers thing");
	follow_ok(f, bob, alice);
	int64_t r3 = post_reply(f, bob, -1, "reply to followers", fp);
	assert_int_equal(viewer_member(f->st, bob, &v), 0);
	assert_int_equal(post_get(f->st, v, r3, &got), 0);
	assert_int_equal(got.visibility, VIS_FOLLOWERS);
	post_free(&got);
	viewer_free(v);
}

static void boosts_never_widen(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob"),
		carol = member(f, "carol");
	int64_t rfan = remote(f, "fan", "far.example");
	int64_t b;
	follow_ok(f, bob, alice);
	follow_ok(f, carol, bob);
	follow_ok(f, rfan, bob);
	int64_t pub = post(f, alice, VIS_PUBLIC, "public");
	int64_t fol = post(f, alice, VIS_FOLLOWERS, "followers");
	int64_t cmp = post(f, alice, VIS_CAMP, "camp");
	int64_t dm = post(f, alice, VIS_DIRECT, "@bob dm");
	outbox_drain(f);

	assert_int_equal(post_boost(f->st, bob, fol, NULL, &b), CAMP_EPERM);
	assert_int_equal(post_boost(f->st, bob, cmp, NULL, &b), CAMP_EPERM);
	assert_int_equal(post_boost(f->st, bob, dm, NULL, &b), CAMP_EPERM);
	assert_int_equal(post_boost(f->st, alice, dm, NULL, &b), CAMP_EPERM);
	int64_t again;
	assert_int_equal(post_boost(f->st, bob, pub, NULL, &b), 0);
	assert_int_equal(post_boost(f->st, bob, pub, NULL, &again), CAMP_EEXIST);
	assert_true(in_timeline(f, carol, TL_HOME, 0, NULL, b));
	assert_int_equal(outbox_count(f, OUTBOX_ANNOUNCE, rfan), 1);
	/* Alice may boost her own followers-only post: it stays with her
	 * followers, so carol (who follows only bob) sees nothing, and no
	 * server outside hears of it. */
	int64_t own;
	assert_int_equal(post_boost(f->st, alice, fol, NULL, &own), 0);
	assert_false(sees(f, carol, own));
	assert_true(sees(f, bob, own));
	assert_int_equal(post_boost(f->st, alice, cmp, NULL, &own), 0);
	assert_false(sees(f, rfan, own));
	assert_int_equal(outbox_count(f, OUTBOX_ANNOUNCE, 0), 1);
	/* A boost is seen only with its post. */
	assert_int_equal(block_set(f->st, alice, carol, 1), 0);
	assert_false(sees(f, carol, b));
	assert_false(in_timeline(f, carol, TL_HOME, 0, NULL, b));
}

static void blocks_hide_both_ways(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob");
	int64_t rtroll = remote(f, "troll", "far.example");
	enum follow_state s;
	follow_ok(f, bob, alice);
	follow_ok(f, alice, bob);
	follow_ok(f, rtroll, alice);
	int64_t pa = post(f, alice, VIS_PUBLIC, "alice");
	int64_t pb = post(f, bob, VIS_PUBLIC, "bob");
	outbox_drain(f);

	assert_int_equal(block_set(f->st, alice, bob, 1), 0);
	assert_false(sees(f, bob, pa));
	assert_false(sees(f, alice, pb));
	assert_int_equal(follow_get(f->st, bob, alice, &s), 0);
	assert_int_equal(s, FOLLOW_NONE);
	assert_int_equal(follow_get(f->st, alice, bob, &s), 0);
	assert_int_equal(s, FOLLOW_NONE);
	assert_false(in_timeline(f, bob, TL_CAMP, 0, NULL, pa));
	assert_false(in_timeline(f, bob, TL_HOME, 0, NULL, pa));
	assert_int_equal(follow_request(f->st, bob, alice, NULL, &s), CAMP_EPERM);
	/* Blocking a remote account drops its follow and tells its server. */
	assert_int_equal(block_set(f->st, alice, rtroll, 1), 0);
	assert_false(sees(f, rtroll, pa));
	assert_int_equal(outbox_count(f, OUTBOX_BLOCK, rtroll), 1);
	int64_t *ids;
	int n;
	assert_int_equal(audience_remote_recipients(
				 f->st, post(f, alice, VIS_PUBLIC, "x"), &ids, &n),
			 0);
	assert_int_equal(n, 0);
	free(ids);
	/* Unblocking shows posts again. */
	assert_int_equal(block_set(f->st, alice, bob, 0), 0);
	assert_true(sees(f, bob, pa));
}

static void mutes_hide_without_telling(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob");
	struct notification_list nl;
	struct viewer *v;
	follow_ok(f, alice, bob);
	int64_t p = post(f, bob, VIS_PUBLIC, "hi @alice");

	assert_int_equal(mute_set(f->st, alice, bob, 1), 0);
	assert_true(sees(f, alice, p));
	assert_false(in_timeline(f, alice, TL_HOME, 0, NULL, p));
	assert_false(in_timeline(f, alice, TL_CAMP, 0, NULL, p));
	assert_true(in_timeline(f, alice, TL_PROFILE, bob, NULL, p));
	assert_int_equal(viewer_member(f->st, alice, &v), 0);
	assert_int_equal(notifications_get(f->st, v, 0, 50, &nl), 0);
	assert_int_equal(nl.n, 0);
	notification_list_free(&nl);
	viewer_free(v);
	assert_int_equal(mute_set(f->st, alice, bob, 0), 0);
	assert_true(in_timeline(f, alice, TL_HOME, 0, NULL, p));
	assert_int_equal(outbox_count(f, 0, 0), 0);
}

static void locked_members_approve_followers(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob");
	enum follow_state s;
	int64_t *ids;
	int n;

	assert_int_equal(sqlite3_exec(store_db(f->st),
				      "UPDATE accounts SET locked = 1"
				      " WHERE username = 'alice'",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	int64_t p = post(f, alice, VIS_FOLLOWERS, "inner circle");
	assert_int_equal(follow_request(f->st, bob, alice, NULL, &s), 0);
	assert_int_equal(s, FOLLOW_PENDING);
	assert_false(sees(f, bob, p));
	assert_int_equal(follow_requests_list(f->st, alice, &ids, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], bob);
	free(ids);
	assert_int_equal(follow_accept(f->st, alice, bob), 0);
	assert_true(sees(f, bob, p));
	assert_true(in_timeline(f, bob, TL_HOME, 0, NULL, p)); /* backfilled */
	assert_int_equal(unfollow(f->st, bob, alice), 0);
	assert_false(sees(f, bob, p));
	assert_false(in_timeline(f, bob, TL_HOME, 0, NULL, p));
}

static void remote_follows_are_pending_until_accepted(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), rbob = remote(f, "bob", "far.example");
	enum follow_state s;
	char *uri;

	assert_int_equal(follow_request(f->st, alice, rbob, NULL, &s), 0);
	assert_int_equal(s, FOLLOW_PENDING);
	assert_int_equal(outbox_count(f, OUTBOX_FOLLOW, rbob), 1);
	int64_t rp = post(f, rbob, VIS_PUBLIC, "remote hello");
	assert_false(in_timeline(f, alice, TL_HOME, 0, NULL, rp));
	assert_int_equal(follow_accept(f->st, rbob, alice), 0);
	assert_true(in_timeline(f, alice, TL_HOME, 0, NULL, rp));
	assert_true(in_timeline(f, alice, TL_FEDERATED, 0, NULL, rp));
	assert_int_equal(unfollow(f->st, alice, rbob), 0);
	assert_int_equal(outbox_count(f, OUTBOX_UNDO_FOLLOW, rbob), 1);
	/* A remote follow of a member is accepted at once, with its id kept. */
	assert_int_equal(
		follow_request(f->st, rbob, alice, "https://far.example/f/1", &s), 0);
	assert_int_equal(s, FOLLOW_ACCEPTED);
	assert_int_equal(follow_uri(f->st, rbob, alice, &uri), 0);
	assert_string_equal(uri, "https://far.example/f/1");
	free(uri);
	assert_int_equal(outbox_count(f, OUTBOX_ACCEPT, rbob), 1);
}

static void notifications_for_every_kind(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob");
	struct notification_list nl;
	struct viewer *v;
	int64_t b, unread;
	enum follow_state s;

	assert_int_equal(follow_request(f->st, bob, alice, NULL, &s), 0);
	int64_t p = post(f, alice, VIS_PUBLIC, "a post");
	post(f, bob, VIS_PUBLIC, "hey @alice");
	post_reply(f, bob, -1, "a reply", p);
	assert_int_equal(post_boost(f->st, bob, p, NULL, &b), 0);
	assert_int_equal(post_fav(f->st, bob, p), 0);
	assert_int_equal(post_fav(f->st, bob, p), CAMP_EEXIST);
	post(f, alice, VIS_PUBLIC, "talking to myself @alice");

	assert_int_equal(viewer_member(f->st, alice, &v), 0);
	assert_int_equal(notifications_unread(f->st, v, &unread), 0);
	assert_int_equal(unread, 5);
	assert_int_equal(notifications_get(f->st, v, 0, 50, &nl), 0);
	assert_int_equal(nl.n, 5);
	assert_int_equal(nl.items[0].kind, NOTIFY_FAVOURITE);
	assert_int_equal(nl.items[1].kind, NOTIFY_BOOST);
	assert_int_equal(nl.items[2].kind, NOTIFY_REPLY);
	assert_int_equal(nl.items[3].kind, NOTIFY_MENTION);
	assert_int_equal(nl.items[4].kind, NOTIFY_FOLLOW);
	assert_string_equal(nl.items[3].from.username, "bob");
	assert_non_null(nl.items[3].post);
	assert_null(nl.items[4].post);
	assert_true(nl.items[0].unread);
	notification_list_free(&nl);
	/* Pages go on from where the last one stopped, and end. */
	struct notification_list p1, p2;
	assert_int_equal(notifications_get(f->st, v, 0, 3, &p1), 0);
	assert_int_equal(p1.n, 3);
	assert_true(p1.next_max_id > 0);
	assert_int_equal(notifications_get(f->st, v, p1.next_max_id, 3, &p2), 0);
	assert_int_equal(p2.n, 2);
	assert_int_equal(p2.items[0].kind, NOTIFY_MENTION);
	assert_int_equal(p2.next_max_id, 0);
	notification_list_free(&p1);
	notification_list_free(&p2);
	assert_int_equal(notifications_mark_read(f->st, alice, 0), 0);
	assert_int_equal(notifications_unread(f->st, v, &unread), 0);
	assert_int_equal(unread, 0);
	viewer_free(v);
}

static void text_finds_mentions_tags_and_links(void **state)
{
	struct camp_fixture *f = *state;
	struct entity *e;
	int n;
	int64_t bob = member(f, "bob");
	remote(f, "Zed", "far.example");

	const char *text =
		"Hi @bob, @nobody and @zed@far.example! See https://x.test/a_(b). "
		"#Caf\xc3\xa9 #\xe6\x97\xa5\xe6\x9c\xac #123 mail a@bob.test "
		"@bob@camp.test #Tag_2";
	assert_int_equal(text_parse(f->st, text, DOMAIN, &e, &n), 0);
	assert_int_equal(n, 7);
	assert_int_equal(e[0].kind, ENTITY_MENTION);
	assert_string_equal(e[0].value, "bob");
	assert_int_equal(e[0].account_id, bob);
	assert_int_equal(e[0].start, 3);
	assert_int_equal(e[0].end, 7);
	assert_int_equal(e[1].kind, ENTITY_MENTION);
	assert_string_equal(e[1].value, "Zed@far.example");
	assert_int_equal(e[2].kind, ENTITY_URL);
	assert_string_equal(e[2].value, "https://x.test/a_(b)");
	assert_int_equal(e[3].kind, ENTITY_TAG);
	assert_string_equal(e[3].value, "caf\xc3\xa9");
	assert_string_equal(e[4].value, "\xe6\x97\xa5\xe6\x9c\xac");
	assert_int_equal(e[5].kind, ENTITY_MENTION); /* @bob@camp.test is bob */
	assert_int_equal(e[5].account_id, bob);
	assert_string_equal(e[6].value, "tag_2");
	entities_free(e, n);
}

static void hashtags_are_case_insensitive(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice");
	int64_t p1 = post(f, alice, VIS_PUBLIC, "#MovieNight soon");
	int64_t p2 = post(f, alice, VIS_CAMP, "#movienight snacks?");
	int64_t p3 = post(f, alice, VIS_PUBLIC, "#movienights is another tag");

	assert_true(in_timeline(f, alice, TL_HASHTAG, 0, "movienight", p1));
	assert_true(in_timeline(f, alice, TL_HASHTAG, 0, "movienight", p2));
	assert_false(in_timeline(f, alice, TL_HASHTAG, 0, "movienight", p3));
}

static void posts_are_validated(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), id;
	struct post_new req = {.author_id = alice,
			       .visibility = VIS_PUBLIC,
			       .max_chars = 10,
			       .local_domain = DOMAIN};
	char big[64];

	req.content = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e 123456"; /* 10 code points */
	assert_int_equal(post_create(f->st, &req, &id, NULL), 0);
	req.content = "12345678901";
	assert_int_equal(post_create(f->st, &req, &id, NULL), CAMP_ETOOBIG);
	assert_non_null(strstr(err_last(), "11 characters"));
	req.content = "bad \xc3\x28 byte";
	assert_int_equal(post_create(f->st, &req, &id, NULL), CAMP_EINVAL);
	assert_non_null(strstr(err_last(), "UTF-8"));
	req.content = "  \n ";
	assert_int_equal(post_create(f->st, &req, &id, NULL), CAMP_EINVAL);
	req.content = "ok";
	req.cw = "spoilers!!";
	assert_int_equal(post_create(f->st, &req, &id, NULL), CAMP_ETOOBIG);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	req.cw = NULL;
	req.content = big;
	req.max_chars = 500;
	req.in_reply_to_id = 999999;
	assert_int_equal(post_create(f->st, &req, &id, NULL), CAMP_ENOENT);
}

static void edits_keep_history(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob"),
		carol = member(f, "carol");
	struct post_version *h;
	struct viewer *v;
	struct post p;
	int n;
	int64_t id = post(f, alice, VIS_PUBLIC, "frist");

	assert_int_equal(post_edit(f->st, bob, id, "mine now", NULL, 500, DOMAIN),
			 CAMP_EPERM);
	assert_int_equal(
		post_edit(f->st, alice, id, "first, @carol", "typo", 500, DOMAIN), 0);
	assert_int_equal(viewer_member(f->st, bob, &v), 0);
	assert_int_equal(post_get(f->st, v, id, &p), 0);
	assert_string_equal(p.content, "first, @carol");
	assert_string_equal(p.cw, "typo");
	assert_true(p.edited_at > 0);
	assert_int_equal(p.nentities, 1);
	post_free(&p);
	assert_int_equal(post_history(f->st, v, id, &h, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(h[0].content, "frist");
	post_history_free(h, n);
	viewer_free(v);
	/* The newly mentioned member hears of it. */
	struct notification_list nl;
	assert_int_equal(viewer_member(f->st, carol, &v), 0);
	assert_int_equal(notifications_get(f->st, v, 0, 10, &nl), 0);
	assert_int_equal(nl.n, 1);
	assert_int_equal(nl.items[0].kind, NOTIFY_MENTION);
	notification_list_free(&nl);
	viewer_free(v);
}

static void deletes_reach_everywhere(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob");
	int64_t rfan = remote(f, "fan", "far.example");
	struct notification_list nl;
	struct viewer *v;
	int64_t b;
	follow_ok(f, bob, alice);
	follow_ok(f, rfan, alice);
	int64_t p = post(f, alice, VIS_PUBLIC, "oops @bob");
	int64_t reply = post_reply(f, bob, -1, "ha", p);
	assert_int_equal(post_boost(f->st, bob, p, NULL, &b), 0);
	outbox_drain(f);

	assert_int_equal(post_delete(f->st, bob, p), CAMP_EPERM);
	assert_int_equal(post_delete(f->st, alice, p), 0);
	assert_false(in_timeline(f, bob, TL_HOME, 0, NULL, p));
	assert_false(in_timeline(f, bob, TL_HOME, 0, NULL, b)); /* the boost went too */
	assert_true(sees(f, bob, reply));			/* replies stay */
	assert_int_equal(viewer_member(f->st, bob, &v), 0);
	assert_int_equal(notifications_get(f->st, v, 0, 10, &nl), 0);
	assert_int_equal(nl.n, 0);
	notification_list_free(&nl);
	viewer_free(v);
	assert_int_equal(outbox_count(f, OUTBOX_DELETE, rfan), 1);
	assert_int_equal(post_delete(f->st, alice, p), CAMP_ENOENT);
}

static void timelines_page_by_id(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), ids[30];
	struct timeline_query q = {TL_CAMP, 0, NULL, 0, 10};
	struct post_list l;
	struct viewer *v;

	for (int i = 0; i < 30; i++) {
		char text[32];
		snprintf(text, sizeof text, "post %d", i);
		ids[i] = post(f, alice, i % 3 == 0 ? VIS_UNLISTED : VIS_CAMP, text);
	}
	assert_int_equal(viewer_member(f->st, alice, &v), 0);
	int seen = 0;
	do {
		assert_int_equal(timeline_get(f->st, v, &q, &l), 0);
		for (int i = 0; i < l.n; i++) {
			int64_t want = 0;
			for (int k = 29, skip = seen + i; k >= 0; k--)
				if (k % 3 != 0 && skip-- == 0) {
					want = ids[k];
					break;
				}
			assert_int_equal(l.items[i].id, want);
		}
		seen += l.n;
		q.max_id = l.next_max_id;
		post_list_free(&l);
	} while (q.max_id);
	assert_int_equal(seen, 20);
	viewer_free(v);
}

static void threads_show_ancestors_and_replies(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob"),
		carol = member(f, "carol");
	struct post_list anc, desc;
	struct post focus;
	struct viewer *v;
	int64_t root = post(f, alice, VIS_PUBLIC, "root");
	int64_t a = post_reply(f, bob, -1, "a", root);
	int64_t b = post_reply(f, carol, -1, "b", a);
	int64_t c = post_reply(f, alice, VIS_DIRECT, "c (private to bob)", a);
	int64_t d = post_reply(f, alice, -1, "d", root);

	assert_int_equal(viewer_member(f->st, carol, &v), 0);
	assert_int_equal(thread_get(f->st, v, a, &anc, &focus, &desc), 0);
	assert_int_equal(anc.n, 1);
	assert_int_equal(anc.items[0].id, root);
	assert_int_equal(focus.id, a);
	assert_int_equal(focus.replies, 1); /* c is counted only for whom it may reach */
	assert_int_equal(desc.n, 1);	    /* c is not carol's to see */
	assert_int_equal(desc.items[0].id, b);
	assert_int_equal(desc.items[0].depth, 1);
	post_list_free(&anc);
	post_list_free(&desc);
	post_free(&focus);
	assert_int_equal(thread_get(f->st, v, root, &anc, &focus, &desc), 0);
	assert_int_equal(anc.n, 0);
	assert_int_equal(desc.n, 3);
	assert_int_equal(desc.items[0].id, a);
	assert_int_equal(desc.items[1].id, b);
	assert_int_equal(desc.items[1].depth, 2);
	assert_int_equal(desc.items[2].id, d);
	post_list_free(&anc);
	post_list_free(&desc);
	post_free(&focus);
	assert_true(sees(f, bob, c));
	/* A reply names its parent only to whoever may see the parent. */
	int64_t secret = post(f, alice, VIS_DIRECT, "@bob secret");
	int64_t open_reply = post_reply(f, bob, VIS_PUBLIC, "replying in public", secret);
	struct post seen;
	assert_int_equal(post_get(f->st, v, open_reply, &seen), 0);
	assert_int_equal(seen.in_reply_to_id, 0);
	assert_int_equal(seen.in_reply_to_author.id, 0);
	post_free(&seen);
	viewer_free(v);
}

static void dms_group_into_conversations(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob"),
		carol = member(f, "carol");
	struct conversation_list cl;
	struct post_list pl;
	struct viewer *v;

	int64_t d1 = post(f, alice, VIS_DIRECT, "@bob hi bob");
	post_reply(f, bob, -1, "hi alice", d1); /* direct by default, to alice */
	post(f, alice, VIS_DIRECT, "@bob @carol group chat");
	post(f, alice, VIS_DIRECT, "@bob again");

	assert_int_equal(viewer_member(f->st, bob, &v), 0);
	assert_int_equal(dm_conversations(f->st, v, 20, &cl), 0);
	assert_int_equal(cl.n, 2);
	assert_int_equal(cl.items[0].count, 3);
	assert_int_equal(cl.items[0].nwith, 1);
	assert_string_equal(cl.items[0].with[0].username, "alice");
	assert_string_equal(cl.items[0].last.content, "@bob again");
	assert_int_equal(cl.items[1].nwith, 2);
	assert_int_equal(dm_conversation_posts(f->st, v, cl.items[0].last.id, 0, 50, &pl),
			 0);
	assert_int_equal(pl.n, 3);
	post_list_free(&pl);
	conversation_list_free(&cl);
	viewer_free(v);
	assert_int_equal(viewer_member(f->st, carol, &v), 0);
	assert_int_equal(dm_conversations(f->st, v, 20, &cl), 0);
	assert_int_equal(cl.n, 1);
	conversation_list_free(&cl);
	viewer_free(v);
}

static void directory_lists_members(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob");
	struct directory_entry *e;
	int n;
	remote(f, "zed", "far.example");
	follow_ok(f, bob, alice);
	assert_int_equal(
		account_update_profile(f->st, bob, "Bob B.", "I like trains", -1), 0);
	post(f, bob, VIS_PUBLIC, "toot");

	assert_int_equal(directory_list(f->st, alice, &e, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(e[1].account.username, "bob");
	assert_string_equal(e[1].account.bio, "I like trains");
	assert_true(e[1].follows_you);
	assert_false(e[1].you_follow);
	assert_int_equal(e[1].posts, 1);
	directory_free(e, n);
}

static void leaving_removes_posts_and_keeps_others_safe(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob");
	int64_t rfan = remote(f, "fan", "far.example");
	struct account a;
	int64_t count;
	follow_ok(f, rfan, alice);
	follow_ok(f, bob, alice);
	int64_t p = post(f, alice, VIS_PUBLIC, "bye");
	int64_t reply = post_reply(f, bob, -1, "no don't go", p);
	outbox_drain(f);

	assert_int_equal(account_delete(f->st, alice), 0);
	assert_int_equal(account_count_members(f->st, &count), 0);
	assert_int_equal(count, 1);
	assert_false(in_timeline(f, bob, TL_HOME, 0, NULL, p));
	assert_true(sees(f, bob, reply));
	assert_int_equal(outbox_count(f, OUTBOX_DELETE_PERSON, rfan), 1);
	/* The name stays taken; no key logs in. */
	assert_int_equal(account_get_member(f->st, "alice", &a), 0);
	assert_true(a.deleted_at > 0);
	account_free(&a);
	int64_t owner;
	assert_int_equal(key_owner(f->st, "SHA256:k1", &owner), CAMP_ENOENT);
}

static void remote_posts_from_federation(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), rbob = remote(f, "bob", "far.example");
	int64_t p = post(f, alice, VIS_PUBLIC, "hello fediverse");
	int64_t mention = alice;
	const char *tags[] = {"Fediverse"};
	struct post_new req = {.author_id = rbob,
			       .content = "hi alice",
			       .visibility = VIS_PUBLIC,
			       .in_reply_to_id = p,
			       .uri = "https://far.example/n/1",
			       .url = "https://far.example/@bob/1",
			       .created_at = 1000,
			       .extra_mentions = &mention,
			       .nextra_mentions = 1,
			       .extra_tags = tags,
			       .nextra_tags = 1,
			       .local_domain = DOMAIN};
	int64_t id, again;

	assert_int_equal(post_create(f->st, &req, &id, NULL), 0);
	assert_int_equal(post_create(f->st, &req, &again, NULL), CAMP_EEXIST);
	assert_int_equal(post_find_uri(f->st, "https://far.example/n/1", &again), 0);
	assert_int_equal(again, id);
	assert_true(in_timeline(f, alice, TL_HASHTAG, 0, "fediverse", id));
	struct viewer *v;
	struct post got;
	assert_int_equal(viewer_member(f->st, alice, &v), 0);
	assert_int_equal(post_get(f->st, v, id, &got), 0);
	assert_int_equal(got.created_at, 1000);
	assert_string_equal(got.author.domain, "far.example");
	assert_int_equal(got.local, 0);
	post_free(&got);
	struct notification_list nl;
	assert_int_equal(notifications_get(f->st, v, 0, 10, &nl), 0);
	assert_int_equal(nl.n, 1);
	assert_int_equal(nl.items[0].kind, NOTIFY_REPLY);
	notification_list_free(&nl);
	viewer_free(v);
	/* Remote actions never produce outbox items. */
	int64_t b;
	assert_int_equal(post_boost(f->st, rbob, p, "https://far.example/a/1", &b), 0);
	assert_int_equal(post_fav(f->st, rbob, p), 0);
	assert_int_equal(outbox_count(f, 0, 0) + outbox_count(f, OUTBOX_LIKE, 0), 0);
}

/* A remote reply to a group DM goes only where its server sent it: the
 * conversation's other members are not added (found in review). */
static void remote_replies_are_never_widened(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), carol = member(f, "carol");
	int64_t frank = remote(f, "frank", "far.example");
	int64_t dm = post(f, alice, VIS_DIRECT, "@carol @frank@far.example plans?");
	struct post_new req = {.author_id = frank,
			       .content = "@carol is a bore",
			       .visibility = VIS_DIRECT,
			       .in_reply_to_id = dm,
			       .uri = "https://far.example/n/9",
			       .local_domain = DOMAIN,
			       .extra_mentions = &alice,
			       .nextra_mentions = 1};
	struct notification_list nl;
	struct viewer *v;
	int64_t id;

	assert_int_equal(post_create(f->st, &req, &id, NULL), 0);
	assert_true(sees(f, alice, id));
	assert_false(sees(f, carol, id)); /* named in the text, not addressed */
	assert_int_equal(viewer_member(f->st, carol, &v), 0);
	assert_int_equal(notifications_get(f->st, v, 0, 10, &nl), 0);
	for (int i = 0; i < nl.n; i++)
		assert_true(nl.items[i].post == NULL || nl.items[i].post->id != id);
	notification_list_free(&nl);
	viewer_free(v);
	/* alice hears of the reply. */
	assert_int_equal(viewer_member(f->st, alice, &v), 0);
	assert_int_equal(notifications_get(f->st, v, 0, 10, &nl), 0);
	assert_int_equal(nl.n, 1);
	assert_int_equal(nl.items[0].kind, NOTIFY_REPLY);
	notification_list_free(&nl);
	viewer_free(v);
}

/* An actor is its uri: another actor with the same name on the same
 * server cannot take over its account (found in review). */
static void remote_accounts_are_their_uri(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = remote(f, "bob", "lemmy.example"),
		other;
	enum follow_state s;

	assert_int_equal(follow_request(f->st, bob, alice, NULL, &s), 0);
	assert_int_equal(account_upsert_remote(f->st, "https://lemmy.example/c/bob",
					       "bob", "lemmy.example", "Bob's group", "",
					       0, &other),
			 CAMP_EEXIST);
	assert_int_equal(account_upsert_remote(f->st, "https://lemmy.example/users/bob",
					       "bob", "lemmy.example", "Bob again", "", 0,
					       &other),
			 0);
	assert_int_equal(other, bob);
	assert_int_equal(follow_get(f->st, bob, alice, &s), 0);
	assert_int_equal(s, FOLLOW_ACCEPTED);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, camp_setup, camp_teardown)
	const struct CMUnitTest tests[] = {
		T(public_row),
		T(unlisted_row),
		T(followers_row),
		T(direct_row),
		T(camp_row),
		T(neighborhood_row),
		T(reply_to_camp_post_is_camp_only),
		T(boosts_never_widen),
		T(blocks_hide_both_ways),
		T(mutes_hide_without_telling),
		T(locked_members_approve_followers),
		T(remote_follows_are_pending_until_accepted),
		T(notifications_for_every_kind),
		T(text_finds_mentions_tags_and_links),
		T(hashtags_are_case_insensitive),
		T(posts_are_validated),
		T(edits_keep_history),
		T(deletes_reach_everywhere),
		T(timelines_page_by_id),
		T(threads_show_ancestors_and_replies),
		T(dms_group_into_conversations),
		T(directory_lists_members),
		T(leaving_removes_posts_and_keeps_others_safe),
		T(remote_posts_from_federation),
		T(remote_replies_are_never_widened),
		T(remote_accounts_are_their_uri),
	};
	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
