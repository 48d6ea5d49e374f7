/*
 * ap-check.c: the first look at an inbound document, before any key is
 * fetched or any row is touched: is it an activity camp handles, does it
 * have what that activity needs?  The answer says what the inbox will do
 * (accept, ignore with 202, refuse with 400) and why.
 *
 * Which checks an activity gets is its row in ap-activity.c: whether it
 * may come without an id or with an id off its actor's origin, and which
 * of the ap_check_*() functions here looks at the rest.  Documents that
 * are not activities (actors, notes: what a fetch returns) are told by
 * the actor and note type tables of ap-actor.c and ap-note.c.
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
	if (ap_url_ok(ap_first_id(doc, "object")))
		return 1;
	verdict(v, 0, 400, "%s without an object id", type);
	return 0;
}

void ap_check_object(json_t *doc, struct ap_verdict *v, const char *type)
{
	if (need_object_id(doc, v, type))
		verdict(v, 1, 202, "%s of %.100s", type, ap_first_id(doc, "object"));
}

/* A Create or Update carries a note (an Update may carry an actor, when
 * actors is set) or names one. */
static void check_carrier(json_t *doc, struct ap_verdict *v, const char *type, int actors)
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
	if (actors && ap_actor_parse(obj, &a) == 0) {
		verdict(v, 1, 202, "%s of actor %s", type, a.type);
		return;
	}
	const char *ot = ap_type(obj) ? ap_type(obj) : "no type";
	if (ap_note_type(obj) == NULL) {
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

void ap_check_create(json_t *doc, struct ap_verdict *v, const char *type)
{
	check_carrier(doc, v, type, 0);
}

void ap_check_update(json_t *doc, struct ap_verdict *v, const char *type)
{
	check_carrier(doc, v, type, 1);
}

/* 1 when obj is, among its types, an activity camp can undo. */
static int undoable(json_t *obj)
{
	for (size_t i = 0; i < ap_activity_count; i++)
		if (ap_activities[i].undo && ap_is_type(obj, ap_activities[i].type))
			return 1;
	return 0;
}

void ap_check_undo(json_t *doc, struct ap_verdict *v, const char *type)
{
	json_t *obj = ap_item(json_object_get(doc, "object"), 0);

	if (json_is_object(obj) && ap_type(obj) && !undoable(obj)) {
		verdict(v, 0, 202, "%s of %s: nothing camp keeps, ignored", type,
			ap_type(obj));
		return;
	}
	if (need_object_id(doc, v, type))
		verdict(v, 1, 202, "%s of %s", type,
			json_is_object(obj) && ap_type(obj) ? ap_type(obj) : "an id");
}

void ap_check_move(json_t *doc, struct ap_verdict *v, const char *type)
{
	if (!need_object_id(doc, v, type))
		return;
	if (!ap_url_ok(ap_first_id(doc, "target")))
		verdict(v, 0, 400, "%s without a target", type);
	else
		verdict(v, 1, 202, "%s recorded", type);
}

void ap_check_flag(json_t *doc, struct ap_verdict *v, const char *type)
{
	if (ap_len(json_object_get(doc, "object")) == 0)
		verdict(v, 0, 400, "%s without an object", type);
	else
		verdict(v, 1, 202, "%s kept for the moderation queue", type);
}

/* Documents that are not activities: actors and bare objects (what a
 * fetch returns).  1 when doc is one (v says what came of it). */
static int check_document(json_t *doc, struct ap_verdict *v)
{
	const char *type = ap_actor_type(doc);
	struct ap_actor a;
	struct ap_note n;

	if (type != NULL) {
		if (ap_actor_parse(doc, &a) == 0)
			verdict(v, 1, 200, "actor document (%s)", type);
		else
			verdict(v, 0, 400, "actor document (%s) refused: %s", type,
				err_last());
		return 1;
	}
	if ((type = ap_note_type(doc)) == NULL)
		return 0;
	if (ap_note_parse(doc, NULL, &n) == 0) {
		verdict(v, 1, 200, "object document (%s, %s)", ap_type(doc),
			visibility_name(n.visibility));
		ap_note_free(&n);
	} else {
		verdict(v, 0, 400, "object document (%s) refused: %s", ap_type(doc),
			err_last());
	}
	return 1;
}

/* An activity's id must sit on its actor's origin: a server speaks only
 * for its own ids.  Otherwise anyone could send a Like whose id is the id
 * another server will give its next Delete, or an Announce whose id is
 * another server's next note, and have camp take the real one for a
 * repeat.  Only a row marked id_anywhere (Undo: snac puts its Undo's id
 * under the unfollowed actor) may carry a foreign id: an Undo is
 * idempotent, so the inbox ignores such an id instead of refusing the
 * Undo.  1 if doc may go on. */
static int check_id(struct ap_verdict *v, const struct ap_activity *row, const char *id,
		    const char *actor)
{
	if (!ap_url_ok(id) && !row->id_optional) {
		verdict(v, 0, 400, "%s without an id", row->type);
		return 0;
	}
	if (id == NULL || ap_same_origin(id, actor) || row->id_anywhere)
		return 1;
	verdict(v, 0, 400, "%s whose id %.60s is not on its actor's origin", row->type,
		id);
	return 0;
}

const struct ap_activity *ap_check_activity(json_t *doc, struct ap_verdict *v)
{
	const char *type = ap_type(doc), *id = ap_str(doc, "id");
	const char *actor = ap_first_id(doc, "actor");
	const struct ap_activity *row;

	if (!json_is_object(doc) || type == NULL) {
		verdict(v, 0, 400, "no type");
		return NULL;
	}
	if (check_document(doc, v))
		return NULL;
	if ((row = ap_activity_find(type)) == NULL) {
		verdict(v, 0, 202,
			"%s is neither an activity nor an object camp handles; ignored",
			type);
		return NULL;
	}
	if (!ap_url_ok(actor)) {
		verdict(v, 0, 400, "%s without an actor", type);
		return NULL;
	}
	if (!check_id(v, row, id, actor))
		return NULL;
	row->check(doc, v, type);
	return v->accepted ? row : NULL;
}

void ap_check(json_t *doc, struct ap_verdict *v)
{
	ap_check_activity(doc, v);
}
