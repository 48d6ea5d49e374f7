/*
 * unit.h: what every cmocka unit test includes, plus small helpers for a
 * fresh temporary camp database per test.
 */
#ifndef CAMP_UNIT_H
#define CAMP_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/common.h"

/* Makes a fresh temporary folder; returns its path (caller frees with
 * unit_rmdir, which removes it and everything in it). */
static inline char *unit_tmpdir(void)
{
	char tmpl[] = "/tmp/camp-unit-XXXXXX";
	char *d = mkdtemp(tmpl);

	assert_non_null(d);
	return xstrdup(d);
}

static inline void unit_rmdir(char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
}

#endif
