/*
 * runlock.c: DIR/serve.lock, the sign that `camp serve` runs on a camp.
 *
 * The listener takes an flock on the file at start and keeps it until it
 * exits; the kernel drops it with the process, however it ends, so a
 * file left behind by a crash is never mistaken for a running camp.  The
 * file's text (pid and start time) is only read while the lock is held.
 * This file must never block: every lock here is tried, not waited for.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static char *lock_path(const char *dir)
{
	return xasprintf("%s/serve.lock", dir);
}

/* Reads "PID STARTED_AT" from an open lock file. */
static void lock_read(int fd, struct run_info *out)
{
	char text[64];
	long long started = 0;
	ssize_t n = pread(fd, text, sizeof text - 1, 0);

	text[n > 0 ? n : 0] = '\0';
	if (sscanf(text, "%ld %lld", &out->pid, &started) != 2)
		out->pid = 0, started = 0;
	out->started_at = started;
}

void run_lock_probe(const char *dir, struct run_info *out)
{
	char *path = lock_path(dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(out, 0, sizeof *out);
	free(path);
	if (fd < 0)
		return;
	if (flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
		out->running = 1;
		lock_read(fd, out);
	}
	close(fd); /* drops the shared lock, if we got it */
}

int run_lock_take(const char *dir)
{
	char *path = lock_path(dir), text[64];
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600), r = 0;
	struct run_info other = {0};

	if (fd < 0) {
		r = err_set(CAMP_EIO, "cannot open %s: %s", path, strerror(errno));
	} else if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		lock_read(fd, &other);
		r = err_set(CAMP_EEXIST,
			    "the camp in %s is being served already (pid %ld)", dir,
			    other.pid);
		close(fd);
	} else {
		int n = snprintf(text, sizeof text, "%ld %lld\n", (long)getpid(),
				 (long long)now_s());
		if (ftruncate(fd, 0) != 0 || pwrite(fd, text, (size_t)n, 0) != n)
			log_warn("cannot write %s: %s", path, strerror(errno));
		/* fd stays open, and locked, for the life of the process. */
	}
	free(path);
	return r;
}
