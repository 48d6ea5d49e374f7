/*
 * hostkey.c: making and describing the camp's SSH host keys.
 *
 * Members check the fingerprints printed here against what their client
 * shows on first connection, so they are written exactly as OpenSSH's
 * ssh-keygen -lf writes them.  Private keys never leave the camp folder.
 */
#include "sshd/sshd.h"

#include <errno.h>
#include <libssh/libssh.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const hostkey_files[] = {"ssh_host_ed25519_key", "ssh_host_rsa_key"};
const int hostkey_count = 2;

static const struct {
	enum ssh_keytypes_e type;
	int bits;
} hostkey_kinds[] = {{SSH_KEYTYPE_ED25519, 0}, {SSH_KEYTYPE_RSA, 3072}};

int hostkey_create_all(const char *dir)
{
	for (int i = 0; i < hostkey_count; i++) {
		char *path = xasprintf("%s/%s", dir, hostkey_files[i]);
		ssh_key key = NULL;
		struct stat sb;
		int rc;

		if (stat(path, &sb) == 0) {
			int r = err_set(CAMP_EEXIST, "%s exists already", path);
			free(path);
			return r;
		}
		rc = ssh_pki_generate(hostkey_kinds[i].type, hostkey_kinds[i].bits, &key);
		if (rc == SSH_OK) {
			mode_t old = umask(077);
			rc = ssh_pki_export_privkey_file(key, NULL, NULL, NULL, path);
			umask(old);
		}
		ssh_key_free(key);
		if (rc != SSH_OK) {
			int r = err_set(CAMP_EIO, "cannot create the host key %s", path);
			free(path);
			return r;
		}
		chmod(path, 0600);
		free(path);
	}
	return 0;
}

/* "ED25519", "RSA", ... as ssh-keygen prints them in parentheses. */
static const char *hostkey_label(enum ssh_keytypes_e type)
{
	switch (type) {
	case SSH_KEYTYPE_ED25519:
		return "ED25519";
	case SSH_KEYTYPE_RSA:
		return "RSA";
	case SSH_KEYTYPE_ECDSA_P256:
	case SSH_KEYTYPE_ECDSA_P384:
	case SSH_KEYTYPE_ECDSA_P521:
		return "ECDSA";
	default:
		return "?";
	}
}

static int hostkey_describe(const char *path, const char *indent, struct buf *out)
{
	ssh_key key = NULL;
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *fp;

	if (ssh_pki_import_privkey_file(path, NULL, NULL, NULL, &key) != SSH_OK)
		return err_set(CAMP_EIO, "cannot read the host key %s", path);
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) != 0) {
		ssh_key_free(key);
		return err_set(CAMP_EIO, "cannot hash the host key %s", path);
	}
	fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	buf_printf(out, "%s%d %s (%s)\n", indent, sshkey_bits(key), fp ? fp : "?",
		   hostkey_label(ssh_key_type(key)));
	ssh_string_free_char(fp);
	ssh_clean_pubkey_hash(&hash);
	ssh_key_free(key);
	return 0;
}

int hostkey_fingerprints(const char *dir, const char *indent, struct buf *out)
{
	for (int i = 0; i < hostkey_count; i++) {
		char *path = xasprintf("%s/%s", dir, hostkey_files[i]);
		int r = hostkey_describe(path, indent, out);
		free(path);
		if (r != 0)
			return r;
	}
	return 0;
}
