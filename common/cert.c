/*
 * cert.c: what `camp status` and `camp doctor` need to know about the
 * certificate of built-in HTTPS: when it expires, whether it fits its
 * key, whether it names the camp's host.
 *
 * It only reads PEM files the operator configured; it never fetches and
 * never decides what is wrong (the callers do, with their own limits).
 */
#include "common.h"

#include <errno.h>
#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>

static int64_t asn1_time_s(const ASN1_TIME *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return (int64_t)timegm(&tm);
}

static void cert_subject(X509 *x, char *out, size_t len)
{
	X509_NAME *name = X509_get_subject_name(x);

	if (X509_NAME_get_text_by_NID(name, NID_commonName, out, (int)len) < 0)
		X509_NAME_oneline(name, out, (int)len);
}

/* 1 when the private key in key_path belongs to x. */
static int cert_key_matches(X509 *x, const char *key_path)
{
	FILE *f = fopen(key_path, "r");
	EVP_PKEY *key = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
	int ok = key != NULL && X509_check_private_key(x, key) == 1;

	if (f)
		fclose(f);
	EVP_PKEY_free(key);
	ERR_clear_error();
	return ok;
}

static int cert_names_host(X509 *x, const char *host)
{
	int r = X509_check_ip_asc(x, host, 0);

	if (r < 0) /* not an IP address: a name */
		r = X509_check_host(x, host, 0, 0, NULL);
	return r == 1;
}

int cert_read(const char *cert_path, const char *key_path, const char *host,
	      struct cert_info *out)
{
	FILE *f = fopen(cert_path, "r");
	X509 *x;

	memset(out, 0, sizeof *out);
	if (f == NULL)
		return err_set(CAMP_EIO, "cannot read %s: %s", cert_path,
			       strerror(errno));
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (x == NULL) {
		ERR_clear_error();
		return err_set(CAMP_EINVAL, "%s holds no PEM certificate", cert_path);
	}
	out->not_before = asn1_time_s(X509_get0_notBefore(x));
	out->not_after = asn1_time_s(X509_get0_notAfter(x));
	cert_subject(x, out->subject, sizeof out->subject);
	out->matches_key = key_path && cert_key_matches(x, key_path);
	out->covers_host = host && cert_names_host(x, host);
	X509_free(x);
	return 0;
}
