/*
 * workload.h -- what the deployment's workload programs share: a monotonic
 * clock, a result line per test, and failing loudly.  Header-only: each
 * program is one static musl executable built from one .c file.
 */
#ifndef AZALEA_DEPLOY_WORKLOAD_H
#define AZALEA_DEPLOY_WORKLOAD_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One line per test: name, operations, elapsed time, time per operation. */
static inline void report(const char *prog, const char *test, long ops, long long ns)
{
    printf("%s: %-12s %9ld ops %9.2f ms %12.1f ns/op\n", prog, test, ops, ns / 1e6, ops > 0 ? (double)ns / ops : 0.0);
}

#define FAIL(prog, ...)                                                                                                \
    do {                                                                                                               \
        fprintf(stderr, "%s: FAILED: ", prog);                                                                         \
        fprintf(stderr, __VA_ARGS__);                                                                                  \
        fprintf(stderr, "\n");                                                                                         \
        exit(1);                                                                                                       \
    } while (0)

#endif
