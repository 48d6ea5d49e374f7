/*
 * test-ap-corpus.c: every real payload of the shared fixture corpus
 * (../shared/fixtures/activitypub beside the checkout, read in place and
 * never copied) goes through exactly what the inbox runs first: the JSON
 * parser and ap_check().  Each must come out accepted or rejected with a
 * stated reason (printed as a TAP comment), never crash or leak; a few
 * whose right answer is known are checked by name.
 *
 * When the folder is absent the test says so loudly and is skipped.
 */
#include "tests/unit/unit.h"

#include <dirent.h>
#include <sys/stat.h>

#include "federation/federation.h"

static const char *corpus_dir(void)
{
	const char *d = getenv("CAMP_AP_FIXTURES");

	return d ? d : "../shared/fixtures/activitypub";
}

/* What some files must come to (path, accepted, status). */
static const struct {
	const char *file;
	int accepted;
	int status;
} expected[] = {
	{"mastodon/follow.json", 1, 202},
	{"mastodon/create_note_cw_hashtag.json", 1, 202},
	{"mastodon/create_note_contentmap_only.json", 1, 202},
	{"mastodon/accept_follow_embedded.json", 1, 202},
	{"mastodon/undo_like_object_uri.json", 1, 202},
	{"mastodon/person.json", 1, 200},
	{"gotosocial/create_note.json", 1, 202},
	{"gotosocial/delete_note_no_id.json", 1, 202},
	{"pixelfed/create_note_reply_single_tag.json", 1, 202},
	{"snac/accept_follow.json", 1, 202},
	{"snac/undo_follow.json", 1, 202},
	{"lemmy/page.json", 0, 202},
	{"pleroma-akkoma/emoji_react.json", 0, 202},
	{"peertube/video.json", 0, 202},
};

struct tally {
	int files, accepted, rejected;
};

static void check_file(const char *root, const char *rel, struct tally *t)
{
	char *path = xasprintf("%s/%s", root, rel), *text = NULL;
	struct ap_verdict v = {0, 0, ""};
	size_t len = 0;
	json_t *doc;

	assert_int_equal(file_read(path, 4 << 20, &text, &len), 0);
	if ((doc = ap_parse(text, len)) == NULL) {
		v.status = 400;
		snprintf(v.reason, sizeof v.reason, "not a JSON object: %s", err_last());
	} else {
		ap_check(doc, &v);
		json_decref(doc);
	}
	assert_true(v.reason[0] != '\0');
	assert_true(v.status == 200 || v.status == 202 || v.status == 400);
	printf("# %s: %s (%d): %s\n", rel, v.accepted ? "accepted" : "rejected", v.status,
	       v.reason);
	for (size_t i = 0; i < ARRAY_LEN(expected); i++) {
		if (strcmp(expected[i].file, rel) != 0)
			continue;
		if (v.accepted != expected[i].accepted || v.status != expected[i].status)
			fail_msg("%s: expected %s (%d)", rel,
				 expected[i].accepted ? "accepted" : "rejected",
				 expected[i].status);
	}
	t->files++;
	t->accepted += v.accepted;
	t->rejected += !v.accepted;
	free(text);
	free(path);
}

static void walk(const char *root, const char *rel, struct tally *t)
{
	char *dir = rel[0] ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char *sub = rel[0] ? xasprintf("%s/%s", rel, name) : xstrdup(name);
		char *full = xasprintf("%s/%s", root, sub);
		struct stat sb;
		size_t len = strlen(name);
		if (name[0] != '.' && stat(full, &sb) == 0) {
			if (S_ISDIR(sb.st_mode))
				walk(root, sub, t);
			else if (len > 5 && strcmp(name + len - 5, ".json") == 0)
				check_file(root, sub, t);
		}
		free(sub);
		free(full);
		free(names[i]);
	}
	free(names);
	free(dir);
}

static void test_corpus(void **state)
{
	struct tally t = {0, 0, 0};
	struct stat sb;

	if (stat(corpus_dir(), &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		printf("# THE ACTIVITYPUB CORPUS IS ABSENT: %s does not exist, so the "
		       "corpus test did NOT run\n",
		       corpus_dir());
		skip();
	}
	walk(corpus_dir(), "", &t);
	printf("# %d files: %d accepted, %d rejected with a reason\n", t.files,
	       t.accepted, t.rejected);
	assert_true(t.files > 0);
	assert_true(t.accepted > t.files / 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
