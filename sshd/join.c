/*
 * join.c: becoming a member through join@, by command or by the join
 * screen.
 *
 * `ssh join@HOST join CODE USERNAME` and the interactive screen both end
 * in sshd_join(), so the same limits apply to both: registrations may be
 * closed, each address may only try so many codes (the listener counts,
 * see link.c), and store_join() does the rest in one transaction.  This
 * file must never create a member any other way.
 */
#include "sshd/sshd.h"

#include <stdlib.h>
#include <string.h>

int sshd_join(struct store *st, const struct config *cfg, int link_fd,
	      const struct sshkey_info *key, const char *code, const char *username,
	      const char *display_name, int accept_coc, int64_t *account_id)
{
	struct join_request req = {
		.code = code,
		.username = username,
		.display_name = display_name,
		.key_type = key->type,
		.key_base64 = key->base64,
		.key_fingerprint = key->fingerprint,
		.max_members = cfg->max_members,
		.accept_coc = accept_coc,
	};
	int r;

	if (strcmp(cfg->registrations, "closed") == 0)
		return err_set(CAMP_EPERM,
			       "this camp is not taking new members right now");
	if ((r = username_check(username)) != 0) /* reserved names too */
		return r;
	if ((r = link_join_ask(link_fd)) != 0)
		return r;
	if ((r = store_join(st, &req, account_id)) != 0)
		return r;
	link_send(link_fd, LINK_JOIN_OK);
	log_info("%s joined the camp with %s %s", username, key->type, key->fingerprint);
	return 0;
}

int cmd_join(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct opt opts[] = {{NULL, 0, NULL, NULL}};
	char *pos[argc + 1];
	char name[64];
	int64_t id;
	int npos, r;

	if ((r = cmd_opts(ctx, argc, argv, opts, pos, &npos)) != 0)
		return r;
	if (npos != 2)
		return cmd_usage(ctx, "expected an invite code and a username");
	if (ctx->key == NULL)
		return err_set(CAMP_EINVAL, "joining needs an SSH key");
	if ((r = sshd_join(ctx->st, ctx->cfg, ctx->link_fd, ctx->key, pos[0], pos[1],
			   NULL, 1, &id)) != 0)
		return r;
	username_fold(pos[1], name, sizeof name);
	buf_printf(&ctx->out, "Welcome to %s, %s!  Your key %s is your login:\n  ",
		   ctx->cfg->camp_name, name, ctx->key->fingerprint);
	config_ssh_command(ctx->cfg, name, &ctx->out);
	buf_putc(&ctx->out, '\n');
	return 0;
}

const struct cmd_entry join_table[] = {
	{"join", "CODE USERNAME", "join the camp with an invite code", cmd_join, 0},
	{"help", "[COMMAND]", "list the commands", cmd_help_list, 0},
	{NULL, NULL, NULL, NULL, 0},
};
