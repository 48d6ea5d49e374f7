/*
 * doctor-net.c: the checks of `camp doctor` that look at the network:
 * do the domain and the public URL resolve to this machine, are the
 * ports free (or answered by this very camp), and can WebFinger be
 * reached where other servers look for it.
 *
 * Each only observes: it connects, binds a moment or fetches once, and
 * never changes the camp.  Where a check cannot see what other servers
 * see (a router, a proxy elsewhere), it says so instead of failing.
 */
#include "cli/doctor.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "federation/federation.h"

#define CONNECT_MS 3000

/* The host of "host", "host:port" or "[v6]:port", without the port;
 * caller frees. */
static char *host_only(const char *hostport)
{
	if (hostport[0] == '[')
		return xstrndup(hostport + 1, strcspn(hostport + 1, "]"));
	if (strchr(hostport, ':') != strrchr(hostport, ':'))
		return xstrdup(hostport); /* a bare IPv6 address */
	return xstrndup(hostport, strcspn(hostport, ":"));
}

/* 1 when sa is one of this machine's addresses (loopback included). */
static int addr_is_mine(const struct sockaddr *sa, const struct ifaddrs *ifs)
{
	for (const struct ifaddrs *i = ifs; i; i = i->ifa_next) {
		const struct sockaddr *a = i->ifa_addr;
		if (a == NULL || a->sa_family != sa->sa_family)
			continue;
		if (a->sa_family == AF_INET &&
		    memcmp(&((const struct sockaddr_in *)a)->sin_addr,
			   &((const struct sockaddr_in *)sa)->sin_addr, 4) == 0)
			return 1;
		if (a->sa_family == AF_INET6 &&
		    memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			   &((const struct sockaddr_in6 *)sa)->sin6_addr, 16) == 0)
			return 1;
	}
	return 0;
}

/* Whether host resolves, and to this machine. */
static enum verdict resolves_here(struct doctor *d, const char *what, const char *host)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
	struct ifaddrs *ifs = NULL;
	char addr[INET6_ADDRSTRLEN] = "?";
	int rc = getaddrinfo(host, NULL, &hints, &res), mine = 0, all = 0;

	if (rc != 0) {
		buf_printf(&d->said, "%s %s does not resolve: %s", what, host,
			   gai_strerror(rc));
		buf_printf(&d->fix,
			   "give %s a DNS record (A or AAAA) with this machine's "
			   "public address",
			   host);
		return DR_FAIL;
	}
	getifaddrs(&ifs);
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next, all++)
		mine += addr_is_mine(ai->ai_addr, ifs);
	getnameinfo(res->ai_addr, res->ai_addrlen, addr, sizeof addr, NULL, 0,
		    NI_NUMERICHOST);
	freeifaddrs(ifs);
	freeaddrinfo(res);
	if (mine == all) {
		buf_printf(&d->said, "%s %s resolves to %s, this machine", what, host,
			   addr);
		return DR_OK;
	}
	buf_printf(&d->said,
		   "%s %s resolves to %s, which is not an address of this "
		   "machine",
		   what, host, addr);
	buf_printf(&d->fix,
		   "point %s at this machine, unless a router or a proxy "
		   "elsewhere forwards that address here",
		   host);
	return DR_WARN;
}

enum verdict doctor_domain(struct doctor *d)
{
	char *host = host_only(d->cfg.domain);
	enum verdict v = resolves_here(d, "the domain", host);

	free(host);
	return v;
}

enum verdict doctor_public_url(struct doctor *d)
{
	const char *u = d->cfg.public_url, *p = strstr(u, "://");
	char *hostport = xstrndup(p ? p + 3 : u, strcspn(p ? p + 3 : u, "/?#"));
	char *host = host_only(hostport);
	enum verdict v = resolves_here(d, "the public URL's host", host);

	free(host);
	free(hostport);
	return v;
}

/* Connects to port on host (the wildcard addresses meaning this
 * machine) within CONNECT_MS; the fd, or -1 with errno. */
static int connect_to(const char *host, int port)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV},
			*res = NULL;
	char ports[16];
	int fd = -1;

	if (host == NULL || strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0)
		host = "127.0.0.1";
	snprintf(ports, sizeof ports, "%d", port);
	if (getaddrinfo(host, ports, &hints, &res) != 0)
		return -1;
	for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
			int e = errno;
			close(fd);
			fd = -1;
			errno = e;
		}
	}
	freeaddrinfo(res);
	return fd;
}

/* 1 when the SSH server on fd is a camp (its banner says so). */
static int banner_is_camp(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char banner[256] = "";

	if (poll(&p, 1, CONNECT_MS) == 1) {
		ssize_t n = read(fd, banner, sizeof banner - 1);
		banner[n > 0 ? n : 0] = '\0';
	}
	return strncmp(banner, "SSH-2.0-camp_", 13) == 0;
}

/* While the camp serves: its own ports must answer, the SSH one as a
 * camp. */
static enum verdict port_serving(struct doctor *d, const char *key, const char *host,
				 int port, int ssh)
{
	int fd = connect_to(host, port), ours = fd >= 0 && (!ssh || banner_is_camp(fd));

	if (fd >= 0)
		close(fd);
	if (ours) {
		buf_printf(&d->said, "%s port %d answers (this camp, pid %ld)", key, port,
			   d->h.run.pid);
		return DR_OK;
	}
	buf_printf(&d->said, "%s port %d: %s", key, port,
		   fd < 0 ? "nothing answers, though camp serve runs"
			  : "another program answers, not this camp");
	buf_printf(&d->fix, "look at camp serve's log for why it could not listen on %s",
		   key);
	return DR_FAIL;
}

/* While the camp is stopped: its ports must be free to take. */
static enum verdict port_free(struct doctor *d, const char *key, const char *host,
			      int port)
{
	struct sockaddr_in6 a6 = {.sin6_family = AF_INET6,
				  .sin6_port = htons((uint16_t)port)};
	struct sockaddr_in a4 = {.sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port)};
	int v6 = host && strchr(host, ':') != NULL, one = 1, ok, e;
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (v6)
		inet_pton(AF_INET6, host, &a6.sin6_addr);
	else if (host == NULL || inet_pton(AF_INET, host, &a4.sin_addr) != 1)
		a4.sin_addr.s_addr = htonl(INADDR_ANY);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	ok = fd >= 0 && bind(fd, v6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4,
			     v6 ? sizeof a6 : sizeof a4) == 0;
	e = errno;
	if (fd >= 0)
		close(fd);
	if (ok) {
		buf_printf(&d->said, "%s port %d is free", key, port);
		return DR_OK;
	}
	buf_printf(&d->said, "%s port %d %s", key, port,
		   e == EADDRINUSE ? "is in use by another program"
		   : e == EACCES   ? "needs privileges (a port below 1024)"
				   : strerror(e));
	buf_printf(&d->fix,
		   e == EACCES
			   ? "use a port above 1023 for %s, or give camp the "
			     "CAP_NET_BIND_SERVICE capability"
			   : "stop the program that holds it (ss -ltnp shows which), or "
			     "choose another port for %s in camp.conf",
		   key);
	return DR_FAIL;
}

static enum verdict port_check(struct doctor *d, const char *key, const char *listen,
			       int ssh)
{
	char *host = NULL;
	int port;
	enum verdict v;

	if (config_split_listen(listen, &host, &port) != 0) {
		buf_printf(&d->said, "%s = %s is not an address", key, listen);
		buf_printf(&d->fix, "set %s to HOST:PORT in camp.conf", key);
		return DR_FAIL;
	}
	if (d->h.run.running)
		v = port_serving(d, key, host, port, ssh);
	else
		v = port_free(d, key, host, port);
	free(host);
	return v;
}

enum verdict doctor_ports(struct doctor *d)
{
	enum verdict a = port_check(d, "ssh_listen", d->cfg.ssh_listen, 1);
	struct buf first = d->said, fix = d->fix;
	enum verdict b;

	d->said = (struct buf)BUF_INIT;
	d->fix = (struct buf)BUF_INIT;
	b = port_check(d, "http_listen", d->cfg.http_listen, 0);
	buf_printf(&first, "; %s", buf_str(&d->said));
	if (d->fix.len)
		buf_printf(&fix, "%s%s", fix.len ? "; " : "", buf_str(&d->fix));
	buf_free(&d->said);
	buf_free(&d->fix);
	d->said = first;
	d->fix = fix;
	return a > b ? a : b;
}

/* GETs url as other servers would find it (https only, the camp's CAs
 * and private-address rule); 0 with the status, or the curl error. */
static int webfinger_get(struct doctor *d, const char *url, struct fed_response *res)
{
	CURL *c = curl_easy_init();
	CURLcode cc;

	if (c == NULL)
		return err_set(CAMP_ENOMEM, "cannot start libcurl");
	fed_curl_setup(&d->cfg, c, res, 10);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_URL, url);
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
	curl_easy_cleanup(c);
	return cc == CURLE_OK ? 0 : err_set(CAMP_EIO, "%s", curl_easy_strerror(cc));
}

enum verdict doctor_webfinger(struct doctor *d)
{
	char *host = host_only(d->cfg.domain);
	char *url = xasprintf("https://%s/.well-known/webfinger?resource=acct:%s@%s",
			      d->cfg.domain, host, d->cfg.domain);
	struct fed_response res;
	enum verdict v = DR_OK;

	memset(&res, 0, sizeof res);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (webfinger_get(d, url, &res) != 0 || res.status != 200 ||
	    strstr(buf_str(&res.body), "\"self\"") == NULL) {
		if (res.status == 0)
			buf_printf(&d->said, "%s cannot be reached: %s", url, err_last());
		else if (res.status != 200)
			buf_printf(&d->said, "%s answered %ld", url, res.status);
		else
			buf_printf(&d->said, "%s answered without the camp's actor", url);
		buf_printf(&d->fix,
			   "other servers find members there: serve HTTPS for %s "
			   "on its default port (a reverse proxy, see the README), "
			   "and check its DNS record and the firewall",
			   d->cfg.domain);
		v = DR_FAIL;
	} else {
		buf_printf(&d->said, "%s answers with the camp's actor", url);
	}
	fed_response_free(&res);
	curl_global_cleanup();
	free(url);
	free(host);
	return v;
}
