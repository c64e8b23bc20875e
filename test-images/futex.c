/*
 * futex -- the futex operations through raw system calls, under races
 * across cores: a futex-based mutex hammered by threads on every core,
 * WAIT's value check, relative and absolute timeouts on both clocks,
 * BITSET matching, REQUEUE and CMP_REQUEUE, WAKE_OP, shared (non-private)
 * futexes, and a cross-core ping-pong that reports wake-up latency.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

/* Linux's <linux/futex.h> values (musl ships no kernel headers). */
#define FUTEX_WAIT             0
#define FUTEX_WAKE             1
#define FUTEX_REQUEUE          3
#define FUTEX_CMP_REQUEUE      4
#define FUTEX_WAKE_OP          5
#define FUTEX_WAIT_BITSET      9
#define FUTEX_WAKE_BITSET      10
#define FUTEX_PRIVATE_FLAG     128
#define FUTEX_CLOCK_REALTIME   256
#define FUTEX_BITSET_MATCH_ANY 0xffffffff
#define FUTEX_OP_SET           0
#define FUTEX_OP_ADD           1
#define FUTEX_OP_CMP_EQ        0
#define FUTEX_OP_CMP_GT        4
#define FUTEX_OP(op, oparg, cmp, cmparg)                                                                               \
    (((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((oparg & 0xfff) << 12) | (cmparg & 0xfff))
#define PRIV FUTEX_PRIVATE_FLAG

static long futex(atomic_int *uaddr, int op, int val, const struct timespec *ts, atomic_int *uaddr2, int val3)
{
    long r = syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
    return r < 0 ? -errno : r;
}

static long futex_n(atomic_int *uaddr, int op, int val, long val2, atomic_int *uaddr2, int val3)
{
    long r = syscall(SYS_futex, uaddr, op, val, val2, uaddr2, val3);
    return r < 0 ? -errno : r;
}

static int64_t now_ns(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* Drepper's mutex: 0 free, 1 locked, 2 locked with waiters. */
static void mlock(atomic_int *m, int op_flags)
{
    int c = 0;
    if (atomic_compare_exchange_strong(m, &c, 1))
        return;
    if (c != 2)
        c = atomic_exchange(m, 2);
    while (c != 0) {
        futex(m, FUTEX_WAIT | op_flags, 2, 0, 0, 0);
        c = atomic_exchange(m, 2);
    }
}

static void munlock(atomic_int *m, int op_flags)
{
    if (atomic_fetch_sub(m, 1) != 1) {
        atomic_store(m, 0);
        futex(m, FUTEX_WAKE | op_flags, 1, 0, 0, 0);
    }
}

static atomic_int mtx, mtx_shared;
static long shared_counter, shared_counter2;
#define ROUNDS 3000

static void *hammer(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        mlock(&mtx, PRIV);
        shared_counter++;
        munlock(&mtx, PRIV);
        mlock(&mtx_shared, 0);
        shared_counter2++;
        munlock(&mtx_shared, 0);
    }
    return 0;
}

static atomic_int f1, f2, started, returned;

static void *waiter(void *arg)
{
    atomic_int *f = arg;
    atomic_fetch_add(&started, 1);
    while (atomic_load(f) == 0)
        futex(f, FUTEX_WAIT | PRIV, 0, 0, 0, 0);
    atomic_fetch_add(&returned, 1);
    return 0;
}

/* A waiter that must not be woken by a WAKE_BITSET that misses its bits. */
static atomic_int bits_word, bits_result = -1;
static void *bits_waiter(void *arg)
{
    (void)arg;
    atomic_fetch_add(&started, 1);
    atomic_store(&bits_result, (int)futex(&bits_word, FUTEX_WAIT_BITSET | PRIV, 0, 0, 0, 0x2));
    return 0;
}

static atomic_int ping, pong;
#define PINGS 2000
static int64_t lat[PINGS];

static void *ponger(void *arg)
{
    (void)arg;
    for (int i = 1; i <= PINGS; i++) {
        while (atomic_load(&ping) != i)
            futex(&ping, FUTEX_WAIT | PRIV, i - 1, 0, 0, 0);
        atomic_store(&pong, i);
        futex(&pong, FUTEX_WAKE | PRIV, 1, 0, 0, 0);
    }
    return 0;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void wait_started(int n)
{
    while (atomic_load(&started) < n)
        sched_yield();
    /* started is set just before WAIT: give them time to get there */
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, 0);
}

int main(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int n = (int)cores * 2;
    if (n > 64)
        n = 64;

    /* 1. A futex mutex on every core, private and shared. */
    pthread_t t[64];
    for (int i = 0; i < n; i++)
        CHECK(pthread_create(&t[i], 0, hammer, 0) == 0);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], 0);
    CHECK(shared_counter == (long)n * ROUNDS && shared_counter2 == (long)n * ROUNDS);
    printf("futex: mutex ok (%d threads x %d)\n", n, ROUNDS);

    /* 2. WAIT checks the value. */
    atomic_int w = 5;
    CHECK(futex(&w, FUTEX_WAIT | PRIV, 4, 0, 0, 0) == -EAGAIN);
    CHECK(futex(&w, FUTEX_WAKE | PRIV, 1, 0, 0, 0) == 0);
    CHECK(futex((atomic_int *)((char *)&w + 1), FUTEX_WAIT, 0, 0, 0, 0) == -EINVAL);
    CHECK(futex((atomic_int *)8, FUTEX_WAIT, 0, 0, 0, 0) == -EFAULT);

    /* 3. Timeouts: relative (WAIT), absolute (WAIT_BITSET) on both clocks. */
    struct timespec rel = {0, 30 * 1000 * 1000};
    int64_t t0 = now_ns(CLOCK_MONOTONIC);
    CHECK(futex(&w, FUTEX_WAIT | PRIV, 5, &rel, 0, 0) == -ETIMEDOUT);
    int64_t dt = now_ns(CLOCK_MONOTONIC) - t0;
    CHECK(dt >= 30000000 && dt < 2000000000);
    for (int rt = 0; rt < 2; rt++) {
        clockid_t c = rt ? CLOCK_REALTIME : CLOCK_MONOTONIC;
        int64_t deadline = now_ns(c) + 25000000;
        struct timespec abs = {deadline / 1000000000, deadline % 1000000000};
        CHECK(futex(&w, FUTEX_WAIT_BITSET | PRIV | (rt ? FUTEX_CLOCK_REALTIME : 0), 5, &abs, 0,
                    FUTEX_BITSET_MATCH_ANY) == -ETIMEDOUT);
        CHECK(now_ns(c) >= deadline);
    }
    struct timespec past = {1, 0};
    CHECK(futex(&w, FUTEX_WAIT_BITSET | PRIV, 5, &past, 0, FUTEX_BITSET_MATCH_ANY) == -ETIMEDOUT);
    struct timespec bad = {0, 1000000000};
    CHECK(futex(&w, FUTEX_WAIT | PRIV, 5, &bad, 0, 0) == -EINVAL);
    CHECK(futex(&w, FUTEX_WAIT_BITSET | PRIV, 5, 0, 0, 0) == -EINVAL); /* bitset 0 */
    printf("futex: timeouts ok\n");

    /* 4. BITSET: a wake whose bits miss leaves the waiter alone. */
    pthread_t b;
    atomic_store(&started, 0);
    CHECK(pthread_create(&b, 0, bits_waiter, 0) == 0);
    wait_started(1);
    CHECK(futex(&bits_word, FUTEX_WAKE_BITSET | PRIV, 1, 0, 0, 0x1) == 0);
    CHECK(futex(&bits_word, FUTEX_WAKE_BITSET | PRIV, 1, 0, 0, 0x6) == 1);
    pthread_join(b, 0);
    CHECK(atomic_load(&bits_result) == 0);

    /* 5. REQUEUE and CMP_REQUEUE: 8 waiters on f1, one woken, the rest
     * moved to f2, then woken there. */
    atomic_store(&started, 0);
    atomic_store(&returned, 0);
    for (int i = 0; i < 8; i++)
        CHECK(pthread_create(&t[i], 0, waiter, &f1) == 0);
    wait_started(8);
    CHECK(futex_n(&f1, FUTEX_CMP_REQUEUE | PRIV, 1, 100, &f2, 99) == -EAGAIN);
    atomic_store(&f1, 1); /* the woken one must see a reason to leave */
    long r = futex_n(&f1, FUTEX_CMP_REQUEUE | PRIV, 1, 3, &f2, 1);
    CHECK(r == 4);
    r = futex_n(&f1, FUTEX_REQUEUE | PRIV, 0, 100, &f2, 0);
    CHECK(r == 4);
    CHECK(futex(&f1, FUTEX_WAKE | PRIV, 100, 0, 0, 0) == 0);
    while (atomic_load(&returned) < 1)
        sched_yield();
    CHECK(futex(&f2, FUTEX_WAKE | PRIV, 100, 0, 0, 0) == 7);
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], 0);
    CHECK(atomic_load(&returned) == 8);
    printf("futex: requeue ok\n");

    /* 6. WAKE_OP: add 1 to f2, then wake on f1 and, as old f2 == 0, on f2. */
    atomic_store(&f1, 0);
    atomic_store(&f2, 0);
    atomic_store(&started, 0);
    atomic_store(&returned, 0);
    CHECK(pthread_create(&t[0], 0, waiter, &f1) == 0);
    CHECK(pthread_create(&t[1], 0, waiter, &f2) == 0);
    wait_started(2);
    atomic_store(&f1, 1);
    int op = FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0);
    r = futex_n(&f1, FUTEX_WAKE_OP | PRIV, 1, 1, &f2, op);
    CHECK(r == 2);
    CHECK(atomic_load(&f2) == 1);
    pthread_join(t[0], 0);
    pthread_join(t[1], 0);
    CHECK(futex_n(&f1, FUTEX_WAKE_OP | PRIV, 1, 1, &f2, FUTEX_OP(FUTEX_OP_SET, 7, FUTEX_OP_CMP_GT, 5)) == 0);
    CHECK(atomic_load(&f2) == 7);
    printf("futex: wake_op ok\n");

    /* 7. Ping-pong across cores: how long a wake takes to run the waiter. */
    pthread_t pp;
    CHECK(pthread_create(&pp, 0, ponger, 0) == 0);
    for (int i = 1; i <= PINGS; i++) {
        int64_t s = now_ns(CLOCK_MONOTONIC);
        atomic_store(&ping, i);
        futex(&ping, FUTEX_WAKE | PRIV, 1, 0, 0, 0);
        while (atomic_load(&pong) != i)
            futex(&pong, FUTEX_WAIT | PRIV, i - 1, 0, 0, 0);
        lat[i - 1] = now_ns(CLOCK_MONOTONIC) - s;
    }
    pthread_join(pp, 0);
    qsort(lat, PINGS, sizeof lat[0], cmp64);
    printf("futex: ping-pong round trip p50 %lld ns, p99 %lld ns (%ld cores)\n", (long long)lat[PINGS / 2],
           (long long)lat[PINGS * 99 / 100], cores);
    pass("futex");
    return 0;
}
