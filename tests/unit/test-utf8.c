/*
 * test-utf8.c: strict UTF-8 decoding and terminal-safe text.
 */
#include "tests/unit/unit.h"

static void decodes_valid_sequences(void **state)
{
	uint32_t cp;

	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode("\xc3\xa9", 2, &cp), 2); /* é */
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_decode("\xe6\x97\xa5", 3, &cp), 3); /* 日 */
	assert_int_equal(cp, 0x65E5);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4); /* 😀 */
	assert_int_equal(cp, 0x1F600);
}

static void refuses_invalid_sequences(void **state)
{
	uint32_t cp;

	assert_int_equal(utf8_decode("\xc0\xaf", 2, &cp), -1);	       /* overlong / */
	assert_int_equal(utf8_decode("\xe0\x80\xaf", 3, &cp), -1);     /* overlong */
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), -1);     /* surrogate */
	assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), -1); /* > 10FFFF */
	assert_int_equal(utf8_decode("\xe6\x97", 2, &cp), -1);	       /* truncated */
	assert_int_equal(utf8_decode("\x80", 1, &cp), -1);	       /* lone cont. */
	assert_int_equal(utf8_decode("\xff", 1, &cp), -1);
	assert_int_equal(utf8_decode("\xc3\x28", 2, &cp), -1); /* bad continuation */
}

static void valid_reports_first_bad_byte(void **state)
{
	const char ok[] = "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8f\x95";
	const char bad[] = "abc\xe6\x97xyz";
	size_t at = 99;

	assert_true(utf8_valid(ok, strlen(ok), NULL));
	assert_false(utf8_valid(bad, strlen(bad), &at));
	assert_int_equal(at, 3);
	assert_false(utf8_valid("a\0b", 3, &at)); /* NUL is refused too */
	assert_int_equal(at, 1);
}

static void counts_code_points(void **state)
{
	const char s[] = "e\xcc\x81\xe6\x97\xa5\xf0\x9f\x98\x80"; /* e + acute, 日, 😀 */

	assert_int_equal(utf8_count(s, strlen(s)), 4);
	assert_int_equal(utf8_count("", 0), 0);
}

static void encode_round_trips(void **state)
{
	const uint32_t cps[] = {0x24, 0xA2, 0x20AC, 0x10348, 0x10FFFF};
	char out[4];
	uint32_t back;

	for (size_t i = 0; i < ARRAY_LEN(cps); i++) {
		int n = utf8_encode(cps[i], out);
		assert_int_equal(utf8_decode(out, (size_t)n, &back), n);
		assert_int_equal(back, cps[i]);
	}
}

/* Sanitizes s with flags and compares with want. */
static void check_sanitize(const char *s, size_t len, int flags, const char *want)
{
	struct buf out = BUF_INIT;

	text_sanitize(&out, s, len, flags);
	assert_string_equal(buf_str(&out), want);
	buf_free(&out);
}

static void sanitize_shows_controls(void **state)
{
	const char clear[] = "hi\x1b[2Jthere\x07";
	const char osc52[] = "\x1b]52;c;ZXZpbA==\x07";

	check_sanitize(clear, strlen(clear), 0, "hi^[[2Jthere^G");
	check_sanitize(osc52, strlen(osc52), 0, "^[]52;c;ZXZpbA==^G");
	check_sanitize("a\rb\bc\x7f", 6, 0, "a^Mb^Hc^?");
	check_sanitize("a\nb\tc", 5, 0, "a^Jb^Ic");
	check_sanitize("a\nb\tc", 5, TEXT_MULTILINE, "a\nb    c");
	/* C1 CSI (U+009B) and a raw 0x9b byte both become U+FFFD. */
	check_sanitize("x\xc2\x9by", 4, 0, "x\xef\xbf\xbdy");
	check_sanitize("x\x9by", 3, 0, "x\xef\xbf\xbdy");
}

static void sanitize_stops_bidi_and_hidden_marks(void **state)
{
	const char rlo[] = "abc\xe2\x80\xae"
			   "def";		/* U+202E */
	const char isolate[] = "\xe2\x81\xa6x"; /* U+2066 */
	const char zwsp_name[] = "ali\xe2\x80\x8b"
				 "ce"; /* U+200B in a name */
	const char family[] = "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7"; /* ZWJ */

	check_sanitize(rlo, strlen(rlo), 0,
		       "abc\xef\xbf\xbd"
		       "def");
	check_sanitize(isolate, strlen(isolate), 0, "\xef\xbf\xbdx");
	check_sanitize(zwsp_name, strlen(zwsp_name), TEXT_NAME,
		       "ali\xef\xbf\xbd"
		       "ce");
	/* In a post, a zero-width joiner builds emoji and stays. */
	check_sanitize(family, strlen(family), 0, family);
}

static void sanitizing_nothing_gives_an_empty_string(void **state)
{
	struct buf out = BUF_INIT;

	text_sanitize(&out, "", 0, 0);
	assert_string_equal(buf_str(&out), "");
	buf_reserve(&out, 100);
	assert_string_equal(buf_str(&out), "");
	buf_free(&out);
}

static void sanitize_keeps_ordinary_text(void **state)
{
	const char s[] =
		"Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac e\xcc\x81 \xf0\x9f\x8f\x95";

	check_sanitize(s, strlen(s), TEXT_MULTILINE, s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_valid_sequences),
		cmocka_unit_test(refuses_invalid_sequences),
		cmocka_unit_test(valid_reports_first_bad_byte),
		cmocka_unit_test(counts_code_points),
		cmocka_unit_test(encode_round_trips),
		cmocka_unit_test(sanitize_shows_controls),
		cmocka_unit_test(sanitize_stops_bidi_and_hidden_marks),
		cmocka_unit_test(sanitize_keeps_ordinary_text),
		cmocka_unit_test(sanitizing_nothing_gives_an_empty_string),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
