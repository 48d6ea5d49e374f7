/*
 * opts.c: command-line flags for `camp ...` and for the commands members
 * run over ssh, parsed the same way in both places.
 *
 * Accepts `--name VALUE`, `--name=VALUE` and bare `--flag`; `--` ends the
 * flags.  Everything else is a positional argument, kept in order.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

static const struct opt *opt_find(const struct opt *opts, const char *name, size_t len)
{
	for (const struct opt *o = opts; o && o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

int opts_parse(int argc, char **argv, const struct opt *opts, char **pos, int *npos)
{
	int n = 0, flags_done = 0;

	for (int i = 0; i < argc; i++) {
		char *a = argv[i];
		if (flags_done || strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (!flags_done && strcmp(a, "--") == 0) {
				flags_done = 1;
				continue;
			}
			pos[n++] = a;
			continue;
		}
		char *eq = strchr(a + 2, '=');
		size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		const struct opt *o = opt_find(opts, a + 2, len);
		if (o == NULL)
			return err_set(CAMP_EINVAL, "unknown option --%.*s", (int)len,
				       a + 2);
		if (!o->has_arg) {
			if (eq)
				return err_set(CAMP_EINVAL, "--%s takes no value",
					       o->name);
			*o->flag = 1;
		} else if (eq) {
			*o->value = eq + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			return err_set(CAMP_EINVAL, "--%s needs a value", o->name);
		}
	}
	*npos = n;
	return 0;
}

int opts_int(const char *name, const char *v, long min, long max, long *out)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (end == v || *end != '\0' || n < min || n > max)
		return err_set(CAMP_EINVAL, "--%s must be a number from %ld to %ld", name,
			       min, max);
	*out = n;
	return 0;
}
