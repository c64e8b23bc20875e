/*
 * kick_batch -- several threads of one core make an offloaded call at the
 * same moment while the proxy sleeps: the instance kernel should publish
 * all their requests and kick the proxy once (item 4 of issue 13), not once
 * per thread.  Run on one core.
 *
 *   kick_batch aligned    THREADS threads wake at the same absolute time,
 *                         ROUNDS times, GAP_MS apart (long enough for the
 *                         proxy to go to sleep), and each makes one call
 *   kick_batch staggered  the same calls, each thread's GAP_MS after the
 *                         previous one's: nothing to batch, so each may kick
 *
 * The host counts the kicks (Instance.guestKicks); the program prints what
 * it did and checks every call's answer.
 */
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "azalea/abi.h"
#include "check.h"

#define THREADS 8
#define ROUNDS  10
#define GAP_MS  12 /* over the proxy's longest spin (5 ms) */

static struct timespec start;
static int staggered;

static struct timespec at(long ms)
{
    struct timespec t = start;
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

static void *worker(void *arg)
{
    long id = (long)arg;
    for (int r = 0; r < ROUNDS; r++) {
        long slot = staggered ? (long)r * THREADS + id : r;
        struct timespec t = at((slot + 1) * GAP_MS);
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, 0) != 0)
            ;
        CHECK(syscall(AZ_SYS_OFFLOAD_NOP) == 0);
    }
    return 0;
}

int main(int argc, char **argv)
{
    CHECK(argc == 2 && (strcmp(argv[1], "aligned") == 0 || strcmp(argv[1], "staggered") == 0));
    staggered = strcmp(argv[1], "staggered") == 0;
    CHECK(clock_gettime(CLOCK_MONOTONIC, &start) == 0);
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], 0, worker, (void *)i) == 0);
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_join(t[i], 0) == 0);
    printf("kick_batch: %s, %d threads x %d calls\n", argv[1], THREADS, ROUNDS);
    pass("kick_batch");
    return 0;
}
