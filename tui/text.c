/*
 * text.c: display width, character clusters and word wrapping.
 *
 * Pure functions over UTF-8 that is already terminal-safe (it has passed
 * through text_sanitize()).  Widths come from wcwidth() under the UTF-8
 * locale the client runs in, code point by code point, because that is how
 * ncurses itself places characters; clusters (a base with its combining
 * marks, variation selectors and ZWJ-joined followers, or a flag's pair of
 * regional indicators) only decide where a cursor may stop and where a
 * line may break.  Nothing here may ever split a cluster, and nothing here
 * touches the screen.
 */
#include "tui/tui-private.h"

#include <wchar.h>

#define ZWJ 0x200Du

/* An emoji skin-tone modifier: it belongs to the emoji before it. */
static int cp_is_modifier(uint32_t cp)
{
	return cp >= 0x1F3FB && cp <= 0x1F3FF;
}

/* A regional indicator: two of them make one flag. */
static int cp_is_regional(uint32_t cp)
{
	return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

int tui_cp_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);

	return w < 0 ? 1 : w; /* unprintable: drawn as U+FFFD */
}

/* Decodes at s[off]; an invalid byte counts as one U+FFFD. */
static size_t decode_at(const char *s, size_t len, size_t off, uint32_t *cp)
{
	int n = utf8_decode(s + off, len - off, cp);

	if (n < 0) {
		*cp = 0xFFFD;
		return 1;
	}
	return (size_t)n;
}

size_t tui_cluster(const char *s, size_t len, size_t off, int *width)
{
	uint32_t cp, next;
	size_t i = off, n;
	int w, joined = 0;

	if (off >= len) {
		*width = 0;
		return 0;
	}
	i += decode_at(s, len, i, &cp);
	w = cp == '\n' ? 0 : tui_cp_width(cp);
	if (w == 0 && cp != '\n')
		w = 1; /* a mark with no base is drawn on a dotted circle */
	while (cp != '\n' && i < len) {
		n = decode_at(s, len, i, &next);
		if (next == ZWJ || (wcwidth((wchar_t)next) == 0 && next != '\n')) {
			joined = next == ZWJ;
		} else if (joined || cp_is_modifier(next) ||
			   (cp_is_regional(cp) && cp_is_regional(next) && i - off == 4)) {
			joined = 0;
			w += tui_cp_width(next);
		} else {
			break;
		}
		i += n;
	}
	*width = w;
	return i - off;
}

size_t tui_cluster_before(const char *s, size_t len, size_t off)
{
	size_t i, prev = 0;
	int w;

	if (off == 0)
		return 0;
	/* Clusters are only known going forward, and never span a '\n':
	 * walk from the start of the line that holds s[off - 1]. */
	i = off - 1;
	while (i > 0 && s[i - 1] != '\n')
		i--;
	while (i < off) {
		prev = i;
		i += tui_cluster(s, len, i, &w);
	}
	return prev;
}

int tui_text_width(const char *s, size_t len)
{
	size_t i = 0;
	int w, total = 0;

	while (i < len) {
		i += tui_cluster(s, len, i, &w);
		total += w;
	}
	return total;
}

size_t tui_fit(const char *s, size_t len, int width, int *used)
{
	size_t i = 0, n;
	int w, total = 0;

	while (i < len && s[i] != '\n') {
		n = tui_cluster(s, len, i, &w);
		if (total + w > width)
			break;
		total += w;
		i += n;
	}
	if (used)
		*used = total;
	return i;
}

/* Ends a line at s[start..end) and starts the next at next. */
static void wrap_push(struct tui_lines *out, size_t start, size_t end, size_t next,
		      int width)
{
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 8;
		out->v = xrealloc(out->v, out->cap * sizeof *out->v);
	}
	out->v[out->n].start = start;
	out->v[out->n].len = end - start;
	out->v[out->n].next = next;
	out->v[out->n].width = width;
	out->n++;
}

/* Wraps one line that holds no '\n', starting at s[i], and returns where
 * its last piece ends. */
static size_t wrap_one(const char *s, size_t len, size_t i, int width,
		       struct tui_lines *out)
{
	size_t start = i, brk = 0, n;
	int w, col = 0, brkcol = 0;

	while (i < len && s[i] != '\n') {
		n = tui_cluster(s, len, i, &w);
		if (s[i] == ' ' && col + w > width) { /* the space ends the line */
			wrap_push(out, start, i, i + 1, col);
			start = ++i;
			brk = 0, col = 0;
			continue;
		} else if (s[i] == ' ') {
			brk = i, brkcol = col;
		} else if (col + w > width && col > 0) {
			if (brk > start) { /* break at the last space */
				wrap_push(out, start, brk, brk + 1, brkcol);
				start = brk + 1;
			} else { /* a word wider than the line */
				wrap_push(out, start, i, i, col);
				start = i;
			}
			brk = 0;
			col = tui_text_width(s + start, i - start);
			continue;
		}
		col += w;
		i += n;
	}
	wrap_push(out, start, i, i < len ? i + 1 : i,
		  tui_text_width(s + start, i - start));
	return i;
}

void tui_wrap(const char *s, size_t len, int width, struct tui_lines *out)
{
	size_t i = 0;

	out->n = 0;
	if (width < 1)
		width = 1;
	do {
		i = wrap_one(s, len, i, width, out);
		i++; /* past the '\n' */
	} while (i <= len);
}

void tui_lines_free(struct tui_lines *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
