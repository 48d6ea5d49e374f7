/*
 * utf8.c: strict UTF-8 decoding and text that is safe for a terminal.
 *
 * Posts, names and intros are stored as the member typed them, validated
 * here first.  Anything shown on a terminal (a member's or a stranger's
 * words) goes through text_sanitize(), which must never let a control
 * sequence, a bidi override or a broken byte through, and never drops
 * anything silently: each becomes a visible substitute.
 */
#include "common.h"

#include <string.h>

#define REPLACEMENT_CHAR 0xFFFDu

int utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c, min;
	int n;

	if (len == 0)
		return -1;
	c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		n = 2, c &= 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3, c &= 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4, c &= 0x07, min = 0x10000;
	} else {
		return -1;
	}
	if ((size_t)n > len)
		return -1;
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return -1;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return -1;
	*cp = c;
	return n;
}

int utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	} else if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

int utf8_valid(const char *s, size_t len, size_t *bad_at)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		int n = utf8_decode(s + i, len - i, &cp);
		if (n < 0 || cp == 0) {
			if (bad_at)
				*bad_at = i;
			return 0;
		}
		i += (size_t)n;
	}
	return 1;
}

size_t utf8_count(const char *s, size_t len)
{
	size_t count = 0;

	/* Every byte that is not a continuation byte starts a code point. */
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

/* Bidi embeddings, overrides and isolates: these reorder everything after
 * them on the line, so they are never shown raw. */
static int cp_is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Invisible marks that can make two names look alike. */
static int cp_is_invisible_mark(uint32_t cp)
{
	return cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x115F ||
	       cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5 || cp == 0x180E ||
	       (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x2064) ||
	       cp == 0x3164 || cp == 0xFEFF || cp == 0xFFA0;
}

int text_cp_is_unsafe(uint32_t cp, int flags)
{
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
		return 1;
	if (cp_is_bidi_control(cp))
		return 1;
	/* Line and paragraph separators, interlinear annotations. */
	if (cp == 0x2028 || cp == 0x2029 || (cp >= 0xFFF9 && cp <= 0xFFFB))
		return 1;
	if ((flags & TEXT_NAME) && cp_is_invisible_mark(cp))
		return 1;
	return 0;
}

static void put_replacement(struct buf *out)
{
	char tmp[4];
	int n = utf8_encode(REPLACEMENT_CHAR, tmp);

	buf_append(out, tmp, (size_t)n);
}

/* Shows one unsafe code point as a visible substitute. */
static void put_substitute(struct buf *out, uint32_t cp, int flags)
{
	if (cp == '\n' && (flags & TEXT_MULTILINE)) {
		buf_putc(out, '\n');
	} else if (cp == '\t' && (flags & TEXT_MULTILINE)) {
		buf_puts(out, "    ");
	} else if (cp < 0x20) {
		buf_putc(out, '^');
		buf_putc(out, (char)(cp + 0x40));
	} else if (cp == 0x7F) {
		buf_puts(out, "^?");
	} else {
		put_replacement(out);
	}
}

void text_sanitize(struct buf *out, const char *s, size_t len, int flags)
{
	size_t i = 0;
	uint32_t cp;

	buf_reserve(out, len);
	while (i < len) {
		int n = utf8_decode(s + i, len - i, &cp);
		if (n < 0) {
			put_replacement(out);
			i++;
			continue;
		}
		if (text_cp_is_unsafe(cp, flags))
			put_substitute(out, cp, flags);
		else
			buf_append(out, s + i, (size_t)n);
		i += (size_t)n;
	}
}
