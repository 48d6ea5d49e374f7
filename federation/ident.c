/*
 * ident.c: the URLs that name this camp's things to the fediverse, and the
 * keys that sign for them.
 *
 *   actor      BASE/users/NAME      (key BASE/users/NAME#main-key)
 *   post       BASE/posts/ID        (its Create: BASE/posts/ID/activity)
 *   instance   BASE/actor           (key BASE/actor#main-key)
 *
 * (The actor and post shapes themselves are common/urls.c's, so that the
 * commands over ssh print the same URLs without knowing federation.)
 * A URL, once given out, must keep working: nothing here may change the
 * shape of an id.  Keys are made on first use and then never replaced.
 * It also says which Host header names this camp, so that a signed
 * request made for another server is never taken as made for us.
 */
#include "federation/federation.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define INSTANCE_PRIVATE "federation.instance_private_pem"
#define INSTANCE_PUBLIC "federation.instance_public_pem"

char *fed_actor_url(const struct fed *f, const char *username)
{
	return camp_actor_url(f->base, username);
}

char *fed_post_url(const struct fed *f, int64_t post_id)
{
	return camp_post_url(f->base, post_id);
}

char *fed_instance_url(const struct fed *f)
{
	return xasprintf("%s/actor", f->base);
}

/* Splits an authority ("host", "host:port", "[v6]:port") into its host
 * and port (def_port when none).  0 when malformed. */
static int split_authority(const char *a, size_t len, int def_port, const char **host,
			   size_t *hlen, int *port)
{
	const char *colon = NULL;

	if (len == 0 || len > 300)
		return 0;
	if (a[0] == '[') {
		const char *close = memchr(a, ']', len);
		if (close == NULL)
			return 0;
		*host = a;
		*hlen = (size_t)(close - a) + 1;
		if (*hlen < len)
			colon = a + *hlen;
	} else {
		colon = memchr(a, ':', len);
		*host = a;
		*hlen = colon ? (size_t)(colon - a) : len;
	}
	if (*hlen == 0)
		return 0;
	if (colon == NULL) {
		*port = def_port;
		return 1;
	}
	if (*colon != ':' || colon + 1 == a + len)
		return 0;
	*port = 0;
	for (const char *p = colon + 1; p < a + len; p++) {
		if (!isdigit((unsigned char)*p) || *port > 65535)
			return 0;
		*port = *port * 10 + (*p - '0');
	}
	return *port > 0 && *port <= 65535;
}

/* 1 when the authorities a (port defaulting to a_def) and b (to b_def)
 * name the same host and port. */
static int same_authority(const char *a, size_t alen, int a_def, const char *b,
			  size_t blen, int b_def)
{
	const char *h1, *h2;
	size_t n1, n2;
	int p1, p2;

	return split_authority(a, alen, a_def, &h1, &n1, &p1) &&
	       split_authority(b, blen, b_def, &h2, &n2, &p2) && n1 == n2 &&
	       strncasecmp(h1, h2, n1) == 0 && p1 == p2;
}

/* 1 when the authority a (port defaulting to def) is the public URL's
 * or the domain. */
static int authority_is_ours(const struct fed *f, const char *a, size_t len, int def)
{
	const char *base = strstr(f->base, "://");
	int base_def = strncmp(f->base, "https:", 6) == 0 ? 443 : 80;

	if (base == NULL)
		return 0;
	base += 3;
	return same_authority(a, len, def, base, strcspn(base, "/?#"), base_def) ||
	       same_authority(a, len, def, f->cfg->domain, strlen(f->cfg->domain),
			      base_def);
}

int fed_host_is_ours(const struct fed *f, const char *host)
{
	int def = strncmp(f->base, "https:", 6) == 0 ? 443 : 80;

	return host != NULL && authority_is_ours(f, host, strlen(host), def);
}

int fed_url_is_ours(const struct fed *f, const char *url)
{
	const char *p = url ? strstr(url, "://") : NULL;
	size_t n;

	if (p == NULL)
		return 0;
	int def = p - url == 5 && strncasecmp(url, "https", 5) == 0 ? 443 : 80;
	p += 3;
	n = strcspn(p, "/?#");
	for (const char *at; (at = memchr(p, '@', n)) != NULL;) { /* user info */
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	return authority_is_ours(f, p, n, def);
}

char *fed_instance_username(const struct fed *f)
{
	const char *d = f->cfg->domain;

	return xstrndup(d, strcspn(d, ":"));
}

/* The rest of url after prefix, or NULL. */
static const char *after(const char *url, const char *base, const char *prefix)
{
	size_t nb = strlen(base), np = strlen(prefix);

	if (url == NULL || strncmp(url, base, nb) != 0 ||
	    strncmp(url + nb, prefix, np) != 0)
		return NULL;
	return url + nb + np;
}

char *fed_local_username(const struct fed *f, const char *url)
{
	const char *rest = after(url, f->base, "/users/");
	size_t n;

	if (rest == NULL)
		return NULL;
	n = strcspn(rest, "/?#");
	if (n == 0 || n > 30 || (rest[n] != '\0' && rest[n] != '#'))
		return NULL;
	return xstrndup(rest, n);
}

int64_t fed_local_post_id(const struct fed *f, const char *url)
{
	const char *rest = after(url, f->base, "/posts/");
	int64_t id = 0;

	if (rest == NULL || !isdigit((unsigned char)*rest))
		return 0;
	for (; isdigit((unsigned char)*rest); rest++) {
		if (id > (INT64_MAX - 9) / 10)
			return 0;
		id = id * 10 + (*rest - '0');
	}
	return *rest == '\0' ? id : 0;
}

int fed_member_keys(struct fed *f, int64_t account_id, const char *username,
		    char **private_pem, char **public_pem)
{
	int r = member_key_get(f->st, account_id, username, private_pem, public_pem);

	if (r != CAMP_ENOENT)
		return r;
	if ((r = rsa_generate(private_pem, public_pem)) != 0)
		return r;
	r = member_key_put(f->st, account_id, username, private_pem, public_pem);
	if (r == 0)
		log_info("made a key pair for %s", username);
	return r;
}

/* Saves a new instance key pair unless another process did first; keeps
 * whichever is in the database. */
static int instance_keys_save(struct fed *f, char **priv, char **pub)
{
	char *have = NULL;
	int r;

	if ((r = store_begin(f->st)) != 0)
		return r;
	if ((r = setting_get(f->st, INSTANCE_PRIVATE, &have)) == 0 && have == NULL &&
	    (r = setting_set(f->st, INSTANCE_PRIVATE, *priv)) == 0)
		r = setting_set(f->st, INSTANCE_PUBLIC, *pub);
	free(have);
	if (r != 0) {
		store_rollback(f->st);
		return r;
	}
	return store_commit(f->st);
}

int fed_instance_keys(struct fed *f, char **private_pem, char **public_pem)
{
	int r;

	*private_pem = *public_pem = NULL;
	if ((r = setting_get(f->st, INSTANCE_PRIVATE, private_pem)) != 0 ||
	    (r = setting_get(f->st, INSTANCE_PUBLIC, public_pem)) != 0)
		goto fail;
	if (*private_pem && *public_pem)
		return 0;
	free(*private_pem);
	free(*public_pem);
	if ((r = rsa_generate(private_pem, public_pem)) != 0 ||
	    (r = instance_keys_save(f, private_pem, public_pem)) != 0)
		goto fail;
	free(*private_pem);
	free(*public_pem);
	*private_pem = *public_pem = NULL;
	if ((r = setting_get(f->st, INSTANCE_PRIVATE, private_pem)) != 0 ||
	    (r = setting_get(f->st, INSTANCE_PUBLIC, public_pem)) != 0)
		goto fail;
	if (*private_pem && *public_pem)
		return 0;
	r = err_set(CAMP_ERR, "the instance key vanished");
fail:
	free(*private_pem);
	free(*public_pem);
	*private_pem = *public_pem = NULL;
	return r;
}

int fed_signer(struct fed *f, const char *signer, char **private_pem, char **key_id)
{
	char *pub = NULL;
	int r;

	*key_id = NULL;
	if (signer == NULL || signer[0] == '\0') {
		if ((r = fed_instance_keys(f, private_pem, &pub)) == 0)
			*key_id = xasprintf("%s/actor#main-key", f->base);
		free(pub);
		return r;
	}
	if ((r = member_key_by_name(f->st, signer, private_pem)) == 0)
		*key_id = xasprintf("%s/users/%s#main-key", f->base, signer);
	return r;
}
