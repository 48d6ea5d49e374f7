/*
 * test-store.c: the database foundation: schema and migrations, members,
 * keys, invites and joining, settings, transactions, backups.  Each test
 * gets a fresh temporary database.
 */
#include "tests/unit/unit.h"

#include <sys/wait.h>

#include "store/store-private.h" /* tests look under the hood */

struct fixture {
	char *dir;
	char *path;
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);

	f->dir = unit_tmpdir();
	f->path = xasprintf("%s/camp.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->st), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	free(f->path);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

static int64_t member_count(struct store *st)
{
	int64_t n = -1;

	assert_int_equal(account_count_members(st, &n), 0);
	return n;
}

/* A join request with a made-up key; fp must be unique per member. */
static struct join_request join_req(const char *code, const char *name, const char *fp)
{
	struct join_request req = {
		.code = code,
		.username = name,
		.display_name = NULL,
		.key_type = "ssh-ed25519",
		.key_base64 = "AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests",
		.key_fingerprint = fp,
		.max_members = 100,
		.accept_coc = 1,
	};
	return req;
}

static int64_t join_ok(struct store *st, const char *name, const char *fp)
{
	char code[INVITE_CODE_LEN];
	int64_t id = 0;

	assert_int_equal(invite_create(st, 0, 0, "hello", 0, code), 0);
	struct join_request req = join_req(code, name, fp);
	assert_int_equal(store_join(st, &req, &id), 0);
	assert_true(id > 0);
	return id;
}

static void fresh_database_has_latest_schema(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_schema_version(f->st), store_schema_latest());
	assert_int_equal(member_count(f->st), 0);
}

static void opening_without_create_needs_a_file(void **state)
{
	struct store *st = NULL;

	assert_int_equal(store_open("/nonexistent/camp.db", 0, &st), CAMP_ENOENT);
	assert_null(st);
}

static void older_database_is_backed_up_then_migrated(void **state)
{
	struct fixture *f = *state;
	char *path = xasprintf("%s/old.db", f->dir);
	char *bak = xasprintf("%s.bak-v1", path);
	struct store *st;
	struct account a;
	int64_t id;

	assert_int_equal(store_open_upto(path, 1, &st), 0);
	assert_int_equal(store_schema_version(st), 1);
	/* Written as a camp of schema 1 would have: this binary's queries
	 * expect the newest schema. */
	assert_int_equal(sqlite3_exec(store_db(st),
				      "INSERT INTO accounts(username, created_at)"
				      " VALUES ('early', 1)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	id = sqlite3_last_insert_rowid(store_db(st));
	store_close(st);

	assert_int_equal(store_open(path, 0, &st), 0);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	assert_int_equal(account_get(st, id, &a), 0);
	assert_string_equal(a.username, "early");
	account_free(&a);
	store_close(st);
	/* The copy exists exactly when there was something to migrate. */
	assert_int_equal(access(bak, F_OK) == 0, store_schema_latest() > 1);
	free(path);
	free(bak);
}

/* Opens a database of schema version v at path and runs sql in it, as a
 * camp of that version would have written it. */
static void old_database(const char *path, int v, const char *sql)
{
	struct store *st;

	assert_int_equal(store_open_upto(path, v, &st), 0);
	assert_int_equal(store_schema_version(st), v);
	if (sqlite3_exec(store_db(st), sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s", sqlite3_errmsg(store_db(st)));
	store_close(st);
}

/* Activity ids seen before migration 4 are kept, now per actor: the same
 * id from another actor is a new activity, not a repeat. */
static void seen_ids_become_per_actor(void **state)
{
	struct fixture *f = *state;
	char *path = xasprintf("%s/v3.db", f->dir);
	char *type, *object;
	struct store *st;
	int seen = -1;

	old_database(path, 3,
		     "INSERT INTO fed_seen(activity_id, type, actor_id, object,"
		     " received_at) VALUES ('https://r.test/1', 'Like', 7,"
		     " 'https://c.test/posts/1', 1)");
	assert_int_equal(store_open(path, 0, &st), 0);
	assert_int_equal(inbox_seen_get(st, 7, "https://r.test/1", &type, &object), 0);
	assert_string_equal(type, "Like");
	assert_string_equal(object, "https://c.test/posts/1");
	free(type);
	free(object);
	assert_int_equal(inbox_seen_get(st, 8, "https://r.test/1", &type, &object),
			 CAMP_ENOENT);
	assert_int_equal(inbox_seen_add(st, "https://r.test/1", "Like", 7, "x", &seen),
			 0);
	assert_int_equal(seen, 1);
	assert_int_equal(inbox_seen_add(st, "https://r.test/1", "Delete", 8, "y", &seen),
			 0);
	assert_int_equal(seen, 0);
	assert_int_equal(inbox_seen_get(st, 8, "https://r.test/1", &type, &object), 0);
	assert_string_equal(type, "Delete");
	free(type);
	free(object);
	store_close(st);
	free(path);
}

/* Migration 5: a key id names one actor.  Keys not under their actor's
 * id are forgotten (a squatter's), the rest kept, and a second actor can
 * no longer hold the same key id. */
static void squatted_key_ids_are_forgotten(void **state)
{
	struct fixture *f = *state;
	char *path = xasprintf("%s/v4.db", f->dir);
	struct remote_actor ra;
	struct store *st;

	old_database(
		path, 4,
		"INSERT INTO accounts(id, username, domain, created_at, uri) VALUES"
		" (10, 'eve', 'evil.test', 1, 'https://evil.test/users/eve'),"
		" (11, 'bob', 'r.test', 1, 'https://r.test/users/bob'),"
		" (12, 'gts', 'g.test', 1, 'https://g.test/users/gts'),"
		" (13, 'root', 'k.test', 1, 'https://k.test/');"
		"INSERT INTO fed_actors(account_id, inbox, key_id, key_pem, fetched_at)"
		" VALUES (10, 'i', 'https://r.test/users/bob#main-key', 'EVE', 5),"
		" (11, 'i', 'https://r.test/users/bob#main-key', 'BOB', 5),"
		" (12, 'i', 'https://g.test/users/gts/main-key', 'GTS', 5),"
		" (13, 'i', 'https://k.test/#key', 'ROOT', 5);");
	assert_int_equal(store_open(path, 0, &st), 0);
	assert_int_equal(
		remote_actor_by_key(st, "https://r.test/users/bob#main-key", &ra), 0);
	assert_int_equal(ra.account_id, 11);
	assert_string_equal(ra.key_pem, "BOB");
	remote_actor_free(&ra);
	assert_int_equal(remote_actor_get(st, 10, &ra), 0);
	assert_null(ra.key_id);
	assert_int_equal(ra.fetched_at, 0);
	remote_actor_free(&ra);
	assert_int_equal(
		remote_actor_by_key(st, "https://g.test/users/gts/main-key", &ra), 0);
	remote_actor_free(&ra);
	assert_int_equal(remote_actor_by_key(st, "https://k.test/#key", &ra), 0);
	remote_actor_free(&ra);
	assert_int_not_equal(sqlite3_exec(store_db(st),
					  "UPDATE fed_actors SET key_id ="
					  " 'https://r.test/users/bob#main-key'"
					  " WHERE account_id = 12",
					  NULL, NULL, NULL),
			     SQLITE_OK);
	store_close(st);
	free(path);
}

static void newer_database_is_refused(void **state)
{
	struct fixture *f = *state;
	struct store *st = NULL;
	char sql[64], want[64];

	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", store_schema_latest() + 5);
	assert_int_equal(sqlite3_exec(store_db(f->st), sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_open(f->path, 0, &st), CAMP_EVERSION);
	assert_null(st);
	snprintf(want, sizeof want, "schema version %d", store_schema_latest() + 5);
	assert_non_null(strstr(err_last(), want));
	snprintf(want, sizeof want, "up to %d", store_schema_latest());
	assert_non_null(strstr(err_last(), want));
}

static void usernames_follow_the_mastodon_rule(void **state)
{
	const char *good[] = {"alice", "Bob", "a_b",
			      "a.b",   "a-b", "a..b",
			      "x1",    "_",   "a23456789012345678901234567890"};
	const char *bad[] = {"",       ".a",	       "a.",
			     "-a",     "a-",	       "al ice",
			     "al@ice", "\xc3\xa9mile", "a234567890123456789012345678901"};

	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		assert_int_equal(username_check(good[i]), 0);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		assert_int_equal(username_check(bad[i]), CAMP_EINVAL);
}

static void join_creates_member_and_spends_invite(void **state)
{
	struct fixture *f = *state;
	char code[INVITE_CODE_LEN];
	struct invite inv;
	struct account a;
	int64_t id, owner;

	assert_int_equal(invite_create(f->st, 0, 1, "Welcome, Ada!", 0, code), 0);
	assert_int_equal(strlen(code), INVITE_CODE_LEN - 1);
	struct join_request req = join_req(code, "Ada", "SHA256:ada");
	req.display_name = "Ada L.";
	assert_int_equal(store_join(f->st, &req, &id), 0);

	assert_int_equal(account_get_member(f->st, "ADA", &a), 0);
	assert_int_equal(a.id, id);
	assert_string_equal(a.username, "ada");
	assert_string_equal(a.display_name, "Ada L.");
	assert_string_equal(a.welcome_note, "Welcome, Ada!");
	assert_int_equal(a.is_admin, 1);
	assert_true(a.coc_accepted_at > 0);
	assert_int_equal(a.onboarded_at, 0);
	assert_null(a.domain);
	account_free(&a);
	assert_int_equal(key_lookup(f->st, "ada", "SHA256:ada", &owner), 0);
	assert_int_equal(owner, id);
	/* Codes are matched without regard to case or dashes. */
	char loose[INVITE_CODE_LEN];
	size_t n = 0;
	for (const char *p = code; *p; p++)
		if (*p != '-')
			loose[n++] = (char)(*p - 32 * (*p >= 'a' && *p <= 'z'));
	loose[n] = '\0';
	assert_int_equal(invite_get(f->st, loose, &inv), 0);
	assert_true(inv.used_at > 0);
	assert_int_equal(inv.used_by, id);
	invite_free(&inv);
}

/* Each refusal leaves the camp exactly as it was. */
static void assert_join_refused(struct store *st, struct join_request *req, int code,
				const char *msg)
{
	int64_t before = member_count(st), id = 0;
	struct invite inv;

	assert_int_equal(store_join(st, req, &id), code);
	assert_non_null(strstr(err_last(), msg));
	assert_int_equal(member_count(st), before);
	if (invite_get(st, req->code, &inv) == 0) {
		if (strstr(msg, "already been used") == NULL)
			assert_int_equal(inv.used_at, 0);
		invite_free(&inv);
	}
}

static void join_refusals_change_nothing(void **state)
{
	struct fixture *f = *state;
	char code[INVITE_CODE_LEN], used[INVITE_CODE_LEN];
	struct join_request req;

	join_ok(f->st, "taken", "SHA256:taken");
	assert_int_equal(invite_create(f->st, 0, 0, NULL, 0, code), 0);

	req = join_req("aaaaa-bbbbb-ccccc-ddddd", "newbie", "SHA256:n");
	assert_join_refused(f->st, &req, CAMP_EINVAL, "not valid");
	req = join_req("short", "newbie", "SHA256:n");
	assert_join_refused(f->st, &req, CAMP_EINVAL, "not valid");
	req = join_req(code, "TAKEN", "SHA256:n");
	assert_join_refused(f->st, &req, CAMP_EEXIST, "the username TAKEN is taken");
	req = join_req(code, "bad name", "SHA256:n");
	assert_join_refused(f->st, &req, CAMP_EINVAL, "username may only use");
	req = join_req(code, "newbie", "SHA256:taken");
	assert_join_refused(f->st, &req, CAMP_EEXIST, "already belongs to taken");
	req = join_req(code, "newbie", "SHA256:n");
	req.max_members = 1;
	assert_join_refused(f->st, &req, CAMP_ELIMIT, "the camp is full");
	req = join_req(code, "newbie", "SHA256:n");
	req.display_name = "two\nlines";
	assert_join_refused(f->st, &req, CAMP_EINVAL, "one line");

	/* A spent code stays spent. */
	assert_int_equal(invite_create(f->st, 0, 0, NULL, 0, used), 0);
	req = join_req(used, "first", "SHA256:first");
	int64_t id;
	assert_int_equal(store_join(f->st, &req, &id), 0);
	req = join_req(used, "second", "SHA256:second");
	assert_join_refused(f->st, &req, CAMP_EPERM, "already been used");
}

static void expired_invite_is_refused(void **state)
{
	struct fixture *f = *state;
	char code[INVITE_CODE_LEN];

	assert_int_equal(invite_create(f->st, 0, 0, NULL, 1, code), 0);
	assert_int_equal(sqlite3_exec(store_db(f->st),
				      "UPDATE invites SET expires_at = 1000", NULL, NULL,
				      NULL),
			 SQLITE_OK);
	struct join_request req = join_req(code, "late", "SHA256:late");
	assert_join_refused(f->st, &req, CAMP_EPERM, "expired on 1970-01-01");
}

static void invite_codes_are_long_and_distinct(void **state)
{
	struct fixture *f = *state;
	char a[INVITE_CODE_LEN], b[INVITE_CODE_LEN];

	assert_int_equal(invite_create(f->st, 0, 0, NULL, 0, a), 0);
	assert_int_equal(invite_create(f->st, 0, 0, NULL, 0, b), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(strlen(a), 23); /* 4 groups of 5 and 3 dashes */
	/* Only a hash is stored, never the code. */
	sqlite3_stmt *s;
	assert_int_equal(
		sqlite3_prepare_v2(store_db(f->st),
				   "SELECT count(*) FROM invites WHERE code_hash = ?"
				   " OR hint = ?",
				   -1, &s, NULL),
		SQLITE_OK);
	sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, a, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 0);
	sqlite3_finalize(s);
}

static void keys_add_list_remove(void **state)
{
	struct fixture *f = *state;
	int64_t id = join_ok(f->st, "kim", "SHA256:one"), other, owner;
	struct ssh_key *keys;
	int n;

	other = join_ok(f->st, "lee", "SHA256:lee");
	assert_int_equal(key_add(f->st, id, "ssh-rsa", "AAAAB3", "SHA256:two", "laptop"),
			 0);
	assert_int_equal(key_add(f->st, id, "ssh-rsa", "AAAAB3", "SHA256:two", ""),
			 CAMP_EEXIST);
	assert_int_equal(key_add(f->st, other, "ssh-rsa", "AAAAB3", "SHA256:two", ""),
			 CAMP_EEXIST);
	assert_int_equal(key_list(f->st, id, &keys, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(keys[1].fingerprint, "SHA256:two");
	assert_string_equal(keys[1].comment, "laptop");
	key_list_free(keys, n);

	/* Login needs the right name with the right key. */
	assert_int_equal(key_lookup(f->st, "kim", "SHA256:two", &owner), 0);
	assert_int_equal(key_lookup(f->st, "lee", "SHA256:two", &owner), CAMP_ENOENT);
	assert_int_equal(key_lookup(f->st, "nobody", "SHA256:two", &owner), CAMP_ENOENT);

	assert_int_equal(key_remove(f->st, id, "SHA256:nope"), CAMP_ENOENT);
	assert_int_equal(key_remove(f->st, id, "SHA256:one"), 0);
	assert_int_equal(key_remove(f->st, id, "SHA256:two"), CAMP_EPERM);
	assert_non_null(strstr(err_last(), "only key"));
	assert_int_equal(key_list(f->st, id, &keys, &n), 0);
	assert_int_equal(n, 1);
	key_list_free(keys, n);
}

static void profile_updates_are_checked(void **state)
{
	struct fixture *f = *state;
	int64_t id = join_ok(f->st, "pat", "SHA256:pat");
	struct account a;

	assert_int_equal(account_update_profile(f->st, id, "Pat \xf0\x9f\x8c\xb2",
						"I bake bread.", VIS_CAMP),
			 0);
	assert_int_equal(account_update_profile(f->st, id, NULL, "\xff", -1),
			 CAMP_EINVAL);
	char longbio[400];
	memset(longbio, 'x', sizeof longbio - 1);
	longbio[sizeof longbio - 1] = '\0';
	assert_int_equal(account_update_profile(f->st, id, NULL, longbio, -1),
			 CAMP_ETOOBIG);
	assert_int_equal(account_get(f->st, id, &a), 0);
	assert_string_equal(a.display_name, "Pat \xf0\x9f\x8c\xb2");
	assert_string_equal(a.bio, "I bake bread.");
	assert_int_equal(a.default_visibility, VIS_CAMP);
	account_free(&a);
	assert_int_equal(visibility_parse("neighborhood"), VIS_NEIGHBORHOOD);
	assert_int_equal(visibility_parse("secret"), -1);
	assert_string_equal(visibility_name(VIS_FOLLOWERS), "followers");
}

static void settings_round_trip(void **state)
{
	struct fixture *f = *state;
	char *v;

	assert_int_equal(setting_get(f->st, "colour", &v), 0);
	assert_null(v);
	assert_int_equal(setting_set(f->st, "colour", "blue"), 0);
	assert_int_equal(setting_set(f->st, "colour", "green"), 0);
	assert_int_equal(setting_get(f->st, "colour", &v), 0);
	assert_string_equal(v, "green");
	free(v);
}

static void nested_rollback_dooms_the_outer_commit(void **state)
{
	struct fixture *f = *state;
	char *v;

	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(setting_set(f->st, "a", "1"), 0);
	assert_int_equal(store_begin(f->st), 0);
	store_rollback(f->st);
	assert_int_equal(store_commit(f->st), CAMP_EDB);
	assert_int_equal(setting_get(f->st, "a", &v), 0);
	assert_null(v);
}

/* A child keeps writing while the parent backs up; the copy must be a
 * whole, consistent database. */
static void backup_is_consistent_while_writing(void **state)
{
	struct fixture *f = *state;
	char *bak = xasprintf("%s/backup.db", f->dir);
	pid_t pid;
	int status;

	join_ok(f->st, "writer", "SHA256:w");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *st;
		if (store_open(f->path, 0, &st) != 0)
			_exit(1);
		for (int i = 0; i < 400; i++) {
			char key[32];
			snprintf(key, sizeof key, "k%d", i);
			if (setting_set(st, key, "some value to fill pages with") != 0)
				_exit(2);
		}
		store_close(st);
		_exit(0);
	}
	for (int i = 0; i < 5; i++)
		assert_int_equal(store_backup(f->st, bak), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	sqlite3 *db;
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_open(bak, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
	sqlite3_finalize(s);
	assert_int_equal(
		sqlite3_prepare_v2(db, "SELECT count(*) FROM accounts", -1, &s, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 1);
	sqlite3_finalize(s);
	sqlite3_close(db);
	free(bak);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(fresh_database_has_latest_schema),
		T(opening_without_create_needs_a_file),
		T(older_database_is_backed_up_then_migrated),
		T(seen_ids_become_per_actor),
		T(squatted_key_ids_are_forgotten),
		T(newer_database_is_refused),
		T(usernames_follow_the_mastodon_rule),
		T(join_creates_member_and_spends_invite),
		T(join_refusals_change_nothing),
		T(expired_invite_is_refused),
		T(invite_codes_are_long_and_distinct),
		T(keys_add_list_remove),
		T(profile_updates_are_checked),
		T(settings_round_trip),
		T(nested_rollback_dooms_the_outer_commit),
		T(backup_is_consistent_while_writing),
	};
	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
