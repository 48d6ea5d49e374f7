/*
 * test-sql.c: the store's statement and transaction helpers (sql.c,
 * db.c), and the SQL spellings of the numbers stored on disk.
 *
 * Failures are made real: a trigger refuses a write, the database is
 * capped so the disk is "full", a unique key is taken twice.  Each time
 * the error must name what the store was doing and leave nothing half
 * written.  The timelines' partial indexes are checked through SQLite's
 * own query plans.
 */
#include "tests/unit/model.h"

#include <stdio.h>
#include <sys/wait.h>

static void exec_ok(struct camp_fixture *f, const char *sql)
{
	if (sqlite3_exec(store_db(f->st), sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(f->st)));
}

static void assert_starts_with(const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)) != 0)
		fail_msg("\"%s\" does not start with \"%s\"", s, prefix);
}

/* A write refused by the database says which write it was, and the
 * transaction around it leaves nothing behind. */
static void errors_name_the_operation(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), bob = member(f, "bob");
	enum follow_state fs;
	int64_t unread = -1;
	struct viewer *v;

	exec_ok(f, "CREATE TRIGGER no_follows BEFORE INSERT ON follows"
		   " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
	assert_int_equal(follow_request(f->st, alice, bob, NULL, &fs), CAMP_EDB);
	assert_string_equal(err_last(), "saving the follow: refused by the test");
	assert_int_equal(fs, FOLLOW_NONE);
	assert_int_equal(follow_get(f->st, alice, bob, &fs), 0);
	assert_int_equal(fs, FOLLOW_NONE);
	/* bob's "alice followed you" went with the rolled-back follow. */
	assert_int_equal(viewer_member(f->st, bob, &v), 0);
	assert_int_equal(notifications_unread(f->st, v, &unread), 0);
	assert_int_equal(unread, 0);
	viewer_free(v);

	exec_ok(f, "CREATE TRIGGER no_blocks BEFORE INSERT ON blocks"
		   " BEGIN SELECT RAISE(ABORT, 'no'); END");
	assert_int_equal(block_set(f->st, alice, bob, 1), CAMP_EDB);
	assert_string_equal(err_last(), "saving the block: no");

	exec_ok(f, "CREATE TRIGGER no_tags BEFORE INSERT ON tags"
		   " BEGIN SELECT RAISE(ABORT, 'no'); END");
	struct post_new req = {.author_id = alice,
			       .content = "#movienight",
			       .visibility = VIS_PUBLIC,
			       .local_domain = DOMAIN};
	int64_t id = -1, max = -1;
	assert_int_equal(post_create(f->st, &req, &id, NULL), CAMP_EDB);
	assert_string_equal(err_last(), "saving the post's tags: no");
	assert_int_equal(id, 0);
	assert_int_equal(post_max_id(f->st, &max), 0);
	assert_int_equal(max, 0);
}

/* A full disk is CAMP_EIO with words a person understands, and the post
 * that did not fit is not half there. */
static void a_full_disk_is_an_io_error(void **state)
{
	struct camp_fixture *f = *state;
	int64_t alice = member(f, "alice"), before = 0, after = 0, id;
	char text[400];
	int r = 0, i;

	memset(text, 'x', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	exec_ok(f, "PRAGMA max_page_count = 1"); /* as small as it is now */
	for (i = 0; i < 1000 && r == 0; i++) {
		assert_int_equal(post_max_id(f->st, &before), 0);
		struct post_new req = {.author_id = alice,
				       .content = text,
				       .visibility = VIS_PUBLIC,
				       .max_chars = 500,
				       .local_domain = DOMAIN};
		r = post_create(f->st, &req, &id, NULL);
	}
	assert_int_equal(r, CAMP_EIO);
	assert_string_equal(err_last(), "saving the post: the disk is full");
	assert_int_equal(post_max_id(f->st, &after), 0);
	assert_int_equal(after, before);
}

static void a_taken_unique_key_is_eexist(void **state)
{
	struct camp_fixture *f = *state;
	static const char sql[] = "INSERT INTO settings(key, value) VALUES (?, ?)";

	assert_int_equal(sql_exec(f->st, "saving the motto", sql, "tt", "motto", "a"), 0);
	assert_int_equal(sql_exec(f->st, "saving the motto", sql, "tt", "motto", "b"),
			 CAMP_EEXIST);
	assert_string_equal(err_last(), "saving the motto: it is there already");
}

static void one_call_helpers(void **state)
{
	struct camp_fixture *f = *state;
	static const char ins[] = "INSERT INTO settings(key, value) VALUES (?, ?)";
	static const char len[] = "SELECT length(value) FROM settings WHERE key = ?";
	static const char val[] = "SELECT nullif(value, '') FROM settings WHERE key = ?";
	static const char keys[] = "SELECT length(key) FROM settings WHERE key > ?"
				   " ORDER BY key";
	int64_t n = 42, *ids;
	char *text = NULL;
	int yes = -1, count;

	assert_int_equal(sql_exec(f->st, "w", ins, "tt", "k1", "hello"), 0);
	assert_int_equal(sql_exec(f->st, "w", ins, "tt", "k22", ""), 0);
	assert_int_equal(sql_int64(f->st, "r", len, &n, "t", "k1"), 0);
	assert_int_equal(n, 5);
	/* No row: CAMP_ENOENT without a message, *out left alone. */
	err_set(CAMP_ERR, "earlier");
	assert_int_equal(sql_int64(f->st, "r", len, &n, "t", "none"), CAMP_ENOENT);
	assert_int_equal(n, 5);
	assert_string_equal(err_last(), "earlier");
	assert_int_equal(sql_text(f->st, "r", val, &text, "t", "k1"), 0);
	assert_string_equal(text, "hello");
	free(text);
	assert_int_equal(sql_text(f->st, "r", val, &text, "t", "k22"), 0);
	assert_null(text);
	assert_int_equal(sql_exists(f->st, "r", val, &yes, "t", "k22"), 0);
	assert_int_equal(yes, 1);
	assert_int_equal(sql_exists(f->st, "r", val, &yes, "t", "none"), 0);
	assert_int_equal(yes, 0);
	assert_int_equal(sql_ids(f->st, "r", keys, &ids, &count, "t", "k"), 0);
	assert_int_equal(count, 2);
	assert_int_equal(ids[0], 2);
	assert_int_equal(ids[1], 3);
	free(ids);
	assert_int_equal(sql_ids(f->st, "r", keys, &ids, &count, "t", "z"), 0);
	assert_int_equal(count, 0);
	assert_null(ids);
}

/* A statement still being read is never reset under its reader: using
 * the same SQL again inside the loop gets a copy. */
static void the_same_statement_nests(void **state)
{
	struct camp_fixture *f = *state;
	static const char sql[] = "SELECT id FROM accounts WHERE id >= ? ORDER BY id";
	struct sql_cursor c;
	int64_t first = 0, seen[4];
	int r, n = 0;

	for (int i = 0; i < 4; i++)
		seen[i] = member(f, (const char *[]){"a1", "a2", "a3", "a4"}[i]);
	sql_open(f->st, &c, "listing", sql, "i", (int64_t)0);
	while ((r = sql_next(&c)) > 0) {
		assert_true(n < 4);
		assert_int_equal(col_int64(&c, 0), seen[n]);
		/* The same SQL, inside: its first row from here is this row. */
		assert_int_equal(sql_int64(f->st, "inner", sql, &first, "i", seen[n]), 0);
		assert_int_equal(first, seen[n]);
		n++;
	}
	assert_int_equal(sql_done(&c, r), 0);
	assert_int_equal(n, 4);
	/* And the cached one is ready again afterwards. */
	assert_int_equal(sql_int64(f->st, "again", sql, &first, "i", seen[2]), 0);
	assert_int_equal(first, seen[2]);
}

/* Binding fewer values than a statement has parameters is a bug the
 * helper refuses to run (in a child process: it aborts, saying so). */
static void a_wrong_bind_format_is_fatal(void **state)
{
	struct camp_fixture *f = *state;
	static const char sql[] = "DELETE FROM settings WHERE key = ?";
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		sql_exec(f->st, "deleting", sql, "");
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) || WEXITSTATUS(status) != 0);
}

static void transactions_end_once(void **state)
{
	struct camp_fixture *f = *state;
	char *v = NULL;

	/* An error rolls back what was written. */
	assert_int_equal(store_tx_begin(f->st, "testing"), 0);
	assert_int_equal(setting_set(f->st, "a", "1"), 0);
	assert_int_equal(store_tx_end(f->st, CAMP_EINVAL), CAMP_EINVAL);
	assert_int_equal(setting_get(f->st, "a", &v), 0);
	assert_null(v);
	/* 0 commits. */
	assert_int_equal(store_tx_begin(f->st, "testing"), 0);
	assert_int_equal(setting_set(f->st, "a", "2"), 0);
	assert_int_equal(store_tx_end(f->st, 0), 0);
	assert_int_equal(setting_get(f->st, "a", &v), 0);
	assert_string_equal(v, "2");
	free(v);
	/* An inner failure dooms the outer level, which names its own
	 * operation. */
	assert_int_equal(store_tx_begin(f->st, "saving the outer change"), 0);
	assert_int_equal(setting_set(f->st, "a", "3"), 0);
	assert_int_equal(store_tx_begin(f->st, "inner"), 0);
	assert_int_equal(store_tx_end(f->st, CAMP_EPERM), CAMP_EPERM);
	assert_int_equal(store_tx_end(f->st, 0), CAMP_EDB);
	assert_string_equal(err_last(),
			    "saving the outer change: the change was rolled back");
	assert_int_equal(setting_get(f->st, "a", &v), 0);
	assert_string_equal(v, "2");
	free(v);
}

/* The spellings SQL uses are the enums' own numbers. */
static void stored_numbers_are_spelled_from_the_enums(void **state)
{
	const char *vis[VIS_COUNT] = {
		[VIS_PUBLIC] = SQL_VIS_PUBLIC,
		[VIS_UNLISTED] = SQL_VIS_UNLISTED,
		[VIS_FOLLOWERS] = SQL_VIS_FOLLOWERS,
		[VIS_DIRECT] = SQL_VIS_DIRECT,
		[VIS_CAMP] = SQL_VIS_CAMP,
		[VIS_NEIGHBORHOOD] = SQL_VIS_NEIGHBORHOOD,
	};
	char open[32] = "(";

	for (int v = 0; v < VIS_COUNT; v++) {
		assert_non_null(vis[v]);
		assert_int_equal(atoi(vis[v]), v);
		if (visibility_is_open(v))
			snprintf(open + strlen(open), sizeof open - strlen(open), "%s%d",
				 strlen(open) > 1 ? ", " : "", v);
	}
	strcat(open, ")");
	assert_string_equal(SQL_VIS_OPEN, open);
	assert_int_equal(atoi(SQL_FOLLOW_PENDING), FOLLOW_PENDING);
	assert_int_equal(atoi(SQL_FOLLOW_ACCEPTED), FOLLOW_ACCEPTED);
	(void)state;
}

/* The camp and federated timelines name partial indexes (migration 2)
 * whose WHERE clauses must match the queries' own text: SQLite's plan
 * for each reads the index, in order, without sorting. */
static void timeline_indexes_exist_and_are_used(void **state)
{
	struct camp_fixture *f = *state;
	static const struct {
		enum timeline_kind kind;
		const char *index;
	} named[] = {{TL_CAMP, "posts_camp"}, {TL_FEDERATED, "posts_federated"}};

	for (size_t i = 0; i < ARRAY_LEN(named); i++) {
		char *sql = xasprintf("EXPLAIN QUERY PLAN %s",
				      timeline_candidate_sql(named[i].kind));
		struct buf plan = BUF_INIT;
		sqlite3_stmt *s;
		assert_int_equal(sqlite3_prepare_v2(store_db(f->st), sql, -1, &s, NULL),
				 SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW)
			buf_printf(&plan, "%s\n",
				   (const char *)sqlite3_column_text(s, 3));
		sqlite3_finalize(s);
		char *want = xasprintf(" INDEX %s ", named[i].index);
		if (!strstr(buf_str(&plan), want) ||
		    strstr(buf_str(&plan), "TEMP B-TREE"))
			fail_msg("%s:\n%s", sql, buf_str(&plan));
		free(want);
		buf_free(&plan);
		free(sql);
	}
	/* Without its index a timeline fails loudly rather than crawl. */
	int64_t alice = member(f, "alice");
	struct timeline_query q = {TL_CAMP, 0, NULL, 0, 20};
	struct post_list l;
	struct viewer *v;
	exec_ok(f, "DROP INDEX posts_camp");
	assert_int_equal(viewer_member(f->st, alice, &v), 0);
	assert_int_equal(timeline_get(f->st, v, &q, &l), CAMP_EDB);
	assert_starts_with(err_last(), "reading the timeline: no such index: posts_camp");
	viewer_free(v);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, camp_setup, camp_teardown)
	const struct CMUnitTest tests[] = {
		T(errors_name_the_operation),
		T(a_full_disk_is_an_io_error),
		T(a_taken_unique_key_is_eexist),
		T(one_call_helpers),
		T(the_same_statement_nests),
		T(a_wrong_bind_format_is_fatal),
		T(transactions_end_once),
		cmocka_unit_test(stored_numbers_are_spelled_from_the_enums),
		T(timeline_indexes_exist_and_are_used),
	};
	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
