/*
 * test-lookup.c: remote-account lookups between a member's session and
 * the federation child: the two lines of the protocol (the request
 * parser is the federation child's front door, so it is held to every
 * malformed line we could think of), the client against a fake server
 * that answers as told, and the real lookup server over its socket.
 */
#include "tests/unit/unit.h"

#include <curl/curl.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sys/stat.h>

#include "federation/federation.h"
#include "lookup/lookup.h"

/* ---- the request line ---- */

static void request_parse_takes_exact_lines(void **state)
{
	static const struct {
		const char *line, *acct;
		int ms;
	} ok[] = {
		{"account bob@example.social 10000", "bob@example.social", 10000},
		{"account a@b 1", "a@b", 1},
		{"account Bob_1.x-y@127.0.0.1:8443 250", "Bob_1.x-y@127.0.0.1:8443", 250},
		{"account bob@xn--mnchen-3ya.de:65535 9", "bob@xn--mnchen-3ya.de:65535",
		 9},
	};
	struct lookup_request req;

	for (size_t i = 0; i < ARRAY_LEN(ok); i++) {
		memset(&req, 'x', sizeof req);
		assert_int_equal(
			lookup_request_parse(ok[i].line, strlen(ok[i].line), &req), 0);
		assert_string_equal(req.acct, ok[i].acct);
		assert_int_equal(req.timeout_ms, ok[i].ms);
	}
}

static void request_parse_refuses_anything_else(void **state)
{
	static const char *const bad[] = {
		"",
		"account",
		"account ",
		"account bob@x",
		"account bob@x ",
		"account  bob@x 10",
		"account bob@x  10",
		"account bob@x 10 ",
		" account bob@x 10",
		"Account bob@x 10",
		"accounts bob@x 10",
		"account bob@x 010",
		"account bob@x 0",
		"account bob@x 10001",
		"account bob@x 99999999999999999999",
		"account bob@x -5",
		"account bob@x +5",
		"account bob@x 1e3",
		"account bob@x 10\r",
		"account bob@x\t10",
		"account @bob@x 10",
		"account bob 10",
		"account bob@ 10",
		"account @x 10",
		"account bob@x@y 10",
		"account bob@-x 10",
		"account bob@x- 10",
		"account bob@x..y 10",
		"account bob@.x 10",
		"account bob@x. 10",
		"account bob@x:0 10",
		"account bob@x:65536 10",
		"account bob@x:080 10",
		"account bob@x: 10",
		"account bob@x:1:2 10",
		"account bob@[::1] 10",
		"account bob@[::1]:443 10",
		"account b\xc3\xb6"
		"b@x 10",
		"account bob@m\xc3\xbc"
		"nchen.de 10",
		"account bob!@x 10",
		"account bob@x/y 10",
		"account bob@x%2f 10",
		"account bob@x;rm 10",
		"account b'b@x 10",
	};
	struct lookup_request req;

	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		assert_int_equal(lookup_request_parse(bad[i], strlen(bad[i]), &req),
				 CAMP_EINVAL);
	/* NULs anywhere, which a C string would hide. */
	static const char nul1[] = "account bob@x\0y 10", nul2[] = "account bob@x 10\0",
			  nul3[] = "account bo\0b@x 10";
	assert_int_equal(lookup_request_parse(nul1, sizeof nul1 - 1, &req), CAMP_EINVAL);
	assert_int_equal(lookup_request_parse(nul2, sizeof nul2 - 1, &req), CAMP_EINVAL);
	assert_int_equal(lookup_request_parse(nul3, sizeof nul3 - 1, &req), CAMP_EINVAL);
}

/* "account NAME@HOST 10" with a name and a host of the given lengths. */
static char *line_of(size_t name, size_t label, int labels)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "account ");
	for (size_t i = 0; i < name; i++)
		buf_putc(&b, 'n');
	buf_putc(&b, '@');
	for (int l = 0; l < labels; l++) {
		for (size_t i = 0; i < label; i++)
			buf_putc(&b, 'h');
		if (l + 1 < labels)
			buf_putc(&b, '.');
	}
	buf_puts(&b, " 10");
	return buf_detach(&b);
}

static void request_parse_holds_every_bound(void **state)
{
	static const struct {
		size_t name, label;
		int labels, ok; /* the host is label * labels + dots long */
	} cases[] = {
		{LOOKUP_NAME_MAX, 10, 1, 1},
		{LOOKUP_NAME_MAX + 1, 10, 1, 0},
		{5, 63, 1, 1},
		{5, 64, 1, 0},
		{5, 62, 4, 1} /* 251 */,
		{5, 63, 4, 0} /* 255 */,
		{5, 1, 127, 1} /* 253 */,
		{5, 1, 128, 0} /* 255 */,
	};
	struct lookup_request req;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *line = line_of(cases[i].name, cases[i].label, cases[i].labels);
		assert_int_equal(lookup_request_parse(line, strlen(line), &req),
				 cases[i].ok ? 0 : CAMP_EINVAL);
		free(line);
	}
	/* And a line longer than the protocol allows, whatever it holds. */
	char big[LOOKUP_LINE_MAX + 2];
	memset(big, 'a', sizeof big);
	memcpy(big, "account ", 8);
	assert_int_equal(lookup_request_parse(big, sizeof big, &req), CAMP_EINVAL);
}

static void request_format_round_trips(void **state)
{
	struct buf line = BUF_INIT;
	struct lookup_request req;

	assert_int_equal(lookup_request_format("bob@example.social:8443", 2500, &line),
			 0);
	assert_string_equal(buf_str(&line), "account bob@example.social:8443 2500\n");
	assert_int_equal(lookup_request_parse(line.data, line.len - 1, &req), 0);
	assert_string_equal(req.acct, "bob@example.social:8443");
	assert_int_equal(req.timeout_ms, 2500);
	assert_int_equal(lookup_request_format("bob@exa mple", 10, &line), CAMP_EINVAL);
	assert_int_equal(line.len, 0);
	assert_int_equal(lookup_request_format("bob@x", 0, &line), CAMP_EINVAL);
	assert_int_equal(lookup_request_format("bob@x", LOOKUP_TIMEOUT_MAX_MS + 1, &line),
			 CAMP_EINVAL);
	buf_free(&line);
}

/* ---- the answer line ---- */

static void answers_round_trip_every_code(void **state)
{
	static const int codes[] = {CAMP_ERR,	 CAMP_ENOMEM,	CAMP_EINVAL,
				    CAMP_ENOENT, CAMP_EEXIST,	CAMP_EPERM,
				    CAMP_EIO,	 CAMP_EDB,	CAMP_ETOOBIG,
				    CAMP_ELIMIT, CAMP_EVERSION, CAMP_ETIMEDOUT};
	struct buf line = BUF_INIT;
	int64_t id = 0;

	lookup_answer_ok(&line, 1234567890123LL);
	assert_string_equal(buf_str(&line), "ok 1234567890123\n");
	assert_int_equal(lookup_answer_parse(line.data, line.len - 1, &id), 0);
	assert_int_equal(id, 1234567890123LL);
	for (size_t i = 0; i < ARRAY_LEN(codes); i++) {
		lookup_answer_error(&line, codes[i], "bob@x does not exist");
		assert_int_equal(lookup_answer_parse(line.data, line.len - 1, &id),
				 codes[i]);
		assert_string_equal(err_last(), "bob@x does not exist");
	}
	lookup_answer_error(&line, CAMP_ENOENT, "");
	assert_string_equal(buf_str(&line), "error enoent failed\n");
	buf_free(&line);
}

static void answer_messages_stay_one_printable_line(void **state)
{
	struct buf line = BUF_INIT, msg = BUF_INIT;
	int64_t id;

	lookup_answer_error(&line, CAMP_EIO,
			    "a\nb\rc\x1b[2J"
			    "d\x7f\xff\xc3\xa9");
	assert_string_equal(buf_str(&line), "error eio a?b?c?[2Jd??\xc3\xa9\n");
	assert_int_equal(lookup_answer_parse(line.data, line.len - 1, &id), CAMP_EIO);
	/* A long message is cut whole characters short of the limit. */
	for (int i = 0; i < LOOKUP_MSG_MAX; i++)
		buf_puts(&msg, "\xc3\xa9");
	lookup_answer_error(&line, CAMP_EIO, buf_str(&msg));
	assert_true(line.len <= LOOKUP_LINE_MAX);
	assert_int_equal(lookup_answer_parse(line.data, line.len - 1, &id), CAMP_EIO);
	assert_int_equal(strlen(err_last()), LOOKUP_MSG_MAX);
	assert_true(utf8_valid(err_last(), strlen(err_last()), NULL));
	buf_free(&line);
	buf_free(&msg);
}

static void answer_parse_refuses_anything_else(void **state)
{
	static const char *const bad[] = {
		"",
		"ok",
		"ok ",
		"ok 0",
		"ok -1",
		"ok 12a",
		"ok 012",
		"ok  12",
		"ok 12 ",
		"OK 12",
		"ok 1234567890123456789",
		"error",
		"error enoent",
		"error enoent ",
		"error ENOENT gone",
		"error nope gone",
		"error  enoent gone",
		"error enoent a\x01"
		"b",
		"error enoent a\x7f",
		"error enoent \xff",
		"fine 12",
	};
	int64_t id = 7;

	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		assert_int_equal(lookup_answer_parse(bad[i], strlen(bad[i]), &id),
				 CAMP_EINVAL);
		assert_int_equal(id, 7);
	}
}

/* ---- the client, against a fake server ---- */

/* A fake federation child: accepts one connection on DIR/lookup.sock,
 * keeps what it was sent, waits for go (when set), then sends answer
 * (NULL: hangs up without a word; "" says nothing and waits for the
 * client to leave). */
struct fake {
	char *dir;
	int listen_fd;
	int go[2];
	const char *answer;
	char got[LOOKUP_LINE_MAX + 1];
	ssize_t sent;
	pthread_t thread;
};

static void *fake_main(void *arg)
{
	struct fake *f = arg;
	int fd = accept(f->listen_fd, NULL, NULL);
	char c;
	ssize_t n = 0, got;

	if (fd < 0)
		return NULL;
	while (n < LOOKUP_LINE_MAX &&
	       (got = read(fd, f->got + n, (size_t)(LOOKUP_LINE_MAX - n))) > 0) {
		n += got;
		if (memchr(f->got, '\n', (size_t)n))
			break;
	}
	f->got[n] = '\0';
	if (f->go[0] >= 0 && read(f->go[0], &c, 1) != 1)
		c = 0;
	if (f->answer && f->answer[0]) /* the client may have left: no SIGPIPE */
		f->sent = send(fd, f->answer, strlen(f->answer), MSG_NOSIGNAL);
	else if (f->answer)
		while (read(fd, &c, 1) > 0)
			;
	close(fd);
	return NULL;
}

static void fake_start(struct fake *f, const char *dir, const char *answer, int gated)
{
	struct lookup_addr a;

	memset(f, 0, sizeof *f);
	f->dir = xstrdup(dir);
	f->answer = answer;
	f->go[0] = f->go[1] = -1;
	if (gated)
		assert_int_equal(pipe(f->go), 0);
	assert_int_equal(lookup_addr_open(dir, &a), 0);
	f->listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(f->listen_fd, (struct sockaddr *)&a.sa, a.len), 0);
	assert_int_equal(listen(f->listen_fd, 4), 0);
	lookup_addr_close(&a);
	assert_int_equal(pthread_create(&f->thread, NULL, fake_main, f), 0);
}

static void fake_go(struct fake *f)
{
	assert_int_equal(write(f->go[1], "g", 1), 1);
}

static void fake_stop(struct fake *f)
{
	char *path = xasprintf("%s/%s", f->dir, LOOKUP_SOCKET);

	pthread_join(f->thread, NULL);
	close(f->listen_fd);
	if (f->go[0] >= 0) {
		close(f->go[0]);
		close(f->go[1]);
	}
	unlink(path);
	free(path);
	free(f->dir);
}

static void client_gets_the_id_or_the_error(void **state)
{
	char *dir = unit_tmpdir();
	struct fake f;
	int64_t id = 0;

	fake_start(&f, dir, "ok 42\n", 0);
	assert_int_equal(lookup_account(dir, "@bob@example.social", 5000, &id), 0);
	assert_int_equal(id, 42);
	fake_stop(&f);
	assert_string_equal(f.got, "account bob@example.social 5000\n");

	fake_start(&f, dir, "error enoent bob@example.social does not exist\n", 0);
	assert_int_equal(lookup_account(dir, "bob@example.social", 99999, &id),
			 CAMP_ENOENT);
	assert_string_equal(err_last(), "bob@example.social does not exist");
	fake_stop(&f);
	assert_string_equal(f.got, "account bob@example.social 10000\n"); /* clamped */
	unit_rmdir(dir);
}

static void client_says_when_nobody_answers(void **state)
{
	char *dir = unit_tmpdir();
	char *path = xasprintf("%s/%s", dir, LOOKUP_SOCKET);
	struct lookup_addr a;
	struct fake f;
	int64_t id = 0;

	/* No socket at all: the federation child is not running. */
	assert_int_equal(lookup_account(dir, "bob@x", 100, &id), CAMP_EIO);
	assert_non_null(strstr(err_last(), "federation process is not running"));
	/* One left behind by a federation child that died. */
	assert_int_equal(lookup_addr_open(dir, &a), 0);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(s, (struct sockaddr *)&a.sa, a.len), 0);
	close(s);
	lookup_addr_close(&a);
	assert_int_equal(lookup_account(dir, "bob@x", 100, &id), CAMP_EIO);
	assert_non_null(strstr(err_last(), "federation process is not running"));
	unlink(path);
	/* A server that hangs up, one that says nothing, one that babbles. */
	fake_start(&f, dir, NULL, 0);
	assert_int_equal(lookup_account(dir, "bob@x", 100, &id), CAMP_EIO);
	assert_non_null(strstr(err_last(), "before it answered"));
	fake_stop(&f);
	fake_start(&f, dir, "", 0);
	assert_int_equal(lookup_account(dir, "bob@x", 1, &id), CAMP_ETIMEDOUT);
	fake_stop(&f);
	fake_start(&f, dir, "ok 42\nok 43\n", 0);
	assert_int_equal(lookup_account(dir, "bob@x", 100, &id), CAMP_EINVAL);
	fake_stop(&f);
	assert_int_equal(id, 0);
	/* A handle that is none never reaches a socket. */
	assert_int_equal(lookup_account(dir, "bob", 100, &id), CAMP_EINVAL);
	assert_int_equal(lookup_account(dir, "bob@x y", 100, &id), CAMP_EINVAL);
	free(path);
	unit_rmdir(dir);
}

static void client_waits_without_blocking(void **state)
{
	char *dir = unit_tmpdir();
	struct lookup *l;
	struct fake f;
	int64_t id = 0;

	fake_start(&f, dir, "ok 7\n", 1);
	assert_int_equal(lookup_start(dir, "bob@x", 3000, &l), 0);
	assert_true(lookup_wait_ms(l) > 3000);
	assert_int_equal(lookup_finish(l, &id), LOOKUP_PENDING);
	assert_int_equal(lookup_finish(l, &id), LOOKUP_PENDING);
	fake_go(&f);
	struct pollfd p = {.fd = lookup_fd(l), .events = POLLIN};
	assert_int_equal(poll(&p, 1, 5000), 1);
	int r;
	while ((r = lookup_finish(l, &id)) == LOOKUP_PENDING)
		assert_true(poll(&p, 1, 100) >= 0);
	assert_int_equal(r, 0);
	assert_int_equal(id, 7);
	assert_int_equal(lookup_finish(l, &id), CAMP_EINVAL); /* it is over */
	lookup_free(l);
	fake_stop(&f);
	assert_int_equal(f.sent, 5);

	/* Given up before the answer: nothing is left behind. */
	fake_start(&f, dir, "ok 8\n", 1);
	assert_int_equal(lookup_start(dir, "bob@x", 3000, &l), 0);
	lookup_free(l);
	fake_go(&f);
	fake_stop(&f);
	assert_int_equal(f.sent, -1); /* to nobody */
	lookup_free(NULL);
	unit_rmdir(dir);
}

static void a_long_camp_path_still_reaches_the_socket(void **state)
{
	char *top = unit_tmpdir();
	struct buf dir = BUF_INIT;
	struct lookup_addr a;
	struct fake f;
	int64_t id = 0;

	buf_puts(&dir, top);
	for (int i = 0; i < 4; i++) {
		buf_puts(&dir, "/a-folder-with-a-rather-long-name-for-a-camp-to-live-in");
		assert_int_equal(mkdir(buf_str(&dir), 0700), 0);
	}
	assert_true(dir.len > sizeof a.sa.sun_path);
	fake_start(&f, buf_str(&dir), "ok 9\n", 0);
	assert_int_equal(lookup_account(buf_str(&dir), "bob@x", 1000, &id), 0);
	assert_int_equal(id, 9);
	fake_stop(&f);
	buf_free(&dir);
	unit_rmdir(top);
}

/* ---- the real lookup server ---- */

struct camp {
	char *dir;
	struct config cfg;
	struct lookup_server *srv;
};

static int camp_setup(void **state)
{
	struct camp *c = xcalloc(1, sizeof *c);
	struct store *st;
	char *db;

	c->dir = unit_tmpdir();
	db = xasprintf("%s/camp.db", c->dir);
	assert_int_equal(store_open(db, STORE_CREATE, &st), 0);
	store_close(st);
	free(db);
	config_defaults(&c->cfg); /* allow_private_addresses = no */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	assert_int_equal(lookup_server_start(c->dir, &c->cfg, &c->srv), 0);
	*state = c;
	return 0;
}

static int camp_teardown(void **state)
{
	struct camp *c = *state;

	lookup_server_stop(c->srv);
	config_free(&c->cfg);
	unit_rmdir(c->dir);
	curl_global_cleanup();
	free(c);
	return 0;
}

/* Sends data raw to the server of dir; returns its answer (caller frees). */
static char *raw_exchange(const char *dir, const char *data, size_t len)
{
	struct lookup_addr a;
	struct buf got = BUF_INIT;
	char chunk[256];
	ssize_t n;

	assert_int_equal(lookup_addr_open(dir, &a), 0);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&a.sa, a.len), 0);
	lookup_addr_close(&a);
	if (len)
		assert_int_equal(write(fd, data, len), (ssize_t)len);
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_append(&got, chunk, (size_t)n);
	close(fd);
	return buf_detach(&got);
}

static void server_socket_is_the_camps_alone(void **state)
{
	struct camp *c = *state;
	char *path = xasprintf("%s/%s", c->dir, LOOKUP_SOCKET);
	struct stat sb;

	assert_int_equal(stat(path, &sb), 0);
	assert_true(S_ISSOCK(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0600);
	lookup_server_stop(c->srv);
	assert_int_equal(stat(path, &sb), -1); /* gone: clients learn at once */
	assert_int_equal(lookup_server_start(c->dir, &c->cfg, &c->srv), 0);
	free(path);
}

static void server_refuses_malformed_requests(void **state)
{
	struct camp *c = *state;
	static const char two[] = "account a@b 10\naccount a@b 10\n";
	char big[LOOKUP_LINE_MAX + 10];
	char *got;

	got = raw_exchange(c->dir, "hello\n", 6);
	assert_string_equal(got, "error einval expected: account NAME@HOST MS\n");
	free(got);
	got = raw_exchange(c->dir, "account bob@[::1] 10\n", 21);
	assert_non_null(strstr(got, "error einval expected an account"));
	free(got);
	got = raw_exchange(c->dir, two, sizeof two - 1);
	assert_string_equal(got, "error einval one request per connection\n");
	free(got);
	memset(big, 'a', sizeof big);
	got = raw_exchange(c->dir, big, sizeof big);
	assert_string_equal(got, "error einval the request is too long\n");
	free(got);
	got = raw_exchange(c->dir, "account a@b 10", 14); /* and never a \n */
	assert_string_equal(got, "error eio no request in time\n");
	free(got);
}

static void server_fetches_through_the_private_address_guard(void **state)
{
	struct camp *c = *state;
	int64_t id = 0;

	/* 127.0.0.1 is private and this camp does not allow it: the lookup
	 * reaches federation_resolve, whose fetch is refused. */
	assert_int_equal(lookup_account(c->dir, "bob@127.0.0.1:9", 3000, &id), CAMP_EIO);
	assert_non_null(strstr(err_last(), "cannot fetch https://127.0.0.1:9/"));
	assert_int_equal(id, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_parse_takes_exact_lines),
		cmocka_unit_test(request_parse_refuses_anything_else),
		cmocka_unit_test(request_parse_holds_every_bound),
		cmocka_unit_test(request_format_round_trips),
		cmocka_unit_test(answers_round_trip_every_code),
		cmocka_unit_test(answer_messages_stay_one_printable_line),
		cmocka_unit_test(answer_parse_refuses_anything_else),
		cmocka_unit_test(client_gets_the_id_or_the_error),
		cmocka_unit_test(client_says_when_nobody_answers),
		cmocka_unit_test(client_waits_without_blocking),
		cmocka_unit_test(a_long_camp_path_still_reaches_the_socket),
		cmocka_unit_test_setup_teardown(server_socket_is_the_camps_alone,
						camp_setup, camp_teardown),
		cmocka_unit_test_setup_teardown(server_refuses_malformed_requests,
						camp_setup, camp_teardown),
		cmocka_unit_test_setup_teardown(
			server_fetches_through_the_private_address_guard, camp_setup,
			camp_teardown),
	};
	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
