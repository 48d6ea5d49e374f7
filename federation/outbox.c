/*
 * outbox.c: member actions, as the model recorded them in its outbox,
 * turned into ActivityPub activities and delivery jobs.
 *
 * One builder per outbox kind (a table).  Each item becomes its jobs in
 * the same transaction that marks it done, so a crash either leaves the
 * item pending or its jobs queued, never half.  The recipients are the
 * ones audience.c chose when the member acted; this file only adds
 * inboxes.  A post that may not federate (camp-only, or a boost of one)
 * is never built: the builders ask audience_may_federate() again.
 *
 * Every activity gets an id of its own, made from its outbox item's id
 * (base/activities/N): servers drop a second activity with an id they
 * have seen, so like, unlike, like again must be three ids.  An Undo
 * names the exact id it undoes.  Only a Create and an Announce keep the
 * id the outbox collection shows for them (each post is created once, a
 * boost is a post of its own).
 */
#include "federation/federation.h"

#include <stdlib.h>
#include <string.h>

struct build {
	struct fed *f;
	const struct outbox_item *it;
	struct account actor; /* the member acting */
	char *actor_url;
	json_t *activity; /* the result, or NULL for nothing to send */
};

static json_t *activity_new(struct build *b, const char *type, json_t *id)
{
	json_t *a = json_pack("{s:o, s:o, s:s, s:s}", "@context", ap_context(), "id", id,
			      "type", type, "actor", b->actor_url);
	return a;
}

/* The id of the activity an outbox item became. */
static json_t *activity_id(struct build *b, int64_t item)
{
	return json_sprintf("%s/activities/%lld", b->f->base, (long long)item);
}

static json_t *item_id(struct build *b)
{
	return activity_id(b, b->it->id);
}

/* The id of the activity an Undo item undoes: the one made from the
 * earlier item of kind it names.  Camps before per-item ids named likes
 * and blocks by their target (actor#likes/POST, actor#blocks/ACCOUNT),
 * the best guess when no earlier item is left. */
static json_t *undone_id(struct build *b, enum outbox_kind kind, const char *old_name,
			 int64_t old_target)
{
	int64_t item;

	if (outbox_item_undone(b->f->st, b->it, kind, &item) == 0)
		return activity_id(b, item);
	return json_sprintf("%s#%s/%lld", b->actor_url, old_name, (long long)old_target);
}

/* The actor id of an account (member or remote); caller frees. */
static char *actor_of(struct build *b, int64_t id)
{
	struct remote_actor ra;
	struct account a;
	char *out = NULL;

	if (remote_actor_get(b->f->st, id, &ra) == 0) {
		out = xstrdup(ra.uri);
		remote_actor_free(&ra);
	} else if (account_get(b->f->st, id, &a) == 0) {
		if (a.domain == NULL)
			out = fed_actor_url(b->f, a.username);
		account_free(&a);
	}
	return out;
}

/* A post as its author sees it, if it may leave the camp. */
static int load_post(struct build *b, int64_t id, struct post *p)
{
	struct viewer *v;
	int yes = 0, r;

	if ((r = audience_may_federate(b->f->st, id, &yes)) != 0)
		return r;
	if (!yes)
		return err_set(CAMP_EPERM, "post %lld may not leave the camp",
			       (long long)id);
	if ((r = viewer_member(b->f->st, b->it->actor_id, &v)) != 0)
		return r;
	r = post_get(b->f->st, v, id, p);
	viewer_free(v);
	return r;
}

/* The id other servers know a post by. */
static char *post_uri(struct build *b, const struct post *p)
{
	return p->uri ? xstrdup(p->uri) : fed_post_url(b->f, p->id);
}

static int wrap_note(struct build *b, const char *type, int update)
{
	struct post p;
	json_t *note;
	int r;

	if ((r = load_post(b, b->it->post_id, &p)) != 0)
		return r;
	if (p.boost_of || !p.local || (note = ap_note_of_post(b->f, &p)) == NULL) {
		post_free(&p);
		return err_set(CAMP_EPERM, "not a note of this camp");
	}
	b->activity = ap_note_activity(type, update ? item_id(b) : NULL, note);
	post_free(&p);
	return 0;
}

static int b_create(struct build *b)
{
	return wrap_note(b, "Create", 0);
}

static int b_update(struct build *b)
{
	return wrap_note(b, "Update", 1);
}

static int b_delete(struct build *b)
{
	char *url = fed_post_url(b->f, b->it->post_id);

	b->activity = activity_new(b, "Delete", item_id(b));
	json_object_set_new(b->activity, "to", json_pack("[s]", AS_PUBLIC));
	json_object_set_new(b->activity, "object",
			    json_pack("{s:s, s:s}", "id", url, "type", "Tombstone"));
	free(url);
	return 0;
}

/* The Announce of a boost (also embedded in its Undo). */
static int announce_of(struct build *b, int64_t boost_id, int64_t boosted_id,
		       json_t **out)
{
	struct post p;
	char *followers = xasprintf("%s/followers", b->actor_url), *uri, *author;
	int r;

	*out = NULL;
	if ((r = load_post(b, boosted_id, &p)) != 0)
		goto out;
	if (!visibility_is_open(p.visibility)) {
		r = err_set(CAMP_EPERM, "only public and unlisted posts are boosted out");
		post_free(&p);
		goto out;
	}
	uri = post_uri(b, &p);
	author = actor_of(b, p.author.id);
	/* Addressed as a post of the boosted post's level, mentioning its
	 * author. */
	json_t *to, *cc;
	const char *const mention[] = {author};
	ap_address(p.visibility, followers, mention, author != NULL, &to, &cc);
	*out = activity_new(
		b, "Announce",
		json_sprintf("%s/posts/%lld/activity", b->f->base, (long long)boost_id));
	json_object_set_new(*out, "to", to);
	json_object_set_new(*out, "cc", cc);
	json_object_set_new(*out, "object", json_string(uri));
	free(uri);
	free(author);
	post_free(&p);
out:
	free(followers);
	return r;
}

static int b_announce(struct build *b)
{
	return announce_of(b, b->it->post_id, b->it->object_post_id, &b->activity);
}

/* Undo of an activity built by another builder. */
static int undo_of(struct build *b, json_t *inner)
{
	b->activity = activity_new(b, "Undo", item_id(b));
	json_object_set(b->activity, "to", json_object_get(inner, "to"));
	json_object_set(b->activity, "cc", json_object_get(inner, "cc"));
	json_object_del(inner, "@context");
	json_object_set_new(b->activity, "object", inner);
	return 0;
}

static int b_undo_announce(struct build *b)
{
	json_t *inner;
	int r = announce_of(b, b->it->post_id, b->it->object_post_id, &inner);

	return r ? r : undo_of(b, inner);
}

/* The Like of the item's post, with id (taken). */
static int like_of(struct build *b, json_t *id, json_t **out)
{
	struct post p;
	char *uri, *author;
	int r;

	*out = NULL;
	if ((r = load_post(b, b->it->object_post_id, &p)) != 0) {
		json_decref(id);
		return r;
	}
	uri = post_uri(b, &p);
	author = actor_of(b, p.author.id);
	*out = activity_new(b, "Like", id);
	json_object_set_new(*out, "to", author ? json_pack("[s]", author) : json_array());
	json_object_set_new(*out, "object", json_string(uri));
	free(uri);
	free(author);
	post_free(&p);
	return 0;
}

static int b_like(struct build *b)
{
	return like_of(b, item_id(b), &b->activity);
}

static int b_undo_like(struct build *b)
{
	json_t *inner;
	int r = like_of(b, undone_id(b, OUTBOX_LIKE, "likes", b->it->object_post_id),
			&inner);

	return r ? r : undo_of(b, inner);
}

/* An activity about the remote target (Follow, Block). */
static int about_target(struct build *b, const char *type, json_t *id, json_t **out)
{
	char *target = actor_of(b, b->it->target_id);

	*out = NULL;
	if (target == NULL) {
		json_decref(id);
		return err_set(CAMP_ENOENT, "the remote account is gone");
	}
	*out = activity_new(b, type, id);
	json_object_set_new(*out, "to", json_pack("[s]", target));
	json_object_set_new(*out, "object", json_string(target));
	free(target);
	return 0;
}

static int b_follow(struct build *b)
{
	int r = about_target(b, "Follow", item_id(b), &b->activity);

	if (r == 0)
		r = follow_out_set(b->f->st, b->it->actor_id, b->it->target_id,
				   ap_str(b->activity, "id"));
	return r;
}

static int b_undo_follow(struct build *b)
{
	char *id = NULL;
	json_t *inner;
	int r;

	if ((r = follow_out_get(b->f->st, b->it->actor_id, b->it->target_id, &id)) != 0)
		return r;
	r = about_target(b, "Follow",
			 id ? json_string(id)
			    : json_sprintf("%s#follows/%lld", b->actor_url,
					   (long long)b->it->target_id),
			 &inner);
	free(id);
	return r ? r : undo_of(b, inner);
}

static int answer_follow(struct build *b, const char *type)
{
	char *follower = actor_of(b, b->it->target_id);

	if (follower == NULL || b->it->object_uri == NULL) {
		free(follower);
		return err_set(CAMP_ENOENT, "no Follow to answer");
	}
	b->activity = activity_new(b, type, item_id(b));
	json_object_set_new(b->activity, "to", json_pack("[s]", follower));
	json_object_set_new(b->activity, "object",
			    json_pack("{s:s, s:s, s:s, s:s}", "id", b->it->object_uri,
				      "type", "Follow", "actor", follower, "object",
				      b->actor_url));
	free(follower);
	return 0;
}

static int b_accept(struct build *b)
{
	return answer_follow(b, "Accept");
}

static int b_reject(struct build *b)
{
	return answer_follow(b, "Reject");
}

static int b_block(struct build *b)
{
	return about_target(b, "Block", item_id(b), &b->activity);
}

static int b_undo_block(struct build *b)
{
	json_t *inner;
	int r = about_target(b, "Block",
			     undone_id(b, OUTBOX_BLOCK, "blocks", b->it->target_id),
			     &inner);

	return r ? r : undo_of(b, inner);
}

static int b_update_person(struct build *b)
{
	char *priv = NULL, *pub = NULL;
	int r = fed_member_keys(b->f, b->actor.id, b->actor.username, &priv, &pub);

	if (r == 0) {
		json_t *person = ap_person(b->f, &b->actor, pub);
		json_object_del(person, "@context");
		b->activity = activity_new(b, "Update", item_id(b));
		json_object_set_new(b->activity, "to", json_pack("[s]", AS_PUBLIC));
		json_object_set_new(b->activity, "object", person);
	}
	free(priv);
	free(pub);
	return r;
}

static int b_delete_person(struct build *b)
{
	b->activity = activity_new(b, "Delete", item_id(b));
	json_object_set_new(b->activity, "to", json_pack("[s]", AS_PUBLIC));
	json_object_set_new(b->activity, "object", json_string(b->actor_url));
	return 0;
}

static int (*const builders[OUTBOX_KIND_COUNT])(struct build *) = {
	[OUTBOX_CREATE] = b_create,
	[OUTBOX_UPDATE] = b_update,
	[OUTBOX_DELETE] = b_delete,
	[OUTBOX_ANNOUNCE] = b_announce,
	[OUTBOX_UNDO_ANNOUNCE] = b_undo_announce,
	[OUTBOX_LIKE] = b_like,
	[OUTBOX_UNDO_LIKE] = b_undo_like,
	[OUTBOX_FOLLOW] = b_follow,
	[OUTBOX_UNDO_FOLLOW] = b_undo_follow,
	[OUTBOX_ACCEPT] = b_accept,
	[OUTBOX_REJECT] = b_reject,
	[OUTBOX_BLOCK] = b_block,
	[OUTBOX_UNDO_BLOCK] = b_undo_block,
	[OUTBOX_UPDATE_PERSON] = b_update_person,
	[OUTBOX_DELETE_PERSON] = b_delete_person,
};

int fed_enqueue(struct fed *f, json_t *activity, const char *signer,
		const int64_t *recipients, int n)
{
	char *body = ap_dump(activity),
	     **inboxes = xcalloc((size_t)n + 1, sizeof *inboxes);
	const char *id = ap_str(activity, "id");
	int ninboxes = 0, r = 0;

	for (int i = 0; i < n && r == 0; i++) {
		struct remote_actor ra;
		if (remote_actor_get(f->st, recipients[i], &ra) != 0)
			continue; /* no inbox known: nothing to deliver to */
		const char *inbox = ra.shared_inbox ? ra.shared_inbox : ra.inbox;
		int dup = 0;
		for (int j = 0; j < ninboxes; j++)
			dup |= strcmp(inboxes[j], inbox) == 0;
		if (!dup) {
			inboxes[ninboxes++] = xstrdup(inbox);
			r = delivery_add(f->st, id, inbox, signer, body, now_s());
		}
		remote_actor_free(&ra);
	}
	for (int i = 0; i < ninboxes; i++)
		free(inboxes[i]);
	free(inboxes);
	free(body);
	return r;
}

/* Builds one item's activity and jobs; the caller holds the transaction. */
static int outbox_item_run(struct fed *f, const struct outbox_item *it)
{
	struct build b = {f, it, {0}, NULL, NULL};
	char *priv = NULL, *pub = NULL;
	int r;

	if (it->kind < 0 || it->kind >= OUTBOX_KIND_COUNT || !builders[it->kind])
		return err_set(CAMP_EINVAL, "unknown outbox kind %d", it->kind);
	if ((r = account_get(f->st, it->actor_id, &b.actor)) != 0)
		return r;
	b.actor_url = fed_actor_url(f, b.actor.username);
	if ((r = fed_member_keys(f, b.actor.id, b.actor.username, &priv, &pub)) == 0 &&
	    (r = builders[it->kind](&b)) == 0 && b.activity)
		r = fed_enqueue(f, b.activity, b.actor.username, it->recipients,
				it->nrecipients);
	json_decref(b.activity);
	account_free(&b.actor);
	free(b.actor_url);
	free(priv);
	free(pub);
	return r;
}

int fed_outbox_run(struct fed *f, int *handled)
{
	struct outbox_item *items;
	int n, r;

	*handled = 0;
	if ((r = outbox_pending(f->st, 50, &items, &n)) != 0)
		return r;
	for (int i = 0; i < n; i++) {
		if ((r = store_begin(f->st)) != 0)
			break;
		int br = outbox_item_run(f, &items[i]);
		if (br != 0 && br != CAMP_EPERM && br != CAMP_ENOENT &&
		    br != CAMP_EINVAL) {
			store_rollback(f->st);
			log_error("outbox item %lld: %s", (long long)items[i].id,
				  err_last());
			r = br;
			break;
		}
		if (br != 0)
			log_info("outbox item %lld (%s) not sent: %s",
				 (long long)items[i].id, outbox_kind_name(items[i].kind),
				 err_last());
		if ((r = outbox_done(f->st, items[i].id)) != 0) {
			store_rollback(f->st);
			break;
		}
		if ((r = store_commit(f->st)) != 0)
			break;
		(*handled)++;
	}
	outbox_items_free(items, n);
	return r;
}
