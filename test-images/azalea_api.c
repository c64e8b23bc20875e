/*
 * azalea_api -- the Azalea internal API (azalea/azalea.h, libazalea.a)
 * from an ordinary musl program with pthreads: ticks, msleep, a
 * semaphore between threads on different cores, timed and cancelable
 * waits, block_current_task / wakeup_task in both orders, priorities,
 * reschedule and yield.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "azalea/azalea.h"
#include "check.h"

#define ITEMS 2000

static az_sem_t items, slots;
static int ring[16], head, tail;
static long sum;

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= ITEMS; i++) {
        CHECK(az_sem_wait(&slots) == 0);
        ring[tail++ % 16] = i;
        CHECK(az_sem_post(&items) == 0);
    }
    return 0;
}

static void *consumer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= ITEMS; i++) {
        CHECK(az_sem_wait(&items) == 0);
        sum += ring[head++ % 16];
        CHECK(az_sem_post(&slots) == 0);
    }
    return 0;
}

static atomic_int sleeper_tid, woke;
static void *sleeper(void *arg)
{
    (void)arg;
    atomic_store(&sleeper_tid, (int)syscall(SYS_gettid));
    CHECK(az_block_current_task() == 0);
    atomic_store(&woke, 1);
    return 0;
}

static az_sem_t never;
static atomic_int canceled_tid, cancel_result = 1;
static void *canceled(void *arg)
{
    (void)arg;
    atomic_store(&canceled_tid, (int)syscall(SYS_gettid));
    atomic_store(&cancel_result, az_sem_cancelablewait(&never, 0));
    return 0;
}

int main(void)
{
    uint64_t t0 = az_get_ticks();
    CHECK(az_msleep(30) == 0);
    uint64_t t1 = az_get_ticks();
    printf("azalea_api: ticks %llu -> %llu\n", (unsigned long long)t0, (unsigned long long)t1);
    CHECK(t1 - t0 >= 30 && t1 - t0 < 5000);

    /* A bounded buffer between two threads, with semaphores only. */
    CHECK(az_sem_init(&items, 0) == 0 && az_sem_init(&slots, 16) == 0);
    pthread_t p, c;
    CHECK(pthread_create(&c, 0, consumer, 0) == 0);
    CHECK(pthread_create(&p, 0, producer, 0) == 0);
    pthread_join(p, 0);
    pthread_join(c, 0);
    CHECK(sum == (long)ITEMS * (ITEMS + 1) / 2);
    CHECK(az_sem_destroy(&items) == 0 && az_sem_destroy(&slots) == 0);
    CHECK(az_sem_wait(&items) == -EINVAL); /* destroyed */

    /* Timed waits: "only try", and a real timeout. */
    CHECK(az_sem_init(&never, 0) == 0);
    CHECK(az_sem_timedwait(&never, 0) == -ETIMEDOUT);
    uint64_t a = az_get_ticks();
    CHECK(az_sem_timedwait(&never, 25) == -ETIMEDOUT);
    CHECK(az_get_ticks() - a >= 25);
    CHECK(az_sem_post(&never) == 0 && az_sem_timedwait(&never, 25) == 0);
    printf("azalea_api: semaphores ok\n");

    /* block_current_task / wakeup_task: wake after it blocked ... */
    pthread_t s;
    CHECK(pthread_create(&s, 0, sleeper, 0) == 0);
    while (!atomic_load(&sleeper_tid))
        az_yield();
    CHECK(az_msleep(20) == 0);
    CHECK(atomic_load(&woke) == 0);
    CHECK(az_wakeup_task(atomic_load(&sleeper_tid)) == 0);
    pthread_join(s, 0);
    CHECK(atomic_load(&woke) == 1);
    /* ... and a wake-up that comes first is kept. */
    int me = (int)syscall(SYS_gettid);
    CHECK(az_wakeup_task(me) == 0 && az_block_current_task() == 0);
    CHECK(az_wakeup_task(999999) == -ESRCH);

    /* A cancelable wait ended by wakeup_task. */
    CHECK(pthread_create(&s, 0, canceled, 0) == 0);
    while (!atomic_load(&canceled_tid))
        az_yield();
    CHECK(az_msleep(20) == 0);
    CHECK(atomic_load(&cancel_result) == 1); /* still waiting */
    CHECK(az_wakeup_task(atomic_load(&canceled_tid)) == 0);
    pthread_join(s, 0);
    CHECK(atomic_load(&cancel_result) == -EINTR);
    printf("azalea_api: block/wakeup ok\n");

    /* Priorities. */
    CHECK(az_getprio(0) == AZ_PRIO_NORMAL);
    CHECK(az_setprio(0, AZ_PRIO_HIGH) == 0 && az_getprio(me) == AZ_PRIO_HIGH);
    CHECK(az_setprio(0, 99) == -EINVAL && az_setprio(0, AZ_PRIO_IDLE) == -EINVAL);
    CHECK(az_reschedule() == 0 && az_yield() == 0);
    CHECK(az_setprio(0, AZ_PRIO_NORMAL) == 0);
    printf("azalea_api: priorities ok\n");
    pass("azalea_api");
    return 0;
}
