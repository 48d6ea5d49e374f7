/*
 * cmd-ui.c: `camp ui DIR USERNAME`: for development and tests, a
 * member's full-screen client on this terminal, as an ssh login would
 * give it, without the ssh.  It is the real client, never a way around
 * it: the same tui_run() with the same store.
 */
#include "cli/cli.h"

#include "store/store.h"
#include "tui/tui.h"

static int ui_run(int argc, char **argv);

const struct cli_entry cli_ui_entry = {
	"ui",
	"ui DIR USERNAME [--first-login]",
	"(for development and testing) a member's client on this terminal",
	ui_run,
};

static int ui_run(int argc, char **argv)
{
	int first = 0, npos, r = 1;
	const struct opt opts[] = {{"first-login", 0, NULL, &first},
				   {NULL, 0, NULL, NULL}};
	char *pos[argc + 1];
	struct config cfg;
	struct store *st;
	struct account me;

	if (opts_parse(argc, argv, opts, pos, &npos) != 0)
		return cli_usage(&cli_ui_entry, err_last());
	if (npos != 2)
		return cli_usage(&cli_ui_entry, "expected a folder and a member");
	if (camp_dir_open(pos[0], &cfg, &st) != 0)
		return cli_fail();
	if (account_get_member(st, pos[1], &me) == 0) {
		struct tui_args args = {.dir = pos[0],
					.cfg = &cfg,
					.st = st,
					.account_id = me.id,
					.first_login = first,
					.motd = NULL};
		r = tui_run(&args);
		account_free(&me);
	}
	if (r != 0)
		cli_fail();
	store_close(st);
	config_free(&cfg);
	return r;
}
