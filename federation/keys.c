/*
 * keys.c: RSA key pairs and RSASSA-PKCS1-v1_5/SHA-256 signatures with
 * OpenSSL, and base64.
 *
 * Keys travel as PEM text (that is how actor documents carry them and how
 * the store keeps them).  A public key from another server may be SPKI
 * ("BEGIN PUBLIC KEY") or PKCS#1 ("BEGIN RSA PUBLIC KEY"); anything that
 * is not an RSA key of at least 1024 bits is refused.
 */
#include "federation/federation.h"

#include <openssl/bio.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>

/* Hands the contents of a memory BIO to the caller as a C string. */
static char *bio_string(BIO *b)
{
	char *data;
	long n = BIO_get_mem_data(b, &data);

	return xstrndup(data, n > 0 ? (size_t)n : 0);
}

int rsa_generate(char **private_pem, char **public_pem)
{
	EVP_PKEY *k = EVP_RSA_gen(2048);
	BIO *priv = BIO_new(BIO_s_mem()), *pub = BIO_new(BIO_s_mem());
	int r = 0;

	*private_pem = *public_pem = NULL;
	if (k == NULL || priv == NULL || pub == NULL ||
	    PEM_write_bio_PrivateKey(priv, k, NULL, NULL, 0, NULL, NULL) != 1 ||
	    PEM_write_bio_PUBKEY(pub, k) != 1) {
		r = err_set(CAMP_ERR, "cannot make an RSA key");
	} else {
		*private_pem = bio_string(priv);
		*public_pem = bio_string(pub);
	}
	BIO_free(priv);
	BIO_free(pub);
	EVP_PKEY_free(k);
	return r;
}

char *base64_encode(const void *data, size_t len)
{
	char *out = xmalloc(4 * ((len + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	return out;
}

/* Decodes standard base64 (padding required, no whitespace inside);
 * returns the byte count or -1. */
static int base64_decode(const char *s, unsigned char **out)
{
	size_t n = strlen(s);
	int len;

	*out = NULL;
	if (n == 0 || n % 4 != 0 || n > 8192)
		return -1;
	*out = xmalloc(n / 4 * 3 + 1);
	len = EVP_DecodeBlock(*out, (const unsigned char *)s, (int)n);
	if (len < 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	/* EVP_DecodeBlock counts padding as zero bytes. */
	if (s[n - 1] == '=')
		len--;
	if (s[n - 2] == '=')
		len--;
	return len;
}

int rsa_sign_sha256(const char *private_pem, const void *data, size_t len, char **sig_b64)
{
	BIO *b = BIO_new_mem_buf(private_pem, -1);
	EVP_PKEY *k = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char sig[1024];
	size_t siglen = sizeof sig;
	int r = 0;

	*sig_b64 = NULL;
	if (k == NULL || ctx == NULL || EVP_PKEY_get_size(k) > (int)sizeof sig ||
	    EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, k) != 1 ||
	    EVP_DigestSign(ctx, sig, &siglen, data, len) != 1)
		r = err_set(CAMP_ERR, "cannot sign with this key");
	else
		*sig_b64 = base64_encode(sig, siglen);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	BIO_free(b);
	return r;
}

/* Reads a public RSA key in SPKI or PKCS#1 PEM (the decoder tries every
 * structure it knows for RSA). */
static EVP_PKEY *public_key_read(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *k = NULL;
	OSSL_DECODER_CTX *dctx = OSSL_DECODER_CTX_new_for_pkey(
		&k, "PEM", NULL, "RSA", EVP_PKEY_PUBLIC_KEY, NULL, NULL);

	if (b == NULL || dctx == NULL || OSSL_DECODER_from_bio(dctx, b) != 1) {
		EVP_PKEY_free(k);
		k = NULL;
	}
	OSSL_DECODER_CTX_free(dctx);
	BIO_free(b);
	if (k && EVP_PKEY_get_bits(k) < 1024) {
		EVP_PKEY_free(k);
		k = NULL;
	}
	return k;
}

int rsa_verify_sha256(const char *public_pem, const void *data, size_t len,
		      const char *sig_b64)
{
	EVP_PKEY *k = public_key_read(public_pem);
	EVP_MD_CTX *ctx = NULL;
	unsigned char *sig = NULL;
	int siglen, r = 0;

	if (k == NULL) {
		r = err_set(CAMP_EINVAL, "the public key is not an RSA key");
		goto out;
	}
	if ((siglen = base64_decode(sig_b64, &sig)) <= 0) {
		r = err_set(CAMP_EINVAL, "the signature is not base64");
		goto out;
	}
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, k) != 1)
		r = err_set(CAMP_ERR, "cannot verify with this key");
	else if (EVP_DigestVerify(ctx, sig, (size_t)siglen, data, len) != 1)
		r = err_set(CAMP_EPERM, "the signature does not match the key");
out:
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	free(sig);
	return r;
}
