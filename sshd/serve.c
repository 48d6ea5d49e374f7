/*
 * serve.c: `camp serve DIR`: checks the camp folder, loads the host keys
 * once, logs their fingerprints (and keeps them in a setting for the
 * camp's About page), and hands over to the listener.
 *
 * The camp folder is locked first (DIR/serve.lock, for the life of the
 * listener), so one camp is served once and `camp restore` knows to wait.
 * The database is opened here only to bring its schema up to date before
 * any session starts; it is closed again before the first fork, so no
 * SQLite connection ever crosses a fork.  libssh is told never to read
 * /etc/ssh/libssh_server_config: the camp's SSH policy is this file.
 */
#include "sshd/sshd.h"

#include <libssh/server.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Signature algorithms for host keys and for members' keys: no SHA-1. */
static const char hostkey_algos[] = "ssh-ed25519,rsa-sha2-512,rsa-sha2-256";
static const char pubkey_algos[] = "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
				   "ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256";

void sshd_load_motd(const char *dir, char **out)
{
	char *path = xasprintf("%s/motd.txt", dir);

	if (file_read(path, 64 * 1024, out, NULL) != 0) {
		log_warn("%s; showing the built-in welcome", err_last());
		*out = xstrdup(embed_motd);
	}
	free(path);
}

/* Routes libssh's own messages into the camp's log at debug level. */
static void ssh_log_cb(int priority, const char *function, const char *buffer,
		       void *userdata)
{
	(void)userdata;
	(void)priority;
	log_debug("libssh %s: %s", function, buffer);
}

static int bind_opt(ssh_bind b, enum ssh_bind_options_e opt, const void *v,
		    const char *what)
{
	if (ssh_bind_options_set(b, opt, v) != SSH_OK)
		return err_set(CAMP_EIO, "cannot set up SSH (%s): %s", what,
			       ssh_get_error(b));
	return 0;
}

/* A bind carrying the host keys and the camp's algorithm policy. */
static int bind_new(const char *dir, ssh_bind *out)
{
	ssh_bind b = ssh_bind_new();
	bool no = false;
	int rsa_min = 2048, r = 0;

	if (b == NULL)
		return err_set(CAMP_ENOMEM, "cannot set up SSH");
	r = bind_opt(b, SSH_BIND_OPTIONS_PROCESS_CONFIG, &no, "config");
	for (int i = 0; r == 0 && i < hostkey_count; i++) {
		char *path = xasprintf("%s/%s", dir, hostkey_files[i]);
		r = bind_opt(b, SSH_BIND_OPTIONS_HOSTKEY, path, path);
		free(path);
	}
	if (r == 0)
		r = bind_opt(b, SSH_BIND_OPTIONS_HOSTKEY_ALGORITHMS, hostkey_algos,
			     "host key algorithms");
	if (r == 0)
		r = bind_opt(b, SSH_BIND_OPTIONS_PUBKEY_ACCEPTED_KEY_TYPES, pubkey_algos,
			     "key types");
	if (r == 0)
		r = bind_opt(b, SSH_BIND_OPTIONS_RSA_MIN_SIZE, &rsa_min, "RSA size");
	if (r == 0)
		r = bind_opt(b, SSH_BIND_OPTIONS_BANNER, "camp_" CAMP_VERSION, "banner");
	if (r != 0) {
		ssh_bind_free(b);
		return r;
	}
	*out = b;
	return 0;
}

int sshd_serve(const char *dir, const struct sshd_child *children)
{
	struct config cfg;
	struct store *st;
	struct buf fps = BUF_INIT;
	ssh_bind bind = NULL;
	int r;

	log_set_role("listener");
	/* A folder that is no camp at all is better said by camp_dir_open. */
	if ((r = run_lock_take(dir)) == CAMP_EEXIST) {
		log_error("%s", err_last());
		return 1;
	}
	if ((r = camp_dir_open(dir, &cfg, &st)) != 0) {
		log_error("%s", err_last());
		return 1;
	}
	/* The camp's About page shows the fingerprints; the federation child
	 * that serves it never reads the host keys itself. */
	if ((r = hostkey_fingerprints(dir, "", &fps)) == 0 &&
	    setting_set(st, SETTING_SSH_FINGERPRINTS, buf_str(&fps)) != 0)
		log_warn("the About page will lack the fingerprints: %s", err_last());
	store_close(st);
	ssh_set_log_level(cfg.log_level[0] == 'd' ? SSH_LOG_PROTOCOL : SSH_LOG_NOLOG);
	ssh_set_log_callback(ssh_log_cb);
	if (r == 0 && (r = bind_new(dir, &bind)) == 0) {
		for (char *line = strtok(fps.data, "\n"); line; line = strtok(NULL, "\n"))
			log_info("host key %s", line);
		r = listener_run(dir, &cfg, bind, children);
	}
	if (r != 0)
		log_error("%s", err_last());
	if (bind)
		ssh_bind_free(bind);
	buf_free(&fps);
	config_free(&cfg);
	ssh_finalize();
	return r ? 1 : 0;
}
