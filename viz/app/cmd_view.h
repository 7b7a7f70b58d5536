/* `lockviz view TRACE.json`: the viewer's command line (see cmd_view.c). */
#ifndef LV_VIZ_CMD_VIEW_H
#define LV_VIZ_CMD_VIEW_H

/* argv[0] is "view". Returns the exit status: 0 shown or written, 2 bad usage or input, 3
 * internal error. */
int lv_cmd_view(int argc, char **argv);

/* Whether a window can open here (display.c): DISPLAY or WAYLAND_DISPLAY is set and a server
 * answers on it. Probed once per process. */
int lv_have_display(void);
/* Why not, in the words of "no display (...)"; "" when there is one. */
const char *lv_display_why_not(void);

#endif
