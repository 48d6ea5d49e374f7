/*
 * cmd.c: the table of commands members run over ssh, and its dispatcher.
 *
 * `ssh NAME@HOST COMMAND [ARGS]` arrives as one line; it is split into
 * words (words_split), the first word is looked up in a table and its
 * handler runs against a struct cmd_ctx.  The exit status is 0 for
 * success, 1 with one line on stderr for a person's error, 2 for a usage
 * error.  Nothing here touches SSH: the same dispatcher runs in unit
 * tests against a temporary database.  This file must never decide what
 * a member may see; the store does.
 */
#include "sshd/sshd.h"

#include <stdlib.h>
#include <string.h>

const struct cmd_entry cmd_table[] = {
	{"whoami", "[--json]", "who you are logged in as", cmd_whoami, 0},
	{"post", "[--cw TEXT] [--visibility LEVEL] [--reply-to ID] [TEXT]",
	 "write a post (TEXT or stdin); prints its id", cmd_post, 0},
	{"timeline",
	 "[home|camp|federated|notifications|dms|tag NAME] [--json] [--limit N] "
	 "[--max-id ID]",
	 "read a timeline, newest first", cmd_timeline, 0},
	{"show", "ID [--json]", "show a post in its thread", cmd_show, 0},
	{"follow", "ACCT", "follow someone (name, or name@server)", cmd_follow, 0},
	{"unfollow", "ACCT", "stop following someone", cmd_unfollow, 0},
	{"requests", "[accept ACCT|reject ACCT]",
	 "follow requests waiting for you (if you approve followers)", cmd_requests, 0},
	{"mute", "ACCT", "hide someone's posts from your timelines", cmd_mute, 0},
	{"unmute", "ACCT", "show someone's posts again", cmd_unmute, 0},
	{"block", "ACCT", "block someone: neither of you sees the other", cmd_block, 0},
	{"unblock", "ACCT", "unblock someone", cmd_unblock, 0},
	{"dm", "ACCT [TEXT]", "send a direct message (TEXT or stdin)", cmd_dm, 0},
	{"boost", "ID", "boost a post", cmd_boost, 0},
	{"unboost", "ID", "take a boost back", cmd_unboost, 0},
	{"fav", "ID", "favourite a post", cmd_fav, 0},
	{"unfav", "ID", "take a favourite back", cmd_unfav, 0},
	{"edit", "ID [--cw TEXT] [TEXT]", "edit your post (TEXT or stdin)", cmd_edit, 0},
	{"delete", "ID", "delete your post", cmd_delete, 0},
	{"profile",
	 "[ACCT] [--json] | --name TEXT | --intro TEXT | --visibility LEVEL | "
	 "--locked yes|no",
	 "show a profile, or change yours", cmd_profile, 0},
	{"directory", "[--json]", "list the camp's members", cmd_directory, 0},
	{"keys", "[list|add KEY|remove FINGERPRINT]", "your SSH keys", cmd_keys, 0},
	{"help", "[COMMAND]", "list the commands", cmd_help_list, 0},
	{NULL, NULL, NULL, NULL, 0},
};

void cmd_ctx_init(struct cmd_ctx *ctx)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->link_fd = -1;
}

void cmd_ctx_free(struct cmd_ctx *ctx)
{
	buf_free(&ctx->out);
	buf_free(&ctx->err);
	buf_free(&ctx->in);
}

static int is_admin(const struct cmd_ctx *ctx)
{
	return ctx->me != NULL && ctx->me->is_admin;
}

static const struct cmd_entry *cmd_find(const struct cmd_ctx *ctx,
					const struct cmd_entry *table, const char *name)
{
	for (const struct cmd_entry *c = table; c->name; c++)
		if (strcmp(c->name, name) == 0 &&
		    (!(c->flags & CMD_ADMIN) || is_admin(ctx)))
			return c;
	return NULL;
}

/* The entry being run, found again by handler for cmd_usage(). */
static const struct cmd_entry *cmd_current;

/* Appends one line of an error to stderr.  Messages can quote what came
 * from elsewhere (a remote server's answer, a word typed), so they pass
 * through text_sanitize like everything else a terminal is shown. */
static void err_line(struct cmd_ctx *ctx, const char *prefix, const char *msg)
{
	buf_puts(&ctx->err, prefix);
	text_sanitize(&ctx->err, msg, strlen(msg), 0);
	buf_putc(&ctx->err, '\n');
}

int cmd_usage(struct cmd_ctx *ctx, const char *why)
{
	const struct cmd_entry *c = cmd_current;

	if (why) {
		char *prefix = c ? xasprintf("%s: ", c->name) : xstrdup("");
		err_line(ctx, prefix, why);
		free(prefix);
	}
	if (c)
		buf_printf(&ctx->err, "usage: %s %s\n", c->name, c->usage);
	return CMD_EUSAGE;
}

int cmd_stdin(struct cmd_ctx *ctx, const char **data, size_t *len)
{
	int r;

	if (!ctx->in_done && ctx->read_input) {
		buf_reset(&ctx->in);
		if ((r = ctx->read_input(ctx->io, &ctx->in, CMD_STDIN_MAX)) != 0)
			return r;
	}
	ctx->in_done = 1;
	if (ctx->in.len > CMD_STDIN_MAX)
		return err_set(CAMP_ETOOBIG, "the input is larger than %d KB",
			       CMD_STDIN_MAX / 1024);
	*data = buf_str(&ctx->in);
	*len = ctx->in.len;
	return 0;
}

/* Maps a handler's result to an exit status, with one line on stderr. */
static int cmd_status(struct cmd_ctx *ctx, int r)
{
	if (r == 0)
		return 0;
	if (r == CMD_EUSAGE)
		return 2;
	err_line(ctx, "", err_last());
	return 1;
}

int cmd_run(struct cmd_ctx *ctx, const struct cmd_entry *table, int argc, char **argv)
{
	const struct cmd_entry *c;
	int r;

	ctx->table = table;
	if (argc < 1) {
		buf_puts(&ctx->err, "usage: COMMAND [ARGS]; try: help\n");
		return 2;
	}
	if ((c = cmd_find(ctx, table, argv[0])) == NULL) {
		struct buf name = BUF_INIT;
		text_sanitize(&name, argv[0], strlen(argv[0]), TEXT_NAME);
		buf_printf(&ctx->err, "unknown command '%s'; try: help\n",
			   buf_str(&name));
		buf_free(&name);
		return 2;
	}
	cmd_current = c;
	r = c->run(ctx, argc - 1, argv + 1);
	cmd_current = NULL;
	return cmd_status(ctx, r);
}

int cmd_run_line(struct cmd_ctx *ctx, const struct cmd_entry *table, const char *line)
{
	char **argv;
	int argc, status;

	if (words_split(line, &argv, &argc) != 0) {
		ctx->table = table;
		err_line(ctx, "", err_last());
		return 2;
	}
	status = cmd_run(ctx, table, argc, argv);
	words_free(argv);
	return status;
}

static void help_one(struct cmd_ctx *ctx, const struct cmd_entry *c)
{
	buf_printf(&ctx->out, "  %s %s\n      %s\n", c->name, c->usage, c->summary);
}

int cmd_help_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *c;

	if (argc > 1)
		return cmd_usage(ctx, "expected at most one command name");
	if (argc == 1) {
		if ((c = cmd_find(ctx, ctx->table, argv[0])) == NULL)
			return cmd_usage(ctx, "no such command");
		help_one(ctx, c);
		return 0;
	}
	buf_puts(&ctx->out, "Commands (run one with: ssh ... COMMAND [ARGS]):\n");
	for (c = ctx->table; c->name; c++)
		if (!(c->flags & CMD_ADMIN) || is_admin(ctx))
			help_one(ctx, c);
	return 0;
}
