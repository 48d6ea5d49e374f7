/*
 * test-cmd.c: the commands members run over ssh, without ssh: the word
 * splitter, the dispatcher and its exit statuses, whoami, keys, join,
 * the key parser, and the listener's supervisor.  Each test gets a fresh
 * temporary camp database.
 */
#include "tests/unit/unit.h"

#include <signal.h>
#include <sys/wait.h>

#include "sshd/sshd.h"

#define ED_B64 "AAAAC3NzaC1lZDI1NTE5AAAAINj1eSbnzMdCnehwDBeV+FyX3QCbGHtdkbZqNeLc+yI1"
#define ED_FP "SHA256:47Ma1jRvDGScamyEbzRyuTjpTW7XmaShCI5VitNQMzw"
#define EC_LINE                                                                        \
	"ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEQN" \
	"QNN+5rYlWOqDmiYpbcZkfNuoCAT/WwRr1FPopFxSXnCI2coRJsVT16CSonJA1tt0rizQPjhdQt17" \
	"b1jkxcw="
#define EC_FP "SHA256:yEfhSBu2Lu5FK3X3wSteiZBWqhYxQit++C6kyzc969Q"

struct fixture {
	char *dir;
	struct store *st;
	struct config cfg;
	struct account me;
	struct sshkey_info key;
	struct cmd_ctx ctx;
};

/* A camp with one admin, alice, who logged in with the ed25519 key. */
static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	char *path, code[INVITE_CODE_LEN];
	int64_t id;

	f->dir = unit_tmpdir();
	path = xasprintf("%s/camp.db", f->dir);
	assert_int_equal(store_open(path, STORE_CREATE, &f->st), 0);
	free(path);
	config_defaults(&f->cfg);
	assert_int_equal(sshkey_parse_line("ssh-ed25519 " ED_B64 " test key", &f->key),
			 0);
	assert_int_equal(invite_create(f->st, 0, 1, "hi", 0, code), 0);
	assert_int_equal(
		sshd_join(f->st, &f->cfg, -1, &f->key, code, "alice", "Alice A.", 1, &id),
		0);
	assert_int_equal(account_get(f->st, id, &f->me), 0);
	cmd_ctx_init(&f->ctx);
	f->ctx.st = f->st;
	f->ctx.cfg = &f->cfg;
	f->ctx.me = &f->me;
	f->ctx.key = &f->key;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	cmd_ctx_free(&f->ctx);
	account_free(&f->me);
	sshkey_info_free(&f->key);
	config_free(&f->cfg);
	store_close(f->st);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

/* Runs line as alice; returns the exit status. */
static int run(struct fixture *f, const char *line)
{
	buf_reset(&f->ctx.out);
	buf_reset(&f->ctx.err);
	return cmd_run_line(&f->ctx, cmd_table, line);
}

static void words_split_like_a_shell(void **state)
{
	char **v;
	int n;

	(void)state;
	assert_int_equal(
		words_split("  post 'hello world' \"a \\\"b\\\"\" c\\ d  ", &v, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(v[0], "post");
	assert_string_equal(v[1], "hello world");
	assert_string_equal(v[2], "a \"b\"");
	assert_string_equal(v[3], "c d");
	assert_null(v[4]);
	words_free(v);
	assert_int_equal(words_split("''", &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "");
	words_free(v);
	assert_int_equal(words_split("", &v, &n), 0);
	assert_int_equal(n, 0);
	words_free(v);
	assert_int_equal(words_split("say 'oops", &v, &n), CAMP_EINVAL);
	assert_null(v);
	assert_non_null(strstr(err_last(), "single quote"));
}

static void statuses_are_0_1_2(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, "whoami"), 0);
	assert_string_equal(buf_str(&f->ctx.err), "");
	assert_int_equal(run(f, "show 99999"), 1);
	assert_string_equal(buf_str(&f->ctx.err), "no such post\n");
	assert_int_equal(run(f, "nope"), 2);
	assert_non_null(strstr(buf_str(&f->ctx.err), "unknown command 'nope'"));
	assert_int_equal(run(f, "whoami --bad"), 2);
	assert_non_null(strstr(buf_str(&f->ctx.err), "usage: whoami [--json]"));
	assert_int_equal(run(f, "whoami extra"), 2);
	assert_int_equal(run(f, ""), 2);
	assert_int_equal(run(f, "keys 'x"), 2);
}

static void whoami_text_and_json(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, "whoami"), 0);
	assert_string_equal(buf_str(&f->ctx.out),
			    "acct: alice\nhandle: @alice@localhost\n"
			    "display name: Alice A.\nadmin: yes\n");
	assert_int_equal(run(f, "whoami --json"), 0);
	assert_string_equal(buf_str(&f->ctx.out),
			    "{\"acct\":\"alice\",\"handle\":\"alice@localhost\","
			    "\"display_name\":\"Alice A.\",\"admin\":true}\n");
}

static int cmd_secret(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	buf_puts(&ctx->out, "secret\n");
	return 0;
}

static void admin_commands_are_hidden_from_others(void **state)
{
	struct fixture *f = *state;
	const struct cmd_entry table[] = {
		{"secret", "", "for admins", cmd_secret, CMD_ADMIN},
		{"help", "[COMMAND]", "list", cmd_help_list, 0},
		{NULL, NULL, NULL, NULL, 0},
	};

	assert_int_equal(cmd_run_line(&f->ctx, table, "secret"), 0);
	assert_int_equal(cmd_run_line(&f->ctx, table, "help"), 0);
	assert_non_null(strstr(buf_str(&f->ctx.out), "secret"));
	f->me.is_admin = 0;
	buf_reset(&f->ctx.out);
	assert_int_equal(cmd_run_line(&f->ctx, table, "secret"), 2);
	assert_int_equal(cmd_run_line(&f->ctx, table, "help"), 0);
	assert_null(strstr(buf_str(&f->ctx.out), "secret"));
}

static void help_lists_every_command(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, "help"), 0);
	for (const struct cmd_entry *c = cmd_table; c->name; c++)
		assert_non_null(strstr(buf_str(&f->ctx.out), c->usage));
	assert_int_equal(run(f, "help keys"), 0);
	assert_non_null(strstr(buf_str(&f->ctx.out), "remove FINGERPRINT"));
	assert_int_equal(run(f, "help nothing"), 2);
}

static void keys_add_list_remove(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, "keys add " EC_LINE " laptop"), 0);
	assert_non_null(strstr(buf_str(&f->ctx.out), EC_FP));
	assert_int_equal(run(f, "keys"), 0);
	assert_non_null(strstr(buf_str(&f->ctx.out), ED_FP "  ssh-ed25519  added "));
	assert_non_null(strstr(buf_str(&f->ctx.out), "(this login)\n" EC_FP));
	assert_non_null(strstr(buf_str(&f->ctx.out), EC_FP "  ecdsa-sha2-nistp256"));
	assert_non_null(strstr(buf_str(&f->ctx.out), "laptop\n"));
	assert_int_equal(run(f, "keys add " EC_LINE), 1);
	assert_non_null(strstr(buf_str(&f->ctx.err), "already have"));
	assert_int_equal(run(f, "keys remove " EC_FP), 0);
	assert_int_equal(run(f, "keys remove " ED_FP), 1);
	assert_non_null(strstr(buf_str(&f->ctx.err), "only key"));
	assert_int_equal(run(f, "keys remove SHA256:nothing"), 1);
	assert_int_equal(run(f, "keys shuffle"), 2);
}

static void keys_add_reads_stdin_with_a_limit(void **state)
{
	struct fixture *f = *state;

	buf_puts(&f->ctx.in, EC_LINE "\n");
	assert_int_equal(run(f, "keys add"), 0);
	cmd_ctx_free(&f->ctx);
	f->ctx.in_done = 0;
	for (int i = 0; i < CMD_STDIN_MAX / 8 + 1; i++)
		buf_puts(&f->ctx.in, "xxxxxxxx");
	assert_int_equal(run(f, "keys add"), 1);
	assert_non_null(strstr(buf_str(&f->ctx.err), "larger than 64 KB"));
}

static void key_lines_are_checked_by_a_round_trip(void **state)
{
	struct sshkey_info k;

	(void)state;
	assert_int_equal(sshkey_parse_line("ssh-ed25519 " ED_B64 "  my  laptop\n", &k),
			 0);
	assert_string_equal(k.type, "ssh-ed25519");
	assert_string_equal(k.base64, ED_B64);
	assert_string_equal(k.fingerprint, ED_FP);
	assert_string_equal(k.comment, "my  laptop");
	assert_int_equal(k.bits, 256);
	sshkey_info_free(&k);
	/* An ecdsa blob claiming to be ed25519, or RSA, is refused. */
	assert_int_not_equal(sshkey_parse_line("ssh-ed25519" EC_LINE + 19, &k), 0);
	assert_int_not_equal(sshkey_parse_line("ssh-rsa" EC_LINE + 19, &k), 0);
	assert_int_equal(sshkey_parse_line("ssh-ed25519", &k), CAMP_EINVAL);
	assert_int_equal(sshkey_parse_line("ssh-dss AAAA", &k), CAMP_EINVAL);
	assert_int_equal(sshkey_parse_line("ssh-ed25519 " ED_B64 "\nssh-ed25519 x", &k),
			 CAMP_EINVAL);
	assert_int_equal(sshkey_parse_line("", &k), CAMP_EINVAL);
}

static void joining_through_the_table(void **state)
{
	struct fixture *f = *state;
	struct sshkey_info ec;
	char code[INVITE_CODE_LEN], *line;

	assert_int_equal(sshkey_parse_line(EC_LINE, &ec), 0);
	f->ctx.me = NULL;
	f->ctx.key = &ec;
	assert_int_equal(invite_create(f->st, 0, 0, "", 0, code), 0);
	line = xasprintf("join %s join", code);
	assert_int_equal(cmd_run_line(&f->ctx, join_table, line), 1);
	assert_non_null(strstr(buf_str(&f->ctx.err), "reserved"));
	free(line);
	free(f->cfg.registrations);
	f->cfg.registrations = xstrdup("closed");
	line = xasprintf("join %s bob", code);
	assert_int_equal(cmd_run_line(&f->ctx, join_table, line), 1);
	assert_non_null(strstr(buf_str(&f->ctx.err), "not taking new members"));
	free(f->cfg.registrations);
	f->cfg.registrations = xstrdup("invite");
	buf_reset(&f->ctx.err);
	assert_int_equal(cmd_run_line(&f->ctx, join_table, line), 0);
	assert_non_null(strstr(buf_str(&f->ctx.out), "Welcome to Friend Camp, bob!"));
	assert_non_null(strstr(buf_str(&f->ctx.out), "ssh -p 2222 bob@localhost"));
	assert_int_equal(cmd_run_line(&f->ctx, join_table, "join x"), 2);
	assert_int_equal(cmd_run_line(&f->ctx, join_table, "whoami"), 2);
	free(line);
	sshkey_info_free(&ec);
}

static int child_exits_3(const char *dir)
{
	(void)dir;
	return 3;
}

static void supervisor_restarts_with_backoff(void **state)
{
	static const struct sshd_child table[] = {{"quitter", child_exits_3, NULL},
						  {NULL, NULL, NULL}};
	struct config cfg;
	struct supervisor *sv;
	int status;
	pid_t pid;

	(void)state;
	config_defaults(&cfg);
	sv = supervisor_new("/nonexistent", &cfg, table);
	assert_int_equal(supervisor_tick(sv, 1000), -1);
	assert_int_equal(supervisor_running(sv), 1);
	pid = wait(&status);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	assert_int_equal(supervisor_reaped(sv, pid, status, 1100), 1);
	assert_int_equal(supervisor_reaped(sv, pid + 100000, status, 1100), 0);
	assert_int_equal(supervisor_running(sv), 0);
	assert_int_equal(supervisor_tick(sv, 1500), 600); /* 1 s after it died */
	assert_int_equal(supervisor_tick(sv, 2100), -1);
	assert_int_equal(supervisor_running(sv), 1);
	pid = wait(&status);
	assert_int_equal(supervisor_reaped(sv, pid, status, 2200), 1);
	assert_int_equal(supervisor_tick(sv, 2300), 1900); /* then 2 s */
	supervisor_stop(sv);
	assert_int_equal(supervisor_tick(sv, 9000), -1);
	assert_int_equal(supervisor_running(sv), 0);
	supervisor_free(sv);
	config_free(&cfg);
}

static long job_due_s;
static int job_exit;

static long job_due(const char *dir, const struct config *cfg, int64_t running_s)
{
	(void)dir, (void)cfg, (void)running_s;
	return job_due_s;
}

static int job_main(const char *dir)
{
	(void)dir;
	return job_exit;
}

/* Runs the job once; returns the tick's answer right after it ended. */
static int job_once(struct supervisor *sv, int64_t at)
{
	int status;
	pid_t pid;

	assert_int_equal(supervisor_running(sv), 1);
	pid = wait(&status);
	assert_int_equal(supervisor_reaped(sv, pid, status, at), 1);
	assert_int_equal(supervisor_running(sv), 0);
	return supervisor_tick(sv, at + 100);
}

/* A job starts when its due_in says so, is asked again at least every
 * minute, and after a failure waits a minute, then two. */
static void supervisor_runs_jobs_when_due(void **state)
{
	static const struct sshd_child table[] = {{"job", job_main, job_due},
						  {NULL, NULL, NULL}};
	struct config cfg;
	struct supervisor *sv;

	(void)state;
	config_defaults(&cfg);
	sv = supervisor_new("/nonexistent", &cfg, table);
	job_due_s = 5;
	assert_int_equal(supervisor_tick(sv, 1000), 5000);
	assert_int_equal(supervisor_running(sv), 0);
	job_due_s = -1; /* turned off: asked again in a minute */
	assert_int_equal(supervisor_tick(sv, 6000), 60000);
	job_due_s = 0;
	job_exit = 3;
	assert_int_equal(supervisor_tick(sv, 66000), -1);
	assert_int_equal(job_once(sv, 66100), 59900); /* failed: a minute */
	assert_int_equal(supervisor_tick(sv, 126100), -1);
	assert_int_equal(job_once(sv, 126200), 119900); /* then two */
	job_exit = 0;
	assert_int_equal(supervisor_tick(sv, 246200), -1);
	job_due_s = 7; /* it worked: asked again at once */
	assert_int_equal(job_once(sv, 246300), 7000);
	supervisor_free(sv);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words_split_like_a_shell),
		cmocka_unit_test_setup_teardown(statuses_are_0_1_2, setup, teardown),
		cmocka_unit_test_setup_teardown(whoami_text_and_json, setup, teardown),
		cmocka_unit_test_setup_teardown(admin_commands_are_hidden_from_others,
						setup, teardown),
		cmocka_unit_test_setup_teardown(help_lists_every_command, setup,
						teardown),
		cmocka_unit_test_setup_teardown(keys_add_list_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(keys_add_reads_stdin_with_a_limit, setup,
						teardown),
		cmocka_unit_test(key_lines_are_checked_by_a_round_trip),
		cmocka_unit_test_setup_teardown(joining_through_the_table, setup,
						teardown),
		cmocka_unit_test(supervisor_restarts_with_backoff),
		cmocka_unit_test(supervisor_runs_jobs_when_due),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
