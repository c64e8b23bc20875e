/*
 * threads -- POSIX threads on every core of the instance, and more threads
 * than cores: thread-local storage, a mutex-protected counter, a condition
 * variable queue, a barrier whose phases must not overlap, detached
 * threads, and where the threads ran (sched_getcpu: every core used).
 *
 *   threads [PER_CORE]    threads = cores * PER_CORE (default 3)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#define MAX_THREADS 512
#define INCREMENTS  2000
#define ROUNDS      20
#define ITEMS       4000

static __thread int tls_value;
static __thread char tls_name[16] = "initial";

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static pthread_barrier_t barrier;
static atomic_int arrived[ROUNDS];
static atomic_int phase_error;

static atomic_int cpu_seen[256];

static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qcond = PTHREAD_COND_INITIALIZER;
static int queue[64], qhead, qtail;
static long consumed_sum;
static int consumed;

static int nthreads;

static void *worker(void *arg)
{
    int id = (int)(long)arg;
    /* TLS: each thread sees its own copy, starting from the initial image. */
    CHECK(tls_value == 0 && strcmp(tls_name, "initial") == 0);
    tls_value = id * 7 + 1;
    tls_name[0] = (char)('a' + id % 26);
    for (int i = 0; i < INCREMENTS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
        if (i % 500 == 0)
            sched_yield();
    }
    int cpu = sched_getcpu();
    if (cpu >= 0 && cpu < 256)
        atomic_fetch_add(&cpu_seen[cpu], 1);
    /* Barrier: nobody may enter round r + 1 before all arrived in round r. */
    for (int r = 0; r < ROUNDS; r++) {
        atomic_fetch_add(&arrived[r], 1);
        pthread_barrier_wait(&barrier);
        if (atomic_load(&arrived[r]) != nthreads)
            atomic_store(&phase_error, 1);
        if (r + 1 < ROUNDS && atomic_load(&arrived[r + 1]) > nthreads)
            atomic_store(&phase_error, 1);
    }
    CHECK(tls_value == id * 7 + 1 && tls_name[0] == (char)('a' + id % 26));
    return (void *)(long)(id + 1000);
}

static void *producer(void *arg)
{
    int base = (int)(long)arg;
    for (int i = 0; i < ITEMS / 2; i++) {
        pthread_mutex_lock(&qlock);
        while ((qtail + 1) % 64 == qhead)
            pthread_cond_wait(&qcond, &qlock);
        queue[qtail] = base + i;
        qtail = (qtail + 1) % 64;
        pthread_cond_broadcast(&qcond);
        pthread_mutex_unlock(&qlock);
    }
    return 0;
}

static void *consumer(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&qlock);
        while (qhead == qtail && consumed < ITEMS)
            pthread_cond_wait(&qcond, &qlock);
        if (consumed >= ITEMS) {
            pthread_mutex_unlock(&qlock);
            return 0;
        }
        consumed_sum += queue[qhead];
        qhead = (qhead + 1) % 64;
        consumed++;
        pthread_cond_broadcast(&qcond);
        pthread_mutex_unlock(&qlock);
    }
}

/* Preemption: every thread waits, without ever blocking, until all have
 * arrived; with more threads than cores only a preempting scheduler lets
 * them all get there.  The floating-point sums check that each thread's
 * FPU state survives being switched out. */
static atomic_int spinners_arrived;
static int nspinners;

static void *spinner(void *arg)
{
    double x = (double)(long)arg, sum = 0;
    atomic_fetch_add(&spinners_arrived, 1);
    for (unsigned long i = 0; atomic_load(&spinners_arrived) < nspinners; i++)
        sum += x * 0.5; /* the thread's own registers: x and sum */
    double check = 0;
    for (int i = 0; i < 1000; i++) {
        check += x * 0.25;
        if (i % 100 == 0)
            sched_yield();
    }
    CHECK(check == x * 250.0);
    (void)sum;
    return 0;
}

static atomic_int detached_done;

static void *detached(void *arg)
{
    (void)arg;
    atomic_fetch_add(&detached_done, 1);
    return 0;
}

int main(int argc, char **argv)
{
    int per_core = argc > 1 ? atoi(argv[1]) : 3;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    CHECK(cores >= 1);
    nthreads = (int)cores * per_core;
    if (nthreads > MAX_THREADS)
        nthreads = MAX_THREADS;
    printf("threads: %ld cores, %d threads\n", cores, nthreads);
    CHECK(pthread_barrier_init(&barrier, 0, (unsigned)nthreads) == 0);

    pthread_t t[MAX_THREADS];
    for (int i = 0; i < nthreads; i++)
        CHECK(pthread_create(&t[i], 0, worker, (void *)(long)i) == 0);
    for (int i = 0; i < nthreads; i++) {
        void *ret;
        CHECK(pthread_join(t[i], &ret) == 0);
        CHECK(ret == (void *)(long)(i + 1000));
    }
    CHECK(counter == (long)nthreads * INCREMENTS);
    CHECK(atomic_load(&phase_error) == 0);
    int used = 0;
    for (int i = 0; i < 256; i++)
        used += atomic_load(&cpu_seen[i]) > 0;
    printf("threads: counter %ld, ran on %d cores\n", counter, used);
    CHECK(used == (cores < 256 ? cores : 256));

    /* Two producers, three consumers through one condition variable. */
    pthread_t p[2], c[3];
    for (int i = 0; i < 3; i++)
        CHECK(pthread_create(&c[i], 0, consumer, 0) == 0);
    for (int i = 0; i < 2; i++)
        CHECK(pthread_create(&p[i], 0, producer, (void *)(long)(i * 100000)) == 0);
    for (int i = 0; i < 2; i++)
        CHECK(pthread_join(p[i], 0) == 0);
    pthread_mutex_lock(&qlock);
    while (consumed < ITEMS)
        pthread_cond_wait(&qcond, &qlock);
    pthread_cond_broadcast(&qcond);
    pthread_mutex_unlock(&qlock);
    for (int i = 0; i < 3; i++)
        CHECK(pthread_join(c[i], 0) == 0);
    long want = 0;
    for (int i = 0; i < ITEMS / 2; i++)
        want += i + (100000 + i);
    CHECK(consumed_sum == want);

    /* More spinning threads than cores: preemption lets them all arrive. */
    nspinners = (int)cores * 2 + 1;
    pthread_t sp[MAX_THREADS];
    for (int i = 0; i < nspinners; i++)
        CHECK(pthread_create(&sp[i], 0, spinner, (void *)(long)(i + 1)) == 0);
    for (int i = 0; i < nspinners; i++)
        CHECK(pthread_join(sp[i], 0) == 0);
    printf("threads: %d spinning threads preempted fairly\n", nspinners);

    /* Detached threads end on their own (their stacks unmapped by themselves). */
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (int i = 0; i < 16; i++) {
        pthread_t d;
        CHECK(pthread_create(&d, &attr, detached, 0) == 0);
    }
    while (atomic_load(&detached_done) < 16)
        sched_yield();
    pass("threads");
    return 0;
}
