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
#include <openssl/evp.h>
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

/* Reads a big-endian uint32 length-prefixed field at *p; 0 or -1. */
static int blob_field(const unsigned char **p, const unsigned char *end,
		      const unsigned char **field, size_t *len)
{
	if (end - *p < 4)
		return -1;
	size_t n = ((size_t)(*p)[0] << 24) | ((size_t)(*p)[1] << 16) |
		   ((size_t)(*p)[2] << 8) | (size_t)(*p)[3];
	*p += 4;
	if ((size_t)(end - *p) < n)
		return -1;
	*field = *p;
	*len = n;
	*p += n;
	return 0;
}

/* The key size in bits as ssh-keygen reports it.  libssh 0.10 has no
 * public call for it, so for RSA the modulus is read from the key blob. */
static int hostkey_bits(ssh_key key)
{
	enum ssh_keytypes_e type = ssh_key_type(key);
	const unsigned char *p, *end, *f;
	unsigned char *blob = NULL;
	char *b64 = NULL;
	size_t flen, blen = 0;
	int bits = 0;

	if (type == SSH_KEYTYPE_ED25519 || type == SSH_KEYTYPE_ECDSA_P256)
		return 256;
	if (type == SSH_KEYTYPE_ECDSA_P384)
		return 384;
	if (type == SSH_KEYTYPE_ECDSA_P521)
		return 521;
	if (ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK)
		return 0;
	blob = xmalloc(strlen(b64));
	int n = EVP_DecodeBlock(blob, (const unsigned char *)b64, (int)strlen(b64));
	if (n > 0) {
		blen = (size_t)n;
		p = blob;
		end = blob + blen;
		/* "ssh-rsa", e, n; the modulus may carry a leading zero byte. */
		if (blob_field(&p, end, &f, &flen) == 0 &&
		    blob_field(&p, end, &f, &flen) == 0 &&
		    blob_field(&p, end, &f, &flen) == 0) {
			while (flen > 0 && *f == 0)
				f++, flen--;
			bits = (int)flen * 8;
			for (unsigned char top = flen ? f[0] : 0x80; !(top & 0x80);
			     top <<= 1)
				bits--;
		}
	}
	free(blob);
	ssh_string_free_char(b64);
	return bits;
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
	buf_printf(out, "%s%d %s (%s)\n", indent, hostkey_bits(key), fp ? fp : "?",
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
