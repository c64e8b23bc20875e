/*
 * compat.h -- what the call-family images (pipes, eventfd, socketpair,
 * epoll, select, timerfd, ioctls) share: SHOW() runs one call and prints
 * its result and errno as one deterministic line, so that CompatIT can
 * compare a run on a node with the same binary run natively, line by line.
 */
#ifndef TEST_IMAGES_COMPAT_H
#define TEST_IMAGES_COMPAT_H

#include <errno.h>
#include <string.h>
#include <time.h>

#include "check.h"

/* "label -> result" or "label -> -1 <strerror>", errno read right after the call. */
#define SHOW(label, expr)                                                                                              \
    ({                                                                                                                 \
        errno = 0;                                                                                                     \
        long r_ = (long)(expr);                                                                                        \
        int e_ = errno;                                                                                                \
        if (r_ < 0)                                                                                                    \
            printf("%s -> %ld %s\n", label, r_, strerror(e_));                                                         \
        else                                                                                                           \
            printf("%s -> %ld\n", label, r_);                                                                          \
        r_;                                                                                                            \
    })

static inline void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, ms % 1000 * 1000000};
    nanosleep(&ts, NULL);
}

#endif
