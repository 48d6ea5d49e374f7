/*
 * pager.c: a bounded window onto a long list that the store serves
 * newest first, a page at a time (timelines, conversations,
 * notifications).
 *
 * The window holds at most PAGER_MAX items, however far the member
 * reads.  Going down loads the page below (max_id) and lets the top go;
 * each stretch let go leaves behind only the max_id that loads it again,
 * so going back up reloads the stretch right above the window and lets
 * the bottom go, and the member keeps their place instead of being sent
 * back to the newest.  A reload after a change elsewhere loads the same
 * window again and keeps the selection on the same item, counting what
 * arrived above it.  The pager knows nothing of what an item is: a table
 * of operations says how big one is, what its id is, how to free it and
 * how to fetch a page.  It never draws and never writes to the store.
 */
#include "tui/tui-private.h"

#include <string.h>

void pager_init(struct pager *pg, const struct pager_ops *ops, void *ctx)
{
	memset(pg, 0, sizeof *pg);
	pg->ops = ops;
	pg->ctx = ctx;
}

void *pager_at(const struct pager *pg, int i)
{
	return pg->items + (size_t)i * pg->ops->size;
}

int64_t pager_id(const struct pager *pg, int i)
{
	return pg->ops->id(pager_at(pg, i));
}

int pager_index(const struct pager *pg, int64_t id)
{
	for (int i = 0; i < pg->l.n; i++)
		if (pager_id(pg, i) == id)
			return i;
	return -1;
}

int pager_at_newest(const struct pager *pg)
{
	return pg->nabove == 0;
}

/* Frees items [from, to) of the window (the array stays). */
static void pager_free_range(struct pager *pg, int from, int to)
{
	for (int i = from; i < to; i++)
		pg->ops->free(pager_at(pg, i));
}

void pager_clear(struct pager *pg)
{
	pager_free_range(pg, 0, pg->l.n);
	pg->l.n = pg->l.sel = pg->l.top = 0;
	pg->nabove = 0;
	pg->next_max_id = 0;
	pg->fresh = 0;
}

void pager_free(struct pager *pg)
{
	pager_clear(pg);
	free(pg->items);
	free(pg->above);
	pg->items = NULL;
	pg->above = NULL;
	pg->cap = pg->above_cap = 0;
}

/* Makes room for n more items. */
static void pager_grow(struct pager *pg, int n)
{
	if (pg->l.n + n <= pg->cap)
		return;
	pg->cap = pg->l.n + n;
	pg->items = xrealloc(pg->items, (size_t)pg->cap * pg->ops->size);
}

void pager_append(struct pager *pg, struct pager_page *page)
{
	pager_grow(pg, page->n);
	if (page->n > 0)
		memcpy(pager_at(pg, pg->l.n), page->items,
		       (size_t)page->n * pg->ops->size);
	pg->l.n += page->n;
	free(page->items); /* the items themselves are the window's now */
	page->items = NULL;
	page->n = 0;
}

static int pager_fetch(struct app *a, struct pager *pg, int64_t max_id, int limit,
		       struct pager_page *out)
{
	memset(out, 0, sizeof *out);
	return pg->ops->fetch(a, pg->ctx, max_id, limit > 200 ? 200 : limit, out);
}

int pager_first(struct app *a, struct pager *pg)
{
	struct pager_page p;
	int r;

	if ((r = pager_fetch(a, pg, 0, PAGER_PAGE, &p)) != 0)
		return r;
	pager_clear(pg);
	pg->next_max_id = p.next_max_id;
	pager_append(pg, &p);
	return 0;
}

void pager_place_save(const struct pager *pg, struct pager_place *at)
{
	at->sel_id = pg->l.n ? pager_id(pg, pg->l.sel) : 0;
	at->top_id = pg->l.n ? pager_id(pg, pg->l.top) : 0;
	at->was_top = pg->l.top == 0;
	at->old_sel = pg->l.sel;
}

void pager_place_restore(struct pager *pg, const struct pager_place *at)
{
	int i = pager_index(pg, at->sel_id);

	pg->l.sel = i >= 0 ? i : at->old_sel;
	if (pg->l.sel >= pg->l.n)
		pg->l.sel = pg->l.n - 1;
	if (pg->l.sel < 0)
		pg->l.sel = 0;
	i = pager_index(pg, at->top_id);
	pg->l.top = at->was_top || i < 0 ? 0 : i;
}

int pager_reload(struct app *a, struct pager *pg)
{
	int n = pg->l.n, r;
	int64_t newest = n && pager_at_newest(pg) ? pager_id(pg, 0) : 0;
	struct pager_place at;
	struct pager_page p;

	pager_place_save(pg, &at);
	/* Away from the newest, the window starts where it did. */
	r = pager_fetch(a, pg, n && !pager_at_newest(pg) ? pager_id(pg, 0) + 1 : 0,
			n > PAGER_PAGE ? n : PAGER_PAGE, &p);
	if (r != 0)
		return r;
	pager_free_range(pg, 0, n);
	pg->l.n = 0;
	if (n == 0)
		pg->nabove = 0; /* nothing left to keep a place by */
	pg->next_max_id = p.next_max_id;
	pager_append(pg, &p);
	pager_place_restore(pg, &at);
	/* What arrived above the selection is counted for the "N new" mark. */
	for (int i = 0; newest && i < pg->l.sel && pager_id(pg, i) > newest; i++)
		pg->fresh++;
	return 0;
}

/* Remembers how to load again a stretch that starts with item id. */
static void pager_push_above(struct pager *pg, int64_t id)
{
	if (pg->nabove == pg->above_cap) {
		pg->above_cap = pg->above_cap ? pg->above_cap * 2 : 8;
		pg->above =
			xrealloc(pg->above, (size_t)pg->above_cap * sizeof *pg->above);
	}
	pg->above[pg->nabove++] = id + 1;
}

int pager_below(struct app *a, struct pager *pg)
{
	struct pager_page p;
	int drop, r;

	if (pg->next_max_id == 0 || pg->l.n == 0)
		return 0;
	if ((r = pager_fetch(a, pg, pg->next_max_id, PAGER_PAGE, &p)) != 0)
		return r;
	pg->next_max_id = p.next_max_id;
	pager_append(pg, &p);
	if ((drop = pg->l.n - PAGER_MAX) <= 0)
		return 0;
	pager_push_above(pg, pager_id(pg, 0));
	pager_free_range(pg, 0, drop);
	memmove(pg->items, pager_at(pg, drop), (size_t)(pg->l.n - drop) * pg->ops->size);
	pg->l.n -= drop;
	pg->l.sel = pg->l.sel >= drop ? pg->l.sel - drop : 0;
	pg->l.top = pg->l.top >= drop ? pg->l.top - drop : 0;
	pg->fresh = 0; /* what is new is beyond what the window holds */
	return drop;
}

/* The id of item i of a page not yet taken over. */
static int64_t page_id(const struct pager *pg, const struct pager_page *p, int i)
{
	return pg->ops->id((const char *)p->items + (size_t)i * pg->ops->size);
}

/* Puts the first keep items of page above the window (taking them over)
 * and frees the rest of the page. */
static void pager_prepend(struct pager *pg, struct pager_page *page, int keep)
{
	size_t size = pg->ops->size;

	for (int i = keep; i < page->n; i++)
		pg->ops->free((char *)page->items + (size_t)i * size);
	pager_grow(pg, keep);
	memmove(pager_at(pg, keep), pg->items, (size_t)pg->l.n * size);
	if (keep > 0)
		memcpy(pg->items, page->items, (size_t)keep * size);
	free(page->items);
	page->items = NULL;
	page->n = 0;
	pg->l.n += keep;
	pg->l.sel += keep;
	pg->l.top += keep;
}

/* Lets the bottom go past PAGER_MAX; the page below starts there. */
static void pager_trim_bottom(struct pager *pg)
{
	if (pg->l.n <= PAGER_MAX)
		return;
	pager_free_range(pg, PAGER_MAX, pg->l.n);
	pg->l.n = PAGER_MAX;
	pg->next_max_id = pager_id(pg, PAGER_MAX - 1);
	if (pg->l.sel >= pg->l.n)
		pg->l.sel = pg->l.n - 1;
	if (pg->l.top > pg->l.sel)
		pg->l.top = pg->l.sel;
}

int pager_above(struct app *a, struct pager *pg)
{
	struct pager_page p;
	int added = 0, keep, r;

	/* A stretch may be gone entirely (deleted meanwhile): take the next. */
	while (added == 0 && pg->nabove > 0) {
		int64_t first = pg->l.n ? pager_id(pg, 0) : 0;
		/* Twice a page: a stretch is at most one, unless older items
		 * joined it since (a home feed backfilled after a follow). */
		r = pager_fetch(a, pg, pg->above[pg->nabove - 1], 2 * PAGER_PAGE, &p);
		if (r != 0)
			return r;
		pg->nabove--;
		keep = 0; /* what is not above the window is already in it */
		while (keep < p.n && (!first || page_id(pg, &p, keep) > first))
			keep++;
		pager_prepend(pg, &p, keep);
		added = keep;
	}
	pager_trim_bottom(pg);
	if (pager_at_newest(pg) && (r = pager_reload(a, pg)) != 0)
		return r; /* back at the top: catch up with what arrived */
	return added;
}

int pager_move(struct app *a, struct pager *pg, int delta)
{
	int r = 0;

	if (delta > 0 && pg->l.sel + delta >= pg->l.n)
		r = pager_below(a, pg);
	else if (delta < 0 && pg->l.sel + delta < 0 && !pager_at_newest(pg))
		r = pager_above(a, pg);
	list_move(&pg->l, delta);
	return r < 0 ? r : 0;
}

int pager_last(struct app *a, struct pager *pg)
{
	int r = 0;

	if (pg->l.sel + 1 >= pg->l.n)
		r = pager_below(a, pg);
	pg->l.sel = pg->l.n > 0 ? pg->l.n - 1 : 0;
	return r < 0 ? r : 0;
}

int pager_newest(struct app *a, struct pager *pg)
{
	int r = 0;

	if (!pager_at_newest(pg) && (r = pager_first(a, pg)) != 0)
		return r;
	pg->l.sel = pg->l.top = 0;
	return 0;
}
