/*
 * cmd-invite.c: `camp invite DIR`: a new single-use invite code, for a
 * member or an admin, with an optional welcome note and expiry.  The
 * code is printed on the last line, for scripts; only its hash is kept.
 */
#include "cli/cli.h"

#include "store/store.h"

static int invite_run(int argc, char **argv);

const struct cli_entry cli_invite_entry = {
	"invite",
	"invite DIR [--admin] [--note TEXT] [--expires DAYS]",
	"print a new single-use invite code",
	invite_run,
};

static int invite_run(int argc, char **argv)
{
	const char *note = NULL, *expires = NULL;
	int admin = 0, npos, r;
	const struct opt opts[] = {
		{"admin", 0, NULL, &admin},
		{"note", 1, &note, NULL},
		{"expires", 1, &expires, NULL},
		{NULL, 0, NULL, NULL},
	};
	char *pos[argc + 1];
	char code[INVITE_CODE_LEN];
	long days = 0;
	struct config cfg;
	struct store *st;

	if (opts_parse(argc, argv, opts, pos, &npos) != 0)
		return cli_usage(&cli_invite_entry, err_last());
	if (npos != 1)
		return cli_usage(&cli_invite_entry, "expected one folder");
	if (expires && opts_int("expires", expires, 1, 3650, &days) != 0)
		return cli_usage(&cli_invite_entry, err_last());
	if (camp_dir_open(pos[0], &cfg, &st) != 0)
		return cli_fail();
	r = invite_create(st, 0, admin, note, (int)days, code);
	if (r == 0)
		cli_print_invite(&cfg, code, admin);
	store_close(st);
	config_free(&cfg);
	return r ? cli_fail() : 0;
}
