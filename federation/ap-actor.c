/*
 * ap-actor.c: actor documents: the Person of each member and the camp's
 * instance actor (an Application, which signs GETs where no member is
 * involved), and reading, fetching and storing remote actors.
 *
 * A remote actor is believed only about itself: its id must be where it
 * was fetched from (same host), and its key must be its own: the key id
 * is the actor id, or the actor id with a fragment or a path under it
 * (#main-key, /main-key).  Otherwise an actor could declare another's
 * key id and have signatures by that id looked up as its own.  Names
 * and intros are cut to sane sizes and made valid text before they are
 * stored.
 */
#include "federation/federation.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REMOTE_NAME_MAX 100 /* code points */
#define REMOTE_BIO_MAX 500

static void set_str(json_t *o, const char *key, const char *v)
{
	json_object_set_new(o, key, json_string(v));
}

/* Escaped <p> for a member's one-line intro. */
static char *bio_html(const char *bio)
{
	struct buf b = BUF_INIT;

	if (bio == NULL || bio[0] == '\0')
		return xstrdup("");
	text_to_html(&b, bio, NULL, 0, NULL, NULL, "");
	return buf_detach(&b);
}

json_t *ap_person(struct fed *f, const struct account *a, const char *public_pem)
{
	char *id = fed_actor_url(f, a->username), *summary = bio_html(a->bio);
	char published[32];
	json_t *o = json_object();

	time_rfc3339(a->created_at, published);
	json_object_set_new(o, "@context", ap_context());
	set_str(o, "id", id);
	set_str(o, "type", "Person");
	set_str(o, "preferredUsername", a->username);
	set_str(o, "name", a->display_name[0] ? a->display_name : a->username);
	set_str(o, "summary", summary);
	set_str(o, "url", id);
	json_object_set_new(o, "inbox", json_sprintf("%s/inbox", id));
	json_object_set_new(o, "outbox", json_sprintf("%s/outbox", id));
	json_object_set_new(o, "followers", json_sprintf("%s/followers", id));
	json_object_set_new(o, "following", json_sprintf("%s/following", id));
	json_object_set_new(
		o, "endpoints",
		json_pack("{s:o}", "sharedInbox", json_sprintf("%s/inbox", f->base)));
	json_object_set_new(o, "manuallyApprovesFollowers", json_boolean(a->locked));
	json_object_set_new(o, "discoverable", json_true());
	set_str(o, "published", published);
	json_object_set_new(o, "publicKey",
			    json_pack("{s:o, s:s, s:s}", "id",
				      json_sprintf("%s#main-key", id), "owner", id,
				      "publicKeyPem", public_pem));
	free(id);
	free(summary);
	return o;
}

json_t *ap_instance_actor(struct fed *f, const char *public_pem)
{
	char *id = fed_instance_url(f), *name = fed_instance_username(f);
	json_t *o = json_object();

	json_object_set_new(o, "@context", ap_context());
	set_str(o, "id", id);
	set_str(o, "type", "Application");
	set_str(o, "preferredUsername", name);
	set_str(o, "name", f->cfg->camp_name);
	set_str(o, "summary", "The camp itself: it signs the requests no member makes.");
	set_str(o, "url", f->base);
	json_object_set_new(o, "inbox", json_sprintf("%s/inbox", id));
	json_object_set_new(o, "outbox", json_sprintf("%s/outbox", id));
	json_object_set_new(
		o, "endpoints",
		json_pack("{s:o}", "sharedInbox", json_sprintf("%s/inbox", f->base)));
	json_object_set_new(o, "manuallyApprovesFollowers", json_true());
	json_object_set_new(o, "publicKey",
			    json_pack("{s:o, s:s, s:s}", "id",
				      json_sprintf("%s#main-key", id), "owner", id,
				      "publicKeyPem", public_pem));
	free(id);
	free(name);
	return o;
}

/* The types of actor camp talks with: people, bots (Service), servers'
 * own actors (Application), groups and organizations. */
static const char *const actor_types[] = {"Person", "Service", "Application", "Group",
					  "Organization"};

const char *ap_actor_type(json_t *doc)
{
	for (size_t i = 0; i < ARRAY_LEN(actor_types); i++)
		if (ap_is_type(doc, actor_types[i]))
			return actor_types[i];
	return NULL;
}

int ap_key_of_actor(const char *key_id, const char *actor_id)
{
	size_t n = actor_id ? strlen(actor_id) : 0;

	if (!ap_url_ok(key_id) || !ap_url_ok(actor_id) ||
	    !ap_same_origin(key_id, actor_id) || strncmp(key_id, actor_id, n) != 0)
		return 0;
	return key_id[n] == '\0' || key_id[n] == '#' || key_id[n] == '/' ||
	       actor_id[n - 1] == '/';
}

/* The actor's key: publicKey may be one object or an array of them.
 * The first of its own keys, or the one with id want when want is not
 * NULL. */
static void actor_key(json_t *doc, const char *want, struct ap_actor *out)
{
	json_t *pk = json_object_get(doc, "publicKey");

	for (size_t i = 0; i < ap_len(pk); i++) {
		json_t *k = ap_item(pk, i);
		const char *owner = ap_str(k, "owner");
		if (!json_is_object(k) || (owner && strcmp(owner, out->id) != 0))
			continue;
		out->key_id = ap_str(k, "id");
		out->key_pem = ap_str(k, "publicKeyPem");
		if (out->key_id && out->key_pem &&
		    ap_key_of_actor(out->key_id, out->id) &&
		    (want == NULL || strcmp(out->key_id, want) == 0))
			return;
	}
	out->key_id = out->key_pem = NULL;
}

/* A username fit to be stored: non-empty, short, no spaces or '@'. */
static int username_ok(const char *s)
{
	if (!ap_text_ok(s, 100) || s[0] == '\0')
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '@' || *p == '/' || *p == 0x7f)
			return 0;
	return 1;
}

/* ap_actor_parse(), taking the key with id want (any of its own keys
 * when want is NULL). */
static int actor_parse(json_t *doc, const char *want, struct ap_actor *out)
{
	json_t *url;

	memset(out, 0, sizeof *out);
	if ((out->type = ap_actor_type(doc)) == NULL)
		return err_set(CAMP_EINVAL, "not an actor");
	out->id = ap_str(doc, "id");
	out->inbox = ap_str(doc, "inbox");
	out->username = ap_str(doc, "preferredUsername");
	if (!ap_url_ok(out->id) || !ap_url_ok(out->inbox))
		return err_set(CAMP_EINVAL, "the actor has no usable id or inbox");
	if (!username_ok(out->username))
		return err_set(CAMP_EINVAL, "the actor has no usable preferredUsername");
	out->name = ap_str(doc, "name");
	out->summary_html = ap_str(doc, "summary");
	out->shared_inbox = ap_str(json_object_get(doc, "endpoints"), "sharedInbox");
	if (!ap_url_ok(out->shared_inbox))
		out->shared_inbox = NULL;
	out->followers = ap_id(json_object_get(doc, "followers"));
	if (!ap_url_ok(out->followers))
		out->followers = NULL;
	url = json_object_get(doc, "url");
	out->url = ap_id(ap_item(url, 0));
	if (out->url == NULL)
		out->url = ap_str(ap_item(url, 0), "href");
	if (!ap_url_ok(out->url))
		out->url = NULL;
	out->locked = json_is_true(json_object_get(doc, "manuallyApprovesFollowers"));
	actor_key(doc, want, out);
	if (want && out->key_id == NULL)
		return err_set(CAMP_EPERM,
			       "the actor %.200s does not list the key %.200s", out->id,
			       want);
	if (!ap_url_ok(out->key_id) || !ap_text_ok(out->key_pem, 16384))
		return err_set(CAMP_EINVAL,
			       "the actor has no usable publicKey of its own");
	return 0;
}

int ap_actor_parse(json_t *doc, struct ap_actor *out)
{
	return actor_parse(doc, NULL, out);
}

/* One line of at most max code points of valid text. */
static char *clip(const char *s, size_t max, int one_line)
{
	struct buf b = BUF_INIT;
	size_t count = 0;

	if (s == NULL)
		return xstrdup("");
	for (size_t i = 0; s[i] && count < max; count++) {
		uint32_t cp;
		int n = utf8_decode(s + i, strlen(s + i), &cp);
		if (n < 0)
			break;
		if (cp < 0x20 || cp == 0x7f)
			buf_putc(&b, (one_line || cp != '\n') ? ' ' : '\n');
		else
			buf_append(&b, s + i, (size_t)n);
		i += (size_t)n;
	}
	return buf_detach(&b);
}

/* The host[:port] of an URL; caller frees. */
static char *url_authority(const char *url)
{
	const char *p = strstr(url, "://");

	p = p ? p + 3 : url;
	return xstrndup(p, strcspn(p, "/?#"));
}

int ap_actor_store(struct fed *f, const struct ap_actor *a, int64_t *account_id)
{
	char *domain = url_authority(a->id);
	char *name = clip(a->name, REMOTE_NAME_MAX, 1);
	char *html = a->summary_html ? html_to_text(a->summary_html,
						    strlen(a->summary_html), NULL, 0)
				     : xstrdup("");
	char *bio = clip(html, REMOTE_BIO_MAX, 0);
	struct remote_actor ra = {0};
	int r;

	if ((r = store_begin(f->st)) != 0)
		goto out;
	r = account_upsert_remote(f->st, a->id, a->username, domain, name, bio, a->locked,
				  account_id);
	if (r == 0) {
		ra.account_id = *account_id;
		ra.inbox = (char *)a->inbox;
		ra.shared_inbox = (char *)a->shared_inbox;
		ra.followers = (char *)a->followers;
		ra.url = (char *)a->url;
		ra.key_id = (char *)a->key_id;
		ra.key_pem = (char *)a->key_pem;
		ra.fetched_at = now_s();
		r = remote_actor_save(f->st, &ra);
	}
	if (r != 0)
		store_rollback(f->st);
	else
		r = store_commit(f->st);
out:
	free(domain);
	free(name);
	free(html);
	free(bio);
	return r;
}

int ap_actor_fetch(struct fed *f, const char *url, const char *key_id,
		   int64_t *account_id)
{
	char *where = xstrndup(url, strcspn(url, "#"));
	json_t *doc = NULL;
	struct ap_actor a;
	int r;

	if ((r = fed_get_json(f, where, 10, &doc)) != 0)
		goto out;
	/* A key document: go to its owner (once). */
	if (ap_str(doc, "publicKeyPem") && ap_str(doc, "owner") &&
	    strcmp(ap_str(doc, "owner"), where) != 0) {
		char *owner = xstrdup(ap_str(doc, "owner"));
		json_decref(doc);
		doc = NULL;
		free(where);
		where = owner;
		if ((r = fed_get_json(f, where, 10, &doc)) != 0)
			goto out;
	}
	if ((r = actor_parse(doc, key_id, &a)) != 0)
		goto out;
	if (!ap_same_origin(a.id, where)) {
		r = err_set(CAMP_EPERM, "an actor at %.100s claims to be %.100s", where,
			    a.id);
		goto out;
	}
	r = ap_actor_store(f, &a, account_id);
out:
	json_decref(doc);
	free(where);
	return r;
}
