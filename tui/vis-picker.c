/*
 * vis-picker.c: the six visibility levels in words, and the picker that
 * chooses one.
 *
 * The compose box picks who can see a post with it, the own profile who
 * sees new posts by default.  Each level gets one line saying who can
 * see it, in the order TUI.md lists them, and can be chosen with j/k and
 * Enter or its number.  The picker only draws and moves; what a choice
 * does is the caller's.
 */
#include "tui/tui-private.h"

#include <curses.h>
#include <string.h>

const int vis_order[VIS_COUNT] = {
	VIS_PUBLIC, VIS_UNLISTED, VIS_FOLLOWERS, VIS_DIRECT, VIS_CAMP, VIS_NEIGHBORHOOD,
};

const char *vis_explain(int v)
{
	return visibility_about((enum visibility)v);
}

const char *vis_label(int v)
{
	const char *name = visibility_name((enum visibility)v);

	return name ? name : "?";
}

int vis_picker_index(int v)
{
	for (int i = 0; i < VIS_COUNT; i++)
		if (vis_order[i] == v)
			return i;
	return 0;
}

void vis_picker_draw(struct app *a, const char *heading, int pick, int y, int w, int h)
{
	draw_safe(y, 2, w, heading, strlen(heading));
	for (int i = 0; i < VIS_COUNT && i + 2 < h; i++) {
		int v = vis_order[i];
		const char *why = vis_explain(v);
		if (i == pick)
			draw_on(a, C_TAB);
		mvprintw(y + 2 + i, 2, "%s %d %-12s", i == pick ? ">" : " ", i + 1,
			 vis_label(v));
		if (i == pick)
			draw_off(a, C_TAB);
		draw_safe(y + 2 + i, 20, w - 18, why, strlen(why));
	}
}

int vis_picker_key(int key, int *pick)
{
	if (key == 'j' || key == K_FN(KEY_DOWN))
		*pick = (*pick + 1) % VIS_COUNT;
	else if (key == 'k' || key == K_FN(KEY_UP))
		*pick = (*pick + VIS_COUNT - 1) % VIS_COUNT;
	else if (key == K_ENTER || key == K_FN(KEY_ENTER))
		return *pick;
	else if (key >= '1' && key < '1' + VIS_COUNT)
		return *pick = key - '1';
	return -1;
}
