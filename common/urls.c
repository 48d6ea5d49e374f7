/*
 * urls.c: the shape of the URLs that name this camp's members and posts
 * to the fediverse, written once for every room: the federation side
 * serves them, the commands over ssh print them.
 *
 * A URL, once given out, must keep working: nothing here may ever change
 * the shape of one.
 */
#include "common.h"

char *camp_actor_url(const char *base, const char *username)
{
	return xasprintf("%s/users/%s", base, username);
}

char *camp_post_url(const char *base, int64_t post_id)
{
	return xasprintf("%s/posts/%lld", base, (long long)post_id);
}
