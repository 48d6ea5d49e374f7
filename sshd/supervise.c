/*
 * supervise.c: the listener's long-lived children (the federation
 * process and whatever comes later), kept running with restarts.
 *
 * A child that dies is started again after a backoff (1 s, doubling to a
 * minute, back to 1 s once it has run for a minute), so a crash loop
 * cannot eat the machine.  A job (scheduled backups) is started when its
 * due_in says so and ends by itself; one that fails is tried again
 * after a minute, doubling to an hour.  Adding either is one line in the
 * table that cli/cmd-serve.c hands to sshd_serve().  This file must never wait for a child
 * itself: the listener reaps and reports through supervisor_reaped().
 */
#include "sshd/sshd.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 60000
#define HEALTHY_MS 60000
#define JOB_RECHECK_MS 60000	 /* a job's due_in is asked at least this often */
#define JOB_BACKOFF_MIN_MS 60000 /* a failed job waits this long, doubling */
#define JOB_BACKOFF_MAX_MS 3600000

struct sup_child {
	const struct sshd_child *spec;
	pid_t pid;	    /* 0 when not running */
	int64_t due_ms;	    /* when to start it next */
	int64_t started_ms; /* when it last started */
	int backoff_ms;
};

struct supervisor {
	const char *dir;
	const struct config *cfg;
	int64_t born_ms; /* when the supervisor started */
	struct sup_child *kids;
	int n;
	int stopping;
};

static int is_job(const struct sup_child *k)
{
	return k->spec->due_in != NULL;
}

struct supervisor *supervisor_new(const char *dir, const struct config *cfg,
				  const struct sshd_child *table)
{
	struct supervisor *sv = xcalloc(1, sizeof *sv);
	int n = 0;

	while (table && table[n].name)
		n++;
	sv->dir = dir;
	sv->cfg = cfg;
	sv->born_ms = mono_ms();
	sv->kids = xcalloc((size_t)n + 1, sizeof *sv->kids);
	sv->n = n;
	for (int i = 0; i < n; i++) {
		sv->kids[i].spec = &table[i];
		sv->kids[i].backoff_ms =
			is_job(&sv->kids[i]) ? JOB_BACKOFF_MIN_MS : BACKOFF_MIN_MS;
	}
	return sv;
}

/* Runs in the new child: a clean slate, then the child's main(). */
static CAMP_NORETURN void child_exec(const struct sup_child *k, const char *dir)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE, SIGALRM};
	sigset_t none;

	for (size_t i = 0; i < ARRAY_LEN(sigs); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	close_range(3, ~0U, 0);
	log_set_role(k->spec->name);
	exit(k->spec->main(dir));
}

static void child_start(struct supervisor *sv, struct sup_child *k, int64_t now)
{
	fflush(NULL);
	pid_t pid = fork();

	if (pid < 0) {
		log_error("cannot start %s: %s", k->spec->name, strerror(errno));
		k->due_ms = now + k->backoff_ms;
		return;
	}
	if (pid == 0)
		child_exec(k, sv->dir);
	k->pid = pid;
	k->started_ms = now;
	log_info("started %s (pid %ld)", k->spec->name, (long)pid);
}

/* A job whose check time has come: starts it if due_in says so, else
 * sets when to ask again. */
static void job_check(struct supervisor *sv, struct sup_child *k, int64_t now_ms)
{
	long s = k->spec->due_in(sv->dir, sv->cfg, (now_ms - sv->born_ms) / 1000);

	if (s == 0)
		child_start(sv, k, now_ms);
	else
		k->due_ms = now_ms + (s < 0 || s * 1000 > JOB_RECHECK_MS ? JOB_RECHECK_MS
									 : s * 1000);
}

int supervisor_tick(struct supervisor *sv, int64_t now_ms)
{
	int64_t next = -1;

	for (int i = 0; i < sv->n && !sv->stopping; i++) {
		struct sup_child *k = &sv->kids[i];
		if (k->pid == 0 && k->due_ms <= now_ms && is_job(k))
			job_check(sv, k, now_ms);
		else if (k->pid == 0 && k->due_ms <= now_ms)
			child_start(sv, k, now_ms);
		if (k->pid == 0 && (next < 0 || k->due_ms - now_ms < next))
			next = k->due_ms - now_ms;
	}
	return (int)next;
}

/* Says how a child ended: quietly when it stopped as told, loudly when
 * it died or failed (and so will be restarted, unless the camp stops). */
static void reaped_log(const struct supervisor *sv, const struct sup_child *k, pid_t pid,
		       int status)
{
	int sig = WIFSIGNALED(status);
	int code = sig ? WTERMSIG(status) : WEXITSTATUS(status);
	const char *how = sig ? "died of signal" : "exited";

	if (sv->stopping && !sig && code == 0)
		log_info("%s (pid %ld) stopped", k->spec->name, (long)pid);
	else if (sv->stopping)
		log_warn("%s (pid %ld) %s %d while stopping", k->spec->name, (long)pid,
			 how, code);
	else
		log_warn("%s (pid %ld) %s %d; restarting in %d s", k->spec->name,
			 (long)pid, how, code, k->backoff_ms / 1000);
}

/* A job ended: asked again at once after a success, after a growing
 * pause after a failure. */
static void job_reaped(struct supervisor *sv, struct sup_child *k, pid_t pid, int status,
		       int64_t now_ms)
{
	int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;

	if (ok || sv->stopping) {
		log_debug("%s (pid %ld) done", k->spec->name, (long)pid);
		k->backoff_ms = JOB_BACKOFF_MIN_MS;
		k->due_ms = now_ms;
		return;
	}
	log_warn("%s (pid %ld) failed; trying again in %d s", k->spec->name, (long)pid,
		 k->backoff_ms / 1000);
	k->due_ms = now_ms + k->backoff_ms;
	k->backoff_ms = k->backoff_ms * 2 > JOB_BACKOFF_MAX_MS ? JOB_BACKOFF_MAX_MS
							       : k->backoff_ms * 2;
}

int supervisor_reaped(struct supervisor *sv, pid_t pid, int status, int64_t now_ms)
{
	for (int i = 0; i < sv->n; i++) {
		struct sup_child *k = &sv->kids[i];
		if (k->pid != pid)
			continue;
		k->pid = 0;
		if (is_job(k)) {
			job_reaped(sv, k, pid, status, now_ms);
			return 1;
		}
		if (now_ms - k->started_ms >= HEALTHY_MS)
			k->backoff_ms = BACKOFF_MIN_MS;
		k->due_ms = now_ms + k->backoff_ms;
		reaped_log(sv, k, pid, status);
		k->backoff_ms = k->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
								   : k->backoff_ms * 2;
		return 1;
	}
	return 0;
}

void supervisor_signal(struct supervisor *sv, int sig)
{
	for (int i = 0; i < sv->n; i++)
		if (sv->kids[i].pid > 0)
			kill(sv->kids[i].pid, sig);
}

int supervisor_running(const struct supervisor *sv)
{
	int n = 0;

	for (int i = 0; i < sv->n; i++)
		n += sv->kids[i].pid > 0;
	return n;
}

void supervisor_stop(struct supervisor *sv)
{
	sv->stopping = 1;
}

void supervisor_free(struct supervisor *sv)
{
	if (sv == NULL)
		return;
	free(sv->kids);
	free(sv);
}
