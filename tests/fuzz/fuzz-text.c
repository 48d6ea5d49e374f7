/*
 * fuzz-text.c: libFuzzer target for the text every remote post goes
 * through: UTF-8 validation, text_parse() (mentions, hashtags, links,
 * with a small in-memory camp to resolve names against) and
 * text_sanitize(), whose output must never hold a control character or
 * invalid UTF-8, whatever came in.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

static struct store *camp;

/* A throwaway camp with one member and one remote account. */
static struct store *fuzz_camp(void)
{
	char dir[] = "/tmp/camp-fuzz-XXXXXX", *path;
	int64_t id;

	if (mkdtemp(dir) == NULL)
		abort();
	path = xasprintf("%s/camp.db", dir);
	if (store_open(path, STORE_CREATE, &camp) != 0 ||
	    account_upsert_remote(camp, "https://far.example/users/zed", "zed",
				  "far.example", "Zed", "", 0, &id) != 0)
		abort();
	free(path);
	return camp;
}

static void check_safe(const char *s, size_t n, int flags)
{
	struct buf out = BUF_INIT;

	text_sanitize(&out, s, n, flags);
	if (!utf8_valid(out.data ? out.data : "", out.len, NULL))
		abort();
	for (size_t i = 0; i < out.len; i++) {
		unsigned char c = (unsigned char)out.data[i];
		if ((c < 0x20 && !(c == '\n' && (flags & TEXT_MULTILINE))) || c == 0x7f)
			abort();
	}
	buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	size_t n = strlen(s);
	struct entity *e;
	int ne;

	if (camp == NULL) {
		log_set_level(LOG_ERROR);
		fuzz_camp();
	}
	check_safe((const char *)data, size, 0);
	check_safe((const char *)data, size, TEXT_MULTILINE | TEXT_NAME);
	if (utf8_valid(s, n, NULL) && text_parse(camp, s, "camp.example", &e, &ne) == 0) {
		for (int i = 0; i < ne; i++)
			if (e[i].start < 0 || e[i].end > (int)n ||
			    e[i].start >= e[i].end ||
			    !utf8_valid(e[i].value, strlen(e[i].value), NULL))
				abort();
		entities_free(e, ne);
	}
	free(s);
	return 0;
}
