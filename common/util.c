/*
 * util.c: random codes, time, whole-file I/O, hashing.
 *
 * Small helpers that several rooms need.  Randomness comes only from the
 * OS (getrandom); there is no fallback to anything weaker.
 */
#include "common.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

void random_bytes(void *p, size_t n)
{
	unsigned char *out = p;

	while (n > 0) {
		ssize_t got = getrandom(out, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			fatal("getrandom: %s", strerror(errno));
		}
		out += got;
		n -= (size_t)got;
	}
}

void random_code(char *out, int groups)
{
	/* No 0/o, 1/l/i, so codes read aloud or copied by hand survive. */
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	char *o = out;

	for (int g = 0; g < groups; g++) {
		if (g > 0)
			*o++ = '-';
		for (int i = 0; i < 5; i++) {
			unsigned char byte;
			/* Rejection sampling keeps every letter equally likely:
			 * 31 letters, accept bytes below 248 = 8 * 31. */
			do
				random_bytes(&byte, 1);
			while (byte >= 248);
			*o++ = alphabet[byte % 31];
		}
	}
	*o = '\0';
}

int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void time_rfc3339(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Reads exactly n digits at *p into *v; advances *p. */
static int take_digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return 0;
}

/* Parses the zone: "Z", "+HH:MM", "+HHMM" (seen from some servers). */
static int parse_zone(const char *p, long *offset)
{
	int h, m, sign;

	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		*offset = 0;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (take_digits(&p, 2, &h) != 0)
		return -1;
	if (*p == ':')
		p++;
	if (take_digits(&p, 2, &m) != 0 || *p != '\0' || h > 23 || m > 59)
		return -1;
	*offset = sign * (h * 3600L + m * 60L);
	return 0;
}

int time_parse_rfc3339(const char *s, int64_t *t)
{
	struct tm tm;
	const char *p = s;
	int y, mo, d, h, mi, sec;
	long offset;

	memset(&tm, 0, sizeof tm);
	if (take_digits(&p, 4, &y) || *p++ != '-' || take_digits(&p, 2, &mo) ||
	    *p++ != '-' || take_digits(&p, 2, &d) ||
	    (*p != 'T' && *p != 't' && *p != ' '))
		return err_set(CAMP_EINVAL, "not an RFC 3339 time");
	p++;
	if (take_digits(&p, 2, &h) || *p++ != ':' || take_digits(&p, 2, &mi) ||
	    *p++ != ':' || take_digits(&p, 2, &sec))
		return err_set(CAMP_EINVAL, "not an RFC 3339 time");
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return err_set(CAMP_EINVAL, "not an RFC 3339 time");
		while (isdigit((unsigned char)*p))
			p++; /* fractions of a second are dropped */
	}
	if (parse_zone(p, &offset) != 0 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || sec > 60)
		return err_set(CAMP_EINVAL, "not an RFC 3339 time");
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*t = (int64_t)timegm(&tm) - offset;
	return 0;
}

int file_read(const char *path, size_t max, char **out, size_t *len)
{
	struct buf b = BUF_INIT;
	char chunk[8192];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err_set(errno == ENOENT ? CAMP_ENOENT : CAMP_EIO,
			       "cannot read %s: %s", path, strerror(errno));
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || b.len + (size_t)n > max) {
			int e = errno;
			close(fd);
			buf_free(&b);
			if (n >= 0)
				return err_set(CAMP_ETOOBIG,
					       "%s is larger than %zu bytes", path, max);
			return err_set(CAMP_EIO, "cannot read %s: %s", path, strerror(e));
		}
		buf_append(&b, chunk, (size_t)n);
	}
	close(fd);
	if (len)
		*len = b.len;
	*out = buf_detach(&b);
	return 0;
}

int file_write_atomic(const char *path, const void *data, size_t len, int mode)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	const char *p = data;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	if (fd < 0)
		goto fail;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail_fd;
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) != 0)
		goto fail_fd;
	if (close(fd) != 0) {
		fd = -1;
		goto fail_fd;
	}
	if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	return 0;
fail_fd:
	if (fd >= 0)
		close(fd);
fail : {
	int e = errno;
	unlink(tmp);
	free(tmp);
	return err_set(CAMP_EIO, "cannot write %s: %s", path, strerror(e));
}
}

char *path_in(const char *dir, const char *path)
{
	return path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", dir, path);
}

/* Copies every byte of fd `in` to fd `out`; 0 or -1 with errno set. */
static int copy_fd(int in, int out)
{
	char chunk[65536];
	ssize_t n;

	while ((n = read(in, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		for (char *p = chunk; n > 0;) {
			ssize_t w = write(out, p, (size_t)n);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -1;
			p += w;
			n -= w;
		}
	}
	return 0;
}

int file_copy(const char *from, const char *to, int mode)
{
	char *tmp = xasprintf("%s.tmp.%ld", to, (long)getpid());
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, e = 0;
	const char *failed = from;

	if (in < 0) {
		e = errno;
		goto out;
	}
	unlink(tmp);
	failed = to;
	if ((out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)) < 0 ||
	    copy_fd(in, out) != 0 || fsync(out) != 0)
		e = errno;
	if (out >= 0 && close(out) != 0 && e == 0)
		e = errno;
	if (e == 0 && rename(tmp, to) != 0)
		e = errno;
	if (e != 0)
		unlink(tmp);
out:
	if (in >= 0)
		close(in);
	free(tmp);
	if (e == 0)
		return 0;
	return err_set(e == ENOENT && failed == from ? CAMP_ENOENT : CAMP_EIO,
		       "cannot copy %s to %s: %s (%s)", from, to, strerror(e), failed);
}

void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
		fatal("SHA-256 failed");
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}
