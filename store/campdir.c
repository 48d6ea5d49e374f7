/*
 * campdir.c: a camp folder: DIR/camp.conf and DIR/camp.db opened
 * together.  (The member directory is member-directory.c's.)
 *
 * Every process of a camp starts here, so a missing or broken folder is
 * reported the same way by `camp serve`, `camp invite` and the rest.
 */
#include "store/store-private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int camp_dir_open(const char *dir, struct config *cfg, struct store **st)
{
	char *conf = xasprintf("%s/camp.conf", dir);
	char *db = xasprintf("%s/camp.db", dir);
	struct stat sb;
	int r;

	config_defaults(cfg);
	*st = NULL;
	if (stat(conf, &sb) != 0) {
		r = err_set(CAMP_ENOENT,
			    "%s is not a camp (no camp.conf); create one "
			    "with: camp init %s",
			    dir, dir);
		goto out;
	}
	if ((r = config_load(cfg, conf)) != 0)
		goto out;
	log_set_level((enum log_level)log_level_parse(cfg->log_level));
	r = store_open(db, 0, st);
out:
	if (r != 0)
		config_free(cfg);
	free(conf);
	free(db);
	return r;
}
