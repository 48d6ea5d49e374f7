/*
 * test-ap-note.c: addressing per visibility level (DESIGN §3), reading
 * remote notes (value-or-array fields, contentMap, content warnings,
 * timestamps with up to nine fraction digits), and the JSON helpers.
 */
#include "tests/unit/unit.h"

#include <arpa/inet.h>

#include "federation/federation.h"

#define F "https://c.example/users/alice/followers"
#define M1 "https://x.example/users/bob"
#define M2 "https://y.example/users/carol"

static void expect(json_t *v, const char *want)
{
	char *s = ap_dump(v);

	assert_string_equal(s, want);
	free(s);
	json_decref(v);
}

static void test_addressing(void **state)
{
	const char *m[] = {M1, M2};
	json_t *to, *cc;

	assert_int_equal(ap_address(VIS_PUBLIC, F, m, 2, &to, &cc), 0);
	expect(to, "[\"" AS_PUBLIC "\"]");
	expect(cc, "[\"" F "\",\"" M1 "\",\"" M2 "\"]");
	assert_int_equal(ap_address(VIS_UNLISTED, F, m, 2, &to, &cc), 0);
	expect(to, "[\"" F "\"]");
	expect(cc, "[\"" AS_PUBLIC "\",\"" M1 "\",\"" M2 "\"]");
	assert_int_equal(ap_address(VIS_FOLLOWERS, F, m, 1, &to, &cc), 0);
	expect(to, "[\"" F "\"]");
	expect(cc, "[\"" M1 "\"]");
	assert_int_equal(ap_address(VIS_DIRECT, F, m, 2, &to, &cc), 0);
	expect(to, "[\"" M1 "\",\"" M2 "\"]");
	expect(cc, "[]");
	/* Camp-only and neighborhood posts are never addressed. */
	assert_int_equal(ap_address(VIS_CAMP, F, m, 2, &to, &cc), CAMP_EPERM);
	assert_null(to);
	assert_null(cc);
	assert_int_equal(ap_address(VIS_NEIGHBORHOOD, F, m, 2, &to, &cc), CAMP_EPERM);
}

static json_t *parse(const char *s)
{
	json_t *v = ap_parse(s, strlen(s));

	assert_non_null(v);
	return v;
}

static void test_values_or_arrays(void **state)
{
	json_t *o = parse("{\"to\":\"as:Public\",\"cc\":[\"a\",{\"id\":\"b\"}],"
			  "\"type\":[\"Note\",\"X\"],\"tag\":{\"type\":\"Mention\"}}");

	assert_int_equal(ap_len(json_object_get(o, "to")), 1);
	assert_int_equal(ap_len(json_object_get(o, "cc")), 2);
	assert_int_equal(ap_len(json_object_get(o, "nothing")), 0);
	assert_string_equal(ap_id(ap_item(json_object_get(o, "cc"), 1)), "b");
	assert_true(ap_is_type(o, "X"));
	assert_string_equal(ap_type(o), "Note");
	int in_to;
	assert_true(ap_addressed_public(o, &in_to));
	assert_true(in_to);
	assert_true(ap_addressed_to(o, "b"));
	assert_false(ap_addressed_to(o, "c"));
	json_decref(o);
	assert_null(ap_parse("[1]", 3));
	assert_null(ap_parse("{\"a\":1,\"a\":2}", 13));
	assert_null(ap_parse("{\"a\":\"\\u0000\"}", 14));
	assert_null(ap_parse("{\"a\":\"\xff\"}", 9));
}

static void test_note(void **state)
{
	json_t *o = parse(
		"{\"id\":\"https://x.example/notes/1\",\"type\":\"Note\","
		"\"attributedTo\":[{\"id\":\"" M1 "\",\"type\":\"Person\"}],"
		"\"contentMap\":{\"en\":\"<p>hi <a "
		"href=\\\"https://c.example/users/alice\\\" "
		"class=\\\"mention\\\">@alice</a></p>\"},"
		"\"summary\":\"spoilers\",\"sensitive\":true,"
		"\"published\":\"2024-01-02T03:04:05.123456789Z\","
		"\"inReplyTo\":{\"id\":\"https://c.example/posts/7\"},"
		"\"to\":\"https://x.example/users/bob/followers\","
		"\"tag\":{\"type\":\"Mention\",\"href\":\"https://c.example/users/"
		"alice\","
		"\"name\":\"@alice@c.example\"},"
		"\"attachment\":{\"type\":\"Image\",\"url\":\"https://x.example/a.png\","
		"\"name\":\"a cat\"}}");
	struct ap_note n;

	assert_int_equal(ap_note_parse(o, "https://x.example/users/bob/followers", &n),
			 0);
	assert_string_equal(n.content, "hi @alice@c.example\n[image: a cat] "
				       "https://x.example/a.png");
	assert_string_equal(n.cw, "spoilers");
	assert_int_equal(n.created_at, 1704164645);
	assert_string_equal(n.in_reply_to, "https://c.example/posts/7");
	assert_int_equal(n.visibility, VIS_FOLLOWERS);
	assert_int_equal(n.nmentions, 1);
	assert_string_equal(n.attributed_to, M1);
	ap_note_free(&n);
	/* without the followers collection known, the /followers suffix */
	assert_int_equal(ap_note_parse(o, NULL, &n), 0);
	assert_int_equal(n.visibility, VIS_FOLLOWERS);
	ap_note_free(&n);
	json_decref(o);

	o = parse("{\"id\":\"https://x.example/n/"
		  "2\",\"type\":\"Note\",\"attributedTo\":\"" M1
		  "\",\"content\":\"x\",\"to\":[\"" M2 "\"],"
		  "\"published\":\"2024-01-02T05:04:05+02:00\"}");
	assert_int_equal(ap_note_parse(o, NULL, &n), 0);
	assert_int_equal(n.visibility, VIS_DIRECT);
	assert_int_equal(n.created_at, 1704164645);
	ap_note_free(&n);
	json_decref(o);
	o = parse("{\"id\":\"https://x.example/n/"
		  "3\",\"type\":\"Note\",\"attributedTo\":\"" M1
		  "\",\"content\":\"\",\"cc\":\"as:Public\"}");
	assert_int_equal(ap_note_parse(o, NULL, &n), CAMP_EINVAL); /* empty */
	json_decref(o);
	o = parse("{\"id\":\"https://x.example/n/4\",\"type\":\"Page\"}");
	assert_int_equal(ap_note_parse(o, NULL, &n), CAMP_EINVAL);
	json_decref(o);
}

static void test_ssrf(void **state)
{
	static const struct {
		const char *addr;
		int private;
	} cases[] = {
		{"127.0.0.1", 1},
		{"10.1.2.3", 1},
		{"172.16.0.1", 1},
		{"172.32.0.1", 0},
		{"192.168.1.1", 1},
		{"169.254.169.254", 1},
		{"100.64.0.1", 1},
		{"0.0.0.0", 1},
		{"224.0.0.1", 1},
		{"8.8.8.8", 0},
		{"93.184.216.34", 0},
		{"::1", 1},
		{"::", 1},
		{"fe80::1", 1},
		{"fd00::1", 1},
		{"::ffff:127.0.0.1", 1},
		{"::ffff:8.8.8.8", 0},
		{"64:ff9b::a00:1", 1},
		{"2002:7f00:1::", 1},
		{"2606:4700::1111", 0},
	};

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct sockaddr_storage ss = {0};
		if (strchr(cases[i].addr, ':')) {
			struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
			a->sin6_family = AF_INET6;
			assert_int_equal(
				inet_pton(AF_INET6, cases[i].addr, &a->sin6_addr), 1);
		} else {
			struct sockaddr_in *a = (struct sockaddr_in *)&ss;
			a->sin_family = AF_INET;
			assert_int_equal(inet_pton(AF_INET, cases[i].addr, &a->sin_addr),
					 1);
		}
		if (net_addr_is_private((struct sockaddr *)&ss) != cases[i].private)
			fail_msg("%s should be %s", cases[i].addr,
				 cases[i].private ? "private" : "public");
	}
}

/* URLs from remote documents: no controls, bidi or format characters,
 * no spaces of any kind; other non-ASCII text (IDNs, paths) is fine. */
static void test_url_ok(void **state)
{
	static const struct {
		const char *url;
		int ok;
	} cases[] = {
		{"https://x.example/users/bob", 1},
		{"http://x.example/users/bob#main-key", 1},
		/* b\u00fccher.example and a path in Japanese: fine */
		{"https://b\xc3\xbc"
		 "cher.example/\xe6\x97\xa5\xe6\x9c\xac",
		 1},
		{"ftp://x.example/", 0},
		{"https://x.example/a b", 0},
		{"https://x.example/a\tb", 0},
		{"https://x.example/\x7f", 0},
		{"https://x.example/\xc2\x85", 0}, /* U+0085 NEL (C1) */
		{"https://x.example/\xc2\x9b"
		 "31m",
		 0},						/* U+009B CSI (C1) */
		{"https://x.example/\xc2\xa0", 0},		/* no-break space */
		{"https://x.example/\xc2\xad", 0},		/* soft hyphen */
		{"https://x.example/\xd8\x9c", 0},		/* U+061C ALM */
		{"https://x.example/\xe2\x80\x8b", 0},		/* zero width space */
		{"https://x.example/\xe2\x80\x8e", 0},		/* LRM */
		{"https://x.example/\xe2\x80\x8f", 0},		/* RLM */
		{"https://x.example/\xe2\x80\xa8", 0},		/* line separator */
		{"https://x.example/\xe2\x80\xaa", 0},		/* LRE */
		{"https://x.example/\xe2\x80\xae/moc.evil", 0}, /* RLO */
		{"https://x.example/\xe2\x81\xa0", 0},		/* word joiner */
		{"https://x.example/\xe2\x81\xa6", 0},		/* LRI */
		{"https://x.example/\xe2\x81\xa9", 0},		/* PDI */
		{"https://x.example/\xe3\x80\x80", 0},		/* ideographic space */
		{"https://x.example/\xef\xbb\xbf", 0},		/* BOM */
		{"https://x.example/\xef\xbf\xb9", 0},		/* annotation anchor */
		{"https://x.example/\xf3\xa0\x80\x81", 0},	/* U+E0001 tag */
		{"https://x.example/\xff", 0},			/* not UTF-8 */
		{"https://x.example/\xc0\xaf", 0},		/* overlong */
		{NULL, 0},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		if (ap_url_ok(cases[i].url) != cases[i].ok)
			fail_msg("case %zu: %s should be %s", i,
				 cases[i].url ? cases[i].url : "(null)",
				 cases[i].ok ? "fine" : "refused");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addressing),
		cmocka_unit_test(test_values_or_arrays),
		cmocka_unit_test(test_note),
		cmocka_unit_test(test_ssrf),
		cmocka_unit_test(test_url_ok),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
