/*
 * test-audience.c: the visibility rules against a small model.
 *
 * Builds many random camps (members, some locked; remote accounts, one on
 * a trusted neighbor camp; follows, pending follows, blocks, mutes; posts
 * at every level, replies, boosts, DMs, deletes) through the real store,
 * mirrors each step in a tiny in-memory model written straight from
 * DESIGN §3, and then compares, for every viewer and every post, what
 * audience.c decides, what every timeline shows, and to whom each post
 * would be delivered.  The seed is printed; CAMP_SEED=N repeats a run.
 */
#include "tests/unit/model.h"

#include <stdio.h>
#include <time.h>

#define CAMPS 60
#define STEPS 40
#define MAXA 10
#define MAXP 64
#define NTAGS 3

/* cmocka's TAP output drops fail_msg() text, so say it first. */
#define FAIL_MSG(...)                     \
	do {                              \
		printf("# " __VA_ARGS__); \
		printf("\n");             \
		fail();                   \
	} while (0)

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int pick(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

/* ---- the model ---------------------------------------------------------- */

struct m_account {
	int64_t id;
	int member, locked, neighbor, instance;
	char name[16];
	int default_vis;
};

struct m_post {
	int64_t id;
	int author; /* index into accounts */
	int vis;
	int boost_of; /* index into posts, or -1 */
	int parent;   /* index, or -1 */
	int mentions[MAXA];
	int tags[NTAGS];
	int deleted;
};

struct model {
	struct m_account a[MAXA];
	int na;
	int follow[MAXA][MAXA]; /* FOLLOW_* of a -> b */
	int block[MAXA][MAXA];
	int mute[MAXA][MAXA];
	struct m_post p[MAXP];
	int np;
};

static int m_blocked(const struct model *m, int x, int y)
{
	return m->block[x][y] || m->block[y][x];
}

/* DESIGN §3 for one post row, viewer v (-1: anonymous). */
static int m_sees_row(const struct model *m, int v, const struct m_post *p)
{
	if (v >= 0 && v == p->author)
		return 1;
	if (v >= 0 && m_blocked(m, v, p->author))
		return 0;
	switch (p->vis) {
	case VIS_PUBLIC:
	case VIS_UNLISTED:
		return 1;
	case VIS_FOLLOWERS:
		return v >= 0 &&
		       (m->follow[v][p->author] == FOLLOW_ACCEPTED || p->mentions[v]);
	case VIS_DIRECT:
		return v >= 0 && p->mentions[v];
	case VIS_CAMP:
		return v >= 0 && m->a[v].member && m->a[p->author].member;
	case VIS_NEIGHBORHOOD:
		return v >= 0 && (m->a[v].member || m->a[v].neighbor);
	}
	return 0;
}

static int m_sees(const struct model *m, int v, const struct m_post *p)
{
	if (p->deleted || !m_sees_row(m, v, p))
		return 0;
	if (p->boost_of >= 0)
		return m_sees(m, v, &m->p[p->boost_of]);
	return 1;
}

/* The level a reply starts at (DESIGN §3's derived rules, as issue 9
 * settled them): never wider than the parent; camp-only and direct
 * conversations keep their level; a neighborhood conversation stays in
 * the neighborhood unless one's default is camp-only; a followers-only
 * one stays followers-only unless one's default is direct; under an
 * unlisted post a public default is unlisted. */
static int m_reply_default(int def, int parent)
{
	if (parent == VIS_DIRECT || parent == VIS_CAMP)
		return parent;
	if (parent == VIS_NEIGHBORHOOD)
		return def == VIS_CAMP ? VIS_CAMP : VIS_NEIGHBORHOOD;
	if (parent == VIS_FOLLOWERS)
		return def == VIS_DIRECT ? VIS_DIRECT : VIS_FOLLOWERS;
	if (parent == VIS_UNLISTED)
		return def == VIS_PUBLIC ? VIS_UNLISTED : def;
	return def;
}

/* ---- building a random camp -------------------------------------------- */

static int account_index(const struct model *m, int64_t id)
{
	for (int i = 0; i < m->na; i++)
		if (m->a[i].id == id)
			return i;
	return -1;
}

static void build_accounts(struct camp_fixture *f, struct model *m)
{
	int members = 3 + pick(3), remotes = 2 + pick(2);

	for (int i = 0; i < members; i++) {
		struct m_account *a = &m->a[m->na++];
		snprintf(a->name, sizeof a->name, "m%d", i);
		a->id = member(f, a->name);
		a->member = 1;
		a->default_vis = pick(3) == 0 ? pick(VIS_COUNT) : VIS_PUBLIC;
		if (a->default_vis != VIS_PUBLIC)
			assert_int_equal(account_update_profile(f->st, a->id, NULL, NULL,
								a->default_vis),
					 0);
		if (pick(3) == 0) {
			char *sql = xasprintf(
				"UPDATE accounts SET locked = 1 WHERE id = %lld",
				(long long)a->id);
			assert_int_equal(sqlite3_exec(store_db(f->st), sql, 0, 0, 0), 0);
			free(sql);
			a->locked = 1;
		}
	}
	for (int i = 0; i < remotes; i++) {
		struct m_account *a = &m->a[m->na++];
		snprintf(a->name, sizeof a->name, "r%d", i);
		a->id = remote(f, a->name, i == 0 ? "nbr.example" : "far.example");
		a->neighbor = i == 0;
	}
	/* The neighbor camp's instance actor, through which it is reached. */
	struct m_account *inst = &m->a[m->na++];
	snprintf(inst->name, sizeof inst->name, "camp");
	inst->id = remote(f, "camp", "nbr.example");
	inst->neighbor = inst->instance = 1;
	assert_int_equal(
		sqlite3_exec(store_db(f->st),
			     "INSERT INTO neighbors(domain, actor_uri, state, created_at)"
			     " VALUES ('nbr.example', 'https://nbr.example/users/camp',"
			     " 1, 0)",
			     0, 0, 0),
		0);
}

static void step_follow(struct camp_fixture *f, struct model *m, int x, int y)
{
	enum follow_state s;
	int r = follow_request(f->st, m->a[x].id, m->a[y].id, NULL, &s);

	if (x == y || (!m->a[x].member && !m->a[y].member) || m_blocked(m, x, y)) {
		assert_int_not_equal(r, 0);
		return;
	}
	assert_int_equal(r, 0);
	int want =
		m->follow[x][y] == FOLLOW_ACCEPTED || (m->a[y].member && !m->a[y].locked)
			? FOLLOW_ACCEPTED
			: FOLLOW_PENDING;
	assert_int_equal(s, want);
	m->follow[x][y] = want;
	if (want == FOLLOW_PENDING && pick(2)) {
		assert_int_equal(follow_accept(f->st, m->a[y].id, m->a[x].id), 0);
		m->follow[x][y] = FOLLOW_ACCEPTED;
	}
}

static void step_unfollow(struct camp_fixture *f, struct model *m, int x, int y)
{
	int r = unfollow(f->st, m->a[x].id, m->a[y].id);

	assert_int_equal(r == 0, m->follow[x][y] != FOLLOW_NONE);
	m->follow[x][y] = FOLLOW_NONE;
}

static void step_block(struct camp_fixture *f, struct model *m, int x, int y, int on)
{
	if (x == y)
		return;
	assert_int_equal(block_set(f->st, m->a[x].id, m->a[y].id, on), 0);
	m->block[x][y] = on;
	if (on)
		m->follow[x][y] = m->follow[y][x] = FOLLOW_NONE;
}

static void step_mute(struct camp_fixture *f, struct model *m, int x, int y, int on)
{
	if (x == y || !m->a[x].member)
		return;
	assert_int_equal(mute_set(f->st, m->a[x].id, m->a[y].id, on), 0);
	m->mute[x][y] = on;
}

/* Writes text mentioning members at random and collects who and which
 * tags; remote accounts are addressed through extra mentions.  A remote
 * author's post is addressed only through extra mentions (its server's
 * to/cc): a name in its text alone addresses nobody. */
static void post_text(struct model *m, struct m_post *p, char *text, size_t len,
		      int64_t *extra, int *nextra)
{
	size_t off = (size_t)snprintf(text, len, "post");
	int remote_author = !m->a[p->author].member;

	*nextra = 0;
	for (int i = 0; i < m->na; i++) {
		if (pick(4) != 0 || m->a[i].instance)
			continue;
		if (m->a[i].member && (!remote_author || pick(2))) {
			off += (size_t)snprintf(text + off, len - off, " @%s",
						m->a[i].name);
			p->mentions[i] = !remote_author;
		} else {
			extra[(*nextra)++] = m->a[i].id;
			p->mentions[i] = 1;
		}
	}
	for (int t = 0; t < NTAGS; t++)
		if (pick(3) == 0) {
			off += (size_t)snprintf(text + off, len - off, " #T%d", t);
			p->tags[t] = 1;
		}
}

static void step_post(struct camp_fixture *f, struct model *m, int x)
{
	struct m_post *p = &m->p[m->np];
	int64_t extra[MAXA];
	char text[256];
	struct post_new req = {0};
	int64_t id;
	int r;

	memset(p, 0, sizeof *p);
	p->author = x;
	p->boost_of = p->parent = -1;
	post_text(m, p, text, sizeof text, extra, &req.nextra_mentions);
	if (m->np > 0 && pick(3) == 0)
		p->parent = pick(m->np);
	int chosen = pick(3) == 0 ? -1 : pick(VIS_COUNT);
	if (!m->a[x].member && (chosen < 0 || chosen == VIS_CAMP))
		chosen = VIS_PUBLIC;
	req.author_id = m->a[x].id;
	req.content = text;
	req.visibility = chosen;
	req.extra_mentions = extra;
	req.max_chars = 500;
	req.local_domain = DOMAIN;
	char uri[64];
	snprintf(uri, sizeof uri, "https://far.example/n/%d", m->np);
	req.uri = uri;
	struct m_post *parent = p->parent >= 0 ? &m->p[p->parent] : NULL;
	int parent_seen = parent && m_sees(m, x, parent);
	int parent_ok = parent_seen && parent->boost_of < 0;
	if (parent)
		req.in_reply_to_id = parent->id;
	p->vis = chosen >= 0 ? chosen
		 : parent_ok ? m_reply_default(m->a[x].default_vis, parent->vis)
			     : m->a[x].default_vis;
	if (parent_ok && m->a[x].member) {
		p->mentions[parent->author] = 1;
		if (p->vis == VIS_DIRECT && parent->vis == VIS_DIRECT)
			for (int i = 0; i < m->na; i++)
				p->mentions[i] |= parent->mentions[i];
	}
	p->mentions[x] = 0;
	int addressed = 0;
	for (int i = 0; i < m->na; i++)
		addressed |= p->mentions[i];
	r = post_create(f->st, &req, &id, NULL);
	/* A member may only reply to what they see; nobody replies to a
	 * boost; a remote reply to what its author cannot see is detached. */
	if ((parent && !parent_seen && m->a[x].member) ||
	    (parent_seen && parent->boost_of >= 0) ||
	    (p->vis == VIS_DIRECT && !addressed)) {
		assert_int_not_equal(r, 0);
		return;
	}
	assert_int_equal(r, 0);
	if (parent && !parent_ok)
		p->parent = -1; /* a remote reply keeps only the uri */
	p->id = id;
	m->np++;
}

static void step_boost(struct camp_fixture *f, struct model *m, int x)
{
	int target = pick(m->np), ok;
	struct m_post *o = &m->p[target];
	int64_t id;

	if (o->boost_of >= 0) {
		target = o->boost_of;
		o = &m->p[target];
	}
	ok = m_sees(m, x, o) && !o->deleted &&
	     (o->author == x ? o->vis != VIS_DIRECT
			     : (o->vis == VIS_PUBLIC || o->vis == VIS_UNLISTED));
	for (int i = 0; i < m->np && ok; i++)
		ok = !(m->p[i].boost_of == target && m->p[i].author == x &&
		       !m->p[i].deleted);
	int r = post_boost(f->st, m->a[x].id, m->p[pick(2) ? target : target].id, NULL,
			   &id);
	assert_int_equal(r == 0, ok);
	if (!ok)
		return;
	if (getenv("CAMP_TRACE"))
		printf("# boost %d (id %lld) of post %d (id %lld) by %d\n", m->np,
		       (long long)id, target, (long long)m->p[target].id, x);
	struct m_post *b = &m->p[m->np++];
	memset(b, 0, sizeof *b);
	b->id = id;
	b->author = x;
	b->vis = o->vis;
	b->boost_of = target;
	b->parent = -1;
}

static void step_delete(struct camp_fixture *f, struct model *m)
{
	struct m_post *p = &m->p[pick(m->np)];

	if (p->deleted)
		return;
	if (getenv("CAMP_TRACE"))
		printf("# delete post %d (id %lld) by %d\n", (int)(p - m->p),
		       (long long)p->id, p->author);
	assert_int_equal(post_delete(f->st, m->a[p->author].id, p->id), 0);
	p->deleted = 1;
	if (getenv("CAMP_TRACE")) {
		sqlite3_stmt *s;
		sqlite3_prepare_v2(
			store_db(f->st),
			"SELECT group_concat(id) FROM posts WHERE boost_of_id = ?", -1,
			&s, 0);
		sqlite3_bind_int64(s, 1, p->id);
		sqlite3_step(s);
		printf("#  store boosts left: %s\n", sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
	}
	for (int i = 0; i < m->np; i++)
		if (m->p[i].boost_of >= 0 && &m->p[m->p[i].boost_of] == p) {
			if (getenv("CAMP_TRACE"))
				printf("#  and its boost %d\n", i);
			m->p[i].deleted = 1;
		}
}

static void random_step(struct camp_fixture *f, struct model *m)
{
	int x = pick(m->na - 1), y = pick(m->na - 1); /* not the instance actor */
	int what = pick(20);

	if (m->np >= MAXP - 1)
		what = 0;
	if (what < 4)
		step_follow(f, m, x, y);
	else if (what < 5)
		step_unfollow(f, m, x, y);
	else if (what < 6)
		step_block(f, m, x, y, pick(3) != 0);
	else if (what < 7)
		step_mute(f, m, x, y, pick(3) != 0);
	else if (what < 16 || m->np == 0)
		step_post(f, m, x);
	else if (what < 19)
		step_boost(f, m, x);
	else
		step_delete(f, m);
}

/* ---- comparing ------------------------------------------------------------ */

static long checks;

static void check_can_see(struct camp_fixture *f, const struct model *m, int v)
{
	struct viewer *vw;

	if (v < 0)
		vw = viewer_anonymous();
	else if (m->a[v].member)
		assert_int_equal(viewer_member(f->st, m->a[v].id, &vw), 0);
	else
		assert_int_equal(viewer_remote(f->st, m->a[v].id, &vw), 0);
	for (int i = 0; i < m->np; i++) {
		int yes = -1, r = audience_can_see(f->st, vw, m->p[i].id, &yes);
		if (m->p[i].deleted) {
			if (r != CAMP_ENOENT)
				FAIL_MSG("post %d (id %lld, boost_of %d, author %d) "
					 "still there",
					 i, (long long)m->p[i].id, m->p[i].boost_of,
					 m->p[i].author);
			continue;
		}
		if (r != 0)
			FAIL_MSG("post %d (id %lld, boost_of %d) missing: %s", i,
				 (long long)m->p[i].id, m->p[i].boost_of, err_last());
		if (yes != m_sees(m, v, &m->p[i]))
			FAIL_MSG("viewer %d, post %d (vis %d, author %d, boost_of %d): "
				 "store %d",
				 v, i, m->p[i].vis, m->p[i].author, m->p[i].boost_of,
				 yes);
		checks++;
	}
	viewer_free(vw);
}

/* Whether post i belongs in timeline kind k of member v (DESIGN and
 * issue 4's definitions). */
static int m_in_timeline(const struct model *m, int v, int k, int who, int tag, int i)
{
	const struct m_post *p = &m->p[i], *o = p->boost_of >= 0 ? &m->p[p->boost_of] : p;

	if (!m_sees(m, v, p))
		return 0;
	if (p->boost_of >= 0 && (m->mute[v][o->author] || m_blocked(m, v, o->author)))
		return 0;
	if (k != TL_PROFILE && m->mute[v][p->author])
		return 0;
	switch (k) {
	case TL_HOME:
		return p->vis != VIS_DIRECT &&
		       ((p->author == v && m->a[v].member) ||
			m->follow[v][p->author] == FOLLOW_ACCEPTED);
	case TL_CAMP:
		return m->a[p->author].member && p->boost_of < 0 &&
		       (p->vis == VIS_PUBLIC || p->vis == VIS_CAMP ||
			p->vis == VIS_NEIGHBORHOOD);
	case TL_FEDERATED:
		return p->boost_of < 0 && p->vis == VIS_PUBLIC;
	case TL_PROFILE:
		return p->author == who;
	case TL_HASHTAG:
		return p->boost_of < 0 && p->tags[tag];
	}
	return 0;
}

static void check_timeline(struct camp_fixture *f, const struct model *m, int v, int k,
			   int who, int tag)
{
	char tagname[8];
	snprintf(tagname, sizeof tagname, "t%d", tag);
	struct timeline_query q = {(enum timeline_kind)k, m->a[who].id, tagname, 0, 200};
	struct post_list l;
	struct viewer *vw;
	int n = 0;

	assert_int_equal(viewer_member(f->st, m->a[v].id, &vw), 0);
	assert_int_equal(timeline_get(f->st, vw, &q, &l), 0);
	for (int i = m->np - 1; i >= 0; i--) {
		if (!m_in_timeline(m, v, k, who, tag, i))
			continue;
		if (n >= l.n || l.items[n].id != m->p[i].id) {
			for (int j = 0; j < l.n; j++)
				printf("# store has id %lld\n", (long long)l.items[j].id);
			const struct m_post *p = &m->p[i];
			FAIL_MSG("timeline %d of viewer %d: post %d (id %lld, author %d, "
				 "vis %d,"
				 " boost_of %d, parent %d, follow %d) expected at %d",
				 k, v, i, (long long)p->id, p->author, p->vis,
				 p->boost_of, p->parent, m->follow[v][p->author], n);
		}
		n++;
	}
	assert_int_equal(l.n, n);
	checks++;
	post_list_free(&l);
	viewer_free(vw);
}

/* The remote accounts post i must be delivered to. */
static void check_recipients(struct camp_fixture *f, const struct model *m, int i)
{
	const struct m_post *p = &m->p[i], *o = p->boost_of >= 0 ? &m->p[p->boost_of] : p;
	int want[MAXA] = {0}, nwant = 0, n;
	int64_t *ids;

	if (p->deleted || !m->a[p->author].member)
		return;
	for (int r = 0; r < m->na; r++) {
		if (m->a[r].member || m_blocked(m, r, p->author))
			continue;
		if (p->vis == VIS_CAMP)
			want[r] = 0;
		else if (p->vis == VIS_NEIGHBORHOOD)
			want[r] = m->a[r].instance;
		else if (p->vis == VIS_DIRECT)
			want[r] = p->mentions[r];
		else
			want[r] = m->follow[r][p->author] == FOLLOW_ACCEPTED ||
				  p->mentions[r] || (p->boost_of >= 0 && o->author == r);
		nwant += want[r];
	}
	assert_int_equal(audience_remote_recipients(f->st, p->id, &ids, &n), 0);
	if (n != nwant)
		FAIL_MSG("post %d (vis %d): %d recipients, expected %d", i, p->vis, n,
			 nwant);
	for (int k = 0; k < n; k++)
		assert_true(want[account_index(m, ids[k])]);
	free(ids);
	checks++;
}

/* The level a member's reply would start at, for every member and every
 * post they see, against the model (the store's own post_create is
 * compared through step_post). */
static void check_reply_levels(const struct model *m)
{
	for (int v = 0; v < m->na; v++) {
		if (!m->a[v].member)
			continue;
		for (int i = 0; i < m->np; i++) {
			const struct m_post *p = &m->p[i];
			if (p->deleted || p->boost_of >= 0 || !m_sees(m, v, p))
				continue;
			int got = audience_reply_visibility(m->a[v].default_vis, p->vis);
			if (got != m_reply_default(m->a[v].default_vis, p->vis))
				FAIL_MSG(
					"member %d (default %d) replying to post %d (vis "
					"%d): store %d",
					v, m->a[v].default_vis, i, p->vis, got);
			checks++;
		}
	}
}

static void check_camp(struct camp_fixture *f, const struct model *m)
{
	check_reply_levels(m);
	for (int v = -1; v < m->na; v++)
		check_can_see(f, m, v);
	for (int v = 0; v < m->na; v++) {
		if (!m->a[v].member)
			continue;
		for (int k = TL_HOME; k <= TL_FEDERATED; k++)
			check_timeline(f, m, v, k, 0, 0);
		check_timeline(f, m, v, TL_PROFILE, pick(m->na), 0);
		check_timeline(f, m, v, TL_HASHTAG, 0, pick(NTAGS));
	}
	for (int i = 0; i < m->np; i++)
		check_recipients(f, m, i);
}

static void random_camps_match_the_model(void **state)
{
	const char *env = getenv("CAMP_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);

	printf("# seed %llu (repeat with CAMP_SEED=%llu)\n", (unsigned long long)seed,
	       (unsigned long long)seed);
	for (int c = 0; c < CAMPS; c++) {
		struct model *m = xcalloc(1, sizeof *m);
		void *fs;
		rng = seed * 2654435761u + (uint64_t)c + 1;
		camp_setup(&fs);
		build_accounts(fs, m);
		for (int s = 0; s < STEPS; s++)
			random_step(fs, m);
		check_camp(fs, m);
		camp_teardown(&fs);
		free(m);
	}
	printf("# %ld comparisons\n", checks);
	(void)state;
}

/* Every member default against every parent level: the one function the
 * client and the commands both ask agrees with the model, and a reply
 * made without a level gets it. */
static void reply_levels_match_the_model_for_every_pair(void **state)
{
	for (int def = 0; def < VIS_COUNT; def++) {
		for (int parent = 0; parent < VIS_COUNT; parent++) {
			int want = m_reply_default(def, parent);
			if (audience_reply_visibility(def, parent) != want)
				FAIL_MSG("default %s, parent %s: store %s, model %s",
					 visibility_name(def), visibility_name(parent),
					 visibility_name(
						 audience_reply_visibility(def, parent)),
					 visibility_name(want));
		}
	}
	/* Out of range reads as the narrowest level. */
	assert_int_equal(audience_reply_visibility(VIS_COUNT, VIS_PUBLIC), VIS_DIRECT);
	assert_int_equal(audience_reply_visibility(VIS_PUBLIC, -1), VIS_DIRECT);
	(void)state;
}

/* The same 36 pairs through post_create: a member whose default is def
 * replies, without choosing, to a post of every level. */
static void replies_made_without_a_level_follow_the_rule(void **state)
{
	void *fs;

	camp_setup(&fs);
	struct camp_fixture *f = fs;
	int64_t author = member(f, "author"), replier = member(f, "replier");
	int64_t parents[VIS_COUNT];
	/* The replier is mentioned, so they see even the direct post. */
	for (int v = 0; v < VIS_COUNT; v++)
		parents[v] = post(f, author, v, "a post for @replier");
	for (int def = 0; def < VIS_COUNT; def++) {
		assert_int_equal(account_update_profile(f->st, replier, NULL, NULL, def),
				 0);
		for (int v = 0; v < VIS_COUNT; v++) {
			int64_t id = post_reply(f, replier, -1, "a reply", parents[v]);
			struct post_meta pm;
			assert_int_equal(post_meta_get(f->st, id, &pm), 0);
			if ((int)pm.visibility != m_reply_default(def, v))
				FAIL_MSG("default %s, parent %s: reply is %s",
					 visibility_name(def), visibility_name(v),
					 visibility_name(pm.visibility));
		}
	}
	camp_teardown(&fs);
}

/* ---- the public pages (issue 19) ----------------------------------------
 * What the camp's web pages and feeds show to anyone, written from the
 * issue: profiles show a member's public and unlisted posts and boosts
 * of public posts; a post's page, the camp's public and unlisted posts;
 * its thread, anyone's public and unlisted posts; tag pages and feeds,
 * the camp's public posts only.  Never a boost anywhere else. */

#define PUBLIC_CAMPS 30

static int m_on_public_page(const struct model *m, int exit, const struct m_post *p)
{
	int member = m->a[p->author].member, vis = p->vis;

	if (p->deleted || !m_sees(m, -1, p))
		return 0;
	if (p->boost_of >= 0)
		return exit == PUBLIC_PROFILE && member &&
		       m->p[p->boost_of].vis == VIS_PUBLIC;
	switch (exit) {
	case PUBLIC_PROFILE:
	case PUBLIC_POST:
		return member && (vis == VIS_PUBLIC || vis == VIS_UNLISTED);
	case PUBLIC_REPLY:
		return vis == VIS_PUBLIC || vis == VIS_UNLISTED;
	default: /* tag pages and feeds */
		return member && vis == VIS_PUBLIC;
	}
}

/* Whether post i is in the list `exit` makes for member `who` or tag. */
static int m_in_public_list(const struct model *m, int exit, int who, int tag, int i)
{
	const struct m_post *p = &m->p[i];

	if (!m_on_public_page(m, exit, p))
		return 0;
	if (exit == PUBLIC_PROFILE || exit == PUBLIC_MEMBER_FEED)
		return p->author == who;
	if (exit == PUBLIC_TAG)
		return p->tags[tag];
	return 1;
}

static void check_public_list(struct camp_fixture *f, const struct model *m, int exit,
			      int who, int tag)
{
	char tagname[8];
	snprintf(tagname, sizeof tagname, "t%d", tag);
	struct public_query q = {exit, m->a[who].id, tagname, 0, 200};
	struct post_list l;
	int n = 0;

	assert_int_equal(public_posts(f->st, &q, &l), 0);
	for (int i = m->np - 1; i >= 0; i--) {
		if (!m_in_public_list(m, exit, who, tag, i))
			continue;
		if (n >= l.n || l.items[n].id != m->p[i].id)
			FAIL_MSG("public list %d of %d (tag %d): post %d (id %lld, vis "
				 "%d, "
				 "boost_of %d) expected at %d",
				 exit, who, tag, i, (long long)m->p[i].id, m->p[i].vis,
				 m->p[i].boost_of, n);
		n++;
	}
	if (l.n != n)
		FAIL_MSG("public list %d of %d: %d posts, expected %d", exit, who, l.n,
			 n);
	checks++;
	post_list_free(&l);
}

/* The parent a shown post may name, and the replies it may count. */
static void check_public_post(struct camp_fixture *f, const struct model *m, int i)
{
	const struct m_post *p = &m->p[i];
	int64_t parent = 0;
	int replies = 0;
	struct post got;

	if (p->boost_of >= 0 || !m_on_public_page(m, PUBLIC_REPLY, p))
		return;
	if (p->parent >= 0 && m_on_public_page(m, PUBLIC_REPLY, &m->p[p->parent]))
		parent = m->p[p->parent].id;
	for (int k = 0; k < m->np; k++)
		replies += m->p[k].parent == i && m->p[k].boost_of < 0 &&
			   m_on_public_page(m, PUBLIC_REPLY, &m->p[k]);
	assert_int_equal(public_post_get(f->st, PUBLIC_REPLY, p->id, &got), 0);
	if (got.in_reply_to_id != parent || (parent == 0 && got.in_reply_to_author.id))
		FAIL_MSG("post %d names parent %lld, expected %lld", i,
			 (long long)got.in_reply_to_id, (long long)parent);
	if (got.replies != replies)
		FAIL_MSG("post %d counts %d replies, expected %d", i, got.replies,
			 replies);
	post_free(&got);
	checks++;
}

/* Appends post i's replies that a thread shows, depth first. */
static void m_public_replies(const struct model *m, int i, int64_t *ids, int *n)
{
	for (int k = 0; k < m->np; k++)
		if (m->p[k].parent == i && m->p[k].boost_of < 0 &&
		    m_on_public_page(m, PUBLIC_REPLY, &m->p[k])) {
			ids[(*n)++] = m->p[k].id;
			m_public_replies(m, k, ids, n);
		}
}

static void check_public_thread(struct camp_fixture *f, const struct model *m, int i)
{
	struct post_list anc, desc;
	struct post focus;
	int64_t want[MAXP];
	int n = 0, up = 0;
	int r = public_thread(f->st, m->p[i].id, &anc, &focus, &desc);

	if (!m_on_public_page(m, PUBLIC_POST, &m->p[i])) {
		if (r != CAMP_ENOENT)
			FAIL_MSG("post %d has a page it may not have", i);
		return;
	}
	assert_int_equal(r, 0);
	for (int k = m->p[i].parent;
	     k >= 0 && m_on_public_page(m, PUBLIC_REPLY, &m->p[k]); k = m->p[k].parent)
		up++;
	if (anc.n != up)
		FAIL_MSG("post %d: %d ancestors shown, expected %d", i, anc.n, up);
	m_public_replies(m, i, want, &n);
	if (desc.n != n)
		FAIL_MSG("post %d: %d replies in its thread, expected %d", i, desc.n, n);
	for (int k = 0; k < n; k++)
		if (desc.items[k].id != want[k])
			FAIL_MSG("post %d: reply %d is id %lld, expected %lld", i, k,
				 (long long)desc.items[k].id, (long long)want[k]);
	post_free(&focus);
	post_list_free(&anc);
	post_list_free(&desc);
	checks++;
}

static void check_public_pages(struct camp_fixture *f, const struct model *m)
{
	for (int e = 0; e < PUBLIC_EXIT_COUNT; e++)
		for (int i = 0; i < m->np; i++) {
			int yes = -1,
			    r = audience_on_public_page(f->st, e, m->p[i].id, &yes);
			if (m->p[i].deleted) {
				assert_int_equal(r, CAMP_ENOENT);
				continue;
			}
			assert_int_equal(r, 0);
			if (yes != m_on_public_page(m, e, &m->p[i]))
				FAIL_MSG("page %d, post %d (vis %d, author %d, boost_of "
					 "%d): "
					 "store %d",
					 e, i, m->p[i].vis, m->p[i].author,
					 m->p[i].boost_of, yes);
			checks++;
		}
	for (int a = 0; a < m->na; a++) {
		if (!m->a[a].member)
			continue;
		int64_t count = -1, want = 0;
		for (int i = 0; i < m->np; i++)
			want += m->p[i].author == a && m->p[i].boost_of < 0 &&
				m_on_public_page(m, PUBLIC_PROFILE, &m->p[i]);
		assert_int_equal(
			audience_public_count(f->st, PUBLIC_PROFILE, m->a[a].id, &count),
			0);
		assert_int_equal(count, want);
		check_public_list(f, m, PUBLIC_PROFILE, a, 0);
		check_public_list(f, m, PUBLIC_MEMBER_FEED, a, 0);
	}
	for (int t = 0; t < NTAGS; t++)
		check_public_list(f, m, PUBLIC_TAG, 0, t);
	check_public_list(f, m, PUBLIC_CAMP_FEED, 0, 0);
	for (int i = 0; i < m->np; i++) {
		check_public_post(f, m, i);
		if (m->p[i].boost_of < 0 && !m->p[i].deleted)
			check_public_thread(f, m, i);
	}
}

static void random_camps_public_pages_match_the_model(void **state)
{
	const char *env = getenv("CAMP_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);

	printf("# seed %llu (repeat with CAMP_SEED=%llu)\n", (unsigned long long)seed,
	       (unsigned long long)seed);
	checks = 0;
	for (int c = 0; c < PUBLIC_CAMPS; c++) {
		struct model *m = xcalloc(1, sizeof *m);
		void *fs;
		rng = seed * 2654435761u + (uint64_t)c + 7;
		camp_setup(&fs);
		build_accounts(fs, m);
		for (int s = 0; s < STEPS; s++)
			random_step(fs, m);
		check_public_pages(fs, m);
		camp_teardown(&fs);
		free(m);
	}
	printf("# %ld comparisons\n", checks);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reply_levels_match_the_model_for_every_pair),
		cmocka_unit_test(replies_made_without_a_level_follow_the_rule),
		cmocka_unit_test(random_camps_match_the_model),
		cmocka_unit_test(random_camps_public_pages_match_the_model),
	};
	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
