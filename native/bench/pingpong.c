/*
 * bench-pingpong -- the floor for any shared-memory round trip on this
 * machine: two threads pinned to different CPUs bounce a counter through two
 * cache lines of a MAP_SHARED mapping of a /dev/shm file (the same kind of
 * memory the offload rings live in).  Each round trip is timed with
 * clock_gettime, as the stub times an offloaded call, so the two compare.
 *
 *   bench-pingpong [N]      N timed round trips (default 1000000) after 200000 untimed
 *
 * Prints one JSON line: {"pingpong_rtt_p50_ns", "pingpong_rtt_p99_ns",
 * "pingpong_rtt_mean_ns", "samples", "cpus"}.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "stats.h"

/* Ping and pong two lines apart, against the adjacent-line prefetcher. */
struct lines {
    uint64_t ping;
    char pad0[128 - 8];
    uint64_t pong;
    char pad1[128 - 8];
};

static struct lines *shared;
static uint64_t rounds;

static void *ponger(void *arg)
{
    (void)arg;
    bench_pin(1);
    for (uint64_t i = 1; i <= rounds; i++) {
        while (__atomic_load_n(&shared->ping, __ATOMIC_ACQUIRE) != i)
            __builtin_ia32_pause();
        __atomic_store_n(&shared->pong, i, __ATOMIC_RELEASE);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000, warm = 200000;
    if (n == 0) {
        fprintf(stderr, "usage: bench-pingpong [N > 0]\n");
        return 2;
    }
    int cpus = bench_cpus(); /* before pinning narrows it */
    if (cpus < 2) {
        fprintf(stderr, "bench-pingpong: needs two CPUs\n");
        return 1;
    }
    char path[64];
    snprintf(path, sizeof path, "/dev/shm/azalea-pingpong-%d", (int)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, 4096) != 0) {
        perror(path);
        return 1;
    }
    shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    unlink(path);
    if (shared == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    uint64_t *s = malloc(n * sizeof *s);
    rounds = warm + n;
    pthread_t th;
    pthread_create(&th, NULL, ponger, NULL);
    bench_pin(0);
    double sum = 0;
    for (uint64_t i = 1; i <= rounds; i++) {
        uint64_t t0 = bench_now_ns();
        __atomic_store_n(&shared->ping, i, __ATOMIC_RELEASE);
        while (__atomic_load_n(&shared->pong, __ATOMIC_ACQUIRE) != i)
            __builtin_ia32_pause();
        uint64_t t = bench_now_ns() - t0;
        if (i > warm) {
            s[i - warm - 1] = t;
            sum += (double)t;
        }
    }
    pthread_join(th, NULL);
    uint64_t p99 = bench_percentile(s, n, 0.99), p50 = bench_percentile(s, n, 0.5);
    printf("{\"pingpong_rtt_p50_ns\": %llu, \"pingpong_rtt_p99_ns\": %llu, \"pingpong_rtt_mean_ns\": %.1f, "
           "\"samples\": %llu, \"cpus\": %d}\n",
           (unsigned long long)p50, (unsigned long long)p99, sum / (double)n, (unsigned long long)n, cpus);
    free(s);
    return 0;
}
