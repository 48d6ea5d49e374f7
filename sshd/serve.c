/*
 * serve.c: camp serve (placeholder until the SSH front door lands).
 */
#include "sshd/sshd.h"

int sshd_serve(const char *dir)
{
	(void)dir;
	fprintf(stderr, "camp serve: the SSH server is not built yet\n");
	return 1;
}
