/* `lockviz view TRACE.json`: the viewer's command line (see cmd_view.c). */
#ifndef LV_VIZ_CMD_VIEW_H
#define LV_VIZ_CMD_VIEW_H

/* argv[0] is "view". Returns the exit status: 0 shown or written, 2 bad usage or input, 3
 * internal error. */
int lv_cmd_view(int argc, char **argv);

/* Whether a window can open here: DISPLAY or WAYLAND_DISPLAY is set. */
int lv_have_display(void);

#endif
