/*
 * cmd-whoami.c: `whoami [--json]`: the member this connection speaks for.
 *
 * Prints the acct, the full fediverse handle, the display name and
 * whether the member is an admin.  It only reads; it must never change
 * the account.
 */
#include "sshd/sshd.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void whoami_json(struct cmd_ctx *ctx, const char *acct)
{
	json_t *o = json_object();
	char *text;

	json_object_set_new(o, "acct", json_string(acct));
	json_object_set_new(o, "handle", json_sprintf("%s@%s", acct, ctx->cfg->domain));
	json_object_set_new(o, "display_name", json_string(ctx->me->display_name));
	json_object_set_new(o, "admin", json_boolean(ctx->me->is_admin));
	text = json_dumps(o, JSON_COMPACT);
	buf_printf(&ctx->out, "%s\n", text ? text : "{}");
	free(text);
	json_decref(o);
}

static void whoami_text(struct cmd_ctx *ctx, const char *acct)
{
	const char *dn = ctx->me->display_name;

	buf_printf(&ctx->out, "acct: %s\nhandle: @%s@%s\ndisplay name: ", acct, acct,
		   ctx->cfg->domain);
	text_sanitize(&ctx->out, dn, strlen(dn), TEXT_NAME);
	buf_printf(&ctx->out, "\nadmin: %s\n", ctx->me->is_admin ? "yes" : "no");
}

int cmd_whoami(struct cmd_ctx *ctx, int argc, char **argv)
{
	int json = 0, npos, r;
	const struct opt opts[] = {{"json", 0, NULL, &json}, {NULL, 0, NULL, NULL}};
	char *pos[argc + 1];
	char *acct;

	if ((r = cmd_opts(ctx, argc, argv, opts, pos, &npos)) != 0)
		return r;
	if (npos != 0)
		return cmd_usage(ctx, "takes no arguments");
	if (ctx->me == NULL)
		return err_set(CAMP_EPERM, "you are not logged in as a member");
	acct = account_acct(ctx->me);
	if (json)
		whoami_json(ctx, acct);
	else
		whoami_text(ctx, acct);
	free(acct);
	return 0;
}
