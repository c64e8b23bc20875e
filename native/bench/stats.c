/* stats.c -- see stats.h. */
#define _GNU_SOURCE
#include "stats.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

uint64_t bench_percentile(uint64_t *s, uint64_t n, double q)
{
    qsort(s, n, sizeof *s, cmp);
    uint64_t i = (uint64_t)(q * (double)n);
    return s[i < n ? i : n - 1];
}

/* The n-th CPU in our affinity mask: pinning to CPU "1" must work in a cpuset like 4-5. */
static int nth_cpu(int n)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return n;
    int count = CPU_COUNT(&set);
    if (count == 0)
        return n;
    n %= count;
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &set) && n-- == 0)
            return c;
    return 0;
}

int bench_cpus(void)
{
    cpu_set_t set;
    return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
}

int bench_pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(nth_cpu(cpu), &set);
    int e = pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    return e ? -e : 0;
}
