/*
 * offload_bench -- the guest's view of the offload channel, timed with the
 * guest's own clock: an empty round trip (AZ_SYS_OFFLOAD_NOP), a 4 KiB
 * pread of a file the host has cached, a null system call the instance
 * kernel answers itself (getppid: the cost of entering and leaving the
 * kernel), and a fixed CPU-bound loop (for comparing the unikernel with the
 * same binary run elsewhere).  Prints
 * "name value" lines; "offload_bench compute" runs only the loop.
 *
 * The floor beside the null round trip: a guest<->host ping-pong on one
 * shared word, no kernel, no ring.  The program maps a page (anonymous
 * memory is identity-mapped, so its address is guest-physical), prints
 * "pingpong_word ADDR COOKIE" and waits a moment for a host thread (the
 * bench's, NodeBench) to find the cookie there and acknowledge; without
 * one (a plain `azalea run`) it skips the ping-pong.  Ping-pong and null
 * calls then alternate in blocks, so both see the same host load.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "azalea/abi.h"
#include "check.h"

#define ROUNDS 2000
#define BLOCK  100 /* ping-pongs, then as many null calls, alternately */
#define PP_ACK 0x5a5a5a5a5a5a5a5aULL
#define PP_END (~0ULL)

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

/* word[0]: the ball (odd: the host's turn, which adds one); [1]: the cookie; [2]: the host's ack. */
static volatile uint64_t *pingpong_open(void)
{
    uint64_t *w = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(w != MAP_FAILED);
    uint64_t cookie = (uint64_t)now_ns() * 0x9E3779B97F4A7C15ULL | 1;
    w[1] = cookie;
    __atomic_store_n(&w[0], 0, __ATOMIC_RELEASE);
    printf("pingpong_word 0x%lx 0x%llx\n", (unsigned long)w, (unsigned long long)cookie);
    fflush(stdout);
    for (long long t0 = now_ns(); now_ns() - t0 < 1000000000LL;) {
        if (__atomic_load_n(&w[2], __ATOMIC_ACQUIRE) == (cookie ^ PP_ACK))
            return w;
    }
    return 0; /* nobody answers: no ping-pong */
}

static long long pingpong_once(volatile uint64_t *w, uint64_t *ball)
{
    long long t0 = now_ns();
    __atomic_store_n(&w[0], *ball + 1, __ATOMIC_RELEASE);
    while (__atomic_load_n(&w[0], __ATOMIC_ACQUIRE) != *ball + 2)
        __builtin_ia32_pause();
    *ball += 2;
    return now_ns() - t0;
}

int main(int argc, char **argv)
{
    static long long s[ROUNDS], pp[ROUNDS];
    if (argc < 2 || strcmp(argv[1], "compute") != 0) {
        volatile uint64_t *w = pingpong_open();
        uint64_t ball = 0;
        for (int i = 0; i < 100; i++) {
            CHECK(syscall(AZ_SYS_OFFLOAD_NOP) == 0);
            if (w)
                pingpong_once(w, &ball);
        }
        for (int b = 0; b < ROUNDS; b += BLOCK) {
            /* One untimed exchange first: each side's host thread may have
             * stopped spinning while the other block ran. */
            if (w)
                pingpong_once(w, &ball);
            for (int i = b; w && i < b + BLOCK; i++)
                pp[i] = pingpong_once(w, &ball);
            syscall(AZ_SYS_OFFLOAD_NOP);
            for (int i = b; i < b + BLOCK; i++) {
                long long t0 = now_ns();
                syscall(AZ_SYS_OFFLOAD_NOP);
                s[i] = now_ns() - t0;
            }
        }
        if (w) {
            __atomic_store_n(&w[0], PP_END, __ATOMIC_RELEASE);
            report("guest_pingpong_rtt", pp, ROUNDS);
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
