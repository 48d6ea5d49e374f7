/*
 * sshkey.c: members' public keys: which kinds may log in, their SHA256
 * fingerprints, and authorized_keys lines parsed without trusting them.
 *
 * A fingerprint here must be byte for byte what `ssh-keygen -lf` prints,
 * since members compare them by eye and the store looks keys up by it.
 * This file must never accept a key whose re-exported form differs from
 * what was given: libssh trusts the type it is told (see the notes on
 * ssh_pki_import_pubkey_base64), so every parse is checked by a round trip.
 */
#include "sshd/sshd.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#define RSA_MIN_BITS 2048
#define KEY_LINE_MAX 16384

/* The kinds of key a member may log in with. */
static const enum ssh_keytypes_e allowed_types[] = {
	SSH_KEYTYPE_ED25519,	SSH_KEYTYPE_ECDSA_P256, SSH_KEYTYPE_ECDSA_P384,
	SSH_KEYTYPE_ECDSA_P521, SSH_KEYTYPE_RSA,
};

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

/* Bits of an RSA modulus read from the key blob ("ssh-rsa", e, n). */
static int rsa_bits(ssh_key key)
{
	const unsigned char *p, *end, *f;
	unsigned char *blob;
	char *b64 = NULL;
	size_t flen;
	int bits = 0;

	if (ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK)
		return 0;
	blob = xmalloc(strlen(b64));
	int n = EVP_DecodeBlock(blob, (const unsigned char *)b64, (int)strlen(b64));
	if (n > 0) {
		p = blob;
		end = blob + n;
		if (blob_field(&p, end, &f, &flen) == 0 &&
		    blob_field(&p, end, &f, &flen) == 0 &&
		    blob_field(&p, end, &f, &flen) == 0) {
			while (flen > 0 && *f == 0) /* sign byte */
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

int sshkey_bits(ssh_key key)
{
	switch (ssh_key_type(key)) {
	case SSH_KEYTYPE_ED25519:
	case SSH_KEYTYPE_ECDSA_P256:
		return 256;
	case SSH_KEYTYPE_ECDSA_P384:
		return 384;
	case SSH_KEYTYPE_ECDSA_P521:
		return 521;
	case SSH_KEYTYPE_RSA:
		return rsa_bits(key);
	default:
		return 0;
	}
}

int sshkey_allowed(ssh_key key)
{
	enum ssh_keytypes_e t = ssh_key_type(key);
	size_t i;

	for (i = 0; i < ARRAY_LEN(allowed_types); i++)
		if (allowed_types[i] == t)
			break;
	if (i == ARRAY_LEN(allowed_types))
		return err_set(
			CAMP_EPERM, "%s keys are not accepted; use ed25519, ecdsa or rsa",
			ssh_key_type_to_char(t) ? ssh_key_type_to_char(t) : "these");
	if (t == SSH_KEYTYPE_RSA && sshkey_bits(key) < RSA_MIN_BITS)
		return err_set(CAMP_EPERM, "RSA keys need at least %d bits",
			       RSA_MIN_BITS);
	return 0;
}

int sshkey_fingerprint(ssh_key key, char out[SSHKEY_FP_LEN])
{
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *fp;

	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) != 0)
		return err_set(CAMP_EINVAL, "cannot hash this key");
	fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	ssh_clean_pubkey_hash(&hash);
	if (fp == NULL || strlen(fp) >= SSHKEY_FP_LEN) {
		ssh_string_free_char(fp);
		return err_set(CAMP_EINVAL, "cannot hash this key");
	}
	strcpy(out, fp);
	ssh_string_free_char(fp);
	return 0;
}

int sshkey_describe(ssh_key key, struct sshkey_info *out)
{
	const char *type = ssh_key_type_to_char(ssh_key_type(key));
	char *b64 = NULL;
	int r;

	memset(out, 0, sizeof *out);
	if ((r = sshkey_allowed(key)) != 0)
		return r;
	if ((r = sshkey_fingerprint(key, out->fingerprint)) != 0)
		return r;
	if (type == NULL || ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK)
		return err_set(CAMP_EINVAL, "cannot read this key");
	snprintf(out->type, sizeof out->type, "%s", type);
	out->base64 = xstrdup(b64);
	ssh_string_free_char(b64);
	out->comment = xstrdup("");
	out->bits = sshkey_bits(key);
	return 0;
}

/* Imports TYPE and BASE64 and checks that exporting gives them back. */
static int sshkey_import(const char *type, const char *b64, struct sshkey_info *out)
{
	enum ssh_keytypes_e t = ssh_key_type_from_name(type);
	ssh_key key = NULL;
	char *again = NULL;
	int r;

	if (t == SSH_KEYTYPE_UNKNOWN)
		return err_set(CAMP_EINVAL, "unknown key type %.40s", type);
	if (ssh_pki_import_pubkey_base64(b64, t, &key) != SSH_OK)
		return err_set(CAMP_EINVAL, "this is not a valid %s key", type);
	if (ssh_pki_export_pubkey_base64(key, &again) != SSH_OK ||
	    strcmp(again, b64) != 0 || ssh_key_type_to_char(ssh_key_type(key)) == NULL ||
	    strcmp(ssh_key_type_to_char(ssh_key_type(key)), type) != 0)
		r = err_set(CAMP_EINVAL, "the key does not match its type %s", type);
	else
		r = sshkey_describe(key, out);
	ssh_string_free_char(again);
	ssh_key_free(key);
	return r;
}

/* Splits off the next blank-separated field of *p (NULL if none). */
static char *next_field(char **p)
{
	char *s = *p, *start;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return NULL;
	start = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (*s)
		*s++ = '\0';
	*p = s;
	return start;
}

int sshkey_parse_line(const char *line, struct sshkey_info *out)
{
	size_t n = strlen(line);
	char *copy, *p, *type, *b64;
	int r;

	memset(out, 0, sizeof *out);
	if (n > KEY_LINE_MAX)
		return err_set(CAMP_ETOOBIG, "this key line is too long");
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (memchr(line, '\n', n) || !utf8_valid(line, n, NULL))
		return err_set(CAMP_EINVAL, "expected one line: TYPE BASE64 [COMMENT]");
	p = copy = xstrndup(line, n);
	type = next_field(&p);
	b64 = next_field(&p);
	if (type == NULL || b64 == NULL)
		r = err_set(CAMP_EINVAL, "expected a public key: TYPE BASE64 [COMMENT]");
	else
		r = sshkey_import(type, b64, out);
	if (r == 0) {
		while (*p == ' ' || *p == '\t')
			p++;
		free(out->comment);
		out->comment = xstrdup(p);
	}
	free(copy);
	return r;
}

void sshkey_info_free(struct sshkey_info *k)
{
	free(k->base64);
	free(k->comment);
	k->base64 = k->comment = NULL;
}
