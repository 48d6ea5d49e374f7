/*
 * cmd-args.c: a command's words turned into what its handler works on:
 * flags, post ids, accounts and the viewer who runs it.
 *
 * An account named "bob@example.social" that the camp has never seen is
 * looked up on its server, but not from here: the session asks the
 * federation child (lookup/lookup.h), the one process that fetches from
 * other servers, and reads the account it stored.  Nothing here decides
 * what a member may see.
 */
#include "sshd/sshd.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lookup/lookup.h"

int cmd_opts(struct cmd_ctx *ctx, int argc, char **argv, const struct opt *opts,
	     char **pos, int *npos)
{
	if (opts_parse(argc, argv, opts, pos, npos) != 0)
		return cmd_usage(ctx, err_last());
	pos[*npos] = NULL;
	return 0;
}

int cmd_parse_id(struct cmd_ctx *ctx, const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (s[0] == '#')
		s++;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0' || v <= 0)
		return cmd_usage(ctx, "expected a post id, such as 123");
	*id = v;
	return 0;
}

int cmd_resolve_acct(struct cmd_ctx *ctx, const char *acct, int64_t *id)
{
	struct account a;
	int r;

	if ((r = account_find(ctx->st, acct, ctx->cfg->domain, &a)) == 0) {
		*id = a.id;
		r = a.deleted_at
			    ? err_set(CAMP_ENOENT, "%s has left the camp", a.username)
			    : 0;
		account_free(&a);
		return r;
	}
	const char *name = acct[0] == '@' ? acct + 1 : acct;
	const char *at = strchr(name, '@');
	if (at == NULL || strcasecmp(at + 1, ctx->cfg->domain) == 0)
		return err_set(CAMP_ENOENT, "there is no member called %s", name);
	/* Someone elsewhere: the federation child asks their server. */
	if ((r = lookup_account(ctx->dir, name, LOOKUP_TIMEOUT_MAX_MS, id)) != 0)
		return err_set(r, "cannot find %s: %s", name, err_last());
	return 0;
}

int cmd_viewer(struct cmd_ctx *ctx, struct viewer **v)
{
	if (ctx->me == NULL)
		return err_set(CAMP_EPERM, "you are not logged in as a member");
	return viewer_member(ctx->st, ctx->me->id, v);
}
