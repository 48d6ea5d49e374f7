/*
 * sig-verify.c: whether a signed request (an inbox POST, a GET of a post
 * that is not public) comes from the remote actor it names, and which
 * one: the scheme its headers use, the host it was signed for, the key
 * (looked up, fetched when unknown, fetched again once when it may have
 * rotated), then the scheme's own check.
 *
 * The scheme is picked from the headers, through a table: draft-cavage
 * today (sig-cavage.c); RFC 9421 becomes a row of its own, ahead of it.
 * Everything around a scheme is the same for all of them and stays here:
 * a request signed for another server is refused before any key is
 * fetched (else it could be replayed here), and so is a key of this
 * camp's own (fetching it would only tie up one of our threads waiting
 * on another).  A signature that does not verify is never taken for a
 * reason to trust anything else in the request.
 */
#include "federation/federation.h"

#include <stdlib.h>
#include <string.h>

#define KEY_REFETCH_AFTER 60 /* seconds: at most one refetch per minute */

/* A way of signing requests.  parse reads its parameters from m (0, or
 * CAMP_EINVAL or CAMP_EPERM with the reason); verify checks m against
 * them and a public key at time now (0, or CAMP_EPERM with the reason),
 * all but which Host is ours, which sig_verify_request() checks. */
struct sig_scheme {
	const char *name;
	const char *marker; /* a header only its requests carry; NULL: the fallback */
	int (*parse)(const struct http_msg *m, struct sig_params *out);
	int (*verify)(const struct http_msg *m, const struct sig_params *p,
		      const char *public_pem, int64_t now);
};

/* The first row whose marker the request carries is its scheme.  RFC
 * 9421 requests carry a Signature header as draft-cavage ones do, and a
 * Signature-Input header that tells them apart: its row goes first. */
static const struct sig_scheme schemes[] = {
	{"draft-cavage", NULL, sig_from_msg, sig_verify},
};

static const struct sig_scheme *scheme_of(const struct http_msg *m)
{
	for (size_t i = 0; i < ARRAY_LEN(schemes); i++)
		if (schemes[i].marker == NULL || m->header(m->ctx, schemes[i].marker))
			return &schemes[i];
	fatal("no fallback signature scheme");
}

/* Loads the actor that owns key_id, fetching it when unknown (*fresh
 * then set). */
static int signing_actor(struct fed *f, const char *key_id, struct remote_actor *ra,
			 int *fresh)
{
	int64_t id;
	int r;

	*fresh = 0;
	if ((r = remote_actor_by_key(f->st, key_id, ra)) != CAMP_ENOENT)
		return r;
	if ((r = ap_actor_fetch(f, key_id, key_id, &id)) != 0)
		return r;
	*fresh = 1;
	if ((r = remote_actor_by_key(f->st, key_id, ra)) == CAMP_ENOENT)
		r = err_set(CAMP_EPERM, "the key %.200s is not its actor's key", key_id);
	return r;
}

/* Refuses, before any key is fetched, a request signed for another
 * server (a GET of a followers-only post, say, replayed here; the
 * scheme makes sure this Host is the one signed) and one naming a key of
 * this camp's own. */
static int signed_for_us(struct fed *f, const struct http_msg *m, const char *key_id)
{
	const char *host = m->header(m->ctx, "host");

	if (!fed_host_is_ours(f, host))
		return err_set(CAMP_EPERM,
			       "the request was signed for %.100s, not this camp",
			       host ? host : "no host");
	if (fed_url_is_ours(f, key_id))
		return err_set(CAMP_EPERM, "the key %.200s is this camp's own", key_id);
	return 0;
}

/* Verifies m with s and p against the key's actor, fetching the actor
 * again once when the key may have rotated.  Stores the signer's
 * account id. */
static int verify_with_key(struct fed *f, const struct sig_scheme *s,
			   const struct http_msg *m, const struct sig_params *p,
			   int64_t *account_id)
{
	struct remote_actor ra = {0};
	int64_t now = now_s(), id;
	int r, fresh;

	if ((r = signing_actor(f, p->key_id, &ra, &fresh)) != 0)
		goto out;
	r = s->verify(m, p, ra.key_pem, now);
	if (r == CAMP_EPERM && !fresh && ra.fetched_at < now - KEY_REFETCH_AFTER) {
		char *uri = xstrdup(ra.uri);
		remote_actor_free(&ra);
		if (ap_actor_fetch(f, uri, p->key_id, &id) == 0 &&
		    remote_actor_by_key(f->st, p->key_id, &ra) == 0)
			r = s->verify(m, p, ra.key_pem, now);
		free(uri);
	}
	if (r == 0)
		*account_id = ra.account_id;
out:
	remote_actor_free(&ra);
	return r;
}

int sig_verify_request(struct fed *f, const struct http_msg *m, int64_t *account_id)
{
	const struct sig_scheme *s = scheme_of(m);
	struct sig_params p;
	int r;

	if ((r = s->parse(m, &p)) != 0)
		return err_set(CAMP_EPERM, "%s", err_last());
	if ((r = signed_for_us(f, m, p.key_id)) == 0)
		r = verify_with_key(f, s, m, &p, account_id);
	if (r != 0 && r != CAMP_EPERM && r != CAMP_ELIMIT)
		r = err_set(CAMP_EPERM, "cannot check the signature: %s", err_last());
	sig_params_free(&p);
	return r;
}
