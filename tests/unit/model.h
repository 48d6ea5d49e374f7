/*
 * model.h: helpers for tests of the camp's model: a fresh database with
 * members and remote accounts made in one line each.
 */
#ifndef CAMP_TEST_MODEL_H
#define CAMP_TEST_MODEL_H

#include "tests/unit/unit.h"

#include "store/store-private.h" /* tests look under the hood */

#define DOMAIN "camp.test"

struct camp_fixture {
	char *dir;
	struct store *st;
	int keys; /* fingerprints made so far */
};

static inline int camp_setup(void **state)
{
	struct camp_fixture *f = xcalloc(1, sizeof *f);
	char *path;

	f->dir = unit_tmpdir();
	path = xasprintf("%s/camp.db", f->dir);
	assert_int_equal(store_open(path, STORE_CREATE, &f->st), 0);
	free(path);
	*state = f;
	return 0;
}

static inline int camp_teardown(void **state)
{
	struct camp_fixture *f = *state;

	store_close(f->st);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

/* A new member called name. */
static inline int64_t member(struct camp_fixture *f, const char *name)
{
	char code[INVITE_CODE_LEN], fp[32];
	int64_t id = 0;

	snprintf(fp, sizeof fp, "SHA256:k%d", ++f->keys);
	assert_int_equal(invite_create(f->st, 0, 0, NULL, 0, code), 0);
	struct join_request req = {code, name, NULL, "ssh-ed25519", "AAAA", fp, 1000, 1};
	assert_int_equal(store_join(f->st, &req, &id), 0);
	return id;
}

/* A remote account name@domain. */
static inline int64_t remote(struct camp_fixture *f, const char *name, const char *domain)
{
	char *uri = xasprintf("https://%s/users/%s", domain, name);
	int64_t id = 0;

	assert_int_equal(
		account_upsert_remote(f->st, uri, name, domain, name, "", 0, &id), 0);
	free(uri);
	return id;
}

/* A post by author at visibility vis (-1 default), replying to parent. */
static inline int64_t post_reply(struct camp_fixture *f, int64_t author, int vis,
				 const char *text, int64_t parent)
{
	struct post_new req = {0};
	int64_t id = 0;
	static int remote_seq;
	char uri[64];

	req.author_id = author;
	req.content = text;
	req.visibility = vis;
	req.in_reply_to_id = parent;
	req.max_chars = 500;
	req.local_domain = DOMAIN;
	if (account_is_member(f->st, author) == 0) {
		snprintf(uri, sizeof uri, "https://remote.test/notes/%d", ++remote_seq);
		req.uri = uri;
	}
	assert_int_equal(post_create(f->st, &req, &id, NULL), 0);
	return id;
}

static inline int64_t post(struct camp_fixture *f, int64_t author, int vis,
			   const char *text)
{
	return post_reply(f, author, vis, text, 0);
}

/* Whether viewer (a member or remote account id; 0 = anonymous) sees id. */
static inline int sees(struct camp_fixture *f, int64_t viewer, int64_t id)
{
	struct viewer *v;
	int yes = -1;

	if (viewer == 0)
		v = viewer_anonymous();
	else if (account_is_member(f->st, viewer))
		assert_int_equal(viewer_member(f->st, viewer, &v), 0);
	else
		assert_int_equal(viewer_remote(f->st, viewer, &v), 0);
	assert_int_equal(audience_can_see(f->st, v, id, &yes), 0);
	viewer_free(v);
	return yes;
}

/* Whether id is on the first page of a member's timeline. */
static inline int in_timeline(struct camp_fixture *f, int64_t viewer,
			      enum timeline_kind k, int64_t account, const char *tag,
			      int64_t id)
{
	struct timeline_query q = {k, account, tag, 0, 200};
	struct post_list l;
	struct viewer *v;
	int found = 0;

	assert_int_equal(viewer_member(f->st, viewer, &v), 0);
	assert_int_equal(timeline_get(f->st, v, &q, &l), 0);
	for (int i = 0; i < l.n; i++)
		found |= l.items[i].id == id;
	post_list_free(&l);
	viewer_free(v);
	return found;
}

#endif
