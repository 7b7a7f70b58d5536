/* The viewer's words in English and Chinese: one table, one lookup. Every string the viewer
 * draws comes from here, except what a trace wrote (names, notes), which is shown as written,
 * and findings' messages, which core words in either language (lv_finding_message). No SDL and no
 * fonts: choosing glyphs is font.c's job. */
#ifndef LV_VIZ_I18N_H
#define LV_VIZ_I18N_H

#include <stddef.h>

typedef enum lv_lang { LV_LANG_EN, LV_LANG_ZH, LV_LANG__COUNT } lv_lang;

/* Keys. Entries with %s take strings only (numbers are formatted first), so both columns of
 * a key take the same arguments. */
typedef enum lv_tr_key {
    /* states and the legend */
    LV_T_RUNNING,
    LV_T_BLOCKED,
    LV_T_SLEEPING,
    LV_T_HOLDING,
    LV_T_FINISHED,
    LV_T_NOT_STARTED,
    LV_T_WAITS_FOR, /* %s: an object */
    LV_T_JOINS,     /* %s: a thread */
    /* the header */
    LV_T_COMPLETED,
    LV_T_DEADLOCKED,
    LV_T_ABORTED,
    LV_T_IN_PROGRESS, /* the header's chip before the end while the future is hidden */
    LV_T_FINDING_1,   /* %s: a count */
    LV_T_FINDING_N,
    LV_T_LIVE,
    LV_T_SUBTITLE,     /* %s mode, %s seed */
    LV_T_SEED,         /* %s seed: the subtitle of a controlled run (the default mode) */
    LV_T_STATUS,       /* %s seq, %s count, %s time */
    LV_T_BEFORE_FIRST, /* the status before the first event */
    /* the time axis */
    LV_T_TIME,
    LV_T_MORE_SCROLL, /* %s: a count */
    LV_T_MORE,
    /* the findings panel */
    LV_T_NO_FINDINGS,
    LV_T_RACE,
    LV_T_DEADLOCK,
    LV_T_LOCK_ORDER,
    LV_T_INVARIANT,
    LV_T_MISUSE,
    /* the objects panel */
    LV_T_WAITING,
    LV_T_LOCK,      /* %s name */
    LV_T_RLOCK,     /* %s name */
    LV_T_HELD_BY,   /* %s thread */
    LV_T_HELD_BY_N, /* %s thread, %s count */
    LV_T_FREE,
    LV_T_SEM,        /* %s name, %s free, %s capacity */
    LV_T_RWLOCK,     /* %s name */
    LV_T_RECORDED,   /* the header's word for a recorded program's run */
    LV_T_WRITTEN_BY, /* %s thread: holds an rwlock for writing */
    LV_T_READ_BY,    /* the readers of an rwlock follow */
    LV_T_BARRIER,    /* %s name, %s count */
    LV_T_BSEM,       /* the same */
    LV_T_EVENT_SET,  /* %s name */
    LV_T_EVENT_CLEAR,
    LV_T_STALE_READ,
    LV_T_LOST,
    LV_T_OVERWRITES,
    LV_T_EARLIER, /* %s: a count */
    LV_T_WROTE,
    LV_T_READ,
    LV_T_MORE_OBJECTS, /* %s: a count */
    /* the tooltip of an event */
    LV_T_EV_AT,   /* %s seq, %s thread */
    LV_T_EV_READ, /* %s var, %s value */
    LV_T_EV_WROTE,
    LV_T_EV_SPAWNED, /* %s thread */
    LV_T_EV_JOINS,
    LV_T_EV_SLEEPS, /* %s milliseconds */
    LV_T_EV_ASKS,   /* %s object */
    LV_T_EV_GOT,
    LV_T_EV_RELEASED,
    LV_T_EV_GAVE_UP,
    LV_T_EV_GAVE_UP_FOR, /* %s object */
    /* the buttons' tooltips */
    LV_T_BTN_BACK,
    LV_T_BTN_PLAY,
    LV_T_BTN_FWD,
    LV_T_BTN_LESSON,
    LV_T_BTN_LANG,
    LV_T_BTN_HELP,
    LV_T_BTN_SCHED,
    LV_T_BTN_COMPARE,
    /* side by side */
    LV_T_CMP_BROKEN, /* %s variant name */
    LV_T_CMP_FIXED,
    LV_T_CMP_SAME_ALL,   /* %s: a count of choice points */
    LV_T_CMP_SAME_FIRST, /* %s: a count of choice points */
    LV_T_CMP_SAME_NONE,
    LV_T_CMP_ON,     /* %s: the other pane's variant, with its role */
    LV_T_CMP_FAILED, /* %s reason */
    /* the lesson panel */
    LV_T_LESSON_HIDE,
    LV_T_VARIANT, /* %s variant name */
    LV_T_NO_LESSON,
    /* the status line */
    LV_T_ONLY_HERE, /* %s: the key */
    LV_T_NEW_SEED,  /* %s seed */
    LV_T_NEW_VARIANT,
    LV_T_RERUN_FAILED, /* %s reason */
    LV_T_SAVED_IN,     /* %s folder */
    LV_T_EXPORT_FAILED,
    /* scheduler mode: the bar under the lanes, the column beside them, its messages */
    LV_T_SCHED,         /* the bar's title */
    LV_T_SCHED_AUTO,    /* the Auto button */
    LV_T_SCHED_PROMPT,  /* who runs next? */
    LV_T_SCHED_LATER,   /* %s seq: the next choice comes after that event */
    LV_T_SCHED_NONE,    /* nothing to choose after the playhead */
    LV_T_SCHED_OVER,    /* nothing to choose: the playhead is at the end */
    LV_T_SCHED_CUT,     /* the header's chip for a run cut at the frontier */
    LV_T_SCHED_PLAYING, /* Auto is playing */
    LV_T_SCHED_CAN_RUN,
    LV_T_SCHED_COPY_HINT,
    LV_T_SCHED_COPIED,  /* %s: the command */
    LV_T_SCHED_REFUSED, /* %s thread, %s why */
    LV_T_SCHED_ON,
    LV_T_SCHED_OFF,
    LV_T_SCHED_DIVERGED,  /* %s: the choice's number */
    LV_T_SCHED_FAILED,    /* %s reason */
    LV_T_SCHED_NO_THREAD, /* %s number */
    /* predict mode */
    LV_T_PRED,
    LV_T_PRED_SCORE, /* %s right, %s asked */
    LV_T_PRED_WHO,   /* %s: the threads that can run, with their numbers */
    LV_T_PRED_READ,  /* %s thread, %s var */
    LV_T_PRED_WAIT,
    LV_T_PRED_DONE,
    LV_T_PRED_RIGHT, /* %s: what happened */
    LV_T_PRED_WRONG, /* %s: what happened, %s: the guess */
    LV_T_PRED_RUNS,  /* %s thread */
    LV_T_PRED_READS, /* %s thread, %s var, %s value */
    LV_T_PRED_ON,
    LV_T_PRED_OFF,
    LV_T_PRED_NOT_AN_ANSWER,
    LV_T_PRED_CUT, /* the header's chip for a run shown up to the next question */
    LV_T_K_SEM,    /* %s name: an object with its kind, in a sentence */
    LV_T_K_BSEM,
    LV_T_K_EVENT,
    LV_T_K_COND,
    LV_T_WHY_HELD,  /* %s object, %s thread: why a thread cannot run */
    LV_T_WHY_WAITS, /* %s object */
    LV_T_WHY_SEM,
    LV_T_WHY_EVENT,
    LV_T_WHY_COND,
    LV_T_WHY_JOIN,  /* %s thread */
    LV_T_WHY_SLEEP, /* %s time */
    LV_T_WHY_FINISHED,
    LV_T_WHY_NOT_STARTED,
    LV_T_WHY_OTHER,
    /* the help overlay: keys and what they do */
    LV_T_HELP_TITLE,
    LV_T_HK_SPACE,
    LV_T_HD_SPACE,
    LV_T_HK_STEP,
    LV_T_HD_STEP,
    LV_T_HK_FINDING,
    LV_T_HD_FINDING,
    LV_T_HK_SPEED,
    LV_T_HD_SPEED,
    LV_T_HK_ENDS,
    LV_T_HD_ENDS,
    LV_T_HK_WHEEL,
    LV_T_HD_WHEEL,
    LV_T_HK_SCROLL,
    LV_T_HD_SCROLL,
    LV_T_HK_DRAG,
    LV_T_HD_DRAG,
    LV_T_HK_CLICK,
    LV_T_HD_CLICK,
    LV_T_HK_CLICK_FINDING,
    LV_T_HD_CLICK_FINDING,
    LV_T_HK_RERUN,
    LV_T_HD_RERUN,
    LV_T_HK_VARIANT,
    LV_T_HD_VARIANT,
    LV_T_HK_EXPORT,
    LV_T_HD_EXPORT,
    LV_T_HK_LESSON,
    LV_T_HD_LESSON,
    LV_T_HK_COMPARE,
    LV_T_HD_COMPARE,
    LV_T_HK_LANG,
    LV_T_HD_LANG,
    LV_T_HK_HELP,
    LV_T_HD_HELP,
    LV_T_HK_SCHED,
    LV_T_HD_SCHED,
    LV_T_HK_AUTO,
    LV_T_HD_AUTO,
    LV_T_HK_COPY,
    LV_T_HD_COPY,
    LV_T_HK_PRED,
    LV_T_HD_PRED,
    LV_T_HK_QUIT,
    LV_T_HD_QUIT,
    LV_T_HELP_NOTE, /* findings stay in analysis' English */
    /* the scenario picker (picker.c) */
    LV_T_BTN_PICKER,
    LV_T_PK_TITLE,
    LV_T_PK_HINT,     /* %s the highest number key */
    LV_T_PK_FROM,     /* %s source */
    LV_T_PK_VARIANTS, /* %s name, %s count */
    LV_T_PK_BROKEN,
    LV_T_PK_FIXED,
    LV_T_PK_RUN_ONE,
    LV_T_PK_RUN,    /* %s scenario, %s variant */
    LV_T_PK_LESSON, /* %s variant */
    LV_T_HK_PICKER,
    LV_T_HD_PICKER,
    /* explore from the window (explore_ui.c) */
    LV_T_BTN_EXPLORE,
    LV_T_XP_TITLE, /* %s scenario, %s variant */
    LV_T_XP_WHAT,
    LV_T_XP_COUNT, /* %s done, %s budget */
    LV_T_XP_HINT,
    LV_T_XP_FOUND,     /* %s run number */
    LV_T_XP_FINDING,   /* %s kind word, %s message */
    LV_T_XP_OUTCOME,   /* %s outcome word */
    LV_T_XP_NONE_ALL,  /* %s runs, %s preemption bound */
    LV_T_XP_NONE,      /* %s runs */
    LV_T_XP_CANCELLED, /* %s runs */
    LV_T_XP_FAILED,    /* %s reason */
    LV_T_XP_BUSY,
    LV_T_HK_EXPLORE,
    LV_T_HD_EXPLORE,
    /* what the lessons point at, and the legend of every mark (issue 16, items 5, 7, 8) */
    LV_T_GAUGE,      /* %s name, %s count */
    LV_T_GAUGE_CAP,  /* %s name, %s count, %s capacity */
    LV_T_GAUGE_OVER, /* the same, past the capacity */
    LV_T_LG_TITLE,
    LV_T_LG_HOLD,
    LV_T_LG_COUNT,
    LV_T_LG_READ,
    LV_T_LG_WRITE,
    LV_T_LG_STALE,
    LV_T_LG_ARROW,
    LV_T_LG_TIMEOUT,
    LV_T_LG_BREAK,
    LV_T_LG_GAUGE,
    LV_T_LG_ANSWER,
    LV_T_LG_WAIT,
    LV_T_LG_BYSTANDER,
    LV_T_LG_FINDING,
    LV_T_LG_PLAYHEAD,
    LV_T_QUIT_ASK,
    LV_T_HK_FULL,
    LV_T_HD_FULL,
    LV_T_HK_ESC,
    LV_T_HD_ESC,
    LV_T_FULLSCREEN_FAILED, /* %s: SDL's reason */
    /* the program's printed lines (main.c) */
    LV_T_CLI_FROM,       /* %s source */
    LV_T_CLI_VARIANTS,   /* the heading of a scenario's variants */
    LV_T_CLI_PARAMS,     /* the heading of its parameters */
    LV_T_CLI_DEFAULT,    /* after the default variant */
    LV_T_CLI_PARAM,      /* %s name, %s default, %s min, %s max, %s help */
    LV_T_CLI_SUMMARY,    /* %s scenario, %s variant, %s mode, %s seed, %s outcome, %s threads,
                            %s objects, %s events */
    LV_T_CLI_CONTROLLED, /* the mode's word */
    LV_T_REC_SUMMARY,    /* %s program, %s " " or "", %s its arguments, %s outcome, %s threads,
                            %s objects, %s events */
    LV_T_REC_EXITED,     /* %s the recorded program's exit status */
    LV_T_REC_SIGNAL,     /* %s the signal that ended it */
    LV_T_REC_STOPPED,    /* lockviz stopped it (deadlock) */
    LV_T_REC_NO_RACES,   /* what recording cannot see */
    /* the classroom's words (issue 16) */
    LV_T_NO_FINDINGS_CUT, /* a cut run: nothing went wrong so far */
    LV_T_CAN_WOKEN,       /* a thread that can run while its lane says it sleeps */
    LV_T_CAN_START,       /* ... while its lane says it has not started */
    LV_T_CAN_WAIT_ENDS,   /* ... while its lane says it waits: %s object */
    LV_T_SCHED_NO_STEP,   /* %s thread: a pick that recorded nothing to show */
    LV_T_SCHED_QUEUED,    /* %s thread: a pick made while the last step plays */
    /* the story as it plays, the time views, the deadlock's cycle (issue 16) */
    LV_T_NO_FINDINGS_YET, /* findings not reached by the playhead yet */
    LV_T_TIME_WARPED,     /* the axis's name in each time view */
    LV_T_TIME_LINEAR,
    LV_T_TIME_STEPS,
    LV_T_BTN_TIME,
    LV_T_HK_TIMEVIEW,
    LV_T_HD_TIMEVIEW,
    LV_T_HK_AHEAD,
    LV_T_HD_AHEAD,
    LV_T_AHEAD_HIDE, /* what G chose */
    LV_T_AHEAD_FAINT,
    LV_T_AHEAD_SHOW,
    LV_T_IN_CYCLE,  /* %s object: a lane of the deadlock's cycle */
    LV_T_BYSTANDER, /* %s object: a lane waiting for a lock of the cycle, not in it */
    LV_T__COUNT
} lv_tr_key;

/* The text of key in lang: a static string, never NULL for a valid key. */
const char *lv_tr(int lang, lv_tr_key key);
/* The language the program starts in: what it prints, the PNGs it draws and the window's
 * first language. English unless the command line or the locale chose (cli_env.c). */
void lv_lang_set_default(int lang);
int lv_lang_default(void);
/* The raw table entry (NULL when missing), for tests. */
const char *lv_tr_raw(int lang, lv_tr_key key);

/* The legend's words (running, blocked, sleeping, holding, finished) and the findings' kind
 * chips, in the order of lv_finding_kind (race, deadlock, lock order, invariant, misuse). */
extern const lv_tr_key lv_legend_words[5];
extern const lv_tr_key lv_finding_words[5];

/* The help overlay: rows of (key words, what they do); LV_T__COUNT ends it. */
extern const lv_tr_key lv_help_rows[][2];

#endif
