/*
 * test-ops.c: the camp as a service: who is online (presence, with
 * sessions that crash and never say goodbye), when members were last
 * seen, backups (the schedule read from the folder, checking a copy,
 * pruning) and restoring a copy in place, with what it replaces kept.
 * Each test gets a fresh camp folder with its database.
 */
#include "tests/unit/unit.h"

#include <sys/stat.h>
#include <utime.h>

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

/* A member made the way joining makes one; returns its id. */
static int64_t member(struct store *st, const char *name)
{
	char code[INVITE_CODE_LEN], fp[64];
	int64_t id;

	snprintf(fp, sizeof fp, "SHA256:fake-%s", name);
	assert_int_equal(invite_create(st, 0, 0, NULL, 0, code), 0);
	struct join_request req = {.code = code,
				   .username = name,
				   .key_type = "ssh-ed25519",
				   .key_base64 =
					   "AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests",
				   .key_fingerprint = fp,
				   .max_members = 100,
				   .accept_coc = 1};
	assert_int_equal(store_join(st, &req, &id), 0);
	return id;
}

static int64_t online(struct store *st)
{
	int64_t n = -1;

	assert_int_equal(presence_online_count(st, &n), 0);
	return n;
}

static int64_t last_seen(struct store *st, int64_t id)
{
	int64_t at = -1;

	assert_int_equal(presence_last_seen(st, id, &at), 0);
	return at;
}

/* Makes a presence row look as if its heartbeat stopped `ago` seconds
 * ago (a session that crashed). */
static void age_row(struct store *st, int64_t row, int64_t ago)
{
	char *sql = xasprintf("UPDATE presence SET touched_at = %lld WHERE id = %lld",
			      (long long)(now_s() - ago), (long long)row);

	assert_int_equal(sqlite3_exec(store_db(st), sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
}

static void sessions_count_members_once_and_end(void **state)
{
	struct fixture *f = *state;
	int64_t alice = member(f->st, "alice"), bob = member(f->st, "bob");
	int64_t a1, a2, b1;

	assert_int_equal(online(f->st), 0);
	assert_int_equal(last_seen(f->st, alice), 0); /* never */
	assert_int_equal(presence_begin(f->st, alice, 100, &a1), 0);
	assert_int_equal(presence_begin(f->st, alice, 101, &a2), 0);
	assert_int_equal(presence_begin(f->st, bob, 102, &b1), 0);
	assert_int_equal(online(f->st), 2); /* alice twice is one member */
	assert_int_equal(presence_touch(f->st, a1), 0);
	assert_true(last_seen(f->st, alice) >= now_s() - 1);
	assert_int_equal(presence_end(f->st, a1), 0);
	assert_int_equal(online(f->st), 2); /* her second session is open */
	assert_int_equal(presence_end(f->st, a2), 0);
	assert_int_equal(presence_end(f->st, b1), 0);
	assert_int_equal(online(f->st), 0);
	assert_true(last_seen(f->st, alice) >= now_s() - 1);
	assert_true(last_seen(f->st, bob) >= now_s() - 1);
	assert_int_equal(presence_touch(f->st, a1), CAMP_ENOENT); /* ended */
}

static void a_crashed_session_stops_counting(void **state)
{
	struct fixture *f = *state;
	int64_t alice = member(f->st, "alice"), bob = member(f->st, "bob");
	int64_t a, b;

	assert_int_equal(presence_begin(f->st, alice, 100, &a), 0);
	age_row(f->st, a, PRESENCE_STALE_S + 5);
	assert_int_equal(online(f->st), 0); /* its heartbeat stopped */
	assert_int_equal(last_seen(f->st, alice), now_s() - PRESENCE_STALE_S - 5);
	/* The next session to begin tidies it into last_seen. */
	assert_int_equal(presence_begin(f->st, bob, 101, &b), 0);
	assert_int_equal(presence_touch(f->st, a), CAMP_ENOENT);
	assert_int_equal(last_seen(f->st, alice), now_s() - PRESENCE_STALE_S - 5);
	assert_int_equal(online(f->st), 1);
	/* A row aged less than that still counts. */
	age_row(f->st, b, PRESENCE_STALE_S - 10);
	assert_int_equal(online(f->st), 1);
}

static void leaving_the_camp_takes_the_presence_along(void **state)
{
	struct fixture *f = *state;
	int64_t alice = member(f->st, "alice"), a;

	assert_int_equal(presence_begin(f->st, alice, 100, &a), 0);
	assert_int_equal(account_delete(f->st, alice), 0);
	assert_int_equal(online(f->st), 0);
}

static void the_schedule_reads_the_backups_folder(void **state)
{
	struct fixture *f = *state;
	char *folder = xasprintf("%s/backups", f->dir);
	char *old = xasprintf("%s/camp-20200101-000000.db", folder);
	char *odd = xasprintf("%s/notes.db", folder);
	struct utimbuf t;

	assert_int_equal(backup_due_in(f->dir, 0, 0), -1); /* turned off */
	/* None yet: a minute after the start, or sooner when every is less. */
	assert_int_equal(backup_due_in(f->dir, 86400, 0), 60);
	assert_int_equal(backup_due_in(f->dir, 86400, 45), 15);
	assert_int_equal(backup_due_in(f->dir, 86400, 600), 0);
	assert_int_equal(backup_due_in(f->dir, 5, 0), 5);
	assert_int_equal(mkdir(folder, 0700), 0);
	assert_int_equal(file_write_atomic(odd, "x", 1, 0600), 0);
	assert_int_equal(backup_due_in(f->dir, 3600, 0), 60); /* not a backup */
	assert_int_equal(file_write_atomic(old, "x", 1, 0600), 0);
	t.actime = t.modtime = (time_t)(now_s() - 600);
	assert_int_equal(utime(old, &t), 0);
	long due = backup_due_in(f->dir, 3600, 0);
	assert_true(due >= 2999 && due <= 3000);
	assert_int_equal(backup_due_in(f->dir, 300, 0), 0); /* late */
	free(folder);
	free(old);
	free(odd);
}

static void scheduled_backups_are_checked_recorded_and_pruned(void **state)
{
	struct fixture *f = *state;
	char *folder = xasprintf("%s/backups", f->dir), *path = NULL, *last = NULL;
	int64_t at = 0;
	int schema;

	member(f->st, "alice");
	assert_int_equal(backup_last(f->st, &at, &last), 0);
	assert_int_equal(at, 0);
	assert_null(last);
	/* Three older ones, and a half-written copy a stopped job left. */
	assert_int_equal(mkdir(folder, 0700), 0);
	for (int i = 1; i <= 3; i++) {
		char *p = xasprintf("%s/camp-2020010%d-000000.db", folder, i);
		assert_int_equal(store_backup(f->st, p), 0);
		free(p);
	}
	char *tmp = xasprintf("%s/camp-20200104-000000.db.tmp.99999", folder);
	assert_int_equal(file_write_atomic(tmp, "x", 1, 0600), 0);

	assert_int_equal(backup_scheduled(f->st, f->dir, 2, &path), 0);
	assert_int_equal(backup_verify(path, &schema), 0);
	assert_int_equal(schema, store_schema_latest());
	assert_int_equal(backup_last(f->st, &at, &last), 0);
	assert_string_equal(last, path);
	assert_true(at >= now_s() - 2);
	/* The newest two stay: the new one and the 3rd. */
	char *third = xasprintf("%s/camp-20200103-000000.db", folder);
	char *first = xasprintf("%s/camp-20200101-000000.db", folder);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(access(third, F_OK), 0);
	assert_int_equal(access(first, F_OK), -1);
	assert_int_equal(access(tmp, F_OK), -1);
	free(first);
	free(third);
	free(tmp);
	free(path);
	free(last);
	free(folder);
}

static void a_damaged_or_foreign_file_is_no_backup(void **state)
{
	struct fixture *f = *state;
	char *junk = xasprintf("%s/junk.db", f->dir);
	char *other = xasprintf("%s/other.db", f->dir);
	char *newer = xasprintf("%s/newer.db", f->dir);
	char *msg;
	sqlite3 *db;
	int schema;

	assert_int_equal(
		file_write_atomic(junk, "not a database at all, really", 29, 0600), 0);
	assert_int_not_equal(backup_verify(junk, &schema), 0);
	assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(backup_verify(other, &schema), CAMP_EINVAL);
	assert_non_null(strstr(err_last(), "not a camp's database"));
	assert_int_equal(store_backup(f->st, newer), 0);
	assert_int_equal(sqlite3_open(newer, &db), SQLITE_OK);
	msg = xasprintf("PRAGMA user_version = %d", store_schema_latest() + 1);
	assert_int_equal(sqlite3_exec(db, msg, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(backup_verify(newer, &schema), CAMP_EVERSION);
	assert_int_equal(backup_verify("/nonexistent/x.db", &schema), CAMP_ENOENT);
	free(msg);
	free(junk);
	free(other);
	free(newer);
}

static int64_t invites(struct store *st)
{
	int64_t n = -1;

	assert_int_equal(sql_int64(st, "test", "SELECT count(*) FROM invites", &n, ""),
			 0);
	return n;
}

static void restore_puts_a_copy_back_and_keeps_what_it_replaced(void **state)
{
	struct fixture *f = *state;
	char *copy = xasprintf("%s/copy.db", f->dir), *kept = NULL;
	char code[INVITE_CODE_LEN];
	struct store *st;

	member(f->st, "alice");
	assert_int_equal(store_backup(f->st, copy), 0);
	assert_int_equal(invite_create(f->st, 0, 0, NULL, 0, code), 0);
	assert_int_equal(invites(f->st), 2);
	store_close(f->st); /* the camp is stopped */
	f->st = NULL;

	assert_int_equal(store_restore(f->dir, copy, &kept), 0);
	assert_non_null(kept);
	assert_non_null(strstr(kept, "/camp.db.before-restore-"));
	assert_int_equal(store_open(f->path, 0, &f->st), 0);
	assert_int_equal(invites(f->st), 1); /* as the copy had it */
	assert_int_equal(store_open(kept, 0, &st), 0);
	assert_int_equal(invites(st), 2); /* nothing was lost */
	store_close(st);
	/* A file that is no backup changes nothing. */
	store_close(f->st);
	f->st = NULL;
	free(kept);
	kept = NULL;
	assert_int_not_equal(store_restore(f->dir, "/nonexistent/x.db", &kept), 0);
	assert_null(kept);
	assert_int_equal(store_open(f->path, 0, &f->st), 0);
	assert_int_equal(invites(f->st), 1);
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(sessions_count_members_once_and_end,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_crashed_session_stops_counting, setup,
						teardown),
		cmocka_unit_test_setup_teardown(leaving_the_camp_takes_the_presence_along,
						setup, teardown),
		cmocka_unit_test_setup_teardown(the_schedule_reads_the_backups_folder,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			scheduled_backups_are_checked_recorded_and_pruned, setup,
			teardown),
		cmocka_unit_test_setup_teardown(a_damaged_or_foreign_file_is_no_backup,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			restore_puts_a_copy_back_and_keeps_what_it_replaced, setup,
			teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
