/*
 * cmd-init.c: `camp init DIR`: a new camp in a new (or empty) folder:
 * camp.conf written with every key explained, motd.txt and conduct.txt
 * from the built-in defaults, SSH host keys, the database, and the
 * first admin invite.
 *
 * It must never touch an existing camp or a folder that holds anything,
 * and a failed init leaves nothing half-built behind.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sshd/sshd.h"
#include "store/store.h"

static int init_run(int argc, char **argv);

const struct cli_entry cli_init_entry = {
	"init",
	"init DIR [--domain HOST[:PORT]] [--public-url URL] [--ssh-port N] "
	"[--http-port N] [--bind ADDRESS]",
	"create a new camp in DIR",
	init_run,
};

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
	cli_print_invite(cfg, code, 1);
out:
	store_close(st);
	buf_free(&fps);
	free(db);
	return r;
}

static int init_run(int argc, char **argv)
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
		return cli_usage(&cli_init_entry, err_last());
	if (npos != 1)
		return cli_usage(&cli_init_entry, "expected one folder");
	if ((sport && opts_int("ssh-port", sport, 1, 65535, &port) != 0) ||
	    (hport && opts_int("http-port", hport, 1, 65535, &port) != 0))
		return cli_usage(&cli_init_entry, err_last());
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
	return r ? cli_fail() : 0;
}
