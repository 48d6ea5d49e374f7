/*
 * camp.c: main() and the `camp` subcommands an operator runs.
 *
 * argv[1] is looked up in a table of commands; each command parses its own
 * flags with opts_parse().  Usage errors exit 2 with the usage on stderr;
 * any other failure exits 1 with one line on stderr.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"
#include "federation/federation.h"
#include "sshd/sshd.h"
#include "store/store.h"
#include "tui/tui.h"

#define EXIT_USAGE 2

struct command {
	const char *name;
	const char *usage;
	const char *summary;
	int (*run)(int argc, char **argv);
};

static const struct command commands[];

static int usage_error(const char *name, const char *why);

/* Prints one line for a failure and returns the exit status 1. */
static int fail(void)
{
	fprintf(stderr, "camp: %s\n", err_last());
	return 1;
}

/* Prints an invite with the ssh commands that use it; the code is the
 * last line, for scripts. */
static void print_invite(const struct config *cfg, const char *code, int admin)
{
	struct buf join = BUF_INIT;

	config_ssh_command(cfg, "join", &join);
	printf("%s invite, single use.  To join, run:\n"
	       "  %s join %s YOURNAME\n"
	       "or, to be asked for everything step by step:\n"
	       "  %s\n"
	       "Invite code:\n%s\n",
	       admin ? "An admin" : "A member", buf_str(&join), code, buf_str(&join),
	       code);
	buf_free(&join);
}

/* Sets the port of a listen address, keeping its host. */
static void set_listen_port(char **listen, const char *bind, const char *port)
{
	char *host = NULL;
	int old;

	if (config_split_listen(*listen, &host, &old) != 0)
		host = NULL;
	const char *h = bind ? bind : host ? host : "0.0.0.0";
	char *v = strchr(h, ':') ? xasprintf("[%s]:%s", h, port)
				 : xasprintf("%s:%s", h, port);
	free(*listen);
	*listen = v;
	free(host);
}

/* Refuses a folder that holds anything: a camp must never be overwritten,
 * and a non-empty folder is probably not meant for one. */
static int init_check_dir(const char *dir, int *created)
{
	char *conf = xasprintf("%s/camp.conf", dir);
	struct stat sb;
	int r = 0;

	*created = 0;
	if (stat(conf, &sb) == 0) {
		r = err_set(CAMP_EEXIST, "%s already holds a camp; nothing was changed",
			    dir);
	} else if (mkdir(dir, 0700) == 0) {
		*created = 1;
	} else if (errno != EEXIST) {
		r = err_set(CAMP_EIO, "cannot create %s: %s", dir, strerror(errno));
	} else if (rmdir(dir) == 0 && mkdir(dir, 0700) == 0) {
		*created = 1; /* it was an empty folder */
	} else {
		r = err_set(CAMP_EEXIST,
			    "%s exists and is not empty; nothing was changed", dir);
	}
	free(conf);
	return r;
}

/* Writes one of the camp's text files from its embedded default. */
static int init_write_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	int r = file_write_atomic(path, text, strlen(text), 0600);

	free(path);
	return r;
}

static int init_files(const char *dir, const struct config *cfg)
{
	char *path = xasprintf("%s/camp.conf", dir);
	struct buf conf = BUF_INIT;
	FILE *f = open_memstream(&conf.data, &conf.len);
	int r;

	if (f == NULL)
		fatal("open_memstream failed");
	r = config_write(cfg, f);
	fclose(f);
	if (r == 0)
		r = file_write_atomic(path, conf.data, conf.len, 0600);
	free(conf.data);
	free(path);
	if (r == 0)
		r = init_write_file(dir, "motd.txt", embed_motd);
	if (r == 0)
		r = init_write_file(dir, "conduct.txt", embed_conduct);
	if (r == 0)
		r = hostkey_create_all(dir);
	return r;
}

/* Removes what a failed init made, leaving nothing half-built. */
static void init_undo(const char *dir)
{
	static const char *const files[] = {
		"camp.conf",   "motd.txt",    "conduct.txt",	      "camp.db",
		"camp.db-wal", "camp.db-shm", "ssh_host_ed25519_key", "ssh_host_rsa_key",
	};

	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		char *p = xasprintf("%s/%s", dir, files[i]);
		unlink(p);
		free(p);
	}
	rmdir(dir);
}

static int init_camp(const char *dir, struct config *cfg)
{
	struct store *st = NULL;
	struct buf fps = BUF_INIT;
	char code[INVITE_CODE_LEN];
	char *db = xasprintf("%s/camp.db", dir);
	int r;

	if ((r = init_files(dir, cfg)) != 0 ||
	    (r = store_open(db, STORE_CREATE, &st)) != 0 ||
	    (r = invite_create(st, 0, 1,
			       "Welcome to your new camp! You are its first admin.", 0,
			       code)) != 0 ||
	    (r = hostkey_fingerprints(dir, "  ", &fps)) != 0)
		goto out;
	printf("Created the camp \"%s\" in %s.\n"
	       "Start it with:  camp serve %s\n\n"
	       "SSH host key fingerprints (members can compare them with what ssh\n"
	       "shows on their first connection):\n%s\n",
	       cfg->camp_name, dir, dir, buf_str(&fps));
	print_invite(cfg, code, 1);
out:
	store_close(st);
	buf_free(&fps);
	free(db);
	return r;
}

static int cmd_init(int argc, char **argv)
{
	const char *domain = NULL, *url = NULL, *sport = NULL, *hport = NULL,
		   *bind = NULL;
	const struct opt opts[] = {
		{"domain", 1, &domain, NULL},  {"public-url", 1, &url, NULL},
		{"ssh-port", 1, &sport, NULL}, {"http-port", 1, &hport, NULL},
		{"bind", 1, &bind, NULL},      {NULL, 0, NULL, NULL},
	};
	char *pos[argc + 1];
	int npos, created, r;
	long port;
	struct config cfg;

	if (opts_parse(argc, argv, opts, pos, &npos) != 0)
		return usage_error("init", err_last());
	if (npos != 1)
		return usage_error("init", "expected one folder");
	if ((sport && opts_int("ssh-port", sport, 1, 65535, &port) != 0) ||
	    (hport && opts_int("http-port", hport, 1, 65535, &port) != 0))
		return usage_error("init", err_last());
	config_defaults(&cfg);
	if (domain) {
		free(cfg.domain);
		cfg.domain = xstrdup(domain);
	}
	if (url) {
		free(cfg.public_url);
		cfg.public_url = xstrdup(url);
	}
	if (sport || bind)
		set_listen_port(&cfg.ssh_listen, bind, sport ? sport : "2222");
	if (hport || bind)
		set_listen_port(&cfg.http_listen, bind, hport ? hport : "8080");
	if ((r = init_check_dir(pos[0], &created)) == 0) {
		r = init_camp(pos[0], &cfg);
		if (r != 0 && created)
			init_undo(pos[0]);
	}
	config_free(&cfg);
	return r ? fail() : 0;
}

static int cmd_invite(int argc, char **argv)
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
		return usage_error("invite", err_last());
	if (npos != 1)
		return usage_error("invite", "expected one folder");
	if (expires && opts_int("expires", expires, 1, 3650, &days) != 0)
		return usage_error("invite", err_last());
	if (camp_dir_open(pos[0], &cfg, &st) != 0)
		return fail();
	r = invite_create(st, 0, admin, note, (int)days, code);
	if (r == 0)
		print_invite(&cfg, code, admin);
	store_close(st);
	config_free(&cfg);
	return r ? fail() : 0;
}

static int cmd_backup(int argc, char **argv)
{
	struct config cfg;
	struct store *st;
	int r;

	if (argc != 2)
		return usage_error("backup", "expected a camp folder and a file name");
	if (camp_dir_open(argv[0], &cfg, &st) != 0)
		return fail();
	r = store_backup(st, argv[1]);
	store_close(st);
	config_free(&cfg);
	if (r != 0)
		return fail();
	printf("Backed up %s/camp.db to %s\n", argv[0], argv[1]);
	return 0;
}

static int cmd_status(int argc, char **argv)
{
	struct config cfg;
	struct store *st;
	struct buf fps = BUF_INIT;
	int64_t members = 0, deliveries = 0;
	int r;

	if (argc != 1)
		return usage_error("status", "expected one camp folder");
	if (camp_dir_open(argv[0], &cfg, &st) != 0)
		return fail();
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
	return r ? fail() : 0;
}

/* The long-lived processes `camp serve` keeps running beside the SSH
 * listener (restarted if they die). */
static const struct sshd_child serve_children[] = {
	{"federation", federation_main},
	{NULL, NULL},
};

static int cmd_serve(int argc, char **argv)
{
	if (argc != 1)
		return usage_error("serve", "expected one camp folder");
	return sshd_serve(argv[0], serve_children);
}

static int cmd_version(int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return usage_error("version", "takes no arguments");
	printf("camp %s\n", CAMP_VERSION);
	return 0;
}

/* For development and tests: a member's full-screen client on this
 * terminal, as an ssh login would give it, without the ssh. */
static int cmd_ui(int argc, char **argv)
{
	int first = 0, npos, r = 1;
	const struct opt opts[] = {{"first-login", 0, NULL, &first},
				   {NULL, 0, NULL, NULL}};
	char *pos[argc + 1];
	struct config cfg;
	struct store *st;
	struct account me;

	if (opts_parse(argc, argv, opts, pos, &npos) != 0)
		return usage_error("ui", err_last());
	if (npos != 2)
		return usage_error("ui", "expected a folder and a member");
	if (camp_dir_open(pos[0], &cfg, &st) != 0)
		return fail();
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
		fail();
	store_close(st);
	config_free(&cfg);
	return r;
}

static void print_usage(FILE *f)
{
	fprintf(f, "usage: camp COMMAND [ARGS]\n\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  camp %s\n      %s\n", c->usage, c->summary);
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("camp %s: a social network server for one small community.\n\n",
	       CAMP_VERSION);
	print_usage(stdout);
	return 0;
}

static const struct command commands[] = {
	{"init",
	 "init DIR [--domain HOST[:PORT]] [--public-url URL] [--ssh-port N] "
	 "[--http-port N] [--bind ADDRESS]",
	 "create a new camp in DIR", cmd_init},
	{"serve", "serve DIR", "run the camp in the foreground", cmd_serve},
	{"invite", "invite DIR [--admin] [--note TEXT] [--expires DAYS]",
	 "print a new single-use invite code", cmd_invite},
	{"backup", "backup DIR FILE", "copy the database safely while serving",
	 cmd_backup},
	{"status", "status DIR",
	 "show the camp's settings, members, waiting deliveries and host keys",
	 cmd_status},
	{"ui", "ui DIR USERNAME [--first-login]",
	 "(for development and testing) a member's client on this terminal", cmd_ui},
	{"federation", "federation DIR",
	 "(for development) run only the HTTP side and deliveries", federation_cmd},
	{"version", "version", "print the version", cmd_version},
	{"help", "help", "show this help", cmd_help},
	{NULL, NULL, NULL, NULL},
};

static int usage_error(const char *name, const char *why)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			fprintf(stderr, "camp %s: %s\nusage: camp %s\n", name, why,
				c->usage);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	log_set_role("camp");
	umask(077); /* keys, the database and the config are the camp's alone */
	if (argc < 2) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0)
			return c->run(argc - 2, argv + 2);
	fprintf(stderr, "camp: unknown command '%s'\n", argv[1]);
	print_usage(stderr);
	return EXIT_USAGE;
}
