/*
 * cli.c: `camp federation DIR`: the federation child alone, in the
 * foreground, for development (the HTTP side and the delivery worker
 * without the SSH listener).  A camp is run with `camp serve`, which
 * starts and supervises the same child.
 *
 * It is a way to run the real thing, never a way around it: nothing here
 * touches the camp other than federation_main does.
 */
#include "federation/federation.h"

#include <stdio.h>

int federation_cmd(int argc, char **argv)
{
	if (argc != 1) {
		fprintf(stderr, "usage: camp federation DIR\n");
		return 2;
	}
	return federation_main(argv[0]);
}
