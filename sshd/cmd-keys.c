/*
 * cmd-keys.c: `keys [list|add KEY|remove FINGERPRINT]`: a member's SSH
 * keys.
 *
 * A new key is parsed with libssh and checked by a round trip
 * (sshkey_parse_line) before the store sees it; removing the last key is
 * refused by the store, so nobody locks themselves out.  This file never
 * prints a key of another member.
 */
#include "sshd/sshd.h"

#include <stdlib.h>
#include <string.h>

static int keys_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct ssh_key *keys;
	char added[32];
	int n, r;

	(void)argc, (void)argv;
	if ((r = key_list(ctx->st, ctx->me->id, &keys, &n)) != 0)
		return r;
	for (int i = 0; i < n; i++) {
		time_rfc3339(keys[i].created_at, added);
		buf_printf(&ctx->out, "%s  %s  added %.10s  ", keys[i].fingerprint,
			   keys[i].type, added);
		text_sanitize(&ctx->out, keys[i].comment, strlen(keys[i].comment), 0);
		if (ctx->key && strcmp(ctx->key->fingerprint, keys[i].fingerprint) == 0)
			buf_puts(&ctx->out,
				 keys[i].comment[0] ? " (this login)" : "(this login)");
		buf_putc(&ctx->out, '\n');
	}
	key_list_free(keys, n);
	return 0;
}

/* The key line: the words after `add` joined by spaces (ssh flattens
 * the command line anyway), or stdin when there are none. */
static int keys_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct sshkey_info k;
	struct buf line = BUF_INIT;
	const char *in;
	size_t len;
	int r;

	for (int i = 0; i < argc; i++)
		buf_printf(&line, "%s%s", i ? " " : "", argv[i]);
	if (argc == 0) {
		if ((r = cmd_stdin(ctx, &in, &len)) != 0)
			goto out;
		buf_append(&line, in, len);
	}
	if ((r = sshkey_parse_line(buf_str(&line), &k)) != 0)
		goto out;
	r = key_add(ctx->st, ctx->me->id, k.type, k.base64, k.fingerprint, k.comment);
	if (r == 0)
		buf_printf(&ctx->out, "added %s %s\n", k.fingerprint, k.type);
	sshkey_info_free(&k);
out:
	buf_free(&line);
	return r;
}

static int keys_remove(struct cmd_ctx *ctx, int argc, char **argv)
{
	int r = key_remove(ctx->st, ctx->me->id, argv[0]);

	(void)argc;
	if (r == 0)
		buf_printf(&ctx->out, "removed %s\n", argv[0]);
	return r;
}

/* The subcommands: name, the number of words after it (-1: any), and
 * the handler. */
static const struct {
	const char *name;
	int nargs;
	int (*run)(struct cmd_ctx *ctx, int argc, char **argv);
} keys_subcommands[] = {
	{"list", 0, keys_list},
	{"add", -1, keys_add},
	{"remove", 1, keys_remove},
};

int cmd_keys(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct opt opts[] = {{NULL, 0, NULL, NULL}};
	char *pos[argc + 1], *list[] = {"list", NULL};
	int npos, r;

	if ((r = cmd_opts(ctx, argc, argv, opts, pos, &npos)) != 0)
		return r;
	if (ctx->me == NULL)
		return err_set(CAMP_EPERM, "you are not logged in as a member");
	char **words = npos ? pos : list;
	for (size_t i = 0; i < ARRAY_LEN(keys_subcommands); i++) {
		int n = npos ? npos - 1 : 0, want = keys_subcommands[i].nargs;
		if (strcmp(words[0], keys_subcommands[i].name) == 0 &&
		    (want < 0 || want == n))
			return keys_subcommands[i].run(ctx, n, words + 1);
	}
	return cmd_usage(ctx, "expected list, add KEY or remove FINGERPRINT");
}
