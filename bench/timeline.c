/*
 * bench/timeline.c: the timeline benchmark of issue 4 (DESIGN §7: "the
 * home timeline over a million posts answers in under 5 ms").
 *
 * It builds a big, plausible camp in a folder (60 members, 2,000 remote
 * accounts on 150 servers, a follow graph, a million posts with replies,
 * mentions, boosts and favourites) through store.h alone, so what it
 * measures is the real schema filled by the real write path.  Then it
 * times timeline_get() and notifications_get() as members see them: the
 * first page, the tenth page and a page deep in the past, p50/p99/max
 * over many calls with a monotonic clock.
 *
 * It also renders the public web pages that must fit the same budget (a
 * profile with 20 posts, the About page) through the functions the HTTP
 * side calls, as an anonymous reader sees them.
 *
 * Generation takes minutes, so the camp is kept between runs in DIR
 * (default /tmp/camp-bench) under a name that carries GEN_VERSION and the
 * post count: change the generator, bump GEN_VERSION.  A `.gen` file next
 * to it keeps what generation did and how fast it went.
 *
 * This is a measuring tool, not a test: it passes or fails nothing, and
 * it must never write to the database except through store.h.
 */
#include "federation/federation.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define GEN_VERSION 1
#define MEMBERS 60
#define REMOTES 2000
#define DOMAINS 150
#define NBLOCKS 8
#define BATCH 2000	 /* actions per outer transaction while generating */
#define RING 4096	 /* recent posts that replies, boosts and favourites pick */
#define LIMIT 20	 /* a page, as the client asks for it */
#define CASE_BUDGET_S 60 /* a case stops early after this much time */
#define CAMP_DOMAIN "camp.bench"

/* ---- small tools: clock, random numbers, weighted picks, pair sets ---- */

/* What the cases are timed with: the monotonic clock, or with --cpu the
 * thread's CPU time, which leaves out the waits a machine shared with
 * other work adds (a measure of the code, not of the scheduler). */
static clockid_t case_clock = CLOCK_MONOTONIC;

static int64_t clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t case_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(case_clock, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* splitmix64 with a fixed seed: the same camp on every machine. */
static uint64_t rng_state = 0x5eed0004c0ffee01ULL;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* A number in [0, n). */
static int rng_below(int n)
{
	return (int)(((rng_next() >> 32) * (uint64_t)n) >> 32);
}

static int rng_percent(int p)
{
	return rng_below(100) < p;
}

/* A Zipf-like distribution over n items: item i has weight 1/(i + off),
 * with the ranks shuffled so that fame and activity are not the same
 * accounts.  Picks are a binary search in the cumulative weights. */
struct weights {
	double *cum;
	int *item; /* rank -> item */
	int n;
};

static void weights_zipf(struct weights *w, int n, double off)
{
	double sum = 0;

	w->n = n;
	w->cum = xcalloc((size_t)n, sizeof *w->cum);
	w->item = xcalloc((size_t)n, sizeof *w->item);
	for (int i = 0; i < n; i++)
		w->item[i] = i;
	for (int i = n - 1; i > 0; i--) {
		int j = rng_below(i + 1), t = w->item[i];
		w->item[i] = w->item[j];
		w->item[j] = t;
	}
	for (int i = 0; i < n; i++)
		w->cum[i] = sum += 1.0 / (i + off);
}

static int weights_pick(const struct weights *w)
{
	double x = (double)(rng_next() >> 11) / 9007199254740992.0 * w->cum[w->n - 1];
	int lo = 0, hi = w->n - 1;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (w->cum[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return w->item[lo];
}

static void weights_free(struct weights *w)
{
	free(w->cum);
	free(w->item);
}

/* A set of (account, post) pairs, to never boost or favourite twice (the
 * store refuses that, and a refusal inside the batch would roll it back).
 * Open addressing; 0 marks a free slot, and no key is 0. */
struct pairset {
	uint64_t *slots;
	size_t cap, n;
};

static size_t pairset_slot(const struct pairset *s, uint64_t key)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & (s->cap - 1);

	while (s->slots[i] != 0 && s->slots[i] != key)
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* Adds (account, post); returns 1 if it was not there yet. */
static int pairset_add(struct pairset *s, int64_t account, int64_t post)
{
	uint64_t key = (uint64_t)post << 20 | (uint64_t)account;

	if (2 * (s->n + 1) > s->cap) {
		struct pairset big = {xcalloc(s->cap ? s->cap * 2 : 1024, 8),
				      s->cap ? s->cap * 2 : 1024, 0};
		for (size_t i = 0; i < s->cap; i++)
			if (s->slots[i])
				big.slots[pairset_slot(&big, s->slots[i])] = s->slots[i];
		big.n = s->n;
		free(s->slots);
		*s = big;
	}
	size_t i = pairset_slot(s, key);
	if (s->slots[i] == key)
		return 0;
	s->slots[i] = key;
	s->n++;
	return 1;
}

/* ---- the generator ----------------------------------------------------- */

/* What generation did, kept in the .gen file next to the database as
 * "name value" lines.  ST_PUBLIC + v counts original posts and replies of
 * visibility v; times are in nanoseconds. */
enum gen_stat {
	ST_MEMBERS,
	ST_REMOTES,
	ST_FOLLOWS_MM,
	ST_FOLLOWS_MR,
	ST_FOLLOWS_RM,
	ST_MUTES,
	ST_BLOCKS,
	ST_POSTS,
	ST_PUBLIC,
	ST_UNLISTED,
	ST_FOLLOWERS,
	ST_DIRECT,
	ST_CAMP,
	ST_NEIGHBORHOOD,
	ST_REPLIES,
	ST_BOOSTS,
	ST_FAVOURITES,
	ST_MENTIONS,
	ST_TAGS,
	ST_CREATE_NS,
	ST_BOOST_NS,
	ST_FAV_NS,
	ST_SETUP_NS,
	ST_TOTAL_NS,
	ST_COUNT
};

static const char *const stat_names[ST_COUNT] = {
	"members", "remotes",	   "follows_mm", "follows_mr", "follows_rm", "mutes",
	"blocks",  "posts",	   "public",	 "unlisted",   "followers",  "direct",
	"camp",	   "neighborhood", "replies",	 "boosts",     "favourites", "mentions",
	"tags",	   "create_ns",	   "boost_ns",	 "fav_ns",     "setup_ns",   "total_ns",
};

/* A recent original post that others may reply to, boost or favourite. */
struct recent {
	int64_t id;
	int author; /* actor: < MEMBERS a member, else MEMBERS + remote index */
	int vis;
};

/* Actors are numbered 0..MEMBERS-1 (members), then the remote accounts. */
struct gen {
	struct store *st;
	int64_t ids[MEMBERS + REMOTES];
	int domain_of[REMOTES];
	struct weights member_activity, remote_activity, remote_fame, domains;
	unsigned char follows[MEMBERS][MEMBERS + REMOTES]; /* accepted */
	int blocks[NBLOCKS][2];				   /* member, actor */
	struct recent all[RING], local[RING];
	long nall, nlocal;
	struct pairset boosted, faved;
	long remote_seq;
	int64_t stats[ST_COUNT];
};

static void gen_check(int r, const char *what)
{
	if (r != 0) {
		fprintf(stderr, "bench: %s: %s\n", what, err_last());
		exit(1);
	}
}

static void gen_name(const struct gen *g, int actor, char *out, size_t len)
{
	if (actor < MEMBERS)
		snprintf(out, len, "m%02d", actor);
	else
		snprintf(out, len, "u%04d@d%03d.example", actor - MEMBERS,
			 g->domain_of[actor - MEMBERS]);
}

static int gen_blocked(const struct gen *g, int a, int b)
{
	for (int i = 0; i < g->stats[ST_BLOCKS]; i++)
		if ((g->blocks[i][0] == a && g->blocks[i][1] == b) ||
		    (g->blocks[i][0] == b && g->blocks[i][1] == a))
			return 1;
	return 0;
}

/* Whether member m may see p, by DESIGN §3, as far as the generator
 * knows (it never counts on a mention). */
static int member_sees(const struct gen *g, int m, const struct recent *p)
{
	if (p->author == m)
		return 1;
	if (gen_blocked(g, m, p->author))
		return 0;
	switch (p->vis) {
	case VIS_PUBLIC:
	case VIS_UNLISTED:
	case VIS_NEIGHBORHOOD:
		return 1;
	case VIS_CAMP:
		return p->author < MEMBERS;
	case VIS_FOLLOWERS:
		return g->follows[m][p->author];
	default:
		return 0;
	}
}

static int remote_sees(const struct gen *g, int actor, const struct recent *p)
{
	return visibility_is_open(p->vis) && !gen_blocked(g, actor, p->author);
}

static int actor_sees(const struct gen *g, int actor, const struct recent *p)
{
	return actor < MEMBERS ? member_sees(g, actor, p) : remote_sees(g, actor, p);
}

/* A recent post that actor may see, not its own (a few tries; NULL if
 * none found).  Remote actors mostly react to members' posts: those are
 * the ones whose reactions reach this camp at all. */
static const struct recent *gen_pick_recent(const struct gen *g, int actor,
					    int local_share)
{
	for (int tries = 0; tries < 8; tries++) {
		int from_local = rng_percent(local_share) && g->nlocal > 0;
		long n = from_local ? g->nlocal : g->nall;
		if (n == 0)
			return NULL;
		long span = n < RING ? n : RING;
		/* Newer posts get more attention: the square favours them. */
		long u = rng_below(1000), back = span * u * u / 1000000;
		const struct recent *p = from_local ? &g->local[(n - 1 - back) % RING]
						    : &g->all[(n - 1 - back) % RING];
		if (p->author != actor && actor_sees(g, actor, p))
			return p;
	}
	return NULL;
}

static void gen_remember(struct gen *g, int64_t id, int author, int vis)
{
	struct recent p = {id, author, vis};

	if (vis == VIS_DIRECT)
		return;
	g->all[g->nall++ % RING] = p;
	if (author < MEMBERS)
		g->local[g->nlocal++ % RING] = p;
}

/* ---- generation: accounts and relationships ----------------------------- */

static void gen_members(struct gen *g)
{
	char code[INVITE_CODE_LEN], name[16], fp[32];

	for (int i = 0; i < MEMBERS; i++) {
		snprintf(name, sizeof name, "m%02d", i);
		snprintf(fp, sizeof fp, "SHA256:bench%d", i);
		gen_check(invite_create(g->st, 0, i == 0, NULL, 0, code), "invite");
		struct join_request req = {code,   name, NULL, "ssh-ed25519",
					   "AAAA", fp,	 1000, 1};
		gen_check(store_join(g->st, &req, &g->ids[i]), "join");
		g->stats[ST_MEMBERS]++;
	}
}

static void gen_remotes(struct gen *g)
{
	char user[16], domain[32], *uri;

	for (int i = 0; i < REMOTES; i++) {
		g->domain_of[i] = weights_pick(&g->domains);
		snprintf(user, sizeof user, "u%04d", i);
		snprintf(domain, sizeof domain, "d%03d.example", g->domain_of[i]);
		uri = xasprintf("https://%s/users/%s", domain, user);
		gen_check(account_upsert_remote(g->st, uri, user, domain, user,
						"a remote account", 0,
						&g->ids[MEMBERS + i]),
			  "remote account");
		free(uri);
		g->stats[ST_REMOTES]++;
	}
}

/* follower follows target and the follow is accepted (a remote target
 * answers with Accept). */
static void gen_follow(struct gen *g, int follower, int target)
{
	enum follow_state s;
	char *uri = NULL;

	if (follower >= MEMBERS)
		uri = xasprintf("https://d%03d.example/follows/%ld",
				g->domain_of[follower - MEMBERS], ++g->remote_seq);
	gen_check(follow_request(g->st, g->ids[follower], g->ids[target], uri, &s),
		  "follow");
	free(uri);
	if (s == FOLLOW_PENDING)
		gen_check(follow_accept(g->st, g->ids[target], g->ids[follower]),
			  "accept");
	if (follower < MEMBERS) {
		g->follows[follower][target] = 1;
		if (target < MEMBERS)
			g->stats[ST_FOLLOWS_MM]++;
		else
			g->stats[ST_FOLLOWS_MR]++;
	} else {
		g->stats[ST_FOLLOWS_RM]++;
	}
}

/* Members follow most other members and 20 to 400 remote accounts
 * (famous ones more often); every remote account has a member follower,
 * else its posts would never reach the camp. */
static void gen_member_follows(struct gen *g)
{
	for (int m = 0; m < MEMBERS; m++) {
		for (int o = 0; o < MEMBERS; o++)
			if (o != m && rng_percent(85))
				gen_follow(g, m, o);
		double u = (double)rng_below(1000) / 1000.0;
		int want = 20 + (int)(380 * u * u);
		for (int k = 0; k < want; k++) {
			int r = MEMBERS + weights_pick(&g->remote_fame);
			if (!g->follows[m][r])
				gen_follow(g, m, r);
		}
	}
	for (int r = MEMBERS; r < MEMBERS + REMOTES; r++) {
		int followed = 0;
		for (int m = 0; m < MEMBERS && !followed; m++)
			followed = g->follows[m][r];
		if (!followed)
			gen_follow(g, rng_below(MEMBERS), r);
	}
}

/* Most remote accounts follow nobody here; some follow a few members,
 * the active ones more often. */
static void gen_remote_follows(struct gen *g)
{
	for (int r = MEMBERS; r < MEMBERS + REMOTES; r++) {
		int x = rng_below(100), n = x < 60   ? 0
					    : x < 85 ? 1 + rng_below(3)
						     : 4 + rng_below(20);
		unsigned char done[MEMBERS] = {0};
		for (int k = 0; k < n; k++) {
			int m = weights_pick(&g->member_activity);
			if (!done[m]) {
				done[m] = 1;
				gen_follow(g, r, m);
			}
		}
	}
}

/* A few mutes (loud accounts, followed or not) and blocks per camp. */
static void gen_mutes_blocks(struct gen *g)
{
	for (int m = 0; m < MEMBERS; m++) {
		int n = rng_below(4);
		for (int k = 0; k < n; k++) {
			int r = MEMBERS + weights_pick(&g->remote_activity);
			gen_check(mute_set(g->st, g->ids[m], g->ids[r], 1), "mute");
			g->stats[ST_MUTES]++;
		}
	}
	for (int i = 0; i < NBLOCKS; i++) {
		int m = rng_below(MEMBERS), r = MEMBERS + rng_below(REMOTES);
		if (gen_blocked(g, m, r))
			continue;
		gen_check(block_set(g->st, g->ids[m], g->ids[r], 1), "block");
		g->follows[m][r] = 0; /* a block ends follows both ways */
		g->blocks[g->stats[ST_BLOCKS]][0] = m;
		g->blocks[g->stats[ST_BLOCKS]][1] = r;
		g->stats[ST_BLOCKS]++;
	}
}

/* ---- generation: posts, boosts, favourites ------------------------------ */

static const char *const words[] = {
	"the",	    "camp",    "fire",	   "coffee",  "morning", "rain",     "train",
	"book",	    "garden",  "code",	   "bug",     "release", "walk",     "river",
	"bread",    "music",   "tonight",  "anyone",  "know",	 "how",	     "to",
	"fix",	    "this",    "finally",  "again",   "maybe",	 "tomorrow", "weekend",
	"photo",    "cat",     "dog",	   "bike",    "snow",	 "soup",     "meeting",
	"is",	    "a",       "very",	   "good",    "idea",	 "we",	     "should",
	"try",	    "new",     "old",	   "server",  "update",	 "thanks",   "for",
	"sharing",  "link",    "reading",  "about",   "history", "of",	     "small",
	"networks", "friends", "together", "quietly", "é",	 "naïve",    "café",
};

/* Appends about `len` bytes of plausible text. */
static void gen_words(struct buf *b, int len)
{
	size_t start = b->len;

	while (b->len - start < (size_t)len) {
		if (b->len > start)
			buf_putc(b, ' ');
		buf_puts(b, words[rng_below((int)ARRAY_LEN(words))]);
	}
}

/* The visibility of a new original post, in shares of 100. */
static int gen_visibility(int member)
{
	int x = rng_below(100);

	if (member)
		return x < 50	? VIS_PUBLIC
		       : x < 60 ? VIS_UNLISTED
		       : x < 75 ? VIS_FOLLOWERS
		       : x < 93 ? VIS_CAMP
		       : x < 95 ? VIS_NEIGHBORHOOD
				: VIS_DIRECT;
	return x < 60	? VIS_PUBLIC
	       : x < 75 ? VIS_UNLISTED
	       : x < 95 ? VIS_FOLLOWERS
			: VIS_DIRECT;
}

/* A reply keeps its parent's audience, as clients propose. */
static int gen_reply_visibility(int member, int parent)
{
	if (parent == VIS_PUBLIC && rng_percent(25))
		return VIS_UNLISTED;
	if (!member && (parent == VIS_CAMP || parent == VIS_NEIGHBORHOOD))
		return VIS_UNLISTED;
	return parent;
}

/* Someone actor would mention: members mostly name members and the
 * remote accounts they follow; remote accounts name members. */
static int gen_mentionee(const struct gen *g, int actor)
{
	if (actor >= MEMBERS || rng_percent(70)) {
		int m = weights_pick(&g->member_activity);
		return m == actor ? (m + 1) % MEMBERS : m;
	}
	for (int tries = 0; tries < 20; tries++) {
		int r = MEMBERS + weights_pick(&g->remote_fame);
		if (g->follows[actor][r])
			return r;
	}
	return (actor + 1) % MEMBERS;
}

/* The text of a post: maybe a mention (always for a direct post), maybe
 * a tag, 40 to 400 bytes of words.  *mentioned is the actor named, or
 * -1. */
static char *gen_text(struct gen *g, int actor, int vis, int *mentioned)
{
	struct buf b = BUF_INIT;
	char name[40];

	*mentioned = -1;
	if (vis == VIS_DIRECT || rng_percent(10)) {
		*mentioned = gen_mentionee(g, actor);
		gen_name(g, *mentioned, name, sizeof name);
		buf_printf(&b, "@%s%s ", name,
			   actor >= MEMBERS && *mentioned < MEMBERS ? "@" CAMP_DOMAIN
								    : "");
		g->stats[ST_MENTIONS]++;
	}
	gen_words(&b, 40 + rng_below(360));
	if (rng_percent(6)) {
		buf_printf(&b, " #tag%d", rng_below(50));
		g->stats[ST_TAGS]++;
	}
	return buf_detach(&b);
}

static void gen_post(struct gen *g, int actor)
{
	const struct recent *parent = NULL;
	int vis, mentioned, local = actor < MEMBERS;
	int64_t id, t0, extra;
	char uri[96];

	if (rng_percent(30))
		parent = gen_pick_recent(g, actor, local ? 20 : 50);
	vis = parent ? gen_reply_visibility(local, parent->vis) : gen_visibility(local);
	char *text = gen_text(g, actor, vis, &mentioned);
	struct post_new req = {
		.author_id = g->ids[actor],
		.content = text,
		.cw = rng_percent(3) ? "spoilers" : NULL,
		.visibility = vis,
		.in_reply_to_id = parent ? parent->id : 0,
		.max_chars = local ? 500 : 0,
		.local_domain = CAMP_DOMAIN,
	};
	if (!local) {
		snprintf(uri, sizeof uri, "https://d%03d.example/notes/%ld",
			 g->domain_of[actor - MEMBERS], ++g->remote_seq);
		req.uri = req.url = uri;
		if (mentioned >= 0) {
			extra = g->ids[mentioned];
			req.extra_mentions = &extra;
			req.nextra_mentions = 1;
		}
	}
	t0 = clock_ns();
	gen_check(post_create(g->st, &req, &id, NULL), "post");
	g->stats[ST_CREATE_NS] += clock_ns() - t0;
	free(text);
	g->stats[ST_POSTS]++;
	g->stats[ST_PUBLIC + vis]++;
	g->stats[ST_REPLIES] += parent != NULL;
	gen_remember(g, id, actor, vis);
}

/* Boosts a recent public or unlisted post; 0 if none was found. */
static int gen_boost(struct gen *g, int actor)
{
	const struct recent *p = gen_pick_recent(g, actor, actor < MEMBERS ? 20 : 40);
	int64_t id, t0;
	char uri[96];

	if (p == NULL || !visibility_is_open(p->vis) ||
	    !pairset_add(&g->boosted, g->ids[actor], p->id))
		return 0;
	if (actor >= MEMBERS)
		snprintf(uri, sizeof uri, "https://d%03d.example/announces/%ld",
			 g->domain_of[actor - MEMBERS], ++g->remote_seq);
	t0 = clock_ns();
	gen_check(post_boost(g->st, g->ids[actor], p->id, actor >= MEMBERS ? uri : NULL,
			     &id),
		  "boost");
	g->stats[ST_BOOST_NS] += clock_ns() - t0;
	g->stats[ST_POSTS]++;
	g->stats[ST_BOOSTS]++;
	return 1;
}

/* A favourite: members like what they see, remote accounts like members'
 * posts (a remote Like of a remote post never reaches the camp). */
static void gen_fav(struct gen *g)
{
	int actor = rng_percent(40) ? weights_pick(&g->member_activity)
				    : MEMBERS + weights_pick(&g->remote_activity);
	const struct recent *p = gen_pick_recent(g, actor, actor < MEMBERS ? 30 : 100);
	int64_t t0;

	if (p == NULL || (actor >= MEMBERS && p->author >= MEMBERS) ||
	    !pairset_add(&g->faved, g->ids[actor], p->id))
		return;
	t0 = clock_ns();
	gen_check(post_fav(g->st, g->ids[actor], p->id), "favourite");
	g->stats[ST_FAV_NS] += clock_ns() - t0;
	g->stats[ST_FAVOURITES]++;
}

/* One step of camp life: a post or a boost by someone (a member 15% of
 * the time), and about half the time a favourite. */
static void gen_step(struct gen *g)
{
	int member = rng_percent(15);
	int actor = member ? weights_pick(&g->member_activity)
			   : MEMBERS + weights_pick(&g->remote_activity);

	if (!rng_percent(12) || !gen_boost(g, actor))
		gen_post(g, actor);
	if (rng_percent(55))
		gen_fav(g);
}

static void gen_posts(struct gen *g, long target)
{
	int64_t start = clock_ns();
	long next_report = 50000;

	while (g->stats[ST_POSTS] < target) {
		gen_check(store_begin(g->st), "begin");
		for (int k = 0; k < BATCH && g->stats[ST_POSTS] < target; k++)
			gen_step(g);
		gen_check(store_commit(g->st), "commit");
		if (g->stats[ST_POSTS] >= next_report || g->stats[ST_POSTS] >= target) {
			double s = (double)(clock_ns() - start) / 1e9;
			fprintf(stderr, "bench: %ld posts in %.0f s (%.0f/s)\n",
				g->stats[ST_POSTS], s, (double)g->stats[ST_POSTS] / s);
			next_report += 50000;
		}
	}
}

static void stats_save(const char *path, const int64_t *stats)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		fprintf(stderr, "bench: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	for (int i = 0; i < ST_COUNT; i++)
		fprintf(f, "%s %lld\n", stat_names[i], (long long)stats[i]);
	fclose(f);
}

/* Reads a .gen file back; unknown lines are skipped.  0 or -1. */
static int stats_load(const char *path, int64_t *stats)
{
	FILE *f = fopen(path, "r");
	char name[32];
	long long v;

	memset(stats, 0, sizeof *stats * ST_COUNT);
	if (f == NULL)
		return -1;
	while (fscanf(f, "%31s %lld", name, &v) == 2)
		for (int i = 0; i < ST_COUNT; i++)
			if (strcmp(name, stat_names[i]) == 0)
				stats[i] = v;
	fclose(f);
	return 0;
}

/* Builds the camp at path (through path.tmp, so an interrupted run
 * leaves nothing that looks finished) and writes the .gen file. */
static void gen_camp(const char *path, const char *gen_path, long posts)
{
	struct gen *g = xcalloc(1, sizeof *g);
	char *tmp = xasprintf("%s.tmp", path);
	int64_t t0 = clock_ns();

	static const char *const leftovers[] = {"", "-wal", "-shm"};

	for (size_t i = 0; i < ARRAY_LEN(leftovers); i++) {
		char *old = xasprintf("%s%s", tmp, leftovers[i]);
		unlink(old);
		free(old);
	}
	gen_check(store_open(tmp, STORE_CREATE, &g->st), "creating the camp");
	weights_zipf(&g->member_activity, MEMBERS, 3);
	weights_zipf(&g->remote_activity, REMOTES, 5);
	weights_zipf(&g->remote_fame, REMOTES, 20);
	weights_zipf(&g->domains, DOMAINS, 2);
	fprintf(stderr, "bench: generating %ld posts in %s (GEN_VERSION %d)\n", posts,
		path, GEN_VERSION);
	gen_members(g);
	gen_remotes(g);
	gen_check(store_begin(g->st), "begin");
	gen_member_follows(g);
	gen_remote_follows(g);
	gen_mutes_blocks(g);
	gen_check(store_commit(g->st), "commit");
	g->stats[ST_SETUP_NS] = clock_ns() - t0;
	gen_posts(g, posts);
	store_close(g->st);
	g->stats[ST_TOTAL_NS] = clock_ns() - t0;
	if (rename(tmp, path) != 0) {
		fprintf(stderr, "bench: cannot rename %s: %s\n", tmp, strerror(errno));
		exit(1);
	}
	stats_save(gen_path, g->stats);
	weights_free(&g->member_activity);
	weights_free(&g->remote_activity);
	weights_free(&g->remote_fame);
	weights_free(&g->domains);
	free(g->boosted.slots);
	free(g->faved.slots);
	free(g);
	free(tmp);
}

/* ---- measuring ---------------------------------------------------------- */

enum depth { FIRST, PAGE10, DEEP };

#define NOTES (-1) /* a case's kind for notifications_get */
/* The lists whose tenth page is measured, in the order of bench.cursor. */
static const int paged_kinds[] = {TL_HOME, TL_CAMP, NOTES};

struct bench {
	const char *path;
	struct store *st;
	struct config cfg; /* for the web pages */
	struct fed fed;
	int64_t ids[MEMBERS];
	struct viewer *viewers[MEMBERS];
	/* max_id of page 10 (0 until bench_prepare has paged there) */
	int64_t cursor[ARRAY_LEN(paged_kinds)][MEMBERS];
	int64_t deep_post, deep_note; /* 0 until known */
};

struct bench_case;
typedef int (*case_fn)(struct bench *b, const struct bench_case *c, int v, int *items);

/* One row of the results: what is timed, how deep, and how often (the
 * new-handle case is slower and runs reps / 10 times). */
struct bench_case {
	const char *name;
	case_fn run;
	int kind; /* a timeline_kind, or NOTES */
	enum depth depth;
	int fewer;
};

static void bench_check(int r, const char *what)
{
	gen_check(r, what);
}

static int64_t case_max_id(const struct bench *b, const struct bench_case *c, int v)
{
	switch (c->depth) {
	case PAGE10:
		for (size_t k = 0; k < ARRAY_LEN(paged_kinds); k++)
			if (paged_kinds[k] == c->kind)
				return b->cursor[k][v];
		fatal("no page 10 for case %s", c->name);
	case DEEP:
		return c->kind == NOTES ? b->deep_note : b->deep_post;
	default:
		return 0;
	}
}

static int run_viewer(struct bench *b, const struct bench_case *c, int v, int *items)
{
	struct viewer *vw;
	int r;

	(void)c;
	if ((r = viewer_member(b->st, b->ids[v], &vw)) == 0)
		viewer_free(vw);
	*items = 0;
	return r;
}

static int page_timeline(struct store *st, struct viewer *vw, int kind, int64_t max_id,
			 int *items, int64_t *next)
{
	struct timeline_query q = {.kind = kind, .max_id = max_id, .limit = LIMIT};
	struct post_list l;
	int r;

	if ((r = timeline_get(st, vw, &q, &l)) != 0)
		return r;
	*items = l.n;
	if (next)
		*next = l.next_max_id;
	post_list_free(&l);
	return 0;
}

static int page_notes(struct store *st, struct viewer *vw, int64_t max_id, int *items,
		      int64_t *next)
{
	struct notification_list l;
	int r;

	if ((r = notifications_get(st, vw, max_id, LIMIT, &l)) != 0)
		return r;
	*items = l.n;
	if (next)
		*next = l.n ? l.items[l.n - 1].id : 0;
	notification_list_free(&l);
	return 0;
}

static int run_page(struct bench *b, const struct bench_case *c, int v, int *items)
{
	int64_t max_id = case_max_id(b, c, v);

	if (c->kind == NOTES)
		return page_notes(b->st, b->viewers[v], max_id, items, NULL);
	return page_timeline(b->st, b->viewers[v], c->kind, max_id, items, NULL);
}

/* What a session does once: load the viewer, paint the home page. */
static int run_session(struct bench *b, const struct bench_case *c, int v, int *items)
{
	struct viewer *vw;
	int r;

	(void)c;
	if ((r = viewer_member(b->st, b->ids[v], &vw)) != 0)
		return r;
	r = page_timeline(b->st, vw, TL_HOME, 0, items, NULL);
	viewer_free(vw);
	return r;
}

/* What a login in a new process does: open the database (cold statement
 * cache and page cache; the OS's file cache stays warm), load the viewer,
 * the home page and the notifications (for the tab's count). */
static int run_login(struct bench *b, const struct bench_case *c, int v, int *items)
{
	struct store *st;
	struct viewer *vw = NULL;
	int r, notes;

	(void)c;
	if ((r = store_open(b->path, 0, &st)) != 0)
		return r;
	if ((r = viewer_member(st, b->ids[v], &vw)) == 0 &&
	    (r = page_timeline(st, vw, TL_HOME, 0, items, NULL)) == 0)
		r = page_notes(st, vw, 0, &notes, NULL);
	viewer_free(vw);
	store_close(st);
	return r;
}

/* Opening the camp alone: what every new process pays first. */
static int run_open(struct bench *b, const struct bench_case *c, int v, int *items)
{
	struct store *st;
	int r;

	(void)c;
	(void)v;
	*items = 0;
	if ((r = store_open(b->path, 0, &st)) == 0)
		store_close(st);
	return r;
}

/* A member's DM conversations, the newest 20. */
static int run_dms(struct bench *b, const struct bench_case *c, int v, int *items)
{
	struct conversation_list l;
	int r;

	(void)c;
	if ((r = dm_conversations(b->st, b->viewers[v], LIMIT, &l)) != 0)
		return r;
	*items = l.n;
	conversation_list_free(&l);
	return 0;
}

/* The member directory. */
static int run_directory(struct bench *b, const struct bench_case *c, int v, int *items)
{
	struct directory_entry *e;
	int n, r;

	(void)c;
	if ((r = directory_list(b->st, b->ids[v], &e, &n)) != 0)
		return r;
	*items = n;
	directory_free(e, n);
	return 0;
}

/* Posts on a rendered page. */
static int count_articles(const struct buf *body)
{
	int n = 0;

	for (const char *p = buf_str(body); (p = strstr(p, "<article")) != NULL; p++)
		n++;
	return n;
}

/* A member's public profile page, whole, as routes.c makes it for a
 * browser: web_profile() reads as an anonymous viewer through
 * store/public.c and writes the HTML.  Member v's page in turn. */
static int run_web_profile(struct bench *b, const struct bench_case *c, int v, int *items)
{
	struct web_page pg = {0};
	char name[8];
	int r;

	(void)c;
	snprintf(name, sizeof name, "m%02d", v);
	if ((r = web_profile(&b->fed, name, 0, &pg)) == 0)
		*items = count_articles(&pg.body);
	web_page_free(&pg);
	return r;
}

/* The About page: staff, settings, the latest public posts. */
static int run_web_about(struct bench *b, const struct bench_case *c, int v, int *items)
{
	struct web_page pg = {0};
	int r;

	(void)c;
	(void)v;
	if ((r = web_about(&b->fed, &pg)) == 0)
		*items = count_articles(&pg.body);
	web_page_free(&pg);
	return r;
}

static const struct bench_case cases[] = {
	{"viewer_member()", run_viewer, 0, FIRST, 0},
	{"home, first page", run_page, TL_HOME, FIRST, 0},
	{"home, page 10", run_page, TL_HOME, PAGE10, 0},
	{"home, deep (max_id at 10% of ids)", run_page, TL_HOME, DEEP, 0},
	{"camp, first page", run_page, TL_CAMP, FIRST, 0},
	{"camp, page 10", run_page, TL_CAMP, PAGE10, 0},
	{"camp, deep (max_id at 10% of ids)", run_page, TL_CAMP, DEEP, 0},
	{"federated, first page", run_page, TL_FEDERATED, FIRST, 0},
	{"notifications, first page", run_page, NOTES, FIRST, 0},
	{"notifications, page 10", run_page, NOTES, PAGE10, 0},
	{"notifications, deep (max_id at 10% of ids)", run_page, NOTES, DEEP, 0},
	{"DM conversations, newest 20", run_dms, 0, FIRST, 0},
	{"directory", run_directory, 0, FIRST, 1},
	{"session: viewer_member + home first page", run_session, 0, FIRST, 0},
	{"store_open() + store_close()", run_open, 0, FIRST, 1},
	{"login: store_open + viewer + home + notifications", run_login, 0, FIRST, 1},
	{"web: a profile page (HTML, 20 posts)", run_web_profile, 0, FIRST, 0},
	{"web: the About page", run_web_about, 0, FIRST, 0},
};

/* One page of a timeline or of the notifications; *next is the max_id
 * of the page after it (0 at the end). */
static int page_any(struct bench *b, int kind, int v, int64_t max_id, int *items,
		    int64_t *next)
{
	if (kind == NOTES)
		return page_notes(b->st, b->viewers[v], max_id, items, next);
	return page_timeline(b->st, b->viewers[v], kind, max_id, items, next);
}

/* Pages through nine pages of list k for each member, outside the
 * clock, to know where page 10 starts (max_id 1, an empty page, when a
 * list is shorter). */
static void bench_cursors(struct bench *b, size_t k)
{
	int items;

	for (int v = 0; v < MEMBERS; v++) {
		int64_t max_id = 0, next = 0;
		for (int page = 0; page < 9; page++, max_id = next) {
			bench_check(page_any(b, paged_kinds[k], v, max_id, &items, &next),
				    "paging");
			if (next == 0)
				break;
		}
		b->cursor[k][v] = next ? next : 1;
	}
}

/* Works out, once, the max_id a case needs: where page 10 starts, or a
 * tenth of the newest post id, or of the newest notification id any
 * member has. */
static void bench_prepare(struct bench *b, const struct bench_case *c)
{
	int64_t next;
	int items;

	for (size_t k = 0; k < ARRAY_LEN(paged_kinds); k++)
		if (c->depth == PAGE10 && paged_kinds[k] == c->kind && !b->cursor[k][0])
			bench_cursors(b, k);
	if (c->depth == DEEP && c->kind != NOTES && !b->deep_post) {
		bench_check(post_max_id(b->st, &b->deep_post), "max id");
		b->deep_post /= 10;
	}
	if (c->depth == DEEP && c->kind == NOTES && !b->deep_note) {
		for (int v = 0; v < MEMBERS; v++) {
			bench_check(page_notes(b->st, b->viewers[v], 0, &items, &next),
				    "notifications");
			b->deep_note = next > b->deep_note ? next : b->deep_note;
		}
		b->deep_note /= 10;
	}
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static double pct_ms(const int64_t *sorted, int n, double p)
{
	return (double)sorted[(int)(p * (n - 1))] / 1e6;
}

/* Times one case: a warm-up pass over every member, then up to reps
 * calls (fewer if they take more than CASE_BUDGET_S in all), the viewer
 * changing at every call.  Prints one table row. */
static void bench_case_run(struct bench *b, const struct bench_case *c, int reps)
{
	int64_t *ns = xcalloc((size_t)reps, sizeof *ns), spent = 0;
	long items_total = 0;
	int items, n = 0;

	bench_prepare(b, c);
	for (int v = 0; v < MEMBERS; v++)
		bench_check(c->run(b, c, v, &items), c->name);
	while (n < reps && spent < (int64_t)CASE_BUDGET_S * 1000000000) {
		int64_t t0 = case_clock_ns();
		bench_check(c->run(b, c, n % MEMBERS, &items), c->name);
		ns[n] = case_clock_ns() - t0;
		spent += ns[n++];
		items_total += items;
	}
	qsort(ns, (size_t)n, sizeof *ns, cmp_i64);
	double p99 = pct_ms(ns, n, 0.99);
	printf("| %-50s | %7.3f | %7.3f | %7.3f | %5.1f | %5d | %s |\n", c->name,
	       pct_ms(ns, n, 0.5), p99, pct_ms(ns, n, 1.0), (double)items_total / n, n,
	       p99 < 5.0 ? "yes" : "**no**");
	fflush(stdout);
	free(ns);
}

/* Prints what the .gen file says about the camp and its generation. */
static void bench_print_gen(const char *gen_path)
{
	int64_t st[ST_COUNT];

	if (stats_load(gen_path, st) != 0)
		return;
	printf("Camp (from %s):\n\n", gen_path);
	for (int i = 0; i < ST_CREATE_NS; i++)
		printf("    %-13s %lld\n", stat_names[i], (long long)st[i]);
	long long made = st[ST_POSTS] - st[ST_BOOSTS];
	printf("\nGeneration: %.0f s in all (accounts and follows %.1f s); "
	       "%.0f posts/s overall.\npost_create: %.0f posts/s (%.0f us each); "
	       "post_boost: %.0f/s; post_fav: %.0f/s.\n\n",
	       st[ST_TOTAL_NS] / 1e9, st[ST_SETUP_NS] / 1e9,
	       st[ST_POSTS] / (st[ST_TOTAL_NS] / 1e9), made / (st[ST_CREATE_NS] / 1e9),
	       st[ST_CREATE_NS] / 1e3 / made, st[ST_BOOSTS] / (st[ST_BOOST_NS] / 1e9),
	       st[ST_FAVOURITES] / (st[ST_FAV_NS] / 1e9));
}

/* Opens the camp at path, loads every member's viewer, and runs the
 * cases whose name contains `only` (all if NULL), printing the table. */
static void bench_run(const char *path, const char *gen_path, int reps, const char *only)
{
	struct bench b = {.path = path};
	char name[8];

	bench_check(store_open(path, 0, &b.st), "opening the camp");
	config_defaults(&b.cfg);
	free(b.cfg.domain);
	free(b.cfg.public_url);
	b.cfg.domain = xstrdup(CAMP_DOMAIN);
	b.cfg.public_url = xstrdup("https://" CAMP_DOMAIN);
	b.fed = (struct fed){.st = b.st, .cfg = &b.cfg, .base = b.cfg.public_url};
	for (int v = 0; v < MEMBERS; v++) {
		struct account a;
		snprintf(name, sizeof name, "m%02d", v);
		bench_check(account_get_member(b.st, name, &a), "member");
		b.ids[v] = a.id;
		account_free(&a);
		bench_check(viewer_member(b.st, b.ids[v], &b.viewers[v]), "viewer");
	}
	bench_print_gen(gen_path);
	printf("Every member in turn is the viewer; pages of %d; %s in ms.\n\n", LIMIT,
	       case_clock == CLOCK_MONOTONIC ? "times" : "CPU times (--cpu)");
	printf("| %-50s | %7s | %7s | %7s | %5s | %5s | %s |\n", "case", "p50", "p99",
	       "max", "items", "calls", "p99 < 5 ms");
	printf("|%s|--------:|--------:|--------:|------:|------:|---|\n",
	       "----------------------------------------------------");
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		if (only == NULL || strstr(cases[i].name, only))
			bench_case_run(&b, &cases[i], cases[i].fewer ? reps / 10 : reps);
	for (int v = 0; v < MEMBERS; v++)
		viewer_free(b.viewers[v]);
	config_free(&b.cfg);
	store_close(b.st);
}

int main(int argc, char **argv)
{
	const char *dir = "/tmp/camp-bench", *posts_s = NULL, *reps_s = NULL;
	const char *only = NULL;
	int regen = 0, cpu = 0, npos;
	long posts = 1000000, reps = 1200;
	const struct opt opts[] = {
		{"dir", 1, &dir, NULL},	    {"posts", 1, &posts_s, NULL},
		{"reps", 1, &reps_s, NULL}, {"regen", 0, NULL, &regen},
		{"only", 1, &only, NULL},   {"cpu", 0, NULL, &cpu},
		{NULL, 0, NULL, NULL},
	};
	char **pos = xcalloc((size_t)argc, sizeof *pos);
	struct stat sb;

	if (opts_parse(argc - 1, argv + 1, opts, pos, &npos) != 0 || npos != 0 ||
	    (posts_s && opts_int("posts", posts_s, 1000, 100000000, &posts) != 0) ||
	    (reps_s && opts_int("reps", reps_s, 10, 10000000, &reps) != 0)) {
		fprintf(stderr,
			"%s\nusage: timeline [--dir DIR] [--posts N] [--reps N] "
			"[--regen] [--only TEXT] [--cpu]\n",
			err_last());
		return 2;
	}
	free(pos);
	if (cpu)
		case_clock = CLOCK_THREAD_CPUTIME_ID;
	mkdir(dir, 0700);
	char *path = xasprintf("%s/camp-g%d-p%ld.db", dir, GEN_VERSION, posts);
	char *gen_path = xasprintf("%s.gen", path);
	if (regen || stat(path, &sb) != 0)
		gen_camp(path, gen_path, posts);
	bench_run(path, gen_path, (int)reps, only);
	free(path);
	free(gen_path);
	return 0;
}
