/*
 * time -- clocks: monotonic never goes back, sleeps last at least as long
 * as asked, the wall clock is this century and agrees with gettimeofday and
 * time(), CPU-time clocks work, bad arguments are refused.
 */
#include <errno.h>
#include <sys/time.h>
#include <time.h>

#include "check.h"

static long long ns(struct timespec t)
{
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void)
{
    struct timespec a, b, r;
    CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
    for (int i = 0; i < 1000; i++) {
        CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
        CHECK(ns(b) >= ns(a));
        a = b;
    }
    struct timespec nap = {0, 20 * 1000 * 1000};
    CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
    CHECK(nanosleep(&nap, NULL) == 0);
    CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
    CHECK(ns(b) - ns(a) >= 20 * 1000 * 1000);
    CHECK(ns(b) - ns(a) < 2000LL * 1000 * 1000);

    struct timespec until = b;
    until.tv_nsec += 5 * 1000 * 1000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == 0);
    CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0 && ns(a) >= ns(until));

    CHECK(clock_gettime(CLOCK_REALTIME, &r) == 0);
    CHECK(r.tv_sec > 1577836800); /* after 2020-01-01 */
    struct timeval tv;
    CHECK(gettimeofday(&tv, NULL) == 0);
    CHECK(tv.tv_sec >= r.tv_sec && tv.tv_sec - r.tv_sec < 5);
    time_t t = time(NULL);
    CHECK(t >= r.tv_sec && t - r.tv_sec < 5);
    CHECK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a) == 0 && ns(a) > 0);
    CHECK(clock_getres(CLOCK_MONOTONIC, &a) == 0 && ns(a) > 0);

    CHECK(clock_gettime(12345, &a) == -1 && errno == EINVAL);
    struct timespec bad = {0, 1000000000};
    CHECK(nanosleep(&bad, NULL) == -1 && errno == EINVAL);
    printf("realtime %lld s\n", (long long)r.tv_sec);
    pass("time");
    return 0;
}
