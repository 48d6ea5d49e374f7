/*
 * text.c: finding mentions, hashtags and links in a post, once, when it
 * is written.
 *
 * The rules follow what fediverse users expect from Mastodon: `@name` and
 * `@name@domain` (a known account, else left as plain text), `#tag` made
 * of Unicode letters, digits and _ with at least one non-digit, compared
 * without case, and http(s) URLs without trailing punctuation.  Offsets
 * are bytes into the content.  Character classes come from a C.UTF-8
 * locale object, whatever the process's own locale is.  This file never
 * changes the text itself.
 */
#include "store/store-private.h"

#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#define TAG_MAX 100

static locale_t loc_utf8;
static pthread_once_t loc_once = PTHREAD_ONCE_INIT;

static void utf8_locale_make(void)
{
	loc_utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* Made once, safely from any thread (the HTTP side answers from several). */
static locale_t utf8_locale(void)
{
	pthread_once(&loc_once, utf8_locale_make);
	return loc_utf8;
}

/* Letters and digits of any script; without a UTF-8 locale, every
 * non-ASCII code point above U+00BF counts as a letter. */
static int cp_alnum(uint32_t cp)
{
	locale_t loc = utf8_locale();

	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		       (cp >= '0' && cp <= '9');
	if (loc)
		return iswalnum_l((wint_t)cp, loc);
	return cp >= 0xC0;
}

static int cp_word(uint32_t cp)
{
	return cp == '_' || cp_alnum(cp);
}

static uint32_t cp_lower(uint32_t cp)
{
	locale_t loc = utf8_locale();

	if (cp < 0x80)
		return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
	return loc ? (uint32_t)towlower_l((wint_t)cp, loc) : cp;
}

/* The code point ending just before byte offset i (0 at the start). */
static uint32_t cp_before(const char *s, size_t i)
{
	size_t j = i;
	uint32_t cp = 0;

	if (i == 0)
		return 0;
	do
		j--;
	while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80);
	if (utf8_decode(s + j, i - j, &cp) < 0)
		return 0xFFFD;
	return cp;
}

/* An entity may only start after a boundary: the start, or a character
 * that is not part of a word, a path or an address. */
static int at_boundary(const char *s, size_t i)
{
	uint32_t cp = cp_before(s, i);

	return cp == 0 || (!cp_word(cp) && cp != '/' && cp != '@' && cp != '.' &&
			   cp != '#' && cp != '-');
}

static int ascii_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Length of a username at s ([a-z0-9_]+([.-]+[a-z0-9_]+)*), 0 if none. */
static size_t scan_username(const char *s)
{
	size_t i = 0, end = 0;

	while (s[i]) {
		if (ascii_name_char(s[i])) {
			i++;
			end = i;
		} else if ((s[i] == '.' || s[i] == '-') && end > 0) {
			i++;
		} else {
			break;
		}
	}
	return end;
}

/* Length of a domain at s (labels of [a-z0-9-] joined by dots, optional
 * :port), not counting a final dot; 0 if none. */
static size_t scan_domain(const char *s)
{
	size_t i = 0, end = 0;

	while (ascii_name_char(s[i]) || s[i] == '-' || s[i] == '.') {
		if (s[i] != '.' && s[i] != '-')
			end = i + 1;
		i++;
	}
	if (end > 0 && s[end] == ':' && s[end + 1] >= '0' && s[end + 1] <= '9') {
		end++;
		while (s[end] >= '0' && s[end] <= '9')
			end++;
	}
	return end;
}

static void entity_push(struct entity **list, int *n, enum entity_kind kind, size_t start,
			size_t end, char *value, int64_t account_id)
{
	*list = xrealloc(*list, sizeof **list * (size_t)(*n + 1));
	(*list)[*n] = (struct entity){kind, (int)start, (int)end, value, account_id};
	(*n)++;
}

/* Tries a mention at s[i] == '@'; returns its byte length or 0. */
static size_t parse_mention(struct store *st, const char *s, size_t i,
			    const char *local_domain, struct entity **list, int *n)
{
	size_t u = scan_username(s + i + 1), len, d = 0;
	struct account a;

	if (u == 0)
		return 0;
	len = 1 + u;
	if (s[i + len] == '@' && (d = scan_domain(s + i + len + 1)) > 0)
		len += 1 + d;
	if (ascii_name_char(s[i + len]) || s[i + len] == '@')
		return 0;
	char *acct = xstrndup(s + i + 1, len - 1);
	if (account_find(st, acct, local_domain, &a) != 0 || a.deleted_at) {
		if (a.username)
			account_free(&a);
		free(acct);
		return len; /* unknown: plain text */
	}
	free(acct);
	entity_push(list, n, ENTITY_MENTION, i, i + len, account_acct(&a), a.id);
	account_free(&a);
	return len;
}

/* Tries a hashtag at s[i] == '#'; returns its byte length or 0. */
static size_t parse_tag(const char *s, size_t len, size_t i, struct entity **list, int *n)
{
	struct buf tag = BUF_INIT;
	size_t j = i + 1;
	int letters = 0, count = 0;
	uint32_t cp;
	int k;

	while (j < len && (k = utf8_decode(s + j, len - j, &cp)) > 0 && cp_word(cp)) {
		char enc[4];
		if (!(cp >= '0' && cp <= '9'))
			letters = 1;
		buf_append(&tag, enc, (size_t)utf8_encode(cp_lower(cp), enc));
		j += (size_t)k;
		count++;
	}
	if (!letters || count > TAG_MAX) {
		buf_free(&tag);
		return count ? j - i : 0;
	}
	entity_push(list, n, ENTITY_TAG, i, j, buf_detach(&tag), 0);
	return j - i;
}

/* Tries a URL at s + i; returns its byte length or 0. */
static size_t parse_url(const char *s, size_t len, size_t i, struct entity **list, int *n)
{
	size_t j, scheme;
	int parens = 0;

	if (strncmp(s + i, "https://", 8) == 0)
		scheme = 8;
	else if (strncmp(s + i, "http://", 7) == 0)
		scheme = 7;
	else
		return 0;
	for (j = i + scheme; j < len; j++) {
		unsigned char c = (unsigned char)s[j];
		if (c <= ' ' || c == '<' || c == '>' || c == '"')
			break;
		parens += c == '(' ? 1 : c == ')' ? -1 : 0;
	}
	/* Sentence punctuation after a link is not part of it. */
	while (j > i + scheme && strchr(".,;:!?'", s[j - 1]) != NULL)
		j--;
	while (j > i + scheme && s[j - 1] == ')' && parens < 0) {
		j--;
		parens++;
	}
	if (j == i + scheme)
		return 0;
	entity_push(list, n, ENTITY_URL, i, j, xstrndup(s + i, j - i), 0);
	return j - i;
}

int text_parse(struct store *st, const char *content, const char *local_domain,
	       struct entity **out, int *n)
{
	size_t len = strlen(content), i = 0, used;

	*out = NULL;
	*n = 0;
	while (i < len) {
		used = 0;
		if (strchr("@#h", content[i]) != NULL && at_boundary(content, i)) {
			if (content[i] == '@')
				used = parse_mention(st, content, i, local_domain, out,
						     n);
			else if (content[i] == '#')
				used = parse_tag(content, len, i, out, n);
			else if (content[i] == 'h')
				used = parse_url(content, len, i, out, n);
		}
		i += used ? used : 1;
	}
	return 0;
}

void entities_free(struct entity *e, int n)
{
	for (int i = 0; i < n; i++)
		free(e[i].value);
	free(e);
}
