/*
 * test-delivery.c: the delivery queue in the store (one job per activity
 * and inbox, in-flight marks cleared after a crash, rescheduling, failing
 * domains) and the retry schedule (about two days in all).
 */
#include "tests/unit/unit.h"

#include "federation/federation.h"

struct fixture {
	char *dir;
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	char *path;

	f->dir = unit_tmpdir();
	path = xasprintf("%s/camp.db", f->dir);
	assert_int_equal(store_open(path, STORE_CREATE, &f->st), 0);
	free(path);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

static void test_backoff(void **state)
{
	long total = 0, prev = 0;
	int n;

	for (n = 1; delivery_backoff(n) > 0; n++) {
		assert_true(delivery_backoff(n) > prev); /* growing */
		prev = delivery_backoff(n);
		total += prev;
	}
	assert_true(n > 5);
	assert_true(total > 40 * 3600 && total < 56 * 3600); /* about two days */
	assert_int_equal(delivery_backoff(0), -1);
}

static void test_queue(void **state)
{
	struct fixture *f = *state;
	struct delivery *d;
	int64_t n, at, now = 1000000;
	int count;

	assert_int_equal(delivery_add(f->st, "https://c/a/1", "https://x.example/inbox",
				      "alice", "{}", now),
			 0);
	/* the same activity to the same inbox is kept once */
	assert_int_equal(delivery_add(f->st, "https://c/a/1", "https://x.example/inbox",
				      "alice", "{}", now),
			 0);
	assert_int_equal(delivery_add(f->st, "https://c/a/1", "https://Y.example:8443/i",
				      "alice", "{}", now + 50),
			 0);
	assert_int_equal(delivery_count(f->st, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(delivery_due(f->st, now, 10, &d, &count), 0);
	assert_int_equal(count, 1);
	assert_string_equal(d[0].domain, "x.example");
	assert_string_equal(d[0].signer, "alice");
	int64_t id = d[0].id;
	delivery_list_free(d, count);
	assert_int_equal(delivery_take(f->st, id), 0);
	assert_int_equal(delivery_due(f->st, now + 100, 10, &d, &count), 0);
	assert_int_equal(count, 1); /* the taken one is not listed again */
	assert_string_equal(d[0].domain, "y.example:8443");
	delivery_list_free(d, count);
	/* a crash: marks cleared, both due again */
	assert_int_equal(delivery_release_all(f->st), 0);
	assert_int_equal(delivery_due(f->st, now + 100, 10, &d, &count), 0);
	assert_int_equal(count, 2);
	delivery_list_free(d, count);
	assert_int_equal(delivery_reschedule(f->st, id, now + 600, "answered 503"), 0);
	assert_int_equal(delivery_next_due(f->st, &at), 0);
	assert_int_equal(at, now + 50);
	assert_int_equal(delivery_due(f->st, now + 600, 10, &d, &count), 0);
	assert_int_equal(count, 2);
	assert_int_equal(d[1].attempts, 1);
	delivery_list_free(d, count);
	assert_int_equal(delivery_remove(f->st, id), 0);
	assert_int_equal(delivery_count(f->st, &n), 0);
	assert_int_equal(n, 1);
}

static void test_domains(void **state)
{
	struct fixture *f = *state;
	int64_t since;

	assert_int_equal(domain_failing_since(f->st, "x.example", &since), 0);
	assert_int_equal(since, 0);
	assert_int_equal(domain_failed(f->st, "x.example", 100), 0);
	assert_int_equal(domain_failed(f->st, "x.example", 200), 0);
	assert_int_equal(domain_failing_since(f->st, "x.example", &since), 0);
	assert_int_equal(since, 100); /* since the first failure */
	assert_int_equal(domain_ok(f->st, "x.example", 300), 0);
	assert_int_equal(domain_failing_since(f->st, "x.example", &since), 0);
	assert_int_equal(since, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test_setup_teardown(test_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_domains, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
