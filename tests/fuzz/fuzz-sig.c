/*
 * fuzz-sig.c: libFuzzer target for the parts of signature checking that
 * read what a peer sends: the Signature header, Digest and HTTP dates.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "federation/federation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct sig_params p;
	int64_t t;

	memcpy(s, data, size);
	s[size] = '\0';
	if (sig_parse(s, &p) == 0)
		sig_params_free(&p);
	digest_check(s, data, size);
	http_date_parse(s, &t);
	free(s);
	return 0;
}
