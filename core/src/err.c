/* lv_strerror: the messages of lv_err, from the same X-macro as the codes. */
#include "lockviz/err.h"

const char *lv_strerror(lv_err err) {
    switch (err) {
    case LV_OK:
        return "success";
#define LV__ERR_CASE(name, msg)                                                                    \
    case LV_E##name:                                                                               \
        return msg;
        LV_ERRNO_MAP(LV__ERR_CASE)
#undef LV__ERR_CASE
    default:
        return "unknown error";
    }
}
