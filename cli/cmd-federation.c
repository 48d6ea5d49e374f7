/*
 * cmd-federation.c: `camp federation DIR`: the federation child alone,
 * in the foreground, for development: the HTTP side, the lookup server
 * and the delivery worker without the SSH listener.  A camp is run with
 * `camp serve`, which starts and supervises the same child.
 *
 * It is a way to run the real thing, never a way around it: nothing here
 * touches the camp other than federation_main() does.
 */
#include "cli/cli.h"

#include "federation/federation.h"

static int federation_run(int argc, char **argv);

const struct cli_entry cli_federation_entry = {
	"federation",
	"federation DIR",
	"(for development) run only the HTTP side and deliveries",
	federation_run,
};

static int federation_run(int argc, char **argv)
{
	if (argc != 1)
		return cli_usage(&cli_federation_entry, "expected one camp folder");
	return federation_main(argv[0]);
}
