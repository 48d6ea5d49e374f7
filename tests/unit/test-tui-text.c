/*
 * test-tui-text.c: display widths, clusters and word wrap for the client
 * (tui/text.c), under a UTF-8 locale as the client runs.
 */
#include "tests/unit/unit.h"

#include <locale.h>

#include "tui/tui-private.h"

static int setup_locale(void **state)
{
	(void)state;
	return setlocale(LC_ALL, "C.UTF-8") == NULL;
}

/* The lines of a wrap as strings joined by '|'. */
static char *wrapped(const char *s, int width)
{
	struct tui_lines l = {0};
	struct buf b = BUF_INIT;

	tui_wrap(s, strlen(s), width, &l);
	for (int i = 0; i < l.n; i++) {
		if (i)
			buf_putc(&b, '|');
		buf_append(&b, s + l.v[i].start, l.v[i].len);
		assert_true(l.v[i].width <= width || l.v[i].len == 0 ||
			    tui_text_width(s + l.v[i].start, l.v[i].len) == l.v[i].width);
	}
	tui_lines_free(&l);
	return buf_detach(&b);
}

static void widths_follow_wcwidth(void **state)
{
	assert_int_equal(tui_text_width("abc", 3), 3);
	assert_int_equal(tui_text_width("\xe6\x97\xa5\xe6\x9c\xac", 6), 4); /* 日本 */
	assert_int_equal(tui_text_width("e\xcc\x81", 3), 1); /* e + combining acute */
	assert_int_equal(tui_text_width("\xf0\x9f\x98\x80", 4), 2); /* 😀 */
	assert_int_equal(tui_cp_width(0x0378), 1); /* unassigned: one U+FFFD cell */
}

static void clusters_keep_marks_and_joiners(void **state)
{
	const char family[] =
		"\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb!";  /* 👩‍💻! */
	const char flag[] = "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7x";  /* 🇫🇷x */
	const char thumbs[] = "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd"; /* 👍🏽 */
	int w;

	assert_int_equal(tui_cluster("e\xcc\x81x", 4, 0, &w), 3);
	assert_int_equal(w, 1);
	assert_int_equal(tui_cluster(family, strlen(family), 0, &w), 11);
	assert_int_equal(w, 4); /* as ncurses places it: 2 + 0 + 2 */
	assert_int_equal(tui_cluster(flag, strlen(flag), 0, &w), 8);
	assert_int_equal(tui_cluster(thumbs, strlen(thumbs), 0, &w), 8);
	assert_int_equal(tui_cluster("\n", 1, 0, &w), 1);
	assert_int_equal(w, 0);
	assert_int_equal(tui_cluster("\xcc\x81", 2, 0, &w), 2); /* a lone mark */
	assert_int_equal(w, 1);
	assert_int_equal(tui_cluster_before("ae\xcc\x81", 4, 4), 1);
	assert_int_equal(tui_cluster_before(family, strlen(family), 11), 0);
	assert_int_equal(tui_cluster_before("a\nb", 3, 2), 1);
}

static void wraps_at_spaces(void **state)
{
	char *s = wrapped("the quick brown fox", 10);

	assert_string_equal(s, "the quick|brown fox");
	free(s);
	s = wrapped("one\n\ntwo", 10);
	assert_string_equal(s, "one||two");
	free(s);
	s = wrapped("", 10);
	assert_string_equal(s, "");
	free(s);
	s = wrapped("abcde   fg", 5);
	assert_string_equal(s, "abcde|  fg");
	free(s);
}

static void breaks_long_words_between_clusters(void **state)
{
	char *s = wrapped("abcdefghij", 4);

	assert_string_equal(s, "abcd|efgh|ij");
	free(s);
	/* 日本語です: two cells each, never cut in half. */
	s = wrapped("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xa7\xe3\x81\x99", 5);
	assert_string_equal(s, "\xe6\x97\xa5\xe6\x9c\xac|\xe8\xaa\x9e\xe3\x81\xa7|"
			       "\xe3\x81\x99");
	free(s);
	s = wrapped("e\xcc\x81"
		    "e\xcc\x81"
		    "e\xcc\x81",
		    2);
	assert_string_equal(s, "e\xcc\x81"
			       "e\xcc\x81|e\xcc\x81");
	free(s);
}

static void fit_counts_whole_clusters(void **state)
{
	int used;

	assert_int_equal(tui_fit("\xe6\x97\xa5\xe6\x9c\xac", 6, 3, &used), 3);
	assert_int_equal(used, 2);
	assert_int_equal(tui_fit("ab\ncd", 5, 10, &used), 2);
	assert_int_equal(used, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(widths_follow_wcwidth),
		cmocka_unit_test(clusters_keep_marks_and_joiners),
		cmocka_unit_test(wraps_at_spaces),
		cmocka_unit_test(breaks_long_words_between_clusters),
		cmocka_unit_test(fit_counts_whole_clusters),
	};

	return cmocka_run_group_tests(tests, setup_locale, NULL);
}
