/*
 * sys_time.c -- clocks from the TSC (node/clock.h) and sleeping.  A
 * sleeping thread blocks on a timer of its core (sched.c): the core runs
 * other threads or halts with its local APIC timer armed, so a sleeping
 * instance costs the host nothing; short sleeps spin.
 */
#include "arch/lapic.h"
#include "arch/trap.h"
#include "arch/x86.h"
#include "inst/linux_sizes.h"
#include "inst/syscalls.h"
#include "lib/errno.h"
#include "node/clock.h"

#define CLOCK_REALTIME           0
#define CLOCK_MONOTONIC          1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID  3
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_REALTIME_COARSE    5
#define CLOCK_MONOTONIC_COARSE   6
#define CLOCK_BOOTTIME           7
#define CLOCK_TAI                11
#define TIMER_ABSTIME            1
#define NS                       1000000000ull

struct timespec64 {
    int64_t sec, nsec;
};
_Static_assert(sizeof(struct timespec64) == LINUX_TIMESPEC_SIZE, "timespec");

int64_t clock_now(struct instance *in, uint64_t clock)
{
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_TAI:
        return (int64_t)(in->realtime_base_ns + tsc_to_ns(rdtsc() - in->tsc_base));
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        return (int64_t)clock_monotonic_ns();
    case CLOCK_PROCESS_CPUTIME_ID:
        return (int64_t)tsc_to_ns(threads_cpu_tsc(in));
    case CLOCK_THREAD_CPUTIME_ID: {
        struct thread *t = current_thread();
        return (int64_t)tsc_to_ns(t->run_tsc + (rdtsc() - t->run_start));
    }
    default:
        return -EINVAL;
    }
}

static int put_ts(struct instance *in, uint64_t va, int64_t ns)
{
    struct timespec64 ts = {ns / (int64_t)NS, ns % (int64_t)NS};
    return copy_to_user(in, va, &ts, sizeof ts);
}

static int get_ts(struct instance *in, uint64_t va, int64_t *ns)
{
    struct timespec64 ts;
    int r = copy_from_user(in, &ts, va, sizeof ts);
    if (r)
        return r;
    if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= (int64_t)NS)
        return -EINVAL;
    *ns = ts.sec > INT64_MAX / (int64_t)NS - 1 ? INT64_MAX : ts.sec * (int64_t)NS + ts.nsec;
    return 0;
}

int64_t sys_clock_gettime(struct instance *in, const uint64_t *a)
{
    int64_t now = clock_now(in, a[0]);
    return now < 0 ? now : put_ts(in, a[1], now);
}

int64_t sys_clock_getres(struct instance *in, const uint64_t *a)
{
    if (clock_now(in, a[0]) < 0)
        return -EINVAL;
    return a[1] ? put_ts(in, a[1], 1) : 0;
}

int64_t sys_gettimeofday(struct instance *in, const uint64_t *a)
{
    if (!a[0])
        return 0;
    int64_t now = clock_now(in, CLOCK_REALTIME);
    int64_t tv[2] = {now / (int64_t)NS, now % (int64_t)NS / 1000};
    return copy_to_user(in, a[0], tv, sizeof tv);
}

int64_t sys_time(struct instance *in, const uint64_t *a)
{
    int64_t sec = clock_now(in, CLOCK_REALTIME) / (int64_t)NS;
    if (a[0]) {
        int r = copy_to_user(in, a[0], &sec, sizeof sec);
        if (r)
            return r;
    }
    return sec;
}

int timeout_to_tsc(struct instance *in, uint64_t va, int absolute, int realtime, uint64_t *deadline)
{
    int64_t ns;
    int r = get_ts(in, va, &ns);
    if (r)
        return r;
    uint64_t now = rdtsc(), d;
    if (!absolute) {
        uint64_t ticks = ns_to_tsc((uint64_t)ns);
        d = now + ticks < now ? ~0ull : now + ticks;
    } else if (realtime) {
        int64_t from_base = ns - (int64_t)in->realtime_base_ns;
        d = from_base <= 0 ? now : in->tsc_base + ns_to_tsc((uint64_t)from_base);
    } else {
        d = tsc_at_boot + ns_to_tsc((uint64_t)ns);
    }
    *deadline = d ? d : 1;
    return 0;
}

/* Sleeps until `deadline`; interrupted by a signal: -EINTR and the time left in rem (if not 0). */
static int64_t sleep_to(struct instance *in, uint64_t deadline, uint64_t rem)
{
    if (sched_sleep_until(deadline, 1) == 0)
        return 0;
    uint64_t now = rdtsc();
    if (rem)
        put_ts(in, rem, deadline > now ? (int64_t)tsc_to_ns(deadline - now) : 0);
    return -EINTR;
}

int64_t sys_nanosleep(struct instance *in, const uint64_t *a)
{
    uint64_t deadline;
    int r = timeout_to_tsc(in, a[0], 0, 0, &deadline);
    return r ? r : sleep_to(in, deadline, a[1]);
}

int64_t sys_clock_nanosleep(struct instance *in, const uint64_t *a)
{
    if (clock_now(in, a[0]) < 0 || a[0] == CLOCK_THREAD_CPUTIME_ID || a[0] == CLOCK_PROCESS_CPUTIME_ID)
        return -EINVAL;
    int absolute = (a[1] & TIMER_ABSTIME) != 0;
    int realtime = a[0] == CLOCK_REALTIME || a[0] == CLOCK_REALTIME_COARSE || a[0] == CLOCK_TAI;
    uint64_t deadline;
    int r = timeout_to_tsc(in, a[2], absolute, realtime, &deadline);
    return r ? r : sleep_to(in, deadline, absolute ? 0 : a[3]);
}
