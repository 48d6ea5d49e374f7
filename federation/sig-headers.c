/*
 * sig-headers.c: the values a signed request carries besides its
 * signature, for any scheme: the Digest of its body (made, and checked
 * against the bytes received), its HTTP Date (made, and read in the
 * three forms HTTP allows), and the Host and request target of a URL.
 *
 * Everything here reads what a peer sent as hostile text; nothing here
 * touches the network, a key or the store.
 */
#include "federation/federation.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

void digest_header(const void *body, size_t len, char out[64])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (EVP_Digest(body, len, md, &mdlen, EVP_sha256(), NULL) != 1)
		fatal("SHA-256 failed");
	char *b64 = base64_encode(md, mdlen);
	snprintf(out, 64, "SHA-256=%s", b64);
	free(b64);
}

/* Checks one "ALG=base64" value; 1 if it matches, 0 if not, -1 if the
 * algorithm is unknown. */
static int digest_one(const char *v, size_t n, const void *body, size_t len)
{
	const EVP_MD *md;
	size_t skip;
	unsigned char d[64];
	unsigned int dlen = 0;

	if (n > 8 && strncasecmp(v, "SHA-256=", 8) == 0)
		md = EVP_sha256(), skip = 8;
	else if (n > 8 && strncasecmp(v, "SHA-512=", 8) == 0)
		md = EVP_sha512(), skip = 8;
	else
		return -1;
	if (EVP_Digest(body, len, d, &dlen, md, NULL) != 1)
		fatal("digest failed");
	char *b64 = base64_encode(d, dlen);
	int ok = strlen(b64) == n - skip && memcmp(b64, v + skip, n - skip) == 0;
	free(b64);
	return ok;
}

int digest_check(const char *header, const void *body, size_t len)
{
	int matched = 0, mismatched = 0;

	for (const char *p = header; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t n = strcspn(p, ",");
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n > 0) {
			int ok = digest_one(p, n, body, len);
			matched += ok == 1;
			mismatched += ok == 0;
		}
		p += strcspn(p, ",");
	}
	if (matched > 0 && mismatched == 0)
		return 0;
	return err_set(CAMP_EPERM, "the Digest does not match the body");
}

static const char *const wdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void http_date(int64_t t, char out[40])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d GMT", wdays[tm.tm_wday],
		 tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
}

static int month_index(const char *m)
{
	for (int i = 0; i < 12; i++)
		if (strncasecmp(m, months[i], 3) == 0)
			return i;
	return -1;
}

int http_date_parse(const char *s, int64_t *t)
{
	struct tm tm;
	char wd[16], mon[4], zone[8];
	int d, y, h, mi, sec, n = 0;

	memset(&tm, 0, sizeof tm);
	/* IMF-fixdate, then RFC 850, then asctime. */
	if (sscanf(s, "%15[A-Za-z], %2d %3s %4d %2d:%2d:%2d %7s%n", wd, &d, mon, &y, &h,
		   &mi, &sec, zone, &n) == 8 &&
	    strcmp(zone, "GMT") == 0) {
	} else if (sscanf(s, "%15[A-Za-z], %2d-%3s-%2d %2d:%2d:%2d %7s%n", wd, &d, mon,
			  &y, &h, &mi, &sec, zone, &n) == 8 &&
		   strcmp(zone, "GMT") == 0) {
		y += y < 70 ? 2000 : 1900;
	} else if (sscanf(s, "%15[A-Za-z] %3s %2d %2d:%2d:%2d %4d%n", wd, mon, &d, &h,
			  &mi, &sec, &y, &n) == 7) {
	} else {
		return err_set(CAMP_EINVAL, "not an HTTP date");
	}
	if (s[n] != '\0' || month_index(mon) < 0 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60 || y < 1970)
		return err_set(CAMP_EINVAL, "not an HTTP date");
	tm.tm_year = y - 1900;
	tm.tm_mon = month_index(mon);
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*t = (int64_t)timegm(&tm);
	return 0;
}

int url_host_target(const char *url, char **host, char **target)
{
	CURLU *u = curl_url();
	char *h = NULL, *port = NULL, *path = NULL, *query = NULL, *scheme = NULL;
	int r = 0;

	*host = *target = NULL;
	if (u == NULL)
		fatal("out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK ||
	    (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0)) {
		r = err_set(CAMP_EINVAL, "not an http(s) URL: %.200s", url);
		goto out;
	}
	curl_url_get(u, CURLUPART_PORT, &port, 0);
	curl_url_get(u, CURLUPART_QUERY, &query, 0);
	*host = port ? xasprintf("%s:%s", h, port) : xstrdup(h);
	*target = query ? xasprintf("%s?%s", path, query) : xstrdup(path);
out:
	curl_free(scheme);
	curl_free(h);
	curl_free(port);
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(u);
	return r;
}
