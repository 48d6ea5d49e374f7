/*
 * fuzz-html.c: libFuzzer target for html_to_text(), which reduces every
 * remote post and profile to text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "federation/federation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct html_mention m[] = {{"https://x.example/users/a", "a@x.example"}};
	char *text = html_to_text((const char *)data, size, m, 1);

	/* What comes out is valid UTF-8 without control characters. */
	size_t n = strlen(text);
	if (!utf8_valid(text, n, NULL))
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)text[i] < 0x20 && text[i] != '\n')
			abort();
	free(text);
	return 0;
}
