/*
 * timeline.c: reading the camp: timelines, threads, notifications and
 * direct-message conversations, newest first, one page at a time.
 *
 * Each reader fetches candidate ids in order from an index and keeps
 * those that audience.c lets the viewer see (and, in timelines, that the
 * viewer has not muted), until the page is full.  A page never costs more
 * than a bounded scan, so a viewer who can see little still gets an answer
 * quickly, with a cursor to go on from.
 */
#include "store/store-private.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SCAN_BATCH 64
#define SCAN_MAX 4000 /* candidates examined for one page at most */
#define THREAD_MAX 2000

static const char *const timeline_names[] = {"home", "camp", "federated", "profile",
					     "hashtag"};

int timeline_kind_parse(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(timeline_names); i++)
		if (strcmp(name, timeline_names[i]) == 0)
			return (int)i;
	return -1;
}

void post_list_free(struct post_list *l)
{
	for (int i = 0; i < l->n; i++)
		post_free(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof *l);
}

void post_list_push(struct post_list *l, struct post *p)
{
	l->items = xrealloc(l->items, sizeof *l->items * (size_t)(l->n + 1));
	l->items[l->n++] = *p;
}

/* The candidate query of each timeline: ids below ?2, newest first, at
 * most ?3, for the account or tag in ?1.  The camp and federated
 * timelines name their partial indexes: without statistics SQLite
 * prefers posts_boost for `boost_of_id IS NULL`, which matches nearly
 * every post, and sorts them all (a second per page over a million
 * posts; see bench/RESULTS.md).  INDEXED BY also makes the statement
 * fail to prepare, rather than crawl, if the index ever goes. */
static const char *const candidate_sql[] = {
	[TL_HOME] = "SELECT post_id FROM home_feed WHERE account_id = ?1 AND post_id < ?2"
		    " ORDER BY post_id DESC LIMIT ?3",
	[TL_CAMP] = "SELECT id FROM posts INDEXED BY posts_camp"
		    " WHERE local = 1 AND boost_of_id IS NULL"
		    " AND visibility IN (" SQL_VIS_PUBLIC ", " SQL_VIS_CAMP
		    ", " SQL_VIS_NEIGHBORHOOD ") AND id < ?2 AND ?1 = ?1"
		    " ORDER BY id DESC LIMIT ?3",
	[TL_FEDERATED] = "SELECT id FROM posts INDEXED BY posts_federated"
			 " WHERE visibility = " SQL_VIS_PUBLIC " AND boost_of_id IS NULL"
			 " AND id < ?2 AND ?1 = ?1 ORDER BY id DESC LIMIT ?3",
	[TL_PROFILE] = "SELECT id FROM posts WHERE account_id = ?1 AND id < ?2"
		       " ORDER BY id DESC LIMIT ?3",
	[TL_HASHTAG] = "SELECT post_id FROM tags WHERE tag = ?1 AND post_id < ?2"
		       " ORDER BY post_id DESC LIMIT ?3",
};

const char *timeline_candidate_sql(enum timeline_kind k)
{
	return (int)k >= 0 && k <= TL_HASHTAG ? candidate_sql[k] : NULL;
}

/* One batch of candidate ids. */
static int timeline_candidates(struct store *st, struct viewer *v,
			       const struct timeline_query *q, int64_t below,
			       int64_t **ids, int *n)
{
	static const char what[] = "reading the timeline";
	const char *sql = candidate_sql[q->kind];

	if (q->kind == TL_HASHTAG)
		return sql_ids(st, what, sql, ids, n, "tid", q->tag, below, SCAN_BATCH);
	return sql_ids(st, what, sql, ids, n, "iid",
		       q->kind == TL_PROFILE ? q->account_id : viewer_account_id(v),
		       below, SCAN_BATCH);
}

/* Whether a candidate belongs on v's page: visible, not muted (except on
 * the muted account's own profile), and neither author of a boost muted. */
static int timeline_keep(struct store *st, struct viewer *v,
			 const struct timeline_query *q, int64_t id, int *keep)
{
	struct post_meta m, orig;
	int r;

	*keep = 0;
	if ((r = post_meta_get(st, id, &m)) != 0)
		return r == CAMP_ENOENT ? 0 : r;
	if (q->kind == TL_HOME && m.visibility == VIS_DIRECT)
		return 0;
	if (q->kind != TL_PROFILE && viewer_mutes(v, m.author_id))
		return 0;
	if (m.boost_of_id) {
		if ((r = post_meta_get(st, m.boost_of_id, &orig)) != 0)
			return r == CAMP_ENOENT ? 0 : r;
		if (viewer_mutes(v, orig.author_id) || viewer_blocks(v, orig.author_id))
			return 0;
	}
	return audience_check(st, v, &m, keep);
}

static int timeline_check_query(const struct timeline_query *q)
{
	if ((int)q->kind < 0 || q->kind > TL_HASHTAG)
		return err_set(CAMP_EINVAL, "unknown timeline");
	if (q->limit < 1 || q->limit > 200)
		return err_set(CAMP_EINVAL, "a page has 1 to 200 posts");
	if (q->kind == TL_HASHTAG && (q->tag == NULL || q->tag[0] == '\0'))
		return err_set(CAMP_EINVAL, "which tag?");
	return 0;
}

/* Fills out from one batch of candidates; *below moves past them. */
static int timeline_take(struct store *st, struct viewer *v,
			 const struct timeline_query *q, const int64_t *ids, int n,
			 int64_t *below, struct post_list *out)
{
	int r = 0, keep;

	for (int i = 0; i < n && out->n < q->limit; i++) {
		*below = ids[i];
		if ((r = timeline_keep(st, v, q, ids[i], &keep)) != 0)
			return r;
		if (keep) {
			struct post p;
			if ((r = post_load_for(st, v, ids[i], &p)) != 0)
				return r;
			post_list_push(out, &p);
		}
	}
	return 0;
}

int timeline_get(struct store *st, struct viewer *v, const struct timeline_query *q,
		 struct post_list *out)
{
	int64_t below = q->max_id > 0 ? q->max_id : INT64_MAX, *ids;
	int r, n, scanned = 0;

	memset(out, 0, sizeof *out);
	if ((r = timeline_check_query(q)) != 0)
		return r;
	do {
		if ((r = timeline_candidates(st, v, q, below, &ids, &n)) != 0)
			break;
		r = timeline_take(st, v, q, ids, n, &below, out);
		free(ids);
		scanned += n;
		if (r != 0 || n < SCAN_BATCH) {
			if (r == 0 && out->n < q->limit)
				below = 0; /* the end was reached */
			break;
		}
	} while (out->n < q->limit && scanned < SCAN_MAX);
	if (r != 0) {
		post_list_free(out);
		return r;
	}
	out->next_max_id = below == INT64_MAX ? 0 : below;
	return 0;
}

/* ---- threads ----------------------------------------------------------- */

/* Ancestors, nearest first while walking up; reversed to root first. */
static int thread_ancestors(struct store *st, struct viewer *v, const struct post_meta *m,
			    struct post_list *out)
{
	int64_t parent = m->in_reply_to_id;
	int r = 0, yes;

	for (int depth = 0; parent && depth < THREAD_MAX && r == 0; depth++) {
		struct post_meta pm;
		struct post p;
		if ((r = post_meta_get(st, parent, &pm)) != 0)
			return r == CAMP_ENOENT ? 0 : r;
		if ((r = audience_check(st, v, &pm, &yes)) != 0 || !yes)
			break; /* what the viewer may not see ends the chain */
		if ((r = post_load_for(st, v, parent, &p)) != 0)
			return r;
		post_list_push(out, &p);
		parent = pm.in_reply_to_id;
	}
	for (int i = 0; i < out->n / 2; i++) {
		struct post t = out->items[i];
		out->items[i] = out->items[out->n - 1 - i];
		out->items[out->n - 1 - i] = t;
	}
	return r;
}

struct thread_node {
	int64_t id, parent;
};

/* Adds the visible replies under `parent`, depth first, oldest first. */
static int thread_walk(struct store *st, struct viewer *v,
		       const struct thread_node *nodes, int n, int64_t parent, int depth,
		       struct post_list *out)
{
	int r = 0, yes;

	for (int i = 0; i < n && r == 0; i++) {
		if (nodes[i].parent != parent || out->n >= THREAD_MAX)
			continue;
		struct post_meta m;
		struct post p;
		if ((r = post_meta_get(st, nodes[i].id, &m)) != 0 ||
		    (r = audience_check(st, v, &m, &yes)) != 0)
			return r;
		/* A hidden or muted reply hides its replies too. */
		if (!yes || viewer_mutes(v, m.author_id))
			continue;
		if ((r = post_load_for(st, v, nodes[i].id, &p)) != 0)
			return r;
		p.depth = depth;
		post_list_push(out, &p);
		r = thread_walk(st, v, nodes, n, nodes[i].id, depth + 1, out);
	}
	return r;
}

static int thread_descendants(struct store *st, struct viewer *v,
			      const struct post_meta *m, struct post_list *out)
{
	static const char sql[] =
		"SELECT id, ifnull(in_reply_to_id, 0) FROM posts WHERE thread_id = ?"
		" AND id > ? AND boost_of_id IS NULL ORDER BY id LIMIT ?";
	struct thread_node *nodes = NULL;
	struct sql_cursor c;
	int r, n = 0;

	sql_open(st, &c, "reading the thread", sql, "iid", m->thread_id, m->id,
		 THREAD_MAX);
	while ((r = sql_next(&c)) > 0) {
		nodes = xrealloc(nodes, sizeof *nodes * (size_t)(n + 1));
		nodes[n].id = col_int64(&c, 0);
		nodes[n].parent = col_int64(&c, 1);
		n++;
	}
	if ((r = sql_done(&c, r)) == 0)
		r = thread_walk(st, v, nodes, n, m->id, 1, out);
	free(nodes);
	return r;
}

int thread_get(struct store *st, struct viewer *v, int64_t post_id,
	       struct post_list *ancestors, struct post *focus,
	       struct post_list *descendants)
{
	struct post_meta m;
	int r;

	memset(ancestors, 0, sizeof *ancestors);
	memset(descendants, 0, sizeof *descendants);
	if ((r = post_get(st, v, post_id, focus)) != 0)
		return r;
	if ((r = post_meta_get(st, post_id, &m)) != 0 ||
	    (r = thread_ancestors(st, v, &m, ancestors)) != 0 ||
	    (r = thread_descendants(st, v, &m, descendants)) != 0) {
		post_free(focus);
		post_list_free(ancestors);
		post_list_free(descendants);
	}
	return r;
}
