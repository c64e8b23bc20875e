/*
 * timerfd.c -- timerfd_create/settime/gettime as Linux defines them: one-shot
 * and periodic expiry counts, blocking and non-blocking reads, absolute times
 * on CLOCK_MONOTONIC and CLOCK_REALTIME taken from clock_gettime (they must
 * mean the same instant where the timer runs), an absolute time already past,
 * the time left, the old value, disarming, and the errors.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdint.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "compat.h"

static int64_t now_ns(clockid_t c)
{
    struct timespec ts;
    CHECK(clock_gettime(c, &ts) == 0);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static struct timespec ts_of(int64_t ns)
{
    return (struct timespec){ns / 1000000000, ns % 1000000000};
}

static long expiries(int fd)
{
    uint64_t n = 0;
    return read(fd, &n, sizeof n) < 0 ? -1 : (long)n;
}

/* An absolute expiry 40 ms ahead on clock c, then a blocking read: it must not come early. */
static void absolute(clockid_t c, const char *name)
{
    int fd = timerfd_create(c, 0);
    CHECK(fd >= 0);
    int64_t target = now_ns(c) + 40 * 1000000;
    struct itimerspec its = {.it_value = ts_of(target)};
    SHOW("absolute settime", timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
    SHOW("blocking read", expiries(fd));
    int64_t late = now_ns(c) - target;
    printf("%s: fired at or after the absolute time, within 2 s: %d\n", name, late >= 0 && late < 2000000000);
    its.it_value = ts_of(now_ns(c) - 1000000000);
    SHOW("absolute time 1 s ago", timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
    SHOW("expires at once", expiries(fd));
    close(fd);
}

int main(void)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    CHECK(fd >= 0);
    struct itimerspec cur;
    SHOW("gettime unarmed", timerfd_gettime(fd, &cur));
    printf("  value %ld.%09ld interval %ld.%09ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec,
           (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec);
    SHOW("non-blocking read, unarmed", expiries(fd));

    struct itimerspec its = {.it_value = {10, 0}, .it_interval = {0, 0}};
    SHOW("arm 10 s", timerfd_settime(fd, 0, &its, NULL));
    CHECK(timerfd_gettime(fd, &cur) == 0);
    printf("  time left in (9 s, 10 s]: %d\n",
           cur.it_value.tv_sec == 9 || (cur.it_value.tv_sec == 10 && cur.it_value.tv_nsec == 0));
    struct itimerspec old;
    its = (struct itimerspec){.it_value = {0, 0}};
    SHOW("disarm, old value returned", timerfd_settime(fd, 0, &its, &old));
    printf("  old value in (9 s, 10 s]: %d\n",
           old.it_value.tv_sec == 9 || (old.it_value.tv_sec == 10 && old.it_value.tv_nsec == 0));
    CHECK(timerfd_gettime(fd, &cur) == 0);
    printf("  after disarm: %ld.%09ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
    uint32_t small;
    SHOW("4-byte read", read(fd, &small, sizeof small));
    close(fd);

    /* One-shot, relative, blocking. */
    fd = timerfd_create(CLOCK_MONOTONIC, 0);
    CHECK(fd >= 0);
    int64_t t0 = now_ns(CLOCK_MONOTONIC);
    its = (struct itimerspec){.it_value = {0, 30 * 1000000}};
    SHOW("one-shot 30 ms", timerfd_settime(fd, 0, &its, NULL));
    SHOW("blocking read", expiries(fd));
    printf("  waited >= 30 ms: %d\n", now_ns(CLOCK_MONOTONIC) - t0 >= 30 * 1000000);
    struct pollfd pf = {fd, POLLIN, 0};
    SHOW("poll after the one expiry was read", poll(&pf, 1, 0));

    /* Periodic: the count of expiries since the last read. */
    its = (struct itimerspec){.it_value = {0, 20 * 1000000}, .it_interval = {0, 20 * 1000000}};
    SHOW("periodic 20 ms", timerfd_settime(fd, 0, &its, NULL));
    sleep_ms(110);
    long n = expiries(fd);
    printf("  expiries after 110 ms >= 5: %d\n", n >= 5);
    n = expiries(fd);
    printf("  next blocking read: at least 1 expiry: %d\n", n >= 1); /* more when the reader was slow */
    close(fd);

    absolute(CLOCK_MONOTONIC, "CLOCK_MONOTONIC");
    absolute(CLOCK_REALTIME, "CLOCK_REALTIME");

    /* Errors. */
    SHOW("create on clock 42", timerfd_create(42, 0));
    SHOW("create with bad flags", timerfd_create(CLOCK_MONOTONIC, 0x1));
    fd = timerfd_create(CLOCK_MONOTONIC, 0);
    its = (struct itimerspec){.it_value = {0, 1000000000}};
    SHOW("tv_nsec 1e9", timerfd_settime(fd, 0, &its, NULL));
    its = (struct itimerspec){.it_value = {-1, 0}};
    SHOW("tv_sec -1", timerfd_settime(fd, 0, &its, NULL));
    its = (struct itimerspec){.it_value = {1, 0}};
    SHOW("bad settime flags", timerfd_settime(fd, 0x10, &its, NULL));
    close(fd);
    SHOW("settime on a closed fd", timerfd_settime(fd, 0, &its, NULL));
    int p[2];
    CHECK(pipe(p) == 0);
    SHOW("settime on a pipe", timerfd_settime(p[0], 0, &its, NULL));
    SHOW("gettime on a pipe", timerfd_gettime(p[0], &cur));
    pass("timerfd");
    return 0;
}
