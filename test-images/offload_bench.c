/*
 * offload_bench -- the guest's view of the offload channel, timed with the
 * guest's own clock: an empty round trip (AZ_SYS_OFFLOAD_NOP), a 4 KiB
 * pread of a file the host has cached, a null system call the instance
 * kernel answers itself (getppid: the cost of entering and leaving the
 * kernel), and a fixed CPU-bound loop (for comparing the unikernel with the
 * same binary run elsewhere).  Prints
 * "name value" lines; "offload_bench compute" runs only the loop.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "azalea/abi.h"
#include "check.h"

#define ROUNDS 2000

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

static void report(const char *name, long long *s, int n)
{
    qsort(s, (size_t)n, sizeof *s, cmp);
    printf("%s_p50_ns %lld\n%s_p99_ns %lld\n", name, s[n / 2], name, s[n * 99 / 100]);
}

static uint64_t compute(void)
{
    /* A fixed CPU-bound loop: an LCG and a little arithmetic, no memory traffic. */
    uint64_t x = 1, acc = 0;
    for (int i = 0; i < 20 * 1000 * 1000; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        acc += x >> 33 ^ (acc << 1);
    }
    return acc;
}

int main(int argc, char **argv)
{
    static long long s[ROUNDS];
    if (argc < 2 || strcmp(argv[1], "compute") != 0) {
        for (int i = 0; i < 100; i++)
            CHECK(syscall(AZ_SYS_OFFLOAD_NOP) == 0);
        for (int i = 0; i < ROUNDS; i++) {
            long long t0 = now_ns();
            syscall(AZ_SYS_OFFLOAD_NOP);
            s[i] = now_ns() - t0;
        }
        report("guest_offload_null_rtt", s, ROUNDS);

        static char page[4096];
        int fd = open("offload-bench.dat", O_CREAT | O_TRUNC | O_RDWR, 0600);
        CHECK(fd >= 0 && write(fd, page, sizeof page) == sizeof page);
        for (int i = 0; i < ROUNDS; i++) {
            long long t0 = now_ns();
            CHECK(pread(fd, page, sizeof page, 0) == sizeof page);
            s[i] = now_ns() - t0;
        }
        report("guest_offload_pread4k", s, ROUNDS);
        close(fd);
        unlink("offload-bench.dat");

        enum { NULL_CALLS = 200000 };
        long long n0 = now_ns();
        for (int i = 0; i < NULL_CALLS; i++)
            syscall(SYS_getppid);
        printf("guest_null_syscall_ns %.1f\n", (double)(now_ns() - n0) / NULL_CALLS);
    }
    long long t0 = now_ns();
    uint64_t r = compute();
    printf("compute_loop_ns %lld (result %llu)\n", now_ns() - t0, (unsigned long long)r);
    pass("offload_bench");
    return 0;
}
