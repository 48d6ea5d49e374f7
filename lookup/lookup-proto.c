/*
 * lookup-proto.c: the two lines of a remote-account lookup, written and
 * read: "account NAME@HOST MS" one way, "ok ID" or "error CODE MESSAGE"
 * the other (lookup.h has the whole protocol).
 *
 * The request parser is the federation child's front door for every
 * member's session, so it is strict and knows no second spelling: one
 * space between words, a handle of plain ASCII, a bounded number.
 * Nothing here reads a socket; the fuzz target feeds the parser bytes.
 */
#include "lookup/lookup.h"

#include <stdlib.h>
#include <string.h>

/* Error codes by their names on the wire. */
static const struct {
	int code;
	const char *name;
} codes[] = {
	{CAMP_ERR, "err"},	     {CAMP_ENOMEM, "enomem"},
	{CAMP_EINVAL, "einval"},     {CAMP_ENOENT, "enoent"},
	{CAMP_EEXIST, "eexist"},     {CAMP_EPERM, "eperm"},
	{CAMP_EIO, "eio"},	     {CAMP_EDB, "edb"},
	{CAMP_ETOOBIG, "etoobig"},   {CAMP_ELIMIT, "elimit"},
	{CAMP_EVERSION, "eversion"}, {CAMP_ETIMEDOUT, "etimedout"},
};

static const char *code_name(int code)
{
	for (size_t i = 0; i < ARRAY_LEN(codes); i++)
		if (codes[i].code == code)
			return codes[i].name;
	return "err";
}

/* The code named by s[0..len), or 0 when none is. */
static int code_of(const char *s, size_t len)
{
	for (size_t i = 0; i < ARRAY_LEN(codes); i++)
		if (strlen(codes[i].name) == len && memcmp(codes[i].name, s, len) == 0)
			return codes[i].code;
	return 0;
}

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int name_ok(const char *s, size_t len)
{
	if (len == 0 || len > LOOKUP_NAME_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!is_alnum(s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
			return 0;
	return 1;
}

/* A decimal number in [min, max] without sign or leading zeros. */
static int number_ok(const char *s, size_t len, long long min, long long max,
		     long long *out)
{
	long long v = 0;

	if (len == 0 || len > 18 || (s[0] == '0' && len > 1))
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	if (v < min || v > max)
		return 0;
	*out = v;
	return 1;
}

/* Dot-separated labels of letters, digits and '-' (not at either end),
 * each of 1 to 63 bytes. */
static int host_ok(const char *s, size_t len)
{
	size_t label = 0;

	if (len == 0 || len > LOOKUP_HOST_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
		} else if (is_alnum(s[i]) || (s[i] == '-' && label > 0)) {
			if (++label > 63)
				return 0;
		} else {
			return 0;
		}
	}
	return label > 0 && s[len - 1] != '-';
}

/* The checks of lookup_acct_check() on s[0..len). */
static int acct_ok(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len), *colon;
	long long port;

	if (at == NULL || !name_ok(s, (size_t)(at - s)))
		return 0;
	const char *host = at + 1, *end = s + len;
	if ((colon = memchr(host, ':', (size_t)(end - host))) == NULL)
		return host_ok(host, (size_t)(end - host));
	return host_ok(host, (size_t)(colon - host)) &&
	       number_ok(colon + 1, (size_t)(end - colon - 1), 1, 65535, &port);
}

int lookup_acct_check(const char *acct)
{
	if (!acct_ok(acct, strlen(acct)))
		return err_set(CAMP_EINVAL, "expected an account such as "
					    "bob@example.social");
	return 0;
}

int lookup_request_format(const char *acct, int timeout_ms, struct buf *out)
{
	int r;

	buf_reset(out);
	if ((r = lookup_acct_check(acct)) != 0)
		return r;
	if (timeout_ms < 1 || timeout_ms > LOOKUP_TIMEOUT_MAX_MS)
		return err_set(CAMP_EINVAL, "a lookup may take 1 to %d ms",
			       LOOKUP_TIMEOUT_MAX_MS);
	buf_printf(out, "account %s %d\n", acct, timeout_ms);
	return 0;
}

int lookup_request_parse(const char *line, size_t len, struct lookup_request *out)
{
	static const char verb[] = "account ";
	const size_t vlen = sizeof verb - 1;
	const char *acct, *sp;
	long long ms;

	if (len > LOOKUP_LINE_MAX || len < vlen || memcmp(line, verb, vlen) != 0)
		return err_set(CAMP_EINVAL, "expected: account NAME@HOST MS");
	acct = line + vlen;
	sp = memchr(acct, ' ', len - vlen);
	if (sp == NULL || !acct_ok(acct, (size_t)(sp - acct)) ||
	    (size_t)(sp - acct) >= sizeof out->acct)
		return err_set(CAMP_EINVAL, "expected an account such as "
					    "bob@example.social");
	if (!number_ok(sp + 1, (size_t)(line + len - sp - 1), 1, LOOKUP_TIMEOUT_MAX_MS,
		       &ms))
		return err_set(CAMP_EINVAL, "expected a time limit of 1 to %d ms",
			       LOOKUP_TIMEOUT_MAX_MS);
	memcpy(out->acct, acct, (size_t)(sp - acct));
	out->acct[sp - acct] = '\0';
	out->timeout_ms = (int)ms;
	return 0;
}

void lookup_answer_ok(struct buf *out, int64_t account_id)
{
	buf_reset(out);
	buf_printf(out, "ok %lld\n", (long long)account_id);
}

/* Appends msg as one line of printable text: valid UTF-8 is kept, C0
 * controls, DEL and invalid bytes become '?', and it is cut at a
 * character boundary to LOOKUP_MSG_MAX bytes. */
static void put_message(struct buf *out, const char *msg)
{
	size_t len = strlen(msg), used = 0, put = 0;
	uint32_t cp;

	if (len == 0)
		msg = "failed", len = 6;
	while (used < len) {
		int n = utf8_decode(msg + used, len - used, &cp);
		int bad = n < 0 || cp < 0x20 || cp == 0x7f;
		size_t w = bad ? 1 : (size_t)n;
		if (put + w > LOOKUP_MSG_MAX)
			break;
		if (bad)
			buf_putc(out, '?');
		else
			buf_append(out, msg + used, w);
		used += w;
		put += w;
	}
}

void lookup_answer_error(struct buf *out, int code, const char *msg)
{
	buf_reset(out);
	buf_printf(out, "error %s ", code_name(code < 0 ? code : CAMP_ERR));
	put_message(out, msg);
	buf_putc(out, '\n');
}

/* 1 if s[0..len) is printable UTF-8 without controls. */
static int message_ok(const char *s, size_t len)
{
	if (len == 0 || len > LOOKUP_MSG_MAX || !utf8_valid(s, len, NULL))
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

int lookup_answer_parse(const char *line, size_t len, int64_t *account_id)
{
	const char *sp;
	long long id;
	int code;

	if (len > 3 && memcmp(line, "ok ", 3) == 0 &&
	    number_ok(line + 3, len - 3, 1, INT64_MAX, &id)) {
		*account_id = id;
		return 0;
	}
	if (len > 6 && memcmp(line, "error ", 6) == 0 &&
	    (sp = memchr(line + 6, ' ', len - 6)) != NULL &&
	    (code = code_of(line + 6, (size_t)(sp - line - 6))) != 0 &&
	    message_ok(sp + 1, (size_t)(line + len - sp - 1)))
		return err_set(code, "%.*s", (int)(line + len - sp - 1), sp + 1);
	return err_set(CAMP_EINVAL, "the federation process gave an answer the camp "
				    "cannot read");
}
