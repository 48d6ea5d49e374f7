/*
 * fed-fixture.h: a fresh camp with a config and a struct fed for unit
 * tests of the federation side (no network, no HTTP server).
 */
#ifndef CAMP_TEST_FED_FIXTURE_H
#define CAMP_TEST_FED_FIXTURE_H

#include "tests/unit/model.h"

#include "federation/federation.h"

#define BASE "https://" DOMAIN

struct fed_fixture {
	struct camp_fixture *camp;
	struct config cfg;
	struct fed fed;
};

static inline int fed_setup(void **state)
{
	struct fed_fixture *f = xcalloc(1, sizeof *f);
	void *camp;

	camp_setup(&camp);
	f->camp = camp;
	config_defaults(&f->cfg);
	free(f->cfg.domain);
	free(f->cfg.public_url);
	f->cfg.domain = xstrdup(DOMAIN);
	f->cfg.public_url = xstrdup(BASE);
	f->fed = (struct fed){
		.st = f->camp->st, .cfg = &f->cfg, .base = f->cfg.public_url};
	*state = f;
	return 0;
}

static inline int fed_teardown(void **state)
{
	struct fed_fixture *f = *state;
	void *camp = f->camp;

	config_free(&f->cfg);
	camp_teardown(&camp);
	free(f);
	return 0;
}

#endif
