/*
 * fuzz-ap.c: libFuzzer target for what the inbox runs on a body before
 * any key or row is touched: the JSON parser, ap_check() (activity,
 * actor and note parsing) and, for notes, ap_note_parse().
 */
#include <stddef.h>
#include <stdint.h>

#include "federation/federation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ap_verdict v;
	struct ap_note n;
	json_t *doc = ap_parse((const char *)data, size);

	if (doc == NULL)
		return 0;
	ap_check(doc, &v);
	if (ap_note_parse(json_object_get(doc, "object"), NULL, &n) == 0)
		ap_note_free(&n);
	json_decref(doc);
	return 0;
}
