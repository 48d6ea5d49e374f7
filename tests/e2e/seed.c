/*
 * seed.c: puts members, posts and follows into a test camp through the
 * store's own functions, for the client's end-to-end tests (built by
 * test_tui.py against libcamp.a).  Never SQL: what it makes is what a
 * member would make.  When the exec commands over ssh exist, tests should
 * prefer them.
 *
 *   seed DIR member NAME [INTRO]     joins NAME (onboarded), prints its id
 *   seed DIR newcomer NAME NOTE      joins NAME with a welcome note, not onboarded
 *   seed DIR post NAME LEVEL TEXT [CW [REPLY_TO]]   prints the post's id
 *   seed DIR follow NAME OTHER
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "store/store.h"

static int64_t seed_join(struct store *st, const struct config *cfg, const char *name,
			 const char *note)
{
	char code[INVITE_CODE_LEN], fp[64], key[96];
	struct join_request req = {0};
	int64_t id = 0;

	snprintf(fp, sizeof fp, "SHA256:seed-%s", name);
	snprintf(key, sizeof key, "AAAAC3NzaC1lZDI1NTE5AAAAISeed%s", name);
	req.code = code;
	req.username = name;
	req.key_type = "ssh-ed25519";
	req.key_base64 = key;
	req.key_fingerprint = fp;
	req.max_members = cfg->max_members;
	req.accept_coc = 1;
	if (invite_create(st, 0, 0, note, 0, code) != 0 || store_join(st, &req, &id) != 0)
		return 0;
	return id;
}

static int64_t member_id(struct store *st, const char *name)
{
	struct account a;
	int64_t id;

	if (account_get_member(st, name, &a) != 0)
		return 0;
	id = a.id;
	account_free(&a);
	return id;
}

static int seed_post(struct store *st, const struct config *cfg, char **argv, int argc)
{
	struct post_new req = {0};
	int64_t id = 0;
	int flags;

	req.author_id = member_id(st, argv[0]);
	req.visibility = visibility_parse(argv[1]);
	req.content = argv[2];
	req.cw = argc > 3 ? argv[3] : NULL;
	req.in_reply_to_id = argc > 4 ? atoll(argv[4]) : 0;
	req.max_chars = cfg->max_post_chars;
	req.local_domain = cfg->domain;
	if (post_create(st, &req, &id, &flags) != 0)
		return -1;
	printf("%lld\n", (long long)id);
	return 0;
}

static int seed_run(struct store *st, const struct config *cfg, const char *what,
		    char **argv, int argc)
{
	int64_t id;
	enum follow_state fs;

	if (strcmp(what, "member") == 0 || strcmp(what, "newcomer") == 0) {
		int newcomer = what[0] == 'n';
		if ((id = seed_join(st, cfg, argv[0], newcomer ? argv[1] : NULL)) == 0)
			return -1;
		if (!newcomer && argc > 1 &&
		    account_update_profile(st, id, NULL, argv[1], -1) != 0)
			return -1;
		if (!newcomer && account_set_onboarded(st, id) != 0)
			return -1;
		printf("%lld\n", (long long)id);
		return 0;
	}
	if (strcmp(what, "post") == 0 && argc >= 3)
		return seed_post(st, cfg, argv, argc);
	if (strcmp(what, "follow") == 0 && argc == 2)
		return follow_request(st, member_id(st, argv[0]), member_id(st, argv[1]), NULL,
				      &fs);
	return err_set(CAMP_EINVAL, "unknown seed command %s", what);
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct store *st;
	int r;

	if (argc < 4) {
		fprintf(stderr, "usage: seed DIR WHAT ARGS...\n");
		return 2;
	}
	if (camp_dir_open(argv[1], &cfg, &st) != 0) {
		fprintf(stderr, "seed: %s\n", err_last());
		return 1;
	}
	r = seed_run(st, &cfg, argv[2], argv + 3, argc - 3);
	if (r != 0)
		fprintf(stderr, "seed: %s\n", err_last());
	store_close(st);
	config_free(&cfg);
	return r ? 1 : 0;
}
