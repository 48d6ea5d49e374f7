/*
 * ap-activity.c: the activity types camp takes in, one row each: what
 * ap_check() demands of it (ap-check.c), what the inbox fetches for it
 * before its transaction, what it does to the model, and how an Undo of
 * it is undone (inbox.c).  A type without a row is not an activity camp
 * handles: ap_check() answers it "ignored" (202) and the inbox does
 * nothing with it.
 *
 * The rows live here, apart from both files, because the two sides must
 * not lean on each other: ap_check() is a pure function of the JSON (the
 * corpus test and the fuzzer run it with no database), the handlers are
 * all database; each side sees the other only as a function pointer in a
 * row.  Adding an activity is adding a row here and its functions in
 * those two files; tests/unit/test-ap-activity.c fails when a row lacks
 * one of them.
 */
#include "federation/federation.h"

#include <string.h>

const struct ap_activity ap_activities[] = {
	{
		.type = "Create",
		.check = ap_check_create,
		.prefetch = inbox_fetch_created,
		.apply = inbox_create,
	},
	{
		.type = "Update",
		.check = ap_check_update,
		.apply = inbox_update,
	},
	{
		/* GoToSocial deletes without an id. */
		.type = "Delete",
		.id_optional = 1,
		.check = ap_check_object,
		.apply = inbox_delete,
		.unverified_ok = inbox_self_delete,
	},
	{
		.type = "Follow",
		.check = ap_check_object,
		.apply = inbox_follow,
		.undo = inbox_undo_follow,
	},
	{
		.type = "Accept",
		.check = ap_check_object,
		.apply = inbox_accept,
	},
	{
		.type = "Reject",
		.check = ap_check_object,
		.apply = inbox_reject,
	},
	{
		/* snac puts its Undo's id under the actor it unfollows. */
		.type = "Undo",
		.id_anywhere = 1,
		.check = ap_check_undo,
		.apply = inbox_undo,
	},
	{
		.type = "Like",
		.check = ap_check_object,
		.apply = inbox_like,
		.undo = inbox_undo_like,
	},
	{
		.type = "Announce",
		.check = ap_check_object,
		.prefetch = inbox_fetch_boosted,
		.apply = inbox_announce,
		.undo = inbox_undo_announce,
	},
	{
		.type = "Block",
		.check = ap_check_object,
		.apply = inbox_block,
		.undo = inbox_undo_block,
	},
	{
		.type = "Move",
		.check = ap_check_move,
		.apply = inbox_move,
	},
	{
		.type = "Flag",
		.check = ap_check_flag,
		.apply = inbox_flag,
	},
};

const size_t ap_activity_count = ARRAY_LEN(ap_activities);

const struct ap_activity *ap_activity_find(const char *type)
{
	for (size_t i = 0; type && i < ap_activity_count; i++)
		if (strcmp(ap_activities[i].type, type) == 0)
			return &ap_activities[i];
	return NULL;
}
