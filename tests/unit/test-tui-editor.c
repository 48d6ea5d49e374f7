/*
 * test-tui-editor.c: the compose editor's buffer (tui/editor.c): typing,
 * deleting and moving by clusters, up and down wrapped lines, refusing
 * what must never be posted.
 */
#include "tests/unit/unit.h"

#include <locale.h>

#include "tui/tui-private.h"

static int setup_locale(void **state)
{
	(void)state;
	return setlocale(LC_ALL, "C.UTF-8") == NULL;
}

static void types_and_counts_code_points(void **state)
{
	struct editor e;

	editor_init(&e, 1);
	assert_int_equal(editor_insert(&e, "h\xc3\xa9llo", 6), 0);
	assert_string_equal(editor_text(&e), "h\xc3\xa9llo");
	assert_int_equal(editor_count(&e), 5);
	assert_int_equal(editor_insert_cp(&e, 0x65E5), 0); /* 日 */
	assert_int_equal(editor_count(&e), 6);
	editor_free(&e);
}

static void refuses_controls(void **state)
{
	struct editor e, line;

	editor_init(&e, 1);
	editor_init(&line, 0);
	assert_int_equal(editor_insert(&e, "a\x1b[2Jb", 6), CAMP_EINVAL);
	assert_int_equal(editor_insert_cp(&e, 0x07), CAMP_EINVAL);   /* BEL */
	assert_int_equal(editor_insert_cp(&e, 0x202E), CAMP_EINVAL); /* RLO */
	assert_int_equal(editor_insert(&e, "\xff", 1), CAMP_EINVAL);
	assert_string_equal(editor_text(&e), "");
	assert_int_equal(editor_insert(&e, "a\nb", 3), 0);
	assert_int_equal(editor_insert(&line, "a\nb", 3), CAMP_EINVAL);
	editor_set(&line, "x\x1b"
			  "y");
	assert_string_equal(editor_text(&line), "x^[y");
	editor_free(&e);
	editor_free(&line);
}

static void moves_and_deletes_by_cluster(void **state)
{
	struct editor e;

	editor_init(&e, 1);
	/* a, e + acute, 👩‍💻, b */
	editor_set(&e, "ae\xcc\x81\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb"
		       "b");
	editor_left(&e);
	assert_int_equal(e.cur, 15);
	editor_left(&e);
	assert_int_equal(e.cur, 4);
	editor_left(&e);
	assert_int_equal(e.cur, 1);
	editor_right(&e);
	assert_int_equal(e.cur, 4);
	assert_int_equal(editor_backspace(&e), 1); /* the whole é */
	assert_string_equal(editor_text(&e),
			    "a\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb"
			    "b");
	assert_int_equal(editor_delete(&e), 1); /* the whole emoji sequence */
	assert_string_equal(editor_text(&e), "ab");
	editor_home(&e, 80);
	assert_int_equal(e.cur, 0);
	assert_int_equal(editor_backspace(&e), 0);
	editor_end(&e, 80);
	assert_int_equal(e.cur, 2);
	assert_int_equal(editor_delete(&e), 0);
	editor_free(&e);
}

static void moves_over_wrapped_lines(void **state)
{
	struct editor e;
	int row, col;

	editor_init(&e, 1);
	editor_set(&e, "hello world again\nend");
	editor_cursor(&e, 8, &row, &col); /* hello|world|again|end */
	assert_int_equal(row, 3);
	assert_int_equal(col, 3);
	assert_int_equal(editor_rows(&e, 8), 4);
	editor_up(&e, 8);
	editor_cursor(&e, 8, &row, &col);
	assert_int_equal(row, 2);
	assert_int_equal(col, 3);
	assert_int_equal(e.cur, 15); /* "aga|in" */
	editor_up(&e, 8);
	editor_up(&e, 8);
	editor_cursor(&e, 8, &row, &col);
	assert_int_equal(row, 0);
	assert_int_equal(col, 3);
	editor_end(&e, 8);
	assert_int_equal(e.cur, 5);
	editor_down(&e, 8);
	editor_cursor(&e, 8, &row, &col);
	assert_int_equal(row, 1);
	editor_up(&e, 8);
	editor_up(&e, 8);
	assert_int_equal(e.cur, 0);
	editor_free(&e);
}

static void wide_characters_keep_the_goal_column(void **state)
{
	struct editor e;
	int row, col;

	editor_init(&e, 1);
	editor_set(&e, "abcd\n\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"); /* abcd / 日本語 */
	editor_up(&e, 80);
	editor_home(&e, 80);
	editor_right(&e);
	editor_right(&e);
	editor_right(&e); /* column 3 */
	editor_down(&e, 80);
	editor_cursor(&e, 80, &row, &col);
	assert_int_equal(row, 1);
	assert_int_equal(col, 2); /* never inside 本 */
	editor_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(types_and_counts_code_points),
		cmocka_unit_test(refuses_controls),
		cmocka_unit_test(moves_and_deletes_by_cluster),
		cmocka_unit_test(moves_over_wrapped_lines),
		cmocka_unit_test(wide_characters_keep_the_goal_column),
	};

	return cmocka_run_group_tests(tests, setup_locale, NULL);
}
