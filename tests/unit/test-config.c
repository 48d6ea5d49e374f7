/*
 * test-config.c: camp.conf parsing, defaults, the written file, and the
 * flag parser shared with the ssh commands.
 */
#include "tests/unit/unit.h"

#include <stdio.h>

/* Writes text to a temp file and loads it over defaults. */
static int load_text(const char *text, struct config *cfg)
{
	char *dir = unit_tmpdir();
	char *path = xasprintf("%s/camp.conf", dir);
	int r;

	assert_int_equal(file_write_atomic(path, text, strlen(text), 0600), 0);
	config_defaults(cfg);
	r = config_load(cfg, path);
	free(path);
	unit_rmdir(dir);
	return r;
}

static void defaults_are_sane(void **state)
{
	struct config cfg;

	assert_int_equal(load_text("", &cfg), 0);
	assert_string_equal(cfg.domain, "localhost");
	assert_string_equal(cfg.public_url, "https://localhost");
	assert_int_equal(cfg.max_post_chars, 500);
	assert_int_equal(cfg.idle_timeout, 86400);
	assert_int_equal(cfg.login_grace, 30);
	assert_int_equal(cfg.allow_private_addresses, 0);
	assert_string_equal(cfg.registrations, "invite");
	config_free(&cfg);
}

static void reads_values_and_comments(void **state)
{
	struct config cfg;
	const char *text = "# a comment\n"
			   "  domain = camp.example  \n"
			   "public_url = https://camp.example/\n"
			   "max_members=20\n"
			   "allow_private_addresses = yes\n"
			   "idle_timeout = 90m\n"
			   "camp_name = Les Amis \xe2\x9b\xba\n";

	assert_int_equal(load_text(text, &cfg), 0);
	assert_string_equal(cfg.domain, "camp.example");
	assert_string_equal(cfg.public_url, "https://camp.example");
	assert_int_equal(cfg.max_members, 20);
	assert_int_equal(cfg.allow_private_addresses, 1);
	assert_int_equal(cfg.idle_timeout, 5400);
	assert_string_equal(cfg.camp_name, "Les Amis \xe2\x9b\xba");
	config_free(&cfg);
}

static void unknown_key_is_only_a_warning(void **state)
{
	struct config cfg;

	assert_int_equal(load_text("colour = blue\nmax_members = 7\n", &cfg), 0);
	assert_int_equal(cfg.max_members, 7);
	config_free(&cfg);
}

static void bad_value_names_file_and_line(void **state)
{
	struct config cfg;

	assert_int_equal(load_text("domain = a\n\nmax_members = lots\n", &cfg),
			 CAMP_EINVAL);
	assert_non_null(strstr(err_last(), "camp.conf:3: max_members"));
	config_free(&cfg);
	assert_int_equal(load_text("allow_private_addresses = maybe\n", &cfg),
			 CAMP_EINVAL);
	assert_non_null(
		strstr(err_last(), ":1: allow_private_addresses: expected yes or no"));
	config_free(&cfg);
	assert_int_equal(load_text("just some words\n", &cfg), CAMP_EINVAL);
	assert_non_null(strstr(err_last(), ":1: expected key = value"));
	config_free(&cfg);
	assert_int_equal(load_text("ssh_listen = 1.2.3.4:99999\n", &cfg), CAMP_EINVAL);
	config_free(&cfg);
	assert_int_equal(load_text("max_members = 0\n", &cfg), CAMP_EINVAL);
	assert_non_null(strstr(err_last(), "between 1 and"));
	config_free(&cfg);
	assert_int_equal(load_text("registrations = open\n", &cfg), CAMP_EINVAL);
	config_free(&cfg);
	assert_int_equal(load_text("tls_cert = /x.pem\n", &cfg), CAMP_EINVAL);
	config_free(&cfg);
	assert_int_equal(load_text("camp_name = \xff\xfe\n", &cfg), CAMP_EINVAL);
	assert_non_null(strstr(err_last(), "UTF-8"));
	config_free(&cfg);
}

static void missing_file_is_an_error(void **state)
{
	struct config cfg;

	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, "/nonexistent/camp.conf"), CAMP_ENOENT);
	assert_non_null(strstr(err_last(), "/nonexistent/camp.conf"));
	config_free(&cfg);
}

/* The file camp init writes explains every key and reads back the same. */
static void written_file_round_trips(void **state)
{
	struct config cfg, back;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	config_defaults(&cfg);
	free(cfg.domain);
	cfg.domain = xstrdup("camp.example:8443");
	cfg.max_members = 42;
	cfg.idle_timeout = 7200;
	cfg.allow_private_addresses = 1;
	assert_int_equal(config_write(&cfg, f), 0);
	fclose(f);
	assert_non_null(strstr(text, "# (default: 100)\nmax_members = 42\n"));
	assert_non_null(strstr(text, "idle_timeout = 2h\n"));
	assert_int_equal(load_text(text, &back), 0);
	assert_string_equal(back.domain, "camp.example:8443");
	assert_int_equal(back.max_members, 42);
	assert_int_equal(back.idle_timeout, 7200);
	assert_int_equal(back.allow_private_addresses, 1);
	/* Every key in the struct has a commented line in the file. */
	const char *keys[] = {"camp_name",
			      "domain",
			      "public_url",
			      "ssh_listen",
			      "http_listen",
			      "tls_cert",
			      "tls_key",
			      "tls_ca_file",
			      "max_members",
			      "registrations",
			      "allow_private_addresses",
			      "max_post_chars",
			      "idle_timeout",
			      "login_grace",
			      "keepalive",
			      "max_unauth_per_addr",
			      "max_sessions",
			      "log_level"};
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		char *line = xasprintf("\n%s = ", keys[i]);
		assert_non_null(strstr(text, line));
		free(line);
	}
	free(text);
	config_free(&cfg);
	config_free(&back);
}

static void durations_and_addresses(void **state)
{
	char *host;
	int port;

	assert_int_equal(config_parse_duration("45"), 45);
	assert_int_equal(config_parse_duration("30s"), 30);
	assert_int_equal(config_parse_duration("2d"), 172800);
	assert_int_equal(config_parse_duration("3x"), -1);
	assert_int_equal(config_parse_duration(""), -1);
	assert_int_equal(config_parse_duration("-5m"), -1);
	assert_int_equal(config_split_listen("127.0.0.1:2222", &host, &port), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 2222);
	free(host);
	assert_int_equal(config_split_listen("[::1]:22", &host, &port), 0);
	assert_string_equal(host, "::1");
	free(host);
	assert_int_equal(config_split_listen("8080", &host, &port), 0);
	assert_null(host);
	assert_int_equal(port, 8080);
	assert_int_equal(config_split_listen("host:", &host, &port), CAMP_EINVAL);
	assert_int_equal(config_split_listen("[::1:22", &host, &port), CAMP_EINVAL);
}

static void opts_parse_flags(void **state)
{
	const char *cw = NULL, *vis = NULL;
	int json = 0, npos = 0;
	const struct opt opts[] = {
		{"cw", 1, &cw, NULL},
		{"visibility", 1, &vis, NULL},
		{"json", 0, NULL, &json},
		{NULL, 0, NULL, NULL},
	};
	char *argv[] = {"hello",  "--cw", "spoilers",	 "--visibility=camp",
			"--json", "--",	  "--not-a-flag"};
	char *pos[7];

	assert_int_equal(opts_parse(7, argv, opts, pos, &npos), 0);
	assert_int_equal(npos, 2);
	assert_string_equal(pos[0], "hello");
	assert_string_equal(pos[1], "--not-a-flag");
	assert_string_equal(cw, "spoilers");
	assert_string_equal(vis, "camp");
	assert_int_equal(json, 1);

	char *bad[] = {"--colour", "red"};
	assert_int_equal(opts_parse(2, bad, opts, pos, &npos), CAMP_EINVAL);
	assert_string_equal(err_last(), "unknown option --colour");
	char *missing[] = {"--cw"};
	assert_int_equal(opts_parse(1, missing, opts, pos, &npos), CAMP_EINVAL);
	char *novalue[] = {"--json=1"};
	assert_int_equal(opts_parse(1, novalue, opts, pos, &npos), CAMP_EINVAL);
}

static void rfc3339_parses_what_servers_send(void **state)
{
	int64_t t;
	char out[32];

	assert_int_equal(time_parse_rfc3339("2026-11-30T12:00:00Z", &t), 0);
	time_rfc3339(t, out);
	assert_string_equal(out, "2026-11-30T12:00:00Z");
	int64_t base = t;
	assert_int_equal(time_parse_rfc3339("2026-11-30T12:00:00.123456789Z", &t), 0);
	assert_int_equal(t, base);
	assert_int_equal(time_parse_rfc3339("2026-11-30T14:00:00+02:00", &t), 0);
	assert_int_equal(t, base);
	assert_int_equal(time_parse_rfc3339("2026-11-30T12:00:00+0000", &t), 0);
	assert_int_equal(t, base);
	assert_int_equal(time_parse_rfc3339("2026-11-30", &t), CAMP_EINVAL);
	assert_int_equal(time_parse_rfc3339("2026-13-30T12:00:00Z", &t), CAMP_EINVAL);
	assert_int_equal(time_parse_rfc3339("2026-11-30T12:00:00.Z", &t), CAMP_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_sane),
		cmocka_unit_test(reads_values_and_comments),
		cmocka_unit_test(unknown_key_is_only_a_warning),
		cmocka_unit_test(bad_value_names_file_and_line),
		cmocka_unit_test(missing_file_is_an_error),
		cmocka_unit_test(written_file_round_trips),
		cmocka_unit_test(durations_and_addresses),
		cmocka_unit_test(opts_parse_flags),
		cmocka_unit_test(rfc3339_parses_what_servers_send),
	};
	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
