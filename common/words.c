/*
 * words.c: splitting a command line into words, the way a shell would
 * for the simple cases people type after `ssh camp ...`.
 *
 * Blanks separate words; 'single quotes' keep everything literally;
 * "double quotes" keep blanks and honour \" and \\; a backslash outside
 * quotes takes the next character as it is.  Nothing is expanded: no
 * variables, globs or substitutions, and this file must never run
 * anything.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#define WORDS_MAX 256

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Reads one word starting at *p (not a blank) into w; advances *p. */
static int word_take(const char **p, struct buf *w)
{
	const char *s = *p;
	char quote = 0;

	buf_reset(w);
	buf_append(w, "", 0); /* '' is a word too: an empty string */
	for (; *s && (quote || !is_blank(*s)); s++) {
		if (quote == '\'' && *s == '\'') {
			quote = 0;
		} else if (quote == '"' && *s == '"') {
			quote = 0;
		} else if (quote == 0 && (*s == '\'' || *s == '"')) {
			quote = *s;
		} else if (*s == '\\' && quote != '\'' && s[1] != '\0' &&
			   (quote == 0 || s[1] == '"' || s[1] == '\\')) {
			buf_putc(w, *++s);
		} else {
			buf_putc(w, *s);
		}
	}
	*p = s;
	if (quote)
		return err_set(CAMP_EINVAL, "a %s quote is not closed",
			       quote == '"' ? "double" : "single");
	return 0;
}

int words_split(const char *line, char ***argv, int *argc)
{
	struct buf w = BUF_INIT;
	char **v = xcalloc(WORDS_MAX + 1, sizeof *v);
	int n = 0, r = 0;

	for (const char *p = line;;) {
		while (is_blank(*p))
			p++;
		if (*p == '\0')
			break;
		if (n == WORDS_MAX) {
			r = err_set(CAMP_ETOOBIG, "more than %d words", WORDS_MAX);
			break;
		}
		if ((r = word_take(&p, &w)) != 0)
			break;
		v[n++] = xstrdup(buf_str(&w));
	}
	buf_free(&w);
	if (r != 0) {
		words_free(v);
		v = NULL;
		n = 0;
	}
	*argv = v;
	*argc = n;
	return r;
}

void words_free(char **argv)
{
	if (argv == NULL)
		return;
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}
