/*
 * log.c: leveled log lines on stderr.
 *
 * One line per event: time, role and pid, level, message.  The message
 * is passed through text_sanitize() so that a name or a URL that came
 * from outside can never put control characters into an operator's
 * terminal or log viewer.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *log_role = "camp";
static enum log_level log_threshold = LOG_INFO;
static int log_fd = STDERR_FILENO;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_set_role(const char *role)
{
	log_role = role;
}

void log_set_fd(int fd)
{
	log_fd = fd;
}

void log_set_level(enum log_level level)
{
	log_threshold = level;
}

int log_level_parse(const char *s)
{
	for (size_t i = 0; i < ARRAY_LEN(level_names); i++)
		if (strcmp(s, level_names[i]) == 0)
			return (int)i;
	return -1;
}

static void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	struct buf raw = BUF_INIT, line = BUF_INIT;
	char stamp[32];

	time_rfc3339(now_s(), stamp);
	buf_vprintf(&raw, fmt, ap);
	buf_printf(&line, "%s %s[%ld] %s: ", stamp, log_role, (long)getpid(),
		   level_names[level]);
	text_sanitize(&line, raw.data ? raw.data : "", raw.len, 0);
	buf_putc(&line, '\n');
	/* One write() per line keeps lines from several processes whole. */
	if (write(log_fd, line.data, line.len) < 0) {
		/* Nowhere left to report it. */
	}
	buf_free(&raw);
	buf_free(&line);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level < log_threshold)
		return;
	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

void fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_ERROR, fmt, ap);
	va_end(ap);
	abort();
}
