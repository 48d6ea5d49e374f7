/*
 * sig-cavage.c: HTTP Signatures as the fediverse uses them
 * (draft-cavage-12, rsa-sha256): the Signature header, the string that
 * is signed, checking a request against a key, and signing one.
 *
 * Signing covers (request-target) host date, plus digest content-type on
 * a body.  Verifying demands (request-target), host and date, and digest
 * on a body (checked against the bytes received), refuses a Date more
 * than an hour off, and only then spends an RSA verification.  Without a
 * signed Host, a request signed for another server could be replayed
 * here; whether the Host is ours is the caller's check, as is where a
 * key comes from (sig-verify.c does both, for every scheme).  This file
 * never touches the network or the store.
 */
#include "federation/federation.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SIG_MAX_HEADER 8192

void sig_params_free(struct sig_params *p)
{
	free(p->key_id);
	free(p->algorithm);
	free(p->headers);
	free(p->signature);
	memset(p, 0, sizeof *p);
}

/* Stores one name=value pair of a Signature header in p. */
static void sig_param_set(struct sig_params *p, const char *name, size_t nlen,
			  const char *val, size_t vlen)
{
	static const struct {
		const char *name;
		size_t offset;
	} fields[] = {
		{"keyId", offsetof(struct sig_params, key_id)},
		{"algorithm", offsetof(struct sig_params, algorithm)},
		{"headers", offsetof(struct sig_params, headers)},
		{"signature", offsetof(struct sig_params, signature)},
	};

	for (size_t i = 0; i < ARRAY_LEN(fields); i++) {
		if (strlen(fields[i].name) == nlen &&
		    strncasecmp(fields[i].name, name, nlen) == 0) {
			char **slot = (char **)((char *)p + fields[i].offset);
			free(*slot);
			*slot = xstrndup(val, vlen);
		}
	}
}

int sig_parse(const char *value, struct sig_params *out)
{
	const char *p = value;

	memset(out, 0, sizeof *out);
	if (strlen(value) > SIG_MAX_HEADER)
		return err_set(CAMP_EINVAL, "the Signature header is too long");
	while (*p) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		const char *name = p;
		while (*p && *p != '=' && *p != ',')
			p++;
		if (*p != '=')
			goto bad;
		size_t nlen = (size_t)(p - name);
		p++;
		const char *val = p;
		size_t vlen;
		if (*p == '"') {
			val = ++p;
			while (*p && *p != '"')
				p++;
			if (*p != '"')
				goto bad;
			vlen = (size_t)(p - val);
			p++;
		} else {
			while (*p && *p != ',')
				p++;
			vlen = (size_t)(p - val);
		}
		sig_param_set(out, name, nlen, val, vlen);
	}
	if (out->key_id == NULL || out->signature == NULL)
		goto bad;
	if (out->headers == NULL)
		out->headers = xstrdup("date");
	return 0;
bad:
	sig_params_free(out);
	return err_set(CAMP_EINVAL, "malformed Signature header");
}

int sig_from_msg(const struct http_msg *m, struct sig_params *out)
{
	const char *v = m->header(m->ctx, "signature");

	if (v == NULL) {
		const char *a = m->header(m->ctx, "authorization");
		if (a && strncasecmp(a, "Signature ", 10) == 0)
			v = a + 10;
	}
	if (v == NULL) {
		memset(out, 0, sizeof *out);
		return err_set(CAMP_EPERM, "the request is not signed");
	}
	return sig_parse(v, out);
}

int sig_signing_string(const struct http_msg *m, const char *headers, int strip_query,
		       struct buf *out)
{
	const char *p = headers;
	int first = 1;

	buf_reset(out);
	while (*p) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		size_t n = strcspn(p, " ");
		char name[64];
		if (n >= sizeof name)
			return err_set(CAMP_EINVAL, "a signed header name is too long");
		for (size_t i = 0; i < n; i++)
			name[i] = (char)tolower((unsigned char)p[i]);
		name[n] = '\0';
		p += n;
		if (!first)
			buf_putc(out, '\n');
		first = 0;
		if (strcmp(name, "(request-target)") == 0) {
			size_t tlen = strlen(m->target);
			if (strip_query)
				tlen = strcspn(m->target, "?");
			buf_puts(out, "(request-target): ");
			for (const char *q = m->method; *q; q++)
				buf_putc(out, (char)tolower((unsigned char)*q));
			buf_putc(out, ' ');
			buf_append(out, m->target, tlen);
			continue;
		}
		const char *v = m->header(m->ctx, name);
		if (v == NULL)
			return err_set(CAMP_EINVAL, "signed header %s is missing", name);
		buf_printf(out, "%s: %s", name, v);
	}
	return 0;
}

/* 1 if the space-separated list holds name (case-insensitively). */
static int list_has(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; *p;) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (len == n && strncasecmp(p, name, n) == 0)
			return 1;
		p += len;
	}
	return 0;
}

/* The checks that need no key: algorithm, covered headers, Date, Digest. */
static int sig_precheck(const struct http_msg *m, const struct sig_params *p, int64_t now)
{
	const char *date = m->header(m->ctx, "date");
	int64_t t;

	if (p->algorithm && strcasecmp(p->algorithm, "rsa-sha256") != 0 &&
	    strcasecmp(p->algorithm, "hs2019") != 0)
		return err_set(CAMP_EPERM, "unsupported signature algorithm %s",
			       p->algorithm);
	if (!list_has(p->headers, "(request-target)"))
		return err_set(CAMP_EPERM,
			       "the signature does not cover (request-target)");
	if (!list_has(p->headers, "host") || m->header(m->ctx, "host") == NULL)
		return err_set(CAMP_EPERM, "the signature does not cover host");
	if (!list_has(p->headers, "date") || date == NULL)
		return err_set(CAMP_EPERM, "the signature does not cover date");
	if (http_date_parse(date, &t) != 0)
		return err_set(CAMP_EPERM, "the Date header is not an HTTP date");
	if (t < now - SIG_DATE_WINDOW || t > now + SIG_DATE_WINDOW)
		return err_set(CAMP_EPERM, "the Date is more than an hour off");
	if (m->has_body) {
		const char *d = m->header(m->ctx, "digest");
		if (!list_has(p->headers, "digest") || d == NULL)
			return err_set(CAMP_EPERM, "the signature does not cover digest");
		if (digest_check(d, m->body, m->body_len) != 0)
			return err_set(CAMP_EPERM, "the Digest does not match the body");
	}
	return 0;
}

int sig_verify(const struct http_msg *m, const struct sig_params *p,
	       const char *public_pem, int64_t now)
{
	struct buf s = BUF_INIT;
	int r;

	if ((r = sig_precheck(m, p, now)) != 0)
		return r;
	if ((r = sig_signing_string(m, p->headers, 0, &s)) != 0) {
		r = err_set(CAMP_EPERM, "%s", err_last());
		goto out;
	}
	r = rsa_verify_sha256(public_pem, s.data, s.len, p->signature);
	/* Some peers (Fedify 1.5 on GETs) sign the path without its query. */
	if (r == CAMP_EPERM && strchr(m->target, '?') &&
	    sig_signing_string(m, p->headers, 1, &s) == 0)
		r = rsa_verify_sha256(public_pem, s.data, s.len, p->signature);
	if (r != 0)
		r = err_set(CAMP_EPERM, "%s", err_last());
out:
	buf_free(&s);
	return r;
}

/* Header lookup over the few headers of a request being signed. */
struct sign_ctx {
	const struct sig_out *out;
	const char *content_type;
};

static const char *sign_header(void *ctx, const char *name)
{
	const struct sign_ctx *c = ctx;

	if (strcmp(name, "host") == 0)
		return c->out->host;
	if (strcmp(name, "date") == 0)
		return c->out->date;
	if (strcmp(name, "digest") == 0)
		return c->out->digest;
	if (strcmp(name, "content-type") == 0)
		return c->content_type;
	return NULL;
}

int sig_sign_request(const char *private_pem, const char *key_id, const char *method,
		     const char *url, const char *body, size_t len,
		     const char *content_type, int64_t now, struct sig_out *out)
{
	char *host, *target, *sig = NULL;
	struct sign_ctx c = {out, content_type};
	struct http_msg m = {method, NULL, sign_header, &c, body, len, body != NULL};
	const char *names = body ? "(request-target) host date digest content-type"
				 : "(request-target) host date";
	struct buf s = BUF_INIT;
	int r;

	memset(out, 0, sizeof *out);
	if ((r = url_host_target(url, &host, &target)) != 0)
		return r;
	snprintf(out->host, sizeof out->host, "%s", host);
	http_date(now, out->date);
	if (body)
		digest_header(body, len, out->digest);
	m.target = target;
	if ((r = sig_signing_string(&m, names, 0, &s)) == 0 &&
	    (r = rsa_sign_sha256(private_pem, s.data, s.len, &sig)) == 0)
		out->signature = xasprintf("keyId=\"%s\",algorithm=\"rsa-sha256\","
					   "headers=\"%s\",signature=\"%s\"",
					   key_id, names, sig);
	free(sig);
	free(host);
	free(target);
	buf_free(&s);
	return r;
}
