/*
 * audience.c: who may see what.  The one place that decides it.
 *
 * DESIGN §3 is implemented here and nowhere else: the levels themselves
 * (their names, their words, which are open to anyone), the level a
 * reply starts at, who is blocked either way, and audience_check(), which
 * every timeline, thread, notification, object fetch and delivery asks
 * (directly, or through audience_remote_recipients() for deliveries).  A
 * viewer is loaded once with its follows, blocks and mutes so that checking
 * a page of posts costs no more than a mention lookup per restricted post.
 *
 * This file must never widen an audience: when in doubt, the answer is no.
 */
#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the levels -------------------------------------------------------- */

/* One row per level: its name in commands and JSON, its words next to a
 * post, and the line a picker explains it with (TUI.md). */
static const struct {
	const char *name, *label, *about;
} levels[VIS_COUNT] = {
	[VIS_PUBLIC] = {"public", "public", "anyone, shown in public timelines"},
	[VIS_UNLISTED] = {"unlisted", "unlisted", "anyone, but not in public timelines"},
	[VIS_FOLLOWERS] = {"followers", "followers",
			   "your followers and people you mention"},
	[VIS_DIRECT] = {"direct", "direct", "only the people you mention"},
	[VIS_CAMP] = {"camp", "camp only",
		      "only people on this camp; it never leaves the camp"},
	[VIS_NEIGHBORHOOD] = {"neighborhood", "neighborhood",
			      "this camp and the camps it trusts"},
};

static int level_valid(int v)
{
	return v >= 0 && v < VIS_COUNT;
}

const char *visibility_name(enum visibility v)
{
	return level_valid((int)v) ? levels[v].name : NULL;
}

int visibility_parse(const char *name)
{
	for (int i = 0; i < VIS_COUNT; i++)
		if (strcmp(name, levels[i].name) == 0)
			return i;
	return -1;
}

const char *visibility_label(enum visibility v)
{
	return level_valid((int)v) ? levels[v].label : "?";
}

const char *visibility_about(enum visibility v)
{
	return level_valid((int)v) ? levels[v].about : "";
}

int visibility_is_open(enum visibility v)
{
	return v == VIS_PUBLIC || v == VIS_UNLISTED;
}

int audience_reply_visibility(int def, int parent)
{
	if (!level_valid(def) || !level_valid(parent))
		return VIS_DIRECT;
	switch (parent) {
	case VIS_DIRECT:
	case VIS_CAMP:
		return parent;
	case VIS_NEIGHBORHOOD:
		return def == VIS_CAMP ? VIS_CAMP : VIS_NEIGHBORHOOD;
	case VIS_FOLLOWERS:
		return def == VIS_DIRECT ? VIS_DIRECT : VIS_FOLLOWERS;
	case VIS_UNLISTED:
		return def == VIS_PUBLIC ? VIS_UNLISTED : def;
	default:
		return def;
	}
}

/* ---- viewers ------------------------------------------------------------ */

enum viewer_kind { VIEWER_ANONYMOUS, VIEWER_MEMBER, VIEWER_REMOTE };

struct viewer {
	enum viewer_kind kind;
	int64_t id;
	char *domain;	    /* remote viewers */
	int trusted_camp;   /* remote viewer on a neighbor camp */
	int64_t *following; /* accepted follows, sorted */
	int nfollowing;
	int64_t *blocks; /* blocking or blocked by, sorted */
	int nblocks;
	int64_t *mutes; /* sorted */
	int nmutes;
};

/* The accounts that block ?1 or that ?1 blocks: the one statement of
 * "blocked either way". */
static const char blocked_sql[] =
	"SELECT target_id FROM blocks WHERE account_id = ?1"
	" UNION SELECT account_id FROM blocks WHERE target_id = ?1";

int blocks_either_way(struct store *st, int64_t id, int64_t **ids, int *n)
{
	int r = sql_ids(st, "reading blocks", blocked_sql, ids, n, "i", id);

	if (r == 0)
		*n = ids_sort_unique(*ids, *n);
	return r;
}

int blocked_between(struct store *st, int64_t a, int64_t b, int *yes)
{
	int64_t *ids;
	int n, r;

	*yes = 0;
	if ((r = blocks_either_way(st, a, &ids, &n)) != 0)
		return r;
	*yes = ids_contains(ids, n, b);
	free(ids);
	return 0;
}

/* Loads the sorted id sets a viewer needs. */
static int viewer_load_sets(struct store *st, struct viewer *v)
{
	static const char following_sql[] =
		"SELECT target_id FROM follows WHERE follower_id = ?"
		" AND state = " SQL_FOLLOW_ACCEPTED;
	static const char mutes_sql[] =
		"SELECT target_id FROM mutes WHERE account_id = ?";
	int r;

	if ((r = sql_ids(st, "reading whom the viewer follows", following_sql,
			 &v->following, &v->nfollowing, "i", v->id)) != 0 ||
	    (r = sql_ids(st, "reading the viewer's mutes", mutes_sql, &v->mutes,
			 &v->nmutes, "i", v->id)) != 0 ||
	    (r = blocks_either_way(st, v->id, &v->blocks, &v->nblocks)) != 0)
		return r;
	v->nfollowing = ids_sort_unique(v->following, v->nfollowing);
	v->nmutes = ids_sort_unique(v->mutes, v->nmutes);
	return 0;
}

int viewer_member(struct store *st, int64_t account_id, struct viewer **out)
{
	struct viewer *v = xcalloc(1, sizeof *v);
	int r, member = account_is_member(st, account_id);

	*out = NULL;
	if (member < 0 || member == 0) {
		free(v);
		return member < 0 ? member : err_set(CAMP_EINVAL, "not a member");
	}
	v->kind = VIEWER_MEMBER;
	v->id = account_id;
	if ((r = viewer_load_sets(st, v)) != 0) {
		viewer_free(v);
		return r;
	}
	*out = v;
	return 0;
}

/* Whether domain is a camp this camp trusts (a neighbor). */
static int domain_trusted(struct store *st, const char *domain, int *yes)
{
	char **domains;
	int n, r;

	*yes = 0;
	if ((r = neighbors_list(st, &domains, &n)) != 0)
		return r;
	for (int i = 0; i < n; i++) {
		if (strcasecmp(domains[i], domain) == 0)
			*yes = 1;
		free(domains[i]);
	}
	free(domains);
	return 0;
}

int viewer_remote(struct store *st, int64_t remote_account_id, struct viewer **out)
{
	struct viewer *v = xcalloc(1, sizeof *v);
	struct account_brief b;
	int r;

	*out = NULL;
	v->kind = VIEWER_REMOTE;
	v->id = remote_account_id;
	if ((r = account_brief_get(st, remote_account_id, &b)) != 0)
		goto fail;
	if (b.domain == NULL) {
		account_brief_free(&b);
		r = err_set(CAMP_EINVAL, "not a remote account");
		goto fail;
	}
	v->domain = xstrdup(b.domain);
	account_brief_free(&b);
	if ((r = domain_trusted(st, v->domain, &v->trusted_camp)) != 0 ||
	    (r = viewer_load_sets(st, v)) != 0)
		goto fail;
	*out = v;
	return 0;
fail:
	viewer_free(v);
	return r;
}

int viewer_for_account(struct store *st, int64_t account_id, struct viewer **out)
{
	int member = account_is_member(st, account_id);

	if (member < 0)
		return member;
	return member ? viewer_member(st, account_id, out)
		      : viewer_remote(st, account_id, out);
}

struct viewer *viewer_anonymous(void)
{
	struct viewer *v = xcalloc(1, sizeof *v);

	v->kind = VIEWER_ANONYMOUS;
	return v;
}

void viewer_free(struct viewer *v)
{
	if (v == NULL)
		return;
	free(v->domain);
	free(v->following);
	free(v->blocks);
	free(v->mutes);
	free(v);
}

int64_t viewer_account_id(const struct viewer *v)
{
	return v->id;
}

int viewer_mutes(const struct viewer *v, int64_t account_id)
{
	return ids_contains(v->mutes, v->nmutes, account_id);
}

int viewer_blocks(const struct viewer *v, int64_t account_id)
{
	return ids_contains(v->blocks, v->nblocks, account_id);
}

/* Whether the viewer is among the post's addressees (mentions, including
 * the implicit ones of a reply). */
static int viewer_mentioned(struct store *st, const struct viewer *v, int64_t post_id,
			    int *yes)
{
	static const char sql[] =
		"SELECT 1 FROM mentions WHERE post_id = ? AND account_id = ?";

	*yes = 0;
	if (v->kind == VIEWER_ANONYMOUS)
		return 0;
	return sql_exists(st, "checking who may see a post", sql, yes, "ii", post_id,
			  v->id);
}

/* The table of DESIGN §3 for one post, ignoring boosts. */
static int audience_check_one(struct store *st, struct viewer *v,
			      const struct post_meta *m, int *yes)
{
	*yes = 0;
	if (v->kind != VIEWER_ANONYMOUS && v->id == m->author_id) {
		*yes = 1;
		return 0;
	}
	if (viewer_blocks(v, m->author_id))
		return 0;
	if (visibility_is_open(m->visibility)) {
		*yes = 1;
		return 0;
	}
	switch (m->visibility) {
	case VIS_FOLLOWERS:
		if (ids_contains(v->following, v->nfollowing, m->author_id)) {
			*yes = 1;
			return 0;
		}
		return viewer_mentioned(st, v, m->id, yes);
	case VIS_DIRECT:
		return viewer_mentioned(st, v, m->id, yes);
	case VIS_CAMP:
		/* Members only, and never anyone outside: not even a mention
		 * lets a remote actor see it. */
		*yes = v->kind == VIEWER_MEMBER && m->local;
		return 0;
	case VIS_NEIGHBORHOOD:
		*yes = v->kind == VIEWER_MEMBER ||
		       (v->kind == VIEWER_REMOTE && v->trusted_camp);
		return 0;
	default:
		return 0;
	}
}

int audience_check(struct store *st, struct viewer *v, const struct post_meta *m,
		   int *yes)
{
	struct post_meta orig;
	int r;

	if ((r = audience_check_one(st, v, m, yes)) != 0 || !*yes || !m->boost_of_id)
		return r;
	/* A boost is seen only with the post it boosts. */
	if ((r = post_meta_get(st, m->boost_of_id, &orig)) != 0) {
		*yes = 0;
		return r == CAMP_ENOENT ? 0 : r;
	}
	return audience_check_one(st, v, &orig, yes);
}

int audience_can_see(struct store *st, struct viewer *v, int64_t post_id, int *yes)
{
	struct post_meta m;
	int r;

	*yes = 0;
	if ((r = post_meta_get(st, post_id, &m)) != 0)
		return r;
	return audience_check(st, v, &m, yes);
}

int audience_may_federate(struct store *st, int64_t post_id, int *yes)
{
	struct post_meta m;
	int r;

	*yes = 0;
	if ((r = post_meta_get(st, post_id, &m)) != 0)
		return r;
	if (m.visibility == VIS_CAMP)
		return 0;
	if (m.boost_of_id) {
		if ((r = post_meta_get(st, m.boost_of_id, &m)) != 0)
			return r == CAMP_ENOENT ? 0 : r;
		if (m.visibility == VIS_CAMP)
			return 0;
	}
	*yes = 1;
	return 0;
}

/* Removes from ids every account that blocks or is blocked by author. */
static int drop_blocked(struct store *st, int64_t author, int64_t *ids, int *n)
{
	int64_t *blocked;
	int nb, r, out = 0;

	if ((r = blocks_either_way(st, author, &blocked, &nb)) != 0)
		return r;
	for (int i = 0; i < *n; i++)
		if (!ids_contains(blocked, nb, ids[i]))
			ids[out++] = ids[i];
	*n = out;
	free(blocked);
	return 0;
}

/* Appends the remote accounts that a query binding fmt's one value (or
 * none) returns. */
static int add_ids(struct store *st, const char *sql, const char *fmt, int64_t arg,
		   int64_t **ids, int *n)
{
	int64_t *more;
	int nmore, r;

	/* With an empty fmt, arg is passed and not read, as C allows. */
	if ((r = sql_ids(st, "working out who a post goes to", sql, &more, &nmore, fmt,
			 arg)) != 0)
		return r;
	for (int i = 0; i < nmore; i++)
		ids_push(ids, n, more[i]);
	free(more);
	return 0;
}

static const char remote_followers_sql[] =
	"SELECT f.follower_id FROM follows f JOIN accounts a ON a.id = f.follower_id"
	" WHERE f.target_id = ? AND f.state = " SQL_FOLLOW_ACCEPTED
	" AND a.domain IS NOT NULL";
static const char remote_following_sql[] =
	"SELECT f.target_id FROM follows f JOIN accounts a ON a.id = f.target_id"
	" WHERE f.follower_id = ? AND f.state = " SQL_FOLLOW_ACCEPTED
	" AND a.domain IS NOT NULL";
static const char remote_mentions_sql[] =
	"SELECT m.account_id FROM mentions m JOIN accounts a ON a.id = m.account_id"
	" WHERE m.post_id = ? AND a.domain IS NOT NULL";
/* Neighbor camps are reached through their instance actors. */
static const char neighbor_actors_sql[] =
	"SELECT a.id FROM neighbors n JOIN accounts a ON a.uri = n.actor_uri"
	" WHERE n.state = " SQL_NEIGHBOR_AGREED;

int remote_followers(struct store *st, int64_t member, int with_following, int64_t **ids,
		     int *n)
{
	int r;

	*ids = NULL;
	*n = 0;
	if ((r = add_ids(st, remote_followers_sql, "i", member, ids, n)) == 0 &&
	    with_following)
		r = add_ids(st, remote_following_sql, "i", member, ids, n);
	if (r != 0) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return r;
	}
	*n = ids_sort_unique(*ids, *n);
	return 0;
}

int audience_remote_recipients(struct store *st, int64_t post_id, int64_t **ids, int *n)
{
	struct post_meta m;
	int r;

	*ids = NULL;
	*n = 0;
	if ((r = post_meta_get(st, post_id, &m)) != 0)
		return r;
	switch (m.visibility) {
	case VIS_CAMP:
		return 0; /* never, ever */
	case VIS_NEIGHBORHOOD:
		r = add_ids(st, neighbor_actors_sql, "", 0, ids, n);
		break;
	case VIS_DIRECT:
		r = add_ids(st, remote_mentions_sql, "i", post_id, ids, n);
		break;
	default:
		if ((r = add_ids(st, remote_followers_sql, "i", m.author_id, ids, n)) ==
		    0)
			r = add_ids(st, remote_mentions_sql, "i", post_id, ids, n);
		break;
	}
	if (r == 0 && m.boost_of_id) {
		/* A boost also tells the boosted post's author, if remote. */
		struct post_meta orig;
		if ((r = post_meta_get(st, m.boost_of_id, &orig)) == 0 &&
		    account_is_member(st, orig.author_id) == 0)
			ids_push(ids, n, orig.author_id);
	}
	if (r == 0)
		r = drop_blocked(st, m.author_id, *ids, n);
	if (r != 0) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return r;
	}
	*n = ids_sort_unique(*ids, *n);
	return 0;
}

int neighbors_list(struct store *st, char ***domains, int *n)
{
	static const char sql[] =
		"SELECT domain FROM neighbors WHERE state = " SQL_NEIGHBOR_AGREED;
	struct sql_cursor c;
	int r;

	*domains = NULL;
	*n = 0;
	sql_open(st, &c, "listing neighbor camps", sql, "");
	while ((r = sql_next(&c)) > 0) {
		*domains = xrealloc(*domains, sizeof **domains * (size_t)(*n + 1));
		(*domains)[(*n)++] = col_text(&c, 0);
	}
	if (r < 0) {
		for (int i = 0; i < *n; i++)
			free((*domains)[i]);
		free(*domains);
		*domains = NULL;
		*n = 0;
	}
	return sql_done(&c, r);
}

/* ---- the camp's public pages ----------------------------------------------
 *
 * What anyone may read on the camp's own web pages and Atom feeds, without
 * logging in and without a signature: an anonymous viewer, further
 * narrowed per page by one row each below.  A post must pass both the
 * table of DESIGN §3 for an anonymous viewer (audience_check) and its
 * page's row, so no row can ever show more than the fediverse may fetch.
 *
 *   page          levels            whose posts      boosts shown
 *   profile       public, unlisted  the camp's       of public posts
 *   post page     public, unlisted  the camp's       none (a boost has no page)
 *   thread        public, unlisted  anyone's         none
 *   tag page      public            the camp's       none
 *   camp feed     public            the camp's       none
 *   member feed   public            the camp's       none
 *
 * Unlisted posts are on their author's profile and have pages of their own,
 * as on Mastodon, but never on a tag page or in a feed: a feed is read by
 * aggregators and search engines, which is what "unlisted" keeps them out
 * of.  Camp-only, neighborhood, followers-only and direct posts are on no
 * page, in no feed, in no count; a reply shown on a page names its parent
 * only when the parent could be shown there too (public.c asks). */

#define LEVEL(v) (1u << (v))

static const struct public_rule {
	unsigned levels;    /* LEVEL() of each visibility shown */
	int local_only;	    /* only posts of this camp's members */
	unsigned boosts_of; /* LEVEL() of the boosted posts shown; 0: no boosts */
} public_rules[PUBLIC_EXIT_COUNT] = {
	[PUBLIC_PROFILE] = {LEVEL(VIS_PUBLIC) | LEVEL(VIS_UNLISTED), 1,
			    LEVEL(VIS_PUBLIC)},
	[PUBLIC_POST] = {LEVEL(VIS_PUBLIC) | LEVEL(VIS_UNLISTED), 1, 0},
	[PUBLIC_REPLY] = {LEVEL(VIS_PUBLIC) | LEVEL(VIS_UNLISTED), 0, 0},
	[PUBLIC_TAG] = {LEVEL(VIS_PUBLIC), 1, 0},
	[PUBLIC_CAMP_FEED] = {LEVEL(VIS_PUBLIC), 1, 0},
	[PUBLIC_MEMBER_FEED] = {LEVEL(VIS_PUBLIC), 1, 0},
};

int audience_public_check(struct store *st, enum public_exit exit,
			  const struct post_meta *m, int *yes)
{
	const struct public_rule *rule;
	struct viewer anyone = {.kind = VIEWER_ANONYMOUS};
	struct post_meta orig;
	int r;

	*yes = 0;
	if ((int)exit < 0 || exit >= PUBLIC_EXIT_COUNT)
		return 0;
	rule = &public_rules[exit];
	if (!(rule->levels & LEVEL(m->visibility)) || (rule->local_only && !m->local))
		return 0;
	if (m->boost_of_id) {
		if ((r = post_meta_get(st, m->boost_of_id, &orig)) != 0)
			return r == CAMP_ENOENT ? 0 : r;
		if (!(rule->boosts_of & LEVEL(orig.visibility)))
			return 0;
	}
	return audience_check(st, &anyone, m, yes);
}

int audience_on_public_page(struct store *st, enum public_exit exit, int64_t post_id,
			    int *yes)
{
	struct post_meta m;
	int r;

	*yes = 0;
	if ((r = post_meta_get(st, post_id, &m)) != 0)
		return r;
	return audience_public_check(st, exit, &m, yes);
}

int audience_public_count(struct store *st, enum public_exit exit, int64_t account_id,
			  int64_t *n)
{
	/* The row's levels as a bit mask over the visibility column, read
	 * from an index alone (a member may have written 15,000 posts);
	 * boosts are not counted, and a member's posts are all local. */
	static const char sql[] =
		"SELECT count(*) FROM posts INDEXED BY posts_account_public"
		" WHERE account_id = ?1 AND local = 1 AND boost_of_id IS NULL"
		" AND (?2 >> visibility) & 1";

	*n = 0;
	if ((int)exit < 0 || exit >= PUBLIC_EXIT_COUNT)
		return err_set(CAMP_EINVAL, "no such page");
	return sql_int64(st, "counting public posts", sql, n, "ii", account_id,
			 (int64_t)public_rules[exit].levels);
}
