/* Drawing the scenario picker and explore's progress panel that picker.c and explore_ui.c laid
 * out, with the viewer's renderer, fonts and palette. No input handling and no layout here. */
#ifndef LV_VIZ_RENDER_PICKER_H
#define LV_VIZ_RENDER_PICKER_H

#include "explore_ui.h"
#include "picker.h"
#include "render.h"

/* The picker over the whole window; vp gives the mouse (hover) and the language. */
void lv_render_picker(lv_render *R, const lv_pframe *f, const lv_picker *p, const lv_viewport *vp);
/* The progress panel over what is drawn already. */
void lv_render_xpanel(lv_render *R, const lv_xpanel *p);

#endif
