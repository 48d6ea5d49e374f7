/*
 * public.c: what the camp's public web pages and Atom feeds read: a
 * member's public posts, a tag's, the camp's, one post with its public
 * thread, the camp's staff, and where a member has moved.
 *
 * Every post here is read as nobody in particular sees it (an anonymous
 * viewer) and kept only when audience_public_check() lets its page show
 * it: this file never decides visibility itself.  It does make sure that
 * a post it hands out names no parent its page could not show, and that
 * its reply count counts only the replies the page could show, so that
 * neither says a hidden post exists.
 */
#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

#define PUBLIC_SCAN_BATCH 64
#define PUBLIC_SCAN_MAX 4000 /* candidates examined for one page at most */

/* Candidates for each list, newest first: ids below ?2, at most ?3, for
 * the account or tag in ?1.  They only narrow the search; the audience
 * rule decides.  The camp's feed reads the camp timeline's partial index
 * (see timeline.c for why it is named). */
static const char by_author_sql[] = "SELECT id FROM posts WHERE account_id = ?1"
				    " AND id < ?2 ORDER BY id DESC LIMIT ?3";
static const char *const candidate_sql[PUBLIC_EXIT_COUNT] = {
	[PUBLIC_PROFILE] = by_author_sql,
	[PUBLIC_MEMBER_FEED] = by_author_sql,
	[PUBLIC_TAG] = "SELECT post_id FROM tags WHERE tag = ?1 AND post_id < ?2"
		       " ORDER BY post_id DESC LIMIT ?3",
	[PUBLIC_CAMP_FEED] = "SELECT id FROM posts INDEXED BY posts_camp"
			     " WHERE local = 1 AND boost_of_id IS NULL"
			     " AND visibility IN (" SQL_VIS_PUBLIC ", " SQL_VIS_CAMP
			     ", " SQL_VIS_NEIGHBORHOOD ") AND id < ?2 AND ?1 = ?1"
			     " ORDER BY id DESC LIMIT ?3",
};

/* The replies to post id that a page's thread could show. */
static int public_replies(struct store *st, int64_t id, int *count)
{
	static const char sql[] = "SELECT id FROM posts WHERE in_reply_to_id = ?"
				  " AND boost_of_id IS NULL";
	int64_t *ids;
	int n, r, yes;

	*count = 0;
	if ((r = sql_ids(st, "reading a post's replies", sql, &ids, &n, "i", id)) != 0)
		return r;
	for (int i = 0; i < n && r == 0; i++)
		if ((r = audience_on_public_page(st, PUBLIC_REPLY, ids[i], &yes)) == 0)
			*count += yes;
	free(ids);
	return r;
}

/* Makes a loaded post fit for a public page: its parent is named only
 * when a page could show the parent (never when it is known by uri
 * alone: nothing here says what that is), and its replies are counted
 * as a page shows them.  The same for the post a boost boosts. */
static int public_fixup(struct store *st, struct post *p)
{
	int r, yes = 0;

	if (p->in_reply_to_id &&
	    (r = audience_on_public_page(st, PUBLIC_REPLY, p->in_reply_to_id, &yes)) !=
		    0 &&
	    r != CAMP_ENOENT)
		return r;
	if (!yes) {
		p->in_reply_to_id = 0;
		free(p->in_reply_to_uri);
		p->in_reply_to_uri = NULL;
		account_brief_free(&p->in_reply_to_author);
	}
	if ((r = public_replies(st, p->id, &p->replies)) != 0)
		return r;
	return p->boost_of ? public_fixup(st, p->boost_of) : 0;
}

/* Loads a post that a page may show, as anyone sees it. */
static int public_load(struct store *st, int64_t id, struct post *out)
{
	struct viewer *anyone = viewer_anonymous();
	int r = post_load_for(st, anyone, id, out);

	viewer_free(anyone);
	if (r == 0 && (r = public_fixup(st, out)) != 0)
		post_free(out);
	return r;
}

int public_post_get(struct store *st, enum public_exit exit, int64_t id, struct post *out)
{
	int r, yes = 0;

	memset(out, 0, sizeof *out);
	if ((r = audience_on_public_page(st, exit, id, &yes)) != 0)
		return r;
	if (!yes)
		return err_set(CAMP_ENOENT, "no such post");
	return public_load(st, id, out);
}

static int public_check_query(const struct public_query *q)
{
	if ((int)q->exit < 0 || q->exit >= PUBLIC_EXIT_COUNT ||
	    candidate_sql[q->exit] == NULL)
		return err_set(CAMP_EINVAL, "that page has no list of posts");
	if (q->limit < 1 || q->limit > 200)
		return err_set(CAMP_EINVAL, "a page has 1 to 200 posts");
	if (q->exit == PUBLIC_TAG && (q->tag == NULL || q->tag[0] == '\0'))
		return err_set(CAMP_EINVAL, "which tag?");
	return 0;
}

/* One batch of candidate ids below `below`. */
static int public_candidates(struct store *st, const struct public_query *q,
			     int64_t below, int64_t **ids, int *n)
{
	static const char what[] = "listing a public page's posts";
	const char *sql = candidate_sql[q->exit];

	if (q->exit == PUBLIC_TAG)
		return sql_ids(st, what, sql, ids, n, "tid", q->tag, below,
			       PUBLIC_SCAN_BATCH);
	return sql_ids(st, what, sql, ids, n, "iid", q->account_id, below,
		       PUBLIC_SCAN_BATCH);
}

/* Adds the candidates the page may show to out; *below moves past them. */
static int public_take(struct store *st, const struct public_query *q, const int64_t *ids,
		       int n, int64_t *below, struct post_list *out)
{
	int r, yes;

	for (int i = 0; i < n && out->n < q->limit; i++) {
		struct post p;
		*below = ids[i];
		if ((r = audience_on_public_page(st, q->exit, ids[i], &yes)) != 0 &&
		    r != CAMP_ENOENT)
			return r;
		if (r != 0 || !yes)
			continue;
		if ((r = public_load(st, ids[i], &p)) != 0)
			return r;
		post_list_push(out, &p);
	}
	return 0;
}

int public_posts(struct store *st, const struct public_query *q, struct post_list *out)
{
	int64_t below = q->max_id > 0 ? q->max_id : INT64_MAX, *ids;
	int r, n, scanned = 0;

	memset(out, 0, sizeof *out);
	if ((r = public_check_query(q)) != 0)
		return r;
	do {
		if ((r = public_candidates(st, q, below, &ids, &n)) != 0)
			break;
		r = public_take(st, q, ids, n, &below, out);
		free(ids);
		scanned += n;
		if (r != 0 || n < PUBLIC_SCAN_BATCH) {
			if (r == 0 && out->n < q->limit)
				below = 0; /* the end was reached */
			break;
		}
	} while (out->n < q->limit && scanned < PUBLIC_SCAN_MAX);
	if (r != 0) {
		post_list_free(out);
		return r;
	}
	out->next_max_id = below == INT64_MAX ? 0 : below;
	return 0;
}

/* Drops from a thread listing (depth-ordered, as thread_get makes it)
 * every post a page's thread may not show, and everything below it. */
static int public_thread_filter(struct store *st, struct post_list *l, int chain)
{
	int r, yes, out = 0, cut = -1;

	for (int i = 0; i < l->n; i++) {
		struct post *p = &l->items[i];
		if (cut >= 0 && p->depth > cut) {
			post_free(p);
			continue;
		}
		cut = -1;
		if ((r = audience_on_public_page(st, PUBLIC_REPLY, p->id, &yes)) != 0)
			return r;
		if (yes && (r = public_fixup(st, p)) != 0)
			return r;
		if (!yes) {
			cut = p->depth;
			post_free(p);
			/* Ancestors are a chain: above a hidden one, none. */
			if (chain)
				for (int j = 0; j < out; j++)
					post_free(&l->items[j]);
			out = chain ? 0 : out;
			continue;
		}
		l->items[out++] = *p;
	}
	l->n = out;
	return 0;
}

int public_thread(struct store *st, int64_t post_id, struct post_list *ancestors,
		  struct post *focus, struct post_list *descendants)
{
	struct viewer *anyone = viewer_anonymous();
	int r, yes = 0;

	memset(ancestors, 0, sizeof *ancestors);
	memset(descendants, 0, sizeof *descendants);
	memset(focus, 0, sizeof *focus);
	if ((r = audience_on_public_page(st, PUBLIC_POST, post_id, &yes)) != 0 ||
	    (!yes && (r = err_set(CAMP_ENOENT, "no such post")) != 0) ||
	    (r = thread_get(st, anyone, post_id, ancestors, focus, descendants)) != 0) {
		viewer_free(anyone);
		return r;
	}
	viewer_free(anyone);
	if ((r = public_fixup(st, focus)) != 0 ||
	    (r = public_thread_filter(st, ancestors, 1)) != 0 ||
	    (r = public_thread_filter(st, descendants, 0)) != 0) {
		post_free(focus);
		post_list_free(ancestors);
		post_list_free(descendants);
	}
	return r;
}

/* ---- the camp's staff and members' moves -------------------------------- */

/* Who answers for the camp, with the role each holds, by rank then
 * name.  Today a role is the accounts.is_admin flag; roles of their own
 * (owner, moderator) add rows to this query, not new callers. */
int camp_staff(struct store *st, struct staff_member **out, int *n)
{
	static const char sql[] = "SELECT id, 'admin' FROM accounts"
				  " WHERE domain IS NULL AND deleted_at = 0"
				  " AND is_admin = 1 ORDER BY username";
	struct sql_cursor c;
	int r;

	*out = NULL;
	*n = 0;
	sql_open(st, &c, "listing the camp's staff", sql, "");
	while ((r = sql_next(&c)) > 0) {
		*out = xrealloc(*out, sizeof **out * (size_t)(*n + 1));
		memset(&(*out)[*n], 0, sizeof **out);
		(*out)[*n].who.id = col_int64(&c, 0);
		(*out)[*n].role = col_text(&c, 1);
		(*n)++;
	}
	r = sql_done(&c, r);
	/* Briefs are read after the scan, with statements of their own. */
	for (int i = 0; i < *n && r == 0; i++)
		r = account_brief_get(st, (*out)[i].who.id, &(*out)[i].who);
	if (r != 0) {
		camp_staff_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return r;
}

void camp_staff_free(struct staff_member *s, int n)
{
	for (int i = 0; i < n; i++) {
		account_brief_free(&s[i].who);
		free(s[i].role);
	}
	free(s);
}

int account_follow_counts(struct store *st, int64_t id, int64_t *followers,
			  int64_t *following)
{
	/* account_counts() counts the member's posts too, twice: a scan of
	 * every post they wrote, which a profile page does not need. */
	static const char followers_sql[] =
		"SELECT count(*) FROM follows WHERE target_id = ?1"
		" AND state = " SQL_FOLLOW_ACCEPTED;
	static const char following_sql[] =
		"SELECT count(*) FROM follows WHERE follower_id = ?1"
		" AND state = " SQL_FOLLOW_ACCEPTED;
	static const char what[] = "counting follows";
	int r;

	*followers = *following = 0;
	if ((r = sql_int64(st, what, followers_sql, followers, "i", id)) == 0)
		r = sql_int64(st, what, following_sql, following, "i", id);
	return r;
}

int account_moved_to(struct store *st, int64_t account_id, char **uri)
{
	static const char sql[] = "SELECT target_uri FROM fed_moves WHERE account_id = ?1"
				  " ORDER BY id DESC LIMIT 1";
	int r = sql_text(st, "reading where a member moved", sql, uri, "i", account_id);

	if (r == CAMP_ENOENT) {
		*uri = NULL;
		return 0;
	}
	return r;
}
