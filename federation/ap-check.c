/*
 * ap-check.c: the first look at an inbound document, before any key is
 * fetched or any row is touched: is it an activity camp handles, does it
 * have what that activity needs?  The answer says what the inbox will do
 * (accept, ignore with 202, refuse with 400) and why.
 *
 * It is a pure function of the JSON, so the corpus test can run every
 * real payload of the fixture folder through exactly what the inbox
 * runs.  It must never fetch, store or trust anything.
 */
#include "federation/federation.h"

#include <stdarg.h>
#include <string.h>

static void verdict(struct ap_verdict *v, int accepted, int status, const char *fmt, ...)
	CAMP_PRINTF(4, 5);

static void verdict(struct ap_verdict *v, int accepted, int status, const char *fmt, ...)
{
	va_list ap;

	v->accepted = accepted;
	v->status = status;
	va_start(ap, fmt);
	vsnprintf(v->reason, sizeof v->reason, fmt, ap);
	va_end(ap);
}

/* The object must at least name something. */
static int need_object_id(json_t *doc, struct ap_verdict *v, const char *type)
{
	if (ap_url_ok(ap_id(ap_item(json_object_get(doc, "object"), 0))))
		return 1;
	verdict(v, 0, 400, "%s without an object id", type);
	return 0;
}

static void check_simple(json_t *doc, struct ap_verdict *v, const char *type)
{
	if (need_object_id(doc, v, type))
		verdict(v, 1, 202, "%s of %.100s", type,
			ap_id(ap_item(json_object_get(doc, "object"), 0)));
}

/* Create and Update carry a note (or, for Update, an actor). */
static void check_carrier(json_t *doc, struct ap_verdict *v, const char *type)
{
	json_t *obj = ap_item(json_object_get(doc, "object"), 0);
	struct ap_note n;
	struct ap_actor a;

	if (json_is_string(obj)) {
		verdict(v, 1, 202, "%s by reference: the object is fetched", type);
		return;
	}
	if (!json_is_object(obj)) {
		verdict(v, 0, 400, "%s without an object", type);
		return;
	}
	if (strcmp(type, "Update") == 0 && ap_actor_parse(obj, &a) == 0) {
		verdict(v, 1, 202, "Update of actor %s", a.type);
		return;
	}
	const char *ot = ap_type(obj) ? ap_type(obj) : "no type";
	if (!ap_is_type(obj, "Note") && !ap_is_type(obj, "Article") &&
	    !ap_is_type(obj, "Question")) {
		verdict(v, 0, 202, "%s of %s: not something camp shows, ignored", type,
			ot);
		return;
	}
	if (ap_note_parse(obj, NULL, &n) != 0) {
		verdict(v, 0, 400, "%s of a malformed %s: %s", type, ot, err_last());
		return;
	}
	verdict(v, 1, 202, "%s of %s (%s%s%s)", type, ot, visibility_name(n.visibility),
		n.in_reply_to ? ", a reply" : "",
		n.cw[0] ? ", with a content warning" : "");
	ap_note_free(&n);
}

static void check_undo(json_t *doc, struct ap_verdict *v, const char *type)
{
	json_t *obj = ap_item(json_object_get(doc, "object"), 0);

	(void)type;
	if (json_is_object(obj) && ap_type(obj) && !ap_is_type(obj, "Follow") &&
	    !ap_is_type(obj, "Like") && !ap_is_type(obj, "Announce") &&
	    !ap_is_type(obj, "Block")) {
		verdict(v, 0, 202, "Undo of %s: nothing camp keeps, ignored",
			ap_type(obj));
		return;
	}
	if (need_object_id(doc, v, "Undo"))
		verdict(v, 1, 202, "Undo of %s",
			json_is_object(obj) && ap_type(obj) ? ap_type(obj) : "an id");
}

static void check_move(json_t *doc, struct ap_verdict *v, const char *type)
{
	if (!need_object_id(doc, v, type))
		return;
	if (!ap_url_ok(ap_id(ap_item(json_object_get(doc, "target"), 0))))
		verdict(v, 0, 400, "Move without a target");
	else
		verdict(v, 1, 202, "Move recorded");
}

static void check_flag(json_t *doc, struct ap_verdict *v, const char *type)
{
	(void)type;
	if (ap_len(json_object_get(doc, "object")) == 0)
		verdict(v, 0, 400, "Flag without an object");
	else
		verdict(v, 1, 202, "Flag kept for the moderation queue");
}

static const struct {
	const char *type;
	void (*check)(json_t *doc, struct ap_verdict *v, const char *type);
} checks[] = {
	{"Follow", check_simple}, {"Accept", check_simple},   {"Reject", check_simple},
	{"Undo", check_undo},	  {"Create", check_carrier},  {"Update", check_carrier},
	{"Delete", check_simple}, {"Announce", check_simple}, {"Like", check_simple},
	{"Block", check_simple},  {"Move", check_move},	      {"Flag", check_flag},
};

static const char *const actor_types[] = {"Person", "Service", "Application", "Group",
					  "Organization"};

/* Documents that are not activities: actors and bare objects (what a
 * fetch returns). */
static int check_document(json_t *doc, struct ap_verdict *v, const char *type)
{
	struct ap_actor a;
	struct ap_note n;

	for (size_t i = 0; i < ARRAY_LEN(actor_types); i++) {
		if (strcmp(type, actor_types[i]) != 0)
			continue;
		if (ap_actor_parse(doc, &a) == 0)
			verdict(v, 1, 200, "actor document (%s)", type);
		else
			verdict(v, 0, 400, "actor document (%s) refused: %s", type,
				err_last());
		return 1;
	}
	if (ap_is_type(doc, "Note") || ap_is_type(doc, "Article") ||
	    ap_is_type(doc, "Question")) {
		if (ap_note_parse(doc, NULL, &n) == 0) {
			verdict(v, 1, 200, "object document (%s, %s)", type,
				visibility_name(n.visibility));
			ap_note_free(&n);
		} else {
			verdict(v, 0, 400, "object document (%s) refused: %s", type,
				err_last());
		}
		return 1;
	}
	return 0;
}

/* An activity's id must sit on its actor's origin: a server speaks only
 * for its own ids.  Otherwise anyone could send a Like whose id is the id
 * another server will give its next Delete, or an Announce whose id is
 * another server's next note, and have camp take the real one for a
 * repeat.  Only an Undo may carry a foreign id (snac puts its Undo's id
 * under the unfollowed actor): an Undo is idempotent, so the inbox
 * ignores such an id instead of refusing the Undo.  1 if doc may go on. */
static int check_id_origin(struct ap_verdict *v, const char *type, const char *id,
			   const char *actor)
{
	if (id == NULL || ap_same_origin(id, actor) || strcmp(type, "Undo") == 0)
		return 1;
	verdict(v, 0, 400, "%s whose id %.60s is not on its actor's origin", type, id);
	return 0;
}

void ap_check(json_t *doc, struct ap_verdict *v)
{
	const char *type = ap_type(doc), *id = ap_str(doc, "id");
	const char *actor = ap_id(ap_item(json_object_get(doc, "actor"), 0));

	if (!json_is_object(doc) || type == NULL) {
		verdict(v, 0, 400, "no type");
		return;
	}
	if (check_document(doc, v, type))
		return;
	for (size_t i = 0; i < ARRAY_LEN(checks); i++) {
		if (strcmp(checks[i].type, type) != 0)
			continue;
		if (!ap_url_ok(actor)) {
			verdict(v, 0, 400, "%s without an actor", type);
			return;
		}
		if (!ap_url_ok(id) && strcmp(type, "Delete") != 0) {
			verdict(v, 0, 400, "%s without an id", type);
			return;
		}
		if (!check_id_origin(v, type, id, actor))
			return;
		checks[i].check(doc, v, type);
		return;
	}
	verdict(v, 0, 202,
		"%s is neither an activity nor an object camp handles; ignored", type);
}
