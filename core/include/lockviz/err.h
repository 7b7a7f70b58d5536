/* lockviz error codes: one X-macro, negative values, lv_strerror().
 * These are failures of lockviz itself (bad input, no memory, a thread that could not start);
 * a scenario misusing a primitive is not an error here: it is recorded in the trace. */
#ifndef LOCKVIZ_ERR_H
#define LOCKVIZ_ERR_H

#define LV_ERRNO_MAP(X)                                                                            \
    X(NOMEM, "out of memory")                                                                      \
    X(IO, "input/output error")                                                                    \
    X(PARSE, "malformed input")                                                                    \
    X(USAGE, "bad usage")                                                                          \
    X(NOTFOUND, "not found")                                                                       \
    X(RANGE, "value out of range")                                                                 \
    X(THREAD, "could not start a thread")                                                          \
    X(UNSUPPORTED, "not supported")                                                                \
    X(CRASHED, "the scenario's run crashed")                                                       \
    X(TIMEDOUT, "the scenario's run did not finish in time")

typedef enum lv_err {
    LV_OK = 0,
#define LV__ERR_ENUM(name, msg) LV_E##name,
    LV__ERR_FIRST = -100,
    LV_ERRNO_MAP(LV__ERR_ENUM)
#undef LV__ERR_ENUM
} lv_err;

/* A static string describing err; never NULL. */
const char *lv_strerror(lv_err err);

#endif
