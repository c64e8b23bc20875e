/*
 * threads_bench -- thread and futex costs, measured with the program's own
 * clock, so the same binary gives comparable figures on the host:
 *
 *   thread_create_us      pthread_create until the new thread runs (p50)
 *   thread_create_join_us pthread_create + pthread_join of an empty thread (p50)
 *   futex_wake_cross_core_ns  FUTEX_WAKE on one core until the waiter on
 *                         another runs (p50, p99), one-way
 *
 * Prints "bench NAME VALUE" lines.  Needs two cores for the cross-core figure.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define CREATES 200
#define WAKES   2000

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int64_t started_at;
static void *note_start(void *arg)
{
    (void)arg;
    started_at = now_ns();
    return 0;
}

static atomic_int word, ready, done_round;
static int64_t woke_at[WAKES], waked_at[WAKES];

static void futex_wait(atomic_int *w, int val)
{
    syscall(SYS_futex, w, 128 /* FUTEX_WAIT_PRIVATE */, val, 0, 0, 0);
}

static void futex_wake(atomic_int *w)
{
    syscall(SYS_futex, w, 129 /* FUTEX_WAKE_PRIVATE */, 1, 0, 0, 0);
}

/* Both sides sleep in the kernel while they wait, as a real program's
 * threads would: a busy-waiting side would measure the host's scheduler. */
static void *waiter(void *arg)
{
    (void)arg;
    for (int i = 0; i < WAKES; i++) {
        atomic_store(&ready, i + 1);
        futex_wake(&ready);
        while (atomic_load(&word) == i)
            futex_wait(&word, i);
        woke_at[i] = now_ns();
        atomic_store(&done_round, i + 1);
        futex_wake(&done_round);
    }
    return 0;
}

int main(void)
{
    int64_t run[CREATES], join[CREATES];
    for (int i = 0; i < CREATES; i++) {
        pthread_t t;
        int64_t t0 = now_ns();
        CHECK(pthread_create(&t, 0, note_start, 0) == 0);
        CHECK(pthread_join(t, 0) == 0);
        join[i] = now_ns() - t0;
        run[i] = started_at - t0;
    }
    qsort(run, CREATES, sizeof run[0], cmp);
    qsort(join, CREATES, sizeof join[0], cmp);
    printf("bench thread_create_us %.1f\n", run[CREATES / 2] / 1000.0);
    printf("bench thread_create_join_us %.1f\n", join[CREATES / 2] / 1000.0);

    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores >= 2) {
        pthread_t w;
        CHECK(pthread_create(&w, 0, waiter, 0) == 0);
        int64_t lat[WAKES];
        struct timespec settle = {0, 20000};
        for (int i = 0; i < WAKES; i++) {
            while (atomic_load(&ready) != i + 1)
                futex_wait(&ready, i);
            nanosleep(&settle, 0); /* the waiter falls asleep in the kernel meanwhile */
            waked_at[i] = now_ns();
            atomic_store(&word, i + 1);
            futex_wake(&word);
            while (atomic_load(&done_round) != i + 1)
                futex_wait(&done_round, i);
            lat[i] = woke_at[i] - waked_at[i];
        }
        pthread_join(w, 0);
        qsort(lat, WAKES, sizeof lat[0], cmp);
        printf("bench futex_wake_cross_core_p50_ns %lld\n", (long long)lat[WAKES / 2]);
        printf("bench futex_wake_cross_core_p99_ns %lld\n", (long long)lat[WAKES * 99 / 100]);
    }
    pass("threads_bench");
    return 0;
}
