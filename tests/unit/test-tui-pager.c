/*
 * test-tui-pager.c: the client's bounded window onto long lists
 * (tui/pager.c), against a model: a list of ids served newest first a
 * page at a time, as the store serves timelines, with items hidden (a
 * mute), deleted, posted on top and backfilled below (a new follow), and
 * fetches that fail.  After every step the window must be a contiguous
 * run of the model, hold no more than PAGER_MAX items (counting every
 * item alive, so nothing leaks either), and a move by one must land on
 * the model's neighbour of the post the member was on.
 */
#include "tests/unit/unit.h"

#include "tui/tui-private.h"

#define MODEL_MAX 4000

struct model {
	int64_t ids[MODEL_MAX]; /* newest first */
	int visible[MODEL_MAX];
	int n;
	int fail; /* the next fetch fails */
	unsigned seed;
};

struct item {
	int64_t id;
	char *text; /* something to free */
};

static int live; /* items fetched and not yet freed */

static int64_t item_id(const void *p)
{
	return ((const struct item *)p)->id;
}

static void item_free(void *p)
{
	free(((struct item *)p)->text);
	live--;
}

/* Serves as timeline_get() does: ids below max_id, newest first, hidden
 * ones skipped; the next page starts below the last id looked at. */
static int model_fetch(struct app *a, void *ctx, int64_t max_id, int limit,
		       struct pager_page *out)
{
	struct model *m = ctx;
	struct item *items = xcalloc((size_t)limit, sizeof *items);
	int64_t last = 0;
	int n = 0;

	(void)a;
	assert_true(limit >= 1 && limit <= 200);
	if (m->fail) {
		m->fail = 0;
		free(items);
		return err_set(CAMP_EIO, "an injected failure");
	}
	for (int i = 0; i < m->n && n < limit; i++) {
		if (max_id && m->ids[i] >= max_id)
			continue;
		last = m->ids[i];
		if (!m->visible[i])
			continue;
		items[n].id = m->ids[i];
		items[n++].text = xasprintf("post %lld", (long long)m->ids[i]);
		live++;
	}
	out->items = items;
	out->n = n;
	out->next_max_id = n == limit ? last : 0;
	return 0;
}

static const struct pager_ops model_ops = {sizeof(struct item), item_id, item_free,
					   model_fetch};

static unsigned next_rand(struct model *m)
{
	m->seed = m->seed * 1103515245u + 12345u;
	return (m->seed >> 16) & 0x7fff;
}

/* The visible id just newer (dir -1) or older (dir 1) than id, or 0. */
static int64_t model_next(const struct model *m, int64_t id, int dir)
{
	int64_t best = 0;

	for (int i = 0; i < m->n; i++) {
		if (!m->visible[i])
			continue;
		if (dir < 0 && m->ids[i] > id && (!best || m->ids[i] < best))
			best = m->ids[i];
		if (dir > 0 && m->ids[i] < id && (!best || m->ids[i] > best))
			best = m->ids[i];
	}
	return best;
}

/* The window is the model's visible ids between its first and last,
 * with nothing missing; at the newest it starts at the model's newest;
 * with nothing below it ends at the model's oldest. */
static void check_window(const struct pager *pg, const struct model *m)
{
	int n = pg->l.n, k = 0;

	assert_true(n <= PAGER_MAX);
	assert_int_equal(live, n);
	if (n == 0)
		return;
	assert_true(pg->l.sel >= 0 && pg->l.sel < n);
	assert_true(pg->l.top >= 0 && pg->l.top < n);
	for (int i = 0; i < m->n; i++) {
		int64_t id = m->ids[i];
		if (!m->visible[i] || id > pager_id(pg, 0) || id < pager_id(pg, n - 1))
			continue;
		assert_true(k < n);
		assert_int_equal(pager_id(pg, k), id);
		k++;
	}
	assert_int_equal(k, n);
	if (pager_at_newest(pg))
		assert_int_equal(model_next(m, pager_id(pg, 0), -1), 0);
	if (pg->next_max_id == 0)
		assert_int_equal(model_next(m, pager_id(pg, n - 1), 1), 0);
}

/* Changes the model as other processes would change the camp. */
static void model_mutate(struct model *m)
{
	int i = m->n ? (int)(next_rand(m) % (unsigned)m->n) : 0, what = next_rand(m) % 8;

	if (what == 0 && m->n < MODEL_MAX) { /* a new post on top */
		memmove(m->ids + 1, m->ids, sizeof *m->ids * (size_t)m->n);
		memmove(m->visible + 1, m->visible, sizeof *m->visible * (size_t)m->n);
		m->ids[0] = m->ids[1] + 10;
		m->visible[0] = 1;
		m->n++;
	} else if (what == 1 && m->n) { /* deleted, or muted */
		m->visible[i] = 0;
	} else if (what == 2 && m->n) { /* unmuted */
		m->visible[i] = 1;
	} else if (what == 3 && i + 1 < m->n && m->n < MODEL_MAX &&
		   m->ids[i] - m->ids[i + 1] > 1) { /* backfilled after a follow */
		memmove(m->ids + i + 2, m->ids + i + 1,
			sizeof *m->ids * (size_t)(m->n - i - 1));
		memmove(m->visible + i + 2, m->visible + i + 1,
			sizeof *m->visible * (size_t)(m->n - i - 1));
		m->ids[i + 1] = m->ids[i] - 1;
		m->visible[i + 1] = 1;
		m->n++;
	}
}

static void model_init(struct model *m, int n, unsigned seed)
{
	memset(m, 0, sizeof *m);
	m->n = n;
	m->seed = seed;
	for (int i = 0; i < n; i++) {
		m->ids[i] = (int64_t)(n - i) * 10;
		m->visible[i] = next_rand(m) % 11 != 0;
	}
}

static void down_then_back_up_keeps_the_place(void **state)
{
	struct model m;
	struct pager pg;

	(void)state;
	model_init(&m, 400, 1);
	for (int i = 0; i < m.n; i++)
		m.visible[i] = 1;
	pager_init(&pg, &model_ops, &m);
	assert_int_equal(pager_first(NULL, &pg), 0);
	for (int i = 0; i < 200; i++)
		assert_int_equal(pager_move(NULL, &pg, 1), 0);
	check_window(&pg, &m);
	assert_int_equal(pager_id(&pg, pg.l.sel), m.ids[200]);
	assert_false(pager_at_newest(&pg));
	/* Back up one post at a time: each is the one right above. */
	for (int i = 199; i >= 0; i--) {
		assert_int_equal(pager_move(NULL, &pg, -1), 0);
		assert_int_equal(pager_id(&pg, pg.l.sel), m.ids[i]);
		check_window(&pg, &m);
	}
	assert_true(pager_at_newest(&pg));
	/* And down to the very end and back to the newest in one go. */
	for (int i = 0; i < 20; i++)
		assert_int_equal(pager_last(NULL, &pg), 0);
	assert_int_equal(pager_id(&pg, pg.l.sel), m.ids[m.n - 1]);
	check_window(&pg, &m);
	assert_int_equal(pager_newest(NULL, &pg), 0);
	assert_int_equal(pager_id(&pg, 0), m.ids[0]);
	assert_int_equal(pg.l.sel, 0);
	check_window(&pg, &m);
	pager_free(&pg);
	assert_int_equal(live, 0);
}

/* One random step: a move (maybe failing), or a change and a reload. */
static void random_step(struct pager *pg, struct model *m)
{
	static const int deltas[] = {1, -1, 1, -1, 7, -7, 40, -40};
	unsigned what = next_rand(m) % 10;
	int64_t was, want;
	int delta, r;

	if (what < 2) {
		model_mutate(m);
		assert_int_equal(pager_reload(NULL, pg), 0);
		check_window(pg, m);
		return;
	}
	if (what == 2) {
		assert_int_equal(next_rand(m) % 2 ? pager_last(NULL, pg)
						  : pager_newest(NULL, pg),
				 0);
		check_window(pg, m);
		return;
	}
	delta = deltas[next_rand(m) % ARRAY_LEN(deltas)];
	m->fail = next_rand(m) % 13 == 0;
	was = pg->l.n ? pager_id(pg, pg->l.sel) : 0;
	want = was ? model_next(m, was, delta) : 0;
	r = pager_move(NULL, pg, delta);
	m->fail = 0;
	check_window(pg, m);
	if (r == 0 && (delta == 1 || delta == -1) && want)
		assert_int_equal(pager_id(pg, pg->l.sel), want);
}

static void random_walks_stay_true_to_the_model(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 40; seed++) {
		struct model m;
		struct pager pg;

		model_init(&m, 50 + (int)(seed * 37 % 500), seed);
		pager_init(&pg, &model_ops, &m);
		assert_int_equal(pager_first(NULL, &pg), 0);
		check_window(&pg, &m);
		for (int step = 0; step < 600; step++)
			random_step(&pg, &m);
		pager_free(&pg);
		assert_int_equal(live, 0);
	}
}

static void a_failed_fetch_changes_nothing(void **state)
{
	struct model m;
	struct pager pg;

	(void)state;
	model_init(&m, 300, 7);
	pager_init(&pg, &model_ops, &m);
	assert_int_equal(pager_first(NULL, &pg), 0);
	for (int i = 0; i < 150; i++)
		pager_move(NULL, &pg, 1);
	int64_t sel = pager_id(&pg, pg.l.sel), first = pager_id(&pg, 0);
	int n = pg.l.n, above = pg.nabove;
	m.fail = 1;
	assert_int_equal(pager_reload(NULL, &pg), CAMP_EIO);
	m.fail = 1;
	assert_int_equal(pager_first(NULL, &pg), CAMP_EIO);
	pg.l.sel = 0;
	m.fail = 1;
	assert_int_equal(pager_move(NULL, &pg, -1), CAMP_EIO);
	assert_int_equal(pg.l.n, n);
	assert_int_equal(pg.nabove, above);
	assert_int_equal(pager_id(&pg, 0), first);
	assert_true(pager_index(&pg, sel) >= 0);
	check_window(&pg, &m);
	pager_free(&pg);
	assert_int_equal(live, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(down_then_back_up_keeps_the_place),
		cmocka_unit_test(random_walks_stay_true_to_the_model),
		cmocka_unit_test(a_failed_fetch_changes_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
