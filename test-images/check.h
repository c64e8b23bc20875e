/*
 * check.h -- what every test image shares: CHECK() reports the failed
 * condition with its line and exits 1; pass() prints the success marker
 * the runner looks for.  Only libc: these are ordinary Linux programs.
 */
#ifndef TEST_IMAGES_CHECK_H
#define TEST_IMAGES_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                                                     \
            fflush(stdout);                                                                                            \
            exit(1);                                                                                                   \
        }                                                                                                              \
    } while (0)

static inline void pass(const char *name)
{
    printf("AZALEA-TEST-PASS %s\n", name);
    fflush(stdout);
}

#endif
