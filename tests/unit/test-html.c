/*
 * test-html.c: remote HTML reduced to text (links and mentions kept,
 * markup, scripts and control characters gone) and member text turned
 * into HTML.
 */
#include "tests/unit/unit.h"

#include "federation/federation.h"

static void expect_text(const char *html, const char *want)
{
	char *got = html_to_text(html, strlen(html), NULL, 0);

	assert_string_equal(got, want);
	free(got);
}

static void test_paragraphs(void **state)
{
	expect_text("<p>Hello</p><p>world</p>", "Hello\n\nworld");
	expect_text("<p>one<br>two<br/>three</p>", "one\ntwo\nthree");
	expect_text("  <p>  spaced   out \n text </p> ", "spaced out text");
	expect_text("plain text, no tags", "plain text, no tags");
	expect_text("", "");
	expect_text("<ul><li>a</li><li>b</li></ul>", "- a\n- b");
	expect_text("<pre>  keep\n  this</pre>", "keep\n  this");
}

static void test_entities_and_hostile(void **state)
{
	expect_text("<p>a &lt;b&gt; &amp; &quot;c&quot; &#x1F600;</p>",
		    "a <b> & \"c\" \xF0\x9F\x98\x80");
	expect_text("<p>hi<script>alert(1)</script><style>p{}</style> there</p>",
		    "hi there");
	expect_text("<p>bell\x07 and esc\x1b[31m red</p>", "bell and esc[31m red");
	expect_text("<p>unclosed <b>bold <i>it", "unclosed bold it");
	expect_text("<img src=x alt=\":blob:\"> emoji", ":blob: emoji");
}

static void test_links_and_mentions(void **state)
{
	/* Mastodon's shortened link: the full URL is in the spans. */
	expect_text(
		"<p><a href=\"https://example.com/a/long/path\" rel=\"nofollow\">"
		"<span class=\"invisible\">https://</span><span class=\"ellipsis\">"
		"example.com/a/lo</span><span class=\"invisible\">ng/path</span></a></p>",
		"https://example.com/a/long/path");
	expect_text("<p>see <a href=\"https://example.com/x\">this page</a></p>",
		    "see this page <https://example.com/x>");
	expect_text("<p><span class=\"h-card\"><a href=\"https://social.example/@bob\" "
		    "class=\"u-url mention\">@<span>bob</span></a></span> hi</p>",
		    "@bob@social.example hi");
	expect_text("<p><a href=\"https://social.example/tags/camp\" class=\"mention "
		    "hashtag\" rel=\"tag\">#<span>camp</span></a></p>",
		    "#camp");
	expect_text("<p><a href=\"javascript:alert(1)\">click</a></p>", "click");

	/* The note's Mention tags name the account exactly. */
	struct html_mention m[] = {{"https://x.example/users/42", "@carol@x.example"}};
	const char *h = "<p><a href=\"https://x.example/users/42\" class=\"mention\">"
			"@carol</a> yes</p>";
	char *got = html_to_text(h, strlen(h), m, 1);
	assert_string_equal(got, "@carol@x.example yes");
	free(got);
}

static void test_text_to_html(void **state)
{
	struct buf b = BUF_INIT;
	struct entity e[] = {
		{ENTITY_TAG, 6, 11, "camp", 0},
		{ENTITY_URL, 12, 31, "https://example.com", 0},
	};

	text_to_html(&b, "hello #camp https://example.com <b>&\n\nbye\nnow", e, 2, NULL,
		     NULL, "https://c.example");
	assert_string_equal(
		b.data,
		"<p>hello <a href=\"https://c.example/tags/camp\" class=\"mention "
		"hashtag\" "
		"rel=\"tag\">#<span>camp</span></a> <a href=\"https://example.com\" "
		"rel=\"nofollow noopener noreferrer\">https://example.com</a> "
		"&lt;b&gt;&amp;</p><p>bye<br>now</p>");
	/* and back */
	char *t = html_to_text(b.data, b.len, NULL, 0);
	assert_string_equal(t, "hello #camp https://example.com <b>&\n\nbye\nnow");
	free(t);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paragraphs),
		cmocka_unit_test(test_entities_and_hostile),
		cmocka_unit_test(test_links_and_mentions),
		cmocka_unit_test(test_text_to_html),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
