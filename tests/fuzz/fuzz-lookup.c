/*
 * fuzz-lookup.c: libFuzzer target for the lookup protocol's two parsers.
 * The request parser is the federation child's front door for every
 * member's session: whatever comes in, it must either refuse it or
 * give a handle that is valid by lookup_acct_check(), that formats
 * back into the very line it came from, and a time limit in range.
 * The answer parser must give an id above 0 or a known error with a
 * message that is one printable line.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lookup/lookup.h"

static void check_request(const char *data, size_t size)
{
	struct lookup_request req;
	struct buf again = BUF_INIT;

	if (lookup_request_parse(data, size, &req) != 0)
		return;
	if (lookup_acct_check(req.acct) != 0 || req.timeout_ms < 1 ||
	    req.timeout_ms > LOOKUP_TIMEOUT_MAX_MS)
		abort();
	if (lookup_request_format(req.acct, req.timeout_ms, &again) != 0 ||
	    again.len != size + 1 || memcmp(again.data, data, size) != 0)
		abort();
	buf_free(&again);
}

static void check_answer(const char *data, size_t size)
{
	int64_t id = 0;
	int r = lookup_answer_parse(data, size, &id);
	const char *msg = err_last();

	if (r == 0 && id <= 0)
		abort();
	if (r != 0 && (!utf8_valid(msg, strlen(msg), NULL) || strchr(msg, '\n')))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf answer = BUF_INIT;
	char *s = xstrndup((const char *)data, size);
	int64_t id;

	check_request((const char *)data, size);
	check_answer((const char *)data, size);
	/* Any message at all makes an answer that parses back. */
	lookup_answer_error(&answer, CAMP_ENOENT, s);
	if (answer.len > LOOKUP_LINE_MAX ||
	    lookup_answer_parse(answer.data, answer.len - 1, &id) != CAMP_ENOENT)
		abort();
	buf_free(&answer);
	free(s);
	return 0;
}
