/*
 * ap-json.c: reading ActivityStreams JSON the way servers really send it,
 * without JSON-LD: any property may be absent, one value, or an array;
 * an object may be a URL or embedded; types may be arrays.
 *
 * Nothing here fetches anything or expands a context; a document is read
 * as the plain JSON it is.  These helpers never trust a value's type.
 */
#include "federation/federation.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

json_t *ap_parse(const char *text, size_t len)
{
	json_error_t e;
	json_t *v;

	if (len > AP_MAX_BODY) {
		err_set(CAMP_ETOOBIG, "document over %d bytes", AP_MAX_BODY);
		return NULL;
	}
	v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
	if (v == NULL) {
		err_set(CAMP_EINVAL, "bad JSON at line %d: %s", e.line, e.text);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		err_set(CAMP_EINVAL, "the document is not a JSON object");
		return NULL;
	}
	return v;
}

size_t ap_len(json_t *v)
{
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_array(v))
		return json_array_size(v);
	return 1;
}

json_t *ap_item(json_t *v, size_t i)
{
	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_array(v))
		return json_array_get(v, i);
	return i == 0 ? v : NULL;
}

const char *ap_str(json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *ap_id(json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_object(v))
		return ap_str(v, "id");
	return NULL;
}

const char *ap_first_id(json_t *o, const char *key)
{
	return ap_id(ap_item(json_object_get(o, key), 0));
}

const char *ap_type(json_t *o)
{
	json_t *t = json_is_object(o) ? json_object_get(o, "type") : NULL;

	for (size_t i = 0; i < ap_len(t); i++)
		if (json_is_string(ap_item(t, i)))
			return json_string_value(ap_item(t, i));
	return NULL;
}

int ap_is_type(json_t *o, const char *type)
{
	json_t *t = json_is_object(o) ? json_object_get(o, "type") : NULL;

	for (size_t i = 0; i < ap_len(t); i++) {
		json_t *v = ap_item(t, i);
		if (json_is_string(v) && strcmp(json_string_value(v), type) == 0)
			return 1;
	}
	return 0;
}

int ap_is_public(const char *addr)
{
	return addr != NULL &&
	       (strcmp(addr, AS_PUBLIC) == 0 || strcmp(addr, "as:Public") == 0 ||
		strcmp(addr, "Public") == 0);
}

/* 1 when the property key of o holds addr (by id). */
static int prop_has(json_t *o, const char *key, const char *addr, int public)
{
	json_t *v = json_object_get(o, key);

	for (size_t i = 0; i < ap_len(v); i++) {
		const char *id = ap_id(ap_item(v, i));
		if (id && (public ? ap_is_public(id) : strcmp(id, addr) == 0))
			return 1;
	}
	return 0;
}

static const char *const address_props[] = {"to", "cc", "bto", "bcc", "audience"};

int ap_addressed_to(json_t *o, const char *addr)
{
	if (!json_is_object(o))
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(address_props); i++)
		if (prop_has(o, address_props[i], addr, 0))
			return 1;
	return 0;
}

int ap_addressed_public(json_t *o, int *in_to)
{
	int to = json_is_object(o) && prop_has(o, "to", NULL, 1);

	if (in_to)
		*in_to = to;
	if (to)
		return 1;
	if (!json_is_object(o))
		return 0;
	for (size_t i = 1; i < ARRAY_LEN(address_props); i++)
		if (prop_has(o, address_props[i], NULL, 1))
			return 1;
	return 0;
}

char *ap_dump(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	if (s == NULL)
		fatal("cannot serialize JSON");
	return s;
}

int ap_time(const char *s, int64_t *t)
{
	if (s == NULL)
		return err_set(CAMP_EINVAL, "no time");
	return time_parse_rfc3339(s, t);
}

json_t *ap_context(void)
{
	return json_pack("[s, s, {s:s, s:s, s:s, s:s, s:s}]",
			 "https://www.w3.org/ns/activitystreams",
			 "https://w3id.org/security/v1", "sensitive", "as:sensitive",
			 "manuallyApprovesFollowers", "as:manuallyApprovesFollowers",
			 "toot", "http://joinmastodon.org/ns#", "Hashtag", "as:Hashtag",
			 "discoverable", "toot:discoverable");
}

/* Code points no URL from another server may hold, because they make it
 * show as something it is not: controls (C0, DEL, C1), bidi controls and
 * marks, the other invisible format characters (Unicode's Cf, and the
 * fillers text_cp_is_unsafe() knows), line and paragraph separators,
 * spaces of every kind, and noncharacters. */
static int url_cp_bad(uint32_t cp)
{
	static const struct {
		uint32_t lo, hi;
	} bad[] = {
		{0x00A0, 0x00A0},   {0x0600, 0x0605},	{0x06DD, 0x06DD},
		{0x070F, 0x070F},   {0x0890, 0x0891},	{0x08E2, 0x08E2},
		{0x1680, 0x1680},   {0x2000, 0x200F},	{0x2028, 0x202F},
		{0x205F, 0x206F},   {0x3000, 0x3000},	{0xFDD0, 0xFDEF},
		{0xFEFF, 0xFEFF},   {0xFFF0, 0xFFFB},	{0x110BD, 0x110BD},
		{0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3},
		{0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF},
	};

	if (cp <= 0x20 || text_cp_is_unsafe(cp, TEXT_NAME) || (cp & 0xFFFE) == 0xFFFE)
		return 1;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (cp >= bad[i].lo && cp <= bad[i].hi)
			return 1;
	return 0;
}

int ap_url_ok(const char *s)
{
	size_t n;

	if (s == NULL)
		return 0;
	n = strlen(s);
	if (n > 2048 || (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0))
		return 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int len = utf8_decode(s + i, n - i, &cp);
		if (len <= 0 || url_cp_bad(cp))
			return 0;
		i += (size_t)len;
	}
	return 1;
}

int ap_text_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	return s != NULL && n <= max && utf8_valid(s, n, NULL);
}

int ap_same_origin(const char *a, const char *b)
{
	const char *pa = a ? strstr(a, "://") : NULL, *pb = b ? strstr(b, "://") : NULL;

	if (pa == NULL || pb == NULL)
		return 0;
	size_t na = (size_t)(pa - a) + 3 + strcspn(pa + 3, "/?#");
	size_t nb = (size_t)(pb - b) + 3 + strcspn(pb + 3, "/?#");
	return na == nb && strncasecmp(a, b, na) == 0;
}
