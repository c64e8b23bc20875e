/* check.h -- the C tests' tiny harness: CHECK records a failure with its line and goes on. */
#ifndef AZALEA_CHECK_H
#define AZALEA_CHECK_H

#include <stdio.h>

extern int check_failures; /* failures in the current test */

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            check_failures++;                                                                                          \
            fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);                                 \
        }                                                                                                              \
    } while (0)

#define CHECK_EQ(got, want)                                                                                            \
    do {                                                                                                               \
        long long g_ = (long long)(got), w_ = (long long)(want);                                                       \
        if (g_ != w_) {                                                                                                \
            check_failures++;                                                                                          \
            fprintf(stderr, "  %s:%d: %s is %lld, want %lld\n", __FILE__, __LINE__, #got, g_, w_);                     \
        }                                                                                                              \
    } while (0)

struct test {
    const char *name;
    void (*run)(void);
};

/* The azlib tests (azlib_test.c), run by client_test's main. */
extern const struct test azlib_tests[];
extern const int azlib_test_count;

#endif
