/*
 * editor.c: the text buffer behind the compose screen and every prompt.
 *
 * A UTF-8 string and a cursor that always sits on a cluster boundary
 * (text.c decides what a cluster is), with the operations a member needs:
 * typing, deleting and moving by clusters, and moving up and down the
 * visual lines that word wrap makes at a given width.  Pure: no curses, no
 * store.  It must never hold invalid UTF-8 or a control character other
 * than '\n' (and that only when multi-line), so what it returns can be
 * posted as it is.
 */
#include "tui/tui-private.h"

#include <string.h>

void editor_init(struct editor *e, int multiline)
{
	memset(e, 0, sizeof *e);
	e->multiline = multiline;
	e->goal = -1;
	buf_puts(&e->text, "");
}

void editor_free(struct editor *e)
{
	buf_free(&e->text);
}

const char *editor_text(const struct editor *e)
{
	return buf_str(&e->text);
}

size_t editor_count(const struct editor *e)
{
	return utf8_count(e->text.data, e->text.len);
}

/* Whether a typed or pasted code point may enter the buffer. */
static int editor_accepts(const struct editor *e, uint32_t cp)
{
	if (cp == '\n')
		return e->multiline;
	return !text_cp_is_unsafe(cp, 0);
}

int editor_insert(struct editor *e, const char *s, size_t n)
{
	size_t i = 0;
	uint32_t cp;

	/* Check everything first, so a refused paste changes nothing. */
	while (i < n) {
		int k = utf8_decode(s + i, n - i, &cp);
		if (k < 0 || !editor_accepts(e, cp))
			return err_set(CAMP_EINVAL,
				       "that character cannot be typed here");
		i += (size_t)k;
	}
	buf_reserve(&e->text, n);
	memmove(e->text.data + e->cur + n, e->text.data + e->cur,
		e->text.len - e->cur + 1);
	memcpy(e->text.data + e->cur, s, n);
	e->text.len += n;
	e->cur += n;
	e->goal = -1;
	return 0;
}

int editor_insert_cp(struct editor *e, uint32_t cp)
{
	char tmp[4];

	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return err_set(CAMP_EINVAL, "that character cannot be typed here");
	return editor_insert(e, tmp, (size_t)utf8_encode(cp, tmp));
}

void editor_set(struct editor *e, const char *s)
{
	buf_reset(&e->text);
	e->cur = 0;
	if (editor_insert(e, s, strlen(s)) != 0) {
		/* Not typeable as it is (a stored text from elsewhere): keep a
		 * safe form of it rather than nothing. */
		struct buf safe = BUF_INIT;
		text_sanitize(&safe, s, strlen(s), e->multiline ? TEXT_MULTILINE : 0);
		buf_reset(&e->text);
		e->cur = 0;
		editor_insert(e, buf_str(&safe), safe.len);
		buf_free(&safe);
	}
}

/* Removes text[from..to). */
static void editor_cut(struct editor *e, size_t from, size_t to)
{
	memmove(e->text.data + from, e->text.data + to, e->text.len - to + 1);
	e->text.len -= to - from;
	e->cur = from;
	e->goal = -1;
}

int editor_backspace(struct editor *e)
{
	if (e->cur == 0)
		return 0;
	editor_cut(e, tui_cluster_before(e->text.data, e->text.len, e->cur), e->cur);
	return 1;
}

int editor_delete(struct editor *e)
{
	int w;
	size_t n = tui_cluster(e->text.data, e->text.len, e->cur, &w);

	if (n == 0)
		return 0;
	editor_cut(e, e->cur, e->cur + n);
	return 1;
}

void editor_left(struct editor *e)
{
	e->cur = tui_cluster_before(e->text.data, e->text.len, e->cur);
	e->goal = -1;
}

void editor_right(struct editor *e)
{
	int w;

	e->cur += tui_cluster(e->text.data, e->text.len, e->cur, &w);
	e->goal = -1;
}

/* The visual line that holds the cursor: the last one starting at or
 * before it. */
static int editor_line_of(const struct tui_lines *l, size_t cur)
{
	int i = 0;

	while (i + 1 < l->n && l->v[i + 1].start <= cur)
		i++;
	return i;
}

void editor_cursor(const struct editor *e, int width, int *row, int *col)
{
	struct tui_lines l = {0};
	int i;

	tui_wrap(e->text.data, e->text.len, width, &l);
	i = editor_line_of(&l, e->cur);
	*row = i;
	*col = tui_text_width(e->text.data + l.v[i].start, e->cur - l.v[i].start);
	tui_lines_free(&l);
}

int editor_rows(const struct editor *e, int width)
{
	struct tui_lines l = {0};
	int n;

	tui_wrap(e->text.data, e->text.len, width, &l);
	n = l.n;
	tui_lines_free(&l);
	return n;
}

/* Moves to visual line row +delta, as near the goal column as it gets. */
static void editor_vertical(struct editor *e, int width, int delta)
{
	struct tui_lines l = {0};
	int i, col;

	tui_wrap(e->text.data, e->text.len, width, &l);
	i = editor_line_of(&l, e->cur);
	col = tui_text_width(e->text.data + l.v[i].start, e->cur - l.v[i].start);
	if (e->goal < 0)
		e->goal = col;
	if (i + delta < 0)
		e->cur = 0;
	else if (i + delta >= l.n)
		e->cur = e->text.len;
	else {
		const struct tui_line *t = &l.v[i + delta];
		e->cur = t->start +
			 tui_fit(e->text.data + t->start, t->len, e->goal, NULL);
	}
	tui_lines_free(&l);
}

void editor_up(struct editor *e, int width)
{
	int goal = e->goal;

	editor_vertical(e, width, -1);
	if (goal >= 0)
		e->goal = goal;
}

void editor_down(struct editor *e, int width)
{
	int goal = e->goal;

	editor_vertical(e, width, 1);
	if (goal >= 0)
		e->goal = goal;
}

void editor_home(struct editor *e, int width)
{
	struct tui_lines l = {0};

	tui_wrap(e->text.data, e->text.len, width, &l);
	e->cur = l.v[editor_line_of(&l, e->cur)].start;
	e->goal = -1;
	tui_lines_free(&l);
}

void editor_end(struct editor *e, int width)
{
	struct tui_lines l = {0};
	const struct tui_line *t;

	tui_wrap(e->text.data, e->text.len, width, &l);
	t = &l.v[editor_line_of(&l, e->cur)];
	e->cur = t->start + t->len;
	e->goal = -1;
	tui_lines_free(&l);
}
