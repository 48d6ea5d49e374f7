/*
 * ssrf.c: which addresses the camp must not connect to on a remote
 * server's say-so.
 *
 * Remote documents name URLs (inboxes, keys, objects); without this check
 * a stranger could make the camp probe its own machine or network.  The
 * check runs on the address actually being connected to (libcurl's
 * open-socket callback), so DNS tricks do not get around it.
 */
#include "federation/federation.h"

#include <netinet/in.h>
#include <string.h>

/* IPv4 ranges that are not the public internet (RFC 6890 and friends). */
static int v4_private(uint32_t a)
{
	static const struct {
		uint32_t net;
		int bits;
	} ranges[] = {
		{0x00000000, 8},  /* this network */
		{0x0A000000, 8},  /* private */
		{0x64400000, 10}, /* carrier-grade NAT */
		{0x7F000000, 8},  /* loopback */
		{0xA9FE0000, 16}, /* link-local */
		{0xAC100000, 12}, /* private */
		{0xC0000000, 24}, /* IETF protocol assignments */
		{0xC0000200, 24}, /* TEST-NET-1 */
		{0xC0A80000, 16}, /* private */
		{0xC6120000, 15}, /* benchmarking */
		{0xC6336400, 24}, /* TEST-NET-2 */
		{0xCB007100, 24}, /* TEST-NET-3 */
		{0xE0000000, 4},  /* multicast */
		{0xF0000000, 4},  /* reserved and broadcast */
	};

	for (size_t i = 0; i < ARRAY_LEN(ranges); i++) {
		uint32_t mask = ranges[i].bits ? ~0u << (32 - ranges[i].bits) : 0;
		if ((a & mask) == ranges[i].net)
			return 1;
	}
	return 0;
}

static uint32_t v4_at(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int v6_private(const unsigned char *b)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0,	   0,
						 0, 0, 0, 0, 0xff, 0xff};
	static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b};
	static const unsigned char zero[16];

	if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0)
		return v4_private(v4_at(b + 12));
	if (b[0] == 0x20 && b[1] == 0x02) /* 6to4: judge the IPv4 inside */
		return v4_private(v4_at(b + 2));
	if (memcmp(b, zero, 15) == 0) /* :: and ::1 */
		return 1;
	if (memcmp(b, zero, 12) == 0) /* IPv4-compatible, deprecated */
		return 1;
	if ((b[0] & 0xfe) == 0xfc) /* unique local fc00::/7 */
		return 1;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) /* link-local fe80::/10 */
		return 1;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) /* site-local, deprecated */
		return 1;
	if (b[0] == 0xff) /* multicast */
		return 1;
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) /* docs */
		return 1;
	return 0;
}

int net_addr_is_private(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		return v4_private(ntohl(in->sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		return v6_private(in6->sin6_addr.s6_addr);
	}
	return 1; /* anything else (unix sockets...) is never allowed */
}
