/*
 * inbox.c: inbound activities: the inbox's order of work, and the
 * handlers of ap-activity.c's rows.  A POST is parsed and checked
 * (ap_check_activity(): its row, or an answer), its signature verified
 * (sig_verify_request()), then its row's prefetch runs and its handler
 * applies it through the model's functions, in one transaction with the
 * record of its id, so a repeat changes nothing.
 *
 * The signer must be the activity's actor; a handler acts only on the
 * actor's own things (its follows, its posts, its reactions).  Ids are
 * remembered per actor, and only ids on the actor's own origin, so no
 * one can use up the id of another's future activity.  Network
 * work (fetching a boosted note, or a note a Create only names) is a
 * row's prefetch, done before the transaction opens, never inside it.
 * Every string stored from here was checked as UTF-8 on the way in.
 */
#include "federation/federation.h"

#include <stdlib.h>
#include <string.h>

/* One inbound activity being applied (the handlers' argument). */
struct inbound {
	struct fed *f;
	json_t *doc;
	const char *id, *type, *actor;
	int64_t actor_id;
	json_t *object; /* the first object value */
	const char *object_id;
};

/* ---- looking things up ---------------------------------------------------- */

/* The member an actor URL of ours names; 0 if none. */
static int64_t local_member(struct fed *f, const char *url)
{
	char *name = fed_local_username(f, url);
	struct account a;
	int64_t id = 0;

	if (name && account_get_member(f->st, name, &a) == 0) {
		if (!a.deleted_at)
			id = a.id;
		account_free(&a);
	}
	free(name);
	return id;
}

/* A post known by its id: ours (by URL) or a remote one (by uri). */
static int64_t known_post(struct fed *f, const char *uri)
{
	int64_t id = uri ? fed_local_post_id(f, uri) : 0;

	if (id == 0 && uri && post_find_uri(f->st, uri, &id) != 0)
		id = 0;
	return id;
}

/* Whether a member follows the account. */
static int followed_here(struct fed *f, int64_t account_id)
{
	int64_t *ids = NULL;
	int n = 0, yes = 0;

	if (followers_list(f->st, account_id, &ids, &n) == 0)
		for (int i = 0; i < n && !yes; i++)
			yes = account_is_member(f->st, ids[i]) == 1;
	free(ids);
	return yes;
}

/* ---- follows and blocks ------------------------------------------------ */

int inbox_follow(struct inbound *in)
{
	int64_t member = local_member(in->f, in->object_id);
	enum follow_state state;

	if (member == 0)
		return err_set(CAMP_ENOENT, "no such member");
	return follow_request(in->f->st, in->actor_id, member, in->id, &state);
}

int inbox_undo_follow(struct inbound *in, const char *object)
{
	int64_t member = local_member(in->f, object);

	if (member == 0)
		return err_set(CAMP_ENOENT, "nothing to undo");
	return unfollow(in->f->st, in->actor_id, member);
}

/* The member whose Follow an Accept or Reject answers. */
static int64_t answered_follower(struct inbound *in)
{
	int64_t follower, target;

	if (follow_out_find(in->f->st, in->object_id, &follower, &target) == 0)
		return target == in->actor_id ? follower : 0;
	if (json_is_object(in->object) && ap_is_type(in->object, "Follow"))
		return local_member(in->f, ap_first_id(in->object, "actor"));
	return 0;
}

int inbox_accept(struct inbound *in)
{
	int64_t member = answered_follower(in);

	if (member == 0)
		return err_set(CAMP_ENOENT, "no follow of ours to accept");
	return follow_accept(in->f->st, in->actor_id, member);
}

int inbox_reject(struct inbound *in)
{
	int64_t member = answered_follower(in);

	if (member == 0)
		return err_set(CAMP_ENOENT, "no follow of ours to reject");
	return follow_reject(in->f->st, in->actor_id, member);
}

int inbox_block(struct inbound *in)
{
	int64_t member = local_member(in->f, in->object_id);

	if (member == 0)
		return err_set(CAMP_ENOENT, "no such member");
	return block_set(in->f->st, in->actor_id, member, 1);
}

int inbox_undo_block(struct inbound *in, const char *object)
{
	int64_t member = local_member(in->f, object);

	if (member == 0)
		return err_set(CAMP_ENOENT, "nothing to undo");
	return block_set(in->f->st, in->actor_id, member, 0);
}

/* ---- notes ---------------------------------------------------------------- */

/* Whether a note concerns this camp: its author is followed by a member,
 * or it names a member, or it answers a post the camp knows. */
static int note_relevant(struct inbound *in, const struct ap_note *n, int nlocal)
{
	return nlocal > 0 || known_post(in->f, n->in_reply_to) != 0 ||
	       followed_here(in->f, in->actor_id);
}

/* Local members and known accounts among mentions and addressees. */
static int note_addressees(struct inbound *in, json_t *obj, const struct ap_note *n,
			   int64_t **out, int *nlocal)
{
	int64_t *ids = NULL, id;
	int count = 0;

	*nlocal = 0;
	for (int k = 0; k < 3; k++) {
		json_t *v = k < 2 ? json_object_get(obj, k ? "cc" : "to") : NULL;
		size_t len = k < 2 ? ap_len(v) : (size_t)n->nmentions;
		for (size_t i = 0; i < len && count < 100; i++) {
			const char *u = k < 2 ? ap_id(ap_item(v, i)) : n->mentions[i];
			int local = (id = local_member(in->f, u)) != 0;
			if (!local &&
			    (u == NULL || account_id_by_uri(in->f->st, u, &id) != 0))
				continue;
			int dup = 0;
			for (int j = 0; j < count; j++)
				dup |= ids[j] == id;
			if (dup)
				continue;
			ids = xrealloc(ids, sizeof *ids * (size_t)(count + 1));
			ids[count++] = id;
			*nlocal += local;
		}
	}
	*out = ids;
	return count;
}

static int create_note(struct inbound *in, json_t *obj, int keep)
{
	struct remote_actor ra;
	struct ap_note n;
	int64_t *mentions = NULL, id;
	int nm, nlocal, flags, r;

	if ((r = remote_actor_get(in->f->st, in->actor_id, &ra)) != 0)
		return r;
	r = ap_note_parse(obj, ra.followers, &n);
	remote_actor_free(&ra);
	if (r != 0)
		return r;
	if (strcmp(n.attributed_to, in->actor) != 0 || !ap_same_origin(n.id, in->actor)) {
		r = err_set(CAMP_EPERM, "a note attributed to someone else");
		goto out;
	}
	if (post_find_uri(in->f->st, n.id, &id) == 0)
		goto out; /* known already */
	nm = note_addressees(in, obj, &n, &mentions, &nlocal);
	if (!keep && !note_relevant(in, &n, nlocal)) {
		r = err_set(CAMP_ENOENT, "a note nobody here follows");
		goto out;
	}
	int64_t parent = known_post(in->f, n.in_reply_to);
	struct post_new req = {
		.author_id = in->actor_id,
		.content = n.content,
		.cw = n.cw,
		.visibility = (int)n.visibility,
		.in_reply_to_id = parent,
		.in_reply_to_uri = parent ? NULL : n.in_reply_to,
		.local_domain = in->f->cfg->domain,
		.uri = n.id,
		.url = n.url ? n.url : n.id,
		.created_at = n.created_at,
		.extra_mentions = mentions,
		.nextra_mentions = nm,
		.extra_tags = n.tags,
		.nextra_tags = n.ntags,
	};
	r = post_create(in->f->st, &req, &id, &flags);
out:
	free(mentions);
	ap_note_free(&n);
	return r;
}

int inbox_create(struct inbound *in)
{
	return create_note(in, in->object, 0);
}

int inbox_update(struct inbound *in)
{
	struct ap_actor a;
	struct ap_note n;
	struct remote_actor ra;
	int64_t id;
	int r;

	if (ap_actor_parse(in->object, &a) == 0) {
		if (strcmp(a.id, in->actor) != 0)
			return err_set(CAMP_EPERM, "updating someone else's profile");
		return ap_actor_store(in->f, &a, &id);
	}
	if ((id = known_post(in->f, in->object_id)) == 0)
		return err_set(CAMP_ENOENT, "an update of a note camp does not have");
	if ((r = remote_actor_get(in->f->st, in->actor_id, &ra)) != 0)
		return r;
	r = ap_note_parse(in->object, ra.followers, &n);
	remote_actor_free(&ra);
	if (r != 0)
		return r;
	if (strcmp(n.attributed_to, in->actor) != 0)
		r = err_set(CAMP_EPERM, "updating someone else's note");
	else
		r = post_edit(in->f->st, in->actor_id, id, n.content, n.cw, 0,
			      in->f->cfg->domain);
	ap_note_free(&n);
	return r;
}

int inbox_delete(struct inbound *in)
{
	int64_t id;

	if (in->object_id && strcmp(in->object_id, in->actor) == 0)
		return account_delete(in->f->st, in->actor_id);
	if ((id = known_post(in->f, in->object_id)) == 0)
		return err_set(CAMP_ENOENT, "nothing to delete");
	return post_delete(in->f->st, in->actor_id, id);
}

/* ---- reactions ------------------------------------------------------------ */

int inbox_announce(struct inbound *in)
{
	int64_t post = known_post(in->f, in->object_id), boost;

	if (post == 0)
		return err_set(CAMP_ENOENT, "a boost of a post camp does not have");
	return post_boost(in->f->st, in->actor_id, post, in->id, &boost);
}

int inbox_undo_announce(struct inbound *in, const char *object)
{
	int64_t post = known_post(in->f, object);

	if (post == 0)
		return err_set(CAMP_ENOENT, "nothing to undo");
	return post_unboost(in->f->st, in->actor_id, post);
}

int inbox_like(struct inbound *in)
{
	int64_t post = known_post(in->f, in->object_id);

	if (post == 0)
		return err_set(CAMP_ENOENT, "a like of a post camp does not have");
	return post_fav(in->f->st, in->actor_id, post);
}

int inbox_undo_like(struct inbound *in, const char *object)
{
	int64_t post = known_post(in->f, object);

	if (post == 0)
		return err_set(CAMP_ENOENT, "nothing to undo");
	return post_unfav(in->f->st, in->actor_id, post);
}

/* Undo: of what, and of which object?  From the embedded activity, or
 * from what the id was when it came in.  The undone type's row says how
 * it is undone. */
int inbox_undo(struct inbound *in)
{
	char *type = NULL, *object = NULL;
	const char *inner_actor = ap_first_id(in->object, "actor");
	const struct ap_activity *row;
	int r;

	if (json_is_object(in->object) && ap_type(in->object)) {
		type = xstrdup(ap_type(in->object));
		const char *o = ap_first_id(in->object, "object");
		object = o ? xstrdup(o) : NULL;
		if (inner_actor && strcmp(inner_actor, in->actor) != 0) {
			r = err_set(CAMP_EPERM, "undoing someone else's activity");
			goto out;
		}
	} else if ((r = inbox_seen_get(in->f->st, in->actor_id, in->object_id, &type,
				       &object)) != 0) {
		goto out; /* only the actor's own activities are found */
	}
	if ((row = ap_activity_find(type)) != NULL && row->undo)
		r = row->undo(in, object);
	else
		r = err_set(CAMP_ENOENT, "nothing to undo");
out:
	free(type);
	free(object);
	return r;
}

/* ---- moderation ------------------------------------------------------------ */

int inbox_move(struct inbound *in)
{
	const char *target = ap_first_id(in->doc, "target");

	if (in->object_id == NULL || strcmp(in->object_id, in->actor) != 0)
		return err_set(CAMP_EPERM, "moving someone else");
	return fed_move_add(in->f->st, in->actor_id, target);
}

int inbox_flag(struct inbound *in)
{
	json_t *objs = json_array(), *o = json_object_get(in->doc, "object");
	const char *content = ap_str(in->doc, "content");
	int r;

	for (size_t i = 0; i < ap_len(o) && i < 100; i++)
		if (ap_url_ok(ap_id(ap_item(o, i))))
			json_array_append_new(objs, json_string(ap_id(ap_item(o, i))));
	char *list = ap_dump(objs);
	r = fed_flag_add(in->f->st, in->id, in->actor_id, list,
			 content && ap_text_ok(content, 10000) ? content : "");
	free(list);
	json_decref(objs);
	return r;
}

/* ---- fetching what an activity only names -------------------------------- */

/* Fetches a note by id and stores it (with its author), for a boost of,
 * or a Create naming, a note camp does not have yet.  Best effort: 0
 * whether or not the note was kept, CAMP_ELIMIT only when it could not
 * be fetched now because too many fetches are under way. */
static int fetch_note(struct fed *f, const char *uri, const char *expect_author, int keep)
{
	json_t *doc = NULL;
	struct inbound in = {f, NULL, NULL, "Create", NULL, 0, NULL, NULL};
	int64_t author;
	int r = 0;

	if (!ap_url_ok(uri) || known_post(f, uri) ||
	    (r = fed_get_json(f, uri, 10, &doc)) != 0)
		goto out;
	in.actor = ap_first_id(doc, "attributedTo");
	if (!ap_url_ok(in.actor) || (expect_author && strcmp(in.actor, expect_author)) ||
	    strcmp(ap_str(doc, "id") ? ap_str(doc, "id") : "", uri) != 0)
		goto out;
	if (account_id_by_uri(f->st, in.actor, &author) != 0 &&
	    (r = ap_actor_fetch(f, in.actor, NULL, &author)) != 0)
		goto out;
	in.actor_id = author;
	in.doc = doc;
	if (create_note(&in, doc, keep) != 0)
		log_debug("did not keep %.200s: %s", uri, err_last());
out:
	json_decref(doc);
	return r == CAMP_ELIMIT ? r : 0;
}

/* A Create that only names its note: the note is fetched and stored
 * here, and that is the whole of it. */
int inbox_fetch_created(struct inbound *in, int *done)
{
	*done = json_is_string(in->object);
	return *done ? fetch_note(in->f, in->object_id, in->actor, 0) : 0;
}

/* A boost by someone a member follows: the boosted note is fetched
 * first, so that the boost has a post to point at. */
int inbox_fetch_boosted(struct inbound *in, int *done)
{
	*done = 0;
	return followed_here(in->f, in->actor_id)
		       ? fetch_note(in->f, in->object_id, NULL, 1)
		       : 0;
}

/* ---- the inbox ------------------------------------------------------------ */

/* Applies in with its id recorded, in one transaction.  Returns the
 * HTTP status. */
static int inbox_apply(struct inbound *in, int (*apply)(struct inbound *))
{
	struct store *st = in->f->st;
	int seen = 0, r;

	if ((r = store_begin(st)) != 0)
		return 500;
	if (in->id && (r = inbox_seen_add(st, in->id, in->type, in->actor_id,
					  in->object_id, &seen)) != 0)
		goto fail;
	if (seen)
		return store_commit(st) == 0 ? 202 : 500;
	r = apply(in);
	if (r == CAMP_ENOENT || r == CAMP_EEXIST) {
		log_debug("%s %.200s: %s", in->type, in->id ? in->id : "", err_last());
		r = 0;
	}
	if (r != 0)
		goto fail;
	if (store_commit(st) != 0)
		log_debug("%s %.200s changed nothing", in->type, in->id ? in->id : "");
	return 202;
fail:
	store_rollback(st);
	log_info("%s %.200s from %.200s refused: %s", in->type, in->id ? in->id : "",
		 in->actor, err_last());
	return r == CAMP_EINVAL ? 400 : r == CAMP_EPERM ? 403 : 500;
}

/* A Delete whose object is its actor: from an actor the camp never knew
 * it cannot be verified (the key is gone with the actor), and it needs
 * nothing done. */
int inbox_self_delete(json_t *doc)
{
	const char *actor = ap_first_id(doc, "actor");
	const char *obj = ap_first_id(doc, "object");

	return actor && obj && strcmp(actor, obj) == 0;
}

/* The answer to an activity whose signature did not verify (r). */
static int unverified_status(int r, const struct ap_activity *row, json_t *doc)
{
	if (r == CAMP_ELIMIT) {
		log_info("inbox: busy: %s", err_last());
		return 503;
	}
	if (row->unverified_ok && row->unverified_ok(doc))
		return 202;
	log_info("inbox: signature refused: %s", err_last());
	return 401;
}

/* Fills in the rest of in from its document, now that its signer
 * (in->actor_id) is known.  0, or CAMP_EPERM when the signer is not the
 * activity's actor. */
static int inbound_fill(struct inbound *in)
{
	struct remote_actor ra = {0};
	int r = 0;

	in->type = ap_type(in->doc);
	in->id = ap_str(in->doc, "id");
	in->actor = ap_first_id(in->doc, "actor");
	/* ap_check() let a foreign id through only on an Undo: not ours to
	 * record, so the Undo goes on as if it had none. */
	if (in->id && !ap_same_origin(in->id, in->actor))
		in->id = NULL;
	in->object = ap_item(json_object_get(in->doc, "object"), 0);
	in->object_id = ap_id(in->object);
	if (remote_actor_get(in->f->st, in->actor_id, &ra) != 0 ||
	    strcmp(ra.uri, in->actor) != 0)
		r = err_set(CAMP_EPERM, "%.200s signed an activity of %.200s",
			    ra.uri ? ra.uri : "an unknown actor", in->actor);
	remote_actor_free(&ra);
	return r;
}

int inbox_handle(struct fed *f, const struct http_msg *m, const char *username)
{
	struct ap_verdict v;
	struct inbound in = {f, NULL, NULL, NULL, NULL, 0, NULL, NULL};
	const struct ap_activity *row;
	int status = 202, done = 0, r;

	(void)username; /* personal and shared inboxes work alike */
	if ((in.doc = ap_parse(m->body, m->body_len)) == NULL) {
		log_info("inbox: malformed body: %s", err_last());
		return 400;
	}
	if ((row = ap_check_activity(in.doc, &v)) == NULL) {
		/* Refused, ignored, or a document that is no activity (an
		 * actor, a note): nothing to do with it. */
		if (v.status == 400)
			log_info("inbox: refused: %s", v.reason);
		status = v.accepted ? 202 : v.status;
		goto out;
	}
	if ((r = sig_verify_request(f, m, &in.actor_id)) != 0) {
		status = unverified_status(r, row, in.doc);
		goto out;
	}
	if (inbound_fill(&in) != 0) {
		log_info("inbox: %s", err_last());
		status = 401;
		goto out;
	}
	/* Network work before the transaction; when it must wait, so must
	 * the sender (503: it tries again later). */
	if (row->prefetch && ((r = row->prefetch(&in, &done)) != 0 || done)) {
		if (r == CAMP_ELIMIT) {
			log_info("inbox: busy: %s", err_last());
			status = 503;
		}
		goto out;
	}
	status = inbox_apply(&in, row->apply);
out:
	json_decref(in.doc);
	return status;
}
