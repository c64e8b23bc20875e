/*
 * noise -- OS noise probe, fixed work quanta (FWQ, after the selfish-detour
 * benchmarks): the same small piece of work SAMPLES times, each timed with the
 * time-stamp counter.  The fastest quantum is the work itself; whatever any
 * other quantum took beyond it is a detour (an interrupt, a tick, the host
 * descheduling a vCPU, TCG retranslating).  Prints the detour histogram and
 * the share of time lost to detours.  No system call while sampling, so on
 * Azalea and in a Linux guest the same loop runs under each kernel's noise.
 *
 *   noise [-n SAMPLES] [-q ITERATIONS_PER_QUANTUM]
 *
 * Output: "noise: bucket LO_NS HI_NS COUNT TIME_NS" lines and last
 *   noise: result samples=N quantum_ns=Q median_ns=M max_ns=X lost=F checksum=HEX
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static inline uint64_t tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return (uint64_t)hi << 32 | lo;
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    long samples = 1000000, iters = 1000;
    int opt;
    while ((opt = getopt(argc, argv, "n:q:")) != -1) {
        if (opt == 'n')
            samples = atol(optarg);
        else if (opt == 'q')
            iters = atol(optarg);
        else
            return 2;
    }
    if (samples < 100 || samples > 100000000 || iters < 1 || iters > 100000000) {
        fprintf(stderr, "usage: noise [-n SAMPLES (100..1e8)] [-q ITERATIONS]\n");
        return 2;
    }
    uint32_t *d = malloc(sizeof *d * (size_t)samples);
    if (!d) {
        fprintf(stderr, "noise: no memory for %ld samples\n", samples);
        return 1;
    }
    uint64_t x = 1;
    double w0 = now_ns();
    uint64_t c0 = tsc();
    for (long i = 0; i < samples; i++) {
        uint64_t t0 = tsc();
        for (long k = 0; k < iters; k++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            __asm__ volatile("" : "+r"(x));
        }
        uint64_t t = tsc() - t0;
        d[i] = t > UINT32_MAX ? UINT32_MAX : (uint32_t)t;
    }
    uint64_t c1 = tsc();
    double w1 = now_ns();
    double ns_per_tick = (c1 > c0) ? (w1 - w0) / (double)(c1 - c0) : 1.0;

    uint64_t total = 0, lost = 0;
    uint32_t min = UINT32_MAX, max = 0;
    for (long i = 0; i < samples; i++) {
        total += d[i];
        min = d[i] < min ? d[i] : min;
        max = d[i] > max ? d[i] : max;
    }
    /* Detour buckets by length: <100 ns, <1 us, ..., >= 10 ms. */
    const double edges[] = {0, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e18};
    long count[7] = {0};
    double time[7] = {0};
    for (long i = 0; i < samples; i++) {
        uint32_t detour = d[i] - min;
        lost += detour;
        double ns = detour * ns_per_tick;
        int b = 0;
        while (b < 6 && ns >= edges[b + 1])
            b++;
        count[b]++;
        time[b] += ns;
    }
    for (int b = 0; b < 7; b++)
        printf("noise: bucket %.0f %.0f %ld %.0f\n", edges[b], edges[b + 1], count[b], time[b]);
    qsort(d, (size_t)samples, sizeof *d, cmp_u32);
    printf("noise: result samples=%ld quantum_ns=%.1f median_ns=%.1f max_ns=%.1f lost=%.6f checksum=%016llx\n", samples,
           min * ns_per_tick, d[samples / 2] * ns_per_tick, max * ns_per_tick,
           total ? (double)lost / (double)total : 0.0, (unsigned long long)(x ^ (uint64_t)iters));
    free(d);
    return 0;
}
