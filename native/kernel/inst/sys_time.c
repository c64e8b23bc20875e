/*
 * sys_time.c -- clocks from the TSC (node/clock.h) and sleeping.  A long
 * sleep halts the core with its local APIC timer armed, so a sleeping
 * instance costs the host nothing; short ones spin.
 */
#include "arch/lapic.h"
#include "arch/trap.h"
#include "arch/x86.h"
#include "inst/syscalls.h"
#include "lib/errno.h"
#include "node/clock.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_TAI 11
#define TIMER_ABSTIME 1
#define NS 1000000000ull
#define SPIN_BELOW_NS 100000

struct timespec64 {
    int64_t sec, nsec;
};

/* Nanoseconds on `clock`, or -EINVAL. */
static int64_t clock_now(struct instance *in, uint64_t clock)
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
    case CLOCK_THREAD_CPUTIME_ID:
        /* The program owns its core: CPU time is time since it started. */
        return (int64_t)tsc_to_ns(rdtsc() - in->tsc_entry);
    default:
        return -EINVAL;
    }
}

static int put_ts(struct instance *in, uint64_t va, int64_t ns)
{
    struct timespec64 ts = { ns / (int64_t)NS, ns % (int64_t)NS };
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
    int64_t tv[2] = { now / (int64_t)NS, now % (int64_t)NS / 1000 };
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

void sleep_until_tsc(struct instance *in, uint64_t deadline)
{
    for (;;) {
        uint64_t now = rdtsc();
        if (now >= deadline)
            break;
        instance_poll_mailbox(in); /* a STOP ends a sleeping instance too */
        uint64_t left = tsc_to_ns(deadline - now);
        if (left < SPIN_BELOW_NS) {
            pause();
            continue;
        }
        if (left > NS)
            left = NS;
        uint64_t ticks = ns_to_lapic(left);
        lapic_timer_oneshot(VEC_TIMER, ticks > 0xFFFFFFFF ? 0xFFFFFFFF : (uint32_t)ticks);
        sti_hlt(); /* woken by the timer, or by the monitor's WAKE */
        cli();
    }
    lapic_timer_stop();
}

/* Sleeps for `ns` nanoseconds. */
static void sleep_ns(struct instance *in, int64_t ns)
{
    uint64_t ticks = ns_to_tsc((uint64_t)ns);
    uint64_t now = rdtsc();
    sleep_until_tsc(in, now + ticks < now ? ~0ull : now + ticks);
}

int64_t sys_nanosleep(struct instance *in, const uint64_t *a)
{
    int64_t ns;
    int r = get_ts(in, a[0], &ns);
    if (r)
        return r;
    sleep_ns(in, ns);
    return 0;
}

int64_t sys_clock_nanosleep(struct instance *in, const uint64_t *a)
{
    int64_t now = clock_now(in, a[0]), ns;
    if (now < 0 || a[0] == CLOCK_THREAD_CPUTIME_ID)
        return -EINVAL;
    int r = get_ts(in, a[2], &ns);
    if (r)
        return r;
    if (a[1] & TIMER_ABSTIME)
        ns = ns > now ? ns - now : 0;
    sleep_ns(in, ns);
    return 0;
}
