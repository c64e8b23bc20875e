/*
 * spin_budget -- THREADS threads, each on a core of its own, each making
 * CALLS host calls that take WAIT_MS (select on an empty pipe with a
 * timeout: the proxy's worker waits).  How much host cpu the waiting cores
 * burn depends on how many may spin at once (az_boot.spin_cores); the host
 * measures the emulator's cpu time around the run (SpinBudgetIT).  Checks
 * every answer; prints what it did.
 */
#include <pthread.h>
#include <sys/select.h>
#include <unistd.h>

#include "check.h"

#define THREADS 6
#define CALLS   10
#define WAIT_MS 4

static int pipefd[2];

static void *worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < CALLS; i++) {
        fd_set r;
        FD_ZERO(&r);
        FD_SET(pipefd[0], &r);
        struct timeval tv = {0, WAIT_MS * 1000};
        CHECK(select(pipefd[0] + 1, &r, 0, 0, &tv) == 0); /* nothing to read: the timeout */
    }
    return 0;
}

int main(void)
{
    CHECK(pipe(pipefd) == 0);
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], 0, worker, 0) == 0);
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_join(t[i], 0) == 0);
    printf("spin_budget: %d threads x %d waits of %d ms\n", THREADS, CALLS, WAIT_MS);
    pass("spin_budget");
    return 0;
}
