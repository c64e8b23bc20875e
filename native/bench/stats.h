/* stats.h -- what the C baselines share: a monotonic clock, percentiles, CPU pinning. */
#ifndef AZALEA_BENCH_STATS_H
#define AZALEA_BENCH_STATS_H

#include <stdint.h>

uint64_t bench_now_ns(void);

/* Sorts `s` in place; the value at fraction q (0.5 = median, 0.99 = p99). */
uint64_t bench_percentile(uint64_t *s, uint64_t n, double q);

/* Pins the calling thread to `cpu` (mod the CPUs available): 0, or -errno. */
int bench_pin(int cpu);

/* How many CPUs this process may run on. */
int bench_cpus(void);

#endif
