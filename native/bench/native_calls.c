/*
 * bench-native -- native system calls from C, the baselines for offloaded ones.
 *
 *   bench-native [N]        N timed calls of each (default 1000000) after 200000 untimed
 *
 * getppid: the cheapest real system call (glibc never caches it), timed in
 * blocks of 1000 calls per clock read so the clock's own cost is amortised;
 * getppid_ns is the median of the per-call averages of the blocks.
 * pread4k: a 4 KiB pread at offset 0 of a 64 KiB file in the page cache
 * (created in /dev/shm, or in DIR if given as the second argument), timed
 * call by call as the stub times an offloaded pread.
 *
 * Prints one JSON line: {"getppid_ns", "pread4k_native_p50_ns",
 * "pread4k_native_p99_ns", "samples"}.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "stats.h"

enum { BLOCK = 1000 };

static double getppid_ns(uint64_t n)
{
    uint64_t blocks = n / BLOCK ? n / BLOCK : 1;
    uint64_t *s = malloc(blocks * sizeof *s);
    for (int i = 0; i < 200000; i++)
        getppid();
    for (uint64_t b = 0; b < blocks; b++) {
        uint64_t t0 = bench_now_ns();
        for (int i = 0; i < BLOCK; i++)
            getppid();
        s[b] = bench_now_ns() - t0;
    }
    double per_call = (double)bench_percentile(s, blocks, 0.5) / BLOCK;
    free(s);
    return per_call;
}

int main(int argc, char **argv)
{
    uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
    const char *dir = argc > 2 ? argv[2] : "/dev/shm";
    if (n == 0) {
        fprintf(stderr, "usage: bench-native [N > 0] [DIR]\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/azalea-bench-native-%d", dir, (int)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    char *buf = aligned_alloc(4096, 65536);
    memset(buf, 0x5a, 65536);
    if (fd < 0 || write(fd, buf, 65536) != 65536) {
        perror(path);
        return 1;
    }
    unlink(path);

    double ppid = getppid_ns(n);
    uint64_t *s = malloc(n * sizeof *s);
    for (uint64_t i = 0; i < 200000 + n; i++) {
        uint64_t t0 = bench_now_ns();
        ssize_t r = pread(fd, buf, 4096, 0);
        uint64_t t = bench_now_ns() - t0;
        if (r != 4096) {
            perror("pread");
            return 1;
        }
        if (i >= 200000)
            s[i - 200000] = t;
    }
    uint64_t p99 = bench_percentile(s, n, 0.99), p50 = bench_percentile(s, n, 0.5);
    printf("{\"getppid_ns\": %.1f, \"pread4k_native_p50_ns\": %llu, \"pread4k_native_p99_ns\": %llu, "
           "\"samples\": %llu}\n",
           ppid, (unsigned long long)p50, (unsigned long long)p99, (unsigned long long)n);
    close(fd);
    free(s);
    free(buf);
    return 0;
}
