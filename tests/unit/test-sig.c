/*
 * test-sig.c: HTTP Signatures, Digest and HTTP dates.
 *
 * The reference vectors are the ones published in
 * draft-cavage-http-signatures-12, appendix C: its RSA test key (1024
 * bits, public on purpose) and the signatures the draft prints for the
 * "basic" (C.2) and "all headers" (C.3) cases.  RSASSA-PKCS1-v1_5 is
 * deterministic, so camp's signer must reproduce them byte for byte and
 * its verifier must accept them.
 */
#include "tests/unit/unit.h"

#include "federation/federation.h"

static const char test_private[] =
	"-----BEGIN RSA PRIVATE KEY-----\n"
	"MIICXgIBAAKBgQDCFENGw33yGihy92pDjZQhl0C36rPJj+CvfSC8+q28hxA161QF\n"
	"NUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6Z4UMR7EOcpfdUE9Hf3m/hs+F\n"
	"UR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJwoYi+1hqp1fIekaxsyQIDAQAB\n"
	"AoGBAJR8ZkCUvx5kzv+utdl7T5MnordT1TvoXXJGXK7ZZ+UuvMNUCdN2QPc4sBiA\n"
	"QWvLw1cSKt5DsKZ8UETpYPy8pPYnnDEz2dDYiaew9+xEpubyeW2oH4Zx71wqBtOK\n"
	"kqwrXa/pzdpiucRRjk6vE6YY7EBBs/g7uanVpGibOVAEsqH1AkEA7DkjVH28WDUg\n"
	"f1nqvfn2Kj6CT7nIcE3jGJsZZ7zlZmBmHFDONMLUrXR/Zm3pR5m0tCmBqa5RK95u\n"
	"412jt1dPIwJBANJT3v8pnkth48bQo/fKel6uEYyboRtA5/uHuHkZ6FQF7OUkGogc\n"
	"mSJluOdc5t6hI1VsLn0QZEjQZMEOWr+wKSMCQQCC4kXJEsHAve77oP6HtG/IiEn7\n"
	"kpyUXRNvFsDE0czpJJBvL/aRFUJxuRK91jhjC68sA7NsKMGg5OXb5I5Jj36xAkEA\n"
	"gIT7aFOYBFwGgQAQkWNKLvySgKbAZRTeLBacpHMuQdl1DfdntvAyqpAZ0lY0RKmW\n"
	"G6aFKaqQfOXKCyWoUiVknQJAXrlgySFci/2ueKlIE1QqIiLSZ8V8OlpFLRnb1pzI\n"
	"7U1yQXnTAEFYM560yJlzUpOb1V4cScGd365tiSMvxLOvTA==\n"
	"-----END RSA PRIVATE KEY-----\n";

static const char test_public[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDCFENGw33yGihy92pDjZQhl0C3\n"
	"6rPJj+CvfSC8+q28hxA161QFNUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6\n"
	"Z4UMR7EOcpfdUE9Hf3m/hs+FUR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJw\n"
	"oYi+1hqp1fIekaxsyQIDAQAB\n"
	"-----END PUBLIC KEY-----\n";

static const char sig_basic[] =
	"qdx+H7PHHDZgy4y/Ahn9Tny9V3GP6YgBPyUXMmoxWtLbHpUnXS2mg2+SbrQDMCJypxBLSPQR2aAjn7"
	"ndmw2iicw3HMbe8VfEdKFYRqzic+efkb3nndiv/x1xSHDJWeSWkx3ButlYSuBskLu6kd9Fswtemr3l"
	"gdDEmn04swr2Os0=";
static const char sig_all[] =
	"vSdrb+dS3EceC9bcwHSo4MlyKS59iFIrhgYkz8+oVLEEzmYZZvRs8rgOp+63LEM3v+MFHB32NfpB2b"
	"EKBIvB1q52LaEUHFv120V01IL+TAD48XaERZFukWgHoBTLMhYS2Gb51gWxpeIq8knRmPnYePbF5MOk"
	"R0Zkly4zKH7s1dE=";

/* The draft's example request: POST /foo?param=value&pet=dog. */
struct hdrs {
	const char *names[8];
	const char *values[8];
};

static const char *lookup(void *ctx, const char *name)
{
	struct hdrs *h = ctx;

	for (int i = 0; i < 8 && h->names[i]; i++)
		if (strcmp(h->names[i], name) == 0)
			return h->values[i];
	return NULL;
}

static const char body[] = "{\"hello\": \"world\"}";
static int64_t example_time; /* Sun, 05 Jan 2014 21:31:40 GMT */

static struct hdrs example_headers(const char *signature)
{
	struct hdrs h = {
		{"host", "date", "content-type", "digest", "content-length", "signature",
		 NULL},
		{"example.com", "Sun, 05 Jan 2014 21:31:40 GMT", "application/json",
		 "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", "18", signature,
		 NULL},
	};
	return h;
}

static struct http_msg example_msg(struct hdrs *h)
{
	struct http_msg m = {
		"POST", "/foo?param=value&pet=dog", lookup, h, body, strlen(body), 1};
	return m;
}

static void test_http_date(void **state)
{
	char out[40];
	int64_t t;

	assert_int_equal(http_date_parse("Sun, 05 Jan 2014 21:31:40 GMT", &t), 0);
	example_time = t;
	assert_int_equal(t, 1388957500);
	http_date(t, out);
	assert_string_equal(out, "Sun, 05 Jan 2014 21:31:40 GMT");
	assert_int_equal(http_date_parse("Sunday, 05-Jan-14 21:31:40 GMT", &t), 0);
	assert_int_equal(t, 1388957500);
	assert_int_equal(http_date_parse("Sun Jan  5 21:31:40 2014", &t), 0);
	assert_int_equal(t, 1388957500);
	assert_int_not_equal(http_date_parse("Sun, 05 Jan 2014 21:31:40 PST", &t), 0);
	assert_int_not_equal(http_date_parse("yesterday", &t), 0);
	assert_int_not_equal(http_date_parse("Sun, 05 Jan 2014 21:31:40 GMT junk", &t),
			     0);
}

static void test_digest(void **state)
{
	char d[64];

	digest_header(body, strlen(body), d);
	assert_string_equal(d, "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=");
	assert_int_equal(digest_check(d, body, strlen(body)), 0);
	assert_int_equal(
		digest_check("sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", body,
			     strlen(body)),
		0);
	assert_int_equal(digest_check(d, "{}", 2), CAMP_EPERM);
	assert_int_equal(digest_check("MD5=abc", body, strlen(body)), CAMP_EPERM);
	assert_int_equal(digest_check("", body, strlen(body)), CAMP_EPERM);
	/* SHA-512 alone is fine; one wrong value among several is not. */
	assert_int_equal(digest_check("SHA-512=WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+T"
				      "aPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==",
				      body, strlen(body)),
			 0);
	assert_int_equal(
		digest_check("SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=,"
			     "SHA-512=AAAA",
			     body, strlen(body)),
		CAMP_EPERM);
}

static void test_parse(void **state)
{
	struct sig_params p;

	assert_int_equal(sig_parse("keyId=\"Test\",algorithm=\"rsa-sha256\",headers=\"("
				   "request-target) host date\",signature=\"abc=\"",
				   &p),
			 0);
	assert_string_equal(p.key_id, "Test");
	assert_string_equal(p.algorithm, "rsa-sha256");
	assert_string_equal(p.headers, "(request-target) host date");
	assert_string_equal(p.signature, "abc=");
	sig_params_free(&p);
	/* headers defaults to date */
	assert_int_equal(sig_parse("keyId=\"k\", signature=\"x\"", &p), 0);
	assert_string_equal(p.headers, "date");
	assert_null(p.algorithm);
	sig_params_free(&p);
	assert_int_equal(sig_parse("keyId=\"k\"", &p), CAMP_EINVAL);
	assert_int_equal(sig_parse("keyId=\"k,signature=\"x", &p), CAMP_EINVAL);
	assert_int_equal(sig_parse("garbage", &p), CAMP_EINVAL);
}

/* camp's signer reproduces the draft's published signatures. */
static void test_sign_vectors(void **state)
{
	struct hdrs h = example_headers(NULL);
	struct http_msg m = example_msg(&h);
	struct buf s = BUF_INIT;
	char *sig;

	assert_int_equal(sig_signing_string(&m, "(request-target) host date", 0, &s), 0);
	assert_string_equal(s.data, "(request-target): post /foo?param=value&pet=dog\n"
				    "host: example.com\n"
				    "date: Sun, 05 Jan 2014 21:31:40 GMT");
	assert_int_equal(rsa_sign_sha256(test_private, s.data, s.len, &sig), 0);
	assert_string_equal(sig, sig_basic);
	free(sig);
	assert_int_equal(sig_signing_string(&m,
					    "(request-target) host date content-type "
					    "digest content-length",
					    0, &s),
			 0);
	assert_int_equal(rsa_sign_sha256(test_private, s.data, s.len, &sig), 0);
	assert_string_equal(sig, sig_all);
	free(sig);
	buf_free(&s);
}

/* camp's verifier accepts the draft's signatures, with its rules. */
static void test_verify_vectors(void **state)
{
	char *hdr =
		xasprintf("keyId=\"Test\",algorithm=\"rsa-sha256\",headers=\"(request-"
			  "target) host date content-type digest content-length\","
			  "signature=\"%s\"",
			  sig_all);
	struct hdrs h = example_headers(hdr);
	struct http_msg m = example_msg(&h);
	struct sig_params p;

	assert_int_equal(sig_from_msg(&m, &p), 0);
	assert_int_equal(sig_verify(&m, &p, test_public, example_time), 0);
	/* an hour and a bit later, the Date is refused */
	assert_int_equal(sig_verify(&m, &p, test_public, example_time + 3601),
			 CAMP_EPERM);
	assert_int_equal(sig_verify(&m, &p, test_public, example_time - 3601),
			 CAMP_EPERM);
	assert_int_equal(sig_verify(&m, &p, test_public, example_time + 3599), 0);
	/* a changed body breaks the Digest */
	m.body = "{\"hello\": \"WORLD\"}";
	assert_int_equal(sig_verify(&m, &p, test_public, example_time), CAMP_EPERM);
	m.body = body;
	/* a changed target breaks the signature */
	m.target = "/foo?param=value&pet=cat";
	assert_int_equal(sig_verify(&m, &p, test_public, example_time), CAMP_EPERM);
	sig_params_free(&p);
	free(hdr);

	/* The basic signature does not cover digest: fine without a body,
	 * refused with one. */
	hdr = xasprintf("keyId=\"Test\",algorithm=\"hs2019\",headers=\"(request-target) "
			"host date\",signature=\"%s\"",
			sig_basic);
	h = example_headers(hdr);
	m = example_msg(&h);
	assert_int_equal(sig_from_msg(&m, &p), 0);
	assert_int_equal(sig_verify(&m, &p, test_public, example_time), CAMP_EPERM);
	m.has_body = 0;
	assert_int_equal(sig_verify(&m, &p, test_public, example_time), 0);
	free(p.algorithm);
	p.algorithm = xstrdup("hmac-sha256");
	assert_int_equal(sig_verify(&m, &p, test_public, example_time), CAMP_EPERM);
	sig_params_free(&p);
	free(hdr);
}

/* Signatures that leave out (request-target), host or date are refused. */
static void test_verify_required(void **state)
{
	struct hdrs h = example_headers(NULL);
	struct http_msg m = example_msg(&h);
	struct buf s = BUF_INIT;
	struct sig_params p = {0};
	char *sig;

	m.has_body = 0;
	assert_int_equal(sig_signing_string(&m, "host date", 0, &s), 0);
	assert_int_equal(rsa_sign_sha256(test_private, s.data, s.len, &sig), 0);
	p.key_id = xstrdup("Test");
	p.headers = xstrdup("host date");
	p.signature = sig;
	assert_int_equal(sig_verify(&m, &p, test_public, example_time), CAMP_EPERM);
	assert_non_null(strstr(err_last(), "request-target"));
	sig_params_free(&p);
	assert_int_equal(sig_signing_string(&m, "(request-target) host", 0, &s), 0);
	assert_int_equal(rsa_sign_sha256(test_private, s.data, s.len, &sig), 0);
	p.key_id = xstrdup("Test");
	p.headers = xstrdup("(request-target) host");
	p.signature = sig;
	assert_int_equal(sig_verify(&m, &p, test_public, example_time), CAMP_EPERM);
	assert_non_null(strstr(err_last(), "date"));
	sig_params_free(&p);
	/* Without host signed, a request signed for another server could be
	 * replayed here: refused, GET or POST. */
	assert_int_equal(sig_signing_string(&m, "(request-target) date", 0, &s), 0);
	assert_int_equal(rsa_sign_sha256(test_private, s.data, s.len, &sig), 0);
	p.key_id = xstrdup("Test");
	p.headers = xstrdup("(request-target) date");
	p.signature = sig;
	assert_int_equal(sig_verify(&m, &p, test_public, example_time), CAMP_EPERM);
	assert_non_null(strstr(err_last(), "host"));
	m.has_body = 1;
	free(p.headers);
	p.headers = xstrdup("(request-target) date digest");
	assert_int_equal(sig_verify(&m, &p, test_public, example_time), CAMP_EPERM);
	assert_non_null(strstr(err_last(), "host"));
	sig_params_free(&p);
	buf_free(&s);
}

/* Round trip with a fresh 2048-bit key, as camp signs its deliveries;
 * a verifier also accepts a GET signed without the query string. */
static void test_roundtrip(void **state)
{
	char *priv, *pub, *other_priv, *other_pub;
	const char *json = "{\"type\":\"Follow\"}";
	struct sig_out o;
	int64_t now = now_s();

	assert_int_equal(rsa_generate(&priv, &pub), 0);
	assert_int_equal(rsa_generate(&other_priv, &other_pub), 0);
	assert_int_equal(
		sig_sign_request(priv, "https://camp.example/users/alice#main-key",
				 "POST", "https://peer.example:8443/inbox", json,
				 strlen(json), "application/activity+json", now, &o),
		0);
	assert_string_equal(o.host, "peer.example:8443");
	struct hdrs h = {
		{"host", "date", "digest", "content-type", "signature", NULL},
		{o.host, o.date, o.digest, "application/activity+json", o.signature,
		 NULL},
	};
	struct http_msg m = {"POST", "/inbox", lookup, &h, json, strlen(json), 1};
	struct sig_params p;
	assert_int_equal(sig_from_msg(&m, &p), 0);
	assert_string_equal(p.key_id, "https://camp.example/users/alice#main-key");
	assert_int_equal(sig_verify(&m, &p, pub, now), 0);
	assert_int_equal(sig_verify(&m, &p, other_pub, now), CAMP_EPERM);
	sig_params_free(&p);
	free(o.signature);

	/* A GET signed over the path only, with a query sent. */
	assert_int_equal(sig_sign_request(priv, "k", "GET",
					  "https://camp.example/posts/1", NULL, 0, NULL,
					  now, &o),
			 0);
	struct hdrs g = {{"host", "date", "signature", NULL},
			 {"camp.example", o.date, o.signature, NULL}};
	struct http_msg gm = {"GET", "/posts/1?page=2", lookup, &g, NULL, 0, 0};
	assert_int_equal(sig_from_msg(&gm, &p), 0);
	assert_int_equal(sig_verify(&gm, &p, pub, now), 0);
	gm.target = "/posts/2";
	assert_int_equal(sig_verify(&gm, &p, pub, now), CAMP_EPERM);
	sig_params_free(&p);
	free(o.signature);
	free(priv);
	free(pub);
	free(other_priv);
	free(other_pub);
}

static void test_bad_keys(void **state)
{
	assert_int_equal(rsa_verify_sha256("not a key", "x", 1, "AAAA"), CAMP_EINVAL);
	assert_int_equal(rsa_verify_sha256(test_public, "x", 1, "%%%"), CAMP_EINVAL);
	assert_int_equal(rsa_verify_sha256(test_public, "x", 1, "AAAA"), CAMP_EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_date),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_sign_vectors),
		cmocka_unit_test(test_verify_vectors),
		cmocka_unit_test(test_verify_required),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_bad_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
