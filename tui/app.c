/*
 * app.c: the client's main loop, its stack of screens and its frame.
 *
 * tui_run() sets up the terminal (a UTF-8 locale, ncursesw, colours when
 * the terminal has them), shows the first-login pages when they are due,
 * then loops: draw, wait for a key at most POLL_MS, and when none comes,
 * ask the store whether another process changed anything, so new posts
 * and notifications arrive without a key press.  The frame is the tab
 * bar on top and the key hints (or the last action's result) at the
 * bottom.  This file must never block on anything but the terminal, and
 * never let a view's failure end the session: failures become messages.
 */
#include "tui/tui-private.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <string.h>

#define POLL_MS 250
#define MIN_ROWS 10
#define MIN_COLS 40

static volatile sig_atomic_t hangup;

static void on_hangup(int sig)
{
	(void)sig;
	hangup = 1;
}

struct screen *app_top(struct app *a)
{
	return &a->stack[a->depth - 1];
}

static void screen_close(struct screen *s)
{
	if (s->view && s->view->close)
		s->view->close(s);
	memset(s, 0, sizeof *s);
}

void app_push(struct app *a, const struct view *v, void *state, const char *title)
{
	struct screen *s;

	if (a->depth == STACK_MAX) {
		struct screen tmp = {v, "", state};
		screen_close(&tmp);
		app_say(a, "Too many screens open: press Esc to go back first.");
		return;
	}
	s = &a->stack[a->depth++];
	s->view = v;
	s->state = state;
	snprintf(s->title, sizeof s->title, "%s", title ? title : v->name);
}

void app_pop(struct app *a)
{
	if (a->depth > 1)
		screen_close(&a->stack[--a->depth]);
}

void app_tab(struct app *a, enum tab t)
{
	while (a->depth > 0)
		screen_close(&a->stack[--a->depth]);
	a->tab = t;
	switch (t) {
	case TAB_HOME:
		view_timeline_open(a, TL_HOME, NULL);
		break;
	case TAB_CAMP:
		view_timeline_open(a, TL_CAMP, NULL);
		break;
	case TAB_FEDERATED:
		view_timeline_open(a, TL_FEDERATED, NULL);
		break;
	case TAB_NOTIFICATIONS:
		view_notifications_open(a);
		break;
	case TAB_DMS:
		view_dms_open(a);
		break;
	default:
		view_directory_open(a);
		break;
	}
	if (a->depth == 0) /* the view could not load: an empty screen */
		app_push(a, &view_help, NULL, "Camp");
}

void app_say(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
}

void app_fail(struct app *a, const char *what)
{
	app_say(a, "%s: %s", what, err_last());
}

int app_cw_open(const struct app *a, int64_t post_id)
{
	for (int i = 0; i < a->nopened; i++)
		if (a->opened[i] == post_id)
			return 1;
	return 0;
}

void app_cw_toggle(struct app *a, int64_t post_id)
{
	for (int i = 0; i < a->nopened; i++)
		if (a->opened[i] == post_id) {
			a->opened[i] = a->opened[--a->nopened];
			return;
		}
	if (a->nopened == (int)ARRAY_LEN(a->opened)) /* forget the oldest */
		memmove(a->opened, a->opened + 1, sizeof a->opened - sizeof a->opened[0]),
			a->nopened--;
	a->opened[a->nopened++] = post_id;
}

/* ---- the frame ---------------------------------------------------------- */

static const char *const tab_long[TAB_COUNT] = {
	"Home", "Camp", "Federated", "Notifications", "DMs", "Directory",
};
static const char *const tab_short[TAB_COUNT] = {
	"Home", "Camp", "Fed", "Notifs", "DMs", "Dir",
};

/* Draws (or measures, when draw is 0) the tab bar in one of its forms:
 * 0 the camp's name and long tab names, 1 the name and short tab names,
 * 2 short tab names alone.  The name goes last: the issue wants the camp
 * named on screen wherever it fits. */
static int tabbar(struct app *a, int form, int draw)
{
	const char *const *names = form >= 1 ? tab_short : tab_long;
	char label[48];
	int x = 1;

	if (form <= 1) {
		if (draw)
			draw_on(a, C_NAME);
		x += (draw ? draw_text(0, x, a->cols - x, a->cfg->camp_name, TEXT_NAME)
			   : draw_text_width(a->cfg->camp_name, TEXT_NAME)) +
		     2;
		if (draw)
			draw_off(a, C_NAME);
	}
	for (int t = 0; t < TAB_COUNT; t++) {
		if (t == TAB_NOTIFICATIONS && a->unread > 0)
			snprintf(label, sizeof label, " %d %s (%lld) ", t + 1, names[t],
				 (long long)a->unread);
		else
			snprintf(label, sizeof label, " %d %s ", t + 1, names[t]);
		if (draw && t == (int)a->tab)
			draw_on(a, C_TAB);
		if (draw)
			mvaddnstr(0, x, label, a->cols - x);
		if (draw && t == (int)a->tab)
			draw_off(a, C_TAB);
		x += (int)strlen(label);
	}
	return x;
}

static void draw_top(struct app *a)
{
	char *me = account_acct(&a->me);
	int mew = draw_text_width(me, TEXT_NAME) + 1, form = 0;

	while (form < 2 && tabbar(a, form, 0) + mew + 1 > a->cols)
		form++;
	tabbar(a, form, 1);
	if (tabbar(a, form, 0) + mew + 1 <= a->cols) {
		mvaddstr(0, a->cols - mew - 1, "@");
		draw_text(0, a->cols - mew, mew - 1, me, TEXT_NAME);
	}
	free(me);
}

/* The bottom line: the last message, or the hints of the top screen. */
static void draw_bottom(struct app *a, const char *right)
{
	struct screen *s = app_top(a);
	int x = 1, rw = right ? tui_text_width(right, strlen(right)) : 0;
	int room = a->cols - 2 - (rw ? rw + 2 : 0);

	if (a->msg[0]) {
		draw_on(a, C_SEL);
		draw_text(a->rows - 1, 1, room, a->msg, 0);
		draw_off(a, C_SEL);
	} else {
		for (const char *const *h = s->view->hints; h && *h; h++) {
			int w = tui_text_width(*h, strlen(*h));
			if (x + w > room)
				break;
			mvaddstr(a->rows - 1, x, *h);
			x += w + 3;
		}
	}
	if (rw) {
		draw_on(a, C_SEL);
		mvaddstr(a->rows - 1, a->cols - rw - 1, right);
		draw_off(a, C_SEL);
	}
}

/* The "N new" marker of a list of posts on top, if any. */
static void fresh_marker(struct app *a, char *out, size_t n)
{
	struct screen *s = app_top(a);

	out[0] = '\0';
	if (s->view == &view_timeline || s->view == &view_profile) {
		struct plist *pl = s->state;
		/* Only what is above the selection is unread: the view clamps
		 * fresh as it draws, after this line is drawn. */
		int fresh = pl ? pl->pg.fresh : 0;
		if (pl && fresh > pl->pg.l.sel)
			fresh = pl->pg.l.sel;
		if (fresh > 0)
			snprintf(out, n, "\xe2\x86\x91 %d new", fresh); /* ↑ */
	}
}

void app_draw(struct app *a)
{
	struct screen *s = app_top(a);
	char right[32];

	erase();
	getmaxyx(stdscr, a->rows, a->cols);
	if (a->rows < MIN_ROWS || a->cols < MIN_COLS) {
		mvaddnstr(a->rows / 2, 0, "window too small", a->cols);
		mvprintw(a->rows / 2 + 1, 0, "%dx%d needed", MIN_COLS, MIN_ROWS);
		refresh();
		return;
	}
	curs_set(0);
	draw_top(a);
	draw_rule(a, 1, a->depth > 1 || s->view->raw ? s->title : NULL);
	draw_rule(a, a->rows - 2, NULL);
	fresh_marker(a, right, sizeof right);
	draw_bottom(a, right[0] ? right : NULL);
	/* The view draws last, so a text field can place the cursor. */
	s->view->draw(a, s, 2, a->rows - 4);
	refresh();
}

/* ---- input -------------------------------------------------------------- */

int app_getkey(struct app *a)
{
	wint_t ch;
	int r;

	(void)a;
	r = wget_wch(stdscr, &ch);
	if (r == KEY_CODE_YES)
		return K_FN((int)ch);
	if (r == ERR)
		return 0;
	if (ch == '\r')
		return K_ENTER;
	return (int)ch;
}

int app_confirm(struct app *a, const char *question)
{
	for (;;) {
		app_say(a, "%s (y/n)", question);
		app_draw(a);
		int k = app_getkey(a);
		if (hangup)
			return 0;
		if (k == 'y' || k == 'Y') {
			a->msg[0] = '\0';
			return 1;
		}
		if (k == 'n' || k == 'N' || k == K_ESC || k == 'q') {
			a->msg[0] = '\0';
			return 0;
		}
	}
}

/* One line of text on the bottom row, with the cursor shown. */
static void prompt_draw(struct app *a, const char *label, const struct editor *e)
{
	int lw = tui_text_width(label, strlen(label)), w = a->cols - lw - 2, row, col;
	const char *t = editor_text(e);
	size_t skip = 0;

	a->msg[0] = '\0';
	app_draw(a);
	move(a->rows - 1, 0);
	clrtoeol();
	mvaddstr(a->rows - 1, 1, label);
	editor_cursor(e, 1 << 20, &row, &col);
	while (col >= w) { /* scroll long text to keep the cursor in view */
		int cw;
		skip += tui_cluster(t, strlen(t), skip, &cw);
		col -= cw;
	}
	draw_safe(a->rows - 1, 1 + lw, w, t + skip, strlen(t + skip));
	move(a->rows - 1, 1 + lw + col);
	curs_set(1);
	refresh();
}

char *app_prompt(struct app *a, const char *label, const char *initial)
{
	struct editor e;
	char *out = NULL;
	int k;

	editor_init(&e, 0);
	editor_set(&e, initial ? initial : "");
	for (;;) {
		prompt_draw(a, label, &e);
		k = app_getkey(a);
		if (hangup || k == K_ESC)
			break;
		if (k == K_ENTER) {
			out = xstrdup(editor_text(&e));
			break;
		}
		if (k == K_FN(KEY_BACKSPACE) || k == 127 || k == K_CTRL('h'))
			editor_backspace(&e);
		else if (k == K_FN(KEY_LEFT))
			editor_left(&e);
		else if (k == K_FN(KEY_RIGHT))
			editor_right(&e);
		else if (k > 0 && k < K_FN(0))
			editor_insert_cp(&e, (uint32_t)k);
	}
	editor_free(&e);
	curs_set(0);
	return out;
}

/* ---- the keys everywhere ------------------------------------------------- */

static void key_tab(struct app *a, struct screen *s, int t)
{
	(void)s;
	app_tab(a, (enum tab)t);
}
#define TAB_KEY(n)                                              \
	static void key_tab##n(struct app *a, struct screen *s) \
	{                                                       \
		key_tab(a, s, n);                               \
	}
TAB_KEY(0)
TAB_KEY(1)
TAB_KEY(2)
TAB_KEY(3)
TAB_KEY(4)
TAB_KEY(5)

static void key_next_tab(struct app *a, struct screen *s)
{
	key_tab(a, s, ((int)a->tab + 1) % TAB_COUNT);
}

static void key_prev_tab(struct app *a, struct screen *s)
{
	key_tab(a, s, ((int)a->tab + TAB_COUNT - 1) % TAB_COUNT);
}

static void key_back(struct app *a, struct screen *s)
{
	(void)s;
	if (a->depth > 1)
		app_pop(a);
	else if (app_confirm(a, "Leave the camp?"))
		a->quit = 1;
}

static void key_escape(struct app *a, struct screen *s)
{
	(void)s;
	app_pop(a);
}

static void key_help(struct app *a, struct screen *s)
{
	app_help(a, s);
}

static void key_compose(struct app *a, struct screen *s)
{
	(void)s;
	view_compose_open(a, NULL, NULL, a->tab == TAB_DMS ? VIS_DIRECT : -1);
}

static void key_me(struct app *a, struct screen *s)
{
	(void)s;
	view_profile_open(a, a->me.id);
}

static void key_redraw(struct app *a, struct screen *s)
{
	(void)a;
	(void)s;
	clearok(curscr, TRUE);
}

const struct key app_keys[] = {
	{{'1'}, "1", "Home: you and the people you follow", key_tab0},
	{{'2'}, "2", "Camp: everyone on this camp", key_tab1},
	{{'3'}, "3", "Federated: public posts from everywhere the camp knows", key_tab2},
	{{'4'}, "4", "Notifications", key_tab3},
	{{'5'}, "5", "DMs: your direct conversations", key_tab4},
	{{'6'}, "6", "Directory: who is here", key_tab5},
	{{'\t'}, "Tab", "next tab", key_next_tab},
	{{K_FN(KEY_BTAB)}, "Shift-Tab", "previous tab", key_prev_tab},
	{{'n'}, "n", "write a new post", key_compose},
	{{'P'}, "P", "your own profile", key_me},
	{{'?'}, "?", "this help", key_help},
	{{'q'}, "q", "back; on a tab, leave the camp (asks first)", key_back},
	{{K_ESC}, "Esc", "back", key_escape},
	{{K_CTRL('l')}, "Ctrl-L", "redraw the screen", key_redraw},
	KEYS_END,
};

/* Runs the binding of key in table; 1 if there was one. */
static int keys_run(struct app *a, struct screen *s, const struct key *t, int key)
{
	for (; t && t->fn; t++)
		for (int i = 0; i < 3 && t->codes[i]; i++)
			if (t->codes[i] == key) {
				t->fn(a, s);
				return 1;
			}
	return 0;
}

static void app_key(struct app *a, int key)
{
	struct screen *s = app_top(a);

	a->msg[0] = '\0';
	if (keys_run(a, s, s->view->keys, key) || keys_run(a, s, s->view->more_keys, key))
		return;
	if (s->view->input && s->view->input(a, s, key))
		return;
	if (!s->view->raw && !keys_run(a, s, app_keys, key))
		app_say(a, "That key does nothing here: press ? for the keys.");
}

/* ---- living with other processes ------------------------------------------ */

void app_changed(struct app *a)
{
	int64_t unread = 0;
	struct account me;
	struct screen *s;

	a->dirty = 1;
	if (notifications_unread(a->st, a->viewer, &unread) == 0)
		a->unread = unread;
	/* The member may have changed their profile in another session (or
	 * over ssh): a new post starts at the default they set last. */
	if (account_get(a->st, a->me.id, &me) == 0) {
		account_free(&a->me);
		a->me = me;
	}
	/* Every screen may show what changed; the ones below refresh too, so
	 * going back shows the camp as it is. */
	for (int i = 0; i < a->depth; i++) {
		s = &a->stack[i];
		if (s->view->changed)
			s->view->changed(a, s);
	}
}

/* Notices commits by other processes (our own do not move the number). */
static void app_poll(struct app *a)
{
	int64_t v = store_data_version(a->st);

	if (v == a->data_version)
		return;
	a->data_version = v;
	app_changed(a);
}

/* ---- setting up and tearing down ------------------------------------------ */

static void app_locale(void)
{
	setlocale(LC_ALL, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0 &&
	    setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "C.UTF-8");
}

static int app_open(struct app *a, const struct tui_args *args)
{
	int r;

	memset(a, 0, sizeof *a);
	a->args = args;
	a->st = args->st;
	a->cfg = args->cfg;
	if ((r = account_get(a->st, args->account_id, &a->me)) != 0)
		return r;
	if ((r = viewer_member(a->st, args->account_id, &a->viewer)) != 0) {
		account_free(&a->me);
		return r;
	}
	a->data_version = store_data_version(a->st);
	notifications_unread(a->st, a->viewer, &a->unread);
	a->last_key_at = now_s();
	return 0;
}

static void app_close(struct app *a)
{
	while (a->depth > 0)
		screen_close(&a->stack[--a->depth]);
	viewer_free(a->viewer);
	account_free(&a->me);
}

/* Starts curses (tui_curses_start) in the client's own mode: raw, so
 * Ctrl-S and Ctrl-C are keys; a short Esc; a key wait of POLL_MS. */
static int curses_start(struct app *a)
{
	int r;

	signal(SIGHUP, on_hangup);
	signal(SIGPIPE, SIG_IGN);
	if ((r = tui_curses_start()) != 0)
		return r;
	raw();
	set_escdelay(25);
	wtimeout(stdscr, POLL_MS);
	draw_init_colors(a);
	getmaxyx(stdscr, a->rows, a->cols);
	return 0;
}

/* Ends the loop when the session has sat idle too long. */
static void app_idle(struct app *a)
{
	if (a->cfg->idle_timeout > 0 && now_s() - a->last_key_at > a->cfg->idle_timeout)
		a->quit = 1;
}

static int64_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void app_loop(struct app *a)
{
	int64_t start, drawn = 0;
	int k, quick = 0;

	while (!a->quit && !hangup) {
		if (a->dirty || ms_now() - drawn > 30000) { /* "5m" grows old */
			app_draw(a);
			drawn = ms_now();
			a->dirty = 0;
		}
		start = ms_now();
		k = app_getkey(a);
		if (k == 0) {
			/* A terminal that went away answers at once, forever. */
			quick = ms_now() - start < POLL_MS / 5 ? quick + 1 : 0;
			if (quick > 50)
				break;
			app_poll(a);
			app_idle(a);
			continue;
		}
		quick = 0;
		a->dirty = 1;
		a->last_key_at = now_s();
		if (k != K_FN(KEY_RESIZE)) /* app_draw measures the new size */
			app_key(a, k);
	}
}

int tui_run(const struct tui_args *args)
{
	struct app a;

	app_locale();
	if (app_open(&a, args) != 0)
		return 1;
	if (curses_start(&a) != 0) {
		tui_no_screen(a.cfg, "The camp's client",
			      "Everything also works as a command over ssh; to list "
			      "them, run:",
			      a.me.username, "help");
		app_close(&a);
		return 1;
	}
	app_tab(&a, TAB_HOME);
	if (args->first_login || a.me.onboarded_at == 0)
		view_welcome_open(&a);
	app_loop(&a);
	app_close(&a);
	endwin();
	return 0;
}
