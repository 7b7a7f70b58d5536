/* The test harness: ASSERT macros that print the expression and both values, and a runner
 * that runs each case in its own child process under a time limit, libuv style.
 * A test file defines its cases with TEST(name) and lists them, each as TEST_ENTRY(name, time
 * limit in seconds), in TEST_MAIN. */
#ifndef LV_TEST_H
#define LV_TEST_H

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define TEST_FAIL_AT(...)                                                                          \
    do {                                                                                           \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                            \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fputc('\n', stderr);                                                                       \
        fflush(stderr);                                                                            \
        _exit(1);                                                                                  \
    } while (0)

#define ASSERT(expr)                                                                               \
    do {                                                                                           \
        if (!(expr)) TEST_FAIL_AT("assertion failed: %s", #expr);                                  \
    } while (0)

#define ASSERT_CMP_INT(a, op, b)                                                                   \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (!(a_ op b_))                                                                           \
            TEST_FAIL_AT("assertion failed: %s %s %s (%lld vs %lld)", #a, #op, #b, a_, b_);        \
    } while (0)
#define ASSERT_EQ(a, b) ASSERT_CMP_INT(a, ==, b)
#define ASSERT_NE(a, b) ASSERT_CMP_INT(a, !=, b)
#define ASSERT_LT(a, b) ASSERT_CMP_INT(a, <, b)
#define ASSERT_LE(a, b) ASSERT_CMP_INT(a, <=, b)
#define ASSERT_GT(a, b) ASSERT_CMP_INT(a, >, b)
#define ASSERT_GE(a, b) ASSERT_CMP_INT(a, >=, b)

#define ASSERT_STR_EQ(a, b)                                                                        \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                                                     \
            TEST_FAIL_AT("assertion failed: %s == %s (\"%s\" vs \"%s\")", #a, #b,                  \
                         a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                  \
    } while (0)

#define ASSERT_CONTAINS(hay, needle)                                                               \
    do {                                                                                           \
        const char *h_ = (hay), *n_ = (needle);                                                    \
        if (!h_ || !strstr(h_, n_))                                                                \
            TEST_FAIL_AT("assertion failed: \"%s\" contains \"%s\"", h_ ? h_ : "(null)", n_);      \
    } while (0)

/* SKIP(why): the case cannot run here (say why); it is counted as skipped, not passed. When
 * every case that ran was skipped, the program exits with TEST_SKIP_CODE, which lv_test()
 * gives ctest as SKIP_RETURN_CODE. */
#define TEST_SKIP_CODE 77
#define SKIP(why)                                                                                  \
    do {                                                                                           \
        printf("skip: %s\n", why);                                                                 \
        fflush(stdout);                                                                            \
        exit(TEST_SKIP_CODE);                                                                      \
    } while (0)

typedef struct test_case {
    const char *name;
    void (*fn)(void);
    unsigned timeout_s;
} test_case;

#define TEST(name) static void test_##name(void)
#define TEST_ENTRY(name, secs)                                                                     \
    { #name, test_##name, secs }

/* Runs every case (or the ones named on the command line) in a child process. */
static inline int test_main(const test_case *cases, size_t n, int argc, char **argv) {
    int failed = 0, ran = 0, skipped = 0;
    for (size_t i = 0; i < n; i++) {
        if (argc > 1) {
            int want = 0;
            for (int k = 1; k < argc; k++)
                if (strcmp(argv[k], cases[i].name) == 0) want = 1;
            if (!want) continue;
        }
        fflush(stdout);
        fflush(stderr);
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 3;
        }
        if (pid == 0) {
            alarm(cases[i].timeout_s);
            cases[i].fn();
            exit(0); /* not _exit: LeakSanitizer checks at exit */
        }
        int st = 0;
        while (waitpid(pid, &st, 0) < 0) {
        }
        ran++;
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
            printf("ok   %s\n", cases[i].name);
        } else if (WIFEXITED(st) && WEXITSTATUS(st) == TEST_SKIP_CODE) {
            skipped++;
            printf("skip %s\n", cases[i].name);
        } else {
            failed++;
            if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
                printf("FAIL %s (timed out after %u s)\n", cases[i].name, cases[i].timeout_s);
            else if (WIFSIGNALED(st))
                printf("FAIL %s (signal %d)\n", cases[i].name, WTERMSIG(st));
            else
                printf("FAIL %s (exit %d)\n", cases[i].name, WEXITSTATUS(st));
        }
    }
    printf("%d passed, %d failed, %d skipped\n", ran - failed - skipped, failed, skipped);
    if (failed || !ran) return 1;
    return skipped == ran ? TEST_SKIP_CODE : 0;
}

#define TEST_MAIN(...)                                                                             \
    int main(int argc, char **argv) {                                                              \
        static const test_case cases_[] = {__VA_ARGS__};                                           \
        return test_main(cases_, sizeof cases_ / sizeof cases_[0], argc, argv);                    \
    }

#endif
