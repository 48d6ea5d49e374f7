/*
 * tui-private.h: what the files of tui/ share among themselves.
 *
 * Pure helpers (text.c: widths, clusters, wrapping; editor.c: the compose
 * buffer) come first: the unit tests include this header for them.  Then
 * the client itself: the app, its stack of screens, views as tables, keys
 * as tables, drawing helpers and the post list that most views are made
 * of.  Nothing outside tui/ may include this file but the tests.
 */
#ifndef CAMP_TUI_PRIVATE_H
#define CAMP_TUI_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "common/common.h"
#include "store/store.h"
#include "tui/tui.h"

/* ---- text.c: widths, clusters, wrapping (pure) -------------------------- */

/* Cells a code point takes, as ncurses will place it: wcwidth(), with an
 * unprintable one counted as the one cell of its U+FFFD stand-in. */
int tui_cp_width(uint32_t cp);
/* The cluster that starts at s[off]: returns its length in bytes (0 at the
 * end) and stores its width in cells.  A '\n' is a cluster of width 0; a
 * mark with no base is width 1 (drawn on a dotted circle). */
size_t tui_cluster(const char *s, size_t len, size_t off, int *width);
/* The start of the cluster that ends at s[off] (0 when off is 0). */
size_t tui_cluster_before(const char *s, size_t len, size_t off);
/* Cells s[0..len) takes. */
int tui_text_width(const char *s, size_t len);
/* How many bytes of s fit in width cells, whole clusters only, stopping
 * at a '\n'; stores the cells they take in *used when not NULL. */
size_t tui_fit(const char *s, size_t len, int width, int *used);

struct tui_line {
	size_t start, len; /* bytes of the text shown on this line */
	size_t next;	   /* where the next line starts (past a break space) */
	int width;	   /* cells */
};
struct tui_lines {
	struct tui_line *v;
	int n, cap;
};
/* Word-wraps s[0..len) into lines of at most width cells: breaks at
 * '\n', else at the last space that fits (the space is not shown), else
 * between two clusters of a word longer than a line.  Always yields at
 * least one line.  out is reused; free it with tui_lines_free. */
void tui_wrap(const char *s, size_t len, int width, struct tui_lines *out);
void tui_lines_free(struct tui_lines *l);

/* ---- editor.c: the compose buffer (pure) -------------------------------- */

struct editor {
	struct buf text;
	size_t cur; /* byte offset, always on a cluster boundary */
	int goal;   /* the column up/down aim for; -1 when none */
	int multiline;
};

/* An empty buffer; multiline allows '\n'.  Free with editor_free. */
void editor_init(struct editor *e, int multiline);
void editor_free(struct editor *e);
/* Replaces the text (cursor at the end); untypeable characters in s are
 * kept in their text_sanitize() form. */
void editor_set(struct editor *e, const char *s);
/* The text, always valid UTF-8 with no control characters but '\n'. */
const char *editor_text(const struct editor *e);
/* Length in code points, as the post length limit counts it. */
size_t editor_count(const struct editor *e);
/* Inserts UTF-8 at the cursor.  Refuses (CAMP_EINVAL, nothing changed)
 * invalid UTF-8, control characters, bidi controls, and '\n' in a
 * single-line editor. */
int editor_insert(struct editor *e, const char *s, size_t n);
int editor_insert_cp(struct editor *e, uint32_t cp);
/* Delete the cluster before / after the cursor; 1 if anything went. */
int editor_backspace(struct editor *e);
int editor_delete(struct editor *e);
void editor_left(struct editor *e);
void editor_right(struct editor *e);
/* Movement over the visual lines of a wrap at width cells. */
void editor_up(struct editor *e, int width);
void editor_down(struct editor *e, int width);
void editor_home(struct editor *e, int width);
void editor_end(struct editor *e, int width);
/* Where the cursor is drawn in a wrap at width: visual row and column. */
void editor_cursor(const struct editor *e, int width, int *row, int *col);
/* How many visual lines the text takes at width. */
int editor_rows(const struct editor *e, int width);

/* ---- the client ---------------------------------------------------------- */

/* Keys: a typed character is its code point; a curses function key is
 * K_FN(KEY_...), so the two never collide. */
#define K_FN(k) (0x1000000 | (k))
#define K_CTRL(c) ((c)&0x1f)
#define K_ESC 27
#define K_ENTER '\n'

struct app;
struct screen;

/* One key binding: up to three codes and what help calls it. */
struct key {
	int codes[3];
	const char *label; /* "j ↓" */
	const char *help;  /* "next post" */
	void (*fn)(struct app *a, struct screen *s);
};
#define KEYS_END                      \
	{                             \
		{0}, NULL, NULL, NULL \
	}

/* A view is a table entry: its keys, how it opens, draws, reacts to keys
 * its table does not name, and to changes made by other processes. */
struct view {
	const char *name;
	const struct key *keys;
	const struct key *more_keys; /* a second table, after keys */
	const char *const *hints;    /* bottom line, in order: "r reply", ... */
	void (*draw)(struct app *a, struct screen *s, int y, int h);
	int (*input)(struct app *a, struct screen *s, int key); /* 1: used */
	void (*changed)(struct app *a, struct screen *s);
	void (*close)(struct screen *s);
	int raw; /* text entry: the app's own keys are off */
};

struct screen {
	const struct view *view;
	char title[160];
	void *state; /* the view's, freed by view->close */
};

#define STACK_MAX 16
enum tab {
	TAB_HOME,
	TAB_CAMP,
	TAB_FEDERATED,
	TAB_NOTIFICATIONS,
	TAB_DMS,
	TAB_DIRECTORY,
	TAB_COUNT
};

struct app {
	const struct tui_args *args;
	struct store *st;
	const struct config *cfg;
	struct viewer *viewer;
	struct account me;
	int rows, cols;
	int colors;
	struct screen stack[STACK_MAX];
	int depth;
	enum tab tab;
	int64_t data_version;
	int64_t unread; /* notifications */
	char msg[240];
	int quit;
	int dirty; /* draw before waiting for the next key */
	int64_t last_key_at;
	int64_t opened[64]; /* posts whose content warning is open */
	int nopened;
};

/* ---- term.c: starting curses (tui_curses_start is in tui.h) ------------ */

/* Tells the person at a terminal that cannot show a full screen (after
 * tui_curses_start() refused it) what to do instead, in one paragraph on
 * stdout: what needs the full screen ("The camp's client"), then how
 * (a sentence), then the ssh command for user that does it, ending in
 * command ("help"). */
void tui_no_screen(const struct config *cfg, const char *what, const char *how,
		   const char *user, const char *command);

/* ---- app.c -------------------------------------------------------------- */
/* Pushes a screen for view with state (owned by the screen from now on,
 * even on failure).  A full stack drops the state and says so. */
void app_push(struct app *a, const struct view *v, void *state, const char *title);
/* Pops the top screen (never the base). */
void app_pop(struct app *a);
/* Replaces the whole stack by a tab's view. */
void app_tab(struct app *a, enum tab t);
struct screen *app_top(struct app *a);
/* A message for the bottom line, kept until the next key. */
void app_say(struct app *a, const char *fmt, ...) CAMP_PRINTF(2, 3);
/* Shows err_last() after a failed action. */
void app_fail(struct app *a, const char *what);
/* Draws everything now (for modal prompts). */
void app_draw(struct app *a);
/* Reads a key, waiting at most the poll interval; 0 on timeout. */
int app_getkey(struct app *a);
/* Asks a yes/no question on the bottom line; 1 for yes. */
int app_confirm(struct app *a, const char *question);
/* Asks for one line of text on the bottom line; returns a string the
 * caller frees, or NULL when cancelled. */
char *app_prompt(struct app *a, const char *label, const char *initial);
/* Is the content warning of a post opened; open or close it. */
int app_cw_open(const struct app *a, int64_t post_id);
void app_cw_toggle(struct app *a, int64_t post_id);
/* The help screen for the screen below it. */
void app_help(struct app *a, struct screen *s);
/* The key bindings everywhere (help lists them). */
extern const struct key app_keys[];

/* ---- draw.c: drawing primitives ----------------------------------------- */
enum color { C_NONE, C_SEL, C_NAME, C_CAMP, C_CW, C_DIM, C_TAB, C_ERR, C_COUNT };
/* Sets up colours when the terminal has them (a->colors says). */
void draw_init_colors(struct app *a);
/* Turns a colour role on or off (attributes only without colours). */
void draw_on(struct app *a, enum color c);
void draw_off(struct app *a, enum color c);
/* Draws terminal-safe text (already sanitized) at (y, x), whole clusters
 * only, at most maxw cells; returns the cells used. */
int draw_safe(int y, int x, int maxw, const char *s, size_t len);
/* Sanitizes s with flags (TEXT_NAME, ...) and draws it as draw_safe. */
int draw_text(int y, int x, int maxw, const char *s, int flags);
/* Cells s takes once sanitized with flags. */
int draw_text_width(const char *s, int flags);
/* n cells of ─ from (y, x). */
void draw_hline(int y, int x, int n);
/* A horizontal rule on row y with an optional title. */
void draw_rule(struct app *a, int y, const char *title);
/* Word-wraps untrusted text (sanitized here, multi-line) at width and
 * draws at most maxrows lines from row y (draw=0 only counts); returns
 * the rows it takes, capped at maxrows. */
int draw_wrapped(int y, int x, int width, int maxrows, const char *s, int draw);
/* "now", "5m", "3h", "2d", "Mar 4". */
void draw_when(int64_t t, char out[16]);
/* "camp only", "public", ...: a level in words. */
const char *draw_vis_word(enum visibility v);

/* ---- list.c: a scrolling list of items of different heights ------------- */
struct list {
	int n, sel, top;
};
struct list_ops {
	/* Rows item i takes at width w (at least 1). */
	int (*height)(struct app *a, struct screen *s, int i, int w);
	/* Draws item i from row y, at most h rows, at x with width w. */
	void (*draw)(struct app *a, struct screen *s, int i, int y, int x, int w, int h);
};
/* Draws the list in rows [y, y+h), the selected item marked in the
 * margin; scrolls so the selection is in view. */
void list_draw(struct app *a, struct screen *s, struct list *l,
	       const struct list_ops *ops, int y, int h);
/* Moves the selection by delta items, clamped. */
void list_move(struct list *l, int delta);
/* Items that fit from the top (for paging). */
int list_page(struct app *a, struct screen *s, struct list *l, const struct list_ops *ops,
	      int h);

/* ---- pager.c: a bounded window onto a long list, newest first ----------- */

/* Items one page loads, and the most a window holds. */
#define PAGER_PAGE 30
#define PAGER_MAX 90

/* A page as the store gives it: items newest first, in a malloc'd array
 * of ops->size bytes each, and where the page after it starts. */
struct pager_page {
	void *items;
	int n;
	int64_t next_max_id; /* the max_id of the page below; 0 at the end */
};
struct pager_ops {
	size_t size;			 /* bytes of one item */
	int64_t (*id)(const void *item); /* ids fall along the list */
	void (*free)(void *item);	 /* frees what the item holds, not it */
	/* Loads at most limit (1..200) items with ids below max_id (0: from
	 * the newest) into out; 0 or a CAMP_E* code with err_last(). */
	int (*fetch)(struct app *a, void *ctx, int64_t max_id, int limit,
		     struct pager_page *out);
};
struct pager {
	const struct pager_ops *ops;
	void *ctx;	     /* passed to fetch */
	char *items;	     /* l.n items of ops->size bytes, owned */
	int cap;	     /* items there is room for */
	struct list l;	     /* the selection and the first item shown */
	int64_t next_max_id; /* where the page below starts; 0: nothing below */
	int64_t *above;	     /* the max_id that loads each stretch let go above
				the window, nearest last; owned */
	int nabove, above_cap;
	int fresh; /* items that arrived above the selection, unseen */
};
/* An empty window over ops; ctx goes to ops->fetch.  Free with
 * pager_free(), which frees the items and the window's arrays. */
void pager_init(struct pager *pg, const struct pager_ops *ops, void *ctx);
void pager_free(struct pager *pg);
/* Frees every item and forgets what was let go above. */
void pager_clear(struct pager *pg);
/* Item i of the window (0 <= i < l.n), its id, and the index of id (-1). */
void *pager_at(const struct pager *pg, int i);
int64_t pager_id(const struct pager *pg, int i);
int pager_index(const struct pager *pg, int64_t id);
/* Whether the window starts at the newest item (nothing let go above). */
int pager_at_newest(const struct pager *pg);
/* Where the member is: the selected item and the first one shown. */
struct pager_place {
	int64_t sel_id, top_id;
	int was_top, old_sel;
};
void pager_place_save(const struct pager *pg, struct pager_place *at);
/* Puts the selection and the top back on the same items (by id; the
 * selection stays at its index when its item is gone). */
void pager_place_restore(struct pager *pg, const struct pager_place *at);
/* Takes over page's items, after the window's (for lists that are not
 * paged, such as a thread).  page is left empty. */
void pager_append(struct pager *pg, struct pager_page *page);
/* Loads the newest page in place of everything.  On failure (a CAMP_E*
 * code) the window is as it was. */
int pager_first(struct app *a, struct pager *pg);
/* Loads the same window again after a change elsewhere: the selection
 * and the top stay on the items they were on; at the newest, new items
 * above the selection are counted in fresh.  0 or a CAMP_E* code (the
 * window unchanged). */
int pager_reload(struct app *a, struct pager *pg);
/* Loads the page below the window and lets the top go past PAGER_MAX.
 * Returns how many items were let go (0 when none, or nothing was
 * below), or a CAMP_E* code with the window unchanged. */
int pager_below(struct app *a, struct pager *pg);
/* Loads the stretch let go right above the window again (and, back at
 * the newest, whatever arrived meanwhile) and lets the bottom go past
 * PAGER_MAX.  Returns how many items came above (0 at the newest), or a
 * CAMP_E* code. */
int pager_above(struct app *a, struct pager *pg);
/* Moves the selection by delta items, loading below or above when it
 * would leave the window; 0 or a CAMP_E* code (the move is made as far
 * as the window allows either way). */
int pager_move(struct app *a, struct pager *pg, int delta);
/* Selects the last item, loading the page below when already on it. */
int pager_last(struct app *a, struct pager *pg);
/* Selects the newest item, loading it again if it was let go. */
int pager_newest(struct app *a, struct pager *pg);

/* ---- postlist.c: lists of posts (timelines, profiles, threads, DMs) ---- */
enum plist_kind { PL_TIMELINE, PL_THREAD, PL_DM };
struct plist {
	enum plist_kind kind;
	struct timeline_query q; /* PL_TIMELINE: kind, account, tag */
	char tag[64];
	int64_t post_id;	 /* PL_THREAD: the focus; PL_DM: a post of it */
	struct pager pg;	 /* the posts (struct post), the selection */
	int focus;		 /* PL_THREAD: index of the focus */
	struct account *profile; /* the profile view's account, or NULL */
	struct relationship rel;
};
/* Makes a list and loads its first page; NULL with err_last() on error. */
struct plist *plist_new(struct app *a, enum plist_kind kind,
			const struct timeline_query *q, int64_t post_id);
void plist_free(struct plist *pl);
/* Reloads after a change, keeping the selection on the same post. */
void plist_reload(struct app *a, struct plist *pl);
/* The selected post as shown (the boosted post for a boost), or NULL. */
struct post *plist_selected(struct plist *pl);
/* Draws the list (after a header of hdr rows) in rows [y, y+h). */
void plist_draw(struct app *a, struct screen *s, struct plist *pl, int y, int h);
/* Handles the keys shared by every list of posts; 1 if used. */
int plist_input(struct app *a, struct screen *s, struct plist *pl, int key);
/* Rows a post takes at width w, or draws it (draw=1). */
int post_render(struct app *a, const struct post *p, int y, int x, int w, int maxrows,
		int draw, int full);
/* The keys on a selected post, shared by every list of posts, and the
 * bottom line's hints for them. */
extern const struct key post_keys[];
extern const char *const post_hints[];
/* Tells every screen that the camp changed (after the member acted). */
void app_changed(struct app *a);

/* ---- views ---------------------------------------------------------------- */
extern const struct view view_timeline;
extern const struct view view_thread;
extern const struct view view_profile;
extern const struct view view_notifications;
extern const struct view view_dms;
extern const struct view view_directory;
extern const struct view view_help;
extern const struct view view_compose;
extern const struct view view_welcome;
extern const struct view view_visibility;

/* view-timeline.c */
void view_timeline_open(struct app *a, enum timeline_kind kind, const char *tag);
/* view-thread.c */
void view_thread_open(struct app *a, int64_t post_id);
void view_dm_open(struct app *a, int64_t post_id, const char *title);
/* view-profile.c */
void view_profile_open(struct app *a, int64_t account_id);
/* view-notifications.c, view-dms.c, view-directory.c */
void view_notifications_open(struct app *a);
void view_dms_open(struct app *a);
void view_directory_open(struct app *a);
/* view-compose.c: a new post, a reply (parent) or an edit (edit). */
void view_compose_open(struct app *a, const struct post *parent, const struct post *edit,
		       int visibility);
/* view-welcome.c: the first-login pages. */
void view_welcome_open(struct app *a);

/* vis-picker.c: the six levels in words, and the picker that chooses one. */
/* The levels in the order TUI.md lists them (the picker's 1-6). */
extern const int vis_order[VIS_COUNT];
/* One line on who can see a post of level v (store's table). */
const char *vis_explain(int v);
/* The level's short name: "public", ..., "camp", "neighborhood". */
const char *vis_label(int v);
/* Where level v is in vis_order (0 if it is not a level). */
int vis_picker_index(int v);
/* Draws heading on row y, then the six levels from row y+2, each with
 * its number, name and explanation, the one at index pick marked; at most
 * h rows, w cells wide from column 2. */
void vis_picker_draw(struct app *a, const char *heading, int pick, int y, int w, int h);
/* A key in the picker: j/k and the arrows move *pick; Enter or a digit
 * 1-6 returns the index chosen; -1 for anything else. */
int vis_picker_key(int key, int *pick);
/* view-visibility.c: who sees the member's new posts by default. */
void view_visibility_open(struct app *a);

/* ---- actions.c: what a member does to a post or an account --------------- */
void act_follow_toggle(struct app *a, int64_t account_id);
void act_mute_toggle(struct app *a, int64_t account_id);
void act_block_toggle(struct app *a, int64_t account_id);
void act_report(struct app *a);
/* The acct of an account brief, sanitized for the screen; caller frees. */
char *act_name(const struct account_brief *b);

#endif
