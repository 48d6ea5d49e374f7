/*
 * listen.c: the listener: accepts SSH connections, forks a session for
 * each one before any crypto, keeps the per-address limits, supervises
 * long-lived children, and shuts everything down on SIGTERM.
 *
 * All limits live here, in memory: at most max_unauth_per_addr
 * connections per address that have not authenticated yet, max_sessions
 * in all, failed logins and invite code tries counted per address with a
 * slow decay.  Sessions report over a socketpair each (link.c).  The
 * listener never opens the database and never speaks SSH itself; a
 * session's crash must never take it down.
 */
#include "sshd/sshd.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define FAIL_LIMIT 30	    /* failed logins before an address is refused */
#define FAIL_DECAY_MS 5000  /* one failure forgiven every 5 s */
#define JOIN_LIMIT 10	    /* invite code tries in a burst */
#define JOIN_DECAY_MS 60000 /* one try given back every minute */
#define STOP_GRACE_MS 4000  /* sessions get this long to say goodbye */

struct kid {
	pid_t pid;
	int link;   /* our end of the session's socketpair, or -1 */
	int authed; /* counted as unauthenticated until it says so */
	char addr[48];
};

struct addr_state {
	char addr[48];
	int unauth;
	double fails, joins; /* decaying counters */
	int64_t updated_ms;
};

struct listener {
	const char *dir;
	struct config *cfg;
	char *motd;
	ssh_bind bind;
	int lfd;
	struct kid *kids;
	int nkids, capkids;
	struct addr_state *addrs;
	int naddrs, capaddrs;
	struct supervisor *sv;
};

static int sig_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;

	if (write(sig_pipe[1], &c, 1) < 0) {
		/* the pipe is full: a wake-up is pending anyway */
	}
	errno = saved;
}

static int listen_signals(void)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGCHLD};
	struct sigaction sa;

	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		return err_set(CAMP_EIO, "pipe: %s", strerror(errno));
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_LEN(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* ---- per-address state ---- */

static struct addr_state *addr_get(struct listener *l, const char *addr, int64_t now)
{
	struct addr_state *a = NULL;

	for (int i = 0; i < l->naddrs && !a; i++)
		if (strcmp(l->addrs[i].addr, addr) == 0)
			a = &l->addrs[i];
	if (a == NULL) {
		if (l->naddrs == l->capaddrs) {
			l->capaddrs = l->capaddrs ? l->capaddrs * 2 : 16;
			l->addrs = xrealloc(l->addrs,
					    sizeof *l->addrs * (size_t)l->capaddrs);
		}
		a = &l->addrs[l->naddrs++];
		memset(a, 0, sizeof *a);
		snprintf(a->addr, sizeof a->addr, "%s", addr);
		a->updated_ms = now;
	}
	/* Decay the counters for the time that passed. */
	double dt = (double)(now - a->updated_ms);
	a->fails = a->fails - dt / FAIL_DECAY_MS > 0 ? a->fails - dt / FAIL_DECAY_MS : 0;
	a->joins = a->joins - dt / JOIN_DECAY_MS > 0 ? a->joins - dt / JOIN_DECAY_MS : 0;
	a->updated_ms = now;
	return a;
}

/* Forgets addresses with nothing left to remember. */
static void addr_gc(struct listener *l, int64_t now)
{
	for (int i = 0; i < l->naddrs;) {
		struct addr_state *a = addr_get(l, l->addrs[i].addr, now);
		if (a->unauth == 0 && a->fails == 0 && a->joins == 0)
			l->addrs[i] = l->addrs[--l->naddrs];
		else
			i++;
	}
}

/* ---- sessions ---- */

static struct kid *kid_find(struct listener *l, pid_t pid)
{
	for (int i = 0; i < l->nkids; i++)
		if (l->kids[i].pid == pid)
			return &l->kids[i];
	return NULL;
}

static void kid_authed(struct listener *l, struct kid *k)
{
	if (k->authed)
		return;
	k->authed = 1;
	struct addr_state *a = addr_get(l, k->addr, mono_ms());
	if (a->unauth > 0)
		a->unauth--;
}

static void kid_remove(struct listener *l, struct kid *k)
{
	kid_authed(l, k);
	if (k->link >= 0)
		close(k->link);
	*k = l->kids[--l->nkids];
}

/* Handles one byte from a session. */
static void kid_message(struct listener *l, struct kid *k, char msg)
{
	struct addr_state *a = addr_get(l, k->addr, mono_ms());
	char reply;

	switch (msg) {
	case LINK_AUTHED:
		kid_authed(l, k);
		break;
	case LINK_AUTH_FAILED:
		a->fails += 1;
		break;
	case LINK_JOIN_ASK:
		reply = a->joins + 1 <= JOIN_LIMIT ? LINK_YES : LINK_NO;
		if (reply == LINK_YES)
			a->joins += 1;
		else
			log_warn("refusing an invite code try from %s: too many tries",
				 k->addr);
		if (write(k->link, &reply, 1) < 0)
			log_debug("cannot answer session %ld", (long)k->pid);
		break;
	case LINK_JOIN_OK:
		a->joins = a->joins >= 1 ? a->joins - 1 : 0;
		kid_authed(l, k); /* a member now */
		break;
	default:
		log_warn("session %ld sent an unknown message", (long)k->pid);
	}
}

static void kid_read(struct listener *l, struct kid *k)
{
	char msgs[64];
	ssize_t n = read(k->link, msgs, sizeof msgs);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		close(k->link);
		k->link = -1;
		return;
	}
	for (ssize_t i = 0; i < n; i++)
		kid_message(l, k, msgs[i]);
}

static void reap(struct listener *l)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct kid *k = kid_find(l, pid);
		if (k && WIFSIGNALED(status))
			log_warn("session %ld (%s) died of signal %d", (long)pid, k->addr,
				 WTERMSIG(status));
		if (k)
			kid_remove(l, k);
		else
			supervisor_reaped(l->sv, pid, status, mono_ms());
	}
}

/* ---- accepting ---- */

static void peer_name(const struct sockaddr_storage *ss, socklen_t len,
		      struct session_spec *spec)
{
	char host[NI_MAXHOST] = "?", serv[NI_MAXSERV] = "?";
	const char *h = host;

	getnameinfo((const struct sockaddr *)ss, len, host, sizeof host, serv,
		    sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV);
	if (strncmp(h, "::ffff:", 7) == 0 && strchr(h, '.'))
		h += 7; /* an IPv4 client on a dual-stack socket */
	snprintf(spec->addr, sizeof spec->addr, "%.47s", h);
	snprintf(spec->peer, sizeof spec->peer, "%.47s port %.8s", h, serv);
}

/* Why a new connection from addr must be turned away, or NULL. */
static const char *admit(struct listener *l, const char *addr)
{
	struct addr_state *a = addr_get(l, addr, mono_ms());

	if (l->nkids >= l->cfg->max_sessions)
		return "max_sessions reached";
	if (a->unauth >= l->cfg->max_unauth_per_addr)
		return "too many unauthenticated connections from it";
	if (a->fails >= FAIL_LIMIT)
		return "too many failed logins from it; it must wait";
	return NULL;
}

/* Forks the session for fd; the parent keeps the link's other end. */
static void spawn(struct listener *l, struct session_spec *spec)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		log_error("socketpair: %s", strerror(errno));
		return;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		log_error("fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return;
	}
	if (pid == 0) {
		close(sv[0]);
		spec->link_fd = sv[1];
		session_main(spec);
	}
	close(sv[1]);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	if (l->nkids == l->capkids) {
		l->capkids = l->capkids ? l->capkids * 2 : 32;
		l->kids = xrealloc(l->kids, sizeof *l->kids * (size_t)l->capkids);
	}
	struct kid *k = &l->kids[l->nkids++];
	k->pid = pid;
	k->link = sv[0];
	k->authed = 0;
	snprintf(k->addr, sizeof k->addr, "%s", spec->addr);
	addr_get(l, spec->addr, mono_ms())->unauth++;
}

static void accept_one(struct listener *l)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	struct session_spec spec;
	const char *why;
	int fd = accept4(l->lfd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);

	if (fd < 0) {
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			log_warn("accept: %s", strerror(errno));
		return;
	}
	memset(&spec, 0, sizeof spec);
	peer_name(&ss, len, &spec);
	if ((why = admit(l, spec.addr)) != NULL) {
		log_warn("refused a connection from %s: %s", spec.peer, why);
		close(fd);
		return;
	}
	spec.dir = l->dir;
	spec.cfg = l->cfg;
	spec.motd = l->motd;
	spec.bind = l->bind;
	spec.fd = fd;
	spec.link_fd = -1;
	spawn(l, &spec);
	close(fd);
}

/* ---- binding ---- */

static int try_bind(const struct addrinfo *ai)
{
	int one = 1, zero = 0;
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 128) == 0)
		return fd;
	int e = errno;
	close(fd);
	errno = e;
	return -1;
}

/* Binds ssh_listen: a given host, or every address (IPv6 and IPv4). */
static int listen_bind(const char *listen_addr, int *out)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	char *host = NULL, port_s[16];
	int port, fd = -1, r;

	if ((r = config_split_listen(listen_addr, &host, &port)) != 0)
		return r;
	snprintf(port_s, sizeof port_s, "%d", port);
	hints.ai_family = host ? AF_UNSPEC : AF_INET6;
	if (getaddrinfo(host, port_s, &hints, &res) != 0 && host == NULL) {
		hints.ai_family = AF_INET;
		getaddrinfo(NULL, port_s, &hints, &res);
	}
	for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next)
		fd = try_bind(ai);
	if (fd < 0)
		r = err_set(CAMP_EIO, "cannot listen on %s: %s", listen_addr,
			    res ? strerror(errno) : "unknown address");
	if (res)
		freeaddrinfo(res);
	free(host);
	*out = fd;
	return r;
}

/* ---- the loop ---- */

static void reload(struct listener *l)
{
	char *conf = xasprintf("%s/camp.conf", l->dir);
	struct config fresh;

	config_defaults(&fresh);
	if (config_load(&fresh, conf) != 0) {
		log_error("SIGHUP: keeping the old settings: %s", err_last());
		config_free(&fresh);
	} else {
		if (strcmp(fresh.ssh_listen, l->cfg->ssh_listen) != 0)
			log_warn("SIGHUP: a new ssh_listen takes a restart");
		config_free(l->cfg);
		*l->cfg = fresh;
		log_set_level((enum log_level)log_level_parse(l->cfg->log_level));
		log_info("SIGHUP: reloaded camp.conf and motd.txt");
	}
	free(l->motd);
	sshd_load_motd(l->dir, &l->motd);
	supervisor_signal(l->sv, SIGHUP);
	free(conf);
}

/* Returns 1 once asked to stop. */
static int handle_signals(struct listener *l)
{
	unsigned char sigs[32];
	ssize_t n = read(sig_pipe[0], sigs, sizeof sigs);
	int stop = 0;

	for (ssize_t i = 0; i < n; i++) {
		if (sigs[i] == SIGCHLD)
			reap(l);
		else if (sigs[i] == SIGHUP)
			reload(l);
		else
			stop = 1;
	}
	return stop;
}

static int poll_timeout(struct listener *l)
{
	int next = supervisor_tick(l->sv, mono_ms());

	return next < 0 || next > 10000 ? 10000 : next;
}

/* One round of poll() over the socket, the signal pipe and every link. */
static int listen_once(struct listener *l, struct pollfd *fds)
{
	int n = 0, stop = 0;

	fds[n++] = (struct pollfd){.fd = l->lfd, .events = POLLIN};
	fds[n++] = (struct pollfd){.fd = sig_pipe[0], .events = POLLIN};
	for (int i = 0; i < l->nkids; i++)
		fds[n++] = (struct pollfd){.fd = l->kids[i].link, .events = POLLIN};
	if (poll(fds, (nfds_t)n, poll_timeout(l)) < 0 && errno != EINTR)
		fatal("poll: %s", strerror(errno));
	/* Links first: the kids table may change when signals are read. */
	for (int i = 0; i < l->nkids && 2 + i < n; i++)
		if (fds[2 + i].revents && l->kids[i].link == fds[2 + i].fd)
			kid_read(l, &l->kids[i]);
	if (fds[1].revents & POLLIN)
		stop = handle_signals(l);
	if (!stop && (fds[0].revents & POLLIN))
		accept_one(l);
	addr_gc(l, mono_ms());
	return stop;
}

/* Tells every child to stop, waits, then makes sure. */
static void shutdown_all(struct listener *l)
{
	int64_t deadline = mono_ms() + STOP_GRACE_MS;
	struct pollfd p = {.fd = sig_pipe[0], .events = POLLIN};

	log_info("stopping: telling %d session(s) the camp is restarting", l->nkids);
	close(l->lfd);
	supervisor_stop(l->sv);
	for (int i = 0; i < l->nkids; i++)
		kill(l->kids[i].pid, SIGTERM);
	supervisor_signal(l->sv, SIGTERM);
	while ((l->nkids > 0 || supervisor_running(l->sv) > 0) && mono_ms() < deadline) {
		poll(&p, 1, 100);
		handle_signals(l);
		reap(l);
	}
	for (int i = 0; i < l->nkids; i++)
		kill(l->kids[i].pid, SIGKILL);
	supervisor_signal(l->sv, SIGKILL);
	while (l->nkids > 0 || supervisor_running(l->sv) > 0) {
		int status;
		pid_t pid = waitpid(-1, &status, 0);
		if (pid < 0)
			break;
		struct kid *k = kid_find(l, pid);
		if (k)
			kid_remove(l, k);
		else
			supervisor_reaped(l->sv, pid, status, mono_ms());
	}
}

int listener_run(const char *dir, struct config *cfg, ssh_bind bind,
		 const struct sshd_child *children)
{
	struct listener l = {.dir = dir, .cfg = cfg, .bind = bind, .lfd = -1};
	struct pollfd *fds = NULL;
	int r;

	if ((r = listen_signals()) != 0 ||
	    (r = listen_bind(cfg->ssh_listen, &l.lfd)) != 0)
		return r;
	sshd_load_motd(dir, &l.motd);
	l.sv = supervisor_new(dir, cfg, children);
	log_info("listening for ssh on %s", cfg->ssh_listen);
	for (;;) {
		fds = xrealloc(fds, sizeof *fds * (size_t)(l.nkids + 2));
		if (listen_once(&l, fds))
			break;
	}
	shutdown_all(&l);
	log_info("stopped");
	supervisor_free(l.sv);
	free(fds);
	free(l.kids);
	free(l.addrs);
	free(l.motd);
	return 0;
}
