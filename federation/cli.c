/*
 * cli.c: `camp federation DIR`, the federation child in the foreground
 * (for development and tests), and `camp federation test-helper DIR ...`.
 *
 * THE TEST HELPER IS FOR TESTS ONLY.  It performs member actions straight
 * through the store while the exec commands over ssh are not there yet,
 * and seeds remote followers for the delivery fault test.  It is not a
 * way to run a camp and may go away once tests can use `ssh ... post`.
 */
#include "federation/federation.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

struct helper {
	struct fed *f;
	int argc;
	char **argv;
};

static int64_t member_id(struct helper *h, const char *name)
{
	struct account a;
	int64_t id;

	if (account_get_member(h->f->st, name, &a) != 0)
		return 0;
	id = a.id;
	account_free(&a);
	return id;
}

/* member NAME */
static int t_member(struct helper *h)
{
	char code[INVITE_CODE_LEN], fp[80];
	int64_t id;
	int r;

	if (h->argc < 1)
		return err_set(CAMP_EINVAL, "member NAME");
	snprintf(fp, sizeof fp, "SHA256:test-helper-%s", h->argv[0]);
	struct join_request req = {
		code, h->argv[0], NULL, "ssh-ed25519", "AAAAtesthelper", fp, 1000, 1};
	if ((r = invite_create(h->f->st, 0, 0, NULL, 0, code)) != 0 ||
	    (r = store_join(h->f->st, &req, &id)) != 0)
		return r;
	printf("%lld\n", (long long)id);
	return 0;
}

/* post NAME VISIBILITY TEXT [REPLY_TO_ID] */
static int t_post(struct helper *h)
{
	int64_t id;
	int flags, r;

	if (h->argc < 3)
		return err_set(CAMP_EINVAL, "post NAME VISIBILITY TEXT [REPLY_TO]");
	struct post_new req = {
		.author_id = member_id(h, h->argv[0]),
		.content = h->argv[2],
		.visibility = visibility_parse(h->argv[1]),
		.in_reply_to_id = h->argc > 3 ? atoll(h->argv[3]) : 0,
		.max_chars = 500,
		.local_domain = h->f->cfg->domain,
	};
	if ((r = post_create(h->f->st, &req, &id, &flags)) == 0)
		printf("%lld\n", (long long)id);
	return r;
}

/* follow NAME ACCT, unfollow NAME ACCT */
static int t_follow(struct helper *h, int on)
{
	int64_t target;
	enum follow_state state;
	int r;

	if (h->argc < 2)
		return err_set(CAMP_EINVAL, "follow NAME ACCT");
	if ((r = federation_resolve(h->f->st, h->f->cfg, h->argv[1], 10, &target)) != 0)
		return r;
	if (!on)
		return unfollow(h->f->st, member_id(h, h->argv[0]), target);
	r = follow_request(h->f->st, member_id(h, h->argv[0]), target, NULL, &state);
	if (r == 0)
		printf("%s\n", state == FOLLOW_ACCEPTED ? "accepted" : "pending");
	return r;
}

static int t_follow_on(struct helper *h)
{
	return t_follow(h, 1);
}

static int t_unfollow(struct helper *h)
{
	return t_follow(h, 0);
}

/* notifications NAME: one JSON object a line */
static int t_notifications(struct helper *h)
{
	struct viewer *v;
	struct notification_list l;
	int r;

	if (h->argc < 1)
		return err_set(CAMP_EINVAL, "notifications NAME");
	if ((r = viewer_member(h->f->st, member_id(h, h->argv[0]), &v)) != 0)
		return r;
	if ((r = notifications_get(h->f->st, v, 0, 100, &l)) == 0) {
		for (int i = 0; i < l.n; i++) {
			char *from = account_brief_acct(&l.items[i].from);
			json_t *o = json_pack(
				"{s:s, s:s, s:s, s:I}", "kind",
				notification_kind_name(l.items[i].kind), "from", from,
				"content",
				l.items[i].post ? l.items[i].post->content : "",
				"in_reply_to",
				(json_int_t)(l.items[i].post
						     ? l.items[i].post->in_reply_to_id
						     : 0));
			char *s = ap_dump(o);
			printf("%s\n", s);
			free(s);
			json_decref(o);
			free(from);
		}
		notification_list_free(&l);
	}
	viewer_free(v);
	return r;
}

/* seed-followers NAME COUNT BASE_URL: COUNT remote accounts, each with
 * its own inbox BASE_URL/inbox/I, following NAME (for the fault test). */
static int t_seed(struct helper *h)
{
	int64_t member, id;
	enum follow_state state;
	int r = 0;

	if (h->argc < 3)
		return err_set(CAMP_EINVAL, "seed-followers NAME COUNT BASE_URL");
	member = member_id(h, h->argv[0]);
	for (int i = 0; i < atoi(h->argv[1]) && r == 0; i++) {
		char *uri = xasprintf("%s/users/f%d", h->argv[2], i);
		char *inbox = xasprintf("%s/inbox/%d", h->argv[2], i);
		char *name = xasprintf("f%d", i);
		char *domain = xstrndup(h->argv[2] + 7, strcspn(h->argv[2] + 7, "/"));
		struct remote_actor ra = {0,	NULL, inbox, NULL,   NULL,
					  NULL, NULL, NULL,  now_s()};
		if ((r = account_upsert_remote(h->f->st, uri, name, domain, name, "", 0,
					       &id)) == 0) {
			ra.account_id = id;
			r = remote_actor_save(h->f->st, &ra);
		}
		if (r == 0)
			r = follow_request(h->f->st, id, member, uri, &state);
		free(uri);
		free(inbox);
		free(name);
		free(domain);
	}
	return r;
}

/* home NAME: the home timeline, one JSON object a line */
static int t_home(struct helper *h)
{
	struct viewer *v;
	struct post_list l = {0};
	struct timeline_query q = {TL_HOME, 0, NULL, 0, 50};
	int r;

	if (h->argc < 1)
		return err_set(CAMP_EINVAL, "home NAME");
	if ((r = viewer_member(h->f->st, member_id(h, h->argv[0]), &v)) != 0)
		return r;
	if ((r = timeline_get(h->f->st, v, &q, &l)) == 0) {
		for (int i = 0; i < l.n; i++) {
			char *from = account_brief_acct(&l.items[i].author);
			json_t *o = json_pack("{s:s, s:s, s:s}", "author", from,
					      "content", l.items[i].content, "visibility",
					      visibility_name(l.items[i].visibility));
			char *s = ap_dump(o);
			printf("%s\n", s);
			free(s);
			json_decref(o);
			free(from);
		}
		post_list_free(&l);
	}
	viewer_free(v);
	return r;
}

/* following NAME ACCT: none, pending or accepted */
static int t_following(struct helper *h)
{
	static const char *const names[] = {"none", "pending", "accepted"};
	struct account a;
	enum follow_state state = FOLLOW_NONE;
	int r;

	if (h->argc < 2)
		return err_set(CAMP_EINVAL, "following NAME ACCT");
	if ((r = account_find(h->f->st, h->argv[1], h->f->cfg->domain, &a)) != 0)
		return r;
	r = follow_get(h->f->st, member_id(h, h->argv[0]), a.id, &state);
	account_free(&a);
	if (r == 0)
		printf("%s\n", names[state]);
	return r;
}

/* deliveries: how many jobs wait */
static int t_deliveries(struct helper *h)
{
	int64_t n = 0;
	int r = delivery_count(h->f->st, &n);

	if (r == 0)
		printf("%lld\n", (long long)n);
	return r;
}

static const struct {
	const char *name;
	int (*run)(struct helper *h);
} helpers[] = {
	{"member", t_member},
	{"post", t_post},
	{"follow", t_follow_on},
	{"unfollow", t_unfollow},
	{"notifications", t_notifications},
	{"seed-followers", t_seed},
	{"deliveries", t_deliveries},
	{"home", t_home},
	{"following", t_following},
};

static int test_helper(int argc, char **argv)
{
	struct config cfg;
	struct store *st;
	int r = CAMP_EINVAL;

	if (argc < 2) {
		fprintf(stderr, "usage: camp federation test-helper DIR COMMAND ...\n");
		return 2;
	}
	if (camp_dir_open(argv[0], &cfg, &st) != 0) {
		fprintf(stderr, "camp: %s\n", err_last());
		return 1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct fed f = {st, &cfg, cfg.public_url};
	struct helper h = {&f, argc - 2, argv + 2};
	err_set(CAMP_EINVAL, "unknown test-helper command %s", argv[1]);
	for (size_t i = 0; i < ARRAY_LEN(helpers); i++)
		if (strcmp(helpers[i].name, argv[1]) == 0)
			r = helpers[i].run(&h);
	if (r != 0)
		fprintf(stderr, "camp: %s\n", err_last());
	store_close(st);
	config_free(&cfg);
	curl_global_cleanup();
	return r ? 1 : 0;
}

int federation_cmd(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "test-helper") == 0)
		return test_helper(argc - 1, argv + 1);
	if (argc != 1) {
		fprintf(stderr, "usage: camp federation DIR\n");
		return 2;
	}
	return federation_main(argv[0]);
}
