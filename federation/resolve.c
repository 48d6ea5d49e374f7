/*
 * resolve.c: finding a remote account by its handle (a member runs
 * `follow bob@example.social`): WebFinger over HTTPS, then a signed fetch
 * of the actor, then the model's account.  The lookup server
 * (lookup-serve.c) runs it for members' sessions, which never fetch.
 *
 * It blocks, so all of it is bounded by one deadline, redirects and
 * both fetches included.  The actor's id must be the WebFinger answer's
 * `self` link, on the same host as the handle or confirmed by it, and
 * its preferredUsername must match.
 */
#include "federation/federation.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lookup/lookup.h"

/* The self link of a JRD that is ActivityPub. */
static const char *jrd_self(json_t *jrd)
{
	json_t *links = json_object_get(jrd, "links");

	for (size_t i = 0; i < ap_len(links); i++) {
		json_t *l = ap_item(links, i);
		const char *rel = ap_str(l, "rel"), *type = ap_str(l, "type");
		if (rel && strcmp(rel, "self") == 0 && type &&
		    (strstr(type, "activity+json") || strstr(type, "ld+json")))
			return ap_str(l, "href");
	}
	return NULL;
}

static int webfinger(struct fed *f, const char *user, const char *domain, int timeout,
		     char **actor)
{
	char *q = curl_easy_escape(NULL, user, 0);
	char *url = xasprintf("https://%s/.well-known/webfinger?resource=acct:%s@%s",
			      domain, q, domain);
	struct fed_response res;
	json_t *jrd = NULL;
	int r;

	curl_free(q);
	*actor = NULL;
	if ((r = fed_get(f, url, "application/jrd+json, application/json", "", timeout,
			 &res)) != 0)
		goto out;
	if (res.status == 404 || res.status == 410)
		r = err_set(CAMP_ENOENT, "%s@%s does not exist", user, domain);
	else if (res.status != 200)
		r = err_set(CAMP_EIO, "%s answered %ld to WebFinger", domain, res.status);
	else if ((jrd = ap_parse(buf_str(&res.body), res.body.len)) == NULL)
		r = CAMP_EINVAL;
	else if (!ap_url_ok(jrd_self(jrd)))
		r = err_set(CAMP_EINVAL, "%s@%s has no ActivityPub actor", user, domain);
	else
		*actor = xstrdup(jrd_self(jrd));
	fed_response_free(&res);
out:
	json_decref(jrd);
	free(url);
	return r;
}

int federation_resolve(struct store *st, const struct config *cfg, const char *acct,
		       int timeout_ms, int64_t *account_id)
{
	struct fed f = {.st = st, .cfg = cfg, .base = cfg->public_url};
	long timeout_s;
	const char *a = acct[0] == '@' ? acct + 1 : acct, *at = strrchr(a, '@');
	char *user, *actor = NULL;
	json_t *doc = NULL;
	struct ap_actor pa;
	int r;

	if (at == NULL || at == a || at[1] == '\0' || strlen(a) > 300)
		return err_set(CAMP_EINVAL, "expected name@domain");
	user = xstrndup(a, (size_t)(at - a));
	if (timeout_ms <= 0 || timeout_ms > LOOKUP_TIMEOUT_MAX_MS)
		timeout_ms = LOOKUP_TIMEOUT_MAX_MS;
	f.deadline_ms = mono_ms() + timeout_ms;
	timeout_s = (timeout_ms + 999) / 1000; /* the deadline cuts it shorter */
	if ((r = webfinger(&f, user, at + 1, timeout_s, &actor)) != 0 ||
	    (r = fed_get_json(&f, actor, timeout_s, &doc)) != 0)
		goto out;
	if ((r = ap_actor_parse(doc, &pa)) != 0)
		goto out;
	if (strcmp(pa.id, actor) != 0 || strcasecmp(pa.username, user) != 0) {
		r = err_set(CAMP_EINVAL, "%s@%s does not match its actor %.200s", user,
			    at + 1, pa.id);
		goto out;
	}
	r = ap_actor_store(&f, &pa, account_id);
out:
	json_decref(doc);
	free(actor);
	free(user);
	return r;
}
