/*
 * err.c: the last error message of this process.
 *
 * Every failure that a person may need to read is described once, where
 * it is first seen, and carried up as a code.  This file must never print
 * anything itself: the edge (a command, a screen, an HTTP reply) decides
 * how the message is shown.
 *
 * "Of this process" is really "of this thread": the federation child
 * serves HTTP from several threads, each with its own last error.
 */
#include "common.h"

#include <stdio.h>
#include <string.h>

static _Thread_local char last_msg[512];
static _Thread_local int last_code;

int err_set(int code, const char *fmt, ...)
{
	char tmp[sizeof last_msg];
	va_list ap;

	/* Format aside first: callers often wrap err_last() in a new message. */
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	memcpy(last_msg, tmp, sizeof last_msg);
	last_code = code;
	return code;
}

const char *err_name(int code)
{
	static const struct {
		int code;
		const char *name;
	} names[] = {
		{CAMP_OK, "success"},		{CAMP_ERR, "failed"},
		{CAMP_ENOMEM, "out of memory"}, {CAMP_EINVAL, "invalid input"},
		{CAMP_ENOENT, "not found"},	{CAMP_EEXIST, "already exists"},
		{CAMP_EPERM, "not allowed"},	{CAMP_EIO, "input/output error"},
		{CAMP_EDB, "database error"},	{CAMP_ETOOBIG, "too large"},
		{CAMP_ELIMIT, "limit reached"}, {CAMP_EVERSION, "made by a newer camp"},
		{CAMP_ETIMEDOUT, "timed out"},
	};

	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (names[i].code == code)
			return names[i].name;
	return "failed";
}

const char *err_last(void)
{
	if (last_msg[0] == '\0')
		return err_name(last_code);
	return last_msg;
}
