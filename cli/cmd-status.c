/*
 * cmd-status.c: `camp status DIR`: the camp's settings, its members,
 * the deliveries waiting (a number that stays high means a server is
 * down) and the host key fingerprints members compare on first login.
 * It only reads.
 */
#include "cli/cli.h"

#include "sshd/sshd.h"
#include "store/store.h"

static int status_run(int argc, char **argv);

const struct cli_entry cli_status_entry = {
	"status",
	"status DIR",
	"show the camp's settings, members, waiting deliveries and host keys",
	status_run,
};

static int status_run(int argc, char **argv)
{
	struct config cfg;
	struct store *st;
	struct buf fps = BUF_INIT;
	int64_t members = 0, deliveries = 0;
	int r;

	if (argc != 1)
		return cli_usage(&cli_status_entry, "expected one camp folder");
	if (camp_dir_open(argv[0], &cfg, &st) != 0)
		return cli_fail();
	if ((r = account_count_members(st, &members)) == 0 &&
	    (r = delivery_count(st, &deliveries)) == 0 &&
	    (r = hostkey_fingerprints(argv[0], "  ", &fps)) == 0)
		printf("camp: %s\ndomain: %s\npublic url: %s\nssh: %s\nhttp: %s\n"
		       "members: %lld of %ld\ndeliveries waiting: %lld\nschema: %d\n"
		       "host keys:\n%s",
		       cfg.camp_name, cfg.domain, cfg.public_url, cfg.ssh_listen,
		       cfg.http_listen, (long long)members, cfg.max_members,
		       (long long)deliveries, store_schema_version(st), buf_str(&fps));
	buf_free(&fps);
	store_close(st);
	config_free(&cfg);
	return r ? cli_fail() : 0;
}
